/**
 * Parsec device key files (`libparsec/crates/types/schema/local_device/`): a msgpack struct
 * (named map, or positional array in early v3 files) whose `ciphertext` is a secret box holding
 * the `LocalDevice`, with the user's X25519 private key. Only password and recovery files can be
 * opened off-line; the other protections need the OS keyring, a smartcard or a server.
 */
import { argon2idKey, type Argon2idParams } from "../crypto/argon2id.ts";
import { openSecretBox } from "../crypto/secret_box.ts";
import { decodeHumanHandle, type HumanHandle } from "../codec/certificates.ts";
import { Fields, RecordError } from "../codec/fields.ts";
import { decodeMsgpack, MsgMap, type MsgValue } from "../codec/msgpack.ts";
import { KeyFormError } from "./rsa_key_forms.ts";

/** The protection types of the schema (`type` field). */
export type DeviceProtection =
  | "password"
  | "recovery"
  | "keyring"
  | "pki"
  | "account_vault"
  | "openbao";

const HEADER = [
  "created_on",
  "protected_on",
  "server_url",
  "organization_id",
  "user_id",
  "device_id",
  "human_handle",
  "device_label",
];

/** Field order of each device file type, for the positional (array) form. */
const FIELDS: Readonly<Record<DeviceProtection, readonly string[]>> = {
  password: [...HEADER, "algorithm", "ciphertext", "totp_opaque_key_id"],
  recovery: [...HEADER, "ciphertext"],
  keyring: [...HEADER, "keyring_service", "keyring_user", "ciphertext", "totp_opaque_key_id"],
  pki: [
    ...HEADER,
    "certificate_ref",
    "algorithm",
    "encrypted_key",
    "ciphertext",
    "totp_opaque_key_id",
  ],
  account_vault: [...HEADER, "ciphertext_key_id", "ciphertext", "totp_opaque_key_id"],
  openbao: [
    ...HEADER,
    "openbao_preferred_auth_id",
    "openbao_entity_id",
    "openbao_ciphertext_key_path",
    "ciphertext",
    "totp_opaque_key_id",
  ],
};

/** How each protection is named in messages. */
const PROTECTION_NAMES: Readonly<Record<DeviceProtection, string>> = {
  password: "a password",
  recovery: "a recovery passphrase",
  keyring: "the OS keyring",
  pki: "a smartcard (PKI)",
  account_vault: "a Parsec account vault (server)",
  openbao: "an OpenBao server",
};

/** What a device file says in clear. */
export interface DeviceFile {
  readonly protection: DeviceProtection;
  readonly createdOn: number;
  readonly protectedOn: number;
  readonly serverUrl: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly humanHandle: HumanHandle | null;
  readonly deviceLabel: string | null;
  /** Second factor checked by the server (Parsec ≥ 3.8). */
  readonly totp: boolean;
  readonly argon2id: Argon2idParams | null;
  readonly ciphertext: Uint8Array;
}

/** The keys a decrypted device file gives. */
export interface DeviceKeys {
  /** The user's X25519 private key (32 bytes). */
  readonly privateKey: Uint8Array;
  readonly userId: string | null;
  readonly deviceId: string | null;
  readonly organizationId: string | null;
}

/** Whether `raw` starts like a msgpack map or array (a device file, not PEM or DER). */
export function looksLikeDeviceFile(raw: Uint8Array): boolean {
  const b = raw[0];
  return b !== undefined && ((b >= 0x80 && b <= 0x9f) || b === 0xdc || b === 0xde);
}

/** Decodes a device file; throws `KeyFormError` (`invalid`) when it is not one. */
export function decodeDeviceFile(raw: Uint8Array): DeviceFile {
  try {
    const value = decodeMsgpack(raw);
    const f = Fields.of(named(value, (tag) => FIELDS[tag as DeviceProtection]));
    const protection = f.type as DeviceProtection;
    if (!(protection in FIELDS)) {
      throw new RecordError(`unknown device file type "${f.type}"`);
    }
    return {
      protection,
      createdOn: f.dateTime("created_on"),
      protectedOn: f.dateTime("protected_on"),
      serverUrl: f.string("server_url"),
      organizationId: f.string("organization_id"),
      userId: f.uuid("user_id"),
      deviceId: f.uuid("device_id"),
      humanHandle: decodeHumanHandle(f),
      deviceLabel: f.optionalString("device_label"),
      totp: f.has("totp_opaque_key_id") && !f.isNull("totp_opaque_key_id"),
      argon2id: protection === "password" ? decodeArgon2id(f.raw("algorithm")) : null,
      ciphertext: f.bytes("ciphertext"),
    };
  } catch (e) {
    if (e instanceof KeyFormError) throw e;
    throw new KeyFormError("invalid", `not a Parsec device file (${(e as Error).message})`);
  }
}

