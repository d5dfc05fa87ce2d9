/**
 * The "truth" of a built export: what a correct reader must output for each decryptor, computed
 * from the plan (not by decoding the file). Shapes follow the oracle truth of the real samples.
 */
import { bytesEqual, toHex } from "../../src/util/bytes.ts";
import { formatMicros } from "../../src/util/time.ts";
import { hashFileContent } from "./content.ts";
import type { AtomPlan, BlockPlan, Plan, PlanService, PlanUser } from "./plan.ts";
import { EXPORT_MAGIC, EXPORT_TABLES, EXPORT_VERSION } from "./schema.ts";
import type { WriteResult } from "./writer.ts";

export const TRUTH_FORMAT = "sequex-builder-truth/1";

/** One decryptor of the export and the key file that holds it. */
export interface TruthDecryptor {
  name: string;
  kind: "user" | "sequester";
  /** Path of the key file, relative to the truth file's folder. */
  key_file: string;
  user_id?: string;
  sequester_service_id?: string;
}

/** One `vlob_atom` row as a decryptor sees it. */
export interface TruthHistoryEntry {
  sequential_id: number;
  vlob_id: string;
  version: number;
  key_index: number;
  timestamp: string;
  timestamp_us: number;
  author: string;
  size: number;
  status: "ok" | "error";
  error?: string;
  /** With `cleartext_corrupted`: `bad_signature`, `bad_serialization`, `integrity`, `unexpected_*`. */
  reason?: string;
  kind?: "workspace" | "folder" | "file";
}

/** One entry of a tree. */
export interface TruthTreeEntry {
  path: string;
  id: string;
  version: number;
  timestamp: string;
  author: string;
  key_index: number;
  type: "folder" | "file" | "unknown";
  status: "ok" | "error";
  error?: string;
  reason?: string;
  children_count?: number;
  size?: number;
  blocksize?: number;
  block_count?: number;
  content_status?: string;
  sha256?: string;
  content_size?: number;
}

/** A skipped child (§6.10). */
export interface TruthTreeProblem {
  parent_path: string;
  name: string;
  path: string;
  id: string;
  problem: "not_found_at_time" | "parent_mismatch" | "cycle";
}

/** The tree visible at one time. */
export interface TruthTree {
  at: string;
  at_us: number;
  root_status: "ok" | "not_found" | "error";
  entries: TruthTreeEntry[];
  problems: TruthTreeProblem[];
}

/** What one decryptor obtains. */
export interface TruthForDecryptor {
  keys: { latest_key_index: number; obtained: number[]; missing: number[] };
  history: TruthHistoryEntry[];
  trees: TruthTree[];
}

/** A certificate row that must not be trusted. */
export interface TruthCertificateProblem {
  table: "common_certificate" | "sequester_certificate" | "realm_certificate";
  row_id: number;
}

/** The whole truth file. */
export interface Truth {
  format: typeof TRUTH_FORMAT;
  scenario: string;
  seed: number;
  source: { file: string; sha256: string };
  realm: { id: string; name: string };
  info: Record<string, unknown>;
  /** Certificates the reader must not trust (forged device certificates), by table and `_id`. */
  certificate_problems: TruthCertificateProblem[];
  decryptors: TruthDecryptor[];
  by_decryptor: Record<string, TruthForDecryptor>;
}

/** Where the export and its keys are, for the truth's references. */
export interface TruthFiles {
  exportFile: string;
  exportSha256: string;
  /** Key folder name relative to the truth file's folder (e.g. `demo.keys`). */
  keysDir: string;
}

/** Key file name of a user decryptor. */
export function userKeyFileName(user: PlanUser): string {
  return `user-${user.name}.key`;
}

/** Key file name of a sequester service decryptor. */
export function serviceKeyFileName(service: PlanService): string {
  return `sequester-service-${service.slug}.pem`;
}

