/** Opening an export with the decryptors given on the command line. */
import { RealmExport } from "../export/realm_export.ts";
import { bindSequesterKey, bindUserKey, type Decryptor } from "../keys/decryptors.ts";
import { loadSequesterKeyFile } from "../keys/sequester_key_file.ts";
import { parseUserKeyHex } from "../keys/user_key.ts";
import { Realm } from "../realm/realm.ts";
import { buildTrust } from "../trust/trust.ts";
import { UsageError } from "../errors.ts";

/** The decryptors asked for: `--key FILE` (repeatable) and `--user-key HEX` (repeatable). */
export interface DecryptorOptions {
  readonly keyFiles: readonly string[];
  readonly userKeys: readonly string[];
}

/** Loads key files before touching the export, so a bad key fails fast. */
export function openRealm(exportPath: string, opts: DecryptorOptions): Realm {
  if (opts.keyFiles.length === 0 && opts.userKeys.length === 0) {
    throw new UsageError(
      "a decryptor is needed: --key FILE (sequester service key) or --user-key HEX",
    );
  }
  const rsaKeys = opts.keyFiles.map((path) => ({ path, key: loadSequesterKeyFile(path) }));
  const userKeys = opts.userKeys.map((hex, i) => ({
    source: `--user-key #${i + 1}`,
    key: parseUserKeyHex(hex),
  }));
  const exp = RealmExport.open(exportPath);
  try {
    const trust = buildTrust(exp);
    const decryptors: Decryptor[] = [
      ...rsaKeys.map(({ path, key }) => bindSequesterKey(trust, key, path)),
      ...userKeys.map(({ source, key }) => bindUserKey(trust, key, source)),
    ];
    return Realm.open(exp, trust, decryptors);
  } catch (e) {
    exp.close();
    throw e;
  }
}