/** Why this device file cannot be opened off-line, or `undefined` when it can. */
export function offlineRefusal(file: DeviceFile): string | undefined {
  const name = PROTECTION_NAMES[file.protection];
  if (file.protection !== "password" && file.protection !== "recovery") {
    return `this Parsec device file is protected by ${name}${
      file.totp ? " and a TOTP second factor" : ""
    }, which cannot be opened off-line (use the user's recovery device file, or a sequester service key)`;
  }
  if (file.totp) {
    return `this Parsec device file is protected by ${name} and a TOTP second factor checked by the server, which cannot be opened off-line`;
  }
  return undefined;
}

/** Decrypts a password or recovery device file; `KeyFormError` `wrong_passphrase` on failure. */
export function openDeviceFile(file: DeviceFile, secret: string): DeviceKeys {
  const refusal = offlineRefusal(file);
  if (refusal) throw new KeyFormError("unsupported", refusal);
  const key = file.protection === "recovery"
    ? recoveryPassphraseKey(secret)
    : argon2idKey(secret, file.argon2id!);
  const clear = openSecretBox(key, file.ciphertext);
  if (!clear) {
    throw new KeyFormError(
      "wrong_passphrase",
      file.protection === "recovery" ? "wrong recovery passphrase" : "wrong password",
    );
  }
  return decodeLocalDevice(clear);
}

const LOCAL_DEVICE_FIELDS = [
  "server_url",
  "organization_id",
  "root_verify_key",
  "user_id",
  "device_id",
  "device_label",
  "human_handle",
  "signing_key",
  "private_key",
  "initial_profile",
  "user_realm_id",
  "user_realm_key",
  "local_symkey",
];

/** The decrypted `LocalDevice`: only its private key is required. */
function decodeLocalDevice(clear: Uint8Array): DeviceKeys {
  try {
    const f = Fields.of(named(decodeMsgpack(clear), () => LOCAL_DEVICE_FIELDS), "local_device");
    const optional = <T>(read: () => T): T | null => {
      try {
        return read();
      } catch {
        return null;
      }
    };
    return {
      privateKey: f.bytes("private_key", 32),
      userId: optional(() => f.uuid("user_id")),
      deviceId: optional(() => f.uuid("device_id")),
      organizationId: optional(() => f.string("organization_id")),
    };
  } catch (e) {
    throw new KeyFormError(
      "invalid",
      `the device file opens but holds no readable device (${(e as Error).message})`,
    );
  }
}

/**
 * A record as a named map: a positional array (`[type, field...]`) is given the names of its
 * type's fields.
 */
function named(value: MsgValue, fieldsOf: (tag: string) => readonly string[] | undefined) {
  if (!Array.isArray(value)) return value;
  const [tag, ...rest] = value;
  if (typeof tag !== "string") throw new RecordError("record has no string type");
  const names = fieldsOf(tag);
  if (!names) throw new RecordError(`unknown record type "${tag}"`);
  if (rest.length > names.length) throw new RecordError("too many fields");
  return new MsgMap([["type", tag], ...rest.map((v, i) => [names[i]!, v] as const)]);
}

/** The Argon2id parameters (map `{type: "ARGON2ID", ...}` or array form), within sane bounds. */
function decodeArgon2id(value: MsgValue): Argon2idParams {
  const f = Fields.of(
    named(value, () => ["memlimit_kb", "opslimit", "parallelism", "salt"]),
    "ARGON2ID",
  );
  const params = {
    memlimitKb: f.uint("memlimit_kb"),
    opslimit: f.uint("opslimit"),
    parallelism: f.uint("parallelism"),
    salt: f.bytes("salt"),
  };
  if (
    params.memlimitKb < 8 || params.memlimitKb > 4 * 1024 * 1024 || params.opslimit < 1 ||
    params.opslimit > 64 || params.parallelism < 1 || params.parallelism > 64 ||
    params.salt.length < 8
  ) {
    throw new KeyFormError("unsupported", "the device file's Argon2id parameters are out of range");
  }
  return params;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * The secret key of a recovery passphrase (`XXXX-XXXX-...`, base32 of 32 bytes), read as Parsec
 * reads it: case-insensitive, `0`→`O` and `1`→`I`, other characters ignored.
 */
export function recoveryPassphraseKey(passphrase: string): Uint8Array {
  const b32 = [...passphrase.toUpperCase()].map((c) => c === "0" ? "O" : c === "1" ? "I" : c)
    .filter((c) => BASE32.includes(c)).join("");
  if (b32.length !== 52) {
    throw new KeyFormError(
      "wrong_passphrase",
      "wrong recovery passphrase (it has 52 letters and digits, in groups of 4)",
    );
  }
  const out = new Uint8Array(32);
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (const c of b32) {
    acc = (acc << 5) | BASE32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      if (n < 32) out[n++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  return out;
}

/** The recovery passphrase of a 32-byte key (Parsec's `generate_recovery_passphrase` layout). */
export function recoveryPassphraseOf(key: Uint8Array): string {
  let b32 = "";
  let acc = 0;
  let bits = 0;
  for (const byte of key) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      b32 += BASE32[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) b32 += BASE32[(acc << (5 - bits)) & 31];
  return b32.match(/.{1,4}/g)!.join("-");
}
