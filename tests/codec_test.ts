/**
 * The codec layer: strict msgpack (spec §3.1), struct fields, format v0 framing, entry names
 * (§7) and file/folder manifest integrity rules (§5.5).
 */
import { deepStrictEqual as assertEquals, ok, strictEqual, throws } from "node:assert/strict";
import { constants, zstdCompressSync } from "node:zlib";
import { parseEntryName } from "../src/codec/entry_name.ts";
import { Fields, RecordError } from "../src/codec/fields.ts";
import { decodeFormatV0, decompressFormatV0, FormatError } from "../src/codec/format_v0.ts";
import { decodeManifest, IntegrityError } from "../src/codec/manifests.ts";
import {
  decodeMsgpack,
  MsgDateTime,
  MsgExt,
  MsgMap,
  MsgpackError,
  MsgUuid,
  type MsgValue,
} from "../src/codec/msgpack.ts";
import { concatBytes, fromHex, toHex } from "../src/util/bytes.ts";
import { dt, encodeMsgpack, orderedMap, struct, uuid } from "../src/codec/msgpack_encode.ts";
import { compressFormatV0, encodeFormatV0 } from "../src/codec/format_v0_encode.ts";
import { type BlockAccess, fileManifest, folderManifest } from "../scripts/builder/records.ts";

const dec = (hex: string): MsgValue => decodeMsgpack(fromHex(hex));

// --- msgpack ----------------------------------------------------------------------------------

Deno.test("msgpack: integers in every width", () => {
  strictEqual(dec("00"), 0);
  strictEqual(dec("7f"), 127);
  strictEqual(dec("e0"), -32);
  strictEqual(dec("ff"), -1);
  strictEqual(dec("ccff"), 255);
  strictEqual(dec("cd0100"), 256);
  strictEqual(dec("ceffffffff"), 4294967295);
  strictEqual(dec("cf001fffffffffffff"), Number.MAX_SAFE_INTEGER);
  strictEqual(dec("cf0020000000000000"), 2n ** 53n);
  strictEqual(dec("cfffffffffffffffff"), 2n ** 64n - 1n);
  strictEqual(dec("d080"), -128);
  strictEqual(dec("d18000"), -32768);
  strictEqual(dec("d280000000"), -2147483648);
  strictEqual(dec("d3ffe0000000000001"), Number.MIN_SAFE_INTEGER);
  strictEqual(dec("d38000000000000000"), -(2n ** 63n));
});

Deno.test("msgpack: nil, booleans, floats", () => {
  strictEqual(dec("c0"), null);
  strictEqual(dec("c2"), false);
  strictEqual(dec("c3"), true);
  strictEqual(dec("ca3fc00000"), 1.5);
  strictEqual(dec("cb400921fb54442d18"), Math.PI);
});

Deno.test("msgpack: strings (fixstr, str8, str16, str32) and UTF-8", () => {
  strictEqual(dec("a0"), "");
  strictEqual(dec("a3666f6f"), "foo");
  strictEqual(dec("d903626172"), "bar");
  strictEqual(dec("da0003626172"), "bar");
  strictEqual(dec("db00000003626172"), "bar");
  strictEqual(dec("a2c3a9"), "é");
  strictEqual(dec("a4f09f9880"), "😀");
});

Deno.test("msgpack: invalid UTF-8 in a string is an error", () => {
  throws(() => dec("a2c328"), MsgpackError); // bad continuation byte
  throws(() => dec("a1ff"), MsgpackError);
  throws(() => dec("a3eda080"), MsgpackError); // UTF-16 surrogate encoded in UTF-8
  throws(() => dec("a2c0af"), MsgpackError); // overlong "/"
  throws(() => dec("a1c3"), MsgpackError); // truncated sequence
});

