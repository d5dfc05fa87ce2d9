/**
 * The scenario: a JSON-loadable description of an organization, its users, devices, sequester
 * services and one realm with its history. `compileScenario` (timeline.ts) turns it into rows.
 */
import { parseTimeToMicros } from "../../src/util/time.ts";
import type { DevicePurpose, Profile, RealmRole } from "./records.ts";

/** A time: µs since the epoch, or RFC 3339 text / `YYYY-MM-DD`. */
export type Time = number | string;

/** A device of a user. */
export interface ScenarioDevice {
  /** Short name, unique per user (`dev1`); referenced as `alice@dev1`. */
  name: string;
  /** 32 hex chars; default derived from the seed. */
  id?: string;
  /** Default `"<user>@<device> machine"`; `null` = redacted. */
  label?: string | null;
  /** Ed25519 seed, 64 hex chars; default derived from the seed. */
  signingSeed?: string;
  purpose?: DevicePurpose;
  /** Default: the user's creation time. */
  createdAt?: Time;
  /**
   * Makes the device certificate untrustworthy (spec §6.2): `bad_signature` (signed with a
   * key that is not the author's) or `unknown_author` (signed by a device absent from the
   * certificates). The reader must not trust the device: its manifests give `author_unknown`
   * and the truth lists the row in `certificate_problems`. Not allowed on a user's first device
   * (it signs the user's other devices) nor on a device signing realm certificates.
   */
  forgedCertificate?: "bad_signature" | "unknown_author";
}

/** A user of the organization. */
export interface ScenarioUser {
  /** Short name, unique (`alice`); used in `by`, `share`, key file names. */
  name: string;
  /** 32 hex chars; default derived from the seed. */
  id?: string;
  /** Default `{email: "<name>@example.com", label: "<Name>"}`; `null` = redacted. */
  humanHandle?: { email: string; label: string } | null;
  /** Default ADMIN for the first user, STANDARD for the others. */
  profile?: Profile;
  /** X25519 private key, 64 hex chars; default derived from the seed. */
  privateKey?: string;
  /** Default: start time + index × time step (the first user bootstraps the organization). */
  createdAt?: Time;
  /** Default `[{name: "dev1"}]`. */
  devices?: ScenarioDevice[];
  revokedAt?: Time;
  profileUpdates?: { at: Time; profile: Profile }[];
}

/** A sequester service. */
export interface ScenarioService {
  /** Unique label (`Sequester Service 1`); key file `sequester-service-<slug(label)>.pem`. */
  label: string;
  /** 32 hex chars; default derived from the seed. */
  id?: string;
  /** RSA size, default 2048 (generated deterministically, cached). */
  keyBits?: number;
  /** Use this unencrypted PKCS#8/PKCS#1 PEM instead of generating a key. */
  privateKeyPem?: string;
  /** Default: right after the organization bootstrap (start time + (index + 1) ms). */
  createdAt?: Time;
  revokedAt?: Time;
}

/** Sequestered organization settings. */
export interface ScenarioSequester {
  authorityKeyBits?: number;
  authorityPrivateKeyPem?: string;
  services: ScenarioService[];
}

/** File content: text, hex, `{random: size}` (seeded pseudo-random) or `{zeros: size}`. */
export type ContentSpec =
  | string
  | { text: string }
  | { hex: string }
  | { random: number }
  | { zeros: number };

/** `[start, end)` byte range stored as a hole (no block, reads as zeros). */
export type HoleRange = [number, number];

/**
 * A deliberate defect of the op's main manifest version (the entry's own version; the parent's
 * for `delete`/`link`/rename). Expected reader error (spec §6.6) in brackets:
 * `bad_signature` [cleartext_corrupted/bad_signature], `wrong_key` [decryption_failed],
 * `unknown_author` [author_unknown], `key_index_unknown` [key_index_unknown],
 * `timestamp_mismatch` [cleartext_corrupted/unexpected_timestamp], `author_mismatch`
 * [cleartext_corrupted/unexpected_author], `id_mismatch` [cleartext_corrupted/unexpected_id],
 * `version_mismatch` [cleartext_corrupted/unexpected_version] (the manifest field differs from
 * the row, everything else valid), `bad_serialization` [cleartext_corrupted/bad_serialization],
 * `integrity` [cleartext_corrupted/integrity].
 */
export type VlobFault =
  | "bad_signature"
  | "wrong_key"
  | "unknown_author"
  | "key_index_unknown"
  | "timestamp_mismatch"
  | "author_mismatch"
  | "id_mismatch"
  | "version_mismatch"
  | "bad_serialization"
  | "integrity";

/**
 * A deliberate defect of the op's first new block (spec §6.7): `data_missing` (no `block_data`
 * row, export flagged incomplete) [block_data_missing], `row_missing` [block_not_found],
 * `corrupted` [decryption_failed], `size_mismatch`, `digest_mismatch` [hash_mismatch].
 */
export type BlockFault =
  | "data_missing"
  | "row_missing"
  | "corrupted"
  | "size_mismatch"
  | "digest_mismatch";

interface OpBase {
  /** Explicit time of the op's first row; default previous op + time step. */
  at?: Time;
  /** Acting device: `alice` (her first device) or `alice@dev2`; default the realm owner. */
  by?: string;
  vlobFault?: VlobFault;
  blockFault?: BlockFault;
}

