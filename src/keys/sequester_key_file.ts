/** Reads a sequester service RSA private key file (PEM or DER, PKCS#8 or PKCS#1). */
import { Buffer } from "node:buffer";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { KeyFileError } from "../errors.ts";
import { importRsaPrivateKeyPkcs8, type RsaPrivateKey } from "../crypto/rsa.ts";

/** Loads an unencrypted RSA private key from `path`; throws `KeyFileError` with a clear reason. */
export function loadSequesterKeyFile(path: string): RsaPrivateKey {
  let raw: Uint8Array;
  try {
    raw = readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new KeyFileError(path, code === "ENOENT" ? "no such file" : (e as Error).message);
  }
  return parseSequesterKey(raw, path);
}

/** Parses RSA private key bytes (PEM text or DER). */
export function parseSequesterKey(raw: Uint8Array, path: string): RsaPrivateKey {
  const text = new TextDecoder("latin1").decode(raw);
  let key: KeyObject | undefined;
  if (text.includes("-----BEGIN")) {
    if (/ENCRYPTED/.test(text)) {
      throw new KeyFileError(
        path,
        "the key is encrypted; passphrase-protected keys are not supported yet",
      );
    }
    if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text)) {
      const kind = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1] ?? "unknown";
      throw new KeyFileError(path, `expected an RSA private key, found a PEM "${kind}"`);
    }
    key = tryKey(() => createPrivateKey({ key: text, format: "pem" }));
  } else {
    const der = Buffer.from(raw);
    key = tryKey(() => createPrivateKey({ key: der, format: "der", type: "pkcs8" })) ??
      tryKey(() => createPrivateKey({ key: der, format: "der", type: "pkcs1" }));
  }
  if (!key) throw new KeyFileError(path, "not a readable RSA private key (PEM or DER)");
  if (key.asymmetricKeyType !== "rsa") {
    throw new KeyFileError(path, `not an RSA key (${key.asymmetricKeyType ?? "unknown"} key)`);
  }
  const pkcs8 = key.export({ type: "pkcs8", format: "der" });
  return importRsaPrivateKeyPkcs8(new Uint8Array(pkcs8));
}

function tryKey(make: () => KeyObject): KeyObject | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}
