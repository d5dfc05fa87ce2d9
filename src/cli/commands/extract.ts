/**
 * `sequex extract EXPORT --key KEY --out CASE_DIR [--at TIME] [--all-versions] [--force]`: the
 * tree at T into `CASE_DIR/files/`, with `--all-versions` every file version into
 * `CASE_DIR/versions/`, a `CASE_DIR/manifest.json` report and `CASE_DIR/SHA256SUMS`.
 */
import { basename, resolve, sep as SEP } from "node:path";
import { OutputError } from "../../errors.ts";
import { extractAllVersions } from "../../extract/extract_history.ts";
import { buildManifestReport } from "../../extract/manifest_report.ts";
import { formatSha256Sums, type HashedFile } from "../../extract/sha256sums.ts";
import { snapshotAt } from "../../extract/snapshot.ts";
import { writeSnapshot } from "../../extract/write_snapshot.ts";
import { sha256File } from "../../util/hash_file.ts";
import { sha256Hex } from "../../crypto/sha256.ts";
import { DECRYPTOR_OPTIONS, onePositional, parseAtOption, parseCommandArgs } from "../args.ts";
import { displaySafe, humanSize, plural } from "../display.ts";
import { printLine } from "../output.ts";
import { decryptorOptions, openRealm } from "../session.ts";
import { UsageError } from "../../errors.ts";

/** Files and folders sequex writes in a case folder (removed first by `--force`). */
const OUTPUTS = ["files", "versions", "manifest.json", "SHA256SUMS"];

/** Runs `extract`. */
export async function extractCommand(args: string[]): Promise<number> {
  const startedAt = Date.now() * 1000;
  const { values, positionals } = parseCommandArgs("extract", args, {
    ...DECRYPTOR_OPTIONS,
    out: { type: "string" },
    at: { type: "string" },
    force: { type: "boolean" },
    "all-versions": { type: "boolean" },
    threads: { type: "string" },
  });
  const path = onePositional("extract", positionals, "the export file");
  if (!values.out) throw new UsageError("extract: --out CASE_DIR is required");
  const atOption = parseAtOption(values.at);
  const caseDir = resolve(values.out);
  await checkCaseDir(caseDir, values.force ?? false);
  checkExportOutsideCaseDir(path, caseDir);

  const threads = parseThreads(values.threads);
  // Hashed before SQLite (or the working copy) touches it: the hash is of what was handed over.
  let sha256Before = await sha256File(path).catch(() => null);
  const realm = openRealm(path, decryptorOptions(values));
  try {
    await realm.useWorkerThreads(threads);
    sha256Before ??= await sha256File(path);
    const at = atOption ?? realm.exp.info.snapshotTimestamp;
    const tree = snapshotAt(realm, at);
    await prepareCaseDir(caseDir, values.force ?? false);
    const written = await writeSnapshot(realm, tree, caseDir);
    const history = values["all-versions"] ? await extractAllVersions(realm, caseDir, at) : null;
    const sha256After = await sha256File(path);
    const report = buildManifestReport(realm, tree, written, {
      command: ["extract", ...redactSecrets(args)],
      startedAt,
      finishedAt: Date.now() * 1000,
      exportFile: basename(path),
      exportSize: realm.exp.fileSize,
      sha256Before,
      sha256After,
    }, history?.section ?? null);
    const manifestText = JSON.stringify(report, null, 2) + "\n";
    await writeCaseFile(`${caseDir}/manifest.json`, manifestText);
    const sums: HashedFile[] = [
      ...written.flatMap((w) =>
        w.outputPath !== null && w.sha256 !== null ? [{ path: w.outputPath, sha256: w.sha256 }] : []
      ),
      ...history?.files ?? [],
      { path: "manifest.json", sha256: sha256Hex(new TextEncoder().encode(manifestText)) },
    ];
    await writeCaseFile(`${caseDir}/SHA256SUMS`, formatSha256Sums(sums));
    const s = report.summary;
    printLine(
      `Extracted "${displaySafe(realm.name ?? "(name unreadable)")}" at ${report.at}: ` +
        `${plural(s.files, "file")} (${humanSize(s.bytes)}), ${plural(s.folders, "folder")} into ${
          displaySafe(caseDir)
        }/files`,
    );
    if (tree.rootStatus === "not_found") {
      printLine("Note: the workspace has no history yet at this time (nothing to extract)");
    }
    if (at > realm.exp.info.snapshotTimestamp) {
      printLine(
        `Note: --at is after the export's snapshot (${report.export.snapshot_timestamp}); ` +
          "the export holds nothing newer",
      );
    }
    printLine(
      s.problems === 0
        ? "No problems."
        : `${plural(s.problems, "problem")} (${s.unreadable} unreadable, ${s.partial} partial): ` +
          "see manifest.json",
    );
    if (!report.export.complete) {
      printLine(`Incomplete export, missing: ${report.export.missing.join("; ")}`);
    }
    if (!report.export.unchanged) printLine("WARNING: the export file changed during extraction");
    if (history) {
      const h = history.section.summary;
      printLine(
        `All versions: ${h.file_versions_written} file versions (${
          humanSize(h.bytes)
        }) of ${h.entries} entries (${h.deleted} deleted, ${h.orphaned} orphaned) into ${
          displaySafe(caseDir)
        }/versions`,
      );
    }
    printLine(`Report: ${displaySafe(caseDir)}/manifest.json, checksums: SHA256SUMS`);
    return 0;
  } finally {
    realm.close();
  }
}

