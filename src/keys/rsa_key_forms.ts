/**
 * Every common form of an RSA private key file: PKCS#8 and PKCS#1, PEM and DER, and the
 * encrypted ones (PKCS#8 PBES2 with PBKDF2 or scrypt, PBES1, and PKCS#1 PEM with
 * `Proc-Type`/`DEK-Info`). Detection needs no passphrase; decryption turns any failure of an
 * encrypted key into "wrong passphrase".
 */
import { Buffer } from "node:buffer";
import { createPrivateKey, type KeyObject } from "node:crypto";
import forge from "node-forge";
import { importRsaPrivateKeyPkcs8, type RsaPrivateKey } from "../crypto/rsa.ts";

/** How a key file is laid out; `scheme` describes the encryption of an encrypted one. */
export interface RsaKeyForm {
  readonly container: "pkcs8" | "pkcs1";
  readonly encoding: "pem" | "der";
  readonly encrypted: boolean;
  /** E.g. `PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations, AES-256-CBC)`; `null` when clear. */
  readonly scheme: string | null;
  /** Which library decrypts it (node:crypto is fast; node-forge covers the rest). */
  readonly decryptWith: "node" | "forge" | null;
}

/** Why a key could not be read. */
export type KeyFormFailure = "wrong_passphrase" | "passphrase_needed" | "unsupported" | "invalid";

/** A key file that cannot be used; the message never contains key material or passphrase. */
export class KeyFormError extends Error {
  override name = "KeyFormError";
  constructor(readonly failure: KeyFormFailure, message: string) {
    super(message);
  }
}

/** The PEM blocks' label and body, or `undefined` when `raw` is not PEM text. */
function pemBlock(raw: Uint8Array): { label: string; text: string; headers: string } | undefined {
  const text = binaryString(raw);
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  const headers = /^([A-Za-z-]+:.*\r?\n)+/.exec(m[2]!)?.[0] ?? "";
  return { label: m[1]!, text: m[0], headers };
}

/**
 * The form of an RSA private key file, or `undefined` when `raw` is neither PEM nor a DER
 * private key (e.g. a Parsec device file). Throws `KeyFormError` for PEM that is not an RSA
 * private key.
 */
export function detectRsaKeyForm(raw: Uint8Array): RsaKeyForm | undefined {
  const pem = pemBlock(raw);
  if (pem) {
    switch (pem.label) {
      case "PRIVATE KEY":
        return clear("pkcs8", "pem");
      case "RSA PRIVATE KEY": {
        if (!/Proc-Type:\s*4,ENCRYPTED/.test(pem.headers)) return clear("pkcs1", "pem");
        const cipher = /DEK-Info:\s*([A-Z0-9-]+)/.exec(pem.headers)?.[1] ?? "unknown cipher";
        return {
          container: "pkcs1",
          encoding: "pem",
          encrypted: true,
          scheme: `${cipher} (Proc-Type/DEK-Info, MD5 key derivation)`,
          decryptWith: "node",
        };
      }
      case "ENCRYPTED PRIVATE KEY":
        return encryptedPkcs8Form(derOfPem(pem.text), "pem");
      default:
        throw new KeyFormError(
          "invalid",
          `expected an RSA private key, found a PEM "${pem.label}"`,
        );
    }
  }
  if (binaryString(raw.subarray(0, 64)).includes("-----BEGIN")) {
    throw new KeyFormError("invalid", "damaged PEM (no matching END line)");
  }
  const asn = parseDer(raw);
  if (!asn || !Array.isArray(asn.value)) return undefined;
  const parts = asn.value as forge.asn1.Asn1[];
  const [a, b, c] = parts;
  if (parts.length === 2 && a?.type === forge.asn1.Type.SEQUENCE && b?.type === OCTET_STRING) {
    return encryptedPkcs8Form(raw, "der");
  }
  if (a?.type === INTEGER && b?.type === forge.asn1.Type.SEQUENCE && c?.type === OCTET_STRING) {
    return clear("pkcs8", "der");
  }
  if (parts.length >= 9 && parts.every((p) => p.type === INTEGER)) return clear("pkcs1", "der");
  return undefined;
}

const INTEGER = forge.asn1.Type.INTEGER;
const OCTET_STRING = forge.asn1.Type.OCTETSTRING;

