/**
 * Typed access to the fields of a decoded Parsec record (a msgpack map with string keys):
 * duplicate keys are rejected, unknown keys ignored, missing or mistyped required keys throw.
 */
import { MsgDateTime, MsgMap, MsgUuid, type MsgValue } from "./msgpack.ts";

/** A record whose fields do not match its schema. */
export class RecordError extends Error {
  override name = "RecordError";
}

/** Field reader over one msgpack struct. */
export class Fields {
  private constructor(private readonly fields: Map<string, MsgValue>, readonly type: string) {}

  /** Reads a msgpack map as a struct; checks the `type` tag when `expected` is given. */
  static of(value: MsgValue, expected?: string | readonly string[]): Fields {
    const fields = structFields(value);
    const tag = fields.get("type");
    if (typeof tag !== "string") throw new RecordError("record has no string `type` field");
    if (expected !== undefined) {
      const allowed = typeof expected === "string" ? [expected] : expected;
      if (!allowed.includes(tag)) {
        throw new RecordError(`expected a ${allowed.join(" or ")}, found a ${tag}`);
      }
    }
    return new Fields(fields, tag);
  }

  /** Reads a msgpack map without a `type` tag (nested structs). */
  static untagged(value: MsgValue): Fields {
    return new Fields(structFields(value), "");
  }

  has(name: string): boolean {
    return this.fields.has(name);
  }

  private get(name: string): MsgValue {
    if (!this.fields.has(name)) throw new RecordError(`missing field \`${name}\``);
    return this.fields.get(name)!;
  }

  private fail(name: string, what: string): never {
    throw new RecordError(`field \`${name}\` is not ${what}`);
  }

  /** Whether the field is present and nil. */
  isNull(name: string): boolean {
    return this.get(name) === null;
  }

  string(name: string): string {
    const v = this.get(name);
    return typeof v === "string" ? v : this.fail(name, "a string");
  }

  optionalString(name: string): string | null {
    return this.isNull(name) ? null : this.string(name);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const v = this.string(name);
    return (allowed as readonly string[]).includes(v)
      ? v as T
      : this.fail(name, `one of ${allowed.join(", ")}`);
  }

  bytes(name: string, length?: number): Uint8Array {
    const v = this.get(name);
    if (!(v instanceof Uint8Array)) return this.fail(name, "bytes");
    if (length !== undefined && v.length !== length) this.fail(name, `${length} bytes`);
    return v;
  }

  /** An unsigned integer that fits a JS number. */
  uint(name: string): number {
    const v = this.get(name);
    return typeof v === "number" && Number.isInteger(v) && v >= 0
      ? v
      : this.fail(name, "an unsigned integer");
  }

  uuid(name: string): string {
    const v = this.get(name);
    return v instanceof MsgUuid ? v.hex : this.fail(name, "a UUID");
  }

  optionalUuid(name: string): string | null {
    return this.isNull(name) ? null : this.uuid(name);
  }

  dateTime(name: string): number {
    const v = this.get(name);
    return v instanceof MsgDateTime ? v.micros : this.fail(name, "a DateTime");
  }

  array(name: string): MsgValue[] {
    const v = this.get(name);
    return Array.isArray(v) ? v : this.fail(name, "an array");
  }

  map(name: string): MsgMap {
    const v = this.get(name);
    return v instanceof MsgMap ? v : this.fail(name, "a map");
  }

  raw(name: string): MsgValue {
    return this.get(name);
  }
}

function structFields(value: MsgValue): Map<string, MsgValue> {
  if (!(value instanceof MsgMap)) throw new RecordError("record is not a map");
  const fields = new Map<string, MsgValue>();
  for (const [key, v] of value.entries) {
    if (typeof key !== "string") throw new RecordError("record has a non-string key");
    if (fields.has(key)) throw new RecordError(`duplicate field \`${key}\``);
    fields.set(key, v);
  }
  return fields;
}
