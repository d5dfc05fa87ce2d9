/** PEM armor: base64 in 64-character lines between `-----BEGIN L-----` and `-----END L-----`. */
import { Buffer } from "node:buffer";

/** `label` armor around `der`, lines ending in `\n`, with a final newline. */
export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ""].join("\n");
}

/** The bytes inside the first `label` block of `text`, or `undefined` when there is none. */
export function pemDecode(text: string, label: string): Uint8Array | undefined {
  const m = new RegExp(`-----BEGIN ${label}-----\\r?\\n([A-Za-z0-9+/=\\s]*?)-----END ${label}-----`)
    .exec(text);
  if (!m) return undefined;
  return new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"));
}
