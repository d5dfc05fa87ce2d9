/**
 * Sequester RSA "armors" (spec §3.6): RSA-OAEP-SHA256 + secret box for encryption,
 * RSASSA-PSS-SHA256 for the authority's signature of service certificates.
 */
import { Buffer } from "node:buffer";
import {
  constants,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  privateDecrypt,
  verify,
} from "node:crypto";
import { openSecretBox } from "./secret_box.ts";

export const ENCRYPTION_ALGORITHM = "RSAES-OAEP-SHA256-XSALSA20-POLY1305";
export const SIGNATURE_ALGORITHM = "RSASSA-PSS-SHA256";

/** Why an armored blob could not be opened or verified. */
export type ArmorFailure =
  | "bad_layout"
  | "unknown_algorithm"
  | "rsa_failed"
  | "secret_box_failed"
  | "bad_signature";

/** An RSA private key ready for OAEP decryption, with its public key in SPKI DER. */
export interface RsaPrivateKey {
  readonly key: KeyObject;
  readonly publicKeyDer: Uint8Array;
  readonly modulusBits: number;
}

/** Imports an unencrypted PKCS#8 DER RSA private key. Throws on anything else. */
export function importRsaPrivateKeyPkcs8(der: Uint8Array): RsaPrivateKey {
  const key = createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" });
  if (key.asymmetricKeyType !== "rsa") {
    throw new TypeError(`not an RSA key (${key.asymmetricKeyType ?? "unknown type"})`);
  }
  const publicKeyDer = new Uint8Array(
    createPublicKey(key).export({ type: "spki", format: "der" }),
  );
  return { key, publicKeyDer, modulusBits: key.asymmetricKeyDetails?.modulusLength ?? 0 };
}

/** Imports an RSA public key given as SubjectPublicKeyInfo DER. Throws on anything else. */
export function importRsaPublicKeySpki(der: Uint8Array): KeyObject {
  const key = createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "rsa") throw new TypeError("not an RSA public key");
  return key;
}

function splitAlgorithm(
  blob: Uint8Array,
): { algorithm: string; rest: Uint8Array } | undefined {
  const colon = blob.indexOf(0x3a);
  if (colon <= 0 || colon > 64) return undefined;
  return {
    algorithm: new TextDecoder("utf-8", { ignoreBOM: true }).decode(blob.subarray(0, colon)),
    rest: blob.subarray(colon + 1),
  };
}

/** Decrypts a sequester-encrypted blob with the service private key. */
export function openRsaArmor(
  key: RsaPrivateKey,
  blob: Uint8Array,
): { ok: true; plaintext: Uint8Array } | { ok: false; failure: ArmorFailure } {
  const parts = splitAlgorithm(blob);
  if (!parts) return { ok: false, failure: "bad_layout" };
  if (parts.algorithm !== ENCRYPTION_ALGORITHM) return { ok: false, failure: "unknown_algorithm" };
  const k = Math.floor(key.modulusBits / 8);
  if (parts.rest.length < k + 40) return { ok: false, failure: "bad_layout" };
  let secret: Uint8Array;
  try {
    secret = new Uint8Array(privateDecrypt({
      key: key.key,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: "sha256",
    }, parts.rest.subarray(0, k)));
  } catch {
    return { ok: false, failure: "rsa_failed" };
  }
  if (secret.length !== 32) return { ok: false, failure: "rsa_failed" };
  const plaintext = openSecretBox(secret, parts.rest.subarray(k));
  return plaintext ? { ok: true, plaintext } : { ok: false, failure: "secret_box_failed" };
}

/** Verifies an RSASSA-PSS-SHA256 armored blob with the signer's public key; returns the data. */
export function verifyRsaSigned(
  publicKey: KeyObject,
  blob: Uint8Array,
): { ok: true; data: Uint8Array } | { ok: false; failure: ArmorFailure } {
  const parts = splitAlgorithm(blob);
  if (!parts) return { ok: false, failure: "bad_layout" };
  if (parts.algorithm !== SIGNATURE_ALGORITHM) return { ok: false, failure: "unknown_algorithm" };
  const k = Math.floor((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (k === 0 || parts.rest.length < k) return { ok: false, failure: "bad_layout" };
  const signature = parts.rest.subarray(0, k);
  const data = parts.rest.subarray(k);
  try {
    const ok = verify("sha256", data, {
      key: publicKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_AUTO,
    }, signature);
    return ok ? { ok: true, data } : { ok: false, failure: "bad_signature" };
  } catch {
    return { ok: false, failure: "bad_signature" };
  }
}
