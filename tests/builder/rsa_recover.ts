/**
 * Test helper: undoes the randomness of real RSA armors (raw RSA with BigInt) to recover the
 * OAEP seed and the PSS salt, so the builder can re-encode real rows byte for byte.
 */
import { createHash, createPrivateKey } from "node:crypto";
import { concatBytes } from "../../src/util/bytes.ts";

/** Raw RSA numbers of a private key PEM. */
export interface RawRsa {
  n: bigint;
  e: bigint;
  d: bigint;
  bits: number;
}

function b64uToBigInt(s: string): bigint {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  let v = 0n;
  for (let i = 0; i < bin.length; i++) v = (v << 8n) | BigInt(bin.charCodeAt(i));
  return v;
}

/** Reads n, e, d of an RSA private key PEM. */
export function rawRsaFromPem(pem: string): RawRsa {
  const jwk = createPrivateKey(pem).export({ format: "jwk" });
  const n = b64uToBigInt(jwk.n!);
  return { n, e: b64uToBigInt(jwk.e!), d: b64uToBigInt(jwk.d!), bits: n.toString(2).length };
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function toBytes(v: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** `x^exp mod n` on a byte block, output on `length` bytes. */
export function rawRsa(block: Uint8Array, exp: bigint, n: bigint, length: number): Uint8Array {
  return toBytes(modPow(toBigInt(block), exp, n), length);
}

function mgf1(seed: Uint8Array, length: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let counter = 0; parts.length * 32 < length; counter++) {
    const c = new Uint8Array(4);
    new DataView(c.buffer).setUint32(0, counter);
    parts.push(new Uint8Array(createHash("sha256").update(seed).update(c).digest()));
  }
  return concatBytes(...parts).subarray(0, length);
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((x, i) => x ^ b[i]!);
}

/** Decrypts an OAEP-SHA256 block and returns the OAEP seed and the message. */
export function recoverOaep(
  key: RawRsa,
  block: Uint8Array,
): { seed: Uint8Array; message: Uint8Array } {
  const k = Math.ceil(key.bits / 8);
  const em = rawRsa(block, key.d, key.n, k);
  const maskedSeed = em.subarray(1, 33);
  const maskedDb = em.subarray(33);
  const seed = xor(maskedSeed, mgf1(maskedDb, 32));
  const db = xor(maskedDb, mgf1(seed, maskedDb.length));
  const one = db.indexOf(1, 32);
  return { seed, message: db.subarray(one + 1) };
}

/** Opens a PSS-SHA256 signature with the public key and returns its salt. */
export function recoverPssSalt(key: RawRsa, signature: Uint8Array): Uint8Array {
  const emBits = key.bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const em = rawRsa(signature, key.e, key.n, emLen);
  const maskedDb = em.subarray(0, emLen - 33);
  const h = em.subarray(emLen - 33, emLen - 1);
  const db = xor(maskedDb, mgf1(h, maskedDb.length));
  db[0] = db[0]! & (0xff >> (8 * emLen - emBits));
  return db.subarray(db.indexOf(1) + 1);
}
