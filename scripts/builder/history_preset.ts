/**
 * The `history` scenario: a workspace churned by thousands of seeded random operations (creates,
 * overwrites, renames, moves across folders, deletions of files and of whole folders, new
 * folders) by two users, to check paths over time and deletions against the builder's truth.
 */
import type { HistoryOp, Scenario } from "./scenario.ts";

/** Parameters of the `history` preset. */
export interface HistoryOptions {
  /** Number of random operations after the initial folders (default 3000). */
  steps?: number;
  /** Seed of the operation sequence (default 1). */
  opsSeed?: number;
}

interface SimNode {
  name: string;
  parent: SimNode | null;
  readonly folder: boolean;
  readonly children: Map<string, SimNode>;
}

function pathOf(n: SimNode): string {
  const names: string[] = [];
  for (let p: SimNode | null = n; p && p.parent; p = p.parent) names.unshift(p.name);
  return "/" + names.join("/");
}

function isInside(n: SimNode, ancestor: SimNode): boolean {
  for (let p: SimNode | null = n; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

/** Builds the scenario: the operations are simulated on an in-memory tree so each is valid. */
export function historyScenario(o: HistoryOptions = {}): Scenario {
  const steps = o.steps ?? 3000;
  let state = (o.opsSeed ?? 1) >>> 0 || 1;
  const rand = (n: number): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
  const root: SimNode = { name: "", parent: null, folder: true, children: new Map() };
  const alive: SimNode[] = [];
  let counter = 0;
  const history: HistoryOp[] = [{ op: "resync", path: "/" }];
  const by = () => (rand(3) === 0 ? "bob" : "alice");
  const add = (parent: SimNode, folder: boolean): SimNode => {
    const node: SimNode = {
      name: `${folder ? "d" : "f"}${++counter}${folder ? "" : ".txt"}`,
      parent,
      folder,
      children: new Map(),
    };
    parent.children.set(node.name, node);
    alive.push(node);
    history.push(
      folder
        ? { op: "mkdir", path: pathOf(node), by: by() }
        : { op: "create_file", path: pathOf(node), content: `content ${counter}`, by: by() },
    );
    return node;
  };
  const folders = () => [root, ...alive.filter((n) => n.folder)];
  const pick = <T>(list: readonly T[]): T => list[rand(list.length)]!;
  for (let i = 0; i < 5; i++) add(root, true);

  for (let step = 0; step < steps; step++) {
    const r = rand(100);
    const files = alive.filter((n) => !n.folder);
    if (r < 30 || alive.length < 10) {
      add(pick(folders()), false);
    } else if (r < 36) {
      add(pick(folders()), true);
    } else if (r < 50 && files.length > 0) {
      const f = pick(files);
      history.push({
        op: "overwrite",
        path: pathOf(f),
        content: `v${step} of ${f.name}`,
        by: by(),
      });
    } else if (r < 70) {
      const n = pick(alive);
      const from = pathOf(n);
      n.parent!.children.delete(n.name);
      n.name = `${n.name.split(".")[0]!.replace(/r\d+$/, "")}r${step}${n.folder ? "" : ".txt"}`;
      n.parent!.children.set(n.name, n);
      history.push({ op: "move", path: from, to: pathOf(n), by: by() });
    } else if (r < 88) {
      const n = pick(alive);
      const targets = folders().filter((f) => f !== n.parent && !isInside(f, n));
      if (targets.length === 0) continue;
      const dest = pick(targets);
      if (dest.children.has(n.name)) continue;
      const from = pathOf(n);
      n.parent!.children.delete(n.name);
      n.parent = dest;
      dest.children.set(n.name, n);
      history.push({ op: "move", path: from, to: pathOf(n), by: by() });
    } else {
      const candidates = rand(4) === 0 ? alive : files;
      if (candidates.length === 0) continue;
      const n = pick(candidates);
      history.push({ op: "delete", path: pathOf(n), by: by() });
      n.parent!.children.delete(n.name);
      for (let i = alive.length - 1; i >= 0; i--) if (isInside(alive[i]!, n)) alive.splice(i, 1);
    }
  }
  return {
    name: "history",
    timeStep: 1_000_000,
    users: [{ name: "alice" }, { name: "bob" }],
    realm: { name: "churn", owner: "alice", blocksize: 64 },
    history: [{ op: "share", user: "bob", role: "CONTRIBUTOR" }, ...history],
    options: { maxTrees: 2 },
  };
}