function clear(container: "pkcs8" | "pkcs1", encoding: "pem" | "der"): RsaKeyForm {
  return { container, encoding, encrypted: false, scheme: null, decryptWith: null };
}

/** Names of the algorithm OIDs that may appear in an EncryptedPrivateKeyInfo. */
const OID_NAMES: Readonly<Record<string, string>> = {
  "1.2.840.113549.1.5.13": "PBES2",
  "1.2.840.113549.1.5.12": "PBKDF2",
  "1.3.6.1.4.1.11591.4.11": "scrypt",
  "1.2.840.113549.2.7": "HMAC-SHA1",
  "1.2.840.113549.2.8": "HMAC-SHA224",
  "1.2.840.113549.2.9": "HMAC-SHA256",
  "1.2.840.113549.2.10": "HMAC-SHA384",
  "1.2.840.113549.2.11": "HMAC-SHA512",
  "2.16.840.1.101.3.4.1.2": "AES-128-CBC",
  "2.16.840.1.101.3.4.1.22": "AES-192-CBC",
  "2.16.840.1.101.3.4.1.42": "AES-256-CBC",
  "1.2.840.113549.3.7": "DES-EDE3-CBC",
  "1.3.14.3.2.7": "DES-CBC",
  "1.2.840.113549.1.12.1.3": "PBES1 (pbeWithSHAAnd3-KeyTripleDES-CBC)",
  "1.2.840.113549.1.12.1.6": "PBES1 (pbeWithSHAAnd40BitRC2-CBC)",
  "1.2.840.113549.1.5.3": "PBES1 (pbeWithMD5AndDES-CBC)",
  "1.2.840.113549.1.5.10": "PBES1 (pbeWithSHA1AndDES-CBC)",
};

function oidName(node: forge.asn1.Asn1 | undefined): string {
  if (!node || node.type !== forge.asn1.Type.OID) return "unknown";
  const oid = forge.asn1.derToOid(node.value as string);
  return OID_NAMES[oid] ?? oid;
}

function intValue(node: forge.asn1.Asn1 | undefined): number | undefined {
  if (!node || node.type !== INTEGER || typeof node.value !== "string") return undefined;
  return forge.util.createBuffer(node.value).getInt(node.value.length * 8);
}

/** Describes the encryption of an EncryptedPrivateKeyInfo and picks the library to open it. */
function encryptedPkcs8Form(der: Uint8Array, encoding: "pem" | "der"): RsaKeyForm {
  const asn = parseDer(der);
  const algorithm = (asn?.value as forge.asn1.Asn1[] | undefined)?.[0];
  const [oid, params] = (algorithm?.value as forge.asn1.Asn1[] | undefined) ?? [];
  const name = oidName(oid);
  let scheme = name;
  let decryptWith: RsaKeyForm["decryptWith"] = "forge";
  if (name === "PBES2") {
    const [kdf, cipher] = (params?.value as forge.asn1.Asn1[] | undefined) ?? [];
    const [kdfOid, kdfParams] = (kdf?.value as forge.asn1.Asn1[] | undefined) ?? [];
    const kdfName = oidName(kdfOid);
    const cipherName = oidName((cipher?.value as forge.asn1.Asn1[] | undefined)?.[0]);
    const p = (kdfParams?.value as forge.asn1.Asn1[] | undefined) ?? [];
    let kdfText = kdfName;
    if (kdfName === "PBKDF2") {
      const iterations = intValue(p[1]);
      const prfNode = p.find((x) => x.type === forge.asn1.Type.SEQUENCE);
      const prf = prfNode ? oidName((prfNode.value as forge.asn1.Asn1[])[0]) : "HMAC-SHA1";
      kdfText = `PBKDF2-${prf}, ${iterations ?? "?"} iterations`;
      // node:crypto opens PBKDF2-HMAC-SHA256 with AES quickly but fails on the others.
      if (prf === "HMAC-SHA256" && cipherName.startsWith("AES-")) decryptWith = "node";
    } else if (kdfName === "scrypt") {
      kdfText = `scrypt, N=${intValue(p[1]) ?? "?"}, r=${intValue(p[2]) ?? "?"}, p=${
        intValue(p[3]) ?? "?"
      }`;
      decryptWith = "node";
    }
    scheme = `PBES2 (${kdfText}, ${cipherName})`;
  }
  return { container: "pkcs8", encoding, encrypted: true, scheme, decryptWith };
}

