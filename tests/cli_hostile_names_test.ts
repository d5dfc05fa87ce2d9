/** Extracting hostile names: every write stays in CASE_DIR/files, names escaped, originals reported. */
import { deepStrictEqual as assertEquals, ok, strictEqual } from "node:assert/strict";
import { resolve, sep } from "node:path";
import { PRESETS } from "../scripts/builder/presets.ts";
import { withBuild } from "./builder/build_helpers.ts";
import { runCli, sha256OfFile } from "./helpers.ts";

interface Entry {
  path: string;
  output_path: string | null;
  type: string;
  sha256: string | null;
  status: string;
}

Deno.test("extract of the hostile preset writes every entry inside files/ with escaped names", async () => {
  await withBuild(PRESETS.hostile!({}), 3, async (built, dir) => {
    const userKey = (await Deno.readTextFile(`${built.keysDir}/user-alice.key`)).trim();
    const r = await runCli([
      "extract",
      built.exportPath,
      "--user-key",
      userKey,
      "--out",
      `${dir}/case`,
    ]);
    strictEqual(r.code, 0, r.stderr);
    const m = JSON.parse(await Deno.readTextFile(`${dir}/case/manifest.json`));
    const entries: Entry[] = m.entries;
    const filesDir = resolve(`${dir}/case/files`);
    for (const e of entries) {
      ok(e.output_path !== null, `${e.path} was written`);
      const abs = resolve(`${dir}/case`, e.output_path!);
      ok(abs === filesDir || abs.startsWith(filesDir + sep), `${abs} is inside files/`);
      const stat = await Deno.lstat(abs);
      strictEqual(stat.isSymlink, false);
      if (e.type === "file") strictEqual(await sha256OfFile(abs), e.sha256);
    }
    const out = (p: string) => entries.find((e) => e.path === p)?.output_path;
    assertEquals(
      [out("/names/CON"), out("/names/a:b"), out("/names/aux.txt"), out('/names/*?<>|"')],
      [
        "files/names/%43ON",
        "files/names/a%3Ab",
        "files/names/%61ux.txt",
        "files/names/%2A%3F%3C%3E%7C%22",
      ],
    );
    strictEqual(out("/names/Case"), "files/names/Case");
    ok(/^files\/names\/case~[0-9a-f]{8}$/.test(out("/names/case")!), out("/names/case")!);
    strictEqual(out("/names/rtl\u202etxt.exe"), "files/names/rtl%E2%80%AEtxt.exe");
    const truth = built.truth as unknown as {
      by_decryptor: Record<string, { trees: { entries: { path: string; sha256?: string }[] }[] }>;
    };
    const final = truth.by_decryptor["user-alice"]!.trees.at(-1)!.entries;
    assertEquals(
      entries.filter((e) => e.type === "file").map((e) => [e.path, e.sha256]).sort(),
      final.filter((e) => e.sha256).map((e) => [e.path, e.sha256]).sort(),
    );
    assertEquals(
      m.skipped_children.map((p: { problem: string }) => p.problem).sort(),
      ["cycle", "name_collision", "parent_mismatch"],
    );
    const collision = m.skipped_children.find((p: { problem: string }) =>
      p.problem === "name_collision"
    );
    assertEquals([collision.parent_path, collision.name.normalize("NFC")], ["/names", "café.txt"]);
  }, "hostile");
});