Deno.test("msgpack: bin8/16/32 stay bytes", () => {
  assertEquals(dec("c400"), new Uint8Array(0));
  assertEquals(dec("c403010203"), new Uint8Array([1, 2, 3]));
  assertEquals(dec("c50002abcd"), new Uint8Array([0xab, 0xcd]));
  assertEquals(dec("c600000001ff"), new Uint8Array([0xff]));
});

Deno.test("msgpack: arrays and maps (fix, 16, 32), map order and duplicates kept", () => {
  assertEquals(dec("90"), []);
  assertEquals(dec("9301a1610c"), [1, "a", 12]);
  assertEquals(dec("dc00020102"), [1, 2]);
  assertEquals(dec("dd000000020102"), [1, 2]);
  assertEquals(dec("80"), new MsgMap([]));
  assertEquals(dec("82a16201a16102"), new MsgMap([["b", 1], ["a", 2]]));
  assertEquals(dec("de0001a16101"), new MsgMap([["a", 1]]));
  assertEquals(dec("df00000001a16101"), new MsgMap([["a", 1]]));
  // The decoder keeps duplicate keys; rejecting them is the struct layer's job.
  assertEquals(dec("82a16101a16102"), new MsgMap([["a", 1], ["a", 2]]));
  assertEquals(dec("810102"), new MsgMap([[1, 2]]));
});

Deno.test("msgpack: DateTime ext 1 → µs (spec §3.1 example and negative)", () => {
  const v = dec("d701000379d802fa8000");
  ok(v instanceof MsgDateTime);
  strictEqual(v.micros, 978393600000000); // 2001-01-02T00:00:00Z
  assertEquals(dec("d701ffffffffffffffff"), new MsgDateTime(-1));
  // ext8 with an explicit 8-byte length is the same DateTime.
  assertEquals(dec("c70801000379d802fa8000"), new MsgDateTime(978393600000000));
  throws(() => dec("d7017fffffffffffffff"), MsgpackError); // beyond Number.MAX_SAFE_INTEGER
  throws(() => dec("d7018000000000000000"), MsgpackError);
});

Deno.test("msgpack: UUID ext 2 → 32 hex", () => {
  const v = dec("d802a11cec00100000000000000000000000");
  ok(v instanceof MsgUuid);
  strictEqual(v.hex, "a11cec00100000000000000000000000");
  strictEqual(v.bytes.length, 16);
});

Deno.test("msgpack: DateTime / UUID ext with a wrong size are errors", () => {
  throws(() => dec("d60100000000"), MsgpackError); // DateTime in 4 bytes
  throws(() => dec("d80100000000000000000000000000000000"), MsgpackError); // DateTime in 16
  throws(() => dec("c70001"), MsgpackError); // DateTime ext8 of 0 bytes
  throws(() => dec("d7020000000000000000"), MsgpackError); // UUID in 8 bytes
  throws(() => dec("d40200"), MsgpackError); // UUID in 1 byte
  throws(() => dec("c711020000000000000000000000000000000000"), MsgpackError); // UUID in 17
});

Deno.test("msgpack: other ext types are kept as MsgExt (type may be negative)", () => {
  assertEquals(dec("d40501"), new MsgExt(5, new Uint8Array([1])));
  assertEquals(dec("d5ff0102"), new MsgExt(-1, new Uint8Array([1, 2])));
  assertEquals(dec("c703070a0b0c"), new MsgExt(7, new Uint8Array([10, 11, 12])));
  assertEquals(dec("c8000103ff"), new MsgExt(3, new Uint8Array([0xff])));
});

Deno.test("msgpack: reserved type byte 0xc1 is an error", () => {
  throws(() => dec("c1"), MsgpackError);
});

Deno.test("msgpack: trailing bytes after the value are an error", () => {
  throws(() => dec("0000"), MsgpackError);
  throws(() => dec("80c0"), MsgpackError);
  throws(() => dec("a161ff"), MsgpackError);
});

