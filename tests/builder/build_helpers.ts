/** Test helper: builds a scenario into a fresh temporary folder and cleans it up. */
import { buildExport, type BuildResult } from "../../scripts/builder/build.ts";
import type { Scenario } from "../../scripts/builder/scenario.ts";

/** Builds `scenario` as `<tmp>/<name>.sqlite`, runs `fn`, then removes the folder. */
export async function withBuild<T>(
  scenario: Scenario,
  seed: number,
  fn: (result: BuildResult, dir: string) => T | Promise<T>,
  name = "export",
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "sequex-builder-" });
  try {
    return await fn(buildExport(scenario, { out: `${dir}/${name}.sqlite`, seed }), dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
