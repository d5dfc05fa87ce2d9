/**
 * Passphrase sources for encrypted keys: a file, an environment variable, standard input, or an
 * interactive prompt (injected, so this module stays free of terminal handling). A passphrase is
 * never put in an error message, a log or a report.
 */
import { UsageError } from "../errors.ts";

/** What the command line asked for (at most one of the three). */
export interface PassphraseOptions {
  readonly file?: string | undefined;
  readonly env?: string | undefined;
  readonly stdin?: boolean | undefined;
}

/** Reads the platform: a file, a variable, all of standard input, or asks the user. */
export interface PassphraseIo {
  readFile(path: string): Uint8Array;
  getEnv(name: string): string | undefined;
  readStdin(): Uint8Array;
  /** Asks without echo; `undefined` when no terminal is attached. */
  prompt?: ((question: string) => string) | undefined;
}

/** Gives the passphrase for a key; `undefined` when no source can give one. */
export interface PassphraseSource {
  /** `what` names the key in prompts (`key "x.pem"`); `confirm` asks twice when interactive. */
  get(what: string, opts?: { confirm?: boolean }): string | undefined;
  /** Where passphrases come from, for messages (`--passphrase-file`, `prompt`, `none`). */
  readonly origin: string;
}

/** A source that never has a passphrase. */
export const NO_PASSPHRASE: PassphraseSource = { get: () => undefined, origin: "none" };

/** The passphrase source the options describe; a usage error for conflicting or empty ones. */
export function passphraseSource(opts: PassphraseOptions, io: PassphraseIo): PassphraseSource {
  const given = [
    opts.file !== undefined && "--passphrase-file",
    opts.env !== undefined && "--passphrase-env",
    opts.stdin && "--passphrase-stdin",
  ].filter((x): x is string => typeof x === "string");
  if (given.length > 1) throw new UsageError(`choose one passphrase source: ${given.join(", ")}`);
  if (given.length === 0) {
    const prompt = io.prompt;
    if (!prompt) return NO_PASSPHRASE;
    return {
      origin: "prompt",
      get(what, o) {
        const first = nonEmpty(prompt(`Passphrase for ${what}: `), "the passphrase typed");
        if (o?.confirm && prompt(`Same passphrase again: `) !== first) {
          throw new UsageError("the two passphrases typed differ");
        }
        return first;
      },
    };
  }
  let cached: string[] | undefined;
  const read = (): string[] => {
    if (opts.file !== undefined) {
      let raw: Uint8Array;
      try {
        raw = io.readFile(opts.file);
      } catch (e) {
        const code = (e as { code?: string }).code;
        throw new UsageError(
          `--passphrase-file "${opts.file}": ${
            code === "ENOENT" || e instanceof Deno.errors.NotFound ? "no such file" : "cannot read"
          }`,
        );
      }
      return lines(raw).map((l) => nonEmpty(l, `--passphrase-file "${opts.file}"`));
    }
    if (opts.env !== undefined) {
      const value = io.getEnv(opts.env);
      if (value === undefined) {
        throw new UsageError(`--passphrase-env ${opts.env}: the variable is not set`);
      }
      return [nonEmpty(value, `--passphrase-env ${opts.env}`)];
    }
    return lines(io.readStdin()).map((l) => nonEmpty(l, "--passphrase-stdin"));
  };
  // One line serves every encrypted key; several lines serve the keys in command-line order.
  let used = 0;
  return {
    origin: given[0]!,
    get() {
      cached ??= read();
      if (cached.length === 1) return cached[0]!;
      const next = cached[used++];
      if (next === undefined) {
        throw new UsageError(
          `${
            given[0]
          } holds ${cached.length} passphrases (one per line), fewer than the encrypted keys`,
        );
      }
      return next;
    },
  };
}

/** The lines of a passphrase file or stream, without line endings or a final empty line. */
export function lines(raw: Uint8Array): string[] {
  const all = decodeUtf8(raw).split(/\r?\n/);
  if (all.length > 1 && all.at(-1) === "") all.pop();
  return all;
}

function decodeUtf8(raw: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new UsageError("the passphrase is not UTF-8 text");
  }
}

/** The first line of a passphrase file or stream, without its line ending (as OpenSSL's `file:`). */
export function firstLine(raw: Uint8Array): string {
  return decodeUtf8(raw).split(/\r?\n/)[0]!;
}

function nonEmpty(passphrase: string, where: string): string {
  if (passphrase.length === 0) throw new UsageError(`${where}: the passphrase is empty`);
  return passphrase;
}
