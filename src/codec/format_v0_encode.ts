/**
 * Format v0 writer: `0x00 || zstd(msgpack)` with the frame layout of Parsec's streaming encoder
 * (level 3, no content size, no checksum: header `28b52ffd 00 58` for small inputs, spec §3.1).
 */
import { constants, zstdCompressSync } from "node:zlib";
import type { MsgValue } from "./msgpack.ts";
import { encodeMsgpack } from "./msgpack_encode.ts";

const ZSTD_PARAMS = {
  [constants.ZSTD_c_compressionLevel]: 3,
  [constants.ZSTD_c_contentSizeFlag]: 0,
  [constants.ZSTD_c_checksumFlag]: 0,
};

/** Wraps already-encoded msgpack bytes as a format-v0 record. */
export function compressFormatV0(msgpack: Uint8Array): Uint8Array {
  const frame = zstdCompressSync(msgpack, { params: ZSTD_PARAMS });
  const out = new Uint8Array(1 + frame.length);
  out.set(frame, 1);
  return out;
}

/** Serializes a record value (usually a `struct(...)`) to format v0. */
export function encodeFormatV0(value: MsgValue): Uint8Array {
  return compressFormatV0(encodeMsgpack(value));
}
