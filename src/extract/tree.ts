/**
 * The workspace tree at a time T (spec §6.9, §6.10): root first, children by name, with the
 * parent check and cycle guard. Pure over a `lookup` of the visible version of an entry.
 */
import type { DecodedVersion } from "../realm/decode_manifest.ts";

/**
 * What the tree walk needs from a version: readability, and for readable versions the type,
 * id, parent and (folders) children. `DecodedVersion` fits; so do lighter in-memory records.
 */
export type TreeVersion =
  | { readonly ok: false }
  | {
    readonly ok: true;
    readonly manifest:
      | {
        readonly type: "folder_manifest";
        readonly id: string;
        readonly parent: string;
        readonly children: ReadonlyMap<string, string>;
        readonly shadowedChildren?: readonly { readonly name: string; readonly id: string }[];
      }
      | { readonly type: "file_manifest"; readonly parent: string };
  };

/** One entry reachable from the root at T (readable or not). */
export interface TreeNode<V extends TreeVersion = DecodedVersion> {
  /** Names from the root; `[]` for the root itself. */
  readonly names: readonly string[];
  readonly entryId: string;
  /** Id of the folder listing it (`null` for the root). */
  readonly parentId: string | null;
  readonly version: V;
}

export type TreeProblemKind =
  | "not_found_at_time"
  | "parent_mismatch"
  | "cycle"
  | "name_collision"
  | "already_listed";

/** A child listed by a folder but not part of the tree at T, and why. */
export interface TreeProblem {
  readonly parentNames: readonly string[];
  readonly name: string;
  readonly entryId: string;
  readonly problem: TreeProblemKind;
  readonly detail: string;
}

export interface TreeSnapshot<V extends TreeVersion = DecodedVersion> {
  readonly at: number;
  /** `not_found`: the workspace has no history yet at T; `error`: the root is unreadable. */
  readonly rootStatus: "ok" | "not_found" | "error";
  /** Depth-first, children sorted by name. */
  readonly nodes: readonly TreeNode<V>[];
  readonly problems: readonly TreeProblem[];
}

/** Resolves the tree at `at` µs from `rootId`, using `lookup` to get visible versions. */
export function resolveTreeAt<V extends TreeVersion = DecodedVersion>(
  rootId: string,
  at: number,
  lookup: (entryId: string, at: number) => V | undefined,
): TreeSnapshot<V> {
  const nodes: TreeNode<V>[] = [];
  const problems: TreeProblem[] = [];
  const root = lookup(rootId, at);
  if (!root) return { at, rootStatus: "not_found", nodes, problems };
  nodes.push({ names: [], entryId: rootId, parentId: null, version: root });
  if (!root.ok) return { at, rootStatus: "error", nodes, problems };

  // Depth-first with an explicit stack (no recursion limit on deep trees); children are pushed
  // in reverse name order so that they come out in name order.
  interface Pending {
    readonly names: readonly string[];
    readonly name: string;
    readonly entryId: string;
    readonly folderId: string;
    readonly ancestors: Ancestors;
  }
  const stack: Pending[] = [];
  // Where each folder's children were listed: a folder listed again under another name (allowed
  // by Parsec) is shown there but not walked twice, so the tree stays linear in the export's size.
  const expandedAt = new Map<string, readonly string[]>();
  const expand = (folder: V, names: readonly string[], ancestors: Ancestors) => {
    if (!folder.ok || folder.manifest.type !== "folder_manifest") return;
    const folderId = folder.manifest.id;
    expandedAt.set(folderId, names);
    for (const lost of folder.manifest.shadowedChildren ?? []) {
      problems.push({
        parentNames: names,
        name: lost.name,
        entryId: lost.id,
        problem: "name_collision",
        detail: "another child of the folder has the same name once Unicode-normalized (NFC); " +
          "the later one is kept, as Parsec does",
      });
    }
    const children = [...folder.manifest.children].sort(([a], [b]) => compareNames(b, a));
    for (const [name, entryId] of children) {
      stack.push({ names, name, entryId, folderId, ancestors });
    }
  };
  expand(root, [], { id: rootId, up: null });
  while (stack.length > 0) {
    const { names, name, entryId: childId, folderId, ancestors } = stack.pop()!;
    const problem = (kind: TreeProblemKind, detail: string) =>
      problems.push({ parentNames: names, name, entryId: childId, problem: kind, detail });
    if (isAncestor(ancestors, childId)) {
      problem("cycle", "the folder lists one of its ancestors");
      continue;
    }
    const child = lookup(childId, at);
    if (!child) {
      problem("not_found_at_time", "listed by its parent but has no version at this time");
      continue;
    }
    if (child.ok && child.manifest.parent !== folderId) {
      problem("parent_mismatch", `its manifest names folder ${child.manifest.parent} as parent`);
      continue;
    }
    const childNames = [...names, name];
    nodes.push({ names: childNames, entryId: childId, parentId: folderId, version: child });
    if (!child.ok || child.manifest.type !== "folder_manifest") continue;
    const first = expandedAt.get(childId);
    if (first) {
      problem(
        "already_listed",
        `the same folder is also listed at ${pathText(first)}; its content is shown there only`,
      );
      continue;
    }
    expand(child, childNames, { id: childId, up: ancestors });
  }
  return { at, rootStatus: "ok", nodes, problems };
}

/** The chain of folders from a node up to the root (shared between siblings). */
interface Ancestors {
  readonly id: string;
  readonly up: Ancestors | null;
}

function isAncestor(chain: Ancestors | null, id: string): boolean {
  for (let a = chain; a; a = a.up) if (a.id === id) return true;
  return false;
}

/**
 * Code-point order of names (stable across platforms, unlike `localeCompare`; the same as UTF-8
 * byte order). JS `<` compares UTF-16 code units, which puts astral characters (emoji, U+1xxxx)
 * before U+E000–U+FFFF, so code points are compared here.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return Math.sign(a.length - b.length);
}

/** `/a/b` text of a path given as names (`/` for the root). */
export function pathText(names: readonly string[]): string {
  return "/" + names.join("/");
}
