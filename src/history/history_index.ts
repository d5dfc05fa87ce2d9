/**
 * The history index: every version of every entry decoded once (one pass over `vlob_atom`),
 * grouped per entry, with paths over time. Pure over an iterable of decoded versions.
 */
import type { DecodedVersion } from "../realm/decode_manifest.ts";
import {
  type PathInterval,
  pathsOverTime,
  type PlacementChange,
  type Removal,
} from "./paths_over_time.ts";
import { byTime, type EntryKind, recordOf, type VersionRecord } from "./version_record.ts";

/** Everything known about one entry. */
export interface EntryHistory {
  readonly entryId: string;
  /**
   * A stable decimal number for the entry: the `sequential_id` of its first `vlob_atom` row
   * (used as the body file's inode).
   */
  readonly inode: number;
  /** From its readable versions (`null` if none is readable). */
  readonly kind: EntryKind | null;
  /** Oldest first (upload time, then sequential id). */
  readonly versions: readonly VersionRecord[];
  /** Paths over time, by start. */
  readonly paths: readonly PathInterval[];
  /** Each time the entry stopped being reachable, in time order. */
  readonly removals: readonly Removal[];
}

export interface HistoryIndex {
  readonly rootId: string;
  /** Entries by first upload (inode order). */
  readonly entries: ReadonlyMap<string, EntryHistory>;
  /** Every version by upload time, then sequential id. */
  readonly ordered: readonly VersionRecord[];
  /** Every change of placement (rename, move, removal, reappearance), in time order. */
  readonly changes: readonly PlacementChange[];
  /** How many times the tree was resolved during the replay. */
  readonly resolutions: number;
  /** Whether every version could be read with the keys used. */
  readonly allReadable: boolean;
}

/** Builds the index from every decoded version of the realm `rootId`. */
export function buildHistoryIndex(
  rootId: string,
  versions: Iterable<DecodedVersion>,
): HistoryIndex {
  const ordered: VersionRecord[] = [];
  for (const v of versions) ordered.push(recordOf(v));
  ordered.sort(byTime);
  const perEntry = new Map<string, VersionRecord[]>();
  for (const v of ordered) {
    const list = perEntry.get(v.entryId);
    if (list) list.push(v);
    else perEntry.set(v.entryId, [v]);
  }
  const { intervals, changes, resolutions } = pathsOverTime(rootId, ordered);
  const removals = new Map<string, Removal[]>();
  for (const c of changes) {
    if (!c.removal) continue;
    const list = removals.get(c.entryId) ?? [];
    list.push(c.removal);
    removals.set(c.entryId, list);
  }
  const entries = [...perEntry].map(([entryId, list]): EntryHistory => ({
    entryId,
    inode: list.reduce((min, v) => Math.min(min, v.seq), Infinity),
    kind: list.find((v) => v.kind !== null)?.kind ?? null,
    versions: list,
    paths: intervals.get(entryId) ?? [],
    removals: removals.get(entryId) ?? [],
  })).sort((a, b) => a.inode - b.inode);
  return {
    rootId,
    entries: new Map(entries.map((e) => [e.entryId, e])),
    ordered,
    changes,
    resolutions,
    allReadable: ordered.every((v) => v.problem === null),
  };
}
