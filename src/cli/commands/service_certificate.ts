/**
 * `sequex service-certificate --service-label L --service-public-key PUB
 * --authority-private-key AUTH [--out FILE|DIR]` and
 * `sequex service-certificate --verify FILE --authority-public-key PUB [--json]`.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { UsageError } from "../../errors.ts";
import { importRsaPublicKeySpki } from "../../crypto/rsa.ts";
import { sha256Hex } from "../../crypto/sha256.ts";
import { loadRsaKeyFile, readKeyFile } from "../../keys/key_file.ts";
import {
  defaultCertificateFileName,
  encodeServiceCertificate,
  rsaPublicKeyDer,
  ServiceCertificateError,
  serviceCertificatePem,
  signWithAuthority,
  verifyServiceCertificatePem,
} from "../../keys/service_certificate.ts";
import { toHex } from "../../util/bytes.ts";
import { formatMicros } from "../../util/time.ts";
import { parseCommandArgs, PASSPHRASE_OPTIONS } from "../args.ts";
import { displaySafe } from "../display.ts";
import { printJson, printLine } from "../output.ts";
import { passphrasesOf } from "./keys.ts";
import { writeNewFile } from "./write_new_file.ts";

/** Runs `service-certificate`. */
export function serviceCertificateCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs("service-certificate", args, {
    ...PASSPHRASE_OPTIONS,
    "service-label": { type: "string" },
    "service-public-key": { type: "string" },
    "authority-private-key": { type: "string" },
    "authority-public-key": { type: "string" },
    verify: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
  });
  if (positionals.length > 0) {
    throw new UsageError(`service-certificate: unexpected argument "${positionals[0]}"`);
  }
  if (values.verify !== undefined) {
    const pub = required(values["authority-public-key"], "--authority-public-key PUB");
    return verify(values.verify, pub, values.json ?? false);
  }
  const label = required(values["service-label"], "--service-label LABEL");
  if (label.trim() === "") throw new UsageError("service-certificate: --service-label is empty");
  const servicePublicKey = publicKeyDer(
    required(values["service-public-key"], "--service-public-key PUB"),
  );
  const authority = loadRsaKeyFile(
    required(values["authority-private-key"], "--authority-private-key AUTH"),
    passphrasesOf(values),
  );
  const fields = {
    timestamp: Date.now() * 1000,
    serviceId: toHex(randomBytes(16)),
    serviceLabel: label,
    encryptionKeyDer: servicePublicKey,
  };
  const pem = serviceCertificatePem(
    signWithAuthority(authority, encodeServiceCertificate(fields)),
  );
  const out = outputPath(values.out, fields.serviceId, fields.timestamp);
  writeNewFile(out, pem, 0o644);
  printLine(
    `Sequester service certificate "${displaySafe(label)}" (id ${fields.serviceId}, ${
      formatMicros(fields.timestamp)
    }) written to ${displaySafe(out)}`,
  );
  printLine("Register it with: parsec sequester create_service --service-certificate FILE ...");
  return 0;
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new UsageError(`service-certificate: ${what} is required`);
  return value;
}

function publicKeyDer(path: string): Uint8Array {
  const raw = readKeyFile(path);
  try {
    return rsaPublicKeyDer(raw);
  } catch (e) {
    const reason = e instanceof TypeError && /private key/.test(e.message)
      ? e.message
      : "not an RSA public key (SubjectPublicKeyInfo PEM or DER)";
    throw new UsageError(`Cannot use public key "${path}": ${reason}`);
  }
}

/** A folder (default: the current one) gets Parsec's default file name. */
function outputPath(out: string | undefined, serviceId: string, timestamp: number): string {
  const target = out ?? ".";
  let isDir = false;
  try {
    isDir = Deno.statSync(target).isDirectory;
  } catch {
    isDir = false;
  }
  return isDir ? join(target, defaultCertificateFileName(serviceId, timestamp)) : target;
}

function verify(path: string, authorityPublicKey: string, json: boolean): number {
  const key = importRsaPublicKeySpki(publicKeyDer(authorityPublicKey));
  const text = new TextDecoder().decode(readKeyFile(path));
  let cert;
  try {
    cert = verifyServiceCertificatePem(text, key);
  } catch (e) {
    if (e instanceof ServiceCertificateError) {
      throw new UsageError(`Certificate "${path}" does not verify: ${e.message}`);
    }
    throw e;
  }
  const report = {
    schema: "sequex-service-certificate/1",
    file: path,
    valid: true,
    service_id: cert.serviceId,
    service_label: cert.serviceLabel,
    timestamp: formatMicros(cert.timestamp),
    encryption_key_sha256: sha256Hex(cert.encryptionKeyDer),
  };
  if (json) printJson(report);
  else {
    printLine(`${displaySafe(path)}: valid, signed by this authority key`);
    printLine(`service "${displaySafe(cert.serviceLabel)}" (id ${cert.serviceId})`);
    printLine(`timestamp ${report.timestamp}`);
    printLine(`encryption key SHA-256 ${report.encryption_key_sha256}`);
  }
  return 0;
}
