/**
 * `extract --all-versions`: the history index, every readable file version written once under
 * `CASE_DIR/versions/`, and the manifest's `history` section (docs/manifest.md).
 */
import type { Realm } from "../realm/realm.ts";
import { buildHistoryIndex } from "../history/history_index.ts";
import { describeEntryHistory, historySummary } from "../history/history_json.ts";
import type { HashedFile } from "./sha256sums.ts";
import { readVersionContents, VERSIONS_DIR } from "./write_versions.ts";

/** The manifest's `history` section and the files written for it. */
export interface AllVersionsResult {
  readonly section: ReturnType<typeof historySection>;
  readonly files: readonly HashedFile[];
}

/** Reads the whole history and writes every readable file version under `caseDir/versions/`. */
export async function extractAllVersions(
  realm: Realm,
  caseDir: string,
  at: number,
): Promise<AllVersionsResult> {
  const index = buildHistoryIndex(realm.realmId, realm.allVersions());
  const contents = await readVersionContents(realm, index, caseDir);
  const files: HashedFile[] = [];
  for (const c of contents.values()) {
    if (c.outputPath !== null && c.sha256 !== null) {
      files.push({ path: c.outputPath, sha256: c.sha256 });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const author = (id: string) => realm.author(id);
  return { section: historySection(index, at, author, contents), files };
}

function historySection(
  index: ReturnType<typeof buildHistoryIndex>,
  at: number,
  author: Parameters<typeof describeEntryHistory>[2],
  contents: Awaited<ReturnType<typeof readVersionContents>>,
) {
  return {
    versions_dir: VERSIONS_DIR,
    content_dedup: false,
    entries: [...index.entries.values()].map((e) =>
      describeEntryHistory(e, at, author, contents, index.allReadable)
    ),
    summary: historySummary(index, at, contents),
  };
}
