/**
 * The metadata of one manifest version kept in memory by the history index: everything but the
 * block list, so millions of versions stay cheap. Pure.
 */
import type { DecodedVersion, ManifestProblem } from "../realm/decode_manifest.ts";
import type { TreeVersion } from "../extract/tree.ts";

/** `folder`, `file`, or `null` when the version cannot be read. */
export type EntryKind = "folder" | "file";

/** One version of one entry, decoded once. */
export interface VersionRecord {
  readonly seq: number;
  readonly entryId: string;
  readonly version: number;
  /** Upload time (µs), the server's `vlob_atom.timestamp`. */
  readonly timestamp: number;
  /** Device id of the signer. */
  readonly author: string;
  readonly keyIndex: number;
  /** Why the version cannot be read, `null` if it can. */
  readonly problem: ManifestProblem | null;
  readonly kind: EntryKind | null;
  /** Parent folder named by the manifest (`null` if unreadable). */
  readonly parent: string | null;
  /** Children of a folder version (name → entry id), `null` for files and unreadable versions. */
  readonly children: ReadonlyMap<string, string> | null;
  /** Children the folder names but drops, their name colliding with another's after NFC. */
  readonly shadowed: ReadonlySet<string> | null;
  /** File size in bytes (`null` for folders and unreadable versions). */
  readonly size: number | null;
  /** Times claimed by the author's client (informational). */
  readonly created: number | null;
  readonly updated: number | null;
  /** The same version as the tree walk sees it. */
  readonly tree: TreeVersion;
}

/** Keeps the metadata of a decoded version (the block list of files is dropped). */
export function recordOf(v: DecodedVersion): VersionRecord {
  const base = {
    seq: v.row.sequentialId,
    entryId: v.row.vlobId,
    version: v.row.version,
    timestamp: v.row.timestamp,
    author: v.row.author,
    keyIndex: v.row.keyIndex,
  };
  if (!v.ok) {
    return {
      ...base,
      problem: v.problem,
      kind: null,
      parent: null,
      children: null,
      shadowed: null,
      size: null,
      created: null,
      updated: null,
      tree: { ok: false },
    };
  }
  const m = v.manifest;
  const common = {
    ...base,
    problem: null,
    parent: m.parent,
    created: m.created,
    updated: m.updated,
  };
  if (m.type === "folder_manifest") {
    return {
      ...common,
      kind: "folder",
      children: m.children,
      shadowed: m.shadowedChildren ? new Set(m.shadowedChildren.map((c) => c.id)) : null,
      size: null,
      tree: {
        ok: true,
        manifest: { type: m.type, id: m.id, parent: m.parent, children: m.children },
      },
    };
  }
  return {
    ...common,
    kind: "file",
    children: null,
    shadowed: null,
    size: m.size,
    tree: { ok: true, manifest: { type: m.type, parent: m.parent } },
  };
}

/**
 * Whether uploading `next` after `prev` (the entry's previously visible version) can change the
 * tree: a first version, any folder version, or a change of readability, kind or parent. A plain
 * content overwrite of a file cannot.
 */
export function isStructural(prev: VersionRecord | undefined, next: VersionRecord): boolean {
  if (!prev) return true;
  if (next.kind === "folder" || prev.kind === "folder") return true;
  return prev.kind !== next.kind || prev.parent !== next.parent;
}

/** Orders versions by upload time, then `sequential_id`. */
export function byTime(a: VersionRecord, b: VersionRecord): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}
