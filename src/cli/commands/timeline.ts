/**
 * `sequex timeline EXPORT --key KEY --format csv|bodyfile|jsonl [--out FILE]`: every event of the
 * realm in time order, for spreadsheets, Sleuth Kit's `mactime`/plaso, or Timesketch.
 */
import { OutputError, UsageError } from "../../errors.ts";
import { buildHistoryIndex } from "../../history/history_index.ts";
import { buildTimeline } from "../../history/timeline_events.ts";
import {
  TIMELINE_FORMATS,
  type TimelineFormat,
  timelineHeader,
  timelineLine,
} from "../../history/timeline_formats.ts";
import { DECRYPTOR_OPTIONS, onePositional, parseCommandArgs } from "../args.ts";
import { decryptorOptions, noteIfIncomplete, openRealm } from "../session.ts";

/** Runs `timeline`. */
export function timelineCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs("timeline", args, {
    ...DECRYPTOR_OPTIONS,
    format: { type: "string" },
    out: { type: "string" },
  });
  const path = onePositional("timeline", positionals, "the export file");
  const format = values.format as TimelineFormat | undefined;
  if (format === undefined || !TIMELINE_FORMATS.includes(format)) {
    throw new UsageError(`timeline: --format must be one of ${TIMELINE_FORMATS.join(", ")}`);
  }
  const realm = openRealm(path, decryptorOptions(values));
  noteIfIncomplete(realm);
  try {
    const index = buildHistoryIndex(realm.realmId, realm.allVersions());
    const userLabel = (id: string) => realm.trust.users.get(id)?.humanHandle?.email ?? id;
    const events = buildTimeline(index, realm.trust, userLabel);
    const author = (id: string) => realm.author(id);
    const out = openOutput(values.out);
    try {
      const header = timelineHeader(format);
      if (header !== null) out.write(header);
      for (const e of events) out.write(timelineLine(format, e, author));
    } finally {
      out.close();
    }
    return 0;
  } finally {
    realm.close();
  }
}

interface LineSink {
  write(text: string): void;
  close(): void;
}

/** Standard output, or a new file (never overwriting one). */
function openOutput(path: string | undefined): LineSink {
  const encoder = new TextEncoder();
  let file: Deno.FsFile | null = null;
  if (path !== undefined) {
    try {
      file = Deno.openSync(path, { write: true, createNew: true });
    } catch (e) {
      throw new OutputError(
        e instanceof Deno.errors.AlreadyExists
          ? `Output "${path}" exists: choose a new file name`
          : `Cannot create "${path}": ${(e as Error).message}`,
      );
    }
  }
  const target = file ?? Deno.stdout;
  let pending: string[] = [];
  let size = 0;
  const flush = () => {
    const data = encoder.encode(pending.join(""));
    let off = 0;
    try {
      while (off < data.length) off += target.writeSync(data.subarray(off));
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe || file === null) throw e;
      throw new OutputError(`Cannot write "${path}": ${(e as Error).message}`);
    }
    pending = [];
    size = 0;
  };
  return {
    write(text: string) {
      pending.push(text);
      size += text.length;
      if (size > 1 << 20) flush();
    },
    close() {
      try {
        flush();
      } finally {
        file?.close();
      }
    },
  };
}
