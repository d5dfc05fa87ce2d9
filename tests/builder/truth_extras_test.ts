/** The `hostile` and `faults` presets: the truth predicts the name rules and every error code. */
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { faultsScenario, hostileScenario } from "../../scripts/builder/presets.ts";
import { withBuild } from "./build_helpers.ts";

Deno.test("builder truth: hostile names, NFC collision, alias, stale link and cycle", async () => {
  await withBuild(hostileScenario(), 1, (r) => {
    const last = r.truth.by_decryptor["user-alice"]!.trees.at(-1)!;
    const byPath = new Map(last.entries.map((e) => [e.path, e]));
    for (
      const name of ["CON", "a:b", "trailing ", "new\nline", "rtl\u202etxt.exe", "Case", "case"]
    ) {
      assert(byPath.has(`/names/${name}`), JSON.stringify(name));
    }
    assert(byPath.has(`/names/${"é".repeat(127)}a`), "255-byte name");
    const cafe = byPath.get("/names/caf\u00e9.txt")!;
    assertEquals(
      cafe.sha256,
      "c8ce766de7cb1c961229e8d4d5a61955e1777fd69e021d2bf1101dc57f9efb0d",
      "the NFD key, later in the map, wins",
    );
    assert(!byPath.has("/names/cafe\u0301.txt"));
    assertEquals(byPath.get("/names/alias of CON")!.id, byPath.get("/names/CON")!.id);
    assertEquals(
      last.problems.map((p) => [p.problem, p.name]),
      [["cycle", "root again"], ["parent_mismatch", "stale link"]],
    );
  });
});

Deno.test("builder truth: faults give the spec's error codes and an incomplete export", async () => {
  await withBuild(faultsScenario(), 1, (r) => {
    assertEquals(r.truth.info["complete"], false);
    assertEquals(r.truth.info["blocks_data_export_done"], false);
    const by = r.truth.by_decryptor;
    assertEquals(by["user-alice"]!.keys, { latest_key_index: 3, obtained: [1, 3], missing: [2] });
    assertEquals(by["user-bob"]!.keys.obtained, [1, 3], "a stale row before a valid one");
    assertEquals(by["user-carol"]!.keys.obtained, [], "only a stale row");
    const last = by["user-alice"]!.trees.at(-1)!;
    const status = Object.fromEntries(
      last.entries.map((e) => [e.path, [e.error ?? e.content_status, e.reason ?? null]]),
    );
    assertEquals(status["/manifest-wrong_key.txt"], ["decryption_failed", null]);
    assertEquals(status["/manifest-unknown_author.txt"], ["author_unknown", null]);
    assertEquals(status["/manifest-key_index_unknown.txt"], ["key_index_unknown", null]);
    assertEquals(status["/manifest-timestamp_mismatch.txt"], [
      "cleartext_corrupted",
      "unexpected_timestamp",
    ]);
    assertEquals(status["/manifest-bad_serialization.txt"], [
      "cleartext_corrupted",
      "bad_serialization",
    ]);
    assertEquals(status["/manifest-integrity.txt"], ["cleartext_corrupted", "integrity"]);
    assertEquals(status["/manifest-bad_signature.txt"], ["ok", null], "repaired by v2");
    assertEquals(status["/blocks/data_missing.bin"], ["block_data_missing", null]);
    assertEquals(status["/blocks/row_missing.bin"], ["block_not_found", null]);
    assertEquals(status["/blocks/corrupted.bin"], ["decryption_failed", null]);
    assertEquals(status["/blocks/size_mismatch.bin"], ["size_mismatch", null]);
    assertEquals(status["/blocks/digest_mismatch.bin"], ["hash_mismatch", null]);
    assertEquals(status["/under-broken-key-2.txt"], ["key_unavailable", null]);
    assertEquals(status["/under-key-3.txt"], ["ok", null]);
    const early = by["user-alice"]!.trees.find((t) =>
      t.entries.some((e) => e.path === "/broken-folder" && e.status === "error")
    );
    assert(early, "the broken folder version is an error entry while visible");
    assert(!early.entries.some((e) => e.path.startsWith("/broken-folder/")));
  });
});
