/** `sequex info EXPORT [--json]`: what an export holds, without any key. */
import { basename } from "node:path";
import { RealmExport } from "../../export/realm_export.ts";
import { buildTrust } from "../../trust/trust.ts";
import { describeExportInfo, describeTrust } from "../../extract/report_parts.ts";
import { formatMicros } from "../../util/time.ts";
import { onePositional, parseCommandArgs } from "../args.ts";
import { displaySafe, humanSize } from "../display.ts";
import { printJson, printLine } from "../output.ts";

/** Runs `info`. */
export function infoCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs("info", args, {
    json: { type: "boolean" },
  });
  const path = onePositional("info", positionals, "the export file");
  const exp = RealmExport.open(path);
  try {
    const report = infoReport(exp);
    if (values.json) printJson(report);
    else printInfo(report);
  } finally {
    exp.close();
  }
  return 0;
}

/** The `info --json` document. */
function infoReport(exp: RealmExport) {
  const stats = exp.statistics();
  const trust = buildTrust(exp);
  const info = exp.info;
  return {
    schema: "sequex-info/1",
    export: {
      file: basename(exp.path),
      size: exp.fileSize,
      working_copy: exp.workingCopyReason,
      ...describeExportInfo(info),
    },
    consistency: {
      vlobs_total_bytes: info.vlobsTotalBytes,
      vlob_atom_size_sum: stats.vlobAtomSizeSum,
      vlobs_consistent: info.vlobsTotalBytes === stats.vlobAtomSizeSum,
      blocks_total_bytes: info.blocksTotalBytes,
      block_size_sum: stats.blockSizeSum,
      blocks_consistent: info.blocksTotalBytes === stats.blockSizeSum,
      blocks_without_data: stats.blocksWithoutData,
    },
    counts: stats.rowCounts,
    history: {
      first_version: stats.firstVlobTimestamp === null
        ? null
        : formatMicros(stats.firstVlobTimestamp),
      last_version: stats.lastVlobTimestamp === null ? null : formatMicros(stats.lastVlobTimestamp),
    },
    ...describeTrust(trust),
  };
}

function printInfo(r: ReturnType<typeof infoReport>): void {
  const e = r.export;
  const c = r.consistency;
  printLine(`Export        ${displaySafe(e.file)} (${humanSize(e.size)})`);
  if (e.working_copy) printLine(`Note          ${e.working_copy}`);
  printLine(`Organization  ${displaySafe(e.organization_id)}`);
  printLine(`Realm         ${e.realm_id}`);
  printLine(`Snapshot      ${e.snapshot_timestamp}`);
  printLine(
    `Complete      ${e.complete ? "yes" : `NO, missing: ${e.missing.join("; ")}`}`,
  );
  printLine(
    `History       ${r.history.first_version ?? "-"} to ${r.history.last_version ?? "-"}, ` +
      `${r.counts.vlob_atom} manifest versions, ${r.counts.block} blocks`,
  );
  printLine(
    `Consistency   manifests ${c.vlob_atom_size_sum}/${c.vlobs_total_bytes} bytes ${
      c.vlobs_consistent ? "ok" : "MISMATCH"
    }, blocks ${c.block_size_sum}/${c.blocks_total_bytes} bytes ${
      c.blocks_consistent ? "ok" : "MISMATCH"
    }${c.blocks_without_data ? `, ${c.blocks_without_data} blocks without data` : ""}`,
  );
  printLine();
  printLine(`Users (${r.users.length})`);
  for (const u of r.users) {
    const who = u.human_handle
      ? `${displaySafe(u.human_handle.label)} <${displaySafe(u.human_handle.email)}>`
      : "(redacted)";
    printLine(
      `  ${u.user_id}  ${who}  ${u.profile}  created ${u.created_on}${
        u.revoked_on ? `  REVOKED ${u.revoked_on}` : ""
      }`,
    );
  }
  printLine(`Devices (${r.devices.length})`);
  for (const d of r.devices) {
    printLine(
      `  ${d.device_id}  user ${d.user_id}  "${
        displaySafe(d.device_label ?? "(redacted)")
      }"  ${d.purpose}  created ${d.created_on}`,
    );
  }
  if (r.sequester_authority) {
    printLine(`Sequester authority  created ${r.sequester_authority.created_on}`);
    for (const s of r.sequester_services) {
      printLine(
        `  service ${s.service_id}  "${displaySafe(s.label)}"  created ${s.created_on}${
          s.revoked_on ? `  revoked ${s.revoked_on}` : ""
        }`,
      );
    }
  } else {
    printLine("Sequester     not a sequestered organization");
  }
  // Ids shown with the email of their user, when the certificates give one.
  const emailOf = new Map(r.users.map((u) => [u.user_id, u.human_handle?.email]));
  const userText = (id: string) => displaySafe(emailOf.get(id) ?? id);
  const deviceText = (id: string) => {
    const user = r.devices.find((d) => d.device_id === id)?.user_id;
    return user ? userText(user) : id;
  };
  printLine(`Key rotations (${r.key_rotations.length})`);
  for (const k of r.key_rotations) {
    printLine(`  key ${k.key_index}  ${k.timestamp}  by ${deviceText(k.author)}`);
  }
  printLine(`Realm roles (${r.realm_roles.length})`);
  for (const k of r.realm_roles) {
    printLine(
      `  ${k.timestamp}  ${userText(k.user_id)}  ${k.role ?? "access removed"}  by ${
        deviceText(k.author)
      }`,
    );
  }
  if (r.certificate_problems.length > 0) {
    printLine(`Certificates NOT trusted (${r.certificate_problems.length})`);
    for (const p of r.certificate_problems) {
      printLine(`  ${p.table} #${p.row_id}: ${displaySafe(p.reason)}`);
    }
  }
}
