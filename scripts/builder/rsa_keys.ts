/**
 * Deterministic RSA key pairs (node-forge with a seeded PRNG), cached on disk under
 * `.cache/builder-keys/` because generation takes seconds.
 */
import forge from "node-forge";
import { createHash } from "node:crypto";
import { toHex } from "../../src/util/bytes.ts";
import type { SeededRandom } from "./prng.ts";

/** An RSA key pair in the forms the builder needs. */
export interface RsaKeyPair {
  readonly bits: number;
  readonly privateKey: forge.pki.rsa.PrivateKey;
  readonly publicKey: forge.pki.rsa.PublicKey;
  /** Unencrypted PKCS#8 PEM of the private key. */
  readonly privatePem: string;
  /** SubjectPublicKeyInfo DER of the public key. */
  readonly spkiDer: Uint8Array;
}

/** Default cache folder: `<repo>/.cache/builder-keys`. */
export const DEFAULT_KEY_CACHE = new URL("../../.cache/builder-keys/", import.meta.url);

function derBytes(asn1: forge.asn1.Asn1): Uint8Array {
  const der = forge.asn1.toDer(asn1).getBytes();
  const out = new Uint8Array(der.length);
  for (let i = 0; i < der.length; i++) out[i] = der.charCodeAt(i);
  return out;
}

function fromPrivateKey(bits: number, privateKey: forge.pki.rsa.PrivateKey): RsaKeyPair {
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  const pkcs8 = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(privateKey));
  return {
    bits,
    privateKey,
    publicKey,
    privatePem: forge.pki.privateKeyInfoToPem(pkcs8).replaceAll("\r\n", "\n"),
    spkiDer: derBytes(forge.pki.publicKeyToAsn1(publicKey)),
  };
}

/** Parses an unencrypted PKCS#8 (or PKCS#1) RSA private key PEM. */
export function rsaKeyPairFromPem(pem: string): RsaKeyPair {
  const privateKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return fromPrivateKey(privateKey.n.bitLength(), privateKey);
}

/**
 * The RSA key pair of `label` for this seed: read from the cache when present, else generated
 * (deterministically) and cached. Pass `cacheDir: null` to disable the cache.
 */
export function deterministicRsaKey(
  random: SeededRandom,
  label: string,
  bits: number,
  cacheDir: URL | string | null = DEFAULT_KEY_CACHE,
): RsaKeyPair {
  const material = random.key(`rsa:${bits}:${label}`);
  const name = `rsa${bits}-${
    toHex(createHash("sha256").update(material).digest()).slice(0, 32)
  }.pem`;
  const dir = cacheDir === null
    ? null
    : String(cacheDir instanceof URL ? cacheDir.pathname : cacheDir);
  const path = dir === null ? null : `${dir.replace(/\/$/, "")}/${name}`;
  if (path !== null) {
    try {
      const pair = rsaKeyPairFromPem(Deno.readTextFileSync(path));
      if (pair.bits === bits) return pair;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  const prngState = random.forgePrng(`rsa:${toHex(material)}`);
  const generated = forge.pki.rsa.generateKeyPair({
    bits,
    e: 0x10001,
    prng: prngState,
    algorithm: "PRIMEINC",
  } as forge.pki.rsa.GenerateKeyPairOptions);
  const pair = fromPrivateKey(bits, generated.privateKey);
  if (path !== null && dir !== null) {
    Deno.mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${Deno.pid}.tmp`;
    Deno.writeTextFileSync(tmp, pair.privatePem);
    Deno.renameSync(tmp, path);
  }
  return pair;
}
