/** Writing to stdout/stderr (the only place sequex prints). */

const encoder = new TextEncoder();

/** Writes a line to standard output. */
export function printLine(text = ""): void {
  writeAll(Deno.stdout, text + "\n");
}

/** Writes a line to standard error. */
export function printError(text: string): void {
  writeAll(Deno.stderr, text + "\n");
}

/** Pretty JSON to standard output. */
export function printJson(value: unknown): void {
  printLine(JSON.stringify(value, null, 2));
}

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const data = encoder.encode(text);
  let off = 0;
  while (off < data.length) off += stream.writeSync(data.subarray(off));
}
