/** Moved to `src/codec/format_v0_encode.ts` (shared with the reader's key ceremony). */
export * from "../../src/codec/format_v0_encode.ts";
