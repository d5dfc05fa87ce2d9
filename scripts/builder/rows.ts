/** Encodes plan items into the bytes stored in the export's tables (sign, encrypt, armor). */
import { deriveSecretKey } from "../../src/crypto/key_derivation.ts";
import { sealSecretBox } from "../../src/crypto/secret_box.ts";
import { sha256 } from "../../src/crypto/sha256.ts";
import type { MsgMap } from "../../src/codec/msgpack.ts";
import { concatBytes, toHex } from "../../src/util/bytes.ts";
import { materialize } from "./content.ts";
import { signingKeyFromSeed, signMessage } from "./ed25519_sign.ts";
import { encodeFormatV0 } from "../../src/codec/format_v0_encode.ts";
import type {
  AtomPlan,
  BlockPlan,
  KeysBundlePlan,
  Plan,
  SequesterItem,
  ServiceAccessPlan,
  SignedItem,
  UserAccessPlan,
} from "./plan.ts";
import { fileManifest, folderManifest, realmKeysBundle, realmKeysBundleAccess } from "./records.ts";
import { maxPssSaltLength, rsaOaepArmor, rsaPssArmor } from "./rsa_armor_encode.ts";
import { sealBoxWithEphemeral } from "./sealed_box_seal.ts";

/** `signature || format_v0(record)` of an Ed25519-signed certificate. */
export function signedRow(item: SignedItem): Uint8Array {
  return signMessage(item.signer, encodeFormatV0(item.record));
}

/** A `sequester_certificate` row (`index` = its `_id`, keys the PSS salt). */
export function sequesterRow(plan: Plan, item: SequesterItem, index: number): Uint8Array {
  const data = encodeFormatV0(item.record);
  if (item.signedBy === "root") return signMessage(plan.root, data);
  const authority = plan.authority;
  if (authority === null) throw new Error("sequester certificate without an authority");
  const salt = plan.random.bytes(
    `pss-salt:${index}`,
    maxPssSaltLength(authority.publicKey),
  );
  return rsaPssArmor(authority.privateKey, data, salt);
}

/** A `realm_keys_bundle.keys_bundle` value. */
export function keysBundleRow(plan: Plan, bundle: KeysBundlePlan): Uint8Array {
  const signed = signMessage(
    bundle.author.signing,
    encodeFormatV0(realmKeysBundle({
      author: bundle.author.id,
      timestamp: bundle.timestamp,
      realmId: plan.realmId,
      keys: bundle.keys,
    })),
  );
  return sealSecretBox(
    bundle.bundleKey,
    signed,
    plan.random.bytes(`nonce:keys-bundle:${bundle.keyIndex}`, 24),
  );
}

/** A user's `realm_keys_bundle_access.access` (`rowId` keys the ephemeral key). */
export function userAccessRow(plan: Plan, access: UserAccessPlan, rowId: number): Uint8Array {
  return sealBoxWithEphemeral(
    encodeFormatV0(realmKeysBundleAccess(access.bundleKey)),
    access.user.publicKey,
    plan.random.key(`ephemeral:user-access:${rowId}`),
  );
}

/** A service's `realm_sequester_keys_bundle_access.access`. */
export function serviceAccessRow(plan: Plan, access: ServiceAccessPlan, rowId: number): Uint8Array {
  return rsaOaepArmor(
    access.service.key.publicKey,
    encodeFormatV0(realmKeysBundleAccess(access.bundleKey)),
    plan.random.key(`oaep-secret:${rowId}`),
    plan.random.bytes(`oaep-seed:${rowId}`, 32),
    plan.random.bytes(`nonce:service-access:${rowId}`, 24),
  );
}

/** Generates a block: returns the encrypted data and sets `block.digest` (faults applied). */
export function blockRow(plan: Plan, block: BlockPlan): Uint8Array {
  const content = materialize(block.pieces);
  block.digest = sha256(
    block.fault === "digest_mismatch" ? concatBytes(content, new Uint8Array([0])) : content,
  );
  const stored = block.fault === "size_mismatch"
    ? concatBytes(content, new Uint8Array([0x2a]))
    : content;
  const kd = plan.realmKeys[block.keyIndex - 1]!;
  const data = sealSecretBox(
    deriveSecretKey(kd, block.id),
    stored,
    plan.random.bytes(`nonce:block:${block.seq}`, 24),
  );
  if (block.fault === "corrupted") data[data.length - 1]! ^= 0x01;
  return data;
}

function withoutLastField(record: MsgMap): MsgMap {
  return new (record.constructor as typeof MsgMap)(record.entries.slice(0, -1));
}

/** Encrypted + signed manifest blob of a vlob atom (its blocks must have been generated). */
export function vlobRow(plan: Plan, atom: AtomPlan): Uint8Array {
  const isRoot = atom.idHex === toHex(plan.realmId);
  const otherId = atom.fault === "id_mismatch" ? plan.random.uuid(`fault:id:${atom.seq}`) : null;
  const head = {
    author: atom.fault === "author_mismatch"
      ? plan.random.uuid(`fault:author:${atom.seq}`)
      : atom.author.id,
    timestamp: atom.fault === "timestamp_mismatch" ? atom.timestamp - 1 : atom.timestamp,
    id: otherId ?? atom.vlobId,
    // A root with another id keeps `id == parent`, so only the id check fails.
    parent: atom.fault === "integrity"
      ? integrityBreakingParent(plan, atom)
      : isRoot && otherId !== null
      ? otherId
      : atom.parent,
    version: atom.fault === "version_mismatch" ? atom.version + 1 : atom.version,
    created: atom.created,
    updated: atom.updated,
  };
  const c = atom.content;
  const record = c.kind === "folder"
    ? folderManifest({ ...head, children: c.children })
    : fileManifest({
      ...head,
      size: c.size,
      blocksize: c.blocksize,
      blocks: c.blocks.map((b) => {
        if (b.digest === null) throw new Error("block written after the manifest using it");
        return { id: b.id, offset: b.offset, size: b.size, digest: b.digest };
      }),
    });
  const signer = atom.fault === "bad_signature"
    ? signingKeyFromSeed(plan.random.key(`fault:signer:${atom.seq}`))
    : atom.author.signing;
  const signed = signMessage(
    signer,
    encodeFormatV0(atom.fault === "bad_serialization" ? withoutLastField(record) : record),
  );
  const kd = plan.realmKeys[atom.keyIndex - 1];
  const key = kd === undefined || atom.fault === "wrong_key"
    ? plan.random.key(`fault:vlob-key:${atom.seq}`)
    : deriveSecretKey(kd, atom.vlobId);
  return sealSecretBox(key, signed, plan.random.bytes(`nonce:vlob:${atom.seq}`, 24));
}

/** Root: a parent other than itself; child: itself (both break §5.5 integrity). */
function integrityBreakingParent(plan: Plan, atom: AtomPlan): Uint8Array {
  const isRoot = atom.idHex === toHex(plan.realmId);
  return isRoot ? plan.random.uuid(`fault:parent:${atom.seq}`) : atom.vlobId;
}
