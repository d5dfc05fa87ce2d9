/**
 * File-system-safe names for hostile entry names (spec §7: everything but `/`, NUL, `.`, `..` is
 * a legal entry name) and the raw SQLite header check.
 */
import { deepStrictEqual as assertEquals, ok, strictEqual } from "node:assert/strict";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { checkSqliteHeader } from "../src/export/sqlite_header.ts";
import { FolderNamer, safeFileName } from "../src/extract/safe_names.ts";
import { concatBytes, utf8 } from "../src/util/bytes.ts";
import { fixtureTest, WORKSPACE_HISTORY } from "./helpers.ts";

const bytes = (s: string) => new TextEncoder().encode(s).length;

Deno.test("safeFileName: ordinary names are unchanged", () => {
  for (
    const name of [
      "bar.txt",
      "foo",
      ".hidden",
      "a b",
      " leading",
      "é",
      "日本語.md",
      "CONSOLE",
      "AUXILIARY.txt",
      "COM10",
      "LPT",
      "x".repeat(255),
    ]
  ) {
    strictEqual(safeFileName(name), name);
  }
});

Deno.test("safeFileName: Windows device names get their first letter escaped", () => {
  const cases: [string, string][] = [
    ["CON", "%43ON"],
    ["con", "%63on"],
    ["aux.txt", "%61ux.txt"],
    ["NUL.", "%4EUL%2E"],
    ["nul", "%6Eul"],
    ["PRN.tar.gz", "%50RN.tar.gz"],
    ["COM1", "%43OM1"],
    ["com0.log", "%63om0.log"],
    ["COM¹", "%43OM¹"],
    ["LPT9.x", "%4CPT9.x"],
    ["lpt³", "%6Cpt³"],
    ["CON .txt", "%43ON .txt"],
    ["CON ", "%43ON%20"],
    ["Con..txt", "%43on..txt"],
  ];
  for (const [name, safe] of cases) strictEqual(safeFileName(name), safe, name);
});

Deno.test("safeFileName: reserved characters, `%` and control characters are percent-encoded", () => {
  const cases: [string, string][] = [
    ["a:b", "a%3Ab"],
    ["a\\b", "a%5Cb"],
    ['a*?"<>|', "a%2A%3F%22%3C%3E%7C"],
    ["a/b", "a%2Fb"],
    ["%", "%25"],
    ["50%.txt", "50%25.txt"],
    ["a%3Ab", "a%253Ab"],
    ["a\tb\nc\x7f", "a%09b%0Ac%7F"],
    ["\x01\x1f", "%01%1F"],
    ["\0", "%00"],
  ];
  for (const [name, safe] of cases) strictEqual(safeFileName(name), safe, JSON.stringify(name));
});

Deno.test("safeFileName: bidirectional controls (RTL override U+202E) are encoded", () => {
  strictEqual(safeFileName("\u202etxt.exe"), "%E2%80%AEtxt.exe");
  strictEqual(safeFileName("a\u200eb\u200fc"), "a%E2%80%8Eb%E2%80%8Fc");
  strictEqual(safeFileName("\u2066x\u2069"), "%E2%81%A6x%E2%81%A9");
  strictEqual(safeFileName("\u061c"), "%D8%9C");
});

Deno.test("safeFileName: trailing dots and spaces are encoded; `.`/`..`/empty never survive", () => {
  const cases: [string, string][] = [
    ["trailing.", "trailing%2E"],
    ["trailing ", "trailing%20"],
    ["a. . ", "a%2E%20%2E%20"],
    ["a.b.", "a.b%2E"],
    ["...", "%2E%2E%2E"],
    ["..", "%2E%2E"],
    [".", "%2E"],
    [" ", "%20"],
    ["", "%00"],
  ];
  for (const [name, safe] of cases) strictEqual(safeFileName(name), safe, JSON.stringify(name));
});

