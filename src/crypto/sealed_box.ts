/** libsodium sealed boxes (X25519 + XSalsa20-Poly1305), used for users' keys bundle accesses. */
import { sodium } from "./sodium.ts";

/** X25519 public key of a 32-byte private key. */
export function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return sodium.crypto_scalarmult_base(privateKey);
}

/** Opens a sealed box for the key pair; `undefined` when it was not sealed for it or is altered. */
export function openSealedBox(
  sealed: Uint8Array,
  publicKey: Uint8Array,
  privateKey: Uint8Array,
): Uint8Array | undefined {
  if (sealed.length < 48) return undefined;
  try {
    return sodium.crypto_box_seal_open(sealed, publicKey, privateKey);
  } catch {
    return undefined;
  }
}
