/** NaCl secret box (XSalsa20-Poly1305), Parsec layout `nonce(24) || tag(16) || ciphertext`. */
import { sodium } from "./sodium.ts";

const SECRET_BOX_NONCE_BYTES = 24;
const SECRET_BOX_OVERHEAD = 40;

/** Decrypts a Parsec secret box; returns `undefined` when the key is wrong or the data altered. */
export function openSecretBox(key: Uint8Array, encrypted: Uint8Array): Uint8Array | undefined {
  if (key.length !== 32 || encrypted.length < SECRET_BOX_OVERHEAD) return undefined;
  try {
    return sodium.crypto_secretbox_open_easy(
      encrypted.subarray(SECRET_BOX_NONCE_BYTES),
      encrypted.subarray(0, SECRET_BOX_NONCE_BYTES),
      key,
    );
  } catch {
    return undefined;
  }
}

/** Encrypts `plaintext` with `key` and the given 24-byte nonce (Parsec layout). */
export function sealSecretBox(
  key: Uint8Array,
  plaintext: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  const boxed = sodium.crypto_secretbox_easy(plaintext, nonce, key);
  const out = new Uint8Array(SECRET_BOX_NONCE_BYTES + boxed.length);
  out.set(nonce, 0);
  out.set(boxed, SECRET_BOX_NONCE_BYTES);
  return out;
}