Deno.test("msgpack: truncated input in every family is an error", () => {
  for (
    const hex of [
      "",
      "cc",
      "cd01",
      "ce000000",
      "cf00000000000000",
      "d0",
      "d3000000000000",
      "ca0000",
      "cb00000000000000",
      "a3666f",
      "d9",
      "d90361",
      "da00",
      "db000000",
      "c4",
      "c40201",
      "c500",
      "c6000000",
      "92",
      "9201",
      "dc0001",
      "dd00000001",
      "81a161",
      "de0001a161",
      "df00000001",
      "d701000379d802fa80",
      "d802a11cec",
      "c7",
      "c70801",
      "d4",
    ]
  ) {
    throws(() => dec(hex), MsgpackError, `"${hex}"`);
  }
});

Deno.test("msgpack: huge announced lengths fail fast without allocating", () => {
  throws(() => dec("ddffffffff"), MsgpackError);
  throws(() => dec("dfffffffff"), MsgpackError);
  throws(() => dec("c6ffffffff"), MsgpackError);
  throws(() => dec("dbffffffff"), MsgpackError);
  throws(() => dec("c9ffffffff01"), MsgpackError);
});

Deno.test("msgpack: nesting limit is 64 levels below the top value", () => {
  const nested = (n: number) => fromHex("91".repeat(n) + "00");
  let v: MsgValue = decodeMsgpack(nested(64));
  for (let i = 0; i < 64; i++) {
    ok(Array.isArray(v) && v.length === 1);
    v = v[0]!;
  }
  strictEqual(v, 0);
  throws(() => decodeMsgpack(nested(65)), MsgpackError);
  throws(() => decodeMsgpack(fromHex("81a161".repeat(65) + "00")), MsgpackError);
  throws(() => decodeMsgpack(nested(100_000)), MsgpackError); // no stack overflow
});

Deno.test("msgpack: builder encoder output round-trips through the decoder", () => {
  const value = struct("x", [
    ["n", [0, 127, 128, 255, 256, 65535, 65536, -1, -33, -129, 2 ** 40]],
    ["s", "a".repeat(40)],
    ["b", new Uint8Array(300)],
    ["t", dt(978393600000000)],
    ["u", uuid(fromHex("f0000000000000000000000000000008"))],
    ["m", orderedMap([["z", null], ["a", true]])],
  ]);
  const bytes = encodeMsgpack(value);
  assertEquals(decodeMsgpack(bytes), value);
  strictEqual(toHex(encodeMsgpack(dt(978393600000000))), "d701000379d802fa8000");
});

// --- Fields -----------------------------------------------------------------------------------

const record = (entries: [string, MsgValue][]) => new MsgMap(entries);

Deno.test("Fields: typed accessors return values; unknown keys are ignored", () => {
  const f = Fields.of(
    record([
      ["type", "thing"],
      ["s", "hi"],
      ["n", 7],
      ["b", new Uint8Array(32)],
      ["u", new MsgUuid(fromHex("00000000000000000000000000000001"))],
      ["t", new MsgDateTime(5)],
      ["a", [1]],
      ["m", new MsgMap([])],
      ["nil", null],
      ["future_field", new MsgExt(9, new Uint8Array(0))],
    ]),
    "thing",
  );
  strictEqual(f.type, "thing");
  strictEqual(f.string("s"), "hi");
  strictEqual(f.uint("n"), 7);
  strictEqual(f.bytes("b", 32).length, 32);
  strictEqual(f.uuid("u"), "00000000000000000000000000000001");
  strictEqual(f.dateTime("t"), 5);
  assertEquals(f.array("a"), [1]);
  assertEquals(f.map("m"), new MsgMap([]));
  strictEqual(f.isNull("nil"), true);
  strictEqual(f.optionalString("nil"), null);
  strictEqual(f.optionalUuid("nil"), null);
  strictEqual(f.optionalString("s"), "hi");
  strictEqual(f.has("future_field"), true);
  strictEqual(f.has("absent"), false);
  strictEqual(f.oneOf("s", ["hi", "ho"]), "hi");
});

