/**
 * Every event of a realm in time order: entry creation and modification (version uploads),
 * renames, moves, deletions and restorations (placement changes), key rotations, sharing changes
 * (realm role certificates), sequester service creation and revocation. Pure.
 */
import type { Trust } from "../trust/trust.ts";
import { versionPaths } from "./entry_status.ts";
import type { EntryHistory, HistoryIndex } from "./history_index.ts";
import type { Placement, PlacementChange } from "./paths_over_time.ts";
import type { VersionRecord } from "./version_record.ts";

export type TimelineEventKind =
  | "create"
  | "modify"
  | "rename"
  | "move"
  | "delete"
  | "hidden"
  | "restore"
  | "link"
  | "unlink"
  | "key_rotation"
  | "role_change"
  | "service_created"
  | "service_revoked";

/** One line of the timeline. */
export interface TimelineEvent {
  readonly at: number;
  readonly kind: TimelineEventKind;
  /** The entry concerned (`null` for realm-wide events). */
  readonly entryId: string | null;
  /** `EntryHistory.inode` (0 for realm-wide events). */
  readonly inode: number;
  readonly entryType: "folder" | "file" | "unknown" | null;
  /** Path after the event (before it for `delete`/`unlink`). */
  readonly path: string | null;
  /** Path before a rename, move or unlink. */
  readonly oldPath: string | null;
  readonly version: number | null;
  /** File size of the version (create/modify). */
  readonly size: number | null;
  /** Device id of whoever did it, if known. */
  readonly author: string | null;
  /** Extra facts in words (error code, role, key index, cause…). */
  readonly detail: string;
}

/** Builds the timeline of `index` and `trust`, sorted by time (stable). */
export function buildTimeline(
  index: HistoryIndex,
  trust: Trust,
  userLabel: (userId: string) => string,
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const entry of index.entries.values()) events.push(...versionEvents(entry));
  const seenRemoval = new Set<string>();
  for (const change of index.changes) {
    const entry = index.entries.get(change.entryId);
    if (!entry) continue;
    events.push(...placementEvents(index, entry, change, seenRemoval.has(change.entryId)));
    if (change.removal) seenRemoval.add(change.entryId);
  }
  const realm = { entryId: null, inode: 0, entryType: null, oldPath: null, version: null };
  const none = { ...realm, path: null, size: null };
  for (const r of trust.rotations) {
    events.push({
      ...none,
      at: r.timestamp,
      kind: "key_rotation",
      author: r.author,
      detail: `key index ${r.keyIndex}`,
    });
  }
  for (const r of trust.roles) {
    events.push({
      ...none,
      at: r.timestamp,
      kind: "role_change",
      author: r.author,
      detail: `${userLabel(r.userId)}: ${r.role ?? "access removed"}`,
    });
  }
  for (const s of trust.services.values()) {
    const detail = `sequester service "${s.label}" (${s.serviceId})`;
    events.push({ ...none, at: s.createdOn, kind: "service_created", author: null, detail });
    if (s.revokedOn !== null) {
      events.push({ ...none, at: s.revokedOn, kind: "service_revoked", author: null, detail });
    }
  }
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map((x) =>
    x.e
  );
}

function entryType(entry: EntryHistory): "folder" | "file" | "unknown" {
  return entry.kind ?? "unknown";
}

function versionEvents(entry: EntryHistory): TimelineEvent[] {
  const paths = versionPaths(entry);
  return entry.versions.map((v, i): TimelineEvent => ({
    at: v.timestamp,
    kind: i === 0 ? "create" : "modify",
    entryId: entry.entryId,
    inode: entry.inode,
    entryType: v.kind ?? "unknown",
    path: paths[i]!.atUpload[0] ?? paths[i]!.whileVisible[0] ?? null,
    oldPath: null,
    version: v.version,
    size: v.size,
    author: v.author,
    detail: v.problem
      ? `version ${v.version} unreadable: ${v.problem.code}${
        v.problem.reason ? `/${v.problem.reason}` : ""
      }`
      : v.kind === "folder"
      ? `version ${v.version}, ${v.children!.size} children`
      : `version ${v.version}`,
  }));
}

/** The version of `entryId` uploaded exactly at `at`, if any. */
function uploadedAt(index: HistoryIndex, entryId: string | null, at: number) {
  if (entryId === null) return undefined;
  return index.entries.get(entryId)?.versions.find((v) => v.timestamp === at);
}

function linkKey(p: Placement): string {
  return `${p.parentId}/${p.name}`;
}

function placementEvents(
  index: HistoryIndex,
  entry: EntryHistory,
  change: PlacementChange,
  removedBefore: boolean,
): TimelineEvent[] {
  const base = {
    at: change.at,
    entryId: entry.entryId,
    inode: entry.inode,
    entryType: entryType(entry),
    version: null,
    size: null,
  };
  if (change.removal) {
    const r = change.removal;
    // Only a readable folder version dropping the name proves a deletion; a folder that cannot be
    // read, or a name collision, only hides the entry.
    const proven = !["parent_unreadable", "ancestor_unreadable", "name_collision"].includes(
      r.cause,
    );
    return [{
      ...base,
      kind: proven ? "delete" : "hidden",
      path: r.lastPath,
      oldPath: null,
      author: proven ? r.by?.author ?? null : null,
      detail: `${r.cause}${r.by ? ` by ${r.by.entryId} v${r.by.version}` : ""}`,
    }];
  }
  if (change.before.length === 0) {
    if (!removedBefore) return []; // first appearance: the create event covers it
    const who = authorOf(index, change.at, [change.after[0]!.parentId, entry.entryId]);
    return [{
      ...base,
      kind: "restore",
      path: change.after[0]!.path,
      oldPath: null,
      author: who?.author ?? null,
      detail: "reachable again",
    }];
  }
  const afterKeys = new Set(change.after.map(linkKey));
  const beforeKeys = new Set(change.before.map(linkKey));
  const removed = change.before.filter((p) => !afterKeys.has(linkKey(p)));
  const added = change.after.filter((p) => !beforeKeys.has(linkKey(p)));
  const out: TimelineEvent[] = [];
  const n = Math.max(removed.length, added.length);
  for (let i = 0; i < n; i++) {
    const from = removed[i];
    const to = added[i];
    const kind = from && to
      ? (from.parentId === to.parentId ? "rename" : "move")
      : to
      ? "link"
      : "unlink";
    const who = authorOf(index, change.at, [
      to?.parentId ?? null,
      entry.entryId,
      from?.parentId ?? null,
    ]);
    out.push({
      ...base,
      kind,
      path: to?.path ?? from!.path,
      oldPath: to ? from?.path ?? null : null,
      author: who?.author ?? null,
      detail: who ? `by ${who.entryId} v${who.version}` : "",
    });
  }
  return out;
}

/** The first of `candidates` that has a version uploaded at `at`. */
function authorOf(
  index: HistoryIndex,
  at: number,
  candidates: (string | null)[],
): VersionRecord | undefined {
  for (const id of candidates) {
    const v = uploadedAt(index, id, at);
    if (v) return v;
  }
  return undefined;
}
