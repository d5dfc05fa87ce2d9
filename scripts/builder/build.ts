/**
 * Builds an export from a scenario: `F.sqlite`, `F.keys/` and `F.truth.json`, all deterministic
 * for a given scenario and seed.
 */
import { createHash } from "node:crypto";
import { basename, dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type CompileOptions, compileScenario } from "./compile.ts";
import { writeKeyFiles } from "./keys_out.ts";
import type { Plan } from "./plan.ts";
import { basicScenario } from "./presets.ts";
import { type Scenario, ScenarioError } from "./scenario.ts";
import { computeTruth, type Truth, TRUTH_FORMAT } from "./truth.ts";
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

/**
 * Writes the export and its keys without a truth, streaming: the uploads are generated and
 * written one at a time and never kept, so memory does not grow with the history (millions of
 * manifest versions). Same bytes as `buildExport`.
 */
export function buildExportStreamed(
  scenario: Scenario,
  options: Omit<BuildOptions, "truth">,
): { exportPath: string; keysDir: string; sha256: string; written: WriteResult } {
  const plan = compileScenario(scenario, options.seed, {
    stream: true,
    ...(options.keyCacheDir === undefined ? {} : { keyCacheDir: options.keyCacheDir }),
  });
  const keysDir = `${exportStem(options.out)}.keys`;
  const written = writeExport(plan, options.out);
  if (options.keys ?? true) writeKeyFiles(plan, keysDir);
  return { exportPath: options.out, keysDir, sha256: fileSha256(options.out), written };
}

/** Truth of a file the reader must refuse to open, and the open error it must give. */
export interface OpenErrorTruth {
  format: typeof TRUTH_FORMAT;
  scenario: string;
  seed: number;
  source: { file: string; sha256: string };
  expected_open_error: "truncated_database" | "invalid_database";
}

/**
 * Builds that are not readable exports: `truncated` (basic cut to its first half, whole
 * pages), `not-export` (an SQLite file of another application), `not-export-info` (the same
 * with a table named `info` that has no `magic` column). All are `invalid_database` but the
 * first (`truncated_database`).
 */
export const BROKEN_OUTPUTS = ["truncated", "not-export", "not-export-info"] as const;
export type BrokenOutput = (typeof BROKEN_OUTPUTS)[number];

function writeOpenErrorTruth(
  out: string,
  scenario: string,
  seed: number,
  expected: OpenErrorTruth["expected_open_error"],
): OpenErrorTruth {
  const truth: OpenErrorTruth = {
    format: TRUTH_FORMAT,
    scenario,
    seed,
    source: { file: basename(out), sha256: fileSha256(out) },
    expected_open_error: expected,
  };
  Deno.writeTextFileSync(`${exportStem(out)}.truth.json`, `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}

/**
 * Cuts a built export to its first `bytes` bytes and replaces its truth: below the 100-byte
 * SQLite header the file is not recognizable (`invalid_database`), otherwise the header
 * announces more pages than the file holds (`truncated_database`).
 */
export function truncateExport(built: BuildResult, bytes: number): OpenErrorTruth {
  const size = Deno.statSync(built.exportPath).size;
  if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes >= size) {
    throw new ScenarioError(`cannot truncate a ${size}-byte export to ${bytes} bytes`);
  }
  Deno.truncateSync(built.exportPath, bytes);
  return writeOpenErrorTruth(
    built.exportPath,
    built.plan.scenarioName,
    built.plan.seed,
    bytes < 100 ? "invalid_database" : "truncated_database",
  );
}

/** Writes one of the `BROKEN_OUTPUTS` (no keys: nothing to decrypt) and its truth. */
export function buildBroken(kind: BrokenOutput, out: string, seed: number): OpenErrorTruth {
  if (kind === "truncated") {
    const built = buildExport({ ...basicScenario(), name: "truncated" }, { out, seed });
    Deno.removeSync(built.keysDir, { recursive: true });
    const pages = Deno.statSync(out).size / 4096;
    return truncateExport(built, Math.floor(pages / 2) * 4096);
  }
  removeFile(out);
  const db = new DatabaseSync(out);
  try {
    // A valid SQLite file of another application (with `not-export-info`: a table `info`).
    db.exec("PRAGMA journal_mode = DELETE");
    const table = kind === "not-export-info" ? "info" : "settings";
    db.exec(`CREATE TABLE ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    const info = db.prepare(`INSERT INTO ${table} (key, value) VALUES (?, ?)`);
    info.run("application", "notes");
    info.run("seed", String(seed));
    const note = db.prepare("INSERT INTO notes (id, body) VALUES (?, ?)");
    for (let i = 1; i <= 20; i++) note.run(i, `note ${i} of seed ${seed}`);
  } finally {
    db.close();
  }
  return writeOpenErrorTruth(out, kind, seed, "invalid_database");
}

function removeFile(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
