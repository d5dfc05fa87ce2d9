/**
 * Writes the committed demo: `demo/demo.sqlite`, `demo/demo.keys/` (DEMO keys, not secret) and
 * `demo/demo.truth.json`, from the `demo` preset with seed 1.
 *
 *   deno run --allow-read --allow-write --allow-env scripts/make_demo.ts
 */
import { buildExport } from "./builder/build.ts";
import { demoScenario } from "./builder/presets.ts";

/** Seed of the committed demo. */
export const DEMO_SEED = 1;

function main(): void {
  const dir = new URL("../demo/", import.meta.url).pathname;
  try {
    Deno.removeSync(`${dir}demo.keys`, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const result = buildExport(demoScenario(), { out: `${dir}demo.sqlite`, seed: DEMO_SEED });
  const size = Deno.statSync(result.exportPath).size;
  // deno-lint-ignore no-console
  console.log(`${result.exportPath}: ${size} bytes, sha256 ${result.sha256}`);
}

if (import.meta.main) main();
