/**
 * Paths over time: replays every version in upload-time order and re-resolves the tree (spec
 * §6.10) only when a structural version arrives (see `isStructural`), with an in-memory lookup of
 * the currently visible versions. Pure: versions in, path intervals and path changes out.
 */
import { pathText, resolveTreeAt } from "../extract/tree.ts";
import { isStructural, type VersionRecord } from "./version_record.ts";

/** An entry reachable under `path` from `from` (inclusive) to `to` (exclusive, `null` = still). */
export interface PathInterval {
  readonly from: number;
  to: number | null;
  readonly path: string;
  /** Folder listing the entry under that path (`null` for the root). */
  readonly parentId: string | null;
  /** The entry's name in that folder (`null` for the root). */
  readonly name: string | null;
}

/** Where an entry sits in one tree: its path and the link (folder, name) that puts it there. */
export interface Placement {
  readonly path: string;
  readonly parentId: string | null;
  readonly name: string | null;
}

/** Why an entry stopped being reachable. */
export type RemovalCause =
  /** A folder version dropped the name (a deletion, or the last step of a move out of reach). */
  | "removed_from_parent"
  /** An ancestor folder was removed: the entry went with it. */
  | "ancestor_removed"
  /** The listing folder's new version cannot be read with these keys: deleted or not, unknown. */
  | "parent_unreadable"
  /** A folder above cannot be read with these keys: deleted or not, unknown. */
  | "ancestor_unreadable"
  /** The folder names it, but another child's name is equal after NFC and wins (as in Parsec). */
  | "name_collision"
  /** The entry's own manifest now names a folder that does not list it. */
  | "parent_changed"
  | "unknown";

/** The version that made an entry unreachable. */
export interface Removal {
  readonly at: number;
  readonly cause: RemovalCause;
  /** Last path, folder and name before the removal. */
  readonly lastPath: string;
  readonly parentId: string | null;
  readonly parentPath: string | null;
  readonly name: string | null;
  /** The version responsible (e.g. the parent folder version without the name), if known. */
  readonly by: VersionRecord | null;
}

/** The placements of one entry changed at `at`. */
export interface PlacementChange {
  readonly at: number;
  readonly entryId: string;
  readonly before: readonly Placement[];
  readonly after: readonly Placement[];
  /** Set when the entry stopped being reachable. */
  readonly removal: Removal | null;
}

export interface PathsOverTime {
  /** Per entry, intervals in order of `from`. */
  readonly intervals: ReadonlyMap<string, PathInterval[]>;
  /** Every change of placement, in time order. */
  readonly changes: readonly PlacementChange[];
  /** How many times the tree was resolved. */
  readonly resolutions: number;
}

/** Replays `ordered` (sorted by time, then sequential id) from the root `rootId`. */
export function pathsOverTime(rootId: string, ordered: readonly VersionRecord[]): PathsOverTime {
  const current = new Map<string, VersionRecord>();
  const intervals = new Map<string, PathInterval[]>();
  const open = new Map<string, Map<string, PathInterval>>();
  const changes: PlacementChange[] = [];
  let placed = new Map<string, Placement[]>();
  let resolutions = 0;

  for (let i = 0; i < ordered.length;) {
    const at = ordered[i]!.timestamp;
    let structural = false;
    for (; i < ordered.length && ordered[i]!.timestamp === at; i++) {
      const v = ordered[i]!;
      if (isStructural(current.get(v.entryId), v)) structural = true;
      current.set(v.entryId, v);
    }
    if (!structural) continue;
    resolutions++;
    const tree = resolveTreeAt(rootId, at, (id) => current.get(id)?.tree);
    const next = new Map<string, Placement[]>();
    for (const n of tree.nodes) {
      const list = next.get(n.entryId) ?? [];
      list.push({ path: pathText(n.names), parentId: n.parentId, name: n.names.at(-1) ?? null });
      next.set(n.entryId, list);
    }
    for (const id of new Set([...placed.keys(), ...next.keys()])) {
      const before = placed.get(id) ?? [];
      const after = next.get(id) ?? [];
      if (samePlacements(before, after)) continue;
      const openOfId = open.get(id) ?? new Map<string, PathInterval>();
      open.set(id, openOfId);
      const afterPaths = new Set(after.map((p) => p.path));
      for (const [path, interval] of openOfId) {
        if (!afterPaths.has(path)) {
          interval.to = at;
          openOfId.delete(path);
        }
      }
      for (const p of after) {
        if (openOfId.has(p.path)) continue;
        const interval: PathInterval = { from: at, to: null, ...p };
        openOfId.set(p.path, interval);
        const list = intervals.get(id) ?? [];
        list.push(interval);
        intervals.set(id, list);
      }
      const removal = after.length === 0 && before.length > 0
        ? explainRemoval(id, before[0]!, at, current, placed)
        : null;
      changes.push({ at, entryId: id, before, after, removal });
    }
    placed = next;
  }
  return { intervals, changes, resolutions };
}

function samePlacements(a: readonly Placement[], b: readonly Placement[]): boolean {
  return a.length === b.length &&
    a.every((p, i) => p.path === b[i]!.path && p.parentId === b[i]!.parentId);
}

/**
 * Finds the broken link between `entryId` and the root: walking up from the entry's last
 * placement, the first folder that no longer lists the child (or cannot be read), or the child
 * now naming another parent.
 */
function explainRemoval(
  entryId: string,
  last: Placement,
  at: number,
  current: ReadonlyMap<string, VersionRecord>,
  placed: ReadonlyMap<string, Placement[]>,
): Removal {
  const base = {
    at,
    lastPath: last.path,
    parentId: last.parentId,
    parentPath: last.parentId === null ? null : placed.get(last.parentId)?.[0]?.path ?? null,
    name: last.name,
  };
  let child = entryId;
  let link: Placement | undefined = last;
  let depth = 0;
  const seen = new Set<string>();
  while (link && link.parentId !== null && !seen.has(child)) {
    seen.add(child);
    const parent = current.get(link.parentId);
    const childVersion = current.get(child);
    const mine = depth === 0;
    if (!parent || parent.problem !== null) {
      return {
        ...base,
        cause: mine ? "parent_unreadable" : "ancestor_unreadable",
        by: parent ?? null,
      };
    }
    if (parent.shadowed?.has(child) && parent.children?.get(link.name!) !== child) {
      return { ...base, cause: mine ? "name_collision" : "ancestor_removed", by: parent };
    }
    if (parent.children?.get(link.name!) !== child) {
      return { ...base, cause: mine ? "removed_from_parent" : "ancestor_removed", by: parent };
    }
    if (childVersion && childVersion.problem === null && childVersion.parent !== link.parentId) {
      return { ...base, cause: mine ? "parent_changed" : "ancestor_removed", by: childVersion };
    }
    child = link.parentId;
    link = placed.get(child)?.[0];
    depth++;
  }
  return { ...base, cause: "unknown", by: null };
}
