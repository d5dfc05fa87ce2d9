/** `sequex extract`, `ls` and `info` end to end on the real exports, as an investigator runs them. */
import { deepStrictEqual as assertEquals, match, ok, strictEqual } from "node:assert/strict";
import { existsSync } from "node:fs";
import {
  fixtureTest,
  KEYS,
  runCli,
  SEQUESTERED,
  sha256OfFile,
  USER_KEYS,
  withTempDir,
  WORKSPACE_HISTORY,
} from "./helpers.ts";

const SHA_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix + e.name;
    if (e.isDirectory) out.push(rel + "/", ...await listFiles(`${dir}/${e.name}`, rel + "/"));
    else out.push(rel);
  }
  return out.sort();
}

fixtureTest(
  "extract workspace_history with mallory's key writes the final tree and report",
  async () => {
    await withTempDir(async (dir) => {
      const before = await sha256OfFile(WORKSPACE_HISTORY);
      const r = await runCli([
        "extract",
        WORKSPACE_HISTORY,
        "--user-key",
        USER_KEYS.mallory,
        "--out",
        `${dir}/case`,
      ]);
      strictEqual(r.code, 0, r.stderr);
      assertEquals(await listFiles(`${dir}/case`), [
        "SHA256SUMS",
        "files/",
        "files/bar2.txt",
        "files/foo2/",
        "files/foo2/egg2.txt",
        "manifest.json",
      ]);
      strictEqual(await Deno.readTextFile(`${dir}/case/files/bar2.txt`), "v2");
      strictEqual(await sha256OfFile(`${dir}/case/files/foo2/egg2.txt`), SHA_EMPTY);
      const stat = await Deno.stat(`${dir}/case/files/bar2.txt`);
      strictEqual(stat.mtime?.toISOString(), "2001-01-11T00:00:00.000Z");
      strictEqual(
        (await Deno.stat(`${dir}/case/files/foo2`)).mtime?.toISOString(),
        "2001-01-12T00:00:00.000Z",
      );

      const m = JSON.parse(await Deno.readTextFile(`${dir}/case/manifest.json`));
      strictEqual(m.schema, "sequex-manifest/1");
      strictEqual(m.tool.name, "sequex");
      strictEqual(m.export.file, "workspace_history_export.sqlite");
      strictEqual(m.export.size, 57344);
      strictEqual(m.export.sha256_before, before);
      strictEqual(m.export.sha256_after, before);
      strictEqual(m.export.workspace_name, "wksp1");
      strictEqual(m.export.realm_id, "f0000000000000000000000000000008");
      strictEqual(m.at, "2025-02-15T22:16:26.601990Z");
      ok(
        !JSON.stringify(m).includes(USER_KEYS.mallory),
        "the private key must not be in the report",
      );
      assertEquals(m.decryptors[0].user_id, "3a11031c001000000000000000000000");
      assertEquals(m.keys.obtained, [1]);
      const bar = m.entries.find((e: { path: string }) => e.path === "/bar2.txt");
      assertEquals(
        {
          output_path: bar.output_path,
          type: bar.type,
          entry_id: bar.entry_id,
          version: bar.version,
          upload_timestamp: bar.upload_timestamp,
          author: bar.author,
          size: bar.size,
          sha256: bar.sha256,
          status: bar.status,
        },
        {
          output_path: "files/bar2.txt",
          type: "file",
          entry_id: "f0000000000000000000000000000004",
          version: 4,
          upload_timestamp: "2001-01-11T00:00:00.000000Z",
          author: {
            device_id: "de10808c001000000000000000000000",
            device_label: "My bob@dev1 machine",
            user_id: "808c0010000000000000000000000000",
            email: "bob@example.com",
            name: "Boby McBobFace",
          },
          size: 2,
          sha256: await sha256OfFile(`${dir}/case/files/bar2.txt`),
          status: "ok",
        },
      );
      assertEquals(m.entries.map((e: { path: string }) => e.path), [
        "/",
        "/bar2.txt",
        "/foo2",
        "/foo2/egg2.txt",
      ]);
      assertEquals(m.summary, {
        folders: 2,
        files: 2,
        bytes: 2,
        unreadable: 0,
        partial: 0,
        write_failed: 0,
        problems: 0,
        skipped_children: 0,
      });
      assertEquals(await sha256OfFile(WORKSPACE_HISTORY), before);
      ok(!existsSync(`${WORKSPACE_HISTORY}-wal`) && !existsSync(`${WORKSPACE_HISTORY}-journal`));
    });
  },
);