Deno.test("Fields: duplicate key is a RecordError", () => {
  throws(() => Fields.of(record([["type", "x"], ["a", 1], ["a", 1]])), RecordError);
  throws(() => Fields.of(record([["type", "x"], ["type", "x"]])), RecordError);
  throws(() => Fields.untagged(record([["id", 1], ["id", 2]])), RecordError);
});

Deno.test("Fields: missing key is a RecordError (also for optional-nil readers)", () => {
  const f = Fields.of(record([["type", "x"]]));
  throws(() => f.string("s"), RecordError);
  throws(() => f.uint("n"), RecordError);
  throws(() => f.isNull("n"), RecordError);
  throws(() => f.optionalUuid("u"), RecordError);
  throws(() => f.raw("r"), RecordError);
});

Deno.test("Fields: wrong types are RecordErrors", () => {
  const f = Fields.of(
    record([
      ["type", "x"],
      ["str", "1"],
      ["neg", -1],
      ["float", 1.5],
      ["big", 2n ** 60n],
      ["bin", new Uint8Array(31)],
      ["uuidAsBytes", new Uint8Array(16)],
      ["dtAsInt", 5],
    ]),
  );
  throws(() => f.uint("str"), RecordError);
  throws(() => f.uint("neg"), RecordError);
  throws(() => f.uint("float"), RecordError);
  throws(() => f.uint("big"), RecordError);
  throws(() => f.string("neg"), RecordError);
  throws(() => f.bytes("str"), RecordError);
  throws(() => f.bytes("bin", 32), RecordError);
  throws(() => f.uuid("uuidAsBytes"), RecordError);
  throws(() => f.dateTime("dtAsInt"), RecordError);
  throws(() => f.array("str"), RecordError);
  throws(() => f.map("str"), RecordError);
  throws(() => f.oneOf("str", ["2"]), RecordError);
  throws(() => f.optionalString("neg"), RecordError);
});

Deno.test("Fields: record shape — not a map, non-string key, missing or unexpected type tag", () => {
  throws(() => Fields.of([1, 2]), RecordError);
  throws(() => Fields.of(null), RecordError);
  throws(() => Fields.of(record([["a", 1]])), RecordError);
  throws(() => Fields.of(record([["type", 3]])), RecordError);
  throws(() => Fields.of(new MsgMap([["type", "x"], [1, 2]])), RecordError);
  throws(() => Fields.of(record([["type", "x"]]), "y"), RecordError);
  throws(() => Fields.of(record([["type", "x"]]), ["y", "z"]), RecordError);
  strictEqual(Fields.of(record([["type", "z"]]), ["y", "z"]).type, "z");
});

// --- format v0 --------------------------------------------------------------------------------

const MSGPACK_MAP = fromHex("81a474797065a178"); // {"type": "x"}

Deno.test("format v0: builder output is `00 28b52ffd 00 58` (no content size) and decodes", () => {
  const encoded = encodeFormatV0(struct("x", []));
  strictEqual(toHex(encoded.subarray(0, 7)), "0028b52ffd0058");
  assertEquals(decompressFormatV0(encoded), MSGPACK_MAP);
  assertEquals(decodeFormatV0(encoded), new MsgMap([["type", "x"]]));
});

Deno.test("format v0: a frame with a content size and a checksum also decodes", () => {
  const frame = zstdCompressSync(MSGPACK_MAP, {
    params: { [constants.ZSTD_c_contentSizeFlag]: 1, [constants.ZSTD_c_checksumFlag]: 1 },
  });
  assertEquals(decompressFormatV0(concatBytes(new Uint8Array([0]), frame)), MSGPACK_MAP);
});

