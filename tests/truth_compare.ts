/**
 * Compares the reader with a truth document (the real exports' oracle truth or the builder's):
 * keys, every manifest version's status and error, and every tree with file contents.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { createHash } from "node:crypto";
import { fileContentChunks } from "../src/extract/content.ts";
import { pathText, resolveTreeAt } from "../src/extract/tree.ts";
import type { BlockProblem } from "../src/realm/decrypt_block.ts";
import type { DecodedVersion } from "../src/realm/decode_manifest.ts";
import type { Realm } from "../src/realm/realm.ts";

/** One decryptor's truth: the part shared by the oracle and builder formats. */
export interface DecryptorTruth {
  keys: { latest_key_index: number; obtained: number[]; missing: number[] };
  history: { sequential_id: number; status: string; error?: string; reason?: string }[];
  trees: {
    at_us: number;
    root_status: string;
    entries: {
      path: string;
      id: string;
      version: number;
      type: string;
      status: string;
      error?: string;
      sha256?: string;
      content_status?: string;
      size?: number;
    }[];
    problems: { path: string; problem: string }[];
  }[];
}

function content(realm: Realm, v: DecodedVersion) {
  if (!v.ok || v.manifest.type !== "file_manifest") throw new Error("not a readable file");
  const problems: BlockProblem[] = [];
  const hash = createHash("sha256");
  for (const chunk of fileContentChunks(v.manifest, (a) => realm.readBlock(a), problems)) {
    hash.update(chunk);
  }
  return problems.length === 0
    ? { content_status: "ok", sha256: hash.digest("hex") }
    : { content_status: problems[0]!.code };
}

const byPath = <T extends { path: string }>(a: T, b: T) =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/** Asserts that `realm` reads exactly what `truth` says. */
export function assertMatchesTruth(
  realm: Realm,
  truth: DecryptorTruth,
  opts: { compareReasons: boolean },
): void {
  assertEquals(realm.keys.latestKeyIndex, truth.keys.latest_key_index);
  assertEquals(realm.keys.obtained, truth.keys.obtained);
  assertEquals(realm.keys.missing, truth.keys.missing);

  const history = [...realm.exp.allVlobs()].map((row) => {
    const v = realm.versionAt(row.vlobId, row.timestamp)!;
    return {
      sequential_id: v.row.sequentialId,
      status: v.ok ? "ok" : "error",
      error: v.ok ? undefined : v.problem.code,
      reason: v.ok || !opts.compareReasons ? undefined : v.problem.reason ?? undefined,
    };
  });
  assertEquals(
    history,
    truth.history.map((h) => ({
      sequential_id: h.sequential_id,
      status: h.status,
      error: h.error,
      reason: opts.compareReasons ? h.reason : undefined,
    })),
  );

  for (const t of truth.trees) {
    const tree = resolveTreeAt(realm.realmId, t.at_us, (id, at) => realm.versionAt(id, at));
    assertEquals(tree.rootStatus, t.root_status, `root status at ${t.at_us}`);
    const got = tree.nodes.map((n) => {
      const v = n.version;
      const base = { path: pathText(n.names), id: n.entryId, version: v.row.version };
      if (!v.ok) return { ...base, type: "unknown", status: "error", error: v.problem.code };
      if (v.manifest.type === "folder_manifest") return { ...base, type: "folder", status: "ok" };
      return { ...base, type: "file", status: "ok", size: v.manifest.size, ...content(realm, v) };
    }).sort(byPath);
    const want = t.entries.map((e) => {
      const base = { path: e.path, id: e.id, version: e.version };
      if (e.status !== "ok") return { ...base, type: "unknown", status: "error", error: e.error };
      if (e.type === "folder") return { ...base, type: "folder", status: "ok" };
      const c = e.content_status === "ok"
        ? { content_status: "ok", sha256: e.sha256 }
        : { content_status: e.content_status };
      return { ...base, type: "file", status: "ok", size: e.size, ...c };
    }).sort(byPath);
    assertEquals(got, want, `tree at ${t.at_us}`);
    // `name_collision` is sequex's own report of a child Parsec drops silently: truths omit it.
    assertEquals(
      tree.problems.filter((p) => p.problem !== "name_collision")
        .map((p) => ({ path: pathText([...p.parentNames, p.name]), problem: p.problem }))
        .sort(byPath),
      t.problems.map((p) => ({ path: p.path, problem: p.problem })).sort(byPath),
    );
  }
}
