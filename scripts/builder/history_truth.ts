/**
 * Paths over time, deletions and per-version contents computed from the plan, for a decryptor that
 * reads everything: the tree is rebuilt from scratch at every distinct upload time (brute force,
 * independent of the reader's incremental replay), and each path's interval recorded. Deleted
 * entries are those unreachable at the snapshot after having been reachable; "by" is the device
 * of the one version uploaded at the time they disappeared (each builder row has its own time).
 */
import { bytesEqual, toHex } from "../../src/util/bytes.ts";
import { hashFileContent } from "./content.ts";
import type { AtomPlan, Plan } from "./plan.ts";
import { latestAtOrBefore } from "./truth.ts";

/** One entry's truth. */
export interface EntryPathTruth {
  id: string;
  paths: { from_us: number; to_us: number | null; path: string }[];
  status: "present" | "deleted" | "orphaned";
  deleted?: { at_us: number; by_device: string; by_entry: string; by_version: number };
  versions: { version: number; timestamp_us: number; kind: "folder" | "file"; sha256?: string }[];
}

/** Computes every entry's paths, status at the snapshot and versions. */
export function computePathTruth(plan: Plan): EntryPathTruth[] {
  const atoms = plan.uploads.flatMap((u) => (u.kind === "vlob" ? [u.atom] : []));
  const byVlob = new Map<string, AtomPlan[]>();
  for (const a of atoms) byVlob.set(a.idHex, [...byVlob.get(a.idHex) ?? [], a]);
  for (const list of byVlob.values()) list.sort((a, b) => a.timestamp - b.timestamp);
  const rootHex = toHex(plan.realmId);
  const visible = (id: string, t: number): AtomPlan | undefined =>
    latestAtOrBefore(byVlob.get(id) ?? [], t);

  const times = [...new Set(atoms.map((a) => a.timestamp))].sort((a, b) => a - b);
  const open = new Map<
    string,
    Map<string, { from_us: number; to_us: number | null; path: string }>
  >();
  const intervals = new Map<string, { from_us: number; to_us: number | null; path: string }[]>();
  const lastGone = new Map<string, number>();
  for (const t of times) {
    const now = new Map<string, Set<string>>();
    const walk = (folder: AtomPlan, path: string, ancestors: Set<string>) => {
      if (folder.content.kind !== "folder") return;
      for (const [name, id] of folder.content.children) {
        const hex = toHex(id);
        if (ancestors.has(hex)) continue;
        const child = visible(hex, t);
        if (!child || !bytesEqual(child.parent, folder.vlobId)) continue;
        const childPath = path === "/" ? `/${name}` : `${path}/${name}`;
        now.set(hex, (now.get(hex) ?? new Set()).add(childPath));
        walk(child, childPath, new Set([...ancestors, hex]));
      }
    };
    const root = visible(rootHex, t);
    if (root) {
      now.set(rootHex, new Set(["/"]));
      walk(root, "/", new Set([rootHex]));
    }
    for (const [id, byPath] of open) {
      for (const [path, iv] of byPath) {
        if (now.get(id)?.has(path)) continue;
        iv.to_us = t;
        byPath.delete(path);
        if (byPath.size === 0 && !now.has(id)) lastGone.set(id, t);
      }
    }
    for (const [id, paths] of now) {
      const byPath = open.get(id) ?? new Map();
      open.set(id, byPath);
      for (const path of paths) {
        if (byPath.has(path)) continue;
        const iv = { from_us: t, to_us: null, path };
        byPath.set(path, iv);
        intervals.set(id, [...intervals.get(id) ?? [], iv]);
      }
    }
  }
  const atTime = new Map(atoms.map((a) => [a.timestamp, a]));
  return [...byVlob].map(([id, list]): EntryPathTruth => {
    const paths = intervals.get(id) ?? [];
    const present = paths.some((p) => p.to_us === null);
    const entry: EntryPathTruth = {
      id,
      paths,
      status: present ? "present" : paths.length > 0 ? "deleted" : "orphaned",
      versions: list.map((a) => ({
        version: a.version,
        timestamp_us: a.timestamp,
        kind: a.content.kind,
        ...(a.content.kind === "file"
          ? { sha256: hashFileContent(a.content.size, a.content.blocks) }
          : {}),
      })),
    };
    if (!present && paths.length > 0) {
      const at = lastGone.get(id)!;
      const by = atTime.get(at)!;
      entry.deleted = {
        at_us: at,
        by_device: toHex(by.author.id),
        by_entry: by.idHex,
        by_version: by.version,
      };
    }
    return entry;
  });
}
