/**
 * Speed and memory of `sequex extract`, as ratios against baselines measured in the same run:
 *   - raw read: hashing the export file once (the I/O floor);
 *   - crypto: deriving keys and opening every block's secret box in one thread (the CPU floor).
 *
 *   deno task bench [--files 16] [--file-size 8MiB] [--keep DIR]
 */
import { parseArgs } from "node:util";
import { DatabaseSync } from "node:sqlite";
import { buildExport } from "./builder/build.ts";
import { benchScenario } from "./builder/presets.ts";
import { sha256File } from "../src/util/hash_file.ts";
import { deriveSecretKey } from "../src/crypto/key_derivation.ts";
import { openSecretBox } from "../src/crypto/secret_box.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    files: { type: "string", default: "16" },
    "file-size": { type: "string", default: "8MiB" },
    keep: { type: "string" },
  },
});

function parseSize(text: string): number {
  const m = /^(\d+)\s*(B|KiB|MiB|GiB|K|M|G)?$/i.exec(text);
  if (!m) throw new Error(`bad size "${text}"`);
  const unit = (m[2] ?? "B").toUpperCase()[0]!;
  return Number(m[1]) * ({ B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[unit] ?? 1);
}

const out = (line: string) => Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));
const dir = values.keep ?? await Deno.makeTempDir({ prefix: "sequex-bench-" });
await Deno.mkdir(dir, { recursive: true });
const files = Number(values.files);
const fileSize = parseSize(values["file-size"]!);
const exportPath = `${dir}/bench.sqlite`;

let t = performance.now();
const built = buildExport(benchScenario({ files, fileSize }), { out: exportPath, seed: 1 });
out(
  `built ${exportPath}: ${files} files × ${fileSize} B in ${
    ((performance.now() - t) / 1000).toFixed(1)
  } s`,
);
const exportBytes = (await Deno.stat(exportPath)).size;
const contentBytes = files * fileSize;

// Baseline 1: read and hash the export once.
t = performance.now();
await sha256File(exportPath);
const readSeconds = (performance.now() - t) / 1000;

// Baseline 2: key derivation + secret box open of every block, one thread, no checks, no writes.
const db = new DatabaseSync(exportPath, { readOnly: true });
const realmKeys = built.plan.realmKeys;
t = performance.now();
let opened = 0;
{
  for (
    const row of db.prepare(
      "SELECT block.block_id, block.key_index, block_data.data FROM block JOIN block_data ON block_data.block = block.sequential_id",
    ).iterate()
  ) {
    const r = row as { block_id: Uint8Array; key_index: number; data: Uint8Array };
    const kd = realmKeys[r.key_index - 1]!;
    if (openSecretBox(deriveSecretKey(kd, r.block_id), r.data)) opened += r.data.length - 40;
  }
}
const cryptoSeconds = (performance.now() - t) / 1000;
db.close();

// The real thing, in a child process to measure its peak memory: on this thread, then with the
// default worker threads.
const keyFile = [...Deno.readDirSync(built.keysDir)].find((e) =>
  e.name.startsWith("sequester-service-")
)!;

async function runExtract(threads: string | null): Promise<{ seconds: number; peakKib: number }> {
  const start = performance.now();
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all", // reading /proc/self/status for the peak memory needs it
      new URL("./bench_child.ts", import.meta.url).pathname,
      "extract",
      exportPath,
      "--key",
      `${built.keysDir}/${keyFile.name}`,
      "--out",
      `${dir}/case`,
      "--force",
      ...(threads === null ? [] : ["--threads", threads]),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  const stderr = new TextDecoder().decode(child.stderr);
  if (child.code !== 0) throw new Error(`extract failed: ${stderr}`);
  return { seconds, peakKib: Number(/PEAK_RSS_KIB (\d+)/.exec(stderr)?.[1] ?? NaN) };
}
const single = await runExtract("0");
const { seconds: extractSeconds, peakKib } = await runExtract(null);

const mb = (bytes: number, s: number) => (bytes / s / 1e6).toFixed(0);
out(
  `export ${(exportBytes / 2 ** 20).toFixed(0)} MiB, content ${
    (contentBytes / 2 ** 20).toFixed(0)
  } MiB`,
);
out(
  `baseline read+hash export : ${readSeconds.toFixed(2)} s (${mb(exportBytes, readSeconds)} MB/s)`,
);
out(
  `baseline decrypt blocks   : ${cryptoSeconds.toFixed(2)} s (${mb(opened, cryptoSeconds)} MB/s)`,
);
out(
  `sequex extract (default)  : ${extractSeconds.toFixed(2)} s (${
    mb(contentBytes, extractSeconds)
  } MB/s), peak RSS ${(peakKib / 1024).toFixed(0)} MiB`,
);
out(
  `extract --threads 0        : ${single.seconds.toFixed(2)} s (${
    mb(contentBytes, single.seconds)
  } MB/s), peak RSS ${(single.peakKib / 1024).toFixed(0)} MiB`,
);
out(`ratio threads 0 / default : ${(single.seconds / extractSeconds).toFixed(2)}`);
out(`ratio extract / read+hash : ${(extractSeconds / readSeconds).toFixed(2)}`);
out(`ratio extract / decrypt   : ${(extractSeconds / cryptoSeconds).toFixed(2)}`);
out(`ratio peak RSS / content  : ${((peakKib * 1024) / contentBytes).toFixed(3)}`);
if (!values.keep) await Deno.remove(dir, { recursive: true });
