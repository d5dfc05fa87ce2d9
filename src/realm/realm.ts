/**
 * A decrypted, verified view of an export's history: the export, its trust chain and the realm
 * keys obtained by the decryptors. Manifest versions and blocks are decoded on demand.
 */
import type { RealmExport } from "../export/realm_export.ts";
import type { Decryptor } from "../keys/decryptors.ts";
import { obtainRealmKeys, type RealmKeys } from "../keys/realm_keys.ts";
import { decryptRealmName, type Trust } from "../trust/trust.ts";
import { fromHex } from "../util/bytes.ts";
import type { BlockAccess } from "../codec/manifests.ts";
import { type DecodeContext, type DecodedVersion, decodeVlobAtom } from "./decode_manifest.ts";
import { type BlockProblem, decryptBlock } from "./decrypt_block.ts";
import type { BlockRow } from "../export/realm_export.ts";
import { ExportOpenError } from "../errors.ts";
import { BlockDecryptPool } from "./block_pool.ts";
import type { BlockResult } from "../extract/content.ts";

/** Who wrote something: the device and its user, as far as the certificates tell. */
export interface AuthorInfo {
  readonly deviceId: string;
  readonly deviceLabel: string | null;
  readonly userId: string | null;
  readonly email: string | null;
  readonly name: string | null;
}

/** The readable history of one realm. */
export class Realm {
  readonly realmId: string;
  readonly name: string | null;
  private readonly context: DecodeContext;
  private pool: BlockDecryptPool | null = null;

  private constructor(
    readonly exp: RealmExport,
    readonly trust: Trust,
    readonly keys: RealmKeys,
    readonly decryptors: readonly Decryptor[],
  ) {
    this.realmId = exp.info.realmId;
    this.name = decryptRealmName(trust, keys.keys);
    this.context = {
      realmId: this.realmId,
      latestKeyIndex: trust.latestKeyIndex,
      keys: keys.keys,
      verifyKeys: new Map([...trust.devices].map(([id, d]) => [id, d.verifyKey])),
    };
  }

  /** Obtains the realm keys with `decryptors` (already bound to the export's trust). */
  static open(exp: RealmExport, trust: Trust, decryptors: readonly Decryptor[]): Realm {
    return new Realm(exp, trust, obtainRealmKeys(exp, trust, decryptors), decryptors);
  }

  /** The version of `entryId` visible at `at` µs, decoded; `undefined` if none exists yet. */
  versionAt(entryId: string, at: number): DecodedVersion | undefined {
    const row = this.exp.vlobAt(fromHex(entryId), at);
    return row ? decodeVlobAtom(row, this.context) : undefined;
  }

  /** Every version of `entryId`, oldest first, decoded. */
  versionsOf(entryId: string): DecodedVersion[] {
    return this.exp.vlobVersions(fromHex(entryId)).map((row) => decodeVlobAtom(row, this.context));
  }

  /** Every version of every entry, decoded, in `sequential_id` order (streamed). */
  *allVersions(): Generator<DecodedVersion> {
    for (const row of this.exp.allVlobs()) yield decodeVlobAtom(row, this.context);
  }

  /** Reads one block of a file manifest, decrypted and checked. */
  readBlock(access: BlockAccess): BlockResult {
    const row = this.blockRow(access);
    if ("problem" in row) return row;
    return decryptBlock(access, row.row, this.keys.keys, this.trust.latestKeyIndex);
  }

  /** The block's row; a row SQLite cannot read (damaged page, wrong types) is that block's problem. */
  private blockRow(
    access: BlockAccess,
  ): { row: BlockRow | undefined } | { ok: false; problem: BlockProblem } {
    try {
      return { row: this.exp.block(fromHex(access.id)) };
    } catch (e) {
      if (!(e instanceof ExportOpenError)) throw e;
      return {
        ok: false,
        problem: { code: "block_row_invalid", blockId: access.id, detail: e.reason },
      };
    }
  }

  /** From now on, decrypt blocks read with `readBlockAsync` on `threads` worker threads. */
  async useWorkerThreads(threads: number): Promise<void> {
    if (threads > 0 && !this.pool) this.pool = await BlockDecryptPool.start(threads);
  }

  /**
   * Reads one block (from SQLite, on this thread) and decrypts it on a worker thread when
   * `useWorkerThreads` was called; rows that cannot be decrypted are answered at once.
   */
  readBlockAsync(access: BlockAccess): BlockResult | Promise<BlockResult> {
    const found = this.blockRow(access);
    if ("problem" in found) return found;
    const row = found.row;
    if (!this.pool || !row?.data) {
      return decryptBlock(access, row, this.keys.keys, this.trust.latestKeyIndex);
    }
    return this.pool.decrypt(
      access,
      row,
      this.keys.keys.get(row.keyIndex),
      this.trust.latestKeyIndex,
    );
  }

  /** Stops worker threads and closes the export. */
  close(): void {
    this.pool?.close();
    this.pool = null;
    this.exp.close();
  }

  /** Device, user and human handle of a device id. */
  author(deviceId: string): AuthorInfo {
    const device = this.trust.devices.get(deviceId);
    const user = device ? this.trust.users.get(device.userId) : undefined;
    return {
      deviceId,
      deviceLabel: device?.label ?? null,
      userId: device?.userId ?? null,
      email: user?.humanHandle?.email ?? null,
      name: user?.humanHandle?.label ?? null,
    };
  }
}
