/**
 * JSON shapes of the history (the `history` section of `manifest.json` and `history --json`;
 * see docs/manifest.md). Pure: index, contents and an author lookup in, plain objects out.
 */
import type { AuthorInfo } from "../realm/realm.ts";
import { describeAuthor } from "../extract/report_parts.ts";
import type { VersionContent, VersionContents } from "../extract/write_versions.ts";
import { compareNames } from "../extract/tree.ts";
import { formatMicros } from "../util/time.ts";
import { statusAt, versionPaths } from "./entry_status.ts";
import type { EntryHistory, HistoryIndex } from "./history_index.ts";
import type { Removal } from "./paths_over_time.ts";
import type { VersionRecord } from "./version_record.ts";

type Author = (deviceId: string) => AuthorInfo;

const time = (us: number | null) => (us === null ? null : formatMicros(us));

/** One entry: status at `at`, paths over time, removal and every version. */
export function describeEntryHistory(
  entry: EntryHistory,
  at: number,
  author: Author,
  contents: VersionContents,
  allReadable: boolean,
) {
  const { status, removal } = statusAt(entry, at, allReadable);
  const paths = versionPaths(entry);
  return {
    entry_id: entry.entryId,
    inode: entry.inode,
    type: entry.kind ?? "unknown",
    status,
    deleted: removal && status === "deleted" ? describeRemoval(removal, author) : null,
    not_visible: removal && status !== "deleted" ? describeRemoval(removal, author) : null,
    paths: entry.paths.map((p) => ({ from: formatMicros(p.from), to: time(p.to), path: p.path })),
    versions: entry.versions.map((v, i) => ({
      ...describeVersionRecord(v, author, contents.get(v.seq)),
      name: paths[i]!.name,
      path_at_upload: paths[i]!.atUpload,
      paths_while_visible: paths[i]!.whileVisible,
    })),
  };
}

/** When, by whom, from which folder and under which name an entry was removed. */
function describeRemoval(r: Removal, author: Author) {
  return {
    at: formatMicros(r.at),
    cause: r.cause,
    last_path: r.lastPath,
    from_folder_id: r.parentId,
    from_folder_path: r.parentPath,
    name: r.name,
    by: r.by ? describeAuthor(author(r.by.author)) : null,
    by_entry_id: r.by?.entryId ?? null,
    by_version: r.by?.version ?? null,
  };
}

function describeVersionRecord(
  v: VersionRecord,
  author: Author,
  content: VersionContent | undefined,
) {
  let status: string = v.problem ? "unreadable" : "ok";
  if (content) status = content.status;
  return {
    version: v.version,
    sequential_id: v.seq,
    upload_timestamp: formatMicros(v.timestamp),
    key_index: v.keyIndex,
    author: describeAuthor(author(v.author)),
    type: v.kind ?? "unknown",
    status,
    error: v.problem?.code ?? null,
    reason: v.problem?.reason ?? null,
    detail: v.problem?.detail ?? content?.writeError ?? null,
    created: time(v.created),
    updated: time(v.updated),
    parent_id: v.parent,
    size: content?.size ?? v.size,
    sha256: content?.sha256 ?? null,
    output_path: content?.outputPath ?? null,
    block_problems: (content?.blockProblems ?? []).map((b) => ({
      code: b.code,
      block_id: b.blockId,
      detail: b.detail,
    })),
    children: v.children
      ? [...v.children].sort(([a], [b]) => compareNames(a, b))
        .map(([name, entryId]) => ({ name, entry_id: entryId }))
      : null,
  };
}

/** Counts of the history section. */
export function historySummary(index: HistoryIndex, at: number, contents: VersionContents) {
  const counts = { present: 0, deleted: 0, shadowed: 0, later: 0, orphaned: 0, unknown: 0 };
  for (const e of index.entries.values()) counts[statusAt(e, at, index.allReadable).status]++;
  let bytes = 0;
  let written = 0;
  for (const c of contents.values()) {
    if (c.outputPath !== null) written++;
    bytes += c.size ?? 0;
  }
  return {
    entries: index.entries.size,
    ...counts,
    versions: index.ordered.length,
    unreadable_versions: index.ordered.filter((v) => v.problem !== null).length,
    file_versions_written: written,
    bytes,
  };
}
