/**
 * File content from a file manifest (spec §6.8): blocks in order, zeros for holes, a bounded
 * number of blocks in memory. A block that cannot be read is reported and its range left as zeros.
 */
import type { BlockAccess, FileManifest } from "../codec/manifests.ts";
import type { BlockProblem } from "../realm/decrypt_block.ts";

const ZERO_CHUNK = new Uint8Array(1024 * 1024);

/** A block decrypted and checked, or why it could not be. */
export type BlockResult = { ok: true; data: Uint8Array } | { ok: false; problem: BlockProblem };

/** Reads one block, decrypted and checked. */
export type BlockReader = (access: BlockAccess) => BlockResult;

/** Reads one block, possibly on another thread. */
export type AsyncBlockReader = (access: BlockAccess) => BlockResult | Promise<BlockResult>;

/** One piece of the content: a run of zeros or (the first `length` bytes of) a block. */
type Segment =
  | { readonly zeros: number }
  | { readonly access: BlockAccess; readonly length: number };

/** The content of `manifest` as an ordered list of zero runs and blocks (spec §6.8). */
function segments(manifest: FileManifest): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  for (const access of manifest.blocks) {
    if (access.offset > pos) {
      out.push({ zeros: access.offset - pos });
      pos = access.offset;
    }
    const length = Math.min(access.size, manifest.size - pos);
    out.push({ access, length });
    pos += length;
  }
  if (manifest.size > pos) out.push({ zeros: manifest.size - pos });
  return out;
}

function* emit(
  segment: { readonly length: number },
  block: BlockResult,
  problems: BlockProblem[],
): Generator<Uint8Array> {
  if (block.ok) {
    yield block.data.subarray(0, segment.length);
  } else {
    problems.push(block.problem);
    yield* zeros(segment.length);
  }
}

/** Yields the content of `manifest` chunk by chunk; unreadable blocks go to `problems`. */
export function* fileContentChunks(
  manifest: FileManifest,
  readBlock: BlockReader,
  problems: BlockProblem[],
): Generator<Uint8Array> {
  for (const s of segments(manifest)) {
    if ("zeros" in s) yield* zeros(s.zeros);
    else yield* emit(s, readBlock(s.access), problems);
  }
}

/**
 * Like `fileContentChunks`, with up to `ahead` blocks requested before they are needed, so that
 * blocks decrypted on worker threads overlap with writing; output order is unchanged.
 */
export async function* fileContentChunksAsync(
  manifest: FileManifest,
  readBlock: AsyncBlockReader,
  problems: BlockProblem[],
  ahead = 8,
): AsyncGenerator<Uint8Array> {
  const plan = segments(manifest);
  ahead = Math.max(1, ahead);
  const requested: Promise<BlockResult>[] = [];
  let next = 0;
  const request = () => {
    while (next < plan.length && requested.length < ahead) {
      const s = plan[next++]!;
      if ("access" in s) requested.push(Promise.resolve(readBlock(s.access)));
    }
  };
  try {
    for (const s of plan) {
      if ("zeros" in s) {
        yield* zeros(s.zeros);
        continue;
      }
      request();
      yield* emit(s, await requested.shift()!, problems);
    }
  } finally {
    // Stopped early (an error, a consumer that quit): blocks still in flight are not awaited.
    for (const r of requested) r.catch(() => {});
  }
}

function* zeros(count: number): Generator<Uint8Array> {
  while (count > 0) {
    const n = Math.min(count, ZERO_CHUNK.length);
    yield ZERO_CHUNK.subarray(0, n);
    count -= n;
  }
}
