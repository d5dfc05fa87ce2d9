/**
 * The verified certificate chain of an export (spec §6.2 to §6.4): trusted devices, users,
 * sequester authority and services, realm roles, key rotations and names. A certificate that
 * fails to decode or verify is recorded as a problem and never trusted.
 */
import { splitSigned, verifySigned } from "../crypto/ed25519.ts";
import { importRsaPublicKeySpki, verifyRsaSigned } from "../crypto/rsa.ts";
import { openSecretBox } from "../crypto/secret_box.ts";
import { deriveSecretKey, REALM_NAME_DERIVATION_ID } from "../crypto/key_derivation.ts";
import {
  type CommonCertificate,
  decodeCommonCertificate,
  type DevicePurpose,
  type HumanHandle,
  type UserProfile,
} from "../codec/certificates.ts";
import {
  decodeRealmCertificate,
  type RealmArchivingCertificate,
  type RealmRole,
} from "../codec/realm_certificates.ts";
import {
  decodeSequesterAuthorityCertificate,
  decodeSequesterServiceRecord,
} from "../codec/sequester_certificates.ts";
import type { RealmExport } from "../export/realm_export.ts";

export interface TrustedDevice {
  readonly deviceId: string;
  readonly userId: string;
  readonly label: string | null;
  readonly purpose: DevicePurpose;
  readonly verifyKey: Uint8Array;
  readonly createdOn: number;
  readonly createdBy: string | null;
}

export interface KnownUser {
  readonly userId: string;
  readonly humanHandle: HumanHandle | null;
  readonly publicKey: Uint8Array;
  readonly createdOn: number;
  readonly createdBy: string | null;
  profile: UserProfile;
  revokedOn: number | null;
  readonly profileUpdates: { timestamp: number; profile: UserProfile }[];
}

export interface SequesterService {
  readonly serviceId: string;
  readonly label: string;
  readonly encryptionKeyDer: Uint8Array;
  readonly createdOn: number;
  revokedOn: number | null;
}

export interface KeyRotation {
  readonly keyIndex: number;
  readonly timestamp: number;
  readonly author: string;
  readonly keyCanary: Uint8Array;
}

export interface RoleChange {
  readonly timestamp: number;
  readonly author: string;
  readonly userId: string;
  readonly role: RealmRole | null;
}

export interface RealmNameRecord {
  readonly timestamp: number;
  readonly author: string;
  readonly keyIndex: number;
  readonly encryptedName: Uint8Array;
}

/** A certificate that was not trusted, and why. */
export interface CertificateProblem {
  readonly table: "common_certificate" | "sequester_certificate" | "realm_certificate";
  readonly rowId: number;
  readonly reason: string;
}

export interface Trust {
  readonly devices: ReadonlyMap<string, TrustedDevice>;
  readonly users: ReadonlyMap<string, KnownUser>;
  readonly sequesterAuthority: { timestamp: number; verifyKeyDer: Uint8Array } | null;
  readonly services: ReadonlyMap<string, SequesterService>;
  /** Valid rotations in table order; the last one gives the latest key index. */
  readonly rotations: readonly KeyRotation[];
  readonly latestKeyIndex: number;
  readonly roles: readonly RoleChange[];
  readonly names: readonly RealmNameRecord[];
  readonly archiving: readonly RealmArchivingCertificate[];
  readonly problems: readonly CertificateProblem[];
}

/** Verifies every certificate table of `exp` and returns what can be trusted. */
export function buildTrust(exp: RealmExport): Trust {
  const problems: CertificateProblem[] = [];
  const devices = new Map<string, TrustedDevice>();
  const users = new Map<string, KnownUser>();
  const rootKey = exp.info.rootVerifyKey;

  for (const row of exp.certificates("common_certificate")) {
    const fail = (reason: string) =>
      problems.push({ table: "common_certificate", rowId: row.rowId, reason });
    const cert = verifyEd25519Certificate(
      row.certificate,
      decodeCommonCertificate,
      (c) => c.author === null ? rootKey : devices.get(c.author)?.verifyKey,
      fail,
    );
    if (!cert) continue;
    applyCommon(cert, devices, users, fail);
  }

  const { authority, services } = verifySequester(exp, rootKey, problems);
  const realm = verifyRealm(exp, devices, problems);
  return { devices, users, sequesterAuthority: authority, services, ...realm, problems };
}

/**
 * Decodes a signed certificate (unverified peek), finds its signer, verifies the signature.
 * Returns the certificate, or `undefined` after reporting why it is not trusted.
 */
function verifyEd25519Certificate<C extends { type: string; author: string | null }>(
  signed: Uint8Array,
  decode: (payload: Uint8Array) => C,
  signerKey: (cert: C) => Uint8Array | undefined,
  fail: (reason: string) => void,
): C | undefined {
  const parts = splitSigned(signed);
  if (!parts) {
    fail("shorter than a signature");
    return undefined;
  }
  let cert: C;
  try {
    cert = decode(parts.message);
  } catch (e) {
    fail(`cannot decode: ${(e as Error).message}`);
    return undefined;
  }
  const name = "tag" in cert ? String(cert.tag) : cert.type;
  const signer = signerKey(cert);
  if (!signer) {
    fail(`${name} signed by unknown device ${cert.author}`);
    return undefined;
  }
  if (!verifySigned(signer, signed)) {
    fail(`${name} has an invalid signature`);
    return undefined;
  }
  return cert;
}