/**
 * Decodes the key; `passphrase` is needed only when `form.encrypted`. Throws `KeyFormError`:
 * `passphrase_needed`, `wrong_passphrase`, `unsupported` or `invalid`.
 */
export function decodeRsaPrivateKey(
  raw: Uint8Array,
  form: RsaKeyForm,
  passphrase?: string,
): RsaPrivateKey {
  if (!form.encrypted) {
    const der = form.encoding === "pem" ? derOfPem(pemBlock(raw)!.text) : raw;
    return fromKeyObject(
      tryNode(() =>
        createPrivateKey({ key: Buffer.from(der), format: "der", type: form.container })
      ),
    );
  }
  if (passphrase === undefined) {
    throw new KeyFormError(
      "passphrase_needed",
      "the key is encrypted: give its passphrase (--passphrase-file FILE, --passphrase-env NAME, --passphrase-stdin, or run in a terminal to be asked)",
    );
  }
  const pemText = form.encoding === "pem" ? pemBlock(raw)!.text : undefined;
  if (form.decryptWith === "node") {
    const key = tryNode(() =>
      pemText !== undefined
        ? createPrivateKey({ key: pemText, format: "pem", passphrase })
        : createPrivateKey({ key: Buffer.from(raw), format: "der", type: "pkcs8", passphrase })
    );
    if (!key) throw wrongPassphrase();
    return fromKeyObject(key);
  }
  if (form.scheme && !/^PBES[12] \(/.test(form.scheme)) {
    throw new KeyFormError("unsupported", `unsupported key encryption ${form.scheme}`);
  }
  let info: forge.asn1.Asn1 | null = null;
  try {
    const encrypted = forge.asn1.fromDer(
      forge.util.createBuffer(binaryString(pemText ? derOfPem(pemText) : raw)),
    );
    info = forge.pki.decryptPrivateKeyInfo(encrypted, passphrase);
  } catch (e) {
    if (/Unsupported|not supported/i.test((e as Error).message)) {
      throw new KeyFormError("unsupported", `unsupported key encryption ${form.scheme}`);
    }
    info = null;
  }
  if (!info) throw wrongPassphrase();
  let pkcs8: Uint8Array;
  try {
    pkcs8 = bytesOfBinary(forge.asn1.toDer(info).getBytes());
  } catch {
    throw wrongPassphrase();
  }
  const key = tryNode(() =>
    createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" })
  );
  if (!key) throw wrongPassphrase();
  return fromKeyObject(key);
}

function wrongPassphrase(): KeyFormError {
  return new KeyFormError("wrong_passphrase", "wrong passphrase");
}

function tryNode(make: () => KeyObject): KeyObject | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

function fromKeyObject(key: KeyObject | undefined): RsaPrivateKey {
  if (!key) throw new KeyFormError("invalid", "not a readable RSA private key");
  if (key.asymmetricKeyType !== "rsa") {
    throw new KeyFormError("invalid", `not an RSA key (${key.asymmetricKeyType ?? "unknown"} key)`);
  }
  return importRsaPrivateKeyPkcs8(new Uint8Array(key.export({ type: "pkcs8", format: "der" })));
}

function parseDer(der: Uint8Array): forge.asn1.Asn1 | undefined {
  if (der[0] !== 0x30) return undefined;
  try {
    const options = { strict: true, parseAllBytes: true, decodeBitStrings: false };
    return forge.asn1.fromDer(forge.util.createBuffer(binaryString(der)), options as never);
  } catch {
    return undefined;
  }
}

/** The DER bytes inside one PEM block (headers such as `Proc-Type` skipped). */
function derOfPem(pemText: string): Uint8Array {
  const body = pemText.split(/\r?\n/).filter((l) => !l.startsWith("-----") && !l.includes(":"))
    .join("");
  return new Uint8Array(Buffer.from(body, "base64"));
}

/** Bytes as a binary string (one char per byte), as node-forge wants. */
export function binaryString(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

function bytesOfBinary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
