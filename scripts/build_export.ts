/**
 * CLI: builds a Parsec realm export (+ keys + truth) from a preset or a scenario file.
 *
 *   deno task build-export --preset NAME|--scenario FILE --out F.sqlite [--seed N]
 *     [--max-trees K] [--no-truth] [--truncate BYTES]
 *     [--files N --file-size SIZE --files-per-folder M --versions V]  (bench)
 *   deno task build-export --preset truncated|not-export|not-export-info --out F.sqlite
 */
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import {
  BROKEN_OUTPUTS,
  type BrokenOutput,
  buildBroken,
  buildExport,
  buildExportStreamed,
  truncateExport,
} from "./builder/build.ts";
import { type PresetOptions, PRESETS } from "./builder/presets.ts";
import { parseScenarioJson, type Scenario, ScenarioError } from "./builder/scenario.ts";

const USAGE =
  `usage: deno task build-export (--preset NAME | --scenario FILE) --out F.sqlite [--seed N]
         [--max-trees K] [--no-truth] [--truncate BYTES]
         bench only: [--files N] [--file-size SIZE] [--files-per-folder M] [--versions V]
                     (SIZE: 4096, 64K, 1M, 1G; V versions of every file)
presets: ${Object.keys(PRESETS).join(", ")}
unreadable files (truth = the open error): ${BROKEN_OUTPUTS.join(", ")}, or --truncate BYTES
writes F.sqlite, F.keys/ (root.key, user-*.key, sequester-service-*.pem) and F.truth.json`;

function fail(message: string): never {
  // deno-lint-ignore no-console
  console.error(`build-export: ${message}\n${USAGE}`);
  Deno.exit(2);
}

/** Bytes of a size like `4096`, `64K`, `1M`, `1G` (binary units). */
function parseSize(text: string, what: string): number {
  const m = /^(\d+)([KMG]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) fail(`${what}: not a size: "${text}"`);
  const units: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
  return Number(m[1]) * units[m[2]!.toUpperCase()]!;
}

function parseCount(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) fail(`${what} must be a positive integer, got "${text}"`);
  return n;
}

function parse() {
  try {
    return parseArgs({
      args: Deno.args,
      options: {
        preset: { type: "string" },
        scenario: { type: "string" },
        out: { type: "string" },
        seed: { type: "string", default: "1" },
        "max-trees": { type: "string" },
        "no-truth": { type: "boolean" },
        truncate: { type: "string" },
        files: { type: "string" },
        "file-size": { type: "string" },
        "files-per-folder": { type: "string" },
        versions: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
}

function loadScenario(values: ReturnType<typeof parse>): Scenario {
  if (values.scenario !== undefined) {
    return parseScenarioJson(Deno.readTextFileSync(values.scenario));
  }
  const preset = PRESETS[values.preset!];
  if (!preset) fail(`unknown preset "${values.preset}"`);
  const options: PresetOptions = {};
  const files = parseCount(values.files, "--files");
  const perFolder = parseCount(values["files-per-folder"], "--files-per-folder");
  if (files !== undefined) options.files = files;
  if (perFolder !== undefined) options.filesPerFolder = perFolder;
  const versions = parseCount(values.versions, "--versions");
  if (versions !== undefined) options.versions = versions;
  if (values["file-size"] !== undefined) {
    options.fileSize = parseSize(values["file-size"], "--file-size");
  }
  return preset(options);
}

function main(): void {
  const values = parse();
  if (values.help) {
    // deno-lint-ignore no-console
    console.log(USAGE);
    return;
  }
  if ((values.preset === undefined) === (values.scenario === undefined)) {
    fail("give exactly one of --preset and --scenario");
  }
  if (values.out === undefined) fail("--out is required");
  Deno.mkdirSync(dirname(values.out), { recursive: true });
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);
  if ((BROKEN_OUTPUTS as readonly string[]).includes(values.preset ?? "")) {
    const truth = buildBroken(values.preset as BrokenOutput, values.out, seed);
    // deno-lint-ignore no-console
    console.log(`${values.out}: sha256 ${truth.source.sha256}, ${truth.expected_open_error}`);
    return;
  }
  let truncate: number | undefined;
  if (values.truncate !== undefined) {
    truncate = Number(values.truncate);
    if (!Number.isSafeInteger(truncate) || truncate < 0) {
      fail(`--truncate must be a byte count, got "${values.truncate}"`);
    }
  }
  try {
    const scenario = loadScenario(values);
    const maxTrees = parseCount(values["max-trees"], "--max-trees");
    if (maxTrees !== undefined) scenario.options = { ...scenario.options, maxTrees };
    const started = performance.now();
    if (truncate !== undefined) {
      const t = truncateExport(buildExport(scenario, { out: values.out, seed }), truncate);
      // deno-lint-ignore no-console
      console.log(`${values.out}: truncated to ${truncate} bytes, ${t.expected_open_error}`);
      return;
    }
    const truth = !values["no-truth"];
    const result = truth
      ? buildExport(scenario, { out: values.out, seed })
      : { ...buildExportStreamed(scenario, { out: values.out, seed }), truthPath: "" };
    const ms = Math.round(performance.now() - started);
    const counts = result.written.rowCounts;
    // deno-lint-ignore no-console
    console.log(
      `${result.exportPath}: sha256 ${result.sha256}, ${counts["vlob_atom"] ?? 0} vlob atoms, ` +
        `${counts["block"] ?? 0} blocks (${ms} ms)\nkeys: ${result.keysDir}/` +
        (truth ? `\ntruth: ${result.truthPath}` : ""),
    );
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof SyntaxError) fail(e.message);
    throw e;
  }
}

main();
