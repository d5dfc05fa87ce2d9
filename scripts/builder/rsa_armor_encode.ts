/**
 * Sequester RSA armors written deterministically (spec §3.6): RSAES-OAEP-SHA256 with a given
 * OAEP seed + secret box, and RSASSA-PSS-SHA256 with maximum salt length and a given salt.
 */
import forge from "node-forge";
import { sealSecretBox } from "../../src/crypto/secret_box.ts";
import { ENCRYPTION_ALGORITHM, SIGNATURE_ALGORITHM } from "../../src/crypto/rsa.ts";
import { concatBytes, utf8 } from "../../src/util/bytes.ts";

/** node-forge's OAEP encoder (present at runtime, missing from @types/node-forge). */
const pkcs1 = (forge as unknown as {
  pkcs1: {
    encode_rsa_oaep(
      key: forge.pki.rsa.PublicKey,
      message: string,
      options: { md: forge.md.MessageDigest; mgf1: { md: forge.md.MessageDigest }; seed: string },
    ): string;
  };
}).pkcs1;

function toBinary(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function fromBinary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** `K = floor(bits(n) / 8)`: the byte length of an RSA block for this key. */
export function rsaBlockBytes(key: forge.pki.rsa.PublicKey): number {
  return Math.floor(key.n.bitLength() / 8);
}

/** Largest PSS salt for SHA-256: `emLen - hLen - 2` with `emLen = ceil((bits - 1) / 8)`. */
export function maxPssSaltLength(key: forge.pki.rsa.PublicKey): number {
  return Math.ceil((key.n.bitLength() - 1) / 8) - 32 - 2;
}

/**
 * `"RSAES-OAEP-SHA256-XSALSA20-POLY1305:" || RSA-OAEP(secret) || SecretBox_secret(plaintext)`.
 * `secret` (32 bytes), `oaepSeed` (32 bytes) and `nonce` (24 bytes) come from the caller.
 */
export function rsaOaepArmor(
  publicKey: forge.pki.rsa.PublicKey,
  plaintext: Uint8Array,
  secret: Uint8Array,
  oaepSeed: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  const k = rsaBlockBytes(publicKey);
  const em = pkcs1.encode_rsa_oaep(publicKey, toBinary(secret), {
    md: forge.md.sha256.create(),
    mgf1: { md: forge.md.sha256.create() },
    seed: toBinary(oaepSeed),
  });
  const encrypted = fromBinary(publicKey.encrypt(em, "RAW"));
  const padded = new Uint8Array(k);
  padded.set(encrypted, k - encrypted.length);
  return concatBytes(
    utf8(`${ENCRYPTION_ALGORITHM}:`),
    padded,
    sealSecretBox(secret, plaintext, nonce),
  );
}

/** `"RSASSA-PSS-SHA256:" || signature(K bytes) || data`, salt of maximum length from the caller. */
export function rsaPssArmor(
  privateKey: forge.pki.rsa.PrivateKey,
  data: Uint8Array,
  salt: Uint8Array,
): Uint8Array {
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  const saltLength = maxPssSaltLength(publicKey);
  if (salt.length !== saltLength) {
    throw new RangeError(`PSS salt must be ${saltLength} bytes, got ${salt.length}`);
  }
  const md = forge.md.sha256.create();
  md.update(toBinary(data));
  const pss = forge.pss.create({
    md: forge.md.sha256.create(),
    mgf: forge.mgf.mgf1.create(forge.md.sha256.create()),
    saltLength,
    salt: forge.util.createBuffer(toBinary(salt)),
  });
  const signature = fromBinary(privateKey.sign(md, pss));
  const k = rsaBlockBytes(publicKey);
  const padded = new Uint8Array(k);
  padded.set(signature, k - signature.length);
  return concatBytes(utf8(`${SIGNATURE_ALGORITHM}:`), padded, data);
}
