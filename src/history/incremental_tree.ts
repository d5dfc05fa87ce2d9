/**
 * Placements of entries in the tree, updated incrementally as versions arrive: only the links
 * (folder, name) that a group of new versions can affect are removed and walked again, with the
 * same rules as `resolveTreeAt` (spec §6.10: not found ⇒ skipped, parent check, cycle guard).
 * When an entry would be placed twice (a name alias), the caller falls back to a full resolution.
 */
import { compareNames } from "../extract/tree.ts";
import type { VersionRecord } from "./version_record.ts";

/** Where an entry sits in the tree. */
export interface Located {
  readonly names: readonly string[];
  readonly parentId: string | null;
}

/** The tree's placements, one per entry (no aliases), with the reverse links needed to update it. */
export class PlacementState {
  /** Entry → its single placement. */
  readonly placed = new Map<string, Located>();
  /** Folder → entries placed directly under it. */
  private readonly kids = new Map<string, Set<string>>();
  /** `folder/name` → the entry placed there (names never hold `/`). */
  private readonly byLink = new Map<string, string>();

  /** Replaces everything with `placements` (from a full resolution); `false` if one is aliased. */
  reset(placements: ReadonlyMap<string, readonly Located[]>): boolean {
    this.placed.clear();
    this.kids.clear();
    this.byLink.clear();
    let single = true;
    for (const [id, list] of placements) {
      if (list.length !== 1) single = false;
      if (list[0]) this.place(id, list[0]);
    }
    return single;
  }

  private place(id: string, at: Located): void {
    this.placed.set(id, at);
    if (at.parentId === null) return;
    let set = this.kids.get(at.parentId);
    if (!set) this.kids.set(at.parentId, set = new Set());
    set.add(id);
    this.byLink.set(`${at.parentId}/${at.names.at(-1)}`, id);
  }

  private unplace(id: string): void {
    const at = this.placed.get(id);
    if (!at) return;
    this.placed.delete(id);
    if (at.parentId === null) return;
    this.kids.get(at.parentId)?.delete(id);
    const link = `${at.parentId}/${at.names.at(-1)}`;
    if (this.byLink.get(link) === id) this.byLink.delete(link);
  }

  /**
   * Applies a group of new versions. `changed` maps each entry with a new version to its previous
   * visible version; `current` holds the visible versions after the group and `listedBy` which
   * folders list an entry. Returns the old placements of every entry whose placement may have
   * changed (`undefined` = was not placed), or `null` when an alias makes a full resolution
   * necessary (the state is then left as it was).
   */
  update(
    rootId: string,
    changed: ReadonlyMap<string, VersionRecord | undefined>,
    current: ReadonlyMap<string, VersionRecord>,
    listedBy: ReadonlyMap<string, ReadonlySet<string>>,
  ): Map<string, Located | undefined> | null {
    if (changed.has(rootId)) {
      // The root's own node (its readability) decides everything: only a new listing is local.
      const prev = changed.get(rootId);
      const next = current.get(rootId)!;
      if (!prev || (prev.problem === null) !== (next.problem === null)) return null;
    }
    const links = this.affectedLinks(changed, current, listedBy);
    const before = new Map<string, Located | undefined>();
    for (const link of links.values()) {
      const child = this.childAt(link.parentId, link.name);
      if (child !== undefined) this.removeSubtree(child, before);
    }
    const added: string[] = [];
    for (const link of links.values()) {
      if (!this.placed.has(link.parentId) || this.childAt(link.parentId, link.name)) continue;
      if (!this.walk(link.parentId, link.name, current, before, added)) {
        for (const id of added) this.unplace(id);
        for (const [id, at] of before) if (at) this.place(id, at);
        return null;
      }
    }
    return before;
  }

  /** The (folder, name) links whose subtree may differ after the group. */
  private affectedLinks(
    changed: ReadonlyMap<string, VersionRecord | undefined>,
    current: ReadonlyMap<string, VersionRecord>,
    listedBy: ReadonlyMap<string, ReadonlySet<string>>,
  ): Map<string, { parentId: string; name: string }> {
    const links = new Map<string, { parentId: string; name: string }>();
    const add = (parentId: string, name: string) =>
      links.set(`${parentId}/${name}`, { parentId, name });
    for (const [id, prev] of changed) {
      const next = current.get(id)!;
      const nodeChanged = !prev || (prev.problem === null) !== (next.problem === null) ||
        prev.kind !== next.kind || prev.parent !== next.parent;
      if (nodeChanged) {
        const old = this.placed.get(id);
        if (old && old.parentId !== null) add(old.parentId, old.names.at(-1)!);
        for (const folder of listedBy.get(id) ?? []) {
          if (!this.placed.has(folder)) continue;
          for (const [name, child] of current.get(folder)?.children ?? []) {
            if (child === id) add(folder, name);
          }
        }
      }
      if (this.placed.has(id)) {
        const was = prev?.children ?? new Map<string, string>();
        const now = next.children ?? new Map<string, string>();
        for (const [name, child] of was) if (now.get(name) !== child) add(id, name);
        for (const [name, child] of now) if (was.get(name) !== child) add(id, name);
      }
    }
    return links;
  }

  private childAt(parentId: string, name: string): string | undefined {
    return this.byLink.get(`${parentId}/${name}`);
  }

  private removeSubtree(id: string, before: Map<string, Located | undefined>): void {
    const stack = [id];
    while (stack.length > 0) {
      const e = stack.pop()!;
      if (!before.has(e)) before.set(e, this.placed.get(e));
      stack.push(...this.kids.get(e) ?? []);
      this.unplace(e);
    }
  }

  /** Walks the child `name` of placed folder `parentId`; `false` if it meets a placed entry. */
  private walk(
    parentId: string,
    name: string,
    current: ReadonlyMap<string, VersionRecord>,
    before: Map<string, Located | undefined>,
    added: string[],
  ): boolean {
    const ancestors = new Set<string>();
    for (let a: string | null = parentId; a !== null; a = this.placed.get(a)?.parentId ?? null) {
      ancestors.add(a);
    }
    const stack: {
      parentId: string;
      names: readonly string[];
      name: string;
      chain: Set<string>;
    }[] = [{ parentId, names: this.placed.get(parentId)!.names, name, chain: ancestors }];
    while (stack.length > 0) {
      const item = stack.pop()!;
      const childId = current.get(item.parentId)?.children?.get(item.name);
      if (childId === undefined || item.chain.has(childId)) continue;
      const child = current.get(childId);
      if (!child) continue;
      if (child.problem === null && child.parent !== item.parentId) continue;
      if (this.placed.has(childId)) return false;
      if (!before.has(childId)) before.set(childId, undefined);
      const names = [...item.names, item.name];
      this.place(childId, { names, parentId: item.parentId });
      added.push(childId);
      if (child.problem !== null || child.kind !== "folder") continue;
      const chain = new Set(item.chain).add(childId);
      const children = [...child.children!.keys()].sort((a, b) => compareNames(b, a));
      for (const n of children) stack.push({ parentId: childId, names, name: n, chain });
    }
    return true;
  }
}