/** One step of the realm history. */
export type HistoryOp =
  | OpBase & { op: "share"; user: string; role: RealmRole | null }
  /** `badCanary`: the rotation's canary does not match the key (key unusable, spec §6.5). */
  | OpBase & { op: "rotate_key"; badCanary?: boolean }
  /**
   * A stale access row (spec §11): filed under `keyIndex` but holding the latest bundle's key
   * (a key opening no bundle when `keyIndex` is the latest).
   */
  | OpBase & { op: "stale_access"; user: string; keyIndex: number }
  | OpBase & { op: "rename_realm"; name: string }
  | OpBase & {
    op: "archive";
    configuration: "AVAILABLE" | "ARCHIVED" | { deletionDate: Time };
  }
  | OpBase & { op: "mkdir"; path: string; parentFirst?: boolean }
  | OpBase & {
    op: "create_file";
    path: string;
    content?: ContentSpec;
    blocksize?: number;
    holes?: HoleRange[];
    parentFirst?: boolean;
  }
  /**
   * `count` files `<dir>/<prefix><n>` (n from 1, zero-padded) uploaded one after the other, then
   * the folder once with all of them (a client syncing a batch). Random contents are distinct.
   */
  | OpBase & {
    op: "create_many";
    dir: string;
    count: number;
    content: ContentSpec;
    prefix?: string;
    blocksize?: number;
  }
  /**
   * `rounds` rounds, each overwriting every file directly in `dir` (in listing order) with a new
   * content: one version per file and round, 1 ms apart (many manifest versions).
   */
  | OpBase & { op: "overwrite_many"; dir: string; rounds: number; content: ContentSpec }
  | OpBase & { op: "overwrite"; path: string; content: ContentSpec; holes?: HoleRange[] }
  | OpBase & { op: "write"; path: string; offset: number; content: ContentSpec }
  | OpBase & { op: "truncate"; path: string; size: number }
  | OpBase & { op: "move"; path: string; to: string }
  | OpBase & { op: "delete"; path: string }
  /** Adds an existing entry (`target`, may be `/`) under another name; only the parent changes. */
  | OpBase & { op: "link"; path: string; target: string }
  | OpBase & { op: "resync"; path: string };

/** A step of the server's export, whose `info` flag `<step>_export_done` says it finished. */
export type ExportStep = "certificates" | "vlobs" | "blocks_metadata" | "blocks_data";

/** Options of the build that are part of the scenario. */
export interface ScenarioOptions {
  /** Cap on the number of trees in the truth (evenly spaced; the snapshot is always kept). */
  maxTrees?: number;
  /** Explicit tree times (replaces the default: every vlob timestamp + the snapshot). */
  treeTimes?: Time[];
  /** Leave seeded gaps in `sequential_id`s like a real server. Default false. */
  idGaps?: boolean;
  /** First `vlob_atom.sequential_id` (default 200) and `block.sequential_id` (default 100). */
  vlobSequenceStart?: number;
  blockSequenceStart?: number;
  /**
   * An interrupted export (spec §2.1): each listed step has its `info` flag left at 0. With
   * `blocks_data`, the last `blocksWithoutData` block rows (default 1) also have no data
   * [block_data_missing].
   */
  incomplete?: ExportStep[];
  blocksWithoutData?: number;
}

/** A whole scenario. */
export interface Scenario {
  name: string;
  /** Default `SequexOrg`. */
  organizationId?: string;
  /** Root Ed25519 seed, 64 hex chars; default derived from the seed. */
  rootSeed?: string;
  /** Default `2000-01-01T00:00:00Z`. */
  startTime?: Time;
  /** µs between auto-timestamped events; default one minute. */
  timeStep?: number;
  users: ScenarioUser[];
  sequester?: ScenarioSequester;
  realm: {
    /** 32 hex chars; default derived from the seed. */
    id?: string;
    name: string;
    /** User creating the realm (OWNER, key 1, name certificate). Default the first user. */
    owner?: string;
    /** Default: one time step after the last user/device creation. */
    createdAt?: Time;
    /** Default blocksize of new files (default 512 KiB). */
    blocksize?: number;
  };
  history: HistoryOp[];
  /** Default: last event + one hour. */
  snapshotAt?: Time;
  options?: ScenarioOptions;
}

/** Microseconds of a scenario time; throws on an unreadable value. */
export function timeToMicros(t: Time, what: string): number {
  if (typeof t === "number") {
    if (!Number.isSafeInteger(t)) throw new ScenarioError(`${what}: not an integer µs: ${t}`);
    return t;
  }
  const us = parseTimeToMicros(t);
  if (us === undefined) throw new ScenarioError(`${what}: unreadable time "${t}"`);
  return us;
}

/** A scenario that cannot be built (message says where). */
export class ScenarioError extends Error {
  override name = "ScenarioError";
}

/** Parses a scenario from JSON text (light structural checks; the compiler checks the rest). */
export function parseScenarioJson(text: string): Scenario {
  const value = JSON.parse(text) as unknown;
  if (typeof value !== "object" || value === null) throw new ScenarioError("not a JSON object");
  const s = value as Partial<Scenario>;
  if (typeof s.name !== "string") throw new ScenarioError("missing string `name`");
  if (!Array.isArray(s.users) || s.users.length === 0) {
    throw new ScenarioError("`users` must be a non-empty array");
  }
  if (typeof s.realm !== "object" || s.realm === null || typeof s.realm.name !== "string") {
    throw new ScenarioError("missing `realm.name`");
  }
  if (!Array.isArray(s.history)) throw new ScenarioError("`history` must be an array");
  return s as Scenario;
}

/** File-name-safe form of a label: lowercase, runs of other characters replaced by `-`. */
export function slug(label: string): string {
  const s = label.toLowerCase().replace(/[^a-z0-9._]+/g, "-").replace(/^-+|-+$/g, "");
  return s.length > 0 ? s : "unnamed";
}
