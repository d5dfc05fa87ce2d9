/**
 * Writes the tree at T into `CASE_DIR/files/`: folders, then each file streamed block by block,
 * hashed while written, with the version's upload time as modification time. Every path is
 * checked to stay inside the output folder; existing files are never overwritten or followed.
 */
import type { FileManifest } from "../codec/manifests.ts";
import type { BlockProblem } from "../realm/decrypt_block.ts";
import type { Realm } from "../realm/realm.ts";
import { setTime, writeContent } from "./write_content.ts";
import { FolderNamer } from "./safe_names.ts";
import type { TreeNode, TreeSnapshot } from "./tree.ts";
import { resolve, sep } from "node:path";
import { OutputError, SequexError } from "../errors.ts";

/** What was written for one tree node. */
export interface WrittenEntry {
  readonly node: TreeNode;
  /** Output path relative to the case folder, `/`-separated; `null` when nothing was written. */
  readonly outputPath: string | null;
  readonly status: "ok" | "partial" | "unreadable" | "write_failed";
  readonly size: number | null;
  readonly sha256: string | null;
  readonly blockProblems: readonly BlockProblem[];
  readonly writeError: string | null;
}

/** Writes `tree` under `caseDir/files`; returns one record per node, in tree order. */
export async function writeSnapshot(
  realm: Realm,
  tree: TreeSnapshot,
  caseDir: string,
  onProgress?: (written: WrittenEntry) => void,
): Promise<WrittenEntry[]> {
  const root = resolve(caseDir);
  const filesDir = resolve(root, "files");
  await Deno.mkdir(filesDir).catch((e) => {
    throw new OutputError(`Cannot create "${filesDir}": ${(e as Error).message}`);
  });
  const outputOf = new Map<string, string>(); // names path key → relative output path
  const namers = new Map<string, FolderNamer>();
  const folderTimes: { path: string; time: number }[] = [];
  const written: WrittenEntry[] = [];

  for (const node of tree.nodes) {
    const key = node.names.join("/");
    let rel: string;
    if (node.names.length === 0) {
      rel = "files";
    } else {
      const parentKey = node.names.slice(0, -1).join("/");
      const parentRel = outputOf.get(parentKey);
      if (parentRel === undefined) {
        const entry = failed(node, "its parent folder could not be written");
        written.push(entry);
        onProgress?.(entry);
        continue;
      }
      let namer = namers.get(parentKey);
      if (!namer) namers.set(parentKey, namer = new FolderNamer());
      rel = `${parentRel}/${namer.nameFor(node.names.at(-1)!, node.entryId)}`;
    }
    const abs = resolve(root, ...rel.split("/"));
    if (!abs.startsWith(filesDir + sep) && abs !== filesDir) {
      throw new OutputError(`Refusing to write outside the output folder: ${abs}`);
    }
    const entry = await writeNode(realm, node, rel, abs);
    if (entry.outputPath !== null) outputOf.set(key, rel);
    if (
      entry.status === "ok" && node.version.ok && node.version.manifest.type === "folder_manifest"
    ) {
      folderTimes.push({ path: abs, time: node.version.row.timestamp });
    }
    written.push(entry);
    onProgress?.(entry);
  }
  for (const { path, time } of folderTimes.reverse()) setTime(path, time);
  return written;
}

async function writeNode(
  realm: Realm,
  node: TreeNode,
  rel: string,
  abs: string,
): Promise<WrittenEntry> {
  const base = { node, blockProblems: [] as BlockProblem[], writeError: null };
  const v = node.version;
  if (!v.ok) {
    return { ...base, outputPath: null, status: "unreadable", size: null, sha256: null };
  }
  try {
    if (v.manifest.type === "folder_manifest") {
      if (node.names.length > 0) Deno.mkdirSync(abs);
      return { ...base, outputPath: rel, status: "ok", size: null, sha256: null };
    }
    return await writeFile(realm, node, v.manifest, rel, abs);
  } catch (e) {
    if (e instanceof SequexError) throw e; // the export itself became unreadable: stop
    return failed(node, (e as Error).message);
  }
}

function failed(node: TreeNode, writeError: string): WrittenEntry {
  return {
    node,
    outputPath: null,
    status: "write_failed",
    size: null,
    sha256: null,
    blockProblems: [],
    writeError,
  };
}

async function writeFile(
  realm: Realm,
  node: TreeNode,
  manifest: FileManifest,
  rel: string,
  abs: string,
): Promise<WrittenEntry> {
  const c = await writeContent(
    manifest,
    (a) => realm.readBlockAsync(a),
    abs,
    node.version.row.timestamp,
  );
  return {
    node,
    outputPath: rel,
    status: c.blockProblems.length === 0 ? "ok" : "partial",
    size: c.size,
    sha256: c.sha256,
    blockProblems: c.blockProblems,
    writeError: null,
  };
}
