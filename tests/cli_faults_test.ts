/** Extracting the builder's `faults` export: every broken item is one report entry with its code. */
import { deepStrictEqual as assertEquals, strictEqual } from "node:assert/strict";
import { PRESETS } from "../scripts/builder/presets.ts";
import { withBuild } from "./builder/build_helpers.ts";
import { runCli, sha256OfFile } from "./helpers.ts";

Deno.test("extract of the faults preset reports each fault with its code and marks partial files", async () => {
  await withBuild(PRESETS.faults!({}), 5, async (built, dir) => {
    const userKey = (await Deno.readTextFile(`${built.keysDir}/user-alice.key`)).trim();
    const before = await sha256OfFile(built.exportPath);
    const r = await runCli([
      "extract",
      built.exportPath,
      "--user-key",
      userKey,
      "--out",
      `${dir}/case`,
    ]);
    strictEqual(r.code, 0, r.stderr);
    strictEqual(await sha256OfFile(built.exportPath), before);
    const m = JSON.parse(await Deno.readTextFile(`${dir}/case/manifest.json`));
    const problems = m.problems.map((
      p: Record<string, string | null>,
    ) => [p.path, p.code, p.reason])
      .sort();
    assertEquals(problems, [
      ["/blocks/corrupted.bin", "decryption_failed", null],
      ["/blocks/data_missing.bin", "block_data_missing", null],
      ["/blocks/digest_mismatch.bin", "hash_mismatch", null],
      ["/blocks/row_missing.bin", "block_not_found", null],
      ["/blocks/size_mismatch.bin", "size_mismatch", null],
      ["/manifest-bad_serialization.txt", "cleartext_corrupted", "bad_serialization"],
      ["/manifest-integrity.txt", "cleartext_corrupted", "integrity"],
      ["/manifest-key_index_unknown.txt", "key_index_unknown", null],
      ["/manifest-timestamp_mismatch.txt", "cleartext_corrupted", "unexpected_timestamp"],
      ["/manifest-unknown_author.txt", "author_unknown", null],
      ["/manifest-wrong_key.txt", "decryption_failed", null],
      ["/under-broken-key-2.txt", "key_unavailable", null],
    ]);
    const byPath = new Map(m.entries.map((e: { path: string }) => [e.path, e]));
    const partial = byPath.get("/blocks/row_missing.bin") as Record<string, unknown>;
    strictEqual(partial.status, "partial");
    strictEqual(partial.size, 200);
    const written = await Deno.readFile(`${dir}/case/${partial.output_path}`);
    strictEqual(written.length, 200);
    strictEqual(partial.sha256, await sha256OfFile(`${dir}/case/${partial.output_path}`));
    const unreadable = byPath.get("/manifest-wrong_key.txt") as Record<string, unknown>;
    assertEquals(
      [unreadable.status, unreadable.output_path, unreadable.type, unreadable.author_verified],
      ["unreadable", null, "unknown", false],
    );
    strictEqual(
      (byPath.get("/blocks/row_missing.bin") as Record<string, unknown>).author_verified,
      true,
    );
    assertEquals(m.keys.missing, [2]);
    strictEqual(m.keys.per_index[1].canary, "invalid");
    strictEqual(m.summary.problems, 12);
    strictEqual(m.summary.partial, 5);
    strictEqual(m.summary.unreadable, 7);
  }, "faults");
});