/** Computes the truth of a written plan. */
export function computeTruth(plan: Plan, written: WriteResult, files: TruthFiles): Truth {
  const atoms = plan.uploads.flatMap((u) => (u.kind === "vlob" ? [u.atom] : []));
  const byVlob = new Map<string, AtomPlan[]>();
  for (const a of atoms) {
    const list = byVlob.get(a.idHex) ?? [];
    list.push(a);
    byVlob.set(a.idHex, list);
  }
  for (const list of byVlob.values()) list.sort((a, b) => a.timestamp - b.timestamp);
  const hashes = new Map<AtomPlan, string>();
  const contentHash = (atom: AtomPlan): string => {
    let h = hashes.get(atom);
    if (h === undefined && atom.content.kind === "file") {
      h = hashFileContent(atom.content.size, atom.content.blocks);
      hashes.set(atom, h);
    }
    return h ?? "";
  };
  const ctx: Ctx = { plan, byVlob, contentHash, realmHex: toHex(plan.realmId) };

  const decryptors: TruthDecryptor[] = [];
  const by: Record<string, TruthForDecryptor> = {};
  for (const user of plan.users) {
    const name = `user-${user.name}`;
    decryptors.push({
      name,
      kind: "user",
      key_file: `${files.keysDir}/${userKeyFileName(user)}`,
      user_id: toHex(user.id),
    });
    const openable = plan.userAccesses.filter((a) =>
      a.user === user && bytesEqual(a.bundleKey, bundleKey(plan, a.keyIndex))
    ).map((a) => a.keyIndex);
    by[name] = forDecryptor(ctx, atoms, openable);
  }
  for (const service of plan.services) {
    const name = `sequester-service-${service.slug}`;
    decryptors.push({
      name,
      kind: "sequester",
      key_file: `${files.keysDir}/${serviceKeyFileName(service)}`,
      sequester_service_id: toHex(service.id),
    });
    const openable = plan.serviceAccesses.filter((a) =>
      a.service === service && bytesEqual(a.bundleKey, bundleKey(plan, a.keyIndex))
    ).map((a) => a.keyIndex);
    by[name] = forDecryptor(ctx, atoms, openable);
  }
  return {
    format: TRUTH_FORMAT,
    scenario: plan.scenarioName,
    seed: plan.seed,
    source: { file: files.exportFile, sha256: files.exportSha256 },
    realm: { id: ctx.realmHex, name: plan.realmName },
    info: infoOf(plan, written),
    certificate_problems: plan.commonCertificates.flatMap((c, rowId) =>
      c.forged ? [{ table: "common_certificate" as const, row_id: rowId }] : []
    ),
    decryptors,
    by_decryptor: by,
  };
}

function bundleKey(plan: Plan, keyIndex: number): Uint8Array {
  return plan.keysBundles.find((b) => b.keyIndex === keyIndex)!.bundleKey;
}

function infoOf(plan: Plan, w: WriteResult): Record<string, unknown> {
  return {
    magic: EXPORT_MAGIC,
    version: EXPORT_VERSION,
    organization_id: plan.organizationId,
    realm_id: toHex(plan.realmId),
    root_verify_key: toHex(plan.root.verifyKey),
    snapshot_timestamp: formatMicros(plan.snapshotTime),
    snapshot_timestamp_us: plan.snapshotTime,
    vlobs_total_bytes: w.vlobsTotalBytes,
    blocks_total_bytes: w.blocksTotalBytes,
    vlob_atom_size_sum: w.vlobsTotalBytes,
    block_size_sum: w.blocksTotalBytes,
    certificates_export_done: w.certificatesExportDone,
    vlobs_export_done: w.vlobsExportDone,
    blocks_metadata_export_done: w.blocksMetadataExportDone,
    blocks_data_export_done: w.blocksDataExportDone,
    complete: w.certificatesExportDone && w.vlobsExportDone && w.blocksMetadataExportDone &&
      w.blocksDataExportDone,
    row_counts: Object.fromEntries(EXPORT_TABLES.map((t) => [t, w.rowCounts[t] ?? 0])),
  };
}

interface Ctx {
  plan: Plan;
  byVlob: Map<string, AtomPlan[]>;
  contentHash: (atom: AtomPlan) => string;
  realmHex: string;
}

/** Keys obtained with Parsec's loop (§6.5): bundle i gives the keys 1..i whose canary is valid. */
function obtainedKeys(plan: Plan, openable: number[]): Set<number> {
  const latest = plan.keysBundles.length;
  const canaryValid = (p: number) => plan.keysBundles[p - 1]!.canaryValid;
  const pending = new Set(Array.from({ length: latest }, (_, i) => i + 1));
  const obtained = new Set<number>();
  const open = new Set(openable);
  while (pending.size > 0) {
    const i = Math.max(...pending);
    if (open.has(i)) {
      for (const p of [...pending]) {
        if (p <= i && canaryValid(p)) {
          obtained.add(p);
          pending.delete(p);
        }
      }
    }
    pending.delete(i);
  }
  return obtained;
}

function forDecryptor(ctx: Ctx, atoms: AtomPlan[], openable: number[]): TruthForDecryptor {
  const latest = ctx.plan.keysBundles.length;
  const keys = obtainedKeys(ctx.plan, openable);
  const all = Array.from({ length: latest }, (_, i) => i + 1);
  const history = [...atoms].sort((a, b) => a.seq - b.seq).map((a): TruthHistoryEntry => {
    const base = {
      sequential_id: a.seq,
      vlob_id: a.idHex,
      version: a.version,
      key_index: a.keyIndex,
      timestamp: formatMicros(a.timestamp),
      timestamp_us: a.timestamp,
      author: toHex(a.author.id),
      size: a.blobSize,
    };
    const problem = atomProblem(keys, latest, a);
    if (problem) return { ...base, status: "error", ...problem };
    const kind = a.idHex === ctx.realmHex ? "workspace" : a.content.kind;
    return { ...base, status: "ok", kind };
  });
  return {
    keys: {
      latest_key_index: latest,
      obtained: all.filter((i) => keys.has(i)),
      missing: all.filter((i) => !keys.has(i)),
    },
    history,
    trees: ctx.plan.treeTimes.map((t) => treeAt(ctx, keys, t)),
  };
}

