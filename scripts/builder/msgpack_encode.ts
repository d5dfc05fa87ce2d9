/** Moved to `src/codec/msgpack_encode.ts` (shared with the reader's key ceremony). */
export * from "../../src/codec/msgpack_encode.ts";