/** The export must not lie inside the case folder: `--force` would delete or overwrite it. */
function checkExportOutsideCaseDir(exportPath: string, caseDir: string): void {
  let real: string;
  let realCase: string;
  try {
    real = Deno.realPathSync(exportPath);
    realCase = Deno.realPathSync(caseDir);
  } catch {
    return; // no case folder yet (or no export: reported when it is opened)
  }
  if (real.startsWith(realCase + SEP)) {
    throw new OutputError(
      `The export "${exportPath}" is inside the output folder "${caseDir}": choose another folder`,
    );
  }
}

async function checkCaseDir(caseDir: string, force: boolean): Promise<void> {
  let entries: string[];
  try {
    const stat = await Deno.lstat(caseDir);
    if (stat.isSymlink) {
      throw new OutputError(
        `Output "${caseDir}" is a symbolic link: give the folder's real path (sequex never writes through links)`,
      );
    }
    if (!stat.isDirectory) {
      throw new OutputError(`Output "${caseDir}" exists and is not a folder`);
    }
    entries = [];
    for await (const e of Deno.readDir(caseDir)) entries.push(e.name);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e instanceof OutputError
      ? e
      : new OutputError(`Cannot use output "${caseDir}": ${(e as Error).message}`);
  }
  if (entries.length > 0 && !force) {
    throw new OutputError(
      `Output folder "${caseDir}" is not empty: choose an empty folder or pass --force to replace sequex's outputs in it`,
    );
  }
}

async function prepareCaseDir(caseDir: string, force: boolean): Promise<void> {
  const fail = (what: string) => (e: unknown) => {
    if (e instanceof Deno.errors.NotFound && what.startsWith("remove")) return;
    throw new OutputError(`Cannot ${what}: ${(e as Error).message}`);
  };
  await Deno.mkdir(caseDir, { recursive: true }).catch(fail(`create "${caseDir}"`));
  if (!force) return;
  for (const name of OUTPUTS) {
    await Deno.remove(`${caseDir}/${name}`, { recursive: true }).catch(
      fail(`remove the previous "${caseDir}/${name}"`),
    );
  }
}

/** Writes one report file of the case folder, never over an existing file. */
async function writeCaseFile(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text, { createNew: true }).catch((e) => {
    throw new OutputError(`Cannot write "${path}": ${(e as Error).message}`);
  });
}

/** `--threads N`: worker threads decrypting blocks (default 2; none on a single core). */
function parseThreads(text: string | undefined): number {
  if (text === undefined) {
    const cores = navigator.hardwareConcurrency ?? 1;
    return cores > 1 ? Math.min(2, cores) : 0;
  }
  if (!/^\d{1,2}$/.test(text)) {
    throw new UsageError(`extract: --threads "${text}" is not a number from 0 to 99`);
  }
  return Number(text);
}

/** The command line with secret values (user private keys) replaced. */
function redactSecrets(args: readonly string[]): string[] {
  return args.map((a, i) => {
    if (args[i - 1] === "--user-key") return "<redacted>";
    if (a.startsWith("--user-key=")) return "--user-key=<redacted>";
    return a;
  });
}
