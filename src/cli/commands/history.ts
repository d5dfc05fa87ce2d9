/**
 * `sequex history EXPORT --key KEY [PATH | --id ID] [--at TIME] [--json]`: every version of one
 * entry (or of all), with author, upload time, size, SHA-256, path at that time, and why a
 * version cannot be read; paths over time and deletion.
 */
import { UsageError } from "../../errors.ts";
import { readVersionContents } from "../../extract/write_versions.ts";
import type { EntryHistory, HistoryIndex } from "../../history/history_index.ts";
import { buildHistoryIndex } from "../../history/history_index.ts";
import { describeEntryHistory, historySummary } from "../../history/history_json.ts";
import { formatMicros } from "../../util/time.ts";
import { DECRYPTOR_OPTIONS, parseAtOption, parseCommandArgs } from "../args.ts";
import { displaySafe, humanSize } from "../display.ts";
import { printJson, printLine } from "../output.ts";
import { decryptorOptions, noteIfIncomplete, openRealm } from "../session.ts";

/** Runs `history`. */
export async function historyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("history", args, {
    ...DECRYPTOR_OPTIONS,
    id: { type: "string" },
    at: { type: "string" },
    json: { type: "boolean" },
  });
  if (positionals.length === 0) throw new UsageError("history: missing the export file");
  if (positionals.length > 2) {
    throw new UsageError(`history: unexpected argument "${positionals[2]}"`);
  }
  const [path, wanted] = positionals as [string, string | undefined];
  if (wanted !== undefined && values.id !== undefined) {
    throw new UsageError("history: give a PATH or --id, not both");
  }
  const atOption = parseAtOption(values.at);
  const realm = openRealm(path, decryptorOptions(values));
  noteIfIncomplete(realm);
  try {
    const at = atOption ?? realm.exp.info.snapshotTimestamp;
    const index = buildHistoryIndex(realm.realmId, realm.allVersions());
    const selected = selectEntries(index, wanted, values.id);
    const contents = await readVersionContents(realm, index, null, selected);
    const author = (id: string) => realm.author(id);
    const entries = selected.map((e) =>
      describeEntryHistory(e, at, author, contents, index.allReadable)
    );
    if (values.json) {
      printJson({
        schema: "sequex-history/1",
        at: formatMicros(at),
        at_us: at,
        workspace_name: realm.name,
        entries,
        summary: historySummary(index, at, contents),
      });
      return 0;
    }
    printLine(
      `Workspace "${displaySafe(realm.name ?? "(name unreadable)")}": history, status at ${
        formatMicros(at)
      }`,
    );
    for (const e of entries) printEntry(e, formatMicros(at));
    return 0;
  } finally {
    realm.close();
  }
}

/** Entries asked for: by path (any entry that ever had it), by id, or all. */
function selectEntries(
  index: HistoryIndex,
  path: string | undefined,
  id: string | undefined,
): EntryHistory[] {
  if (id !== undefined) {
    const entry = index.entries.get(id.replaceAll("-", "").toLowerCase());
    if (!entry) throw new UsageError(`history: no entry with id ${id} in this export`);
    return [entry];
  }
  if (path === undefined) return [...index.entries.values()];
  const wanted = normalizePath(path);
  const found = [...index.entries.values()].filter((e) => e.paths.some((p) => p.path === wanted));
  if (found.length === 0) {
    throw new UsageError(`history: no entry ever had the path "${displaySafe(wanted)}"`);
  }
  return found;
}

function normalizePath(path: string): string {
  const names = path.normalize("NFC").split("/").filter((n) => n !== "");
  return "/" + names.join("/");
}

/** Prints one entry, headed by its path at `atText` (else its last path). */
function printEntry(e: ReturnType<typeof describeEntryHistory>, atText: string): void {
  // Same-format RFC 3339 texts compare like the times they stand for.
  const covering = e.paths.find((p) => p.from <= atText && (p.to === null || p.to > atText));
  const current = (covering ?? e.paths.at(-1))?.path ?? "(never reachable)";
  printLine();
  printLine(`${displaySafe(current)}  ${e.type}  ${e.entry_id}  ${e.status}`);
  if (e.deleted) {
    const d = e.deleted;
    const by = d.by ? d.by.email ?? d.by.device_id : "unknown";
    printLine(
      `  deleted ${d.at} by ${displaySafe(by)} (${d.cause}): "${displaySafe(d.name ?? "")}" from ${
        displaySafe(d.from_folder_path ?? d.from_folder_id ?? "?")
      }`,
    );
  }
  if (e.not_visible) {
    const d = e.not_visible;
    printLine(
      `  not visible since ${d.at} (${d.cause}): "${displaySafe(d.name ?? "")}" in ${
        displaySafe(d.from_folder_path ?? d.from_folder_id ?? "?")
      }${e.status === "unknown" ? "; deleted or not cannot be told with these keys" : ""}`,
    );
  }
  for (const p of e.paths) {
    printLine(`  path ${p.from} → ${p.to ?? "now".padEnd(27)}  ${displaySafe(p.path)}`);
  }
  for (const v of e.versions) {
    const who = v.author.email ?? v.author.device_id;
    const what = v.error !== null
      ? `unreadable: ${v.error}${v.reason ? `/${v.reason}` : ""} (${v.detail})`
      : v.type === "folder"
      ? `${v.children?.length ?? 0} children`
      : `${humanSize(v.size ?? 0)}  sha256 ${v.sha256}${v.status === "ok" ? "" : ` [${v.status}]`}`;
    printLine(
      `  v${v.version}  ${v.upload_timestamp}  ${displaySafe(who)}  ${
        displaySafe(v.name ?? "(no name)")
      }  ${what}`,
    );
  }
}