function applyCommon(
  cert: CommonCertificate,
  devices: Map<string, TrustedDevice>,
  users: Map<string, KnownUser>,
  fail: (reason: string) => void,
): void {
  switch (cert.type) {
    case "user_certificate":
      if (users.has(cert.userId)) return fail(`user ${cert.userId} certified twice`);
      users.set(cert.userId, {
        userId: cert.userId,
        humanHandle: cert.humanHandle,
        publicKey: cert.publicKey,
        createdOn: cert.timestamp,
        createdBy: cert.author,
        profile: cert.profile,
        revokedOn: null,
        profileUpdates: [],
      });
      return;
    case "device_certificate":
      if (devices.has(cert.deviceId)) return fail(`device ${cert.deviceId} certified twice`);
      devices.set(cert.deviceId, {
        deviceId: cert.deviceId,
        userId: cert.userId,
        label: cert.deviceLabel,
        purpose: cert.purpose,
        verifyKey: cert.verifyKey,
        createdOn: cert.timestamp,
        createdBy: cert.author,
      });
      return;
    case "revoked_user_certificate": {
      const user = users.get(cert.userId);
      if (!user) return fail(`revocation of unknown user ${cert.userId}`);
      user.revokedOn = cert.timestamp;
      return;
    }
    case "user_update_certificate": {
      const user = users.get(cert.userId);
      if (!user) return fail(`profile update of unknown user ${cert.userId}`);
      user.profile = cert.newProfile;
      user.profileUpdates.push({ timestamp: cert.timestamp, profile: cert.newProfile });
      return;
    }
    case "other":
      return;
  }
}

function verifySequester(
  exp: RealmExport,
  rootKey: Uint8Array,
  problems: CertificateProblem[],
): {
  authority: { timestamp: number; verifyKeyDer: Uint8Array } | null;
  services: Map<string, SequesterService>;
} {
  const services = new Map<string, SequesterService>();
  let authority: { timestamp: number; verifyKeyDer: Uint8Array } | null = null;
  let authorityKey: ReturnType<typeof importRsaPublicKeySpki> | null = null;
  for (const row of exp.certificates("sequester_certificate")) {
    const fail = (reason: string) =>
      problems.push({ table: "sequester_certificate", rowId: row.rowId, reason });
    try {
      if (authority === null) {
        const message = verifySigned(rootKey, row.certificate);
        if (!message) {
          fail("sequester authority certificate has an invalid root signature");
          break;
        }
        const cert = decodeSequesterAuthorityCertificate(message);
        authorityKey = importRsaPublicKeySpki(cert.verifyKeyDer);
        authority = { timestamp: cert.timestamp, verifyKeyDer: cert.verifyKeyDer };
        continue;
      }
      const verified = verifyRsaSigned(authorityKey!, row.certificate);
      if (!verified.ok) {
        fail(`sequester certificate not signed by the authority (${verified.failure})`);
        continue;
      }
      const cert = decodeSequesterServiceRecord(verified.data);
      if (cert.type === "sequester_service_certificate") {
        if (services.has(cert.serviceId)) {
          fail(`service ${cert.serviceId} certified twice`);
          continue;
        }
        importRsaPublicKeySpki(cert.encryptionKeyDer);
        services.set(cert.serviceId, {
          serviceId: cert.serviceId,
          label: cert.serviceLabel,
          encryptionKeyDer: cert.encryptionKeyDer,
          createdOn: cert.timestamp,
          revokedOn: null,
        });
      } else {
        const service = services.get(cert.serviceId);
        if (!service) fail(`revocation of unknown service ${cert.serviceId}`);
        else service.revokedOn = cert.timestamp;
      }
    } catch (e) {
      fail(`cannot decode: ${(e as Error).message}`);
      if (authority === null) break;
    }
  }
  return { authority, services };
}

function verifyRealm(
  exp: RealmExport,
  devices: ReadonlyMap<string, TrustedDevice>,
  problems: CertificateProblem[],
) {
  const rotations: KeyRotation[] = [];
  const roles: RoleChange[] = [];
  const names: RealmNameRecord[] = [];
  const archiving: RealmArchivingCertificate[] = [];
  for (const row of exp.certificates("realm_certificate")) {
    const fail = (reason: string) =>
      problems.push({ table: "realm_certificate", rowId: row.rowId, reason });
    const cert = verifyEd25519Certificate(
      row.certificate,
      decodeRealmCertificate,
      (c) => devices.get(c.author)?.verifyKey,
      fail,
    );
    if (!cert) continue;
    if (cert.realmId !== exp.info.realmId) {
      fail(`${cert.type} is for another realm (${cert.realmId})`);
      continue;
    }
    const base = { timestamp: cert.timestamp, author: cert.author };
    switch (cert.type) {
      case "realm_role_certificate":
        roles.push({ ...base, userId: cert.userId, role: cert.role });
        break;
      case "realm_key_rotation_certificate":
        rotations.push({ ...base, keyIndex: cert.keyIndex, keyCanary: cert.keyCanary });
        break;
      case "realm_name_certificate":
        names.push({ ...base, keyIndex: cert.keyIndex, encryptedName: cert.encryptedName });
        break;
      case "realm_archiving_certificate":
        archiving.push(cert);
        break;
    }
  }
  return {
    rotations,
    latestKeyIndex: rotations.at(-1)?.keyIndex ?? 0,
    roles,
    names,
    archiving,
  };
}

/** The workspace name from the latest name certificate readable with `keys`, if any. */
export function decryptRealmName(
  trust: Trust,
  keys: ReadonlyMap<number, Uint8Array>,
): string | null {
  for (const name of [...trust.names].reverse()) {
    const kd = keys.get(name.keyIndex);
    if (!kd) continue;
    const clear = openSecretBox(deriveSecretKey(kd, REALM_NAME_DERIVATION_ID), name.encryptedName);
    if (clear) {
      try {
        return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(clear);
      } catch {
        continue;
      }
    }
  }
  return null;
}
