/** The `info` row of an export (spec §2.1, §6.1): magic, format version, flags, validated. */
import type { DatabaseSync } from "node:sqlite";
import { ExportOpenError } from "../errors.ts";
import { toHex } from "../util/bytes.ts";

type Row = Record<string, unknown>;

export const EXPORT_MAGIC = 87948;
export const EXPORT_FORMAT_VERSION = 1;

/** The four resumable-export step flags (spec §2.1). */
export interface CompletenessFlags {
  readonly certificatesExportDone: boolean;
  readonly vlobsExportDone: boolean;
  readonly blocksMetadataExportDone: boolean;
  readonly blocksDataExportDone: boolean;
}

/** The validated `info` row. */
export interface ExportInfo {
  readonly organizationId: string;
  readonly realmId: string;
  readonly rootVerifyKey: Uint8Array;
  readonly snapshotTimestamp: number;
  readonly vlobsTotalBytes: number;
  readonly blocksTotalBytes: number;
  readonly flags: CompletenessFlags;
  readonly complete: boolean;
}

/** Reads and validates the info row; `ExportOpenError` when the file is not a usable export. */
export function readInfo(db: DatabaseSync, path: string): ExportInfo {
  const infoColumns = new Set(
    (db.prepare("PRAGMA table_info(info)").all() as Row[]).map((r) => String(r.name)),
  );
  if (!infoColumns.has("magic") || !infoColumns.has("version")) {
    throw new ExportOpenError(
      "invalid_database",
      path,
      infoColumns.size === 0
        ? "not a Parsec realm export (no info table)"
        : "not a Parsec realm export (its info table has no magic/version columns)",
    );
  }
  const infoQuery = db.prepare("SELECT * FROM info WHERE magic = ?");
  infoQuery.setReadBigInts(true);
  const raw = infoQuery.get(EXPORT_MAGIC) as Row | undefined;
  const r = raw && Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, typeof v === "bigint" ? safeNumber(v) : v]),
  );
  if (!r) {
    throw new ExportOpenError(
      "invalid_database",
      path,
      `not a Parsec realm export (no info row with magic ${EXPORT_MAGIC})`,
    );
  }
  if (r.version !== EXPORT_FORMAT_VERSION) {
    throw new ExportOpenError(
      "unsupported_version",
      path,
      `unsupported export format version ${String(r.version)} (sequex reads version 1)`,
    );
  }
  const bad = (what: string): never => {
    throw new ExportOpenError("invalid_database", path, `invalid info row: ${what}`);
  };
  const realmId = r.realm_id instanceof Uint8Array && r.realm_id.length === 16
    ? toHex(r.realm_id)
    : bad("realm_id is not 16 bytes");
  const rootVerifyKey = r.root_verify_key instanceof Uint8Array && r.root_verify_key.length === 32
    ? new Uint8Array(r.root_verify_key)
    : bad("root_verify_key is not 32 bytes");
  if (typeof r.organization_id !== "string") bad("organization_id is not text");
  const flag = (name: string): boolean => {
    const v = r[name];
    if (v !== 0 && v !== 1) bad(`${name} is ${String(v)}, not 0 or 1`);
    return v === 1;
  };
  const int = (name: string): number => {
    const v = r[name];
    return typeof v === "number" && Number.isSafeInteger(v)
      ? v
      : bad(`${name} is not an integer within ±2^53`);
  };
  const flags: CompletenessFlags = {
    certificatesExportDone: flag("certificates_export_done"),
    vlobsExportDone: flag("vlobs_export_done"),
    blocksMetadataExportDone: flag("blocks_metadata_export_done"),
    blocksDataExportDone: flag("blocks_data_export_done"),
  };
  return {
    organizationId: r.organization_id as string,
    realmId,
    rootVerifyKey,
    snapshotTimestamp: int("snapshot_timestamp"),
    vlobsTotalBytes: int("vlobs_total_bytes"),
    blocksTotalBytes: int("blocks_total_bytes"),
    flags,
    complete: Object.values(flags).every(Boolean),
  };
}

/** A 64-bit SQLite integer as a number, or `NaN` when it does not fit exactly. */
function safeNumber(v: bigint): number {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(v)
    : NaN;
}
