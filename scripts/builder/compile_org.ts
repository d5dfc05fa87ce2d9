/** Compiles the organization part of a scenario: users, devices, sequester authority/services. */
import { x25519PublicKey } from "../../src/crypto/sealed_box.ts";
import { fromHex } from "../../src/util/bytes.ts";
import { type SigningKey, signingKeyFromSeed } from "./ed25519_sign.ts";
import type { PlanDevice, PlanService, PlanUser, SequesterItem, SignedItem } from "./plan.ts";
import type { SeededRandom } from "./prng.ts";
import {
  deviceCertificate,
  revokedUserCertificate,
  sequesterAuthorityCertificate,
  sequesterRevokedServiceCertificate,
  sequesterServiceCertificate,
  userCertificate,
  userUpdateCertificate,
} from "./records.ts";
import { deterministicRsaKey, type RsaKeyPair, rsaKeyPairFromPem } from "./rsa_keys.ts";
import { type Scenario, ScenarioError, slug, timeToMicros } from "./scenario.ts";

/** The organization part of a plan. */
export interface CompiledOrg {
  readonly root: SigningKey;
  readonly users: PlanUser[];
  readonly devices: Map<string, PlanDevice>;
  readonly services: PlanService[];
  readonly authority: RsaKeyPair | null;
  readonly commonCertificates: SignedItem[];
  readonly sequesterCertificates: SequesterItem[];
  /** Latest creation time of a user or device (the realm is created after it by default). */
  readonly setupTime: number;
  /** Latest timestamp used by any organization event (revocations and services included). */
  readonly lastTime: number;
}

/** Bytes of a fixed-length hex field of the scenario. */
export function hexField(hex: string, bytes: number, what: string): Uint8Array {
  let out: Uint8Array;
  try {
    out = fromHex(hex);
  } catch {
    throw new ScenarioError(`${what}: not hex`);
  }
  if (out.length !== bytes) throw new ScenarioError(`${what}: expected ${bytes} bytes`);
  return out;
}

function byTime<T extends { timestamp: number }>(items: T[]): T[] {
  return items.map((item, i) => ({ item, i }))
    .sort((a, b) => a.item.timestamp - b.item.timestamp || a.i - b.i)
    .map((x) => x.item);
}

/** Builds users, devices, services and the organization certificates. */
export function compileOrg(
  scenario: Scenario,
  random: SeededRandom,
  start: number,
  step: number,
  keyCacheDir: string | URL | null | undefined,
): CompiledOrg {
  const root = signingKeyFromSeed(
    scenario.rootSeed === undefined
      ? random.key("root-signing-key")
      : hexField(scenario.rootSeed, 32, "rootSeed"),
  );
  const users: PlanUser[] = [];
  const devices = new Map<string, PlanDevice>();
  const common: SignedItem[] = [];
  let lastTime = start;
  let bootstrapDevice: PlanDevice | null = null;

  scenario.users.forEach((u, index) => {
    if (users.some((x) => x.name === u.name)) throw new ScenarioError(`duplicate user ${u.name}`);
    const createdAt = u.createdAt === undefined
      ? start + index * step
      : timeToMicros(u.createdAt, `users.${u.name}.createdAt`);
    const privateKey = u.privateKey === undefined
      ? random.key(`user-private-key:${u.name}`)
      : hexField(u.privateKey, 32, `users.${u.name}.privateKey`);
    const user: PlanUser = {
      name: u.name,
      id: u.id === undefined
        ? random.uuid(`user:${u.name}`)
        : hexField(u.id, 16, `users.${u.name}.id`),
      humanHandle: u.humanHandle === undefined
        ? { email: `${u.name}@example.com`, label: u.name[0]!.toUpperCase() + u.name.slice(1) }
        : u.humanHandle,
      profile: u.profile ?? (index === 0 ? "ADMIN" : "STANDARD"),
      privateKey,
      publicKey: x25519PublicKey(privateKey),
      devices: [],
    };
    const creator = bootstrapDevice;
    common.push({
      timestamp: createdAt,
      signer: creator?.signing ?? root,
      record: userCertificate({
        author: creator?.id ?? null,
        timestamp: createdAt,
        userId: user.id,
        humanHandle: user.humanHandle,
        publicKey: user.publicKey,
        profile: user.profile,
      }),
    });
    for (const d of u.devices ?? [{ name: "dev1" }]) {
      const ref = `${u.name}@${d.name}`;
      if (devices.has(ref)) throw new ScenarioError(`duplicate device ${ref}`);
      const device: PlanDevice = {
        ref,
        id: d.id === undefined ? random.uuid(`device:${ref}`) : hexField(d.id, 16, `${ref}.id`),
        user,
        signing: signingKeyFromSeed(
          d.signingSeed === undefined
            ? random.key(`device-signing-key:${ref}`)
            : hexField(d.signingSeed, 32, `${ref}.signingSeed`),
        ),
        forged: d.forgedCertificate ?? null,
      };
      const signerDevice = user.devices[0] ?? creator;
      if (device.forged !== null && user.devices.length === 0) {
        throw new ScenarioError(`${ref}: a user's first device cannot have a forged certificate`);
      }
      const at = d.createdAt === undefined
        ? createdAt
        : timeToMicros(d.createdAt, `${ref}.createdAt`);
      // Forged: signed by a key that is not the author's, or by a device nobody certified.
      const forgedSigner = device.forged === null
        ? null
        : signingKeyFromSeed(random.key(`forged-certificate-signer:${ref}`));
      const author = device.forged === "unknown_author"
        ? random.uuid(`forged-certificate-author:${ref}`)
        : signerDevice?.id ?? null;
      common.push({
        timestamp: at,
        signer: forgedSigner ?? signerDevice?.signing ?? root,
        ...(device.forged === null ? {} : { forged: true }),
        record: deviceCertificate({
          purpose: d.purpose ?? "STANDARD",
          author,
          timestamp: at,
          userId: user.id,
          deviceId: device.id,
          deviceLabel: d.label === undefined ? `My ${ref} machine` : d.label,
          verifyKey: device.signing.verifyKey,
        }),
      });
      user.devices.push(device);
      devices.set(ref, device);
      lastTime = Math.max(lastTime, at);
    }
    if (user.devices.length === 0) throw new ScenarioError(`user ${u.name} has no device`);
    bootstrapDevice ??= user.devices[0]!;
    lastTime = Math.max(lastTime, createdAt);
    users.push(user);
  });

  const setupTime = lastTime;
  const admin = bootstrapDevice!;
  scenario.users.forEach((u, index) => {
    const user = users[index]!;
    for (const update of u.profileUpdates ?? []) {
      const at = timeToMicros(update.at, `users.${u.name}.profileUpdates`);
      common.push({
        timestamp: at,
        signer: admin.signing,
        record: userUpdateCertificate({
          author: admin.id,
          timestamp: at,
          userId: user.id,
          newProfile: update.profile,
        }),
      });
      lastTime = Math.max(lastTime, at);
    }
    if (u.revokedAt !== undefined) {
      const at = timeToMicros(u.revokedAt, `users.${u.name}.revokedAt`);
      common.push({
        timestamp: at,
        signer: admin.signing,
        record: revokedUserCertificate({ author: admin.id, timestamp: at, userId: user.id }),
      });
      lastTime = Math.max(lastTime, at);
    }
  });

  const sequester = compileSequester(scenario, random, start, keyCacheDir);
  for (const s of sequester.services) lastTime = Math.max(lastTime, s.createdAt, s.revokedAt ?? 0);
  return {
    root,
    users,
    devices,
    services: sequester.services,
    authority: sequester.authority,
    commonCertificates: byTime(common),
    sequesterCertificates: sequester.certificates,
    setupTime,
    lastTime,
  };
}

