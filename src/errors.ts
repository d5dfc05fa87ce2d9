/**
 * Typed errors. `SequexError`s are expected failures shown to the user as one line (exit code 2);
 * anything else reaching the command line is a bug.
 */

/** Base of every error the command line reports as one clear line. */
export class SequexError extends Error {
  override name = "SequexError";
  /** Process exit code for this failure. */
  readonly exitCode: number = 2;
}

/** Wrong command-line usage. */
export class UsageError extends SequexError {
  override name = "UsageError";
}

/** Codes for an export that cannot be used at all (spec §8, open layer). */
export type ExportOpenCode =
  | "cannot_open_database"
  | "invalid_database"
  | "unsupported_version"
  | "truncated_database"
  | "corrupted_database";

/** The export file cannot be opened or read as a realm export. */
export class ExportOpenError extends SequexError {
  override name = "ExportOpenError";
  constructor(readonly code: ExportOpenCode, readonly path: string, readonly reason: string) {
    super(`Cannot read export "${path}": ${reason}`);
  }
}

/** A key file that cannot be read or is not a usable key. */
export class KeyFileError extends SequexError {
  override name = "KeyFileError";
  constructor(readonly path: string, readonly reason: string) {
    super(`Cannot use key "${path}": ${reason}`);
  }
}

/** The output folder cannot be used. */
export class OutputError extends SequexError {
  override name = "OutputError";
}

/** The workspace root cannot be read at the requested time. */
export class RootUnreadableError extends SequexError {
  override name = "RootUnreadableError";
}