fixtureTest(
  "extract at a past time gives that time's tree and lists children not yet uploaded",
  async () => {
    await withTempDir(async (dir) => {
      const r = await runCli([
        "extract",
        WORKSPACE_HISTORY,
        "--user-key",
        USER_KEYS.alice,
        "--out",
        dir,
        "--at",
        "2001-01-08T01:00:00Z",
      ]);
      strictEqual(r.code, 0, r.stderr);
      assertEquals(await listFiles(dir), [
        "SHA256SUMS",
        "files/",
        "files/bar.txt",
        "files/foo/",
        "manifest.json",
      ]);
      strictEqual(await Deno.readTextFile(`${dir}/files/bar.txt`), "Hello v2 world");
      const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
      assertEquals(
        m.skipped_children.map((p: { path: string; problem: string }) => [p.path, p.problem]),
        [["/foo/egg.txt", "not_found_at_time"], ["/foo/spam", "not_found_at_time"]],
      );
    });
  },
);

fixtureTest(
  "extract with Sequester Service 1 and no --at names key 3 and a time on 2000-01-20",
  async () => {
    await withTempDir(async (dir) => {
      const r = await runCli([
        "extract",
        SEQUESTERED,
        "--key",
        `${KEYS}sequester_service_1.pkcs8.pem`,
        "--out",
        `${dir}/case`,
      ]);
      strictEqual(r.code, 2);
      strictEqual(r.stdout, "");
      strictEqual(r.stderr.trim().split("\n").length, 1, r.stderr);
      match(r.stderr, /key index 3/);
      match(r.stderr, /--at 2000-01-20T23:59:59\.999999Z/);
      ok(!existsSync(`${dir}/case/manifest.json`));
    });
  },
);

fixtureTest(
  "extract with Sequester Service 1 on 2000-01-20 reports bar2.txt as key_unavailable",
  async () => {
    await withTempDir(async (dir) => {
      const r = await runCli([
        "extract",
        SEQUESTERED,
        "--key",
        `${KEYS}sequester_service_1.pkcs8.pem`,
        "--out",
        dir,
        "--at",
        "2000-01-20",
      ]);
      strictEqual(r.code, 0, r.stderr);
      assertEquals(await listFiles(dir), ["SHA256SUMS", "files/", "manifest.json"]);
      const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
      assertEquals(m.keys.obtained, [1, 2]);
      assertEquals(m.keys.missing, [3]);
      assertEquals(m.decryptors[0].service_label, "Sequester Service 1");
      assertEquals(m.decryptors[0].service_id, "00000000000000000000000000000001");
      assertEquals(
        m.problems.map((p: Record<string, unknown>) => [p.path, p.entry_id, p.version, p.code]),
        [["/bar2.txt", "f0000000000000000000000000000004", 3, "key_unavailable"]],
      );
      strictEqual(m.summary.unreadable, 1);
    });
  },
);

fixtureTest(
  "extract with Sequester Service 1 on 2000-01-16 writes bar2.txt = Hello v2",
  async () => {
    await withTempDir(async (dir) => {
      const r = await runCli([
        "extract",
        SEQUESTERED,
        "--key",
        `${KEYS}sequester_service_1.pkcs8.pem`,
        "--out",
        dir,
        "--at",
        "2000-01-16T00:00:00Z",
      ]);
      strictEqual(r.code, 0, r.stderr);
      strictEqual(await Deno.readTextFile(`${dir}/files/bar2.txt`), "Hello v2");
    });
  },
);

