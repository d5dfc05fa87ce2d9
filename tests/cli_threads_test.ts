/** Decrypting on worker threads changes nothing in what extract writes. */
import { deepStrictEqual as assertEquals, strictEqual } from "node:assert/strict";
import { PRESETS } from "../scripts/builder/presets.ts";
import { withBuild } from "./builder/build_helpers.ts";
import { runCli } from "./helpers.ts";

Deno.test("extract --threads 0 and --threads 2 write the same files, hashes and problems", async () => {
  await withBuild(PRESETS.faults!({}), 11, async (built, dir) => {
    const key = `${built.keysDir}/user-alice.key`;
    const outputs = [];
    for (const threads of ["0", "2"]) {
      const r = await runCli([
        "extract",
        built.exportPath,
        "--user-key-file",
        key,
        "--out",
        `${dir}/t${threads}`,
        "--all-versions",
        "--threads",
        threads,
      ]);
      strictEqual(r.code, 0, r.stderr);
      const sums = (await Deno.readTextFile(`${dir}/t${threads}/SHA256SUMS`)).split("\n")
        .filter((l) => !l.endsWith(" manifest.json"));
      const m = JSON.parse(await Deno.readTextFile(`${dir}/t${threads}/manifest.json`));
      outputs.push({ sums, problems: m.problems, summary: m.summary });
    }
    strictEqual(outputs[0]!.sums.length, 19); // 18 files and versions + the final newline
    assertEquals(outputs[1], outputs[0]);
  }, "faults");
});
