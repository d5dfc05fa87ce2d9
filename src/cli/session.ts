/** Opening an export with the decryptors given on the command line. */
import { RealmExport } from "../export/realm_export.ts";
import { bindSequesterKey, bindUserKey, type Decryptor } from "../keys/decryptors.ts";
import { loadKeyFile, readUserKeyFile } from "../keys/key_file.ts";
import { NO_PASSPHRASE, type PassphraseSource } from "../keys/passphrase.ts";
import { parseUserKeyHex } from "../keys/user_key.ts";
import { Realm } from "../realm/realm.ts";
import { buildTrust } from "../trust/trust.ts";
import { UsageError } from "../errors.ts";
import { cliPassphraseSource } from "./prompt.ts";
import { printError } from "./output.ts";
import { missingParts } from "../extract/report_parts.ts";

/**
 * The decryptors asked for: `--key FILE` (RSA service key or Parsec device file, repeatable),
 * `--user-key HEX` (repeatable), and where passphrases of encrypted keys come from.
 */
export interface DecryptorOptions {
  readonly keyFiles: readonly string[];
  readonly userKeys: readonly string[];
  /** Files holding a user key as 64 hex characters (keeps the key off the command line). */
  readonly userKeyFiles?: readonly string[];
  readonly passphrases?: PassphraseSource;
}

/** `DecryptorOptions` from the values of `DECRYPTOR_OPTIONS`. */
export function decryptorOptions(values: {
  key?: string[] | undefined;
  "user-key"?: string[] | undefined;
  "user-key-file"?: string[] | undefined;
  "passphrase-file"?: string | undefined;
  "passphrase-env"?: string | undefined;
  "passphrase-stdin"?: boolean | undefined;
}): DecryptorOptions {
  return {
    keyFiles: values.key ?? [],
    userKeys: values["user-key"] ?? [],
    userKeyFiles: values["user-key-file"] ?? [],
    passphrases: cliPassphraseSource({
      file: values["passphrase-file"],
      env: values["passphrase-env"],
      stdin: values["passphrase-stdin"],
    }),
  };
}

/** Loads key files before touching the export, so a bad key fails fast. */
export function openRealm(exportPath: string, opts: DecryptorOptions): Realm {
  const userKeyFiles = opts.userKeyFiles ?? [];
  if (opts.keyFiles.length === 0 && opts.userKeys.length === 0 && userKeyFiles.length === 0) {
    throw new UsageError(
      "a decryptor is needed: --key FILE (sequester service key or device file), " +
        "--user-key-file FILE or --user-key HEX",
    );
  }
  const keyFiles = opts.keyFiles.map((path) =>
    loadKeyFile(path, opts.passphrases ?? NO_PASSPHRASE)
  );
  const userKeys = [
    ...opts.userKeys.map((hex, i) => ({
      source: `--user-key #${i + 1}`,
      key: parseUserKeyHex(hex),
    })),
    ...userKeyFiles.map((path) => ({ source: path, key: readUserKeyFile(path) })),
  ];
  const exp = RealmExport.open(exportPath);
  try {
    const trust = buildTrust(exp);
    const decryptors: Decryptor[] = [
      ...keyFiles.map((k) =>
        k.kind === "rsa"
          ? bindSequesterKey(trust, k.key, k.path)
          : bindUserKey(trust, k.keys.privateKey, k.path)
      ),
      ...userKeys.map(({ source, key }) => bindUserKey(trust, key, source)),
    ];
    return Realm.open(exp, trust, decryptors);
  } catch (e) {
    exp.close();
    throw e;
  }
}

/** On stderr (never mixed with data on stdout): what an incomplete export lacks. */
export function noteIfIncomplete(realm: Realm): void {
  const missing = missingParts(realm.exp.info);
  if (missing.length > 0) printError(`Note: incomplete export, missing: ${missing.join("; ")}`);
}
