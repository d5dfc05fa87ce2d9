/** Bad input ends in one clear line and exit code 2, never a stack trace, never a changed input. */
import {
  deepStrictEqual as assertEquals,
  doesNotMatch,
  match,
  strictEqual,
} from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
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

/** Asserts a one-line error on stderr matching `pattern`, exit code 2, nothing on stdout. */
function assertOneLineError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  strictEqual(r.code, 2, r.stderr);
  strictEqual(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  strictEqual(lines.length, 1, r.stderr);
  match(lines[0]!, /^sequex: /);
  match(lines[0]!, pattern);
  doesNotMatch(r.stderr, /\bat .*\.ts:\d+/);
}

Deno.test("a missing export file is one clear line", async () => {
  assertOneLineError(await runCli(["info", "/nonexistent/x.sqlite"]), /no such file/);
});

Deno.test("a file that is not SQLite is one clear line", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/x.sqlite`, "hello, this is not a database\n".repeat(200));
    assertOneLineError(await runCli(["info", `${dir}/x.sqlite`]), /not an SQLite database/);
  });
});

Deno.test("an SQLite file that is not an export is one clear line", async () => {
  await withTempDir(async (dir) => {
    const db = new DatabaseSync(`${dir}/other.sqlite`);
    db.exec("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hi');");
    db.close();
    assertOneLineError(await runCli(["info", `${dir}/other.sqlite`]), /not a Parsec realm export/);
    const db2 = new DatabaseSync(`${dir}/info.sqlite`);
    db2.exec("CREATE TABLE info (magic INTEGER, version INTEGER); INSERT INTO info VALUES (1, 1);");
    db2.close();
    assertOneLineError(
      await runCli(["info", `${dir}/info.sqlite`]),
      /no info row with magic 87948/,
    );
  });
});

fixtureTest("a truncated export is one clear line and the file is not modified", async () => {
  await withTempDir(async (dir) => {
    const data = await Deno.readFile(SEQUESTERED);
    await Deno.writeFile(`${dir}/t.sqlite`, data.subarray(0, 20000));
    const before = await sha256OfFile(`${dir}/t.sqlite`);
    assertOneLineError(await runCli(["info", `${dir}/t.sqlite`]), /truncated/);
    strictEqual(await sha256OfFile(`${dir}/t.sqlite`), before);
    await Deno.writeFile(`${dir}/t2.sqlite`, data.subarray(0, 16384));
    assertOneLineError(await runCli(["info", `${dir}/t2.sqlite`]), /truncated/);
  });
});

fixtureTest("another format version is one clear line", async () => {
  await withTempDir(async (dir) => {
    await Deno.copyFile(SEQUESTERED, `${dir}/v2.sqlite`);
    const db = new DatabaseSync(`${dir}/v2.sqlite`);
    db.exec("UPDATE info SET version = 2");
    db.close();
    assertOneLineError(
      await runCli(["info", `${dir}/v2.sqlite`]),
      /unsupported export format version 2/,
    );
  });
});

fixtureTest("an incomplete export opens and says what is missing", async () => {
  await withTempDir(async (dir) => {
    await Deno.copyFile(SEQUESTERED, `${dir}/inc.sqlite`);
    const db = new DatabaseSync(`${dir}/inc.sqlite`);
    db.exec(
      "UPDATE info SET blocks_data_export_done = 0; DELETE FROM block_data WHERE block = (SELECT min(block) FROM block_data)",
    );
    db.close();
    const before = await sha256OfFile(`${dir}/inc.sqlite`);
    const info = await runCli(["info", `${dir}/inc.sqlite`, "--json"]);
    strictEqual(info.code, 0, info.stderr);
    const j = JSON.parse(info.stdout);
    strictEqual(j.export.complete, false);
    assertEquals(j.export.missing, ["block data (blocks_data_export_done = 0)"]);
    strictEqual(j.consistency.blocks_without_data, 1);
    const r = await runCli([
      "extract",
      `${dir}/inc.sqlite`,
      "--user-key",
      USER_KEYS.alice,
      "--out",
      `${dir}/case`,
      "--at",
      "2000-01-10",
    ]);
    strictEqual(r.code, 0, r.stderr);
    match(r.stdout, /Incomplete export, missing: block data/);
    const m = JSON.parse(await Deno.readTextFile(`${dir}/case/manifest.json`));
    assertEquals(
      m.problems.map((p: Record<string, unknown>) => [p.path, p.code, p.block_id]),
      [["/bar.txt", "block_data_missing", "f0000000000000000000000000000005"]],
    );
    strictEqual(m.entries[1].status, "partial");
    strictEqual(m.export.complete, false);
    strictEqual(await sha256OfFile(`${dir}/inc.sqlite`), before);
  });
});

fixtureTest("keys that belong to nobody in the export are one clear line", async () => {
  assertOneLineError(
    await runCli(["ls", SEQUESTERED, "--key", `${KEYS}sequester_service_3.pkcs8.pem`]),
    /belongs to no sequester service of the export \(services: "Sequester Service 1", "Sequester Service 2"\)/,
  );
  assertOneLineError(
    await runCli(["ls", SEQUESTERED, "--user-key", "11".repeat(32)]),
    /belongs to no user of the export/,
  );
  assertOneLineError(
    await runCli(["ls", SEQUESTERED, "--key", `${KEYS}sequester_authority.public.pem`]),
    /expected an RSA private key, found a PEM "PUBLIC KEY"/,
  );
  assertOneLineError(
    await runCli(["ls", SEQUESTERED, "--key", "/nonexistent.pem"]),
    /no such file/,
  );
  assertOneLineError(await runCli(["ls", SEQUESTERED, "--user-key", "abc"]), /64 hex characters/);
});

fixtureTest("usage errors are one clear line", async () => {
  assertOneLineError(await runCli(["ls", SEQUESTERED]), /a decryptor is needed/);
  assertOneLineError(
    await runCli(["extract", SEQUESTERED, "--user-key", USER_KEYS.alice]),
    /--out/,
  );
  assertOneLineError(
    await runCli(["ls", SEQUESTERED, "--user-key", USER_KEYS.alice, "--at", "yesterday"]),
    /--at "yesterday" is not a time/,
  );
  assertOneLineError(
    await runCli(["ls", SEQUESTERED, "--bogus"]),
    /ls: unknown option --bogus \(see: sequex help\)/,
  );
  assertOneLineError(await runCli(["frobnicate"]), /unknown command "frobnicate"/);
});

fixtureTest(
  "a WAL-mode export is read from a private copy: nothing written beside it",
  async () => {
    await withTempDir(async (dir) => {
      await Deno.copyFile(WORKSPACE_HISTORY, `${dir}/wal.sqlite`);
      const db = new DatabaseSync(`${dir}/wal.sqlite`);
      db.exec("PRAGMA journal_mode = WAL");
      db.close();
      const before = await sha256OfFile(`${dir}/wal.sqlite`);
      const r = await runCli([
        "extract",
        `${dir}/wal.sqlite`,
        "--user-key",
        USER_KEYS.mallory,
        "--out",
        `${dir}/case`,
      ]);
      strictEqual(r.code, 0, r.stderr);
      assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["case", "wal.sqlite"]);
      strictEqual(await sha256OfFile(`${dir}/wal.sqlite`), before);
      const m = JSON.parse(await Deno.readTextFile(`${dir}/case/manifest.json`));
      match(m.export.working_copy, /WAL journal mode/);
      strictEqual(await Deno.readTextFile(`${dir}/case/files/bar2.txt`), "v2");
    });
  },
);

fixtureTest("a missing table or an out-of-range info value is one clear line", async () => {
  await withTempDir(async (dir) => {
    await Deno.copyFile(WORKSPACE_HISTORY, `${dir}/a.sqlite`);
    const a = new DatabaseSync(`${dir}/a.sqlite`);
    a.exec("DROP TABLE block_data");
    a.close();
    assertOneLineError(
      await runCli(["ls", `${dir}/a.sqlite`, "--user-key", USER_KEYS.mallory]),
      /invalid export: no table block_data/,
    );
    await Deno.copyFile(WORKSPACE_HISTORY, `${dir}/b.sqlite`);
    const b = new DatabaseSync(`${dir}/b.sqlite`);
    b.exec("UPDATE info SET snapshot_timestamp = 99999999999999999");
    b.close();
    assertOneLineError(
      await runCli(["info", `${dir}/b.sqlite`]),
      /invalid info row: snapshot_timestamp is not an integer within ±2\^53/,
    );
  });
});

fixtureTest("an output folder that cannot be created, or a link, is one clear line", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/plain-file`, "x");
    assertOneLineError(
      await runCli([
        "extract",
        WORKSPACE_HISTORY,
        "--user-key",
        USER_KEYS.mallory,
        "--out",
        `${dir}/plain-file/case`,
      ]),
      /Cannot use output ".*plain-file\/case": Not a directory/,
    );
    await Deno.mkdir(`${dir}/real`);
    await Deno.symlink(`${dir}/real`, `${dir}/link`);
    assertOneLineError(
      await runCli([
        "extract",
        WORKSPACE_HISTORY,
        "--user-key",
        USER_KEYS.mallory,
        "--out",
        `${dir}/link`,
      ]),
      /is a symbolic link/,
    );
    assertEquals([...Deno.readDirSync(`${dir}/real`)], []);
  });
});

