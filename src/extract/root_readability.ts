/**
 * When the root is unreadable at T: which key it needs, and when the available keys can read the
 * root (for a helpful one-line error).
 */
import type { DecodedVersion } from "../realm/decode_manifest.ts";
import { formatMicros } from "../util/time.ts";

/** A time range (µs, both ends inclusive) in which a readable root version is visible. */
export interface ReadableInterval {
  readonly from: number;
  readonly to: number;
}

/** Intervals in which the root is readable, from every root version (oldest first). */
export function rootReadableIntervals(
  versions: readonly DecodedVersion[],
  snapshot: number,
): ReadableInterval[] {
  const out: ReadableInterval[] = [];
  versions.forEach((v, i) => {
    if (!v.ok || v.row.timestamp > snapshot) return;
    const next = versions[i + 1];
    const to = next && next.row.timestamp <= snapshot ? next.row.timestamp - 1 : snapshot;
    if (to < v.row.timestamp) return;
    const last = out.at(-1);
    if (last && last.to + 1 === v.row.timestamp) out[out.length - 1] = { from: last.from, to };
    else out.push({ from: v.row.timestamp, to });
  });
  return out;
}

/**
 * One line explaining why the root is unreadable at `at`, and the readable time nearest before
 * `at` (or the earliest one after it when there is none before).
 */
export function explainUnreadableRoot(
  root: DecodedVersion,
  allRootVersions: readonly DecodedVersion[],
  at: number,
  snapshot: number,
): string {
  const version = `version ${root.row.version} (${formatMicros(root.row.timestamp)})`;
  const why = root.ok
    ? ""
    : root.problem.code === "key_unavailable"
    ? `its ${version} is encrypted with key index ${root.row.keyIndex}, which these keys cannot obtain`
    : `its ${version} cannot be read (${root.problem.code}: ${root.problem.detail})`;
  const intervals = rootReadableIntervals(allRootVersions, snapshot);
  const before = intervals.filter((r) => r.to < at).at(-1);
  const after = intervals.find((r) => r.from > at);
  const ranges =
    intervals.slice(0, 3).map((r) => `${formatMicros(r.from)} to ${formatMicros(r.to)}`)
      .join(", ") + (intervals.length > 3 ? `, and ${intervals.length - 3} more ranges` : "");
  let hint: string;
  if (before) {
    hint = `the latest time before it that these keys can read is ${formatMicros(before.to)}: ` +
      `retry with --at ${formatMicros(before.to)} (readable: ${ranges})`;
  } else if (after) {
    hint = `the earliest time after it that these keys can read is ${formatMicros(after.from)}: ` +
      `retry with --at ${formatMicros(after.from)} (readable: ${ranges})`;
  } else {
    hint = "these keys cannot read the root at any time";
  }
  return `The workspace root is unreadable at ${formatMicros(at)}: ${why}; ${hint}`;
}
