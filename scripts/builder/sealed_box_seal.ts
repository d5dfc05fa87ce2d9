/**
 * Deterministic libsodium sealed box (spec §3.5): the ephemeral key pair comes from the caller
 * (a seeded PRNG) instead of the system RNG, so the output is reproducible.
 */
import { blake2b } from "@noble/hashes/blake2.js";
import { sodium } from "../../src/crypto/sodium.ts";
import { concatBytes } from "../../src/util/bytes.ts";

/** Seals `message` for `recipientPublicKey` with the given 32-byte ephemeral private key. */
export function sealBoxWithEphemeral(
  message: Uint8Array,
  recipientPublicKey: Uint8Array,
  ephemeralPrivateKey: Uint8Array,
): Uint8Array {
  const ephemeralPublicKey = sodium.crypto_scalarmult_base(ephemeralPrivateKey);
  const nonce = blake2b(concatBytes(ephemeralPublicKey, recipientPublicKey), { dkLen: 24 });
  const boxed = sodium.crypto_box_easy(message, nonce, recipientPublicKey, ephemeralPrivateKey);
  return concatBytes(ephemeralPublicKey, boxed);
}