fixtureTest("a user key can come from a file; given to --key it gets a pointed hint", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bob.key`, `${USER_KEYS.bob}\n`);
    const r = await runCli(["ls", SEQUESTERED, "--user-key-file", `${dir}/bob.key`, "--json"]);
    strictEqual(r.code, 0, r.stderr);
    assertEquals(
      JSON.parse(r.stdout).entries.map((e: { path: string }) => e.path),
      ["/", "/bar3.txt"],
    );
    assertOneLineError(
      await runCli(["ls", SEQUESTERED, "--key", `${dir}/bob.key`]),
      /this is a user's X25519 key \(64 hex characters\): pass it with --user-key-file$/,
    );
    await Deno.writeTextFile(`${dir}/short.key`, "abcd\n");
    assertOneLineError(
      await runCli(["ls", SEQUESTERED, "--user-key-file", `${dir}/short.key`]),
      /not a user key file \(64 hex characters/,
    );
  });
});

fixtureTest(
  "an export inside the output folder is refused, even with --force, and kept",
  async () => {
    await withTempDir(async (dir) => {
      await Deno.mkdir(`${dir}/case/files`, { recursive: true });
      await Deno.copyFile(WORKSPACE_HISTORY, `${dir}/case/files/ev.sqlite`);
      const before = await sha256OfFile(`${dir}/case/files/ev.sqlite`);
      assertOneLineError(
        await runCli([
          "extract",
          `${dir}/case/files/ev.sqlite`,
          "--user-key",
          USER_KEYS.mallory,
          "--out",
          `${dir}/case`,
          "--force",
        ]),
        /is inside the output folder/,
      );
      strictEqual(await sha256OfFile(`${dir}/case/files/ev.sqlite`), before);
    });
  },
);

fixtureTest(
  "a damaged block row or vlob id is one report entry, not the end of the run",
  async () => {
    await withTempDir(async (dir) => {
      await Deno.copyFile(WORKSPACE_HISTORY, `${dir}/d.sqlite`);
      const db = new DatabaseSync(`${dir}/d.sqlite`);
      // bar.txt v4 ("v2") is block f0…0d; its data stored as TEXT cannot be a BLOB.
      db.exec(
        "UPDATE block_data SET data = 'not a blob' WHERE block = " +
          "(SELECT sequential_id FROM block WHERE block_id = x'f000000000000000000000000000000d')",
      );
      db.exec("UPDATE vlob_atom SET vlob_id = x'0102' WHERE sequential_id = 206");
      db.close();
      const r = await runCli([
        "extract",
        `${dir}/d.sqlite`,
        "--user-key",
        USER_KEYS.mallory,
        "--out",
        `${dir}/case`,
        "--all-versions",
      ]);
      strictEqual(r.code, 0, r.stderr);
      const m = JSON.parse(await Deno.readTextFile(`${dir}/case/manifest.json`));
      assertEquals(
        m.problems.map((p: Record<string, unknown>) => [p.path, p.code, p.block_id]),
        [["/bar2.txt", "block_row_invalid", "f000000000000000000000000000000d"]],
      );
      const broken = m.history.entries.find((e: { entry_id: string }) => e.entry_id === "0102");
      strictEqual(broken.versions[0].error, "decryption_failed");
    });
  },
);
