/**
 * `extract --all-versions` and `SHA256SUMS`: every file version of the truth written once with
 * its SHA-256, deleted entries flagged, `sha256sum -c` passing (also on escaped names).
 */
import { deepStrictEqual as assertEquals, ok, strictEqual } from "node:assert/strict";
import { formatSha256Sums, sha256SumsLine } from "../src/extract/sha256sums.ts";
import { compactTime, versionFileName } from "../src/extract/write_versions.ts";
import {
  FIXTURES,
  fixtureTest,
  runCli,
  sha256OfFile,
  USER_KEYS,
  withTempDir,
  WORKSPACE_HISTORY,
} from "./helpers.ts";

/** Whether GNU `sha256sum` can be run here. */
const HAS_SHA256SUM = await new Deno.Command("sha256sum", { args: ["--version"], stdout: "null" })
  .output().then((o) => o.success, () => false);

/** Runs `sha256sum -c SHA256SUMS` in `dir`; returns stdout, fails the test on a mismatch. */
async function sha256sumCheck(dir: string): Promise<string> {
  const out = await new Deno.Command("sha256sum", {
    args: ["-c", "--strict", "SHA256SUMS"],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  strictEqual(out.code, 0, text + new TextDecoder().decode(out.stderr));
  return text;
}

async function listFilesUnder(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix + e.name;
    if (e.isDirectory) out.push(...await listFilesUnder(`${dir}/${e.name}`, rel + "/"));
    else out.push(rel);
  }
  return out.sort();
}

Deno.test("version file names sort by version and show the upload time and name", () => {
  strictEqual(compactTime(979171200000000), "20010111T000000.000000Z");
  strictEqual(compactTime(978483600000123), "20010103T010000.000123Z");
  strictEqual(
    versionFileName(4, 979171200000000, "bar2.txt", 6),
    "v000004_20010111T000000.000000Z_bar2.txt",
  );
  strictEqual(versionFileName(1, 0, "a:b.", 6), "v000001_19700101T000000.000000Z_a%3Ab%2E");
  strictEqual(versionFileName(12, 0, null, 7), "v0000012_19700101T000000.000000Z_unnamed");
  const long = versionFileName(1, 0, "é".repeat(200), 6);
  ok(new TextEncoder().encode(long).length <= 255);
  ok(long.startsWith("v000001_19700101T000000.000000Z_éé"));
});

Deno.test("SHA256SUMS lines follow GNU escaping (\\ and newline) and sha256sum -c accepts them", async () => {
  const h = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  strictEqual(sha256SumsLine({ path: "files/a b.txt", sha256: h }), `${h}  files/a b.txt\n`);
  strictEqual(sha256SumsLine({ path: "back\\slash", sha256: h }), `\\${h}  back\\\\slash\n`);
  strictEqual(sha256SumsLine({ path: "new\nline", sha256: h }), `\\${h}  new\\nline\n`);
  if (!HAS_SHA256SUM) {
    // deno-lint-ignore no-console
    console.warn("SKIP: sha256sum is not installed: GNU check of escaped names skipped");
    return;
  }
  await withTempDir(async (dir) => {
    const names = ["back\\slash", "new\nline", "plain", "a  two spaces", " lead"];
    for (const n of names) await Deno.writeTextFile(`${dir}/${n}`, "");
    await Deno.writeTextFile(
      `${dir}/SHA256SUMS`,
      formatSha256Sums(names.map((path) => ({ path, sha256: h }))),
    );
    const out = await sha256sumCheck(dir);
    strictEqual(out.split("\n").filter((l) => l.endsWith(": OK")).length, names.length);
  });
});

async function extractWithMallory(dir: string, ...options: string[]): Promise<void> {
  const args = ["extract", WORKSPACE_HISTORY, "--user-key", USER_KEYS.mallory, "--out", dir];
  const r = await runCli([...args, ...options]);
  strictEqual(r.code, 0, r.stderr);
}

interface OracleTruth {
  history: { vlob_id: string; version: number; kind: string; timestamp_us: number }[];
  trees: { entries: { id: string; version: number; type: string; sha256?: string }[] }[];
}

fixtureTest(
  "extract --all-versions writes every file version of the truth once, with its SHA-256",
  async () => {
    const truth = JSON.parse(
      await Deno.readTextFile(`${FIXTURES}truth/workspace_history_export.truth.json`),
    ) as OracleTruth;
    const shaOf = new Map<string, string>();
    for (const t of truth.trees) {
      for (const e of t.entries) {
        if (e.type === "file" && e.sha256) shaOf.set(`${e.id} ${e.version}`, e.sha256);
      }
    }
    const fileVersions = truth.history.filter((h) => h.kind === "file");
    strictEqual(fileVersions.length, 5);
    await withTempDir(async (dir) => {
      await extractWithMallory(dir, "--all-versions");
      const versions = (await listFilesUnder(dir)).filter((p) => p.startsWith("versions/"));
      assertEquals(versions, [
        "versions/f0000000000000000000000000000004/v000001_20010103T010000.000000Z_bar.txt",
        "versions/f0000000000000000000000000000004/v000002_20010107T000000.000000Z_bar.txt",
        "versions/f0000000000000000000000000000004/v000003_20010110T000000.000000Z_bar2.txt",
        "versions/f0000000000000000000000000000004/v000004_20010111T000000.000000Z_bar2.txt",
        "versions/f0000000000000000000000000000006/v000001_20010108T020000.000000Z_egg.txt",
      ]);
      for (const h of fileVersions) {
        const mine = versions.filter((p) =>
          p.startsWith(`versions/${h.vlob_id}/v${String(h.version).padStart(6, "0")}_`)
        );
        strictEqual(mine.length, 1, `${h.vlob_id} v${h.version} written once`);
        const want = shaOf.get(`${h.vlob_id} ${h.version}`);
        ok(want, `truth has the content of ${h.vlob_id} v${h.version}`);
        strictEqual(await sha256OfFile(`${dir}/${mine[0]}`), want);
        const mtime = (await Deno.stat(`${dir}/${mine[0]}`)).mtime!.getTime();
        strictEqual(mtime, Math.floor(h.timestamp_us / 1000));
      }
      strictEqual(
        await Deno.readTextFile(
          `${dir}/versions/f0000000000000000000000000000004/v000002_20010107T000000.000000Z_bar.txt`,
        ),
        "Hello v2 world",
      );

      const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
      strictEqual(m.history.versions_dir, "versions");
      strictEqual(m.history.content_dedup, false);
      assertEquals(m.history.summary, {
        entries: 5,
        present: 4,
        deleted: 1,
        shadowed: 0,
        later: 0,
        orphaned: 0,
        unknown: 0,
        versions: 12,
        unreadable_versions: 0,
        file_versions_written: 5,
        bytes: 32,
      });
      const spam = m.history.entries.find((e: { entry_id: string }) =>
        e.entry_id === "f0000000000000000000000000000007"
      );
      assertEquals(
        [spam.status, spam.deleted.at, spam.deleted.by.email, spam.deleted.from_folder_path],
        ["deleted", "2001-01-12T00:00:00.000000Z", "bob@example.com", "/foo2"],
      );
      const bar = m.history.entries.find((e: { entry_id: string }) =>
        e.entry_id === "f0000000000000000000000000000004"
      );
      assertEquals(
        bar.versions.map((v: { output_path: string; name: string }) => v.name),
        ["bar.txt", "bar.txt", "bar2.txt", "bar2.txt"],
      );
      strictEqual(bar.versions[3].output_path, versions[3]);

      const sums = await Deno.readTextFile(`${dir}/SHA256SUMS`);
      assertEquals(
        sums.trimEnd().split("\n").map((l) => l.slice(66)),
        ["files/bar2.txt", "files/foo2/egg2.txt", ...versions, "manifest.json"],
      );
      if (HAS_SHA256SUM) await sha256sumCheck(dir);

      await extractWithMallory(dir, "--force");
      assertEquals(await listFilesUnder(dir), [
        "SHA256SUMS",
        "files/bar2.txt",
        "files/foo2/egg2.txt",
        "manifest.json",
      ]);
      strictEqual(JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`)).history, null);
    });
  },
);
