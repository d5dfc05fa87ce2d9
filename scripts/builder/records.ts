/**
 * Parsec records as msgpack structs, fields in serialization order (spec §5). Each function
 * returns the value to pass to `encodeFormatV0`.
 */
import type { MsgMap, MsgValue } from "../../src/codec/msgpack.ts";
import { dt, orderedMap, struct, uuid } from "../../src/codec/msgpack_encode.ts";

export type Profile = "ADMIN" | "STANDARD" | "OUTSIDER";
export type RealmRole = "OWNER" | "MANAGER" | "CONTRIBUTOR" | "READER";
export type DevicePurpose =
  | "STANDARD"
  | "SHAMIR_RECOVERY"
  | "PASSPHRASE_RECOVERY"
  | "REGISTRATION";

/** `{email, label}` of a user, or `null` when redacted. */
export type HumanHandle = { readonly email: string; readonly label: string } | null;

function optUuid(id: Uint8Array | null): MsgValue {
  return id === null ? null : uuid(id);
}

/** `user_certificate` (author `null` = signed by the root key). */
export function userCertificate(r: {
  author: Uint8Array | null;
  timestamp: number;
  userId: Uint8Array;
  humanHandle: HumanHandle;
  publicKey: Uint8Array;
  profile: Profile;
}): MsgMap {
  return struct("user_certificate", [
    ["author", optUuid(r.author)],
    ["timestamp", dt(r.timestamp)],
    ["user_id", uuid(r.userId)],
    ["human_handle", r.humanHandle === null ? null : [r.humanHandle.email, r.humanHandle.label]],
    ["public_key", r.publicKey],
    ["algorithm", "X25519_XSALSA20_POLY1305"],
    ["profile", r.profile],
  ]);
}

/** `device_certificate` (author `null` = signed by the root key). */
export function deviceCertificate(r: {
  purpose: DevicePurpose;
  author: Uint8Array | null;
  timestamp: number;
  userId: Uint8Array;
  deviceId: Uint8Array;
  deviceLabel: string | null;
  verifyKey: Uint8Array;
}): MsgMap {
  return struct("device_certificate", [
    ["purpose", r.purpose],
    ["author", optUuid(r.author)],
    ["timestamp", dt(r.timestamp)],
    ["user_id", uuid(r.userId)],
    ["device_id", uuid(r.deviceId)],
    ["device_label", r.deviceLabel],
    ["verify_key", r.verifyKey],
    ["algorithm", "ED25519"],
  ]);
}

/** `revoked_user_certificate`. */
export function revokedUserCertificate(
  r: { author: Uint8Array; timestamp: number; userId: Uint8Array },
): MsgMap {
  return struct("revoked_user_certificate", [
    ["author", uuid(r.author)],
    ["timestamp", dt(r.timestamp)],
    ["user_id", uuid(r.userId)],
  ]);
}

/** `user_update_certificate` (profile change). */
export function userUpdateCertificate(
  r: { author: Uint8Array; timestamp: number; userId: Uint8Array; newProfile: Profile },
): MsgMap {
  return struct("user_update_certificate", [
    ["author", uuid(r.author)],
    ["timestamp", dt(r.timestamp)],
    ["user_id", uuid(r.userId)],
    ["new_profile", r.newProfile],
  ]);
}

/** `sequester_authority_certificate` (signed by the root key). */
export function sequesterAuthorityCertificate(
  r: { timestamp: number; verifyKeyDer: Uint8Array },
): MsgMap {
  return struct("sequester_authority_certificate", [
    ["timestamp", dt(r.timestamp)],
    ["verify_key_der", r.verifyKeyDer],
  ]);
}

/** `sequester_service_certificate` (RSASSA-PSS-signed by the authority). */
export function sequesterServiceCertificate(r: {
  timestamp: number;
  serviceId: Uint8Array;
  serviceLabel: string;
  encryptionKeyDer: Uint8Array;
}): MsgMap {
  return struct("sequester_service_certificate", [
    ["timestamp", dt(r.timestamp)],
    ["service_id", uuid(r.serviceId)],
    ["service_label", r.serviceLabel],
    ["encryption_key_der", r.encryptionKeyDer],
  ]);
}

/** `sequester_revoked_service_certificate`. */
export function sequesterRevokedServiceCertificate(
  r: { timestamp: number; serviceId: Uint8Array },
): MsgMap {
  return struct("sequester_revoked_service_certificate", [
    ["timestamp", dt(r.timestamp)],
    ["service_id", uuid(r.serviceId)],
  ]);
}

