/**
 * Realm keys (spec §6.5): every decryptor tried on every bundle, newest first; each key checked
 * with its rotation canary. Terminates even when a bundle's own key fails its canary.
 */
import { splitSigned, verifySigned } from "../crypto/ed25519.ts";
import { CANARY_DERIVATION_ID, deriveSecretKey } from "../crypto/key_derivation.ts";
import { openRsaArmor } from "../crypto/rsa.ts";
import { openSealedBox } from "../crypto/sealed_box.ts";
import { openSecretBox } from "../crypto/secret_box.ts";
import {
  decodeKeysBundle,
  decodeKeysBundleAccess,
  type RealmKeysBundle,
} from "../codec/keys_bundle.ts";
import type { AccessRow, RealmExport } from "../export/realm_export.ts";
import type { Trust } from "../trust/trust.ts";
import { type Decryptor, decryptorLabel } from "./decryptors.ts";

/** One decryptor's attempt at one bundle. */
export interface BundleAttempt {
  readonly decryptor: string;
  readonly result:
    | "ok"
    | "no_access_row"
    | "access_not_opened"
    | "access_invalid"
    | "bundle_missing"
    | "bundle_not_opened"
    | "bundle_invalid";
}

/** How one key index was (or was not) obtained. */
export interface KeyIndexReport {
  readonly keyIndex: number;
  obtained: boolean;
  /** Key index of the bundle the key was taken from. */
  fromBundle: number | null;
  /** Set on the bundle's own index: who opened it, with which access row. */
  openedBy: string | null;
  accessRow: number | null;
  bundleSignature: "valid" | "invalid" | "unknown_author" | null;
  canary: "valid" | "invalid" | "not_tried";
  attempts: BundleAttempt[];
}

export interface RealmKeys {
  readonly keys: ReadonlyMap<number, Uint8Array>;
  readonly latestKeyIndex: number;
  readonly obtained: readonly number[];
  readonly missing: readonly number[];
  readonly perIndex: readonly KeyIndexReport[];
}

/** Obtains every realm key the decryptors can reach. */
export function obtainRealmKeys(
  exp: RealmExport,
  trust: Trust,
  decryptors: readonly Decryptor[],
): RealmKeys {
  const pending = new Map<number, Uint8Array>();
  const reports = new Map<number, KeyIndexReport>();
  for (const r of trust.rotations) {
    pending.set(r.keyIndex, r.keyCanary);
    reports.set(r.keyIndex, {
      keyIndex: r.keyIndex,
      obtained: false,
      fromBundle: null,
      openedBy: null,
      accessRow: null,
      bundleSignature: null,
      canary: "not_tried",
      attempts: [],
    });
  }
  const keys = new Map<number, Uint8Array>();
  while (pending.size > 0) {
    const index = Math.max(...pending.keys());
    const report = reports.get(index)!;
    const opened = openBundle(exp, trust, decryptors, index, report);
    if (opened) {
      opened.bundle.keys.forEach((kd, p) => {
        const keyIndex = p + 1;
        const canary = pending.get(keyIndex);
        if (canary === undefined) return;
        const target = reports.get(keyIndex)!;
        if (openSecretBox(deriveSecretKey(kd, CANARY_DERIVATION_ID), canary)) {
          keys.set(keyIndex, kd);
          pending.delete(keyIndex);
          target.obtained = true;
          target.fromBundle = index;
          target.canary = "valid";
        } else {
          target.canary = "invalid";
        }
      });
    }
    pending.delete(index);
  }
  const all = [...reports.keys()].sort((a, b) => a - b);
  return {
    keys,
    latestKeyIndex: trust.latestKeyIndex,
    obtained: all.filter((i) => keys.has(i)),
    missing: all.filter((i) => !keys.has(i)),
    perIndex: all.map((i) => reports.get(i)!),
  };
}

function openBundle(
  exp: RealmExport,
  trust: Trust,
  decryptors: readonly Decryptor[],
  index: number,
  report: KeyIndexReport,
): { bundle: RealmKeysBundle } | undefined {
  const encrypted = exp.keysBundle(index);
  for (const d of decryptors) {
    const label = decryptorLabel(d);
    const rows = d.kind === "user"
      ? exp.userAccesses(index).filter((r) => r.ownerId === d.userId)
      : exp.sequesterAccesses(index).filter((r) => r.ownerId === d.serviceId);
    if (rows.length === 0) {
      report.attempts.push({ decryptor: label, result: "no_access_row" });
      continue;
    }
    for (const row of rows) {
      const result = tryAccessRow(d, row, encrypted, exp.info.realmId);
      report.attempts.push({ decryptor: label, result: result.ok ? "ok" : result.failure });
      if (!result.ok) continue;
      report.openedBy = label;
      report.accessRow = row.rowId;
      report.bundleSignature = bundleSignature(trust, result.bundle, result.signed);
      return { bundle: result.bundle };
    }
  }
  return undefined;
}

type AccessResult =
  | { ok: true; bundle: RealmKeysBundle; signed: Uint8Array }
  | { ok: false; failure: Exclude<BundleAttempt["result"], "ok" | "no_access_row"> };

function tryAccessRow(
  d: Decryptor,
  row: AccessRow,
  encryptedBundle: Uint8Array | undefined,
  realmId: string,
): AccessResult {
  let accessPayload: Uint8Array | undefined;
  if (d.kind === "user") {
    accessPayload = openSealedBox(row.access, d.publicKey, d.privateKey);
  } else {
    const opened = openRsaArmor(d.key, row.access);
    accessPayload = opened.ok ? opened.plaintext : undefined;
  }
  if (!accessPayload) return { ok: false, failure: "access_not_opened" };
  let bundleKey: Uint8Array;
  try {
    bundleKey = decodeKeysBundleAccess(accessPayload).keysBundleKey;
  } catch {
    return { ok: false, failure: "access_invalid" };
  }
  if (!encryptedBundle) return { ok: false, failure: "bundle_missing" };
  const signed = openSecretBox(bundleKey, encryptedBundle);
  if (!signed) return { ok: false, failure: "bundle_not_opened" };
  const parts = splitSigned(signed);
  if (!parts) return { ok: false, failure: "bundle_invalid" };
  try {
    const bundle = decodeKeysBundle(parts.message);
    if (bundle.realmId !== realmId) return { ok: false, failure: "bundle_invalid" };
    return { ok: true, bundle, signed };
  } catch {
    return { ok: false, failure: "bundle_invalid" };
  }
}

function bundleSignature(
  trust: Trust,
  bundle: RealmKeysBundle,
  signed: Uint8Array,
): "valid" | "invalid" | "unknown_author" {
  const device = trust.devices.get(bundle.author);
  if (!device) return "unknown_author";
  return verifySigned(device.verifyKey, signed) ? "valid" : "invalid";
}
