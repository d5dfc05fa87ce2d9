/** Ed25519 signatures (Parsec "signed" layout `signature(64) || message`) with node:crypto. */
import { Buffer } from "node:buffer";
import { createPublicKey, type KeyObject, verify } from "node:crypto";

const SIGNATURE_BYTES = 64;
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const keyCache = new Map<string, KeyObject>();

function publicKeyObject(verifyKey: Uint8Array): KeyObject {
  const id = Buffer.from(verifyKey).toString("hex");
  let key = keyCache.get(id);
  if (!key) {
    key = createPublicKey({
      key: Buffer.concat([SPKI_PREFIX, Buffer.from(verifyKey)]),
      format: "der",
      type: "spki",
    });
    keyCache.set(id, key);
  }
  return key;
}

/** Splits a signed blob into its signature and message (no verification). */
export function splitSigned(
  signed: Uint8Array,
): { signature: Uint8Array; message: Uint8Array } | undefined {
  if (signed.length < SIGNATURE_BYTES) return undefined;
  return {
    signature: signed.subarray(0, SIGNATURE_BYTES),
    message: signed.subarray(SIGNATURE_BYTES),
  };
}

/** Verifies a Parsec signed blob with a 32-byte Ed25519 key; returns the message or `undefined`. */
export function verifySigned(verifyKey: Uint8Array, signed: Uint8Array): Uint8Array | undefined {
  if (verifyKey.length !== 32) return undefined;
  const parts = splitSigned(signed);
  if (!parts) return undefined;
  try {
    const ok = verify(null, parts.message, publicKeyObject(verifyKey), parts.signature);
    return ok ? parts.message : undefined;
  } catch {
    return undefined;
  }
}
