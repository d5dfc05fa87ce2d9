/** Command-line parsing on top of `node:util` `parseArgs`, with one-line usage errors. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors.ts";
import { parseTimeToMicros } from "../util/time.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses `args` for a command; unknown options and missing values become `UsageError`s. */
export function parseCommandArgs<O extends Options>(
  command: string,
  args: string[],
  options: O,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message.split("\n")[0]}`);
  }
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
  if (us === undefined) {
    throw new UsageError(
      `--at "${text}" is not a time: use RFC 3339 (2000-01-16T12:00:00Z) or a date (2000-01-16)`,
    );
  }
  return us;
}

/** Options every decrypting command takes. */
export const DECRYPTOR_OPTIONS = {
  key: { type: "string", multiple: true },
  "user-key": { type: "string", multiple: true },
} as const;
