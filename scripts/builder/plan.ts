/** The compiled form of a scenario: every entity, key, certificate and upload, in order. */
import type { MsgMap } from "../../src/codec/msgpack.ts";
import type { Piece } from "./content.ts";
import type { SigningKey } from "./ed25519_sign.ts";
import type { SeededRandom } from "./prng.ts";
import type { HumanHandle, Profile } from "./records.ts";
import type { RsaKeyPair } from "./rsa_keys.ts";
import type { BlockFault, ExportStep, VlobFault } from "./scenario.ts";

/** A device with its signing key. */
export interface PlanDevice {
  readonly ref: string;
  readonly id: Uint8Array;
  readonly user: PlanUser;
  readonly signing: SigningKey;
  /** How its certificate was forged (the reader must not trust it), or null. */
  readonly forged: "bad_signature" | "unknown_author" | null;
}

/** A user with its X25519 key pair. */
export interface PlanUser {
  readonly name: string;
  readonly id: Uint8Array;
  readonly humanHandle: HumanHandle;
  readonly profile: Profile;
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly devices: PlanDevice[];
}

/** A sequester service with its RSA key and activity window. */
export interface PlanService {
  readonly label: string;
  readonly slug: string;
  readonly id: Uint8Array;
  readonly key: RsaKeyPair;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** A record to sign with an Ed25519 key. */
export interface SignedItem {
  readonly timestamp: number;
  readonly record: MsgMap;
  readonly signer: SigningKey;
  /** True when the certificate is forged (bad signature or unknown author): never trusted. */
  readonly forged?: boolean;
}

/** A sequester certificate: the authority one is root-signed, the others RSA-PSS-signed. */
export interface SequesterItem {
  readonly timestamp: number;
  readonly record: MsgMap;
  readonly signedBy: "root" | "authority";
}

/** The keys bundle of one key rotation. */
export interface KeysBundlePlan {
  readonly keyIndex: number;
  readonly timestamp: number;
  readonly author: PlanDevice;
  /** Realm keys 1..keyIndex. */
  readonly keys: readonly Uint8Array[];
  readonly bundleKey: Uint8Array;
  /** False when the rotation certificate's canary was deliberately broken. */
  readonly canaryValid: boolean;
}

/** A `realm_keys_bundle_access` row (holds `bundleKey`, normally the bundle's own key). */
export interface UserAccessPlan {
  readonly user: PlanUser;
  readonly keyIndex: number;
  readonly bundleKey: Uint8Array;
}

/** A `realm_sequester_keys_bundle_access` row. */
export interface ServiceAccessPlan {
  readonly service: PlanService;
  readonly keyIndex: number;
  readonly bundleKey: Uint8Array;
}

/** A block: its content pieces, and its digest once written. */
export interface BlockPlan {
  readonly seq: number;
  readonly id: Uint8Array;
  readonly author: PlanDevice;
  readonly keyIndex: number;
  readonly offset: number;
  readonly size: number;
  readonly pieces: readonly Piece[];
  /** Set after compilation too, for the blocks an incomplete export left without data. */
  fault: BlockFault | null;
  /** SHA-256 of the cleartext, set by the writer when the block is generated. */
  digest: Uint8Array | null;
}

/** What a manifest version holds besides its header. */
export type ManifestContent =
  | { readonly kind: "folder"; readonly children: ReadonlyArray<readonly [string, Uint8Array]> }
  | {
    readonly kind: "file";
    readonly size: number;
    readonly blocksize: number;
    readonly blocks: readonly BlockPlan[];
  };

/** One `vlob_atom` row to write. */
export interface AtomPlan {
  readonly seq: number;
  readonly vlobId: Uint8Array;
  readonly idHex: string;
  readonly version: number;
  readonly keyIndex: number;
  readonly timestamp: number;
  readonly author: PlanDevice;
  readonly parent: Uint8Array;
  readonly created: number;
  readonly updated: number;
  readonly content: ManifestContent;
  readonly fault: VlobFault | null;
  /** Length of the encrypted blob, set by the writer. */
  blobSize: number;
}

/** Uploads in server order: a file's new blocks come before its manifest. */
export type Upload = { readonly kind: "block"; readonly block: BlockPlan } | {
  readonly kind: "vlob";
  readonly atom: AtomPlan;
};

/** A compiled scenario. */
export interface Plan {
  readonly scenarioName: string;
  readonly seed: number;
  readonly random: SeededRandom;
  readonly organizationId: string;
  readonly root: SigningKey;
  readonly users: readonly PlanUser[];
  readonly services: readonly PlanService[];
  readonly authority: RsaKeyPair | null;
  readonly realmId: Uint8Array;
  readonly realmName: string;
  /** Realm key derivation secrets, index 0 = key index 1. */
  readonly realmKeys: readonly Uint8Array[];
  readonly commonCertificates: readonly SignedItem[];
  readonly sequesterCertificates: readonly SequesterItem[];
  readonly realmCertificates: readonly SignedItem[];
  readonly keysBundles: readonly KeysBundlePlan[];
  readonly userAccesses: readonly UserAccessPlan[];
  readonly serviceAccesses: readonly ServiceAccessPlan[];
  readonly uploads: readonly Upload[];
  /**
   * Streamed plans keep no uploads (`uploads` is empty): this replays the realm history and
   * hands each upload to `sink`, in order, holding only the current state of the entries.
   */
  readonly replayUploads: ((sink: (upload: Upload) => void) => void) | null;
  readonly snapshotTime: number;
  /** Export steps whose `info` flag is left at 0. */
  readonly incomplete: readonly ExportStep[];
  readonly treeTimes: readonly number[];
}
