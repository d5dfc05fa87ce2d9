/**
 * Entry names → file names that are safe on Linux, macOS and Windows. Unsafe characters are
 * percent-encoded (`%3A` for `:`; `%` itself becomes `%25`), so the mapping is reversible and the
 * original name is always recorded beside the output path in the report.
 */

import { percentEncode } from "../util/percent.ts";

// Windows ignores spaces between a device name and its extension: `CON .txt` is the console.
const WINDOWS_RESERVED = /^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³]) *(\..*)?$/i;
// Control characters (C0 and C1), characters reserved on Windows, `%`, bidirectional-text
// controls, and invisible characters (zero-width spaces and joiners, word joiner, BOM).
const UNSAFE_CHAR =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u001f\u007f-\u009f"*/:<>?\\|%\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;
const MAX_NAME_BYTES = 255;

/** A file-system-safe spelling of one entry name (not yet de-duplicated). */
export function safeFileName(name: string): string {
  let safe = name.replace(UNSAFE_CHAR, percentEncode);
  if (WINDOWS_RESERVED.test(safe)) safe = percentEncode(safe[0]!) + safe.slice(1);
  safe = safe.replace(/[. ]+$/u, percentEncode);
  if (safe === "" || safe === "." || safe === "..") {
    safe = percentEncode(safe) || "%00";
  }
  return truncateUtf8(safe, MAX_NAME_BYTES);
}

/** Shortens `name` to at most `max` UTF-8 bytes, keeping a hash-free readable prefix and suffix. */
function truncateUtf8(name: string, max: number): string {
  const enc = new TextEncoder();
  if (enc.encode(name).length <= max) return name;
  const ext = /\.[^.]{1,16}$/u.exec(name)?.[0] ?? "";
  let stem = name.slice(0, name.length - ext.length);
  const marker = "%E2%80%A6"; // an escaped "…" marks the cut
  while (enc.encode(stem + marker + ext).length > max) stem = [...stem].slice(0, -1).join("");
  return stem + marker + ext;
}

/**
 * Chooses output names for the children of one folder: safe, and unique even on a
 * case-insensitive file system. Later collisions get `~<first 8 hex of the entry id>`, then a
 * counter. Input order decides who keeps the plain name (callers pass children sorted by name).
 */
export class FolderNamer {
  private readonly taken = new Set<string>();

  /** The output name for child `name` with entry id `entryId`. */
  nameFor(name: string, entryId: string): string {
    const base = safeFileName(name);
    let candidate = base;
    let n = 1;
    while (this.taken.has(foldCase(candidate))) {
      const suffix = n === 1 ? `~${entryId.slice(0, 8)}` : `~${entryId.slice(0, 8)}-${n}`;
      candidate = withSuffix(base, suffix);
      n++;
    }
    this.taken.add(foldCase(candidate));
    return candidate;
  }
}

function foldCase(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

function withSuffix(name: string, suffix: string): string {
  const dot = name.lastIndexOf(".");
  // Only a short extension is kept after the suffix (as in `truncateUtf8`): a long one would
  // leave no room for the stem and `truncateUtf8` would never terminate.
  const [stem, ext] = dot > 0 && name.length - dot <= 17
    ? [name.slice(0, dot), name.slice(dot)]
    : [name, ""];
  return truncateUtf8(stem, MAX_NAME_BYTES - suffix.length - new TextEncoder().encode(ext).length) +
    suffix + ext;
}
