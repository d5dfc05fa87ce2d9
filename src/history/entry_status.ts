/**
 * Where an entry stands at a time T (in the tree, deleted, orphaned, not yet reachable) and which
 * paths each of its versions had. Pure functions over an `EntryHistory`.
 */
import type { EntryHistory } from "./history_index.ts";
import type { PathInterval, Removal } from "./paths_over_time.ts";
import type { VersionRecord } from "./version_record.ts";

/**
 * `present`: reachable from the root at T; `deleted`: reachable before T, removed by a readable
 * folder version; `shadowed`: still named by its folder, but another child's name is equal after
 * NFC and wins; `later`: reachable only after T; `orphaned`: never reachable from the root (every
 * version readable); `unknown`: not reachable at T because a folder on its way cannot be read with
 * these keys, so whether it was deleted cannot be told.
 */
export type EntryStatus = "present" | "deleted" | "shadowed" | "later" | "orphaned" | "unknown";

/** Removal causes that do not prove a deletion (a folder could not be read). */
const UNREADABLE_CAUSES: ReadonlySet<string> = new Set([
  "parent_unreadable",
  "ancestor_unreadable",
]);

export interface StatusAt {
  readonly status: EntryStatus;
  /** For `deleted`, `shadowed` and `unknown`: the last removal at or before T. */
  readonly removal: Removal | null;
}

/** Whether `interval` covers time `t`. */
export function covers(interval: PathInterval, t: number): boolean {
  return interval.from <= t && (interval.to === null || interval.to > t);
}

/**
 * The status of `entry` at `at`. `allReadable`: every version of the export could be read with
 * these keys (else "never reachable" cannot be claimed: `unknown`, not `orphaned`).
 */
export function statusAt(entry: EntryHistory, at: number, allReadable: boolean): StatusAt {
  if (entry.paths.some((p) => covers(p, at))) return { status: "present", removal: null };
  if (entry.paths.length === 0) {
    return { status: allReadable ? "orphaned" : "unknown", removal: null };
  }
  if (entry.paths.every((p) => p.from > at)) return { status: "later", removal: null };
  const removal = entry.removals.filter((r) => r.at <= at).at(-1) ?? null;
  if (removal && UNREADABLE_CAUSES.has(removal.cause)) return { status: "unknown", removal };
  if (removal?.cause === "name_collision") return { status: "shadowed", removal };
  return { status: "deleted", removal };
}

/** The paths of one version: at upload time, and while it was the visible version. */
export interface VersionPaths {
  /** Path(s) of the entry at the upload time (empty if not reachable then). */
  readonly atUpload: readonly string[];
  /** Distinct paths while this version was visible (upload time to the next version). */
  readonly whileVisible: readonly string[];
  /**
   * The name to show for this version: its first name while visible, else the last name it had
   * before, else the first name it got after; `null` if the entry was never reachable.
   */
  readonly name: string | null;
}

/** Paths of every version of `entry` (same order as `entry.versions`). */
export function versionPaths(entry: EntryHistory): VersionPaths[] {
  return entry.versions.map((v: VersionRecord, i) => {
    const end = entry.versions[i + 1]?.timestamp ?? Infinity;
    const start = v.timestamp;
    const atUpload = entry.paths.filter((p) => covers(p, start)).map((p) => p.path);
    const overlapping = entry.paths.filter((p) => p.from < end && (p.to === null || p.to > start));
    const whileVisible = [...new Set(overlapping.map((p) => p.path))];
    const chosen = overlapping[0] ??
      entry.paths.filter((p) => p.to !== null && p.to <= start).at(-1) ??
      entry.paths[0];
    return { atUpload, whileVisible, name: chosen ? nameOf(chosen) : null };
  });
}

function nameOf(p: PathInterval): string {
  return p.name ?? "/";
}
