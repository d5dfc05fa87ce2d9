/**
 * Which service or user of an export a key belongs to, which realm key indexes it opens, and
 * the time ranges of data it can read (each key index is in use from its rotation to the next).
 */
import type { RealmExport } from "../export/realm_export.ts";
import { KeyFileError } from "../errors.ts";
import type { Trust } from "../trust/trust.ts";
import { bindSequesterKey, bindUserKey, type Decryptor } from "./decryptors.ts";
import type { LoadedKey } from "./key_file.ts";
import { obtainRealmKeys } from "./realm_keys.ts";

/** One key index and the period in which it encrypted new data (`until` null: up to now). */
export interface KeyPeriod {
  readonly keyIndex: number;
  readonly from: number;
  readonly until: number | null;
  readonly obtained: boolean;
}

export interface KeyMatch {
  /** `null` when the key belongs to no service or user of the export. */
  readonly owner:
    | {
      readonly kind: "sequester_service";
      readonly serviceId: string;
      readonly label: string;
      readonly createdOn: number;
      readonly revokedOn: number | null;
    }
    | {
      readonly kind: "user";
      readonly userId: string;
      readonly email: string | null;
      readonly name: string | null;
      readonly createdOn: number;
      readonly revokedOn: number | null;
    }
    | null;
  /** Why there is no owner. */
  readonly reason: string | null;
  readonly obtained: readonly number[];
  readonly missing: readonly number[];
  readonly periods: readonly KeyPeriod[];
  /** Merged periods of the obtained key indexes. */
  readonly readable: readonly { from: number; until: number | null }[];
}

/** Matches a loaded key against the export's verified certificates and key bundles. */
/** A key file as loaded, or a plain user key file (64 hex characters). */
export type MatchableKey =
  | LoadedKey
  | { readonly kind: "user_key"; readonly path: string; readonly privateKey: Uint8Array };

export function matchKey(exp: RealmExport, trust: Trust, key: MatchableKey): KeyMatch {
  let decryptor: Decryptor;
  try {
    decryptor = key.kind === "rsa"
      ? bindSequesterKey(trust, key.key, key.path)
      : bindUserKey(trust, key.kind === "device" ? key.keys.privateKey : key.privateKey, key.path);
  } catch (e) {
    if (!(e instanceof KeyFileError)) throw e;
    const periods = keyPeriods(trust, new Set());
    return {
      owner: null,
      reason: e.reason,
      obtained: [],
      missing: periods.map((p) => p.keyIndex),
      periods,
      readable: [],
    };
  }
  const keys = obtainRealmKeys(exp, trust, [decryptor]);
  const periods = keyPeriods(trust, new Set(keys.obtained));
  return {
    owner: ownerOf(trust, decryptor),
    reason: null,
    obtained: keys.obtained,
    missing: keys.missing,
    periods,
    readable: mergePeriods(periods.filter((p) => p.obtained)),
  };
}

function ownerOf(trust: Trust, d: Decryptor): NonNullable<KeyMatch["owner"]> {
  if (d.kind === "sequester") {
    const s = trust.services.get(d.serviceId)!;
    return {
      kind: "sequester_service",
      serviceId: s.serviceId,
      label: s.label,
      createdOn: s.createdOn,
      revokedOn: s.revokedOn,
    };
  }
  const u = trust.users.get(d.userId)!;
  return {
    kind: "user",
    userId: u.userId,
    email: u.humanHandle?.email ?? null,
    name: u.humanHandle?.label ?? null,
    createdOn: u.createdOn,
    revokedOn: u.revokedOn,
  };
}

/** The period of each key index: from its rotation to the next rotation. */
function keyPeriods(trust: Trust, obtained: ReadonlySet<number>): KeyPeriod[] {
  const rotations = [...trust.rotations].sort((a, b) => a.keyIndex - b.keyIndex);
  return rotations.map((r, i) => ({
    keyIndex: r.keyIndex,
    from: r.timestamp,
    until: rotations[i + 1]?.timestamp ?? null,
    obtained: obtained.has(r.keyIndex),
  }));
}

/** Joins adjacent periods. */
function mergePeriods(
  periods: readonly KeyPeriod[],
): { from: number; until: number | null }[] {
  const out: { from: number; until: number | null }[] = [];
  for (const p of periods) {
    const last = out.at(-1);
    if (last && last.until === p.from) last.until = p.until;
    else out.push({ from: p.from, until: p.until });
  }
  return out;
}
