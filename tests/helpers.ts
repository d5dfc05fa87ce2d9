/** Shared test helpers: where the real fixtures are, and running the CLI as a subprocess. */
import { existsSync } from "node:fs";
import { fileURLToPath as fromFileUrl } from "node:url";

/** The repository root. */
export const REPO = fromFileUrl(new URL("../", import.meta.url));
/**
 * Real Parsec exports, keys and truth (outside the repository; CI provides it beside the clone).
 * `SEQUEX_FIXTURES=/path/to/fixtures/parsec` points the tests elsewhere.
 */
export const FIXTURES = Deno.env.get("SEQUEX_FIXTURES")?.replace(/\/?$/, "/") ??
  fromFileUrl(new URL("../../shared/fixtures/parsec/", import.meta.url));
/** Whether the real fixtures are present. */
export const HAS_FIXTURES = existsSync(`${FIXTURES}sequestered_export.sqlite`);
/** Reason shown when the real fixtures are absent. */
export const NO_FIXTURES =
  `${FIXTURES} is absent: real-export tests skipped (set SEQUEX_FIXTURES to run them)`;
// deno-lint-ignore no-console
if (!HAS_FIXTURES) console.warn(`SKIP: ${NO_FIXTURES}`);

export const SEQUESTERED = `${FIXTURES}sequestered_export.sqlite`;
export const WORKSPACE_HISTORY = `${FIXTURES}workspace_history_export.sqlite`;
export const KEYS = `${FIXTURES}keys/`;
export const USER_KEYS = {
  alice: "aa00000000000000000000000000000000000000000000000000000000000002",
  bob: "aa00000000000000000000000000000000000000000000000000000000000006",
  mallory: "aa0000000000000000000000000000000000000000000000000000000000000a",
} as const;

/** Test definition that is skipped, with a printed reason, when the real fixtures are absent. */
export function fixtureTest(name: string, fn: () => void | Promise<void>): void {
  Deno.test({ name, ignore: !HAS_FIXTURES, fn });
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `main.ts` with the `sequex` task's permissions; `stdin` is piped in when given (else no
 * stdin, so no passphrase prompt), `env` is added to the environment.
 */
export async function runCli(
  args: string[],
  opts: { cwd?: string; stdin?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      `${REPO}main.ts`,
      ...args,
    ],
    cwd: opts.cwd ?? REPO,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...opts.env },
  }).spawn();
  if (opts.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(opts.stdin));
    await writer.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** SHA-256 hex of a file. */
export async function sha256OfFile(path: string): Promise<string> {
  const data = await Deno.readFile(path);
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", data)))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sequex-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
