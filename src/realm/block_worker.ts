/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * Worker thread that decrypts and checks blocks (`decryptBlock`, pure). It posts `ready` once its
 * modules (libsodium's WASM) are loaded: messages sent before would be lost.
 */
import { decryptBlock, type EncryptedBlock, type ExpectedBlock } from "./decrypt_block.ts";

/** A block to decrypt: the access, the row, and the realm key of the row's key index, if any. */
export interface BlockJob {
  readonly id: number;
  readonly access: ExpectedBlock;
  readonly encrypted: EncryptedBlock | undefined;
  readonly keyDerivation: Uint8Array | undefined;
  readonly latestKeyIndex: number;
}

self.onmessage = (event: MessageEvent<BlockJob>) => {
  const job = event.data;
  const keys = new Map<number, Uint8Array>();
  if (job.encrypted && job.keyDerivation) keys.set(job.encrypted.keyIndex, job.keyDerivation);
  const result = decryptBlock(job.access, job.encrypted, keys, job.latestKeyIndex);
  const transfer = result.ok ? [result.data.buffer as ArrayBuffer] : [];
  self.postMessage({ id: job.id, result }, transfer);
};
self.postMessage("ready");
