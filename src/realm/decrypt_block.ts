/** Decrypting and checking one data block (spec §6.7). Pure: row, access and keys in. */
import { deriveSecretKey } from "../crypto/key_derivation.ts";
import { openSecretBox } from "../crypto/secret_box.ts";
import { sha256 } from "../crypto/sha256.ts";
import { bytesEqual, fromHex } from "../util/bytes.ts";

export type BlockErrorCode =
  | "block_not_found"
  | "block_row_invalid"
  | "block_data_missing"
  | "key_index_unknown"
  | "key_unavailable"
  | "decryption_failed"
  | "size_mismatch"
  | "hash_mismatch";

/** Why a block of a file cannot be read. */
export interface BlockProblem {
  readonly code: BlockErrorCode;
  readonly blockId: string;
  readonly detail: string;
}

/** The block row fields needed to decrypt it (`undefined` row ⇒ not in the export). */
export interface EncryptedBlock {
  readonly keyIndex: number;
  readonly data: Uint8Array | null;
}

/** What a block access promises (from the file manifest). */
export interface ExpectedBlock {
  readonly id: string;
  readonly size: number;
  readonly digest: Uint8Array;
}

/** Decrypts and checks one block; returns the cleartext or the first failing check. */
export function decryptBlock(
  access: ExpectedBlock,
  encrypted: EncryptedBlock | undefined,
  keys: ReadonlyMap<number, Uint8Array>,
  latestKeyIndex: number,
): { ok: true; data: Uint8Array } | { ok: false; problem: BlockProblem } {
  const fail = (code: BlockErrorCode, detail: string) => ({
    ok: false as const,
    problem: { code, blockId: access.id, detail },
  });
  if (!encrypted) return fail("block_not_found", `block ${access.id} is not in the export`);
  if (encrypted.data === null) {
    return fail("block_data_missing", `block ${access.id} has no data in the export`);
  }
  if (encrypted.keyIndex < 1 || encrypted.keyIndex > latestKeyIndex) {
    return fail("key_index_unknown", `block key index ${encrypted.keyIndex} is unknown`);
  }
  const kd = keys.get(encrypted.keyIndex);
  if (!kd) return fail("key_unavailable", `key index ${encrypted.keyIndex} could not be obtained`);
  const data = openSecretBox(deriveSecretKey(kd, fromHex(access.id)), encrypted.data);
  if (!data) return fail("decryption_failed", `block ${access.id} does not decrypt`);
  if (data.length !== access.size) {
    return fail("size_mismatch", `block is ${data.length} bytes, manifest says ${access.size}`);
  }
  if (!bytesEqual(sha256(data), access.digest)) {
    return fail("hash_mismatch", `block ${access.id} SHA-256 differs from the manifest's digest`);
  }
  return { ok: true, data };
}
