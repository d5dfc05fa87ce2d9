/**
 * Packages sequex into one self-contained executable with `deno compile`.
 *
 *   deno task compile [--target x86_64-pc-windows-msvc|x86_64-unknown-linux-gnu|aarch64-apple-darwin|…]
 *
 * `deno compile` needs the `denort` runtime for the target: on a connected machine Deno downloads
 * it; on an offline machine point `DENORT_BIN` at a local `denort` binary of the same Deno version.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: { target: { type: "string" }, output: { type: "string" } },
});
const windows = values.target?.includes("windows") ?? Deno.build.os === "windows";
const output = values.output ??
  `dist/sequex${values.target ? `-${values.target}` : ""}${windows ? ".exe" : ""}`;
const args = [
  "compile",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--no-prompt",
  "--include",
  "src/realm/block_worker.ts",
  ...(values.target ? ["--target", values.target] : []),
  "--output",
  output,
  "main.ts",
];
const denort = Deno.env.get("DENORT_BIN");
// deno-lint-ignore no-console
console.log(`deno ${args.join(" ")}${denort ? `  (DENORT_BIN=${denort})` : ""}`);
// Paths above are relative to the repository root, wherever this script is started from.
const cwd = new URL("..", import.meta.url).pathname;
const status = await new Deno.Command(Deno.execPath(), { args, cwd }).spawn().status;
if (!status.success) {
  // deno-lint-ignore no-console
  console.error(
    "deno compile failed. Offline, it needs DENORT_BIN=/path/to/denort (same Deno version, " +
      "target platform); otherwise run this task on a machine that reaches Deno's download server.",
  );
}
Deno.exit(status.code);