/** The first failing check of §6.6 for this version and these keys, if any. */
function atomProblem(
  keys: Set<number>,
  latest: number,
  a: AtomPlan,
): { error: string; reason?: string } | undefined {
  if (a.keyIndex > latest) return { error: "key_index_unknown" };
  if (!keys.has(a.keyIndex)) return { error: "key_unavailable" };
  if (a.author.forged !== null) return { error: "author_unknown" };
  switch (a.fault) {
    case "unknown_author":
      return { error: "author_unknown" };
    case "wrong_key":
      return { error: "decryption_failed" };
    case "bad_signature":
    case "bad_serialization":
    case "integrity":
      return { error: "cleartext_corrupted", reason: a.fault };
    case "timestamp_mismatch":
      return { error: "cleartext_corrupted", reason: "unexpected_timestamp" };
    case "author_mismatch":
      return { error: "cleartext_corrupted", reason: "unexpected_author" };
    case "id_mismatch":
      return { error: "cleartext_corrupted", reason: "unexpected_id" };
    case "version_mismatch":
      return { error: "cleartext_corrupted", reason: "unexpected_version" };
    default:
      return undefined;
  }
}

/** The first failing check of §6.7 for a block, if any. */
function blockProblem(keys: Set<number>, b: BlockPlan): string | undefined {
  if (b.fault === "row_missing") return "block_not_found";
  if (b.fault === "data_missing") return "block_data_missing";
  if (!keys.has(b.keyIndex)) return "key_unavailable";
  if (b.fault === "corrupted") return "decryption_failed";
  if (b.fault === "size_mismatch") return "size_mismatch";
  if (b.fault === "digest_mismatch") return "hash_mismatch";
  return undefined;
}

function visibleAt(ctx: Ctx, idHex: string, t: number): AtomPlan | undefined {
  return latestAtOrBefore(ctx.byVlob.get(idHex) ?? [], t);
}

/** The last atom of `list` (sorted by timestamp) with timestamp ≤ `t` (spec §6.9). */
export function latestAtOrBefore(list: readonly AtomPlan[], t: number): AtomPlan | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.timestamp <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : list[lo - 1];
}

function entryOf(ctx: Ctx, keys: Set<number>, path: string, a: AtomPlan): TruthTreeEntry {
  const base = {
    path,
    id: a.idHex,
    version: a.version,
    timestamp: formatMicros(a.timestamp),
    author: toHex(a.author.id),
    key_index: a.keyIndex,
  };
  const problem = atomProblem(keys, ctx.plan.keysBundles.length, a);
  if (problem) return { ...base, type: "unknown", status: "error", ...problem };
  const c = a.content;
  if (c.kind === "folder") {
    const names = new Set(c.children.map(([n]) => n.normalize("NFC")));
    return { ...base, status: "ok", type: "folder", children_count: names.size };
  }
  const entry: TruthTreeEntry = {
    ...base,
    status: "ok",
    type: "file",
    size: c.size,
    blocksize: c.blocksize,
    block_count: c.blocks.length,
  };
  for (const b of c.blocks) {
    const blockError = blockProblem(keys, b);
    if (blockError) return { ...entry, content_status: blockError };
  }
  return { ...entry, content_status: "ok", sha256: ctx.contentHash(a), content_size: c.size };
}

function treeAt(ctx: Ctx, keys: Set<number>, t: number): TruthTree {
  const tree: TruthTree = {
    at: formatMicros(t),
    at_us: t,
    root_status: "not_found",
    entries: [],
    problems: [],
  };
  const root = visibleAt(ctx, ctx.realmHex, t);
  if (!root) return tree;
  const rootEntry = entryOf(ctx, keys, "/", root);
  tree.entries.push(rootEntry);
  if (rootEntry.status !== "ok") {
    tree.root_status = "error";
    return tree;
  }
  tree.root_status = "ok";
  const walk = (folder: AtomPlan, path: string, ancestors: Set<string>) => {
    if (folder.content.kind !== "folder") return;
    // §7: names are NFC-normalized when decoded; on a collision the later key wins.
    const children = new Map<string, Uint8Array>();
    for (const [raw, id] of folder.content.children) children.set(raw.normalize("NFC"), id);
    for (const [name, childId] of children) {
      const childHex = toHex(childId);
      const childPath = path === "/" ? `/${name}` : `${path}/${name}`;
      const problem = (p: TruthTreeProblem["problem"]) =>
        tree.problems.push({ parent_path: path, name, path: childPath, id: childHex, problem: p });
      if (ancestors.has(childHex)) {
        problem("cycle");
        continue;
      }
      const child = visibleAt(ctx, childHex, t);
      if (!child) {
        problem("not_found_at_time");
        continue;
      }
      const entry = entryOf(ctx, keys, childPath, child);
      if (entry.status === "ok" && !bytesEqual(child.parent, folder.vlobId)) {
        problem("parent_mismatch");
        continue;
      }
      tree.entries.push(entry);
      if (entry.status === "ok" && child.content.kind === "folder") {
        walk(child, childPath, new Set([...ancestors, childHex]));
      }
    }
  };
  walk(root, "/", new Set([ctx.realmHex]));
  tree.entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  tree.problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return tree;
}
