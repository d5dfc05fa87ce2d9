/**
 * Every readable file version of every entry, once: written under `CASE_DIR/versions/<entry
 * id>/v<version>_<upload time>_<name at that version>`, or only hashed (`caseDir` `null`, for the
 * `history` command). Entries are read one at a time (their versions decoded again to get the
 * block lists), so memory stays bounded.
 */
import { resolve, sep } from "node:path";
import type { FileManifest } from "../codec/manifests.ts";
import type { BlockProblem } from "../realm/decrypt_block.ts";
import type { Realm } from "../realm/realm.ts";
import type { EntryHistory, HistoryIndex } from "../history/history_index.ts";
import { versionPaths } from "../history/entry_status.ts";
import { safeFileName } from "./safe_names.ts";
import { writeContent } from "./write_content.ts";
import { OutputError, SequexError } from "../errors.ts";

export const VERSIONS_DIR = "versions";

/** What was read (and written) for one readable file version. */
export interface VersionContent {
  readonly status: "ok" | "partial" | "write_failed";
  /** Relative to the case folder, `/`-separated; `null` when only hashed or not written. */
  readonly outputPath: string | null;
  readonly size: number | null;
  readonly sha256: string | null;
  readonly blockProblems: readonly BlockProblem[];
  readonly writeError: string | null;
}

/** Contents by `sequential_id` of the version. */
export type VersionContents = ReadonlyMap<number, VersionContent>;

/** `20010103T010000.000000Z`: an upload time that sorts and is safe in file names. */
export function compactTime(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ
  const micros = String(us - ms * 1000).padStart(3, "0");
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${
    iso.slice(17, 23)
  }${micros}Z`;
}

/** Digits used for version numbers in file names (at least 6, so names sort by version). */
function versionWidth(index: HistoryIndex): number {
  let max = 0;
  for (const v of index.ordered) max = Math.max(max, v.version);
  return Math.max(6, String(max).length);
}

/** The file name of one version: `v000004_20010111T000000.000000Z_bar2.txt`. */
export function versionFileName(
  version: number,
  timestamp: number,
  name: string | null,
  width: number,
): string {
  const prefix = `v${String(version).padStart(width, "0")}_${compactTime(timestamp)}_`;
  // The prefix has only safe characters, so this only escapes and shortens the name part.
  return safeFileName(prefix + (name ?? "unnamed"));
}

/**
 * Reads every readable file version of `entries` (all by default), writing it under
 * `caseDir/versions/` when `caseDir` is given.
 */
export async function readVersionContents(
  realm: Realm,
  index: HistoryIndex,
  caseDir: string | null,
  entries: Iterable<EntryHistory> = index.entries.values(),
): Promise<Map<number, VersionContent>> {
  const out = new Map<number, VersionContent>();
  const width = versionWidth(index);
  const base = caseDir === null ? null : resolve(caseDir, VERSIONS_DIR);
  if (base !== null) {
    await Deno.mkdir(base).catch((e) => {
      throw new OutputError(`Cannot create "${base}": ${(e as Error).message}`);
    });
  }
  for (const entry of entries) {
    const files = entry.versions.filter((v) => v.kind === "file");
    if (files.length === 0) continue;
    const names = versionPaths(entry);
    const decoded = new Map(realm.versionsOf(entry.entryId).map((d) => [d.row.sequentialId, d]));
    const dir = base === null ? null : resolve(base, entry.entryId);
    if (dir !== null) {
      try {
        Deno.mkdirSync(dir);
      } catch (e) {
        throw new OutputError(`Cannot create "${dir}": ${(e as Error).message}`);
      }
    }
    for (const [i, v] of entry.versions.entries()) {
      const d = decoded.get(v.seq);
      if (v.kind !== "file" || !d?.ok || d.manifest.type !== "file_manifest") continue;
      const fileName = versionFileName(v.version, v.timestamp, names[i]!.name, width);
      const rel = `${VERSIONS_DIR}/${entry.entryId}/${fileName}`;
      out.set(v.seq, await readOne(realm, d.manifest, dir, fileName, rel, v.timestamp));
    }
  }
  return out;
}

async function readOne(
  realm: Realm,
  manifest: FileManifest,
  dir: string | null,
  fileName: string,
  rel: string,
  timestamp: number,
): Promise<VersionContent> {
  const abs = dir === null ? null : resolve(dir, fileName);
  if (abs !== null && !abs.startsWith(dir + sep)) {
    throw new OutputError(`Refusing to write outside the output folder: ${abs}`);
  }
  try {
    const c = await writeContent(manifest, (a) => realm.readBlockAsync(a), abs, timestamp);
    return {
      status: c.blockProblems.length === 0 ? "ok" : "partial",
      outputPath: abs === null ? null : rel,
      size: c.size,
      sha256: c.sha256,
      blockProblems: c.blockProblems,
      writeError: null,
    };
  } catch (e) {
    if (e instanceof SequexError) throw e; // the export itself became unreadable: stop
    return {
      status: "write_failed",
      outputPath: null,
      size: null,
      sha256: null,
      blockProblems: [],
      writeError: (e as Error).message,
    };
  }
}
