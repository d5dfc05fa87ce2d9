/** Parsec entry names (folder children keys, spec §7). */

/** Maximum length of an entry name in UTF-8 bytes, after NFC normalization. */
const MAX_ENTRY_NAME_BYTES = 255;

/** NFC form of `raw` if it is a valid entry name, else a reason string wrapped in `{ invalid }`. */
export function parseEntryName(raw: string): { name: string } | { invalid: string } {
  const name = raw.normalize("NFC");
  if (name.length === 0) return { invalid: "empty entry name" };
  if (name === "." || name === "..") return { invalid: `entry name "${name}"` };
  if (name.includes("/")) return { invalid: "entry name contains '/'" };
  if (name.includes("\0")) return { invalid: "entry name contains NUL" };
  if (new TextEncoder().encode(name).length > MAX_ENTRY_NAME_BYTES) {
    return { invalid: `entry name longer than ${MAX_ENTRY_NAME_BYTES} bytes` };
  }
  return { name };
}
