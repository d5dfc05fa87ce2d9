/** Percent-encoding of text, byte by byte in UTF-8 (`:` → `%3A`, `é` → `%C3%A9`). */

const encoder = new TextEncoder();

/** `%XX` (uppercase hex) for each UTF-8 byte of `text`. */
export function percentEncode(text: string): string {
  let out = "";
  for (const b of encoder.encode(text)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}