fixtureTest(
  "a service key and a user key combine; refusing a non-empty folder, --force replaces",
  async () => {
    await withTempDir(async (dir) => {
      const args = [
        "extract",
        SEQUESTERED,
        "--key",
        `${KEYS}sequester_service_1.pkcs8.pem`,
        "--user-key",
        USER_KEYS.bob,
        "--out",
        dir,
      ];
      strictEqual((await runCli(args)).code, 0);
      strictEqual(await Deno.readTextFile(`${dir}/files/bar3.txt`), "Hello v3");
      const again = await runCli(args);
      strictEqual(again.code, 2);
      match(again.stderr, /is not empty/);
      const forced = await runCli([...args, "--force", "--at", "2000-01-12"]);
      strictEqual(forced.code, 0, forced.stderr);
      assertEquals(await listFiles(dir), [
        "SHA256SUMS",
        "files/",
        "files/bar2.txt",
        "manifest.json",
      ]);
      const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
      assertEquals(m.decryptors.map((d: { kind: string }) => d.kind), [
        "sequester_service",
        "user",
      ]);
      assertEquals(m.keys.obtained, [1, 2, 3]);
    });
  },
);

fixtureTest("ls --json lists the tree at T with sizes, versions and authors", async () => {
  const r = await runCli([
    "ls",
    WORKSPACE_HISTORY,
    "--user-key",
    USER_KEYS.bob,
    "--at",
    "2001-01-09",
    "--json",
  ]);
  strictEqual(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assertEquals(
    j.entries.map((e: Record<string, unknown>) => [e.path, e.type, e.version, e.size]),
    [
      ["/", "folder", 3, null],
      ["/bar2.txt", "file", 2, 14],
      ["/foo2", "folder", 2, null],
      ["/foo2/egg.txt", "file", 1, 0],
      ["/foo2/spam", "folder", 1, null],
    ],
  );
  strictEqual(j.entries[1].author.email, "mallory@example.com");
});

fixtureTest("info --json reports counts, consistency, users and sequester services", async () => {
  const r = await runCli(["info", SEQUESTERED, "--json"]);
  strictEqual(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  strictEqual(j.export.organization_id, "Org1");
  strictEqual(j.export.realm_id, "f0000000000000000000000000000003");
  strictEqual(j.export.snapshot_timestamp, "2025-02-16T23:38:17.449003Z");
  strictEqual(j.consistency.vlobs_consistent, true);
  strictEqual(j.consistency.blocks_consistent, true);
  strictEqual(j.counts.vlob_atom, 6);
  strictEqual(j.counts.block, 3);
  assertEquals(
    j.users.map((u: { human_handle: { email: string } }) => u.human_handle.email),
    ["alice@example.com", "bob@example.com"],
  );
  assertEquals(
    j.sequester_services.map((s: Record<string, unknown>) => [s.label, s.created_on, s.revoked_on]),
    [
      ["Sequester Service 1", "2000-01-11T00:00:00.000000Z", "2000-01-16T00:00:00.000000Z"],
      ["Sequester Service 2", "2000-01-18T00:00:00.000000Z", null],
    ],
  );
  assertEquals(j.key_rotations.map((k: { key_index: number }) => k.key_index), [1, 2, 3]);
  assertEquals(j.history, {
    first_version: "2000-01-09T00:00:00.000000Z",
    last_version: "2000-01-21T00:00:00.000000Z",
  });
});

fixtureTest("info text names users by email in roles and rotations", async () => {
  const r = await runCli(["info", WORKSPACE_HISTORY]);
  strictEqual(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  ok(
    lines.includes(
      "  2001-01-06T00:00:00.000000Z  alice@example.com  access removed  by bob@example.com",
    ),
  );
  ok(lines.includes("  key 1  2001-01-01T00:00:01.000000Z  by alice@example.com"));
  ok(lines.includes("Complete      yes"));
});