interface RealmCertificateBase {
  author: Uint8Array;
  timestamp: number;
  realmId: Uint8Array;
}

function realmHead(r: RealmCertificateBase): [string, MsgValue][] {
  return [["author", uuid(r.author)], ["timestamp", dt(r.timestamp)], [
    "realm_id",
    uuid(r.realmId),
  ]];
}

/** `realm_role_certificate` (`role: null` = access removed). */
export function realmRoleCertificate(
  r: RealmCertificateBase & { userId: Uint8Array; role: RealmRole | null },
): MsgMap {
  return struct("realm_role_certificate", [
    ...realmHead(r),
    ["user_id", uuid(r.userId)],
    ["role", r.role],
  ]);
}

/** `realm_key_rotation_certificate` (`keyCanary` = 40-byte secret box of the empty string). */
export function realmKeyRotationCertificate(
  r: RealmCertificateBase & { keyIndex: number; keyCanary: Uint8Array },
): MsgMap {
  return struct("realm_key_rotation_certificate", [
    ...realmHead(r),
    ["key_index", r.keyIndex],
    ["encryption_algorithm", "BLAKE2_XSALSA20_POLY1305"],
    ["hash_algorithm", "SHA256"],
    ["key_canary", r.keyCanary],
  ]);
}

/** `realm_name_certificate`. */
export function realmNameCertificate(
  r: RealmCertificateBase & { keyIndex: number; encryptedName: Uint8Array },
): MsgMap {
  return struct("realm_name_certificate", [
    ...realmHead(r),
    ["key_index", r.keyIndex],
    ["encrypted_name", r.encryptedName],
  ]);
}

/** Realm archiving configuration. */
export type ArchivingConfiguration =
  | { readonly type: "AVAILABLE" | "ARCHIVED" }
  | { readonly type: "DELETION_PLANNED"; readonly deletionDate: number };

/** `realm_archiving_certificate`. */
export function realmArchivingCertificate(
  r: RealmCertificateBase & { configuration: ArchivingConfiguration },
): MsgMap {
  const c = r.configuration;
  const configuration = c.type === "DELETION_PLANNED"
    ? struct(c.type, [["deletion_date", dt(c.deletionDate)]])
    : struct(c.type, []);
  return struct("realm_archiving_certificate", [...realmHead(r), [
    "configuration",
    configuration,
  ]]);
}

/** `realm_keys_bundle_access` (unsigned; sealed for a user or RSA-armored for a service). */
export function realmKeysBundleAccess(keysBundleKey: Uint8Array): MsgMap {
  return struct("realm_keys_bundle_access", [["keys_bundle_key", keysBundleKey]]);
}

/** `realm_keys_bundle` (keys[p] is key index p + 1). */
export function realmKeysBundle(
  r: RealmCertificateBase & { keys: readonly Uint8Array[] },
): MsgMap {
  return struct("realm_keys_bundle", [...realmHead(r), ["keys", [...r.keys]]]);
}

interface ManifestBase {
  author: Uint8Array;
  timestamp: number;
  id: Uint8Array;
  parent: Uint8Array;
  version: number;
  created: number;
  updated: number;
}

function manifestHead(r: ManifestBase): [string, MsgValue][] {
  return [
    ["author", uuid(r.author)],
    ["timestamp", dt(r.timestamp)],
    ["id", uuid(r.id)],
    ["parent", uuid(r.parent)],
    ["version", r.version],
    ["created", dt(r.created)],
    ["updated", dt(r.updated)],
  ];
}

/** `folder_manifest` (also the workspace root: `parent == id`); children in the given order. */
export function folderManifest(
  r: ManifestBase & { children: ReadonlyArray<readonly [string, Uint8Array]> },
): MsgMap {
  return struct("folder_manifest", [
    ...manifestHead(r),
    ["children", orderedMap(r.children.map(([name, id]) => [name, uuid(id)] as const))],
  ]);
}

/** One block access of a file manifest. */
export interface BlockAccess {
  readonly id: Uint8Array;
  readonly offset: number;
  readonly size: number;
  readonly digest: Uint8Array;
}

/** `file_manifest`. */
export function fileManifest(
  r: ManifestBase & { size: number; blocksize: number; blocks: readonly BlockAccess[] },
): MsgMap {
  return struct("file_manifest", [
    ...manifestHead(r),
    ["size", r.size],
    ["blocksize", r.blocksize],
    [
      "blocks",
      r.blocks.map((b) =>
        orderedMap([
          ["id", uuid(b.id)],
          ["offset", b.offset],
          ["size", b.size],
          ["digest", b.digest],
        ])
      ),
    ],
  ]);
}