Deno.test("safeFileName: long names are cut to ≤ 255 UTF-8 bytes on a character boundary", () => {
  strictEqual(safeFileName("x".repeat(256)), "x".repeat(246) + "%E2%80%A6");
  strictEqual(safeFileName("é".repeat(128)), "é".repeat(123) + "%E2%80%A6");
  strictEqual(safeFileName("😀".repeat(70) + ".txt"), "😀".repeat(60) + "%E2%80%A6.txt");
  strictEqual(bytes(safeFileName("😀".repeat(70) + ".txt")), 253);
  // Escaping can make a legal 255-byte name longer: it is cut again.
  const colons = safeFileName(":".repeat(200));
  ok(bytes(colons) <= 255);
  ok(colons.startsWith("%3A%3A") && colons.endsWith("%E2%80%A6"));
  for (
    const name of [
      "日本".repeat(60),
      "é".repeat(127) + "a",
      "\u202e".repeat(85),
      "a".repeat(254) + ".",
    ]
  ) {
    ok(bytes(safeFileName(name)) <= 255, name);
  }
  strictEqual(safeFileName("é".repeat(127) + "a"), "é".repeat(127) + "a"); // exactly 255 bytes
});

Deno.test("FolderNamer: names differing only by case get `~<8 hex of id>`", () => {
  const namer = new FolderNamer();
  strictEqual(namer.nameFor("Readme.md", "f0000000000000000000000000000004"), "Readme.md");
  strictEqual(namer.nameFor("README.md", "f1000000000000000000000000000005"), "README~f1000000.md");
  strictEqual(namer.nameFor("readme.md", "f2000000000000000000000000000006"), "readme~f2000000.md");
  strictEqual(namer.nameFor("Makefile", "aa000000000000000000000000000001"), "Makefile");
  strictEqual(namer.nameFor("MAKEFILE", "bb000000000000000000000000000001"), "MAKEFILE~bb000000");
  strictEqual(namer.nameFor(".hidden", "cc000000000000000000000000000001"), ".hidden");
  strictEqual(namer.nameFor(".HIDDEN", "dd000000000000000000000000000001"), ".HIDDEN~dd000000");
});

Deno.test("FolderNamer: same id under three colliding spellings gets a counter", () => {
  const namer = new FolderNamer();
  const id = "ab12cd34000000000000000000000000";
  strictEqual(namer.nameFor("x.txt", id), "x.txt");
  strictEqual(namer.nameFor("X.txt", id), "X~ab12cd34.txt");
  strictEqual(namer.nameFor("X.TXT", id), "X~ab12cd34-2.TXT");
});

Deno.test("FolderNamer: escaped spellings never collide with their originals", () => {
  const namer = new FolderNamer();
  strictEqual(namer.nameFor("a:b", "f3000000000000000000000000000000"), "a%3Ab");
  strictEqual(namer.nameFor("a%3Ab", "f4000000000000000000000000000000"), "a%253Ab");
  strictEqual(namer.nameFor("CON", "f5000000000000000000000000000000"), "%43ON");
  strictEqual(namer.nameFor("%43ON", "f6000000000000000000000000000000"), "%2543ON");
  strictEqual(namer.nameFor("%43on", "f7000000000000000000000000000000"), "%2543on~f7000000");
});

Deno.test("FolderNamer: NFC and NFD spellings collide (macOS) and get a suffix", () => {
  const namer = new FolderNamer();
  strictEqual(namer.nameFor("caf\u00e9", "cc000000000000000000000000000000"), "caf\u00e9");
  strictEqual(
    namer.nameFor("cafe\u0301", "dd000000000000000000000000000000"),
    "cafe\u0301~dd000000",
  );
});

Deno.test("FolderNamer: long colliding names stay ≤ 255 bytes (and terminate)", () => {
  const namer = new FolderNamer();
  const long = "é".repeat(125) + ".txt"; // 254 bytes
  strictEqual(namer.nameFor(long, "aa000000000000000000000000000000"), long);
  const second = namer.nameFor(long.toUpperCase(), "bb000000000000000000000000000000");
  strictEqual(second, "É".repeat(116) + "%E2%80%A6~bb000000.TXT");
  ok(bytes(second) <= 255);
  // A long "extension" leaves no room for a stem: the suffix goes at the end instead
  // (this used to loop forever).
  const dotted = "abcdefghij." + "x".repeat(240);
  strictEqual(namer.nameFor(dotted, "cc000000000000000000000000000000"), dotted);
  const upper = namer.nameFor(dotted.toUpperCase(), "dd000000000000000000000000000000");
  strictEqual(upper, "ABCDEFGHIJ." + "X".repeat(226) + "%E2%80%A6~dd000000");
  strictEqual(bytes(upper), 255);
  // Multibyte names right at the limit.
  const emoji = "😀".repeat(63) + ".md"; // 255 bytes
  strictEqual(namer.nameFor(emoji, "ee000000000000000000000000000000"), emoji);
  const emoji2 = namer.nameFor("😀".repeat(63) + ".MD", "ff000000000000000000000000000000");
  strictEqual(emoji2, "😀".repeat(58) + "%E2%80%A6~ff000000.MD");
  ok(bytes(emoji2) <= 255);
});

