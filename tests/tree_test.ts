/**
 * The tree at T (spec §6.10) over a fake lookup, and file content assembly (spec §6.8).
 */
import { deepStrictEqual as assertEquals, ok, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { BlockAccess, FileManifest, FolderManifest } from "../src/codec/manifests.ts";
import { sha256Hex } from "../src/crypto/sha256.ts";
import { fileContentChunks } from "../src/extract/content.ts";
import { compareNames, pathText, resolveTreeAt, type TreeSnapshot } from "../src/extract/tree.ts";
import type { DecodedVersion, VersionRow } from "../src/realm/decode_manifest.ts";
import type { BlockProblem } from "../src/realm/decrypt_block.ts";
import { concatBytes, utf8 } from "../src/util/bytes.ts";

const ROOT = "f0000000000000000000000000000008";
const id = (n: number) => "f0" + "00".repeat(14) + n.toString(16).padStart(2, "0");

function row(entryId: string, timestamp = 0): VersionRow {
  return {
    sequentialId: 1,
    vlobId: entryId,
    version: 1,
    keyIndex: 1,
    author: "de10a11cec0010000000000000000000",
    timestamp,
    size: 0,
  };
}

const base = (entryId: string, parent: string) => ({
  author: "de10a11cec0010000000000000000000",
  timestamp: 0,
  id: entryId,
  parent,
  version: 1,
  created: 0,
  updated: 0,
});

function folder(entryId: string, parent: string, children: [string, string][]): DecodedVersion {
  const manifest: FolderManifest = {
    type: "folder_manifest",
    ...base(entryId, parent),
    children: new Map(children),
  };
  return { row: row(entryId), ok: true, manifest };
}

function file(entryId: string, parent: string): DecodedVersion {
  const manifest: FileManifest = {
    type: "file_manifest",
    ...base(entryId, parent),
    size: 0,
    blocksize: 512,
    blocks: [],
    origin: null,
  };
  return { row: row(entryId), ok: true, manifest };
}

function unreadable(entryId: string): DecodedVersion {
  return {
    row: row(entryId),
    ok: false,
    problem: { code: "key_unavailable", reason: null, detail: "no key" },
  };
}

/** A lookup where each entry exists from a given time on. */
function lookupOf(entries: [DecodedVersion, number][]) {
  const calls: string[] = [];
  const byId = new Map(entries.map(([v, from]) => [v.row.vlobId, { v, from }]));
  const lookup = (entryId: string, at: number) => {
    calls.push(entryId);
    const e = byId.get(entryId);
    return e && at >= e.from ? e.v : undefined;
  };
  return { lookup, calls };
}

const paths = (t: TreeSnapshot) => t.nodes.map((n) => pathText(n.names));
const problems = (t: TreeSnapshot) =>
  t.problems.map((p) => [pathText([...p.parentNames, p.name]), p.entryId, p.problem]);

Deno.test("tree: no root version at T → not_found, empty", () => {
  const { lookup } = lookupOf([[folder(ROOT, ROOT, []), 100]]);
  const t = resolveTreeAt(ROOT, 99, lookup);
  assertEquals(t, { at: 99, rootStatus: "not_found", nodes: [], problems: [] });
  strictEqual(resolveTreeAt(ROOT, 100, lookup).rootStatus, "ok");
});

Deno.test("tree: unreadable root → rootStatus error, only the root node, nothing below", () => {
  const { lookup, calls } = lookupOf([[unreadable(ROOT), 0], [file(id(4), ROOT), 0]]);
  const t = resolveTreeAt(ROOT, 10, lookup);
  strictEqual(t.rootStatus, "error");
  strictEqual(t.nodes.length, 1);
  assertEquals(t.nodes[0]!.names, []);
  strictEqual(t.nodes[0]!.parentId, null);
  strictEqual(t.nodes[0]!.version.ok, false);
  assertEquals(t.problems, []);
  assertEquals(calls, [ROOT]);
});

Deno.test("tree: child not found at T is skipped with not_found_at_time", () => {
  const { lookup } = lookupOf([
    [folder(ROOT, ROOT, [["foo", id(5)]]), 0],
    [folder(id(5), ROOT, [["spam", id(7)], ["egg.txt", id(6)]]), 0],
    [file(id(6), id(5)), 20],
    [folder(id(7), id(5), []), 30],
  ]);
  let t = resolveTreeAt(ROOT, 10, lookup);
  assertEquals(paths(t), ["/", "/foo"]);
  assertEquals(problems(t), [
    ["/foo/egg.txt", id(6), "not_found_at_time"],
    ["/foo/spam", id(7), "not_found_at_time"],
  ]);
  t = resolveTreeAt(ROOT, 20, lookup);
  assertEquals(paths(t), ["/", "/foo", "/foo/egg.txt"]);
  assertEquals(problems(t), [["/foo/spam", id(7), "not_found_at_time"]]);
  t = resolveTreeAt(ROOT, 30, lookup);
  assertEquals(paths(t), ["/", "/foo", "/foo/egg.txt", "/foo/spam"]);
  assertEquals(t.problems, []);
});

Deno.test("tree: child whose parent is another folder is skipped with parent_mismatch", () => {
  // Mid-move: bar.txt is listed in both foo and the root, but its manifest names foo.
  const { lookup } = lookupOf([
    [folder(ROOT, ROOT, [["foo", id(5)], ["bar.txt", id(4)]]), 0],
    [folder(id(5), ROOT, [["moved.txt", id(4)]]), 0],
    [file(id(4), id(5)), 0],
  ]);
  const t = resolveTreeAt(ROOT, 0, lookup);
  assertEquals(paths(t), ["/", "/foo", "/foo/moved.txt"]);
  assertEquals(problems(t), [["/bar.txt", id(4), "parent_mismatch"]]);
  const moved = t.nodes[2]!;
  strictEqual(moved.entryId, id(4));
  strictEqual(moved.parentId, id(5));
});

Deno.test("tree: a folder listing the root is a cycle, not recursed", () => {
  const { lookup, calls } = lookupOf([
    [folder(ROOT, ROOT, [["sub", id(5)]]), 0],
    [folder(id(5), ROOT, [["back", ROOT], ["self", id(5)]]), 0],
  ]);
  const t = resolveTreeAt(ROOT, 0, lookup);
  assertEquals(paths(t), ["/", "/sub"]);
  assertEquals(problems(t), [["/sub/back", ROOT, "cycle"], ["/sub/self", id(5), "cycle"]]);
  assertEquals(calls, [ROOT, id(5)]);
});

Deno.test("tree: a folder under two names is listed twice, its content under the first only", () => {
  const { lookup } = lookupOf([
    [folder(ROOT, ROOT, [["b", id(5)], ["a", id(5)]]), 0],
    [folder(id(5), ROOT, [["x.txt", id(4)]]), 0],
    [file(id(4), id(5)), 0],
  ]);
  const t = resolveTreeAt(ROOT, 0, lookup);
  assertEquals(paths(t), ["/", "/a", "/a/x.txt", "/b"]);
  assertEquals(t.problems.map((p) => [p.name, p.problem, p.detail]), [[
    "b",
    "already_listed",
    "the same folder is also listed at /a; its content is shown there only",
  ]]);
  strictEqual(t.nodes[1]!.entryId, t.nodes[3]!.entryId);
});

Deno.test("tree: a file under two names is listed twice, with no problem", () => {
  const { lookup } = lookupOf([
    [folder(ROOT, ROOT, [["b.txt", id(4)], ["a.txt", id(4)]]), 0],
    [file(id(4), ROOT), 0],
  ]);
  const t = resolveTreeAt(ROOT, 0, lookup);
  assertEquals(paths(t), ["/", "/a.txt", "/b.txt"]);
  assertEquals(t.problems, []);
});

Deno.test("tree: folders listed twice at every level stay linear, deep chains do not overflow", () => {
  // 30 levels, each folder listing the next under two names: 2^30 paths if walked naively.
  const rows: [DecodedVersion, number][] = [[
    folder(ROOT, ROOT, [["a", id(100)], ["b", id(100)]]),
    0,
  ]];
  for (let i = 0; i < 30; i++) {
    rows.push([
      folder(id(100 + i), i === 0 ? ROOT : id(99 + i), [["a", id(101 + i)], ["b", id(101 + i)]]),
      0,
    ]);
  }
  rows.push([folder(id(130), id(129), []), 0]);
  const wide = resolveTreeAt(ROOT, 0, lookupOf(rows).lookup);
  strictEqual(wide.nodes.length, 1 + 2 * 31);
  strictEqual(wide.problems.length, 31);
  // A chain 5000 folders deep.
  const chain: [DecodedVersion, number][] = [[folder(ROOT, ROOT, [["d", id(1000)]]), 0]];
  for (let i = 0; i < 5000; i++) {
    const kids: [string, string][] = i < 4999 ? [["d", id(1001 + i)]] : [];
    chain.push([folder(id(1000 + i), i === 0 ? ROOT : id(999 + i), kids), 0]);
  }
  const deep = resolveTreeAt(ROOT, 0, lookupOf(chain).lookup);
  strictEqual(deep.nodes.length, 5001);
  strictEqual(deep.nodes.at(-1)!.names.length, 5000);
});

Deno.test("tree: unreadable child is listed as an error and not recursed", () => {
  const { lookup, calls } = lookupOf([
    [folder(ROOT, ROOT, [["dir", id(5)], ["file", id(4)]]), 0],
    [unreadable(id(5)), 0],
    [file(id(4), ROOT), 0],
    [file(id(9), id(5)), 0],
  ]);
  const t = resolveTreeAt(ROOT, 0, lookup);
  strictEqual(t.rootStatus, "ok");
  assertEquals(paths(t), ["/", "/dir", "/file"]);
  strictEqual(t.nodes[1]!.version.ok, false);
  strictEqual(t.nodes[1]!.parentId, ROOT);
  assertEquals(t.problems, []);
  ok(!calls.includes(id(9)));
});

Deno.test("tree: children in code-point order, depth first", () => {
  const names = ["b", "B", "a", "é", "e\u0301x", "Z", "_", "10", "9", "😀", "\uffff", "a.txt"];
  const { lookup } = lookupOf([
    [folder(ROOT, ROOT, names.map((n, i) => [n, id(16 + i)])), 0],
    ...names.map((_, i): [DecodedVersion, number] => [file(id(16 + i), ROOT), 0]),
  ]);
  const t = resolveTreeAt(ROOT, 0, lookup);
  assertEquals(t.nodes.slice(1).map((n) => n.names[0]), [
    "10",
    "9",
    "B",
    "Z",
    "_",
    "a",
    "a.txt",
    "b",
    "e\u0301x",
    "é",
    "\uffff",
    "😀", // U+1F600 after U+FFFF (UTF-16 code-unit order would put it first)
  ]);
  strictEqual(compareNames("a", "b"), -1);
  strictEqual(compareNames("b", "a"), 1);
  strictEqual(compareNames("a", "a"), 0);
  strictEqual(compareNames("a", "ab"), -1);
  strictEqual(compareNames("ab", "a"), 1);
  strictEqual(compareNames("\ue000", "\u{10000}"), -1);
  strictEqual(compareNames("\u{10000}", "\u{10001}"), -1);
  strictEqual(compareNames("x\u{1f600}b", "x\u{1f600}a"), 1);
  strictEqual(compareNames("\u{1f600}", "\u{1f600}"), 0);
  // Same as UTF-8 byte order.
  const sample = ["\uffff", "\u{1f600}", "\ue000", "z", "\u{10000}", "é", "a\u{1f600}", "a\uffff"];
  const byUtf8 = [...sample].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assertEquals([...sample].sort(compareNames), byUtf8);
});

// --- content ----------------------------------------------------------------------------------

function fileManifest(size: number, blocks: BlockAccess[]): FileManifest {
  return {
    type: "file_manifest",
    ...base(id(4), ROOT),
    size,
    blocksize: 8,
    blocks,
    origin: null,
  };
}

function access(n: number, offset: number, size: number): BlockAccess {
  return { id: id(n), offset, size, digest: new Uint8Array(32) };
}

function content(manifest: FileManifest, data: Map<string, Uint8Array>) {
  const problems: BlockProblem[] = [];
  const chunks = [...fileContentChunks(manifest, (a) => {
    const d = data.get(a.id);
    return d
      ? { ok: true, data: d }
      : { ok: false, problem: { code: "block_not_found", blockId: a.id, detail: "gone" } };
  }, problems)];
  return { bytes: concatBytes(...chunks), problems };
}

Deno.test("content: holes are zero-filled and trailing zeros reach `size`", () => {
  const m = fileManifest(24, [access(10, 2, 3), access(11, 8, 4), access(12, 16, 2)]);
  const { bytes, problems } = content(
    m,
    new Map([[id(10), utf8("abc")], [id(11), utf8("defg")], [id(12), utf8("hi")]]),
  );
  assertEquals(
    bytes,
    concatBytes(
      new Uint8Array(2),
      utf8("abc"),
      new Uint8Array(3),
      utf8("defg"),
      new Uint8Array(4),
      utf8("hi"),
      new Uint8Array(6),
    ),
  );
  strictEqual(bytes.length, 24);
  assertEquals(problems, []);
});

Deno.test("content: no blocks and size 1000 → 1000 zeros; large holes span several chunks", () => {
  assertEquals(content(fileManifest(1000, []), new Map()).bytes, new Uint8Array(1000));
  const big = 3 * 1024 * 1024 + 5;
  const { bytes } = content(
    fileManifest(big, [access(10, big - 1, 1)]),
    new Map([[id(10), utf8("z")]]),
  );
  strictEqual(bytes.length, big);
  strictEqual(bytes[big - 1], 0x7a);
  ok(bytes.subarray(0, big - 1).every((b) => b === 0));
});

Deno.test("content: a failing block is reported and its range zero-filled", () => {
  const m = fileManifest(14, [access(10, 0, 8), access(11, 8, 6)]);
  const { bytes, problems } = content(m, new Map([[id(11), utf8(" world")]]));
  assertEquals(bytes, concatBytes(new Uint8Array(8), utf8(" world")));
  assertEquals(problems, [{ code: "block_not_found", blockId: id(10), detail: "gone" }]);
});

Deno.test("content: `Hello v2 world` from two blocks (spec §9 sha256)", () => {
  const m = fileManifest(14, [access(10, 0, 8), access(11, 8, 6)]);
  const { bytes } = content(
    m,
    new Map([[id(10), utf8("Hello v2")], [id(11), utf8(" world")]]),
  );
  strictEqual(sha256Hex(bytes), "c72c5ab9df690b02bf94129a4f7dec639bf078dd8197d71589de57ba9c3b1108");
});

Deno.test("content: a block past `size` is truncated to it", () => {
  const m = fileManifest(5, [access(10, 0, 8)]);
  const { bytes } = content(m, new Map([[id(10), utf8("Hello v1")]]));
  assertEquals(bytes, utf8("Hello"));
});

Deno.test("content: empty file is empty (sha256 e3b0c442…b855)", () => {
  const { bytes, problems } = content(fileManifest(0, []), new Map());
  strictEqual(bytes.length, 0);
  assertEquals(problems, []);
  strictEqual(sha256Hex(bytes), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});
