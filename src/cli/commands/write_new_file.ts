/** Writing a file that must not exist yet, with given permissions. */
import { OutputError } from "../../errors.ts";

/** Creates `path` with `text` and `mode`; an `OutputError` when it exists or cannot be written. */
export function writeNewFile(path: string, text: string, mode: number): void {
  try {
    Deno.writeTextFileSync(path, text, { createNew: true, mode });
    if (Deno.build.os !== "windows") Deno.chmodSync(path, mode);
  } catch (e) {
    throw new OutputError(
      e instanceof Deno.errors.AlreadyExists
        ? `"${path}" exists; it is never overwritten`
        : `Cannot write "${path}": ${(e as Error).message}`,
    );
  }
}
