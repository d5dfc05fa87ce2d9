/** `sequex ls EXPORT --key KEY [--at TIME] [--json]`: the tree at T, without reading blocks. */
import { snapshotAt } from "../../extract/snapshot.ts";
import { describeTreeProblem, describeVersion } from "../../extract/report_parts.ts";
import { pathText, type TreeNode } from "../../extract/tree.ts";
import type { Realm } from "../../realm/realm.ts";
import { formatMicros } from "../../util/time.ts";
import { DECRYPTOR_OPTIONS, onePositional, parseAtOption, parseCommandArgs } from "../args.ts";
import { displaySafe } from "../display.ts";
import { printJson, printLine } from "../output.ts";
import { decryptorOptions, noteIfIncomplete, openRealm } from "../session.ts";

/** Runs `ls`. */
export function lsCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs("ls", args, {
    ...DECRYPTOR_OPTIONS,
    at: { type: "string" },
    json: { type: "boolean" },
  });
  const path = onePositional("ls", positionals, "the export file");
  const atOption = parseAtOption(values.at);
  const realm = openRealm(path, decryptorOptions(values));
  noteIfIncomplete(realm);
  try {
    const at = atOption ?? realm.exp.info.snapshotTimestamp;
    const tree = snapshotAt(realm, at);
    const entries = tree.nodes.map((n) => lsEntry(realm, n));
    if (values.json) {
      printJson({
        schema: "sequex-ls/1",
        at: formatMicros(at),
        at_us: at,
        root_status: tree.rootStatus,
        workspace_name: realm.name,
        entries,
        skipped_children: tree.problems.map(describeTreeProblem),
      });
      return 0;
    }
    printLine(
      `Workspace "${displaySafe(realm.name ?? "(name unreadable)")}" at ${formatMicros(at)}`,
    );
    if (tree.rootStatus === "not_found") {
      printLine("(the workspace has no history yet at this time)");
    }
    for (const e of entries) {
      const size = e.size === null ? "-" : String(e.size);
      const who = e.author.email ?? e.author.device_id;
      const status = e.status === "ok" ? "" : `  [${e.error}]`;
      printLine(
        `${e.type.padEnd(7)} ${size.padStart(12)}  v${
          String(e.version).padEnd(4)
        } ${e.upload_timestamp}  ${displaySafe(who)}  ${displaySafe(e.path)}${status}`,
      );
    }
    return 0;
  } finally {
    realm.close();
  }
}

function lsEntry(realm: Realm, n: TreeNode) {
  const v = n.version;
  const type = !v.ok ? "unknown" : v.manifest.type === "folder_manifest" ? "folder" : "file";
  return {
    path: pathText(n.names),
    type,
    ...describeVersion(realm, v),
    size: v.ok && v.manifest.type === "file_manifest" ? v.manifest.size : null,
    status: v.ok ? "ok" : "error",
    error: v.ok ? null : v.problem.code,
    detail: v.ok ? null : v.problem.detail,
  };
}
