/** The `manifest.json` document of an extraction (schema in docs/manifest.md). */
import type { Realm } from "../realm/realm.ts";
import { TOOL_NAME, TOOL_VERSION } from "../version.ts";
import { formatMicros } from "../util/time.ts";
import {
  describeDecryptor,
  describeExportInfo,
  describeKeys,
  describeTreeProblem,
  describeVersion,
} from "./report_parts.ts";
import { pathText, type TreeSnapshot } from "./tree.ts";
import type { WrittenEntry } from "./write_snapshot.ts";

const MANIFEST_SCHEMA = "sequex-manifest/1";

/** Facts about the run gathered by the command. */
export interface RunFacts {
  readonly command: readonly string[];
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly exportFile: string;
  readonly exportSize: number;
  readonly sha256Before: string;
  readonly sha256After: string;
}

/** Builds the manifest document. */
export function buildManifestReport(
  realm: Realm,
  tree: TreeSnapshot,
  written: readonly WrittenEntry[],
  run: RunFacts,
  history: unknown = null,
) {
  const entries = written.map((w) => entryJson(realm, w));
  const problems = written.flatMap((w) => problemsOf(w));
  const count = (pred: (w: WrittenEntry) => boolean) => written.filter(pred).length;
  const isFolder = (w: WrittenEntry) =>
    w.node.version.ok && w.node.version.manifest.type === "folder_manifest";
  return {
    schema: MANIFEST_SCHEMA,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    command: run.command,
    started_at: formatMicros(run.startedAt),
    finished_at: formatMicros(run.finishedAt),
    export: {
      file: run.exportFile,
      size: run.exportSize,
      sha256_before: run.sha256Before,
      sha256_after: run.sha256After,
      unchanged: run.sha256Before === run.sha256After,
      working_copy: realm.exp.workingCopyReason,
      ...describeExportInfo(realm.exp.info),
      workspace_name: realm.name,
    },
    decryptors: realm.decryptors.map(describeDecryptor),
    at: formatMicros(tree.at),
    at_us: tree.at,
    root_status: tree.rootStatus,
    keys: describeKeys(realm.keys),
    certificate_problems: realm.trust.problems.map((p) => ({
      table: p.table,
      row_id: p.rowId,
      reason: p.reason,
    })),
    entries,
    problems,
    skipped_children: tree.problems.map(describeTreeProblem),
    history,
    summary: {
      folders: count((w) => isFolder(w) && w.status === "ok"),
      files: count((w) => !isFolder(w) && (w.status === "ok" || w.status === "partial")),
      bytes: written.reduce((n, w) => n + (w.size ?? 0), 0),
      unreadable: count((w) => w.status === "unreadable"),
      partial: count((w) => w.status === "partial"),
      write_failed: count((w) => w.status === "write_failed"),
      problems: problems.length,
      skipped_children: tree.problems.length,
    },
  };
}

function entryType(w: WrittenEntry): "folder" | "file" | "unknown" {
  if (!w.node.version.ok) return "unknown";
  return w.node.version.manifest.type === "folder_manifest" ? "folder" : "file";
}

function entryJson(realm: Realm, w: WrittenEntry) {
  const v = w.node.version;
  return {
    path: pathText(w.node.names),
    output_path: w.outputPath,
    type: entryType(w),
    ...describeVersion(realm, v),
    size: w.size,
    sha256: w.sha256,
    status: w.status,
  };
}

function problemsOf(w: WrittenEntry) {
  const v = w.node.version;
  const base = {
    path: pathText(w.node.names),
    entry_id: v.row.vlobId,
    version: v.row.version,
  };
  const out = [];
  if (!v.ok) {
    out.push({
      ...base,
      code: v.problem.code,
      reason: v.problem.reason,
      detail: v.problem.detail,
      block_id: null,
    });
  }
  for (const b of w.blockProblems) {
    out.push({ ...base, code: b.code, reason: null, detail: b.detail, block_id: b.blockId });
  }
  if (w.writeError !== null) {
    out.push({
      ...base,
      code: "write_failed",
      reason: null,
      detail: w.writeError,
      block_id: null,
    });
  }
  return out;
}
