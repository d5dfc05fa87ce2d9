/** Parsec serialized records, format v0: `0x00 || zstd(msgpack(map))` (spec §3.1). */
import { constants, zstdDecompressSync } from "node:zlib";
import { decodeMsgpack, MsgpackError, type MsgValue } from "./msgpack.ts";

/** Largest decompressed record accepted (a guard against decompression bombs). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** A serialized record that is not valid format v0 (wrong version byte, bad zstd, bad msgpack). */
export class FormatError extends Error {
  override name = "FormatError";
}

/** Decompresses a format-v0 payload to its msgpack bytes. */
export function decompressFormatV0(data: Uint8Array): Uint8Array {
  if (data.length === 0) throw new FormatError("empty record");
  if (data[0] !== 0) {
    throw new FormatError(`unknown format version byte 0x${data[0]!.toString(16)}`);
  }
  try {
    return new Uint8Array(
      zstdDecompressSync(data.subarray(1), {
        maxOutputLength: MAX_RECORD_BYTES,
        params: { [constants.ZSTD_d_windowLogMax]: 27 },
      }),
    );
  } catch (e) {
    throw new FormatError(`zstd: ${(e as Error).message}`);
  }
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
