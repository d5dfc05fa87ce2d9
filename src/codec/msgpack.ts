/**
 * A strict MessagePack decoder for Parsec records: maps keep their entry order (duplicates are
 * visible to the caller), `bin` stays bytes, ext 1 is a DateTime and ext 2 a UUID (spec §3.1).
 */
import { toHex } from "../util/bytes.ts";

/** A msgpack map, entries in encoded order. */
export class MsgMap {
  constructor(readonly entries: ReadonlyArray<readonly [MsgValue, MsgValue]>) {}
}

/** Parsec DateTime (ext type 1): microseconds since the UNIX epoch. */
export class MsgDateTime {
  constructor(readonly micros: number) {}
}

/** Parsec UUID (ext type 2): 16 raw bytes. */
export class MsgUuid {
  constructor(readonly bytes: Uint8Array) {}
  /** 32 lowercase hex characters. */
  get hex(): string {
    return toHex(this.bytes);
  }
}

/** Any other extension type. */
export class MsgExt {
  constructor(readonly type: number, readonly data: Uint8Array) {}
}

export type MsgValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | MsgValue[]
  | MsgMap
  | MsgDateTime
  | MsgUuid
  | MsgExt;

/** Malformed msgpack input. */
export class MsgpackError extends Error {
  override name = "MsgpackError";
}

const MAX_DEPTH = 64;
// ignoreBOM: a leading U+FEFF is part of a name, never dropped.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes exactly one msgpack value spanning all of `data`. */
export function decodeMsgpack(data: Uint8Array): MsgValue {
  const reader = new Reader(data);
  const value = reader.value(0);
  if (reader.pos !== data.length) {
    throw new MsgpackError(`${data.length - reader.pos} trailing bytes after the value`);
  }
  return value;
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.data.length) throw new MsgpackError("unexpected end of data");
    this.pos += n;
    return at;
  }

  private bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.data.subarray(at, at + n);
  }

  private u8(): number {
    return this.view.getUint8(this.need(1));
  }
  private u16(): number {
    return this.view.getUint16(this.need(2));
  }
  private u32(): number {
    return this.view.getUint32(this.need(4));
  }
  private u64(): number | bigint {
    const v = this.view.getBigUint64(this.need(8));
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  private i64(): number | bigint {
    const v = this.view.getBigInt64(this.need(8));
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(v)
      : v;
  }

  value(depth: number): MsgValue {
    if (depth > MAX_DEPTH) throw new MsgpackError("nesting too deep");
    const b = this.u8();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if (b >= 0x80 && b <= 0x8f) return this.map(b & 0x0f, depth);
    if (b >= 0x90 && b <= 0x9f) return this.array(b & 0x0f, depth);
    if (b >= 0xa0 && b <= 0xbf) return this.str(b & 0x1f);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.bytes(this.u8());
      case 0xc5:
        return this.bytes(this.u16());
      case 0xc6:
        return this.bytes(this.u32());
      case 0xc7:
        return this.ext(this.u8());
      case 0xc8:
        return this.ext(this.u16());
      case 0xc9:
        return this.ext(this.u32());
      case 0xca:
        return this.view.getFloat32(this.need(4));
      case 0xcb:
        return this.view.getFloat64(this.need(8));
      case 0xcc:
        return this.u8();
      case 0xcd:
        return this.u16();
      case 0xce:
        return this.u32();
      case 0xcf:
        return this.u64();
      case 0xd0:
        return this.view.getInt8(this.need(1));
      case 0xd1:
        return this.view.getInt16(this.need(2));
      case 0xd2:
        return this.view.getInt32(this.need(4));
      case 0xd3:
        return this.i64();
      case 0xd4:
        return this.ext(1);
      case 0xd5:
        return this.ext(2);
      case 0xd6:
        return this.ext(4);
      case 0xd7:
        return this.ext(8);
      case 0xd8:
        return this.ext(16);
      case 0xd9:
        return this.str(this.u8());
      case 0xda:
        return this.str(this.u16());
      case 0xdb:
        return this.str(this.u32());
      case 0xdc:
        return this.array(this.u16(), depth);
      case 0xdd:
        return this.array(this.u32(), depth);
      case 0xde:
        return this.map(this.u16(), depth);
      case 0xdf:
        return this.map(this.u32(), depth);
      default:
        throw new MsgpackError(`invalid type byte 0x${b.toString(16)}`);
    }
  }

  private str(n: number): string {
    try {
      return utf8.decode(this.bytes(n));
    } catch {
      throw new MsgpackError("string is not valid UTF-8");
    }
  }

  private array(n: number, depth: number): MsgValue[] {
    if (n > this.data.length - this.pos) throw new MsgpackError("array longer than the data");
    const out: MsgValue[] = [];
    for (let i = 0; i < n; i++) out.push(this.value(depth + 1));
    return out;
  }

  private map(n: number, depth: number): MsgMap {
    if (2 * n > this.data.length - this.pos) throw new MsgpackError("map longer than the data");
    const entries: [MsgValue, MsgValue][] = [];
    for (let i = 0; i < n; i++) entries.push([this.value(depth + 1), this.value(depth + 1)]);
    return new MsgMap(entries);
  }

  private ext(n: number): MsgValue {
    const type = this.view.getInt8(this.need(1));
    const data = this.bytes(n);
    if (type === 1) {
      if (n !== 8) throw new MsgpackError(`DateTime extension of ${n} bytes`);
      const v = new DataView(data.buffer, data.byteOffset, 8).getBigInt64(0);
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new MsgpackError("DateTime out of range");
      }
      return new MsgDateTime(Number(v));
    }
    if (type === 2) {
      if (n !== 16) throw new MsgpackError(`UUID extension of ${n} bytes`);
      return new MsgUuid(data);
    }
    return new MsgExt(type, data);
  }
}
