/** Prefetching content reader: same bytes and problems as the plain one, whatever the delays. */
import { deepStrictEqual as assertEquals, strictEqual } from "node:assert/strict";
import type { BlockAccess, FileManifest } from "../src/codec/manifests.ts";
import {
  type BlockResult,
  fileContentChunks,
  fileContentChunksAsync,
} from "../src/extract/content.ts";
import type { BlockProblem } from "../src/realm/decrypt_block.ts";
import { concatBytes } from "../src/util/bytes.ts";

const id = (n: number) => n.toString(16).padStart(32, "0");
const block = (n: number, offset: number, size: number): BlockAccess => ({
  id: id(n),
  offset,
  size,
  digest: new Uint8Array(32),
});

// 100-byte file, blocksize 16: a hole at 0..16, blocks at 16, 32 (fails), 48, 80, zeros to 100.
const MANIFEST = {
  type: "file_manifest",
  size: 100,
  blocksize: 16,
  blocks: [block(1, 16, 16), block(2, 32, 16), block(3, 48, 10), block(4, 80, 16)],
} as unknown as FileManifest;

function read(access: BlockAccess): BlockResult {
  const n = parseInt(access.id, 16);
  if (n === 2) {
    return { ok: false, problem: { code: "block_data_missing", blockId: access.id, detail: "x" } };
  }
  return { ok: true, data: new Uint8Array(access.size).fill(n) };
}

Deno.test("fileContentChunksAsync gives the same bytes and problems as fileContentChunks", async () => {
  const syncProblems: BlockProblem[] = [];
  const expected = concatBytes(...fileContentChunks(MANIFEST, read, syncProblems));
  strictEqual(expected.length, 100);
  for (const ahead of [1, 2, 8]) {
    const problems: BlockProblem[] = [];
    const chunks: Uint8Array[] = [];
    // Later blocks answer first: the output order must not follow completion order.
    const delayed = (a: BlockAccess) =>
      new Promise<BlockResult>((resolve) =>
        setTimeout(() => resolve(read(a)), 20 - parseInt(a.id, 16) * 4)
      );
    for await (const c of fileContentChunksAsync(MANIFEST, delayed, problems, ahead)) {
      chunks.push(c.slice());
    }
    assertEquals(concatBytes(...chunks), expected, `ahead ${ahead}`);
    assertEquals(problems.map((p) => p.blockId), [id(2)]);
  }
  assertEquals([...expected.subarray(0, 16)], new Array(16).fill(0));
  assertEquals([...expected.subarray(16, 32)], new Array(16).fill(1));
  assertEquals([...expected.subarray(32, 48)], new Array(16).fill(0));
  assertEquals([...expected.subarray(48, 58)], new Array(10).fill(3));
  assertEquals([...expected.subarray(80, 96)], new Array(16).fill(4));
  assertEquals([...expected.subarray(96)], [0, 0, 0, 0]);
});
