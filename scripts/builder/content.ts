/**
 * File contents as lazy "pieces" (slices of literal bytes, of a seeded key stream, or zeros), so
 * blocks are materialized one at a time when written and can be regenerated for hashing.
 */
import { createSha256 } from "../../src/crypto/sha256.ts";
import { noteGenerated } from "./memory.ts";
import { fromHex, utf8 } from "../../src/util/bytes.ts";
import type { KeyStream, SeededRandom } from "./prng.ts";
import type { ContentSpec, HoleRange } from "./scenario.ts";
import { ScenarioError } from "./scenario.ts";

/** A contiguous run of content bytes. */
export type Piece =
  | {
    readonly kind: "bytes";
    readonly data: Uint8Array;
    readonly start: number;
    readonly length: number;
  }
  | {
    readonly kind: "stream";
    readonly stream: KeyStream;
    readonly start: number;
    readonly length: number;
  }
  | { readonly kind: "zeros"; readonly length: number };

/** Total length of pieces. */
export function piecesLength(pieces: readonly Piece[]): number {
  return pieces.reduce((n, p) => n + p.length, 0);
}

/** Pieces of a content spec (`label` keys the pseudo-random stream). */
export function contentPieces(spec: ContentSpec, random: SeededRandom, label: string): Piece[] {
  if (typeof spec === "string") return bytesPieces(utf8(spec));
  if ("text" in spec) return bytesPieces(utf8(spec.text));
  if ("hex" in spec) return bytesPieces(fromHex(spec.hex));
  if ("zeros" in spec) {
    return spec.zeros > 0 ? [{ kind: "zeros", length: checkSize(spec.zeros) }] : [];
  }
  if ("random" in spec) {
    const length = checkSize(spec.random);
    return length > 0 ? [{ kind: "stream", stream: random.stream(label), start: 0, length }] : [];
  }
  throw new ScenarioError(`unknown content spec ${JSON.stringify(spec)}`);
}

function checkSize(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new ScenarioError(`bad content size ${n}`);
  return n;
}

function bytesPieces(data: Uint8Array): Piece[] {
  return data.length > 0 ? [{ kind: "bytes", data, start: 0, length: data.length }] : [];
}

/** The sub-range `[start, start + length)` of pieces (zeros past their end). */
export function slicePieces(pieces: readonly Piece[], start: number, length: number): Piece[] {
  const out: Piece[] = [];
  let pos = 0;
  const end = start + length;
  for (const p of pieces) {
    const pEnd = pos + p.length;
    const a = Math.max(start, pos);
    const b = Math.min(end, pEnd);
    if (a < b) out.push(subPiece(p, a - pos, b - a));
    pos = pEnd;
    if (pos >= end) break;
  }
  if (pos < end) out.push({ kind: "zeros", length: end - Math.max(pos, start) });
  return mergeZeros(out);
}

function subPiece(p: Piece, offset: number, length: number): Piece {
  if (p.kind === "zeros") return { kind: "zeros", length };
  return { ...p, start: p.start + offset, length };
}

function mergeZeros(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (p.length === 0) continue;
    if (p.kind === "zeros" && last?.kind === "zeros") {
      out[out.length - 1] = { kind: "zeros", length: last.length + p.length };
    } else out.push(p);
  }
  return out;
}

/** Replaces the hole ranges of `pieces` by zeros. */
export function punchHoles(pieces: readonly Piece[], holes: readonly HoleRange[]): Piece[] {
  const size = piecesLength(pieces);
  let out: Piece[] = [...pieces];
  for (const [a, b] of holes) {
    if (!(Number.isSafeInteger(a) && Number.isSafeInteger(b) && 0 <= a && a < b && b <= size)) {
      throw new ScenarioError(`bad hole [${a}, ${b}) for a ${size}-byte content`);
    }
    out = [
      ...slicePieces(out, 0, a),
      { kind: "zeros", length: b - a },
      ...slicePieces(out, b, size - b),
    ];
  }
  return mergeZeros(out);
}

/** Concatenates piece lists. */
export function concatPieces(...lists: Piece[][]): Piece[] {
  return mergeZeros(lists.flat());
}

/** Materializes pieces into one buffer (use for one block at a time). */
export function materialize(pieces: readonly Piece[]): Uint8Array {
  const out = new Uint8Array(piecesLength(pieces));
  let pos = 0;
  for (const p of pieces) {
    if (p.kind === "bytes") out.set(p.data.subarray(p.start, p.start + p.length), pos);
    else if (p.kind === "stream") out.set(p.stream.read(p.start, p.length), pos);
    pos += p.length;
  }
  return out;
}

/** True when the pieces contain only zeros by construction (a hole). */
export function isAllHole(pieces: readonly Piece[]): boolean {
  return pieces.every((p) => p.kind === "zeros");
}

/** Trims leading and trailing zero pieces; returns the kept offset range within the input. */
export function trimHoles(pieces: readonly Piece[]): { lead: number; kept: Piece[] } {
  let first = 0;
  let lead = 0;
  while (first < pieces.length && pieces[first]!.kind === "zeros") lead += pieces[first++]!.length;
  let last = pieces.length;
  while (last > first && pieces[last - 1]!.kind === "zeros") last--;
  return { lead, kept: pieces.slice(first, last) };
}

const ZERO_CHUNK = new Uint8Array(1 << 16);

/** SHA-256 (hex) of a file made of `blocks` (`{offset, pieces}`, sorted) and zeros up to `size`. */
export function hashFileContent(
  size: number,
  blocks: ReadonlyArray<{ readonly offset: number; readonly pieces: readonly Piece[] }>,
): string {
  const hash = createSha256();
  let pos = 0;
  const zeros = (n: number) => {
    while (n > 0) {
      const k = Math.min(n, ZERO_CHUNK.length);
      hash.update(ZERO_CHUNK.subarray(0, k));
      n -= k;
    }
  };
  for (const b of blocks) {
    if (b.offset > pos) zeros(b.offset - pos);
    const data = materialize(b.pieces);
    noteGenerated(data.length);
    const keep = Math.min(data.length, size - b.offset);
    hash.update(data.subarray(0, keep));
    pos = b.offset + keep;
  }
  if (size > pos) zeros(size - pos);
  return hash.digest("hex");
}
