/** JSON shapes shared by `manifest.json`, `info --json` and `ls --json` (see docs/manifest.md). */
import type { ExportInfo } from "../export/realm_export.ts";
import { type Decryptor, decryptorLabel } from "../keys/decryptors.ts";
import type { RealmKeys } from "../keys/realm_keys.ts";
import type { AuthorInfo, Realm } from "../realm/realm.ts";
import type { DecodedVersion } from "../realm/decode_manifest.ts";
import type { Trust } from "../trust/trust.ts";
import { formatMicros } from "../util/time.ts";
import { pathText, type TreeProblem } from "./tree.ts";

/** Which export steps did not finish, in words. */
export function missingParts(info: ExportInfo): string[] {
  const out: string[] = [];
  const f = info.flags;
  if (!f.certificatesExportDone) out.push("certificates (certificates_export_done = 0)");
  if (!f.vlobsExportDone) out.push("manifest versions (vlobs_export_done = 0)");
  if (!f.blocksMetadataExportDone) out.push("block list (blocks_metadata_export_done = 0)");
  if (!f.blocksDataExportDone) out.push("block data (blocks_data_export_done = 0)");
  return out;
}

/** The export's identity and completeness. */
export function describeExportInfo(info: ExportInfo) {
  return {
    organization_id: info.organizationId,
    realm_id: info.realmId,
    snapshot_timestamp: formatMicros(info.snapshotTimestamp),
    snapshot_timestamp_us: info.snapshotTimestamp,
    complete: info.complete,
    flags: {
      certificates_export_done: info.flags.certificatesExportDone,
      vlobs_export_done: info.flags.vlobsExportDone,
      blocks_metadata_export_done: info.flags.blocksMetadataExportDone,
      blocks_data_export_done: info.flags.blocksDataExportDone,
    },
    missing: missingParts(info),
  };
}

/** One decryptor as the report shows it (never any secret). */
export function describeDecryptor(d: Decryptor) {
  return d.kind === "sequester"
    ? {
      kind: "sequester_service" as const,
      source: d.source,
      service_id: d.serviceId,
      service_label: d.serviceLabel,
      public_key_sha256: d.publicKeySha256,
    }
    : {
      kind: "user" as const,
      source: d.source,
      user_id: d.userId,
      human_handle: d.humanHandle,
      public_key_sha256: d.publicKeySha256,
    };
}

/** Key indexes obtained and missing, and how. */
export function describeKeys(keys: RealmKeys) {
  return {
    latest_key_index: keys.latestKeyIndex,
    obtained: keys.obtained,
    missing: keys.missing,
    per_index: keys.perIndex.map((r) => ({
      key_index: r.keyIndex,
      obtained: r.obtained,
      from_bundle: r.fromBundle,
      opened_by: r.openedBy,
      access_row: r.accessRow,
      bundle_signature: r.bundleSignature,
      canary: r.canary,
      attempts: r.attempts,
    })),
  };
}

/** An author as device, label, user and human handle. */
export function describeAuthor(a: AuthorInfo) {
  return {
    device_id: a.deviceId,
    device_label: a.deviceLabel,
    user_id: a.userId,
    email: a.email,
    name: a.name,
  };
}

/** The version part of an entry: ids, times, author and, if unreadable, why. */
export function describeVersion(realm: Realm, v: DecodedVersion) {
  const base = {
    entry_id: v.row.vlobId,
    version: v.row.version,
    key_index: v.row.keyIndex,
    upload_timestamp: formatMicros(v.row.timestamp),
    author: describeAuthor(realm.author(v.row.author)),
    // Only a readable version's signature proves its author; otherwise it is the server's claim.
    author_verified: v.ok,
  };
  if (!v.ok) return { ...base, created: null, updated: null };
  return {
    ...base,
    created: formatMicros(v.manifest.created),
    updated: formatMicros(v.manifest.updated),
  };
}

/** A tree problem (child skipped) as JSON. */
export function describeTreeProblem(p: TreeProblem) {
  return {
    parent_path: pathText(p.parentNames),
    name: p.name,
    path: pathText([...p.parentNames, p.name]),
    entry_id: p.entryId,
    problem: p.problem,
    detail: p.detail,
  };
}

/** Users, devices and sequester services, for `info`. */
export function describeTrust(trust: Trust) {
  return {
    users: [...trust.users.values()].map((u) => ({
      user_id: u.userId,
      human_handle: u.humanHandle,
      profile: u.profile,
      created_on: formatMicros(u.createdOn),
      created_by: u.createdBy,
      revoked_on: u.revokedOn === null ? null : formatMicros(u.revokedOn),
    })),
    devices: [...trust.devices.values()].map((d) => ({
      device_id: d.deviceId,
      user_id: d.userId,
      device_label: d.label,
      purpose: d.purpose,
      created_on: formatMicros(d.createdOn),
      created_by: d.createdBy,
    })),
    sequester_authority: trust.sequesterAuthority
      ? { created_on: formatMicros(trust.sequesterAuthority.timestamp) }
      : null,
    sequester_services: [...trust.services.values()].map((s) => ({
      service_id: s.serviceId,
      label: s.label,
      created_on: formatMicros(s.createdOn),
      revoked_on: s.revokedOn === null ? null : formatMicros(s.revokedOn),
    })),
    key_rotations: trust.rotations.map((r) => ({
      key_index: r.keyIndex,
      timestamp: formatMicros(r.timestamp),
      author: r.author,
    })),
    realm_roles: trust.roles.map((r) => ({
      timestamp: formatMicros(r.timestamp),
      author: r.author,
      user_id: r.userId,
      role: r.role,
    })),
    certificate_problems: trust.problems.map((p) => ({
      table: p.table,
      row_id: p.rowId,
      reason: p.reason,
    })),
  };
}

export { decryptorLabel };
