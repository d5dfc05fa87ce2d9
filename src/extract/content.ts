/**
 * File content from a file manifest (spec §6.8): blocks in order, zeros for holes, one block in
 * memory at a time. A block that cannot be read is reported and its range left as zeros.
 */
import type { BlockAccess, FileManifest } from "../codec/manifests.ts";
import type { BlockProblem } from "../realm/decrypt_block.ts";

const ZERO_CHUNK = new Uint8Array(1024 * 1024);

/** Reads one block, decrypted and checked. */
export type BlockReader = (
  access: BlockAccess,
) => { ok: true; data: Uint8Array } | { ok: false; problem: BlockProblem };

/** Yields the content of `manifest` chunk by chunk; unreadable blocks go to `problems`. */
export function* fileContentChunks(
  manifest: FileManifest,
  readBlock: BlockReader,
  problems: BlockProblem[],
): Generator<Uint8Array> {
  let pos = 0;
  for (const access of manifest.blocks) {
    if (access.offset > pos) {
      yield* zeros(access.offset - pos);
      pos = access.offset;
    }
    const block = readBlock(access);
    const length = Math.min(access.size, manifest.size - pos);
    if (block.ok) {
      yield block.data.subarray(0, length);
    } else {
      problems.push(block.problem);
      yield* zeros(length);
    }
    pos += length;
  }
  if (manifest.size > pos) yield* zeros(manifest.size - pos);
}

function* zeros(count: number): Generator<Uint8Array> {
  while (count > 0) {
    const n = Math.min(count, ZERO_CHUNK.length);
    yield ZERO_CHUNK.subarray(0, n);
    count -= n;
  }
}
