/**
 * `sequex timeline` on the real workspace_history export in the three formats: the body file read
 * back by a parser written from the Sleuth Kit layout (and by `mactime` when installed), JSON lines
 * with Timesketch's fields, CSV for spreadsheets; escaping of hostile names.
 */
import { deepStrictEqual as assertEquals, match, ok, strictEqual } from "node:assert/strict";
import { csvCell, escapeBodyfileName } from "../src/history/timeline_formats.ts";
import { parseBodyfile } from "./bodyfile_parser.ts";
import type { Scenario } from "../scripts/builder/scenario.ts";
import { withBuild } from "./builder/build_helpers.ts";
import {
  fixtureTest,
  HAS_FIXTURES,
  runCli,
  USER_KEYS,
  withTempDir,
  WORKSPACE_HISTORY,
} from "./helpers.ts";

const HAS_MACTIME = await new Deno.Command("mactime", {
  args: ["-h"],
  stdout: "null",
  stderr: "null",
})
  .output().then(() => true, () => false);
if (!HAS_MACTIME) {
  // deno-lint-ignore no-console
  console.warn("SKIP: mactime (Debian package sleuthkit) is not installed: mactime test skipped");
}

async function timeline(format: string): Promise<string> {
  const r = await runCli([
    "timeline",
    WORKSPACE_HISTORY,
    "--user-key",
    USER_KEYS.mallory,
    "--format",
    format,
  ]);
  strictEqual(r.code, 0, r.stderr);
  return r.stdout;
}

const S = (iso: string) => Date.parse(iso) / 1000;
const BOB = "Boby McBobFace <bob@example.com>";

Deno.test("body file names percent-encode | % \\ control and bidi characters, and parse back", () => {
  const name = "a|b\\c\nd\re\u0001f 100%41 rtl\u202etxt";
  strictEqual(escapeBodyfileName(name), "a%7Cb%5Cc%0Ad%0De%01f 100%2541 rtl%E2%80%AEtxt");
  const line = `0|${escapeBodyfileName(name)}|7|r/rrw-r--r--|0|0|3|0|1|0|1\n`;
  assertEquals(parseBodyfile(line)[0]!.name, name);
  assertEquals(parseBodyfile(line)[0]!.inode, "7");
});

