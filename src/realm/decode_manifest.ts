/**
 * Decoding one `vlob_atom` row into a verified manifest, with the ordered checks and error codes
 * of spec §6.6. Pure: row, keys and trusted devices in, manifest or error out.
 */
import { verifySigned } from "../crypto/ed25519.ts";
import { deriveSecretKey } from "../crypto/key_derivation.ts";
import { openSecretBox } from "../crypto/secret_box.ts";
import { decodeManifest, IntegrityError, type Manifest } from "../codec/manifests.ts";
import { fromHex } from "../util/bytes.ts";

export type ManifestErrorCode =
  | "key_index_unknown"
  | "key_unavailable"
  | "author_unknown"
  | "decryption_failed"
  | "cleartext_corrupted";

export type CorruptionReason =
  | "bad_signature"
  | "bad_serialization"
  | "integrity"
  | "unexpected_author"
  | "unexpected_timestamp"
  | "unexpected_id"
  | "unexpected_version";

/** The row fields a manifest version is checked against (everything but the blob). */
export interface VersionRow {
  readonly sequentialId: number;
  readonly vlobId: string;
  readonly version: number;
  readonly keyIndex: number;
  readonly author: string;
  readonly timestamp: number;
  readonly size: number;
}

/** Why a manifest version cannot be read. */
export interface ManifestProblem {
  readonly code: ManifestErrorCode;
  readonly reason: CorruptionReason | null;
  readonly detail: string;
}

export type DecodedVersion =
  | { readonly row: VersionRow; readonly ok: true; readonly manifest: Manifest }
  | { readonly row: VersionRow; readonly ok: false; readonly problem: ManifestProblem };

/** What decoding needs to know about the realm. */
export interface DecodeContext {
  readonly realmId: string;
  readonly latestKeyIndex: number;
  readonly keys: ReadonlyMap<number, Uint8Array>;
  /** Trusted device id → Ed25519 verify key. */
  readonly verifyKeys: ReadonlyMap<string, Uint8Array>;
}

/** Decrypts, verifies and decodes one manifest version (spec §6.6, checks in order). */
export function decodeVlobAtom(
  row: VersionRow & { readonly blob: Uint8Array },
  ctx: DecodeContext,
): DecodedVersion {
  const { blob, ...meta } = row;
  const fail = (
    code: ManifestErrorCode,
    detail: string,
    reason: CorruptionReason | null = null,
  ): DecodedVersion => ({ row: meta, ok: false, problem: { code, reason, detail } });

  if (row.keyIndex > ctx.latestKeyIndex || row.keyIndex < 1) {
    return fail(
      "key_index_unknown",
      `key index ${row.keyIndex} is not in the realm's key rotations (latest ${ctx.latestKeyIndex})`,
    );
  }
  const kd = ctx.keys.get(row.keyIndex);
  if (!kd) return fail("key_unavailable", `key index ${row.keyIndex} could not be obtained`);
  const verifyKey = ctx.verifyKeys.get(row.author);
  if (!verifyKey) return fail("author_unknown", `author device ${row.author} is not trusted`);
  if (!/^[0-9a-f]{32}$/.test(row.vlobId)) {
    return fail("decryption_failed", `vlob_id ${row.vlobId} is not 16 bytes`);
  }
  const signed = openSecretBox(deriveSecretKey(kd, fromHex(row.vlobId)), blob);
  if (!signed) {
    return fail("decryption_failed", `cannot decrypt with key index ${row.keyIndex}`);
  }
  const payload = verifySigned(verifyKey, signed);
  if (!payload) {
    return fail(
      "cleartext_corrupted",
      `signature does not verify with device ${row.author}`,
      "bad_signature",
    );
  }
  let manifest: Manifest;
  try {
    manifest = decodeManifest(payload, { isRoot: row.vlobId === ctx.realmId });
  } catch (e) {
    const reason = e instanceof IntegrityError ? "integrity" : "bad_serialization";
    return fail("cleartext_corrupted", (e as Error).message, reason);
  }
  const mismatch = (field: string, got: string | number, want: string | number) =>
    fail(
      "cleartext_corrupted",
      `manifest ${field} ${got} differs from the row's ${want}`,
      `unexpected_${field}` as CorruptionReason,
    );
  if (manifest.author !== row.author) return mismatch("author", manifest.author, row.author);
  if (manifest.timestamp !== row.timestamp) {
    return mismatch("timestamp", manifest.timestamp, row.timestamp);
  }
  if (manifest.id !== row.vlobId) return mismatch("id", manifest.id, row.vlobId);
  if (manifest.version !== row.version) return mismatch("version", manifest.version, row.version);
  return { row: meta, ok: true, manifest };
}
