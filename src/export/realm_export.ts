/**
 * A realm export opened strictly read-only (spec §1, §2, §6.1): the validated `info` row and
 * typed row readers. Nothing here decrypts; SQLite errors become `ExportOpenError`s.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { ExportOpenError } from "../errors.ts";
import { toHex } from "../util/bytes.ts";
import { checkSqliteHeader } from "./sqlite_header.ts";
import { type ExportInfo, readInfo } from "./info_row.ts";
import {
  checkSchema,
  copyWithSidecars,
  makeWorkingCopyDir,
  needsWorkingCopy,
  removeWorkingCopy,
  REQUIRED_COLUMNS,
} from "./open_checks.ts";

export {
  type CompletenessFlags,
  EXPORT_FORMAT_VERSION,
  EXPORT_MAGIC,
  type ExportInfo,
} from "./info_row.ts";

/** A certificate table row. */
export interface CertificateRow {
  readonly rowId: number;
  readonly certificate: Uint8Array;
}

/** A `realm_keys_bundle_access` or `realm_sequester_keys_bundle_access` row. */
export interface AccessRow {
  readonly rowId: number;
  /** User id or sequester service id, hex. */
  readonly ownerId: string;
  readonly keyIndex: number;
  readonly access: Uint8Array;
}

/** A `vlob_atom` row. */
export interface VlobAtomRow {
  readonly sequentialId: number;
  readonly vlobId: string;
  readonly version: number;
  readonly keyIndex: number;
  readonly blob: Uint8Array;
  readonly size: number;
  readonly author: string;
  readonly timestamp: number;
}

/** A `block` row joined with its `block_data` (`data` is `null` when the data row is absent). */
export interface BlockRow {
  readonly sequentialId: number;
  readonly blockId: string;
  readonly author: string;
  readonly size: number;
  readonly keyIndex: number;
  readonly data: Uint8Array | null;
}

/** Row counts and byte sums used by `info`'s consistency checks. */
export interface ExportStatistics {
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly vlobAtomSizeSum: number;
  readonly blockSizeSum: number;
  readonly blockDataRows: number;
  readonly blocksWithoutData: number;
  readonly firstVlobTimestamp: number | null;
  readonly lastVlobTimestamp: number | null;
}

/** The tables sequex reads (every one is checked at open), counted by `statistics()`. */
const TABLES = Object.keys(REQUIRED_COLUMNS);

type Row = Record<string, unknown>;

/** A realm export file, open read-only. Close it with `close()`. */
export class RealmExport {
  private readonly statements = new Map<string, StatementSync>();

  private constructor(
    readonly path: string,
    readonly fileSize: number,
    private readonly db: DatabaseSync,
    readonly info: ExportInfo,
    /** Why SQLite reads a private copy rather than the file itself (`null`: read in place). */
    readonly workingCopyReason: string | null,
    private readonly workingCopyDir: string | null,
  ) {}

