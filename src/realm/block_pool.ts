/**
 * A small pool of worker threads decrypting blocks, so that decryption runs beside reading and
 * writing on the main thread. Results come back as promises; callers keep their own order.
 */
import type { BlockResult } from "../extract/content.ts";
import type { BlockJob } from "./block_worker.ts";
import type { EncryptedBlock, ExpectedBlock } from "./decrypt_block.ts";

interface Pending {
  resolve(result: BlockResult): void;
  reject(error: Error): void;
}

/** Worker threads decrypting blocks; `close()` them when done. */
export class BlockDecryptPool {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Set once a worker crashed: every later request fails at once instead of never settling. */
  private broken: Error | null = null;

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.onmessage = (e: MessageEvent<{ id: number; result: BlockResult }>) => {
        const p = this.pending.get(e.data.id);
        this.pending.delete(e.data.id);
        p?.resolve(e.data.result);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        this.broken = new Error(`block worker: ${e.message}`);
        for (const p of this.pending.values()) p.reject(this.broken);
        this.pending.clear();
      };
    }
  }

  /** Starts `size` workers and waits until each has loaded. */
  static async start(size: number): Promise<BlockDecryptPool> {
    const workers = Array.from(
      { length: size },
      () => new Worker(new URL("./block_worker.ts", import.meta.url), { type: "module" }),
    );
    try {
      await Promise.all(workers.map((w) =>
        new Promise<void>((resolve, reject) => {
          w.onmessage = () => resolve();
          w.onerror = (e) => {
            e.preventDefault();
            reject(new Error(`block worker failed to start: ${e.message}`));
          };
        })
      ));
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    }
    return new BlockDecryptPool(workers);
  }

  /** Decrypts and checks one block on the next worker (round robin). */
  decrypt(
    access: ExpectedBlock,
    encrypted: EncryptedBlock | undefined,
    keyDerivation: Uint8Array | undefined,
    latestKeyIndex: number,
  ): Promise<BlockResult> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    const job: BlockJob = {
      id,
      access: { id: access.id, size: access.size, digest: access.digest },
      encrypted,
      keyDerivation,
      latestKeyIndex,
    };
    const data = encrypted?.data;
    const transfer = data && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
      ? [data.buffer as ArrayBuffer]
      : [];
    return new Promise<BlockResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage(job, transfer);
    });
  }

  /** Stops the workers. */
  close(): void {
    for (const w of this.workers) w.terminate();
  }
}
