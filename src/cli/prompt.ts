/** Passphrases from the platform: files, variables, standard input, and a prompt without echo. */
import { readFileSync } from "node:fs";
import { UsageError } from "../errors.ts";
import { concatBytes } from "../util/bytes.ts";
import {
  type PassphraseIo,
  type PassphraseOptions,
  type PassphraseSource,
  passphraseSource,
} from "../keys/passphrase.ts";

/** The passphrase source of the `--passphrase-*` options, with a prompt when a terminal is here. */
export function cliPassphraseSource(opts: PassphraseOptions): PassphraseSource {
  return passphraseSource(opts, platformIo());
}

function platformIo(): PassphraseIo {
  return {
    readFile: (path) => readFileSync(path),
    getEnv: (name) => Deno.env.get(name),
    readStdin: readAllStdin,
    prompt: Deno.stdin.isTerminal() && Deno.stderr.isTerminal() ? promptHidden : undefined,
  };
}

function readAllStdin(): Uint8Array {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(4096);
  let total = 0;
  for (;;) {
    const n = Deno.stdin.readSync(buf);
    if (n === null || n === 0) break;
    chunks.push(buf.slice(0, n));
    total += n;
    if (total > 64 * 1024) throw new UsageError("--passphrase-stdin: more than 64 KiB on stdin");
  }
  return concatBytes(...chunks);
}

/** Asks on the terminal with echo off; Ctrl-C or Ctrl-D cancels. */
function promptHidden(question: string): string {
  const encoder = new TextEncoder();
  Deno.stderr.writeSync(encoder.encode(question));
  Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  try {
    const one = new Uint8Array(1);
    for (;;) {
      const n = Deno.stdin.readSync(one);
      if (!n && bytes.length > 0) break; // end of input after some characters: take them
      const c = n ? one[0]! : 0x04;
      if (c === 0x0d || c === 0x0a) break;
      if (c === 0x03 || (c === 0x04 && bytes.length === 0)) {
        throw new UsageError("no passphrase given (cancelled)");
      }
      if (c === 0x7f || c === 0x08) {
        // Remove one whole UTF-8 character.
        while (bytes.length > 0 && ((bytes.pop()! & 0xc0) === 0x80));
        continue;
      }
      if (c >= 0x20) bytes.push(c);
    }
  } finally {
    Deno.stdin.setRaw(false);
    Deno.stderr.writeSync(encoder.encode("\n"));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
