/** Command-line parsing on top of `node:util` `parseArgs`, with one-line usage errors. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors.ts";
import { formatMicros, parseTimeToMicros } from "../util/time.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses `args` for a command; unknown options and missing values become `UsageError`s. */
export function parseCommandArgs<O extends Options>(
  command: string,
  args: string[],
  options: O,
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    throw new UsageError(`${command}: ${usageMessage((e as Error).message)}`);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option" || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) throw new UsageError(`${command}: --${token.name} given twice`);
    seen.add(token.name);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** The first sentence of a `parseArgs` error, without its advice about `--`. */
function usageMessage(message: string): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]} (see: sequex help)`;
  const ambiguous = /^Option '(?:-\w, )?(--[^' ]+)[^']*' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value`;
  const missing = /^Option '(?:-\w, )?(--[^' ]+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  return message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/, "");
}

/** The single positional argument (the export path) or a usage error. */
export function onePositional(command: string, positionals: string[], what: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? `${command}: missing ${what}`
        : `${command}: unexpected argument "${positionals[1]}"`,
    );
  }
  return positionals[0]!;
}

/** `--at` value in µs: RFC 3339 (offsets allowed) or `YYYY-MM-DD` (midnight UTC). */
export function parseAtOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const us = parseTimeToMicros(text);
  if (us !== undefined && !Number.isSafeInteger(us)) {
    throw new UsageError(
      `--at "${text}" is out of range: sequex counts microseconds exactly up to ${
        formatMicros(Number.MAX_SAFE_INTEGER)
      }`,
    );
  }
  if (us === undefined) {
    throw new UsageError(
      `--at "${text}" is not a time: use RFC 3339 (2000-01-16T12:00:00Z) or a date (2000-01-16)`,
    );
  }
  return us;
}

/** Where the passphrase of encrypted keys comes from (default: asked when a terminal is here). */
export const PASSPHRASE_OPTIONS = {
  "passphrase-file": { type: "string" },
  "passphrase-env": { type: "string" },
  "passphrase-stdin": { type: "boolean" },
} as const;

/** Options every decrypting command takes. */
export const DECRYPTOR_OPTIONS = {
  key: { type: "string", multiple: true },
  "user-key": { type: "string", multiple: true },
  "user-key-file": { type: "string", multiple: true },
  ...PASSPHRASE_OPTIONS,
} as const;