// --- SQLite header ----------------------------------------------------------------------------

function header(
  opts: { pageSize?: number; pageCount?: number; changeCounter?: number; validFor?: number } = {},
) {
  const h = new Uint8Array(100);
  h.set(utf8("SQLite format 3\0"));
  const v = new DataView(h.buffer);
  v.setUint16(16, opts.pageSize ?? 4096);
  v.setUint32(24, opts.changeCounter ?? 7);
  v.setUint32(28, opts.pageCount ?? 3);
  v.setUint32(92, opts.validFor ?? 7);
  return h;
}

Deno.test("checkSqliteHeader: ok", () => {
  assertEquals(checkSqliteHeader(header(), 3 * 4096), {
    ok: true,
    pageSize: 4096,
    pageCount: 3,
    walMode: false,
  });
  // Page size 1 means 65536.
  assertEquals(checkSqliteHeader(header({ pageSize: 1, pageCount: 2 }), 2 * 65536), {
    ok: true,
    pageSize: 65536,
    pageCount: 2,
    walMode: false,
  });
  // A stale page count (change counter ≠ version-valid-for) is not trusted.
  assertEquals(checkSqliteHeader(header({ validFor: 6, pageCount: 10 }), 4096), {
    ok: true,
    pageSize: 4096,
    pageCount: 10,
    walMode: false,
  });
  // File format versions 2/2 (bytes 18, 19) mean WAL journal mode.
  const wal = header();
  wal[18] = 2;
  wal[19] = 2;
  strictEqual((checkSqliteHeader(wal, 3 * 4096) as { walMode: boolean }).walMode, true);
  // Extra bytes past the header are fine.
  strictEqual(checkSqliteHeader(concatBytes(header(), new Uint8Array(50)), 3 * 4096).ok, true);
});

Deno.test("checkSqliteHeader: not SQLite", () => {
  const notSqlite = { ok: false, reason: "not_sqlite", detail: "not an SQLite database" };
  assertEquals(checkSqliteHeader(new Uint8Array(100), 4096), notSqlite);
  assertEquals(checkSqliteHeader(utf8("SQLite format 3"), 4096), notSqlite);
  assertEquals(checkSqliteHeader(header().subarray(0, 99), 4096), notSqlite);
  const wrongMagic = header();
  wrongMagic[15] = 0x20;
  assertEquals(checkSqliteHeader(wrongMagic, 4096), notSqlite);
  assertEquals(checkSqliteHeader(utf8("PK\x03\x04" + " ".repeat(96)), 4096), notSqlite);
  assertEquals(checkSqliteHeader(header({ pageSize: 1000 }), 3000), {
    ok: false,
    reason: "not_sqlite",
    detail: "invalid page size 1000",
  });
  strictEqual(checkSqliteHeader(header({ pageSize: 256 }), 768).ok, false);
  strictEqual(checkSqliteHeader(header({ pageSize: 0 }), 0).ok, false);
});

Deno.test("checkSqliteHeader: truncated", () => {
  assertEquals(checkSqliteHeader(header(), 2 * 4096), {
    ok: false,
    reason: "truncated",
    detail: "file is truncated: 8192 bytes, header announces 12288",
  });
  assertEquals(checkSqliteHeader(header({ validFor: 6 }), 4096 + 100), {
    ok: false,
    reason: "truncated",
    detail: "file is truncated: 4196 bytes is not a whole number of 4096-byte pages",
  });
  strictEqual(checkSqliteHeader(header(), 3 * 4096 - 1).ok, false);
});

fixtureTest("checkSqliteHeader: the real export's header is ok; cut short it is truncated", () => {
  const fd = openSync(WORKSPACE_HISTORY, "r");
  const head = new Uint8Array(100);
  try {
    strictEqual(readSync(fd, head, 0, 100, 0), 100);
  } finally {
    closeSync(fd);
  }
  const size = statSync(WORKSPACE_HISTORY).size;
  const check = checkSqliteHeader(head, size);
  ok(check.ok);
  strictEqual(check.pageSize, 4096);
  strictEqual(check.pageCount * 4096, size);
  const cut = checkSqliteHeader(head, size - 4096);
  strictEqual(cut.ok, false);
  ok(!cut.ok && cut.reason === "truncated");
});
