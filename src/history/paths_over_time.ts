/**
 * Paths over time: replays every version in upload-time order and re-resolves the tree (spec
 * §6.10) only when a structural version arrives (see `isStructural`), with an in-memory lookup of
 * the currently visible versions. Pure: versions in, path intervals and path changes out.
 */
import { compareNames, pathText, resolveTreeAt } from "../extract/tree.ts";
import { type Located, PlacementState } from "./incremental_tree.ts";
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

/**
 * Replays `ordered` (sorted by time, then sequential id) from the root `rootId`. Placements are
 * updated incrementally (`PlacementState`): a group of versions re-walks only the links it can
 * affect; the whole tree is resolved again only when the root's readability changes and while an
 * entry is listed under two names.
 */
export function pathsOverTime(rootId: string, ordered: readonly VersionRecord[]): PathsOverTime {
  const current = new Map<string, VersionRecord>();
  const listedBy = new Map<string, Set<string>>();
  const intervals = new Map<string, PathInterval[]>();
  const open = new Map<string, Map<string, PathInterval>>();
  const changes: PlacementChange[] = [];
  const state = new PlacementState();
  // Placements of the last full resolution, authoritative while `aliased`.
  let full = new Map<string, Located[]>();
  let aliased = true;
  let resolutions = 0;

  for (let i = 0; i < ordered.length;) {
    const at = ordered[i]!.timestamp;
    let structural = false;
    const changed = new Map<string, VersionRecord | undefined>();
    for (; i < ordered.length && ordered[i]!.timestamp === at; i++) {
      const v = ordered[i]!;
      const prev = current.get(v.entryId);
      if (!changed.has(v.entryId)) changed.set(v.entryId, prev);
      if (isStructural(prev, v)) structural = true;
      current.set(v.entryId, v);
      relist(listedBy, v.entryId, prev, v);
    }
    if (!structural) continue;

    let oldOf: (id: string) => readonly Located[];
    let newOf: (id: string) => readonly Located[];
    let affected: Iterable<string>;
    const incremental = aliased ? null : state.update(rootId, changed, current, listedBy);
    if (incremental) {
      oldOf = (id) => {
        const was = incremental.has(id) ? incremental.get(id) : state.placed.get(id);
        return was ? [was] : [];
      };
      newOf = (id) => {
        const now = state.placed.get(id);
        return now ? [now] : [];
      };
      affected = incremental.keys();
    } else {
      resolutions++;
      const before = aliased ? full : singleLists(state.placed);
      const tree = resolveTreeAt(rootId, at, (id) => current.get(id)?.tree);
      const next = new Map<string, Located[]>();
      for (const n of tree.nodes) {
        const list = next.get(n.entryId) ?? [];
        list.push({ names: n.names, parentId: n.parentId });
        next.set(n.entryId, list);
      }
      oldOf = (id) => before.get(id) ?? [];
      newOf = (id) => next.get(id) ?? [];
      affected = new Set([...before.keys(), ...next.keys()]);
      full = next;
      aliased = !state.reset(next);
    }
    const oldPlacement = (id: string): Placement | undefined => {
      const first = oldOf(id)[0];
      return first && placementOf(first);
    };
    for (const id of inTreeOrder(affected, oldOf, newOf)) {
      const before = oldOf(id).map(placementOf);
      const after = newOf(id).map(placementOf);
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
        ? explainRemoval(id, before[0]!, at, current, oldPlacement)
        : null;
      changes.push({ at, entryId: id, before, after, removal });
    }
  }
  return { intervals, changes, resolutions };
}

/** Keeps `listedBy` (entry → folders listing it) in step with a folder's new version. */
function relist(
  listedBy: Map<string, Set<string>>,
  folderId: string,
  prev: VersionRecord | undefined,
  next: VersionRecord,
): void {
  for (const child of prev?.children?.values() ?? []) listedBy.get(child)?.delete(folderId);
  for (const child of next.children?.values() ?? []) {
    let set = listedBy.get(child);
    if (!set) listedBy.set(child, set = new Set());
    set.add(folderId);
  }
}

function placementOf(l: Located): Placement {
  return { path: pathText(l.names), parentId: l.parentId, name: l.names.at(-1) ?? null };
}

function singleLists(placed: ReadonlyMap<string, Located>): Map<string, Located[]> {
  return new Map([...placed].map(([id, l]) => [id, [l]]));
}

/**
 * Entries in the order a full tree walk meets them: those placed before by their old path, then
 * those placed only now by their new path (paths compared name by name, as the walk sorts).
 */
function inTreeOrder(
  ids: Iterable<string>,
  oldOf: (id: string) => readonly Located[],
  newOf: (id: string) => readonly Located[],
): string[] {
  const byNames = (a: readonly string[], b: readonly string[]) => {
    for (let k = 0; k < Math.min(a.length, b.length); k++) {
      const c = compareNames(a[k]!, b[k]!);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  };
  const wasPlaced: [string, readonly string[]][] = [];
  const isNew: [string, readonly string[]][] = [];
  for (const id of ids) {
    const old = oldOf(id)[0];
    if (old) wasPlaced.push([id, old.names]);
    else {
      const now = newOf(id)[0];
      if (now) isNew.push([id, now.names]);
    }
  }
  wasPlaced.sort((a, b) => byNames(a[1], b[1]));
  isNew.sort((a, b) => byNames(a[1], b[1]));
  return [...wasPlaced, ...isNew].map(([id]) => id);
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
  placedBefore: (id: string) => Placement | undefined,
): Removal {
  const base = {
    at,
    lastPath: last.path,
    parentId: last.parentId,
    parentPath: last.parentId === null ? null : placedBefore(last.parentId)?.path ?? null,
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
    link = placedBefore(child);
    depth++;
  }
  return { ...base, cause: "unknown", by: null };
}
