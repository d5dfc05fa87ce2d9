/**
 * MessagePack encoder producing exactly what rmp-serde (`to_vec_named`) writes for Parsec
 * records: smallest integer forms, str8 from 32 bytes, bin for bytes, DateTime as fixext 8
 * type 1, UUID as fixext 16 type 2, maps in the given entry order (spec §3.1).
 * Values use the decoder's model (`src/codec/msgpack.ts`) so decode → encode round-trips.
 */
import { MsgDateTime, MsgExt, MsgMap, MsgUuid, type MsgValue } from "./msgpack.ts";

const textEncoder = new TextEncoder();

/** Builds a named struct map: `type` first, then the fields in the given order. */
export function struct(type: string, fields: ReadonlyArray<readonly [string, MsgValue]>): MsgMap {
  return new MsgMap([["type", type], ...fields]);
}

/** Builds a map from ordered `[key, value]` pairs (e.g. a folder's `children`). */
export function orderedMap(entries: ReadonlyArray<readonly [string, MsgValue]>): MsgMap {
  return new MsgMap(entries);
}

/** A DateTime value (µs since the epoch). */
export function dt(micros: number): MsgDateTime {
  return new MsgDateTime(micros);
}

/** A UUID value (16 bytes). */
export function uuid(bytes: Uint8Array): MsgUuid {
  if (bytes.length !== 16) throw new RangeError(`UUID must be 16 bytes, got ${bytes.length}`);
  return new MsgUuid(bytes);
}

/** Encodes one msgpack value the way rmp-serde does. Throws on non-integer numbers. */
export function encodeMsgpack(value: MsgValue): Uint8Array {
  const w = new Writer();
  w.value(value);
  return w.finish();
}

class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private reserve(n: number): number {
    if (this.pos + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.pos + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.pos));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  // `reserve` may swap `buf`/`view`: always call it before reading them.
  private u8(v: number): void {
    const at = this.reserve(1);
    this.buf[at] = v;
  }
  private u16(v: number): void {
    const at = this.reserve(2);
    this.view.setUint16(at, v);
  }
  private u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v);
  }
  private raw(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.buf.set(bytes, at);
  }

  value(v: MsgValue): void {
    if (v === null) return this.u8(0xc0);
    if (v === true) return this.u8(0xc3);
    if (v === false) return this.u8(0xc2);
    if (typeof v === "number") return this.int(v);
    if (typeof v === "bigint") return this.bigint(v);
    if (typeof v === "string") return this.str(v);
    if (v instanceof Uint8Array) return this.bin(v);
    if (Array.isArray(v)) {
      this.header(v.length, 0x90, 0xdc, 0xdd);
      for (const item of v) this.value(item);
      return;
    }
    if (v instanceof MsgMap) {
      this.header(v.entries.length, 0x80, 0xde, 0xdf);
      for (const [k, item] of v.entries) {
        this.value(k);
        this.value(item);
      }
      return;
    }
    if (v instanceof MsgDateTime) {
      this.u8(0xd7);
      this.u8(0x01);
      {
        const at = this.reserve(8);
        this.view.setBigInt64(at, BigInt(v.micros));
      }
      return;
    }
    if (v instanceof MsgUuid) {
      if (v.bytes.length !== 16) throw new RangeError("UUID must be 16 bytes");
      this.u8(0xd8);
      this.u8(0x02);
      this.raw(v.bytes);
      return;
    }
    if (v instanceof MsgExt) return this.ext(v.type, v.data);
    throw new TypeError(`cannot encode ${String(v)}`);
  }

  private header(n: number, fix: number, m16: number, m32: number): void {
    if (n < 16) this.u8(fix | n);
    else if (n < 0x10000) {
      this.u8(m16);
      this.u16(n);
    } else {
      this.u8(m32);
      this.u32(n);
    }
  }

  private int(v: number): void {
    if (!Number.isSafeInteger(v)) throw new RangeError(`not a safe integer: ${v}`);
    if (v >= 0) {
      if (v < 0x80) this.u8(v);
      else if (v < 0x100) {
        this.u8(0xcc);
        this.u8(v);
      } else if (v < 0x10000) {
        this.u8(0xcd);
        this.u16(v);
      } else if (v < 0x100000000) {
        this.u8(0xce);
        this.u32(v);
      } else {
        this.u8(0xcf);
        {
          const at = this.reserve(8);
          this.view.setBigUint64(at, BigInt(v));
        }
      }
      return;
    }
    if (v >= -32) this.u8(0x100 + v);
    else if (v >= -0x80) {
      this.u8(0xd0);
      {
        const at = this.reserve(1);
        this.view.setInt8(at, v);
      }
    } else if (v >= -0x8000) {
      this.u8(0xd1);
      {
        const at = this.reserve(2);
        this.view.setInt16(at, v);
      }
    } else if (v >= -0x80000000) {
      this.u8(0xd2);
      {
        const at = this.reserve(4);
        this.view.setInt32(at, v);
      }
    } else {
      this.u8(0xd3);
      {
        const at = this.reserve(8);
        this.view.setBigInt64(at, BigInt(v));
      }
    }
  }

  private bigint(v: bigint): void {
    if (v >= -(2n ** 53n) && v <= 2n ** 53n) return this.int(Number(v));
    if (v > 0n) {
      if (v >= 2n ** 64n) throw new RangeError("integer above u64");
      this.u8(0xcf);
      {
        const at = this.reserve(8);
        this.view.setBigUint64(at, v);
      }
    } else {
      if (v < -(2n ** 63n)) throw new RangeError("integer below i64");
      this.u8(0xd3);
      {
        const at = this.reserve(8);
        this.view.setBigInt64(at, v);
      }
    }
  }

  private str(s: string): void {
    const bytes = textEncoder.encode(s);
    const n = bytes.length;
    if (n < 32) this.u8(0xa0 | n);
    else if (n < 0x100) {
      this.u8(0xd9);
      this.u8(n);
    } else if (n < 0x10000) {
      this.u8(0xda);
      this.u16(n);
    } else {
      this.u8(0xdb);
      this.u32(n);
    }
    this.raw(bytes);
  }

  private bin(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n < 0x100) {
      this.u8(0xc4);
      this.u8(n);
    } else if (n < 0x10000) {
      this.u8(0xc5);
      this.u16(n);
    } else {
      this.u8(0xc6);
      this.u32(n);
    }
    this.raw(bytes);
  }

  private ext(type: number, data: Uint8Array): void {
    const fixed: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };
    const marker = fixed[data.length];
    if (marker !== undefined) this.u8(marker);
    else if (data.length < 0x100) {
      this.u8(0xc7);
      this.u8(data.length);
    } else if (data.length < 0x10000) {
      this.u8(0xc8);
      this.u16(data.length);
    } else {
      this.u8(0xc9);
      this.u32(data.length);
    }
    {
      const at = this.reserve(1);
      this.view.setInt8(at, type);
    }
    this.raw(data);
  }
}
