/**
 * Paths over time, deletions and every version's content on builder-made histories with
 * thousands of renames, moves and deletions, against the builder's truth (computed from the
 * scenario by rebuilding the tree at every upload time).
 */
import { deepStrictEqual as assertEquals, ok, strictEqual } from "node:assert/strict";
import { openRealm } from "../src/cli/session.ts";
import { readVersionContents } from "../src/extract/write_versions.ts";
import { statusAt } from "../src/history/entry_status.ts";
import { buildHistoryIndex } from "../src/history/history_index.ts";
import { historyScenario } from "../scripts/builder/history_preset.ts";
import { computePathTruth } from "../scripts/builder/history_truth.ts";
import { withBuild } from "./builder/build_helpers.ts";

async function checkHistory(steps: number, opsSeed: number) {
  const scenario = historyScenario({ steps, opsSeed });
  const counts = { move: 0, delete: 0 };
  for (const op of scenario.history) {
    if (op.op === "move" || op.op === "delete") counts[op.op]++;
  }
  await withBuild(scenario, opsSeed, async (built) => {
    const truth = computePathTruth(built.plan);
    const realm = openRealm(built.exportPath, {
      keyFiles: [],
      userKeys: [Deno.readTextFileSync(`${built.keysDir}/user-alice.key`).trim()],
    });
    try {
      const started = performance.now();
      const index = buildHistoryIndex(realm.realmId, realm.allVersions());
      const indexMs = performance.now() - started;
      const snapshot = realm.exp.info.snapshotTimestamp;
      strictEqual(index.entries.size, truth.length);
      for (const t of truth) {
        const e = index.entries.get(t.id);
        ok(e, `entry ${t.id}`);
        assertEquals(
          e.paths.map((p) => ({ from_us: p.from, to_us: p.to, path: p.path })),
          t.paths,
          `paths of ${t.id}`,
        );
        const s = statusAt(e, snapshot, index.allReadable);
        strictEqual(s.status, t.status, `status of ${t.id}`);
        if (t.deleted) {
          const r = s.removal!;
          assertEquals(
            {
              at_us: r.at,
              by_device: r.by?.author,
              by_entry: r.by?.entryId,
              by_version: r.by?.version,
            },
            t.deleted,
            `deletion of ${t.id}`,
          );
        }
        assertEquals(
          e.versions.map((v) => ({ version: v.version, timestamp_us: v.timestamp, kind: v.kind })),
          t.versions.map(({ version, timestamp_us, kind }) => ({ version, timestamp_us, kind })),
        );
      }
      const contentStarted = performance.now();
      const contents = await readVersionContents(realm, index, null);
      const contentMs = performance.now() - contentStarted;
      const want = truth.flatMap((t) =>
        t.versions.filter((v) => v.kind === "file").map((v) => `${t.id} v${v.version} ${v.sha256}`)
      ).sort();
      const got = [...index.ordered].filter((v) => v.kind === "file").map((v) =>
        `${v.entryId} v${v.version} ${contents.get(v.seq)?.sha256}`
      ).sort();
      assertEquals(got, want);
      const statuses = truth.reduce(
        (m, t) => ({ ...m, [t.status]: (m[t.status] ?? 0) + 1 }),
        {} as Record<string, number>,
      );
      // deno-lint-ignore no-console
      console.log(
        `history steps=${steps}: ${index.ordered.length} versions, ${truth.length} entries ` +
          `(${
            JSON.stringify(statuses)
          }), ${counts.move} moves/renames, ${counts.delete} deletions; ` +
          `index ${indexMs.toFixed(0)} ms (${index.resolutions} tree resolutions), ` +
          `contents ${contentMs.toFixed(0)} ms`,
      );
      ok((statuses.deleted ?? 0) > 0);
    } finally {
      realm.close();
    }
  }, "history");
}

Deno.test("builder history (300 random ops): paths, deletions, versions match the truth", async () => {
  await checkHistory(300, 3);
});

Deno.test("builder history (3000 random ops): paths, deletions, versions match the truth", async () => {
  await checkHistory(3000, 1);
});
