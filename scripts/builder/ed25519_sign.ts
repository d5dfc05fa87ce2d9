/** Ed25519 signing from a 32-byte seed with node:crypto (Parsec "signed" = signature || message). */
import { Buffer } from "node:buffer";
import { createPrivateKey, createPublicKey, type KeyObject, sign } from "node:crypto";
import { concatBytes } from "../../src/util/bytes.ts";

const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** An Ed25519 signing key with its 32-byte verify key. */
export interface SigningKey {
  readonly seed: Uint8Array;
  readonly verifyKey: Uint8Array;
  readonly key: KeyObject;
}

/** Builds the signing key of a 32-byte seed. */
export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  if (seed.length !== 32) throw new RangeError("Ed25519 seed must be 32 bytes");
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seed)]),
    format: "der",
    type: "pkcs8",
  });
  const spki = createPublicKey(key).export({ format: "der", type: "spki" });
  return { seed, verifyKey: new Uint8Array(spki.subarray(spki.length - 32)), key };
}

/** Returns `signature(64) || message` (deterministic, Ed25519 is). */
export function signMessage(signer: SigningKey, message: Uint8Array): Uint8Array {
  return concatBytes(new Uint8Array(sign(null, message, signer.key)), message);
}
