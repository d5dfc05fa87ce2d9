/** Parsec serialized records, format v0: `0x00 || zstd(msgpack(map))` (spec §3.1). */
import { constants, zstdDecompressSync } from "node:zlib";
import { decodeMsgpack, MsgpackError, type MsgValue } from "./msgpack.ts";

/** Largest decompressed record accepted (a guard against decompression bombs). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** A serialized record that is not valid format v0 (wrong version byte, bad zstd, bad msgpack). */
export class FormatError extends Error {
  override name = "FormatError";
}

/** Decompresses a format-v0 payload to its msgpack bytes (every concatenated zstd frame). */
export function decompressFormatV0(data: Uint8Array): Uint8Array {
  if (data.length === 0) throw new FormatError("empty record");
  if (data[0] !== 0) {
    throw new FormatError(`unknown format version byte 0x${data[0]!.toString(16)}`);
  }
  // node:zlib's one-shot decompressor stops after the first frame and ignores what follows,
  // so the frames are delimited here and decompressed one by one (spec §3.1).
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = 1;
  do {
    const end = at + zstdFrameLength(data, at);
    if (readU32le(data, at) !== ZSTD_MAGIC) {
      at = end; // skippable frame: no output
      continue;
    }
    let part: Uint8Array;
    try {
      part = zstdDecompressSync(data.subarray(at, end), {
        maxOutputLength: MAX_RECORD_BYTES - total,
        params: { [constants.ZSTD_d_windowLogMax]: 27 },
      });
    } catch (e) {
      throw new FormatError(`zstd: ${(e as Error).message}`);
    }
    parts.push(part);
    total += part.length;
    at = end;
  } while (at < data.length);
  if (parts.length === 1) return new Uint8Array(parts[0]!);
  const out = new Uint8Array(total);
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

const ZSTD_MAGIC = 0xfd2fb528;

function readU32le(data: Uint8Array, at: number): number {
  if (at + 4 > data.length) throw new FormatError("zstd: truncated frame");
  return (data[at]! | data[at + 1]! << 8 | data[at + 2]! << 16 | data[at + 3]! << 24) >>> 0;
}

/** Byte length of the zstd (or skippable) frame starting at `at`, from its block headers. */
function zstdFrameLength(data: Uint8Array, at: number): number {
  const magic = readU32le(data, at);
  if ((magic & 0xfffffff0) >>> 0 === 0x184d2a50) {
    const length = 8 + readU32le(data, at + 4);
    if (at + length > data.length) throw new FormatError("zstd: truncated frame");
    return length;
  }
  if (magic !== ZSTD_MAGIC) throw new FormatError("zstd: not a zstd frame");
  if (at + 5 > data.length) throw new FormatError("zstd: truncated frame");
  const descriptor = data[at + 4]!;
  const contentSizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  let pos = at + 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]! +
    (contentSizeFlag === 0 ? singleSegment : [0, 2, 4, 8][contentSizeFlag]!);
  for (;;) {
    if (pos + 3 > data.length) throw new FormatError("zstd: truncated frame");
    const header = data[pos]! | data[pos + 1]! << 8 | data[pos + 2]! << 16;
    const blockType = (header >> 1) & 3;
    if (blockType === 3) throw new FormatError("zstd: reserved block type");
    pos += 3 + (blockType === 1 ? 1 : header >>> 3);
    if (header & 1) break;
  }
  if ((descriptor >> 2) & 1) pos += 4;
  if (pos > data.length) throw new FormatError("zstd: truncated frame");
  return pos - at;
}

/** Decodes a format-v0 record into a msgpack value. Throws `FormatError`. */
export function decodeFormatV0(data: Uint8Array): MsgValue {
  const packed = decompressFormatV0(data);
  try {
    return decodeMsgpack(packed);
  } catch (e) {
    if (e instanceof MsgpackError) throw new FormatError(`msgpack: ${e.message}`);
    throw e;
  }
}
