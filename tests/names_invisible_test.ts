/** Invisible characters in names (BOM, zero-width) are kept in the report and escaped on disk. */
import { deepStrictEqual as assertEquals, strictEqual } from "node:assert/strict";
import { decodeMsgpack } from "../src/codec/msgpack.ts";
import { safeFileName } from "../src/extract/safe_names.ts";
import type { Scenario } from "../scripts/builder/scenario.ts";
import { withBuild } from "./builder/build_helpers.ts";
import { runCli } from "./helpers.ts";

Deno.test("msgpack keeps a leading U+FEFF in a string", () => {
  strictEqual(decodeMsgpack(new Uint8Array([0xa4, 0xef, 0xbb, 0xbf, 0x61])), "\ufeffa");
});

Deno.test("invisible and Windows console names are escaped", () => {
  assertEquals(
    ["\ufeffbom", "\u200bzw", "a\u2060b", "CONIN$", "conout$.txt", "a\u0085b"].map(safeFileName),
    ["%EF%BB%BFbom", "%E2%80%8Bzw", "a%E2%81%A0b", "%43ONIN$", "%63onout$.txt", "a%C2%85b"],
  );
});

Deno.test("a name starting with U+FEFF is a separate file, not a duplicate of the plain name", async () => {
  const scenario = {
    name: "bom",
    users: [{ name: "alice" }],
    realm: { name: "\ufeffBOM realm" },
    history: [
      { op: "resync", path: "/" },
      { op: "create_file", path: "/bom", content: "plain" },
      { op: "create_file", path: "/\ufeffbom", content: "with BOM" },
    ],
  } as unknown as Scenario;
  await withBuild(scenario, 1, async (built, dir) => {
    const key = (await Deno.readTextFile(`${built.keysDir}/user-alice.key`)).trim();
    const r = await runCli(["extract", built.exportPath, "--user-key", key, "--out", `${dir}/c`]);
    strictEqual(r.code, 0, r.stderr);
    const m = JSON.parse(await Deno.readTextFile(`${dir}/c/manifest.json`));
    assertEquals(
      m.entries.map((e: { path: string; output_path: string }) => [e.path, e.output_path]),
      [["/", "files"], ["/bom", "files/bom"], ["/\ufeffbom", "files/%EF%BB%BFbom"]],
    );
    strictEqual(m.export.workspace_name, "\ufeffBOM realm");
    strictEqual(await Deno.readTextFile(`${dir}/c/files/bom`), "plain");
    strictEqual(await Deno.readTextFile(`${dir}/c/files/%EF%BB%BFbom`), "with BOM");
  }, "bom");
});