Deno.test("format v0: two concatenated frames are one record", () => {
  const first = zstdCompressSync(MSGPACK_MAP.subarray(0, 3));
  const second = zstdCompressSync(MSGPACK_MAP.subarray(3));
  const data = concatBytes(new Uint8Array([0]), first, second);
  assertEquals(decompressFormatV0(data), MSGPACK_MAP);
  assertEquals(decodeFormatV0(data), new MsgMap([["type", "x"]]));
  // A large second frame with a checksum (several zstd blocks).
  const big = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
  const twice = concatBytes(
    new Uint8Array([0]),
    zstdCompressSync(big.subarray(0, 1000)),
    zstdCompressSync(big.subarray(1000), { params: { [constants.ZSTD_c_checksumFlag]: 1 } }),
  );
  assertEquals(decompressFormatV0(twice), big);
  // A skippable frame between them adds nothing.
  const skippable = fromHex("502a4d1803000000abcdef");
  assertEquals(
    decompressFormatV0(concatBytes(new Uint8Array([0]), first, skippable, second)),
    MSGPACK_MAP,
  );
});

Deno.test("format v0: wrong version byte, empty, garbage or truncated zstd are FormatErrors", () => {
  const good = compressFormatV0(MSGPACK_MAP);
  throws(() => decompressFormatV0(new Uint8Array(0)), FormatError);
  throws(() => decompressFormatV0(concatBytes(new Uint8Array([1]), good.subarray(1))), FormatError);
  throws(() => decompressFormatV0(new Uint8Array([0])), FormatError);
  throws(() => decompressFormatV0(fromHex("00deadbeefdeadbeefdeadbeef")), FormatError);
  throws(() => decompressFormatV0(good.subarray(0, good.length - 1)), FormatError);
  throws(() => decompressFormatV0(concatBytes(good, fromHex("00"))), FormatError);
  throws(() => decompressFormatV0(concatBytes(good, fromHex("28b52ffd"))), FormatError);
  throws(() => decompressFormatV0(concatBytes(good, fromHex("502a4d1804000000ab"))), FormatError);
  throws(() => decompressFormatV0(concatBytes(good, fromHex("28b52ffd0058"))), FormatError);
  const corrupt = good.slice();
  corrupt[corrupt.length - 1] = corrupt[corrupt.length - 1]! ^ 0xff;
  throws(() => decodeFormatV0(corrupt), FormatError);
});

Deno.test("format v0: bad msgpack inside is a FormatError", () => {
  throws(() => decodeFormatV0(compressFormatV0(fromHex("81a474797065"))), FormatError);
  throws(() => decodeFormatV0(compressFormatV0(fromHex("c0c0"))), FormatError);
  throws(() => decodeFormatV0(compressFormatV0(fromHex("a1ff"))), FormatError);
});

// --- entry names (§7) -------------------------------------------------------------------------

Deno.test("entry names: NFC normalization", () => {
  assertEquals(parseEntryName("e\u0301te\u0301.txt"), { name: "\u00e9t\u00e9.txt" });
  assertEquals(parseEntryName("\u00e9"), { name: "\u00e9" });
  // Legal oddities stay as they are.
  for (
    const name of ["CON", "aux.txt", "a:b", "trailing.", "trailing ", "a\tb\n", "\u202eabc", "..."]
  ) {
    assertEquals(parseEntryName(name), { name });
  }
});

Deno.test("entry names: `.`, `..`, empty, `/`, NUL are invalid", () => {
  for (const raw of [".", "..", "", "a/b", "/", "a\0b", "\0"]) {
    ok("invalid" in parseEntryName(raw), JSON.stringify(raw));
  }
});

Deno.test("entry names: 255 UTF-8 bytes after NFC are fine, 256 are not", () => {
  assertEquals(parseEntryName("a".repeat(255)), { name: "a".repeat(255) });
  ok("invalid" in parseEntryName("a".repeat(256)));
  const e127 = "\u00e9".repeat(127); // 254 bytes
  assertEquals(parseEntryName(e127 + "a"), { name: e127 + "a" });
  ok("invalid" in parseEntryName(e127 + "\u00e9")); // 256 bytes
  // NFD spelling is 381 bytes but only 255 once normalized.
  const nfd = "e\u0301".repeat(127) + "a";
  strictEqual(new TextEncoder().encode(nfd).length, 382);
  assertEquals(parseEntryName(nfd), { name: e127 + "a" });
  ok("invalid" in parseEntryName("😀".repeat(64))); // 256 bytes
  assertEquals(parseEntryName("😀".repeat(63) + "abc"), { name: "😀".repeat(63) + "abc" });
});

