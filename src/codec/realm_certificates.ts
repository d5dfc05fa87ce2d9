/** Realm certificates: roles, key rotations, name, archiving (spec §5.3). */
import { decodeFormatV0 } from "./format_v0.ts";
import { Fields } from "./fields.ts";

const REALM_ROLES = ["OWNER", "MANAGER", "CONTRIBUTOR", "READER"] as const;
export type RealmRole = typeof REALM_ROLES[number];

interface RealmCertificateBase {
  readonly author: string;
  readonly timestamp: number;
  readonly realmId: string;
}

export interface RealmRoleCertificate extends RealmCertificateBase {
  readonly type: "realm_role_certificate";
  readonly userId: string;
  readonly role: RealmRole | null;
}

export interface RealmKeyRotationCertificate extends RealmCertificateBase {
  readonly type: "realm_key_rotation_certificate";
  readonly keyIndex: number;
  readonly keyCanary: Uint8Array;
}

export interface RealmNameCertificate extends RealmCertificateBase {
  readonly type: "realm_name_certificate";
  readonly keyIndex: number;
  readonly encryptedName: Uint8Array;
}

export interface RealmArchivingCertificate extends RealmCertificateBase {
  readonly type: "realm_archiving_certificate";
  readonly configuration: "AVAILABLE" | "ARCHIVED" | "DELETION_PLANNED";
  readonly deletionDate: number | null;
}

export type RealmCertificate =
  | RealmRoleCertificate
  | RealmKeyRotationCertificate
  | RealmNameCertificate
  | RealmArchivingCertificate;

/** Decodes a realm certificate's format-v0 payload (signature already removed). */
export function decodeRealmCertificate(payload: Uint8Array): RealmCertificate {
  const f = Fields.of(decodeFormatV0(payload), [
    "realm_role_certificate",
    "realm_key_rotation_certificate",
    "realm_name_certificate",
    "realm_archiving_certificate",
  ]);
  const base = {
    author: f.uuid("author"),
    timestamp: f.dateTime("timestamp"),
    realmId: f.uuid("realm_id"),
  };
  switch (f.type) {
    case "realm_role_certificate":
      return {
        type: "realm_role_certificate",
        ...base,
        userId: f.uuid("user_id"),
        role: f.isNull("role") ? null : f.oneOf("role", REALM_ROLES),
      };
    case "realm_key_rotation_certificate":
      f.oneOf("encryption_algorithm", ["BLAKE2_XSALSA20_POLY1305"]);
      f.oneOf("hash_algorithm", ["SHA256"]);
      return {
        type: "realm_key_rotation_certificate",
        ...base,
        keyIndex: f.uint("key_index"),
        keyCanary: f.bytes("key_canary"),
      };
    case "realm_name_certificate":
      return {
        type: "realm_name_certificate",
        ...base,
        keyIndex: f.uint("key_index"),
        encryptedName: f.bytes("encrypted_name"),
      };
    default: {
      const config = Fields.of(f.raw("configuration"), [
        "AVAILABLE",
        "ARCHIVED",
        "DELETION_PLANNED",
      ]);
      return {
        type: "realm_archiving_certificate",
        ...base,
        configuration: config.type as RealmArchivingCertificate["configuration"],
        deletionDate: config.type === "DELETION_PLANNED" ? config.dateTime("deletion_date") : null,
      };
    }
  }
}
