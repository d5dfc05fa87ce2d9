/**
 * The sequester service certificate of the key ceremony, as Parsec's
 * `generate_service_certificate` writes it: the format-v0 `sequester_service_certificate`
 * record, signed by the authority (`"RSASSA-PSS-SHA256:" || signature || record`, PSS with
 * SHA-256 and maximum salt length), in a `PARSEC SEQUESTER SERVICE CERTIFICATE` PEM.
 */
import { Buffer } from "node:buffer";
import { constants, createPublicKey, type KeyObject, sign } from "node:crypto";
import {
  decodeSequesterServiceRecord,
  type SequesterServiceCertificate,
} from "../codec/sequester_certificates.ts";
import { encodeFormatV0 } from "../codec/format_v0_encode.ts";
import { dt, struct, uuid } from "../codec/msgpack_encode.ts";
import { type RsaPrivateKey, SIGNATURE_ALGORITHM, verifyRsaSigned } from "../crypto/rsa.ts";
import { concatBytes, fromHex, utf8 } from "../util/bytes.ts";
import { pemDecode, pemEncode } from "../util/pem.ts";

const SERVICE_CERTIFICATE_PEM_LABEL = "PARSEC SEQUESTER SERVICE CERTIFICATE";

/** The fields of a service certificate (`timestamp` in µs, `serviceId` 32 hex characters). */
export interface ServiceCertificateFields {
  readonly timestamp: number;
  readonly serviceId: string;
  readonly serviceLabel: string;
  readonly encryptionKeyDer: Uint8Array;
}

/** The serialized (format v0) `sequester_service_certificate` record. */
export function encodeServiceCertificate(c: ServiceCertificateFields): Uint8Array {
  return encodeFormatV0(struct("sequester_service_certificate", [
    ["timestamp", dt(c.timestamp)],
    ["service_id", uuid(fromHex(c.serviceId))],
    ["service_label", c.serviceLabel],
    ["encryption_key_der", c.encryptionKeyDer],
  ]));
}

/** Largest PSS salt for SHA-256: `emLen - hLen - 2` with `emLen = ceil((bits - 1) / 8)`. */
export function maxPssSaltLength(modulusBits: number): number {
  return Math.ceil((modulusBits - 1) / 8) - 32 - 2;
}

/** `"RSASSA-PSS-SHA256:" || signature (K bytes) || data`, signed by the authority key. */
export function signWithAuthority(authority: RsaPrivateKey, data: Uint8Array): Uint8Array {
  const signature = sign("sha256", data, {
    key: authority.key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: maxPssSaltLength(authority.modulusBits),
  });
  const k = Math.floor(authority.modulusBits / 8);
  const padded = new Uint8Array(k);
  padded.set(signature, k - signature.length);
  return concatBytes(utf8(`${SIGNATURE_ALGORITHM}:`), padded, data);
}

/** The certificate PEM text (64-character lines, final newline), as Parsec writes it. */
export function serviceCertificatePem(signed: Uint8Array): string {
  return pemEncode(SERVICE_CERTIFICATE_PEM_LABEL, signed);
}

/** Parsec's default file name: `sequester_service_certificate-<id>-<RFC 3339 time>.pem`. */
export function defaultCertificateFileName(serviceId: string, timestamp: number): string {
  return `sequester_service_certificate-${serviceId}-${rfc3339AutoSi(timestamp)}.pem`;
}

/** RFC 3339 with 0, 3 or 6 fraction digits as needed (chrono's `AutoSi`, `Z` suffix). */
export function rfc3339AutoSi(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
  if (frac === 0) return `${base}Z`;
  if (frac % 1000 === 0) return `${base}.${String(frac / 1000).padStart(3, "0")}Z`;
  return `${base}.${String(frac).padStart(6, "0")}Z`;
}

/** Why a certificate file does not verify. */
export class ServiceCertificateError extends Error {
  override name = "ServiceCertificateError";
}

/**
 * Reads and verifies a certificate PEM with the authority public key; returns its fields.
 * Throws `ServiceCertificateError` with the reason.
 */
export function verifyServiceCertificatePem(
  pem: string,
  authorityPublicKey: KeyObject,
): SequesterServiceCertificate {
  const signed = pemDecode(pem, SERVICE_CERTIFICATE_PEM_LABEL);
  if (!signed) {
    throw new ServiceCertificateError(
      `not a Parsec sequester service certificate PEM (no "${SERVICE_CERTIFICATE_PEM_LABEL}" block)`,
    );
  }
  const verified = verifyRsaSigned(authorityPublicKey, signed);
  if (!verified.ok) {
    throw new ServiceCertificateError(
      verified.failure === "bad_signature"
        ? "the signature does not verify with this authority public key"
        : `not a signed certificate (${verified.failure})`,
    );
  }
  let record;
  try {
    record = decodeSequesterServiceRecord(verified.data);
  } catch (e) {
    throw new ServiceCertificateError(
      `the signed record cannot be decoded: ${(e as Error).message}`,
    );
  }
  if (record.type !== "sequester_service_certificate") {
    throw new ServiceCertificateError(`the signed record is a ${record.type}`);
  }
  return record;
}

/** An RSA public key as SPKI DER from PEM (SPKI or PKCS#1) or DER bytes; throws on others. */
export function rsaPublicKeyDer(raw: Uint8Array): Uint8Array {
  const text = new TextDecoder("latin1").decode(raw);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new TypeError("this is a private key: give the public key (SubjectPublicKeyInfo PEM)");
  }
  const key = text.includes("-----BEGIN")
    ? createPublicKey({ key: text, format: "pem" })
    : createPublicKey({ key: Buffer.from(raw), format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "rsa") throw new TypeError("not an RSA public key");
  return new Uint8Array(key.export({ type: "spki", format: "der" }));
}
