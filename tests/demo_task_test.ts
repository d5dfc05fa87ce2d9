/** The README's first command: `deno task demo` extracts the committed demo export. */
import { deepStrictEqual as assertEquals, strictEqual } from "node:assert/strict";
import { REPO, runCli, sha256OfFile, withTempDir } from "./helpers.ts";

Deno.test("the demo task's extract writes the demo tree, every version and a clean report", async () => {
  const tasks = JSON.parse(await Deno.readTextFile(`${REPO}deno.json`)).tasks;
  const args: string[] = tasks.demo.split(" ").slice(tasks.demo.split(" ").indexOf("main.ts") + 1);
  strictEqual(args[args.indexOf("--out") + 1], "demo-out");
  await withTempDir(async (dir) => {
    args[args.indexOf("--out") + 1] = `${dir}/demo-out`;
    const r = await runCli(args);
    strictEqual(r.code, 0, r.stderr);
    const m = JSON.parse(await Deno.readTextFile(`${dir}/demo-out/manifest.json`));
    assertEquals(m.summary.problems, 0);
    assertEquals([m.summary.files, m.summary.folders], [5, 4]);
    assertEquals(m.history.summary.file_versions_written, 9);
    assertEquals(m.history.summary.deleted, 1);
    const truth = JSON.parse(await Deno.readTextFile(`${REPO}demo/demo.truth.json`));
    const finalTree = truth.by_decryptor["sequester-service-demo"].trees.at(-1).entries;
    for (const e of m.entries.filter((x: { type: string }) => x.type === "file")) {
      const t = finalTree.find((x: { path: string }) => x.path === e.path);
      strictEqual(e.sha256, t.sha256, e.path);
      strictEqual(await sha256OfFile(`${dir}/demo-out/${e.output_path}`), t.sha256);
    }
  });
});