// --- manifests (§5.5) -------------------------------------------------------------------------

const ID = (last: number) => fromHex("f0" + "00".repeat(14) + last.toString(16).padStart(2, "0"));
const ROOT = ID(8);
const AUTHOR = fromHex("de10a11cec0010000000000000000000");
const HEAD = {
  author: AUTHOR,
  timestamp: 978393600000000,
  version: 1,
  created: 947289600000000,
  updated: 947289600000000,
};

function folder(
  children: [string, Uint8Array][],
  opts: { id?: Uint8Array; parent?: Uint8Array } = {},
) {
  return encodeFormatV0(
    folderManifest({ ...HEAD, id: opts.id ?? ROOT, parent: opts.parent ?? ROOT, children }),
  );
}

function block(id: number, offset: number, size: number): BlockAccess {
  return { id: ID(id), offset, size, digest: new Uint8Array(32).fill(id) };
}

function file(size: number, blocksize: number, blocks: BlockAccess[], parent = ROOT) {
  return encodeFormatV0(fileManifest({ ...HEAD, id: ID(4), parent, size, blocksize, blocks }));
}

Deno.test("manifest: a root folder decodes with its fields", () => {
  const m = decodeManifest(folder([["foo", ID(5)], ["bar.txt", ID(4)]]), { isRoot: true });
  assertEquals(m, {
    type: "folder_manifest",
    author: "de10a11cec0010000000000000000000",
    timestamp: 978393600000000,
    id: "f0000000000000000000000000000008",
    parent: "f0000000000000000000000000000008",
    version: 1,
    created: 947289600000000,
    updated: 947289600000000,
    children: new Map([
      ["foo", "f0000000000000000000000000000005"],
      ["bar.txt", "f0000000000000000000000000000004"],
    ]),
  });
});

Deno.test("manifest: children names are NFC; NFC+NFD collision → the later key wins", () => {
  const nfc = "caf\u00e9";
  const nfd = "cafe\u0301";
  let m = decodeManifest(folder([[nfd, ID(5)], [nfc, ID(6)]]), { isRoot: true });
  ok(m.type === "folder_manifest");
  assertEquals([...m.children], [[nfc, "f0000000000000000000000000000006"]]);
  assertEquals(m.shadowedChildren, [{ name: nfd, id: "f0000000000000000000000000000005" }]);
  m = decodeManifest(folder([[nfc, ID(6)], [nfd, ID(5)]]), { isRoot: true });
  ok(m.type === "folder_manifest");
  assertEquals([...m.children], [[nfc, "f0000000000000000000000000000005"]]);
  assertEquals(m.shadowedChildren, [{ name: nfc, id: "f0000000000000000000000000000006" }]);
  m = decodeManifest(folder([[nfc, ID(6)]]), { isRoot: true });
  ok(m.type === "folder_manifest" && !("shadowedChildren" in m));
});

Deno.test("manifest: an invalid child name invalidates the whole folder (RecordError)", () => {
  for (const bad of [".", "..", "", "a/b", "a\0", "x".repeat(256)]) {
    throws(
      () => decodeManifest(folder([["ok", ID(5)], [bad, ID(6)]]), { isRoot: true }),
      RecordError,
      JSON.stringify(bad),
    );
  }
  strictEqual(
    decodeManifest(folder([["x".repeat(255), ID(6)]]), { isRoot: true }).type,
    "folder_manifest",
  );
});

