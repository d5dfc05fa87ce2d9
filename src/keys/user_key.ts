/** Parses a user's X25519 private key given as 64 hex characters. */
import { UsageError } from "../errors.ts";
import { fromHex } from "../util/bytes.ts";

/** The 32 bytes of `--user-key HEX`; throws `UsageError` with a clear reason. */
export function parseUserKeyHex(text: string): Uint8Array {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new UsageError(
      `--user-key expects 64 hex characters (a 32-byte X25519 private key), got ${
        hex.length === 64 ? "64 characters that are not all hex digits" : `${hex.length} characters`
      }`,
    );
  }
  return fromHex(hex);
}

/** Whether file bytes are a user key: 64 hex characters, optionally followed by a line end. */
export function looksLikeUserKey(raw: Uint8Array): boolean {
  return raw.length <= 80 && /^[0-9a-fA-F]{64}\s*$/.test(new TextDecoder("latin1").decode(raw));
}
