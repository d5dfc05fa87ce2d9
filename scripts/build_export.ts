/**
 * CLI: builds a Parsec realm export (+ keys + truth) from a preset or a scenario file.
 *
 *   deno task build-export --preset NAME|--scenario FILE --out F.sqlite [--seed N]
 */
import { parseArgs } from "node:util";
import { buildExport } from "./builder/build.ts";
import { PRESETS } from "./builder/presets.ts";
import { parseScenarioJson, type Scenario, ScenarioError } from "./builder/scenario.ts";

const USAGE =
  `usage: deno task build-export (--preset NAME | --scenario FILE) --out F.sqlite [--seed N]
presets: ${Object.keys(PRESETS).join(", ")}
writes F.sqlite, F.keys/ (root.key, user-*.key, sequester-service-*.pem) and F.truth.json`;

function fail(message: string): never {
  // deno-lint-ignore no-console
  console.error(`build-export: ${message}\n${USAGE}`);
  Deno.exit(2);
}

function main(): void {
  let values;
  try {
    values = parseArgs({
      args: Deno.args,
      options: {
        preset: { type: "string" },
        scenario: { type: "string" },
        out: { type: "string" },
        seed: { type: "string", default: "1" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    // deno-lint-ignore no-console
    console.log(USAGE);
    return;
  }
  if ((values.preset === undefined) === (values.scenario === undefined)) {
    fail("give exactly one of --preset and --scenario");
  }
  if (values.out === undefined) fail("--out is required");
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);
  let scenario: Scenario;
  if (values.preset !== undefined) {
    const preset = PRESETS[values.preset];
    if (!preset) fail(`unknown preset "${values.preset}"`);
    scenario = preset();
  } else {
    scenario = parseScenarioJson(Deno.readTextFileSync(values.scenario!));
  }
  try {
    const started = performance.now();
    const result = buildExport(scenario, { out: values.out, seed });
    const ms = Math.round(performance.now() - started);
    // deno-lint-ignore no-console
    console.log(
      `${result.exportPath}: sha256 ${result.sha256}, ${
        result.written.rowCounts["vlob_atom"] ?? 0
      } vlob atoms, ${
        result.written.rowCounts["block"] ?? 0
      } blocks (${ms} ms)\nkeys: ${result.keysDir}/\ntruth: ${result.truthPath}`,
    );
  } catch (e) {
    if (e instanceof ScenarioError) fail(e.message);
    throw e;
  }
}

main();
