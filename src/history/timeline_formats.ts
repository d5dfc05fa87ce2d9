/**
 * Timeline renderings, one line per event (pure):
 * - `bodyfile`: Sleuth Kit body file 3.x,
 *   `MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime`, times in whole seconds
 *   (0 = not set); in `name`, `\` `|` and control characters are escaped (`\\`, `\|`, `\n`, `\r`,
 *   `\xHH`);
 * - `jsonl`: one JSON object per line with Timesketch's `message`, `datetime`, `timestamp_desc`;
 * - `csv`: RFC 4180 (CRLF, quoted as needed); a cell starting with `=`, `+`, `-`, `@`, tab or CR
 *   gets a leading `'` so a spreadsheet never runs it as a formula.
 */
import type { AuthorInfo } from "../realm/realm.ts";
import { formatMicros } from "../util/time.ts";
import type { TimelineEvent, TimelineEventKind } from "./timeline_events.ts";
import { percentEncode } from "../util/percent.ts";

export type TimelineFormat = "csv" | "bodyfile" | "jsonl";
export const TIMELINE_FORMATS: readonly TimelineFormat[] = ["csv", "bodyfile", "jsonl"];

type Author = (deviceId: string) => AuthorInfo;

/** What each event means, as Timesketch's `timestamp_desc`. */
const TIMESTAMP_DESC: Readonly<Record<TimelineEventKind, string>> = {
  create: "Created (first version uploaded)",
  modify: "Modified (version uploaded)",
  rename: "Renamed",
  move: "Moved",
  delete: "Deleted",
  hidden: "No longer visible (not proven deleted)",
  restore: "Restored",
  link: "Linked under another name",
  unlink: "Name removed",
  key_rotation: "Realm key rotation",
  role_change: "Sharing changed",
  service_created: "Sequester service created",
  service_revoked: "Sequester service revoked",
};

/** Who did it, in words: `Name <email>`, else the device id. */
function authorText(deviceId: string | null, author: Author): string {
  if (deviceId === null) return "";
  const a = author(deviceId);
  if (a.email === null) return deviceId;
  return a.name ? `${a.name} <${a.email}>` : a.email;
}

/** A one-line description of the event. */
function eventMessage(e: TimelineEvent, author: Author): string {
  const who = e.author === null ? "" : ` by ${authorText(e.author, author)}`;
  const what = e.kind === "rename" || e.kind === "move"
    ? `${e.kind} ${e.oldPath} -> ${e.path}`
    : e.path !== null
    ? `${e.kind} ${e.path}`
    : e.kind.replace("_", " ");
  return `${what}${who}${e.detail ? ` (${e.detail})` : ""}`;
}

/** The header line of a format (`null` if it has none), with its line end. */
export function timelineHeader(format: TimelineFormat): string | null {
  if (format !== "csv") return null;
  return CSV_COLUMNS.join(",") + "\r\n";
}

/** One event as a line of `format`, with its line end. */
export function timelineLine(format: TimelineFormat, e: TimelineEvent, author: Author): string {
  switch (format) {
    case "bodyfile":
      return bodyfileLine(e, author);
    case "jsonl":
      return JSON.stringify(jsonlRecord(e, author)) + "\n";
    case "csv":
      return csvRow(e, author);
  }
}

// --- body file --------------------------------------------------------------------------------

/** Escapes a body file `name` as `mactime` reads it back: `%XX` for `%`, `|`, `\` and the like. */
export function escapeBodyfileName(name: string): string {
  return name.replace(BODYFILE_UNSAFE, percentEncode);
}

// `|` separates fields and `%XX` is decoded in every field by Sleuth Kit's `mactime`, so both are
// percent-encoded, with `\`, control characters, bidi controls and invisible characters.
const BODYFILE_UNSAFE =
  // deno-lint-ignore no-control-regex
  /[%|\\\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;

function bodyfileMode(e: TimelineEvent): string {
  if (e.entryType === "folder") return "d/drwxr-xr-x";
  if (e.entryType === "file") return "r/rrw-r--r--";
  return "-/----------";
}

function bodyfileName(e: TimelineEvent, author: Author): string {
  if (e.entryId === null) return `[realm] ${eventMessage(e, author)}`;
  const path = e.path ?? `[${e.entryId}]`;
  const who = e.author === null ? "" : `, by ${authorText(e.author, author)}`;
  switch (e.kind) {
    case "rename":
    case "move":
      return `${path} (${e.kind}d from ${e.oldPath}${who})`;
    case "delete":
      return `${path} (deleted${who})`;
    case "hidden":
      return `${path} (no longer visible: ${e.detail})`;
    case "create":
    case "modify":
      return e.entryType === "unknown"
        ? `${path} (v${e.version}${who}, ${e.detail})`
        : `${path} (v${e.version}${who})`;
    default:
      return `${path} (${e.kind}${who})`;
  }
}

function bodyfileLine(e: TimelineEvent, author: Author): string {
  const s = Math.floor(e.at / 1_000_000);
  const content = e.kind === "create" || e.kind === "modify";
  const mtime = content ? s : 0;
  const ctime = content ? 0 : s;
  const crtime = e.kind === "create" ? s : 0;
  return [
    "0",
    escapeBodyfileName(bodyfileName(e, author)),
    String(e.inode),
    bodyfileMode(e),
    "0",
    "0",
    String(e.size ?? 0),
    "0",
    String(mtime),
    String(ctime),
    String(crtime),
  ].join("|") + "\n";
}

// --- JSON lines -------------------------------------------------------------------------------

function jsonlRecord(e: TimelineEvent, author: Author) {
  const a = e.author === null ? null : author(e.author);
  return {
    message: eventMessage(e, author),
    datetime: formatMicros(e.at),
    timestamp: e.at,
    timestamp_desc: TIMESTAMP_DESC[e.kind],
    event: e.kind,
    path: e.path,
    old_path: e.oldPath,
    entry_id: e.entryId,
    inode: e.inode,
    entry_type: e.entryType,
    version: e.version,
    size: e.size,
    author_device_id: e.author,
    author_email: a?.email ?? null,
    author_name: a?.name ?? null,
    detail: e.detail,
  };
}

// --- CSV --------------------------------------------------------------------------------------

const CSV_COLUMNS = [
  "datetime",
  "timestamp_us",
  "event",
  "path",
  "old_path",
  "entry_id",
  "inode",
  "type",
  "version",
  "size",
  "author_email",
  "author_name",
  "author_device_id",
  "detail",
  "message",
];

/** One CSV cell: formula-neutralized, quoted when needed (RFC 4180). */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(e: TimelineEvent, author: Author): string {
  const r = jsonlRecord(e, author);
  return [
    r.datetime,
    r.timestamp,
    r.event,
    r.path,
    r.old_path,
    r.entry_id,
    r.inode,
    r.entry_type,
    r.version,
    r.size,
    r.author_email,
    r.author_name,
    r.author_device_id,
    r.detail,
    r.message,
  ].map(csvCell).join(",") + "\r\n";
}
