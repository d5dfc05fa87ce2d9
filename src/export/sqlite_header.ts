/** Checks on the raw SQLite file header, done before SQLite itself opens the file. */

const MAGIC = "SQLite format 3\0";

/** What the 100-byte header says about the file. */
export type HeaderCheck =
  | { ok: true; pageSize: number; pageCount: number; walMode: boolean }
  | { ok: false; reason: "not_sqlite" | "truncated"; detail: string };

/** Validates the SQLite header of a file of `fileSize` bytes whose first bytes are `head`. */
export function checkSqliteHeader(head: Uint8Array, fileSize: number): HeaderCheck {
  if (head.length < 100 || new TextDecoder("latin1").decode(head.subarray(0, 16)) !== MAGIC) {
    return { ok: false, reason: "not_sqlite", detail: "not an SQLite database" };
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const rawPageSize = view.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    return { ok: false, reason: "not_sqlite", detail: `invalid page size ${rawPageSize}` };
  }
  const changeCounter = view.getUint32(24);
  const pageCount = view.getUint32(28);
  const validFor = view.getUint32(92);
  if (pageCount > 0 && changeCounter === validFor && fileSize < pageCount * pageSize) {
    return {
      ok: false,
      reason: "truncated",
      detail: `file is truncated: ${fileSize} bytes, header announces ${pageCount * pageSize}`,
    };
  }
  if (fileSize % pageSize !== 0) {
    return {
      ok: false,
      reason: "truncated",
      detail:
        `file is truncated: ${fileSize} bytes is not a whole number of ${pageSize}-byte pages`,
    };
  }
  // Bytes 18 and 19 (file format write/read versions) are 2 in WAL journal mode.
  const walMode = head[18] === 2 || head[19] === 2;
  return { ok: true, pageSize, pageCount, walMode };
}
