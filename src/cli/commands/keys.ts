/**
 * `sequex keys inspect KEY [--json]`, `sequex keys match KEY EXPORT [--json]` and
 * `sequex keys generate --out PREFIX [--bits 4096]`.
 */
import { generateKeyPairSync } from "node:crypto";
import { UsageError } from "../../errors.ts";
import { RealmExport } from "../../export/realm_export.ts";
import { x25519PublicKey } from "../../crypto/sealed_box.ts";
import { sha256Hex } from "../../crypto/sha256.ts";
import { encryptPkcs8Pem } from "../../keys/encrypt_pkcs8.ts";
import { identifyKeyFile, loadKeyFile, readKeyFile, readUserKeyFile } from "../../keys/key_file.ts";
import { type KeyMatch, type MatchableKey, matchKey } from "../../keys/key_match.ts";
import { looksLikeUserKey } from "../../keys/user_key.ts";
import { NO_PASSPHRASE, type PassphraseSource } from "../../keys/passphrase.ts";
import { buildTrust } from "../../trust/trust.ts";
import { formatMicros } from "../../util/time.ts";
import { parseCommandArgs, PASSPHRASE_OPTIONS } from "../args.ts";
import { displaySafe } from "../display.ts";
import { printJson, printLine } from "../output.ts";
import { cliPassphraseSource } from "../prompt.ts";
import { writeNewFile } from "./write_new_file.ts";

const USAGE = "keys: use keys inspect KEY, keys match KEY EXPORT, or keys generate --out PREFIX";

/** Runs `keys SUBCOMMAND ...`. */
export function keysCommand(args: string[]): number {
  const [sub, ...rest] = args;
  switch (sub) {
    case "inspect":
      return inspect(rest);
    case "match":
      return match(rest);
    case "generate":
      return generate(rest);
    default:
      throw new UsageError(
        sub === undefined ? USAGE : `keys: unknown subcommand "${sub}"; ${USAGE.slice(6)}`,
      );
  }
}

type PassphraseValues = {
  "passphrase-file"?: string | undefined;
  "passphrase-env"?: string | undefined;
  "passphrase-stdin"?: boolean | undefined;
};

/** The passphrase source of the `--passphrase-*` values. */
export function passphrasesOf(values: PassphraseValues): PassphraseSource {
  return cliPassphraseSource({
    file: values["passphrase-file"],
    env: values["passphrase-env"],
    stdin: values["passphrase-stdin"],
  });
}

function positionals(command: string, given: string[], names: string[]): string[] {
  if (given.length < names.length) {
    throw new UsageError(`${command}: missing ${names[given.length]}`);
  }
  if (given.length > names.length) {
    throw new UsageError(`${command}: unexpected argument "${given[names.length]}"`);
  }
  return given;
}

function inspect(args: string[]): number {
  const { values, positionals: pos } = parseCommandArgs("keys inspect", args, {
    ...PASSPHRASE_OPTIONS,
    json: { type: "boolean" },
  });
  const [path] = positionals("keys inspect", pos, ["the key file"]);
  const passphrases = passphrasesOf(values);
  const raw = readKeyFile(path!);
  if (looksLikeUserKey(raw)) {
    const publicKey = x25519PublicKey(readUserKeyFile(path!));
    const userReport = {
      file: path,
      kind: "x25519_user_key",
      encrypted: false,
      public_key_sha256: sha256Hex(publicKey),
    };
    if (values.json) printJson({ schema: "sequex-keys-inspect/1", ...userReport });
    else {
      for (const [name, value] of Object.entries(userReport)) {
        printLine(`${name.replaceAll("_", " ").padEnd(18)} ${displaySafe(String(value))}`);
      }
    }
    return 0;
  }
  const form = identifyKeyFile(raw, path!);
  const needsSecret = form.kind === "device" || form.form.encrypted;
  // Without any passphrase source, show what the file says in clear instead of failing.
  const loaded = needsSecret && passphrases === NO_PASSPHRASE
    ? undefined
    : loadKeyFile(path!, passphrases);
  let report;
  if (form.kind === "rsa") {
    const key = loaded?.kind === "rsa" ? loaded.key : undefined;
    report = {
      file: path,
      kind: "rsa_private_key",
      container: form.form.container,
      encoding: form.form.encoding,
      encrypted: form.form.encrypted,
      encryption: form.form.scheme,
      bits: key?.modulusBits ?? null,
      public_key_sha256: key ? sha256Hex(key.publicKeyDer) : null,
    };
  } else {
    const f = form.file;
    const keys = loaded?.kind === "device" ? loaded.keys : undefined;
    report = {
      file: path,
      kind: "parsec_device_file",
      protection: f.protection + (f.totp ? "+totp" : ""),
      opens_offline: (f.protection === "password" || f.protection === "recovery") && !f.totp,
      organization: f.organizationId,
      server_url: f.serverUrl,
      user_id: f.userId,
      human_handle: f.humanHandle,
      device_id: f.deviceId,
      device_label: f.deviceLabel,
      created_on: formatMicros(f.createdOn),
      protected_on: formatMicros(f.protectedOn),
      encrypted: true,
      public_key_sha256: keys ? sha256Hex(x25519PublicKey(keys.privateKey)) : null,
    };
  }
  if (values.json) {
    printJson({ schema: "sequex-keys-inspect/1", ...report });
    return 0;
  }
  for (const [name, value] of Object.entries(report)) {
    const text = value === null
      ? needsSecret && name === "public_key_sha256"
        ? "(encrypted: give the passphrase to see it)"
        : "-"
      : typeof value === "object"
      ? `${value.label} <${value.email}>`
      : String(value);
    printLine(`${name.replaceAll("_", " ").padEnd(18)} ${displaySafe(text)}`);
  }
  return 0;
}

