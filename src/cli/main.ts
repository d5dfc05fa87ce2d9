/** The `sequex` command line: dispatch, help, and one-line errors with exit codes. */
import { SequexError } from "../errors.ts";
import { removeAllWorkingCopies } from "../export/open_checks.ts";
import { TOOL_NAME, TOOL_VERSION } from "../version.ts";
import { extractCommand } from "./commands/extract.ts";
import { historyCommand } from "./commands/history.ts";
import { timelineCommand } from "./commands/timeline.ts";
import { infoCommand } from "./commands/info.ts";
import { keysCommand } from "./commands/keys.ts";
import { lsCommand } from "./commands/ls.ts";
import { serviceCertificateCommand } from "./commands/service_certificate.ts";
import { printError, printLine } from "./output.ts";

const USAGE = `${TOOL_NAME} ${TOOL_VERSION}: offline reader for Parsec realm exports

Usage:
  sequex info EXPORT [--json]
  sequex ls EXPORT (--key FILE | --user-key HEX)... [--at TIME] [--json]
  sequex extract EXPORT (--key FILE | --user-key HEX)... --out CASE_DIR [--at TIME] [--force]
                 [--all-versions]
  sequex history EXPORT (--key FILE | --user-key HEX)... [PATH | --id ID] [--at TIME] [--json]
  sequex timeline EXPORT (--key FILE | --user-key HEX)... --format csv|bodyfile|jsonl [--out FILE]
  sequex keys inspect KEY [--json]
  sequex keys match KEY EXPORT [--json]
  sequex keys generate --out PREFIX [--bits 4096]
  sequex service-certificate --service-label L --service-public-key PUB
                             --authority-private-key AUTH [--out FILE|DIR]
  sequex service-certificate --verify FILE --authority-public-key PUB [--json]

  --key FILE       sequester service RSA private key (PEM or DER, PKCS#8 or PKCS#1, encrypted
                   or not) or Parsec device file (password or recovery); repeatable
  --passphrase-file FILE | --passphrase-env NAME | --passphrase-stdin
                   passphrase of encrypted keys (default: asked when run in a terminal);
                   a file or stdin with several lines: one per encrypted key, in order
  --user-key-file FILE
                   a file holding a user's X25519 private key (64 hex characters); repeatable
  --user-key HEX   the same key given on the command line (visible in process lists); repeatable
  --at TIME        RFC 3339 time (2000-01-16T12:00:00Z) or date (2000-01-16, midnight UTC);
                   default: the export's snapshot time
  --out CASE_DIR   where files/ and manifest.json are written (must be empty unless --force)
  --all-versions   also every version of every file, deleted ones included, into versions/
  --threads N      extract: worker threads decrypting blocks (default 2; 0: none)
  --json           machine-readable output

Exit codes: 0 done, 2 bad input (export, key, option), 70 internal error.`;

/** Runs the command line; returns the process exit code. */
export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  onInterrupt(() => {
    removeAllWorkingCopies();
    printError("sequex: interrupted");
    Deno.exit(130);
  });
  try {
    switch (command) {
      case "info":
        return infoCommand(rest);
      case "ls":
        return lsCommand(rest);
      case "extract":
        return await extractCommand(rest);
      case "history":
        return await historyCommand(rest);
      case "timeline":
        return timelineCommand(rest);
      case "keys":
        return keysCommand(rest);
      case "service-certificate":
        return serviceCertificateCommand(rest);
      case "--version":
      case "version":
        printLine(`${TOOL_NAME} ${TOOL_VERSION}`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        printLine(USAGE);
        return command === undefined ? 2 : 0;
      default:
        printError(`sequex: unknown command "${command}" (try: sequex help)`);
        return 2;
    }
  } catch (e) {
    // The reader of our output went away (`sequex info x | head`): nothing more to say.
    if (e instanceof Deno.errors.BrokenPipe) return 0;
    if (e instanceof SequexError) {
      printError(`sequex: ${e.message}`);
      return e.exitCode;
    }
    printError(`sequex: internal error: ${(e as Error)?.message ?? String(e)}`);
    if (Deno.env.get("SEQUEX_DEBUG")) printError(String((e as Error)?.stack));
    return 70;
  }
}

/** Runs `cleanup` on Ctrl-C or termination (where the platform has those signals). */
function onInterrupt(cleanup: () => void): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(signal, cleanup);
    } catch {
      // Not available on this platform (e.g. SIGTERM on Windows).
    }
  }
}