function compileSequester(
  scenario: Scenario,
  random: SeededRandom,
  start: number,
  keyCacheDir: string | URL | null | undefined,
): { authority: RsaKeyPair | null; services: PlanService[]; certificates: SequesterItem[] } {
  const config = scenario.sequester;
  if (config === undefined) return { authority: null, services: [], certificates: [] };
  const authority = config.authorityPrivateKeyPem !== undefined
    ? rsaKeyPairFromPem(config.authorityPrivateKeyPem)
    : deterministicRsaKey(
      random,
      "sequester-authority",
      config.authorityKeyBits ?? 2048,
      keyCacheDir,
    );
  const authorityItem: SequesterItem = {
    timestamp: start,
    signedBy: "root",
    record: sequesterAuthorityCertificate({ timestamp: start, verifyKeyDer: authority.spkiDer }),
  };
  const services: PlanService[] = [];
  const items: SequesterItem[] = [];
  config.services.forEach((s, index) => {
    if (services.some((x) => x.label === s.label || x.slug === slug(s.label))) {
      throw new ScenarioError(`duplicate sequester service label ${s.label}`);
    }
    const createdAt = s.createdAt === undefined
      ? start + (index + 1) * 1000
      : timeToMicros(s.createdAt, `service ${s.label}.createdAt`);
    const revokedAt = s.revokedAt === undefined
      ? null
      : timeToMicros(s.revokedAt, `service ${s.label}.revokedAt`);
    if (revokedAt !== null && revokedAt <= createdAt) {
      throw new ScenarioError(`service ${s.label} revoked before it was created`);
    }
    const service: PlanService = {
      label: s.label,
      slug: slug(s.label),
      id: s.id === undefined
        ? random.uuid(`sequester-service:${s.label}`)
        : hexField(s.id, 16, `service ${s.label}.id`),
      key: s.privateKeyPem !== undefined ? rsaKeyPairFromPem(s.privateKeyPem) : deterministicRsaKey(
        random,
        `sequester-service:${s.label}`,
        s.keyBits ?? 2048,
        keyCacheDir,
      ),
      createdAt,
      revokedAt,
    };
    services.push(service);
    items.push({
      timestamp: createdAt,
      signedBy: "authority",
      record: sequesterServiceCertificate({
        timestamp: createdAt,
        serviceId: service.id,
        serviceLabel: service.label,
        encryptionKeyDer: service.key.spkiDer,
      }),
    });
    if (revokedAt !== null) {
      items.push({
        timestamp: revokedAt,
        signedBy: "authority",
        record: sequesterRevokedServiceCertificate({ timestamp: revokedAt, serviceId: service.id }),
      });
    }
  });
  return { authority, services, certificates: [authorityItem, ...byTime(items)] };
}