function match(args: string[]): number {
  const { values, positionals: pos } = parseCommandArgs("keys match", args, {
    ...PASSPHRASE_OPTIONS,
    json: { type: "boolean" },
  });
  const [keyPath, exportPath] = positionals("keys match", pos, ["the key file", "the export file"]);
  const key: MatchableKey = looksLikeUserKey(readKeyFile(keyPath!))
    ? { kind: "user_key", path: keyPath!, privateKey: readUserKeyFile(keyPath!) }
    : loadKeyFile(keyPath!, passphrasesOf(values));
  const exp = RealmExport.open(exportPath!);
  try {
    const m = matchKey(exp, buildTrust(exp), key);
    if (values.json) printJson(matchJson(m));
    else printMatch(keyPath!, m);
    return m.owner ? 0 : 1;
  } finally {
    exp.close();
  }
}

function matchJson(m: KeyMatch) {
  const time = (us: number | null) => (us === null ? null : formatMicros(us));
  return {
    schema: "sequex-keys-match/1",
    owner: m.owner && {
      kind: m.owner.kind,
      ...(m.owner.kind === "sequester_service"
        ? { service_id: m.owner.serviceId, label: m.owner.label }
        : { user_id: m.owner.userId, email: m.owner.email, name: m.owner.name }),
      created_on: time(m.owner.createdOn),
      revoked: m.owner.revokedOn !== null,
      revoked_on: time(m.owner.revokedOn),
    },
    reason: m.reason,
    key_indexes_obtained: m.obtained,
    key_indexes_missing: m.missing,
    key_periods: m.periods.map((p) => ({
      key_index: p.keyIndex,
      from: time(p.from),
      until: time(p.until),
      obtained: p.obtained,
    })),
    readable: m.readable.map((r) => ({ from: time(r.from), until: time(r.until) })),
  };
}

function printMatch(path: string, m: KeyMatch): void {
  const o = m.owner;
  if (!o) {
    printLine(`${displaySafe(path)}: ${m.reason}`);
    return;
  }
  const who = o.kind === "sequester_service"
    ? `sequester service "${o.label}" (${o.serviceId})`
    : `user ${o.name ?? o.userId}${o.email ? ` <${o.email}>` : ""} (${o.userId})`;
  printLine(`${displaySafe(path)} belongs to ${displaySafe(who)}`);
  printLine(
    `created ${formatMicros(o.createdOn)}; ${
      o.revokedOn === null ? "not revoked" : `revoked ${formatMicros(o.revokedOn)}`
    }`,
  );
  const list = (xs: readonly number[]) => (xs.length ? xs.join(", ") : "none");
  printLine(`opens key indexes: ${list(m.obtained)}; cannot open: ${list(m.missing)}`);
  if (m.readable.length === 0) printLine("readable: nothing");
  for (const r of m.readable) {
    printLine(
      `readable: data written from ${formatMicros(r.from)} ${
        r.until === null ? "onwards" : `until ${formatMicros(r.until)}`
      }`,
    );
  }
}

const KEY_SIZES = [2048, 3072, 4096];

function generate(args: string[]): number {
  const { values, positionals: pos } = parseCommandArgs("keys generate", args, {
    ...PASSPHRASE_OPTIONS,
    out: { type: "string" },
    bits: { type: "string" },
  });
  positionals("keys generate", pos, []);
  if (!values.out) throw new UsageError("keys generate: --out PREFIX is required");
  const bits = Number(values.bits ?? 4096);
  if (!KEY_SIZES.includes(bits)) {
    throw new UsageError(`keys generate: --bits must be one of ${KEY_SIZES.join(", ")}`);
  }
  if (/[\/\\]$/.test(values.out) || values.out === "." || values.out === "..") {
    throw new UsageError(
      `keys generate: --out "${values.out}" is a folder; give a file name prefix such as ./service-a`,
    );
  }
  const privatePath = `${values.out}.private.pem`;
  const publicPath = `${values.out}.public.pem`;
  for (const p of [privatePath, publicPath]) {
    try {
      Deno.lstatSync(p);
      throw new UsageError(`keys generate: "${p}" exists; it is never overwritten`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  const passphrase = passphrasesOf(values).get(`the new key "${privatePath}"`, { confirm: true });
  if (passphrase === undefined) {
    throw new UsageError(
      "keys generate: the private key is written encrypted: give a passphrase (--passphrase-file, --passphrase-env, --passphrase-stdin, or run in a terminal)",
    );
  }
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const pkcs8 = new Uint8Array(privateKey.export({ type: "pkcs8", format: "der" }));
  const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
  writeNewFile(privatePath, encryptPkcs8Pem(pkcs8, passphrase), 0o600);
  writeNewFile(publicPath, String(publicKey.export({ type: "spki", format: "pem" })), 0o644);
  printLine(`RSA-${bits} service key pair, public key SHA-256 ${sha256Hex(spki)}`);
  printLine(`private key (encrypted PKCS#8, owner-only): ${displaySafe(privatePath)}`);
  printLine(`public key (SubjectPublicKeyInfo PEM):     ${displaySafe(publicPath)}`);
  return 0;
}
