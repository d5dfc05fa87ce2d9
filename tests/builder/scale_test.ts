/** Big exports: streamed writing gives the same bytes, `--versions` makes overwrite versions. */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { buildExportStreamed } from "../../scripts/builder/build.ts";
import { benchScenario, PRESETS } from "../../scripts/builder/presets.ts";
import { withBuild } from "./build_helpers.ts";

Deno.test("builder: a streamed export (no truth, nothing kept) has the same bytes", async () => {
  for (const name of ["basic", "faults", "more-faults", "incomplete", "hostile"]) {
    await withBuild(PRESETS[name]!({}), 3, (r, dir) => {
      const s = buildExportStreamed(PRESETS[name]!({}), { out: `${dir}/s.sqlite`, seed: 3 });
      assertEquals(s.sha256, r.sha256, name);
      assertEquals(s.written, r.written, name);
    });
  }
});

Deno.test("builder: bench versions overwrite every file, one version each", async () => {
  const scenario = benchScenario({ files: 3, fileSize: 100, filesPerFolder: 2, versions: 4 });
  await withBuild(scenario, 1, (r) => {
    const counts = r.truth.info["row_counts"] as Record<string, number>;
    // root; per folder: itself + root, then its files + itself, then 3 more versions per file
    assertEquals(counts["vlob_atom"], 1 + 2 * 2 + (2 + 1) + (1 + 1) + 3 * 3);
    assertEquals([counts["block"], counts["block_data"]], [12, 12]);
    const history = r.truth.by_decryptor["sequester-service-bench"]!.history;
    const versions = new Map<string, number>();
    for (const h of history) {
      versions.set(h.vlob_id, Math.max(versions.get(h.vlob_id) ?? 0, h.version));
    }
    const last = r.truth.by_decryptor["sequester-service-bench"]!.trees.at(-1)!;
    const files = last.entries.filter((e) => e.type === "file");
    assertEquals(files.map((e) => [e.path, e.version, e.size, e.content_status]), [
      ["/folder-1/file-1", 4, 100, "ok"],
      ["/folder-1/file-2", 4, 100, "ok"],
      ["/folder-2/file-1", 4, 100, "ok"],
    ]);
    assertEquals(files.map((e) => versions.get(e.id)), [4, 4, 4]);
  });
});