Deno.test("CSV cells are quoted per RFC 4180 and formulas neutralized", () => {
  strictEqual(csvCell("plain"), "plain");
  strictEqual(csvCell('say "hi", ok'), '"say ""hi"", ok"');
  strictEqual(csvCell("two\nlines"), '"two\nlines"');
  strictEqual(csvCell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
  strictEqual(csvCell("-1"), "'-1");
  strictEqual(csvCell(-1), "-1");
  strictEqual(csvCell(null), "");
});

fixtureTest(
  "timeline bodyfile: every event parses; renames, deletion and versions exact",
  async () => {
    const records = parseBodyfile(await timeline("bodyfile"));
    strictEqual(records.length, 22);
    ok(records.every((r) => r.md5 === "0" && r.uid === 0 && r.gid === 0 && r.atime === 0));
    const bar = records.filter((r) => r.inode === "201");
    assertEquals(bar.map((r) => [r.name, r.size, r.mtime, r.ctime, r.crtime]), [
      [
        "/bar.txt (v1, by Alicey McAliceFace <alice@example.com>)",
        8,
        S("2001-01-03T01:00:00Z"),
        0,
        S("2001-01-03T01:00:00Z"),
      ],
      [
        "/bar.txt (v2, by Malloryy McMalloryFace <mallory@example.com>)",
        14,
        S("2001-01-07T00:00:00Z"),
        0,
        0,
      ],
      [`/bar2.txt (renamed from /bar.txt, by ${BOB})`, 0, 0, S("2001-01-09T00:00:00Z"), 0],
      [`/bar2.txt (v3, by ${BOB})`, 8, S("2001-01-10T00:00:00Z"), 0, 0],
      [`/bar2.txt (v4, by ${BOB})`, 2, S("2001-01-11T00:00:00Z"), 0, 0],
    ]);
    ok(bar.every((r) => r.mode === "r/rrw-r--r--"));
    const spam = records.filter((r) => r.inode === "207");
    assertEquals(spam.map((r) => [r.name, r.mode, r.mtime, r.ctime]), [
      [
        "/foo/spam (v1, by Malloryy McMalloryFace <mallory@example.com>)",
        "d/drwxr-xr-x",
        S("2001-01-08T03:00:00Z"),
        0,
      ],
      [`/foo2/spam (deleted, by ${BOB})`, "d/drwxr-xr-x", 0, S("2001-01-12T00:00:00Z")],
    ]);
    const realm = records.filter((r) => r.inode === "0").map((r) => [r.name, r.ctime]);
    assertEquals(realm, [
      [
        "[realm] role change by Alicey McAliceFace <alice@example.com> (alice@example.com: OWNER)",
        S("2001-01-01T00:00:00Z"),
      ],
      [
        "[realm] key rotation by Alicey McAliceFace <alice@example.com> (key index 1)",
        S("2001-01-01T00:00:01Z"),
      ],
      [
        "[realm] role change by Alicey McAliceFace <alice@example.com> (bob@example.com: OWNER)",
        S("2001-01-04T00:00:00Z"),
      ],
      [
        "[realm] role change by Alicey McAliceFace <alice@example.com> (mallory@example.com: CONTRIBUTOR)",
        S("2001-01-05T00:00:00Z"),
      ],
      [
        `[realm] role change by ${BOB} (alice@example.com: access removed)`,
        S("2001-01-06T00:00:00Z"),
      ],
      [`[realm] role change by ${BOB} (alice@example.com: READER)`, S("2001-01-30T00:00:00Z")],
    ]);
  },
);

Deno.test({
  name: "timeline bodyfile goes through Sleuth Kit's mactime",
  ignore: !HAS_MACTIME || !HAS_FIXTURES,
  fn: async () => {
    await withTempDir(async (dir) => {
      const args = ["timeline", WORKSPACE_HISTORY, "--user-key", USER_KEYS.bob, "--format"];
      const r = await runCli([...args, "bodyfile", "--out", `${dir}/t.body`]);
      strictEqual(r.code, 0, r.stderr);
      strictEqual(r.stdout, "");
      const out = await new Deno.Command("mactime", {
        args: ["-b", `${dir}/t.body`, "-d", "-y", "-z", "UTC", "1970-01-02..2100-01-01"],
        stdout: "piped",
        stderr: "piped",
      }).output();
      strictEqual(out.code, 0, new TextDecoder().decode(out.stderr));
      const lines = new TextDecoder().decode(out.stdout).trimEnd().split("\n");
      strictEqual(lines[0], "Date,Size,Type,Mode,UID,GID,Meta,File Name");
      strictEqual(lines.length, 1 + 22);
      ok(
        lines.includes(
          `2001-01-12T00:00:00Z,0,..c.,d/drwxr-xr-x,0,0,207,"/foo2/spam (deleted, by ${BOB})"`,
        ),
      );
      ok(
        lines.includes(
          `2001-01-11T00:00:00Z,2,m...,r/rrw-r--r--,0,0,201,"/bar2.txt (v4, by ${BOB})"`,
        ),
      );
      const again = await runCli([...args, "bodyfile", "--out", `${dir}/t.body`]);
      strictEqual(again.code, 2);
      match(again.stderr, /exists/);
    });
  },
});

fixtureTest(
  "timeline jsonl has Timesketch's message, datetime and timestamp_desc, in order",
  async () => {
    const lines = (await timeline("jsonl")).trimEnd().split("\n").map((l) => JSON.parse(l));
    strictEqual(lines.length, 22);
    for (const l of lines) {
      ok(typeof l.message === "string" && l.message.length > 0);
      match(l.datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      ok(typeof l.timestamp_desc === "string");
    }
    const times = lines.map((l) => l.timestamp as number);
    assertEquals(times, [...times].sort((a, b) => a - b));
    const del = lines.find((l) => l.event === "delete");
    assertEquals(
      [del.datetime, del.timestamp_desc, del.path, del.author_email, del.entry_id, del.message],
      [
        "2001-01-12T00:00:00.000000Z",
        "Deleted",
        "/foo2/spam",
        "bob@example.com",
        "f0000000000000000000000000000007",
        `delete /foo2/spam by ${BOB} (removed_from_parent by f0000000000000000000000000000005 v3)`,
      ],
    );
    assertEquals(
      lines.filter((l) => l.event === "rename").map((l) => [l.old_path, l.path, l.author_email]),
      [
        ["/bar.txt", "/bar2.txt", "bob@example.com"],
        ["/foo", "/foo2", "bob@example.com"],
        ["/foo2/egg.txt", "/foo2/egg2.txt", "bob@example.com"],
      ],
    );
    assertEquals(
      lines.filter((l) => l.entry_id === "f0000000000000000000000000000004").map((l) => [
        l.event,
        l.version,
        l.author_email,
      ]),
      [
        ["create", 1, "alice@example.com"],
        ["modify", 2, "mallory@example.com"],
        ["rename", null, "bob@example.com"],
        ["modify", 3, "bob@example.com"],
        ["modify", 4, "bob@example.com"],
      ],
    );
    assertEquals(
      lines.filter((l) => l.entry_id === null).map((l) => l.event),
      ["role_change", "key_rotation", "role_change", "role_change", "role_change", "role_change"],
    );
  },
);

/** Minimal RFC 4180 reader (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

fixtureTest("timeline csv: a header and one quoted row per event", async () => {
  const rows = parseCsv(await timeline("csv"));
  assertEquals(rows[0], [
    "datetime",
    "timestamp_us",
    "event",
    "path",
    "old_path",
    "entry_id",
    "inode",
    "type",
    "version",
    "size",
    "author_email",
    "author_name",
    "author_device_id",
    "detail",
    "message",
  ]);
  strictEqual(rows.length, 23);
  ok(rows.every((r) => r.length === 15));
  const folder = rows.find((r) => r[2] === "modify" && r[3] === "/foo2")!;
  assertEquals(folder.slice(0, 14), [
    "2001-01-12T00:00:00.000000Z",
    "979257600000000",
    "modify",
    "/foo2",
    "",
    "f0000000000000000000000000000005",
    "202",
    "folder",
    "3",
    "",
    "bob@example.com",
    "Boby McBobFace",
    "de10808c001000000000000000000000",
    "version 3, 1 children",
  ]);
});

fixtureTest("timeline refuses a missing or unknown --format", async () => {
  for (const extra of [[], ["--format", "xml"]]) {
    const r = await runCli(["timeline", WORKSPACE_HISTORY, "--user-key", USER_KEYS.bob, ...extra]);
    strictEqual(r.code, 2);
    match(r.stderr, /--format must be one of csv, bodyfile, jsonl/);
  }
});

Deno.test({
  name: "mactime reads back names holding | and % exactly",
  ignore: !HAS_MACTIME,
  fn: async () => {
    const scenario = {
      name: "pipes",
      users: [{ name: "alice" }],
      realm: { name: "pipes" },
      history: [
        { op: "resync", path: "/" },
        { op: "create_file", path: "/a|b.txt", content: "pipe" },
        { op: "create_file", path: "/100%41.txt", content: "percent" },
      ],
    } as unknown as Scenario;
    await withBuild(scenario, 1, async (built, dir) => {
      const r = await runCli([
        "timeline",
        built.exportPath,
        "--user-key-file",
        `${built.keysDir}/user-alice.key`,
        "--format",
        "bodyfile",
        "--out",
        `${dir}/t.body`,
      ]);
      strictEqual(r.code, 0, r.stderr);
      const out = await new Deno.Command("mactime", {
        args: ["-b", `${dir}/t.body`, "-d", "-z", "UTC", "1970-01-02..2100-01-01"],
        stdout: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      const names = [...text.matchAll(/"(\/[^"]*?) \(v1, by /g)].map((m) => m[1]).sort();
      assertEquals(names, ["/", "/100%41.txt", "/a|b.txt"]);
    }, "pipes");
  },
});