  /** Opens and validates an export; throws `ExportOpenError` with a one-line reason. */
  static open(path: string): RealmExport {
    let fileSize: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new Error("not a regular file");
      fileSize = stat.size;
    } catch (e) {
      throw new ExportOpenError("cannot_open_database", path, describeFsError(e));
    }
    const header = checkSqliteHeader(readHead(path), fileSize);
    if (!header.ok) {
      const code = header.reason === "truncated" ? "truncated_database" : "invalid_database";
      throw new ExportOpenError(code, path, header.detail);
    }
    const copy = needsWorkingCopy(path, header.walMode);
    let db: DatabaseSync;
    let workingDir: string | null = null;
    try {
      if (copy) {
        workingDir = makeWorkingCopyDir();
        db = new DatabaseSync(copyWithSidecars(path, workingDir));
      } else {
        db = new DatabaseSync(path, { readOnly: true });
      }
    } catch (e) {
      if (workingDir) removeWorkingCopy(workingDir);
      throw new ExportOpenError("cannot_open_database", path, (e as Error).message);
    }
    try {
      const info = readInfo(db, path);
      checkSchema(db, path);
      return new RealmExport(path, fileSize, db, info, copy, workingDir);
    } catch (e) {
      db.close();
      if (workingDir) removeWorkingCopy(workingDir);
      if (e instanceof ExportOpenError) throw e;
      throw new ExportOpenError("corrupted_database", path, (e as Error).message);
    }
  }

  close(): void {
    this.db.close();
    if (this.workingCopyDir) removeWorkingCopy(this.workingCopyDir);
  }

  private stmt(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private rows<T>(sql: string, map: (r: Row) => T, ...params: (number | Uint8Array)[]): T[] {
    return this.guard(() => (this.stmt(sql).all(...params) as Row[]).map(map));
  }

  private row<T>(
    sql: string,
    map: (r: Row) => T,
    ...params: (number | Uint8Array)[]
  ): T | undefined {
    return this.guard(() => {
      const r = this.stmt(sql).get(...params) as Row | undefined;
      return r === undefined ? undefined : map(r);
    });
  }

  /** Runs a read, turning an SQLite failure (corrupted page…) into an `ExportOpenError`. */
  private guard<T>(read: () => T): T {
    try {
      return read();
    } catch (e) {
      throw new ExportOpenError("corrupted_database", this.path, (e as Error).message);
    }
  }

  /** Rows of a certificate table, by `_id`. */
  certificates(
    table: "common_certificate" | "sequester_certificate" | "realm_certificate",
  ): CertificateRow[] {
    return this.rows(`SELECT _id, certificate FROM ${table} ORDER BY _id`, (r) => ({
      rowId: num(r._id),
      certificate: bytes(r.certificate),
    }));
  }

  /** The encrypted keys bundle of `keyIndex`, if the row exists. */
  keysBundle(keyIndex: number): Uint8Array | undefined {
    return this.row(
      "SELECT keys_bundle FROM realm_keys_bundle WHERE key_index = ?",
      (r) => bytes(r.keys_bundle),
      keyIndex,
    );
  }

  /** Users' access rows for `keyIndex`, by `_id`. */
  userAccesses(keyIndex: number): AccessRow[] {
    return this.rows(
      "SELECT _id, user_id AS owner, key_index, access FROM realm_keys_bundle_access " +
        "WHERE key_index = ? ORDER BY _id",
      accessRow,
      keyIndex,
    );
  }

  /** Sequester services' access rows for `keyIndex`, by `_id`. */
  sequesterAccesses(keyIndex: number): AccessRow[] {
    return this.rows(
      "SELECT _id, sequester_service_id AS owner, key_index, access " +
        "FROM realm_sequester_keys_bundle_access WHERE key_index = ? ORDER BY _id",
      accessRow,
      keyIndex,
    );
  }

  /** The version of `vlobId` visible at `at` µs (latest timestamp ≤ at), if any (spec §6.9). */
  vlobAt(vlobId: Uint8Array, at: number): VlobAtomRow | undefined {
    return this.row(
      "SELECT * FROM vlob_atom WHERE vlob_id = ? AND timestamp <= ? " +
        "ORDER BY timestamp DESC, sequential_id DESC LIMIT 1",
      vlobRow,
      vlobId,
      at,
    );
  }

  /** Every version of `vlobId`, oldest first. */
  vlobVersions(vlobId: Uint8Array): VlobAtomRow[] {
    return this.rows(
      "SELECT * FROM vlob_atom WHERE vlob_id = ? ORDER BY timestamp, sequential_id",
      vlobRow,
      vlobId,
    );
  }

  /** Every vlob atom in `sequential_id` order, streamed. */
  *allVlobs(): Generator<VlobAtomRow> {
    const it = this.guard(() =>
      this.stmt("SELECT * FROM vlob_atom ORDER BY sequential_id").iterate()
    );
    while (true) {
      const next = this.guard(() => it.next());
      if (next.done) return;
      yield this.guard(() => vlobRow(next.value as Row));
    }
  }

  /** The block row of `blockId` with its data, if the row exists. */
  block(blockId: Uint8Array): BlockRow | undefined {
    return this.row(
      "SELECT block.sequential_id, block.block_id, block.author, block.size, block.key_index, " +
        "block_data.data FROM block LEFT JOIN block_data ON block_data.block = block.sequential_id " +
        "WHERE block.block_id = ?",
      (r) => ({
        sequentialId: num(r.sequential_id),
        blockId: toHex(bytes(r.block_id)),
        author: toHex(bytes(r.author)),
        size: num(r.size),
        keyIndex: num(r.key_index),
        data: r.data === null ? null : bytes(r.data),
      }),
      blockId,
    );
  }

  /** Row counts, byte sums and the history's time range. */
  statistics(): ExportStatistics {
    const rowCounts: Record<string, number> = {};
    for (const t of TABLES) {
      rowCounts[t] = this.row(`SELECT count(*) AS n FROM ${t}`, (r) => num(r.n))!;
    }
    const v = this.row(
      "SELECT coalesce(sum(size), 0) AS s, min(timestamp) AS lo, max(timestamp) AS hi FROM vlob_atom",
      (r) => r,
    )!;
    const b = this.row(
      "SELECT coalesce(sum(size), 0) AS s, count(block_data.block) AS d, " +
        "sum(block_data.block IS NULL) AS missing FROM block " +
        "LEFT JOIN block_data ON block_data.block = block.sequential_id",
      (r) => r,
    )!;
    return {
      rowCounts,
      vlobAtomSizeSum: num(v.s),
      blockSizeSum: num(b.s),
      blockDataRows: num(b.d),
      blocksWithoutData: b.missing === null ? 0 : num(b.missing),
      firstVlobTimestamp: v.lo === null ? null : num(v.lo),
      lastVlobTimestamp: v.hi === null ? null : num(v.hi),
    };
  }
}

function readHead(path: string): Uint8Array {
  const head = new Uint8Array(100);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const n = readSync(fd, head, 0, 100, 0);
    return head.subarray(0, n);
  } catch (e) {
    throw new ExportOpenError("cannot_open_database", path, describeFsError(e));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function describeFsError(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err.code === "ENOENT") return "no such file";
  if (err.code === "EACCES") return "permission denied";
  if (err.code === "EISDIR") return "is a folder, not a file";
  return err.message ?? String(e);
}

function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  throw new TypeError(`expected an integer column, found ${typeof v}`);
}

function bytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  throw new TypeError(`expected a BLOB column, found ${v === null ? "NULL" : typeof v}`);
}

function accessRow(r: Row): AccessRow {
  return {
    rowId: num(r._id),
    ownerId: toHex(bytes(r.owner)),
    keyIndex: num(r.key_index),
    access: bytes(r.access),
  };
}

function vlobRow(r: Row): VlobAtomRow {
  return {
    sequentialId: num(r.sequential_id),
    vlobId: toHex(bytes(r.vlob_id)),
    version: num(r.version),
    keyIndex: num(r.key_index),
    blob: bytes(r.blob),
    size: num(r.size),
    author: toHex(bytes(r.author)),
    timestamp: num(r.timestamp),
  };
}
