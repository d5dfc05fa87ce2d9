/**
 * When the root is unreadable at T: which key it needs, and the latest time at which the
 * available keys can read the root (for a helpful one-line error).
 */
import type { DecodedVersion } from "../realm/decode_manifest.ts";
import { formatMicros } from "../util/time.ts";

export interface RootReadability {
  /** End (inclusive, µs) of the latest interval in which a readable root version is visible. */
  readonly latestReadableAt: number | null;
  /** Start of that interval. */
  readonly latestReadableFrom: number | null;
}

/** Computes readable intervals from every root version (oldest first) up to `snapshot`. */
export function rootReadability(
  versions: readonly DecodedVersion[],
  snapshot: number,
): RootReadability {
  let latestReadableAt: number | null = null;
  let latestReadableFrom: number | null = null;
  versions.forEach((v, i) => {
    if (!v.ok || v.row.timestamp > snapshot) return;
    const next = versions[i + 1];
    const end = next && next.row.timestamp <= snapshot ? next.row.timestamp - 1 : snapshot;
    if (end >= v.row.timestamp) {
      latestReadableAt = end;
      latestReadableFrom = v.row.timestamp;
    }
  });
  return { latestReadableAt, latestReadableFrom };
}

/** One line explaining why the root is unreadable at `at`, and when it is readable. */
export function explainUnreadableRoot(
  root: DecodedVersion,
  allRootVersions: readonly DecodedVersion[],
  at: number,
  snapshot: number,
): string {
  const when = formatMicros(at);
  const version = `version ${root.row.version} (${formatMicros(root.row.timestamp)})`;
  let why = "";
  if (!root.ok) {
    why = root.problem.code === "key_unavailable"
      ? `its ${version} is encrypted with key index ${root.row.keyIndex}, which these keys cannot obtain`
      : `its ${version} cannot be read (${root.problem.code}: ${root.problem.detail})`;
  }
  const readable = rootReadability(allRootVersions, snapshot);
  const hint = readable.latestReadableAt === null
    ? "these keys cannot read the root at any time"
    : `the latest time these keys can read the root is ${
      formatMicros(readable.latestReadableAt)
    }: retry with --at ${formatMicros(readable.latestReadableAt)}`;
  return `The workspace root is unreadable at ${when}: ${why}; ${hint}`;
}
