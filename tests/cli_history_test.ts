/** `sequex history` on the real workspace_history export: versions, authors, contents, names. */
import { deepStrictEqual as assertEquals, match, strictEqual } from "node:assert/strict";
import { fixtureTest, KEYS, runCli, SEQUESTERED, USER_KEYS, WORKSPACE_HISTORY } from "./helpers.ts";
import { PRESETS } from "../scripts/builder/presets.ts";
import { withBuild } from "./builder/build_helpers.ts";

const BAR = "f0000000000000000000000000000004";
const BOB = "bob@example.com";

async function historyJson(...args: string[]) {
  const r = await runCli(["history", WORKSPACE_HISTORY, "--user-key", USER_KEYS.mallory, ...args]);
  strictEqual(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

fixtureTest(
  "history of bar.txt: four versions, authors, contents and names over time",
  async () => {
    for (const selector of [["/bar.txt"], ["/bar2.txt"], ["--id", BAR]]) {
      const j = await historyJson(...selector, "--json");
      strictEqual(j.schema, "sequex-history/1");
      strictEqual(j.entries.length, 1);
      const e = j.entries[0];
      assertEquals([e.entry_id, e.inode, e.type, e.status, e.deleted], [
        BAR,
        201,
        "file",
        "present",
        null,
      ]);
      assertEquals(e.paths, [
        {
          from: "2001-01-03T03:00:00.000000Z",
          to: "2001-01-09T00:00:00.000000Z",
          path: "/bar.txt",
        },
        { from: "2001-01-09T00:00:00.000000Z", to: null, path: "/bar2.txt" },
      ]);
      assertEquals(
        e.versions.map((v: Record<string, unknown>) => [
          v.version,
          v.upload_timestamp,
          (v.author as { email: string }).email,
          v.size,
          v.sha256,
          v.name,
          v.path_at_upload,
          v.status,
        ]),
        [
          [
            1,
            "2001-01-03T01:00:00.000000Z",
            "alice@example.com",
            8,
            "cf1e620e252728cced23a12a60c0d5a9a6ce378cddfd1c2a1641203ce03c9435",
            "bar.txt",
            [],
            "ok",
          ],
          [
            2,
            "2001-01-07T00:00:00.000000Z",
            "mallory@example.com",
            14,
            "c72c5ab9df690b02bf94129a4f7dec639bf078dd8197d71589de57ba9c3b1108",
            "bar.txt",
            ["/bar.txt"],
            "ok",
          ],
          [
            3,
            "2001-01-10T00:00:00.000000Z",
            BOB,
            8,
            "53e428919818ac46f4e22dbc81e8d121f78e8e50425b0da238900d7705f53734",
            "bar2.txt",
            ["/bar2.txt"],
            "ok",
          ],
          [
            4,
            "2001-01-11T00:00:00.000000Z",
            BOB,
            2,
            "fb04dcb6970e4c3d1873de51fd5a50d7bb46b3383113602665c350ec40b5f990",
            "bar2.txt",
            ["/bar2.txt"],
            "ok",
          ],
        ],
      );
      assertEquals(e.versions[1].paths_while_visible, ["/bar.txt", "/bar2.txt"]);
    }
  },
);

fixtureTest(
  "history: the emptied folder spam was deleted on 2001-01-12 by bob from /foo2",
  async () => {
    const j = await historyJson("--json");
    const byId = new Map(j.entries.map((e: { entry_id: string }) => [e.entry_id, e]));
    const spam = byId.get("f0000000000000000000000000000007") as Record<string, unknown>;
    strictEqual(spam.status, "deleted");
    assertEquals(spam.deleted, {
      at: "2001-01-12T00:00:00.000000Z",
      cause: "removed_from_parent",
      last_path: "/foo2/spam",
      from_folder_id: "f0000000000000000000000000000005",
      from_folder_path: "/foo2",
      name: "spam",
      by: {
        device_id: "de10808c001000000000000000000000",
        device_label: "My bob@dev1 machine",
        user_id: "808c0010000000000000000000000000",
        email: BOB,
        name: "Boby McBobFace",
      },
      by_entry_id: "f0000000000000000000000000000005",
      by_version: 3,
    });
    assertEquals(
      (spam.paths as { path: string }[]).map((p) => p.path),
      ["/foo/spam", "/foo2/spam"],
    );
    assertEquals(
      j.entries.map((e: { entry_id: string; status: string }) => [e.entry_id.slice(-2), e.status]),
      [["08", "present"], ["04", "present"], ["05", "present"], ["06", "present"], [
        "07",
        "deleted",
      ]],
    );
    assertEquals(j.summary, {
      entries: 5,
      present: 4,
      deleted: 1,
      shadowed: 0,
      later: 0,
      orphaned: 0,
      unknown: 0,
      versions: 12,
      unreadable_versions: 0,
      file_versions_written: 0,
      bytes: 32,
    });
    const foo = byId.get("f0000000000000000000000000000005") as {
      versions: { children: unknown }[];
    };
    assertEquals(foo.versions.map((v) => v.children), [
      [],
      [
        { name: "egg.txt", entry_id: "f0000000000000000000000000000006" },
        { name: "spam", entry_id: "f0000000000000000000000000000007" },
      ],
      [{ name: "egg2.txt", entry_id: "f0000000000000000000000000000006" }],
    ]);
  },
);

fixtureTest("history at a past time: spam is present, later entries are 'later'", async () => {
  const j = await historyJson("--at", "2001-01-08T02:30:00Z", "--json");
  assertEquals(
    j.entries.map((e: { entry_id: string; status: string }) => [e.entry_id.slice(-2), e.status]),
    [["08", "present"], ["04", "present"], ["05", "present"], ["06", "present"], ["07", "later"]],
  );
});

fixtureTest("history text output and bad selections", async () => {
  const r = await runCli(["history", WORKSPACE_HISTORY, "--user-key", USER_KEYS.bob, "/foo/spam"]);
  strictEqual(r.code, 0, r.stderr);
  match(
    r.stdout,
    /deleted 2001-01-12T00:00:00\.000000Z by bob@example\.com \(removed_from_parent\): "spam" from \/foo2/,
  );
  const missing = await runCli([
    "history",
    WORKSPACE_HISTORY,
    "--user-key",
    USER_KEYS.bob,
    "/nope",
  ]);
  strictEqual(missing.code, 2);
  match(missing.stderr, /no entry ever had the path "\/nope"/);
  const both = await runCli([
    "history",
    WORKSPACE_HISTORY,
    "--user-key",
    USER_KEYS.bob,
    "/x",
    "--id",
    BAR,
  ]);
  strictEqual(both.code, 2);
});

fixtureTest("history with a key missing never claims a deletion it cannot see", async () => {
  const r = await runCli([
    "history",
    SEQUESTERED,
    "--key",
    `${KEYS}sequester_service_1.pkcs8.pem`,
    "--json",
  ]);
  strictEqual(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const bar = j.entries.find((e: { entry_id: string }) =>
    e.entry_id === "f0000000000000000000000000000004"
  );
  assertEquals([bar.status, bar.deleted, bar.not_visible.cause, bar.not_visible.at], [
    "unknown",
    null,
    "parent_unreadable",
    "2000-01-21T00:00:00.000000Z",
  ]);
  const t = await runCli([
    "timeline",
    SEQUESTERED,
    "--key",
    `${KEYS}sequester_service_1.pkcs8.pem`,
    "--format",
    "jsonl",
  ]);
  const events = t.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assertEquals(events.filter((e) => e.event === "delete"), []);
  assertEquals(
    events.filter((e) => e.event === "hidden").map((e) => [e.path, e.timestamp_desc]),
    [["/bar2.txt", "No longer visible (not proven deleted)"]],
  );
});

Deno.test("history on the hostile preset: a name collision shadows, it does not delete", async () => {
  await withBuild(PRESETS.hostile!({}), 3, async (built) => {
    const r = await runCli([
      "history",
      built.exportPath,
      "--user-key-file",
      `${built.keysDir}/user-alice.key`,
      "--json",
    ]);
    strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const shadowed = j.entries.filter((e: { status: string }) => e.status === "shadowed");
    strictEqual(shadowed.length, 1);
    strictEqual(shadowed[0].not_visible.cause, "name_collision");
    strictEqual(shadowed[0].deleted, null);
    strictEqual(j.summary.shadowed, 1);
  }, "hostile");
});

fixtureTest("history text heads each entry with its path at --at", async () => {
  const at = await runCli([
    "history",
    WORKSPACE_HISTORY,
    "--user-key",
    USER_KEYS.mallory,
    "/bar.txt",
    "--at",
    "2001-01-05",
  ]);
  strictEqual(at.code, 0, at.stderr);
  strictEqual(
    at.stdout.split("\n")[2],
    "/bar.txt  file  f0000000000000000000000000000004  present",
  );
  const now = await runCli([
    "history",
    WORKSPACE_HISTORY,
    "--user-key",
    USER_KEYS.mallory,
    "/bar.txt",
  ]);
  strictEqual(
    now.stdout.split("\n")[2],
    "/bar2.txt  file  f0000000000000000000000000000004  present",
  );
});