Deno.test("manifest: root must be a folder whose parent is itself; a child must not be", () => {
  throws(() => decodeManifest(folder([], { parent: ID(1) }), { isRoot: true }), IntegrityError);
  throws(
    () => decodeManifest(folder([], { id: ID(5), parent: ID(5) }), { isRoot: false }),
    IntegrityError,
  );
  throws(() => decodeManifest(file(0, 8, [], ID(4)), { isRoot: false }), IntegrityError);
  // A file as the root is a serialization (type) error.
  throws(() => decodeManifest(file(0, 8, []), { isRoot: true }), RecordError);
  strictEqual(
    decodeManifest(folder([], { id: ID(5), parent: ROOT }), { isRoot: false }).parent,
    "f0000000000000000000000000000008",
  );
});

Deno.test("manifest: a sparse file with valid blocks decodes", () => {
  const m = decodeManifest(file(30, 8, [block(10, 0, 8), block(11, 17, 3), block(12, 24, 6)]), {
    isRoot: false,
  });
  ok(m.type === "file_manifest");
  strictEqual(m.size, 30);
  strictEqual(m.blocksize, 8);
  strictEqual(m.origin, null);
  assertEquals(m.blocks.map((b) => [b.id, b.offset, b.size]), [
    ["f000000000000000000000000000000a", 0, 8],
    ["f000000000000000000000000000000b", 17, 3],
    ["f000000000000000000000000000000c", 24, 6],
  ]);
  // Blocks ending exactly at `size`, and no blocks at all with a size (all zeros).
  strictEqual(
    decodeManifest(file(8, 8, [block(10, 0, 8)]), { isRoot: false }).type,
    "file_manifest",
  );
  strictEqual(decodeManifest(file(1000, 512, []), { isRoot: false }).type, "file_manifest");
});

Deno.test("manifest: file integrity violations are IntegrityErrors", () => {
  const bad: [string, Uint8Array][] = [
    ["blocks out of order", file(24, 8, [block(10, 8, 8), block(11, 0, 8)])],
    ["overlapping blocks", file(24, 8, [block(10, 0, 8), block(11, 7, 1)])],
    ["two blocks in one span", file(24, 8, [block(10, 0, 2), block(11, 4, 2)])],
    ["block crossing a span", file(24, 8, [block(10, 4, 8)])],
    ["last block past size", file(15, 8, [block(10, 0, 8), block(11, 8, 8)])],
    ["blocksize below 8", file(8, 7, [block(10, 0, 7)])],
    ["blocksize 0", file(0, 0, [])],
    ["zero-size block", file(8, 8, [block(10, 0, 0)])],
  ];
  for (const [what, payload] of bad) {
    throws(() => decodeManifest(payload, { isRoot: false }), IntegrityError, what);
  }
});

Deno.test("manifest: wrong field types are RecordErrors; garbage is a FormatError", () => {
  const noChildren = encodeFormatV0(struct("folder_manifest", [
    ["author", uuid(AUTHOR)],
    ["timestamp", dt(1)],
    ["id", uuid(ROOT)],
    ["parent", uuid(ROOT)],
    ["version", 1],
    ["created", dt(1)],
    ["updated", dt(1)],
  ]));
  throws(() => decodeManifest(noChildren, { isRoot: true }), RecordError);
  const badChildId = encodeFormatV0(struct("folder_manifest", [
    ["author", uuid(AUTHOR)],
    ["timestamp", dt(1)],
    ["id", uuid(ROOT)],
    ["parent", uuid(ROOT)],
    ["version", 1],
    ["created", dt(1)],
    ["updated", dt(1)],
    ["children", orderedMap([["a", ID(5)]])], // bin instead of UUID
  ]));
  throws(() => decodeManifest(badChildId, { isRoot: true }), RecordError);
  throws(() => decodeManifest(fromHex("0100"), { isRoot: true }), FormatError);
  throws(
    () => decodeManifest(encodeFormatV0(struct("user_certificate", [])), { isRoot: false }),
    RecordError,
  );
});
