/** The `build-export` CLI: writes the three outputs, refuses bad arguments with exit code 2. */
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";

const SCRIPT = new URL("../../scripts/build_export.ts", import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-read", "--allow-write", "--allow-env", SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("build-export CLI: preset and scenario file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sequex-builder-cli-" });
  try {
    const r = await run(["--preset", "basic", "--out", `${dir}/b.sqlite`, "--seed", "5"]);
    assertEquals(r.code, 0, r.stderr);
    assert(r.stdout.includes("sha256"));
    const keys = [...Deno.readDirSync(`${dir}/b.keys`)].map((e) => e.name).sort();
    assertEquals(keys, ["root.key", "user-alice.key", "user-bob.key"]);
    assert(/^[0-9a-f]{64}\n$/.test(Deno.readTextFileSync(`${dir}/b.keys/user-bob.key`)));
    const truth = JSON.parse(Deno.readTextFileSync(`${dir}/b.truth.json`));
    assertEquals([truth.scenario, truth.seed], ["basic", 5]);

    const scenario = {
      name: "tiny",
      users: [{ name: "zoe" }],
      realm: { name: "W" },
      history: [{ op: "create_file", path: "/a.txt", content: "hi" }],
    };
    await Deno.writeTextFile(`${dir}/tiny.json`, JSON.stringify(scenario));
    const t = await run(["--scenario", `${dir}/tiny.json`, "--out", `${dir}/t.sqlite`]);
    assertEquals(t.code, 0, t.stderr);
    const tiny = JSON.parse(Deno.readTextFileSync(`${dir}/t.truth.json`));
    const tree = tiny.by_decryptor["user-zoe"].trees.at(-1);
    assertEquals(tree.entries.map((e: { path: string }) => e.path), ["/", "/a.txt"]);
    assertEquals(
      tree.entries[1].sha256,
      "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("build-export CLI: bench preset with size options", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sequex-builder-cli-" });
  try {
    const args = ["--preset", "bench", "--files", "5", "--file-size", "3K", "--files-per-folder"];
    const r = await run([...args, "2", "--max-trees", "1", "--out", `${dir}/x.sqlite`]);
    assertEquals(r.code, 0, r.stderr);
    const truth = JSON.parse(Deno.readTextFileSync(`${dir}/x.truth.json`));
    assertEquals(truth.info.row_counts.block, 5);
    assertEquals(
      truth.info.row_counts.vlob_atom,
      1 + 3 * 3 + 5,
      "root; per folder: itself, root, itself again; files",
    );
    const trees = truth.by_decryptor["sequester-service-bench"].trees;
    assertEquals(trees.length, 1);
    const files = trees[0].entries.filter((e: { type: string }) => e.type === "file");
    assertEquals(files.map((e: { path: string; size: number }) => [e.path, e.size]), [
      ["/folder-1/file-1", 3072],
      ["/folder-1/file-2", 3072],
      ["/folder-2/file-1", 3072],
      ["/folder-2/file-2", 3072],
      ["/folder-3/file-1", 3072],
    ]);
    assert(new Set(files.map((e: { sha256: string }) => e.sha256)).size === 5, "distinct contents");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("build-export CLI: unreadable outputs and --truncate write the expected open error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sequex-builder-cli-" });
  try {
    const n = await run(["--preset", "not-export", "--out", `${dir}/n.sqlite`]);
    assertEquals(n.code, 0, n.stderr);
    const nt = JSON.parse(Deno.readTextFileSync(`${dir}/n.truth.json`));
    assertEquals([nt.scenario, nt.expected_open_error], ["not-export", "invalid_database"]);
    const t = await run(["--preset", "truncated", "--out", `${dir}/t.sqlite`]);
    assertEquals(t.code, 0, t.stderr);
    const tt = JSON.parse(Deno.readTextFileSync(`${dir}/t.truth.json`));
    assertEquals([tt.scenario, tt.expected_open_error], ["truncated", "truncated_database"]);
    assertEquals(Deno.statSync(`${dir}/t.sqlite`).size, 32768);
    const c = await run(["--preset", "faults", "--truncate", "5000", "--out", `${dir}/c.sqlite`]);
    assertEquals(c.code, 0, c.stderr);
    assertEquals(Deno.statSync(`${dir}/c.sqlite`).size, 5000);
    const ct = JSON.parse(Deno.readTextFileSync(`${dir}/c.truth.json`));
    assertEquals([ct.scenario, ct.expected_open_error], ["faults", "truncated_database"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("build-export CLI: bad arguments exit with 2 and a message", async () => {
  const cases: [string[], string][] = [
    [["--out", "x.sqlite"], "exactly one of --preset and --scenario"],
    [["--preset", "nope", "--out", "x.sqlite"], 'unknown preset "nope"'],
    [["--preset", "basic"], "--out is required"],
    [["--preset", "basic", "--out", "x.sqlite", "--seed", "abc"], "--seed must be an integer"],
    [["--preset", "bench", "--out", "x.sqlite", "--file-size", "12Q"], "not a size"],
    [["--preset", "bench", "--out", "x.sqlite", "--files", "0"], "--files must be a positive"],
    [["--preset", "basic", "--out", "x.sqlite", "--truncate", "12x"], "--truncate must be a byte"],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assertEquals(r.code, 2, args.join(" "));
    assert(r.stderr.includes(message), r.stderr);
  }
});
