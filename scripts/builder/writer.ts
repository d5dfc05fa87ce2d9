/**
 * Writes a plan as a Parsec realm export SQLite file with node:sqlite. Streaming: blocks are
 * generated, encrypted and inserted one at a time, in transactions of bounded size.
 */
import { DatabaseSync } from "node:sqlite";
import type { Plan } from "./plan.ts";
import {
  blockRow,
  keysBundleRow,
  sequesterRow,
  serviceAccessRow,
  signedRow,
  userAccessRow,
  vlobRow,
} from "./rows.ts";
import { noteGenerated, ROW_WEIGHT } from "./memory.ts";
import { EXPORT_MAGIC, EXPORT_SCHEMA, EXPORT_VERSION } from "./schema.ts";

/** Totals of a written export. */
export interface WriteResult {
  /** The four `info` step flags as written. */
  readonly certificatesExportDone: boolean;
  readonly vlobsExportDone: boolean;
  readonly blocksMetadataExportDone: boolean;
  /** False when a step is `incomplete` or a `data_missing` block left `block_data` rows out. */
  readonly blocksDataExportDone: boolean;
  readonly vlobsTotalBytes: number;
  readonly blocksTotalBytes: number;
  readonly rowCounts: Readonly<Record<string, number>>;
}

/** Options of `writeExport`. */
export interface WriteOptions {
  /** Commit after this many bytes of rows (default 16 MiB). */
  batchBytes?: number;
}

function removeIfExists(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** Writes `plan` to `outPath` (replacing any file there) and returns the totals. */
export function writeExport(plan: Plan, outPath: string, options: WriteOptions = {}): WriteResult {
  removeIfExists(outPath);
  removeIfExists(`${outPath}-journal`);
  const batchBytes = options.batchBytes ?? 16 * 1024 * 1024;
  const db = new DatabaseSync(outPath);
  const counts: Record<string, number> = {};
  const count = (table: string) => (counts[table] = (counts[table] ?? 0) + 1);
  try {
    db.exec("PRAGMA journal_mode = DELETE");
    for (const ddl of EXPORT_SCHEMA) db.exec(ddl);
    db.prepare(
      `INSERT INTO info (magic, version, organization_id, realm_id, root_verify_key,
        snapshot_timestamp, vlobs_total_bytes, blocks_total_bytes)
       VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
    ).run(
      EXPORT_MAGIC,
      EXPORT_VERSION,
      plan.organizationId,
      plan.realmId,
      plan.root.verifyKey,
      plan.snapshotTime,
    );

    db.exec("BEGIN");
    const cert = (table: string, rows: Uint8Array[]) => {
      const insert = db.prepare(`INSERT INTO ${table} (_id, certificate) VALUES (?, ?)`);
      rows.forEach((row, id) => {
        insert.run(id, row);
        count(table);
      });
    };
    cert("common_certificate", plan.commonCertificates.map(signedRow));
    cert(
      "sequester_certificate",
      plan.sequesterCertificates.map((c, i) => sequesterRow(plan, c, i)),
    );
    cert("realm_certificate", plan.realmCertificates.map(signedRow));
    const bundle = db.prepare(
      "INSERT INTO realm_keys_bundle (key_index, keys_bundle) VALUES (?, ?)",
    );
    for (const b of plan.keysBundles) {
      bundle.run(b.keyIndex, keysBundleRow(plan, b));
      count("realm_keys_bundle");
    }
    const userAccess = db.prepare(
      "INSERT INTO realm_keys_bundle_access (_id, user_id, key_index, access) VALUES (?, ?, ?, ?)",
    );
    plan.userAccesses.forEach((a, id) => {
      userAccess.run(id, a.user.id, a.keyIndex, userAccessRow(plan, a, id));
      count("realm_keys_bundle_access");
    });
    const serviceAccess = db.prepare(
      `INSERT INTO realm_sequester_keys_bundle_access (_id, sequester_service_id, key_index, access)
       VALUES (?, ?, ?, ?)`,
    );
    plan.serviceAccesses.forEach((a, id) => {
      serviceAccess.run(id, a.service.id, a.keyIndex, serviceAccessRow(plan, a, id));
      count("realm_sequester_keys_bundle_access");
    });
    const done = (step: (typeof plan.incomplete)[number]) => !plan.incomplete.includes(step);
    if (done("certificates")) db.exec("UPDATE info SET certificates_export_done = 1");
    db.exec("COMMIT");

    const insertVlob = db.prepare(
      `INSERT INTO vlob_atom (sequential_id, vlob_id, version, key_index, blob, size, author, timestamp)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertBlock = db.prepare(
      "INSERT INTO block (sequential_id, block_id, author, size, key_index) VALUES (?, ?, ?, ?, ?)",
    );
    const insertBlockData = db.prepare("INSERT INTO block_data (block, data) VALUES (?, ?)");
    let vlobsTotalBytes = 0;
    let blocksTotalBytes = 0;
    let blocksDataExportDone = true;
    let pending = 0;
    db.exec("BEGIN");
    const write = (upload: Plan["uploads"][number]) => {
      if (upload.kind === "block") {
        const b = upload.block;
        const data = blockRow(plan, b);
        if (b.fault !== "row_missing") {
          insertBlock.run(b.seq, b.id, b.author.id, data.length, b.keyIndex);
          count("block");
          if (b.fault !== "data_missing") {
            insertBlockData.run(b.seq, data);
            count("block_data");
          } else blocksDataExportDone = false;
          blocksTotalBytes += data.length;
        }
        pending += data.length;
        noteGenerated(data.length + ROW_WEIGHT);
      } else {
        const a = upload.atom;
        const blob = vlobRow(plan, a);
        a.blobSize = blob.length;
        insertVlob.run(
          a.seq,
          a.vlobId,
          a.version,
          a.keyIndex,
          blob,
          blob.length,
          a.author.id,
          a.timestamp,
        );
        count("vlob_atom");
        vlobsTotalBytes += blob.length;
        pending += blob.length;
        noteGenerated(blob.length + ROW_WEIGHT);
      }
      if (pending >= batchBytes) {
        db.exec("COMMIT");
        db.exec("BEGIN");
        pending = 0;
      }
    };
    if (plan.replayUploads !== null) plan.replayUploads(write);
    else for (const upload of plan.uploads) write(upload);
    if (!done("blocks_data")) blocksDataExportDone = false;
    const flags = {
      certificatesExportDone: done("certificates"),
      vlobsExportDone: done("vlobs"),
      blocksMetadataExportDone: done("blocks_metadata"),
      blocksDataExportDone,
    };
    db.prepare(
      `UPDATE info SET vlobs_total_bytes = ?, blocks_total_bytes = ?, vlobs_export_done = ?,
        blocks_metadata_export_done = ?, blocks_data_export_done = ?`,
    ).run(
      vlobsTotalBytes,
      blocksTotalBytes,
      flags.vlobsExportDone ? 1 : 0,
      flags.blocksMetadataExportDone ? 1 : 0,
      blocksDataExportDone ? 1 : 0,
    );
    db.exec("COMMIT");
    return { ...flags, vlobsTotalBytes, blocksTotalBytes, rowCounts: counts };
  } finally {
    db.close();
  }
}
