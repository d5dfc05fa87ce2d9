/**
 * What `--key FILE` holds, loaded: an RSA private key in any common form (a sequester service
 * key), or a Parsec device file (a user's key). The passphrase is asked only for encrypted keys.
 */
import { readFileSync } from "node:fs";
import type { RsaPrivateKey } from "../crypto/rsa.ts";
import { KeyFileError } from "../errors.ts";
import {
  decodeDeviceFile,
  type DeviceFile,
  type DeviceKeys,
  looksLikeDeviceFile,
  offlineRefusal,
  openDeviceFile,
} from "./device_file.ts";
import { NO_PASSPHRASE, type PassphraseSource } from "./passphrase.ts";
import { looksLikeUserKey } from "./user_key.ts";
import { fromHex } from "../util/bytes.ts";
import {
  decodeRsaPrivateKey,
  detectRsaKeyForm,
  KeyFormError,
  type RsaKeyForm,
} from "./rsa_key_forms.ts";

export type LoadedKey =
  | { readonly kind: "rsa"; readonly path: string; readonly form: RsaKeyForm; key: RsaPrivateKey }
  | {
    readonly kind: "device";
    readonly path: string;
    readonly file: DeviceFile;
    readonly keys: DeviceKeys;
  };

/** What a key file is, read without any passphrase. */
export type KeyFileForm =
  | { readonly kind: "rsa"; readonly form: RsaKeyForm }
  | { readonly kind: "device"; readonly file: DeviceFile };

/** Reads a key file's bytes; `KeyFileError` when it cannot be read. */
export function readKeyFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new KeyFileError(
      path,
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : "cannot read it",
    );
  }
}

/** The 32 bytes of a user key file (`--user-key-file`); `KeyFileError` otherwise. */
export function readUserKeyFile(path: string): Uint8Array {
  const raw = readKeyFile(path);
  if (!looksLikeUserKey(raw)) {
    throw new KeyFileError(path, "not a user key file (64 hex characters, a 32-byte X25519 key)");
  }
  return fromHex(new TextDecoder("latin1").decode(raw).trim());
}

/** Identifies the key file without decrypting it. */
export function identifyKeyFile(raw: Uint8Array, path: string): KeyFileForm {
  return withPath(path, () => {
    if (looksLikeDeviceFile(raw)) return { kind: "device", file: decodeDeviceFile(raw) };
    const form = detectRsaKeyForm(raw);
    if (!form && looksLikeUserKey(raw)) {
      throw new KeyFormError(
        "invalid",
        "this is a user's X25519 key (64 hex characters): pass it with --user-key-file",
      );
    }
    if (!form) {
      throw new KeyFormError(
        "invalid",
        "not an RSA private key (PEM or DER, PKCS#8 or PKCS#1) nor a Parsec device file",
      );
    }
    return { kind: "rsa", form };
  });
}

/** Loads and, when needed, decrypts a key file with a passphrase from `passphrases`. */
export function loadKeyFile(
  path: string,
  passphrases: PassphraseSource = NO_PASSPHRASE,
): LoadedKey {
  const raw = readKeyFile(path);
  const what = identifyKeyFile(raw, path);
  return withPath(path, () => {
    if (what.kind === "device") {
      const refusal = offlineRefusal(what.file);
      if (refusal) throw new KeyFormError("unsupported", refusal);
      const label = what.file.protection === "recovery"
        ? `the recovery passphrase of "${path}"`
        : `the password of device file "${path}"`;
      const secret = passphrases.get(label);
      if (secret === undefined) {
        throw new KeyFormError(
          "passphrase_needed",
          `this Parsec device file needs ${
            what.file.protection === "recovery" ? "its recovery passphrase" : "its password"
          } (--passphrase-file FILE, --passphrase-env NAME, --passphrase-stdin, or run in a terminal to be asked)`,
        );
      }
      return { kind: "device", path, file: what.file, keys: openDeviceFile(what.file, secret) };
    }
    const passphrase = what.form.encrypted ? passphrases.get(`key "${path}"`) : undefined;
    return {
      kind: "rsa",
      path,
      form: what.form,
      key: decodeRsaPrivateKey(raw, what.form, passphrase),
    };
  });
}

/** Loads a key that must be an RSA private key (authority or service key). */
export function loadRsaKeyFile(path: string, passphrases: PassphraseSource): RsaPrivateKey {
  const loaded = loadKeyFile(path, passphrases);
  if (loaded.kind !== "rsa") {
    throw new KeyFileError(path, "expected an RSA private key, found a Parsec device file");
  }
  return loaded.key;
}

function withPath<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof KeyFormError) throw new KeyFileError(path, e.message);
    throw e;
  }
}
