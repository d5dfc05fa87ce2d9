/**
 * Builds an export from a scenario: `F.sqlite`, `F.keys/` and `F.truth.json`, all deterministic
 * for a given scenario and seed.
 */
import { createHash } from "node:crypto";
import { basename, dirname } from "node:path";
import { type CompileOptions, compileScenario } from "./compile.ts";
import { writeKeyFiles } from "./keys_out.ts";
import type { Plan } from "./plan.ts";
import type { Scenario } from "./scenario.ts";
import { computeTruth, type Truth } from "./truth.ts";
import { writeExport, type WriteResult } from "./writer.ts";

/** Options of `buildExport`. */
export interface BuildOptions extends CompileOptions {
  /** Output SQLite path (should end in `.sqlite`). */
  out: string;
  seed: number;
  /** Also write `F.truth.json` (default true). */
  truth?: boolean;
  /** Also write `F.keys/` (default true). */
  keys?: boolean;
}

/** What `buildExport` wrote. */
export interface BuildResult {
  readonly exportPath: string;
  readonly keysDir: string;
  readonly truthPath: string;
  readonly sha256: string;
  readonly written: WriteResult;
  readonly plan: Plan;
  readonly truth: Truth;
}

/** `F` of `F.sqlite` (the path without the `.sqlite` extension). */
export function exportStem(out: string): string {
  return out.endsWith(".sqlite") ? out.slice(0, -".sqlite".length) : out;
}

/** SHA-256 (hex) of a file, read in chunks. */
export function fileSha256(path: string): string {
  const hash = createHash("sha256");
  const file = Deno.openSync(path, { read: true });
  try {
    const buf = new Uint8Array(1 << 20);
    for (;;) {
      const n = file.readSync(buf);
      if (n === null) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    file.close();
  }
  return hash.digest("hex");
}

/** Compiles, writes the export, its keys and its truth. */
export function buildExport(scenario: Scenario, options: BuildOptions): BuildResult {
  const compileOptions: CompileOptions = options.keyCacheDir === undefined
    ? {}
    : { keyCacheDir: options.keyCacheDir };
  const plan = compileScenario(scenario, options.seed, compileOptions);
  const stem = exportStem(options.out);
  const keysDir = `${stem}.keys`;
  const truthPath = `${stem}.truth.json`;
  const written = writeExport(plan, options.out);
  const sha256 = fileSha256(options.out);
  if (options.keys ?? true) writeKeyFiles(plan, keysDir);
  const truth = computeTruth(plan, written, {
    exportFile: basename(options.out),
    exportSha256: sha256,
    keysDir: basename(keysDir),
  });
  if (options.truth ?? true) {
    Deno.mkdirSync(dirname(truthPath), { recursive: true });
    Deno.writeTextFileSync(truthPath, `${JSON.stringify(truth, null, 2)}\n`);
  }
  return { exportPath: options.out, keysDir, truthPath, sha256, written, plan, truth };
}
