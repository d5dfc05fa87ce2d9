/** The truth computed for the presets says what the scenarios were built to show. */
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { basicScenario, sequesteredScenario } from "../../scripts/builder/presets.ts";
import type { TruthTree } from "../../scripts/builder/truth.ts";
import { withBuild } from "./build_helpers.ts";

const paths = (t: TruthTree) => t.entries.map((e) => e.path);

Deno.test("builder truth: basic has the expected final tree, holes, a move and a late child", async () => {
  await withBuild(basicScenario(), 1, (r) => {
    const truth = r.truth;
    assertEquals(truth.format, "sequex-builder-truth/1");
    assertEquals(truth.decryptors.map((d) => [d.name, d.kind, d.key_file]), [
      ["user-alice", "user", "export.keys/user-alice.key"],
      ["user-bob", "user", "export.keys/user-bob.key"],
    ]);
    const bob = truth.by_decryptor["user-bob"]!;
    assertEquals(bob.keys, { latest_key_index: 1, obtained: [1], missing: [] });
    assert(bob.history.every((h) => h.status === "ok"));
    const last = bob.trees.at(-1)!;
    assertEquals(last.at_us, r.plan.snapshotTime);
    assertEquals(paths(last), [
      "/",
      "/archive",
      "/archive/big.bin",
      "/archive/old",
      "/docs",
      "/docs/README.txt",
      "/empty.txt",
      "/sparse.bin",
    ]);
    const byPath = new Map(last.entries.map((e) => [e.path, e]));
    assertEquals(byPath.get("/archive/big.bin")!.size, 1216);
    assertEquals(byPath.get("/archive/big.bin")!.block_count, 5, "4 blocks + the tail after a gap");
    assertEquals(
      byPath.get("/empty.txt")!.sha256,
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    const problems = bob.trees.flatMap((t) => t.problems.map((p) => `${p.problem} ${p.path}`));
    assert(problems.includes("not_found_at_time /archive/old"), "child listed before it exists");
    assert(problems.includes("parent_mismatch /archive/big.bin"), "move: destination first");
    assert(problems.includes("parent_mismatch /docs/big.bin"), "move: source last");
    const sparse = bob.trees.find((t) => t.entries.some((e) => e.path === "/sparse.bin"))!;
    const entry = sparse.entries.find((e) => e.path === "/sparse.bin")!;
    assertEquals([entry.size, entry.block_count], [600, 3], "spans 1 and 2 are a hole");
  });
});

Deno.test("builder truth: a revoked sequester service reads only part of the history", async () => {
  await withBuild(sequesteredScenario(), 1, (r) => {
    const by = r.truth.by_decryptor;
    assertEquals(by["sequester-service-a"]!.keys, {
      latest_key_index: 3,
      obtained: [1, 2],
      missing: [3],
    });
    assertEquals(by["sequester-service-b"]!.keys.obtained, [1, 2, 3]);
    const a = by["sequester-service-a"]!;
    const errors = a.history.filter((h) => h.status === "error");
    assert(errors.length > 0 && errors.length < a.history.length);
    assert(errors.every((h) => h.error === "key_unavailable" && h.key_index === 3));
    assertEquals(a.trees.at(-1)!.root_status, "error");
    assertEquals(by["user-alice"]!.trees.at(-1)!.root_status, "ok");
    const d = r.truth.decryptors.find((x) => x.name === "sequester-service-a")!;
    assertEquals(d.sequester_service_id?.length, 32);
    assertEquals(d.key_file, "export.keys/sequester-service-a.pem");
  });
});
