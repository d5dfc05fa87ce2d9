/**
 * The reader against the decoded truth of the two real Parsec exports: keys obtained, every
 * manifest version's status and error code, and the tree with every file's SHA-256 at every
 * timestamp of the truth file, for every decryptor in truth/.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { createHash } from "node:crypto";
import { openRealm } from "../src/cli/session.ts";
import { fileContentChunks } from "../src/extract/content.ts";
import { pathText, resolveTreeAt } from "../src/extract/tree.ts";
import type { BlockProblem } from "../src/realm/decrypt_block.ts";
import type { Realm } from "../src/realm/realm.ts";
import {
  FIXTURES,
  fixtureTest,
  KEYS,
  SEQUESTERED,
  USER_KEYS,
  WORKSPACE_HISTORY,
} from "./helpers.ts";

interface TruthEntry {
  path: string;
  id: string;
  version: number;
  type: string;
  status: string;
  error?: string;
  sha256?: string;
  size?: number;
}
interface Truth {
  keys: { latest_key_index: number; obtained: number[]; missing: number[] };
  history: { sequential_id: number; status: string; error?: string; kind?: string }[];
  trees: {
    at_us: number;
    root_status: string;
    entries: TruthEntry[];
    problems: { path: string; problem: string }[];
  }[];
}

const CASES: { truth: string; exportPath: string; keyFiles: string[]; userKeys: string[] }[] = [
  {
    truth: "workspace_history_export.truth.json",
    exportPath: WORKSPACE_HISTORY,
    keyFiles: [],
    userKeys: [USER_KEYS.mallory],
  },
  {
    truth: "workspace_history_export.truth.json",
    exportPath: WORKSPACE_HISTORY,
    keyFiles: [],
    userKeys: [USER_KEYS.alice],
  },
  {
    truth: "workspace_history_export.truth.json",
    exportPath: WORKSPACE_HISTORY,
    keyFiles: [],
    userKeys: [USER_KEYS.bob],
  },
  {
    truth: "sequestered_export.alice.truth.json",
    exportPath: SEQUESTERED,
    keyFiles: [],
    userKeys: [USER_KEYS.alice],
  },
  {
    truth: "sequestered_export.alice.truth.json",
    exportPath: SEQUESTERED,
    keyFiles: [],
    userKeys: [USER_KEYS.bob],
  },
  {
    truth: "sequestered_export.sequester_service_1.truth.json",
    exportPath: SEQUESTERED,
    keyFiles: [`${KEYS}sequester_service_1.pkcs8.pem`],
    userKeys: [],
  },
  {
    truth: "sequestered_export.sequester_service_2.truth.json",
    exportPath: SEQUESTERED,
    keyFiles: [`${KEYS}sequester_service_2.pkcs8.pem`],
    userKeys: [],
  },
];

function contentSha256(realm: Realm, entry: { version: ReturnType<Realm["versionAt"]> }) {
  const v = entry.version!;
  if (!v.ok || v.manifest.type !== "file_manifest") throw new Error("not a readable file");
  const problems: BlockProblem[] = [];
  const hash = createHash("sha256");
  let size = 0;
  for (const chunk of fileContentChunks(v.manifest, (a) => realm.readBlock(a), problems)) {
    hash.update(chunk);
    size += chunk.length;
  }
  assertEquals(problems, []);
  return { sha256: hash.digest("hex"), size };
}

for (const c of CASES) {
  const who = c.userKeys.length > 0
    ? `user key ${Object.entries(USER_KEYS).find(([, v]) => v === c.userKeys[0])![0]}`
    : c.keyFiles[0]!.split("/").at(-1)!;
  fixtureTest(
    `${c.truth} with ${who}: keys, every version and every tree match the truth`,
    async () => {
      const truth: Truth = JSON.parse(await Deno.readTextFile(`${FIXTURES}truth/${c.truth}`));
      const realm = openRealm(c.exportPath, { keyFiles: c.keyFiles, userKeys: c.userKeys });
      try {
        assertEquals(realm.keys.latestKeyIndex, truth.keys.latest_key_index);
        assertEquals(realm.keys.obtained, truth.keys.obtained);
        assertEquals(realm.keys.missing, truth.keys.missing);

        const history = [...realm.exp.allVlobs()].map((row) => {
          const v = realm.versionAt(row.vlobId, row.timestamp)!;
          assertEquals(v.row.sequentialId, row.sequentialId);
          return {
            sequential_id: row.sequentialId,
            status: v.ok ? "ok" : "error",
            error: v.ok ? undefined : v.problem.code,
          };
        });
        assertEquals(
          history,
          truth.history.map((h) => ({
            sequential_id: h.sequential_id,
            status: h.status,
            error: h.error,
          })),
        );

        for (const t of truth.trees) {
          const tree = resolveTreeAt(realm.realmId, t.at_us, (id, at) => realm.versionAt(id, at));
          assertEquals(tree.rootStatus, t.root_status, `root status at ${t.at_us}`);
          const got = tree.nodes.map((n) => {
            const v = n.version;
            const base = { path: pathText(n.names), id: n.entryId, version: v.row.version };
            if (!v.ok) return { ...base, type: "unknown", status: "error", error: v.problem.code };
            if (v.manifest.type === "folder_manifest") {
              return { ...base, type: "folder", status: "ok" };
            }
            return { ...base, type: "file", status: "ok", ...contentSha256(realm, n) };
          });
          const want = t.entries.map((e) => {
            const base = { path: e.path, id: e.id, version: e.version };
            if (e.status !== "ok") {
              return { ...base, type: "unknown", status: "error", error: e.error };
            }
            if (e.type === "folder") {
              return { ...base, type: "folder", status: "ok" };
            }
            return { ...base, type: "file", status: "ok", sha256: e.sha256, size: e.size };
          });
          assertEquals(got, want, `tree at ${t.at_us}`);
          assertEquals(
            tree.problems.map((p) => ({
              path: pathText([...p.parentNames, p.name]),
              problem: p.problem,
            })),
            t.problems.map((p) => ({ path: p.path, problem: p.problem })),
          );
        }
      } finally {
        realm.exp.close();
      }
    },
  );
}
