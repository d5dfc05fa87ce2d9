/**
 * Streams one file version's content block by block into a new file (never overwriting one) or
 * only through the hash, with the upload time as modification time.
 */
import { createSha256 } from "../crypto/sha256.ts";
import type { FileManifest } from "../codec/manifests.ts";
import type { BlockProblem } from "../realm/decrypt_block.ts";
import { type AsyncBlockReader, fileContentChunksAsync } from "./content.ts";

/** Size, SHA-256 and unreadable blocks of the content written (or only hashed). */
export interface ContentResult {
  readonly size: number;
  readonly sha256: string;
  readonly blockProblems: readonly BlockProblem[];
}

/**
 * Writes the content of `manifest` to `path` (created, must not exist) and sets its modification
 * time to `mtimeMicros`; with `path` `null`, only hashes it.
 */
export async function writeContent(
  manifest: FileManifest,
  readBlock: AsyncBlockReader,
  path: string | null,
  mtimeMicros: number,
): Promise<ContentResult> {
  const blockProblems: BlockProblem[] = [];
  const hash = createSha256();
  let size = 0;
  // Synchronous file calls: case folders hold many small files, and each awaited call would cost
  // a round trip to Deno's I/O threads; blocks are still decrypted meanwhile on worker threads.
  const file = path === null ? null : Deno.openSync(path, { write: true, createNew: true });
  try {
    for await (const chunk of fileContentChunksAsync(manifest, readBlock, blockProblems)) {
      hash.update(chunk);
      size += chunk.length;
      let off = 0;
      while (file && off < chunk.length) off += file.writeSync(chunk.subarray(off));
    }
  } catch (e) {
    file?.close();
    // A half-written file must not stay behind, unlisted in the report and SHA256SUMS.
    if (path !== null) {
      try {
        Deno.removeSync(path);
      } catch {
        // Already gone or not removable: the error below is what the report records.
      }
    }
    throw e;
  }
  file?.close();
  if (path !== null) setTime(path, mtimeMicros);
  return { size, sha256: hash.digest("hex"), blockProblems };
}

/** Sets both access and modification time of `path` (µs, rounded down to ms). */
export function setTime(path: string, micros: number): void {
  const date = new Date(Math.floor(micros / 1000));
  Deno.utimeSync(path, date, date);
}
