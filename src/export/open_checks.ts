/**
 * Checks made when opening an export: whether SQLite must read a private copy (so nothing is
 * written beside the evidence), and whether every table and column sequex reads exists.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import type { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { ExportOpenError } from "../errors.ts";

type Row = Record<string, unknown>;

/** Working copies not yet removed, so an interrupted run can still remove them. */
const liveWorkingCopies = new Set<string>();

/** A new private folder for a working copy (removed by `removeWorkingCopy`). */
export function makeWorkingCopyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sequex-export-"));
  liveWorkingCopies.add(dir);
  return dir;
}

/** Removes one working copy folder. */
export function removeWorkingCopy(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveWorkingCopies.delete(dir);
}

/** Removes every working copy still present (on Ctrl-C or termination). */
export function removeAllWorkingCopies(): void {
  for (const dir of [...liveWorkingCopies]) removeWorkingCopy(dir);
}

/**
 * SQLite would write beside the evidence to read a WAL-mode database (`-wal`, `-shm`) or to roll
 * back a hot `-journal`: such exports are read from a private copy, and the reason is reported.
 */
export function needsWorkingCopy(path: string, walMode: boolean): string | null {
  if (walMode) {
    return "the export is in WAL journal mode; it was read from a private copy " +
      "(with its -wal file, if any) so that nothing is written beside it";
  }
  if (existsSync(`${path}-journal`)) {
    return "a -journal file lies beside the export (an unfinished write); the export was read " +
      "from a private copy where SQLite rolled that write back";
  }
  return null;
}

/** Copies the export (and its -wal/-journal) into `dir`; returns the copy's path. */
export function copyWithSidecars(path: string, dir: string): string {
  const target = join(dir, "export.sqlite");
  copyFileSync(path, target);
  for (const suffix of ["-wal", "-journal"]) {
    if (existsSync(path + suffix)) copyFileSync(path + suffix, target + suffix);
  }
  return target;
}

/** Every table sequex reads, with the columns it reads, in the exporter's creation order. */
export const REQUIRED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  common_certificate: ["_id", "certificate"],
  sequester_certificate: ["_id", "certificate"],
  realm_certificate: ["_id", "certificate"],
  realm_keys_bundle: ["key_index", "keys_bundle"],
  realm_keys_bundle_access: ["_id", "user_id", "key_index", "access"],
  realm_sequester_keys_bundle_access: ["_id", "sequester_service_id", "key_index", "access"],
  vlob_atom: [
    "sequential_id",
    "vlob_id",
    "version",
    "key_index",
    "blob",
    "size",
    "author",
    "timestamp",
  ],
  block: ["sequential_id", "block_id", "author", "size", "key_index"],
  block_data: ["block", "data"],
};

/** Every table and column sequex reads must exist (else: one clear line, not a failure later). */
export function checkSchema(db: DatabaseSync, path: string): void {
  for (const [table, columns] of Object.entries(REQUIRED_COLUMNS)) {
    const present = new Set(
      (db.prepare(`PRAGMA table_info(${table})`).all() as Row[]).map((r) => String(r.name)),
    );
    if (present.size === 0) {
      throw new ExportOpenError("invalid_database", path, `invalid export: no table ${table}`);
    }
    const missing = columns.filter((c) => !present.has(c));
    if (missing.length > 0) {
      throw new ExportOpenError(
        "invalid_database",
        path,
        `invalid export: table ${table} has no column ${missing.join(", ")}`,
      );
    }
  }
}
