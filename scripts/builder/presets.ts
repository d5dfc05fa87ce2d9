/** Ready-made scenarios: `basic`, `sequestered`, `demo`. */
import type { HistoryOp, Scenario, VlobFault } from "./scenario.ts";
import { historyScenario } from "./history_preset.ts";

const DAY = 86_400_000_000;

/** A realistic-looking small history shared by `basic` and `sequestered`. */
function commonHistory(): HistoryOp[] {
  return [
    { op: "share", user: "bob", role: "CONTRIBUTOR" },
    { op: "resync", path: "/" },
    { op: "mkdir", path: "/docs" },
    { op: "create_file", path: "/docs/readme.txt", content: "Hello from the sequex builder.\n" },
    { op: "create_file", path: "/docs/big.bin", content: { random: 1000 }, blocksize: 256 },
    {
      op: "create_file",
      path: "/sparse.bin",
      content: { random: 600 },
      blocksize: 128,
      holes: [[128, 384], [500, 520]],
    },
    { op: "mkdir", path: "/archive", by: "bob" },
    { op: "mkdir", path: "/archive/old", parentFirst: true, by: "bob" },
    { op: "write", path: "/docs/readme.txt", offset: 6, content: "FROM", by: "bob" },
    { op: "move", path: "/docs/readme.txt", to: "/docs/README.txt" },
    { op: "move", path: "/docs/big.bin", to: "/archive/big.bin", by: "bob" },
    { op: "create_file", path: "/tmp.txt", content: "temporary" },
    { op: "delete", path: "/tmp.txt" },
    { op: "write", path: "/archive/big.bin", offset: 1200, content: "tail after a gap" },
    { op: "overwrite", path: "/sparse.bin", content: "now small" },
    { op: "create_file", path: "/empty.txt" },
  ];
}

/** Two users, folders, multi-block files, holes, a rename, a move, a delete, a child listed early. */
export function basicScenario(): Scenario {
  return {
    name: "basic",
    startTime: "2000-01-01T00:00:00Z",
    timeStep: DAY,
    users: [{ name: "alice" }, { name: "bob" }],
    realm: { name: "Projects", owner: "alice", blocksize: 64 },
    history: commonHistory(),
  };
}

/**
 * `basic` in a sequestered organization: service `A` (active from the start, revoked on
 * 2000-01-12) gets keys 1–2 only; service `B` (created 2000-01-13) gets keys 1–3.
 */
export function sequesteredScenario(): Scenario {
  const history = commonHistory();
  history.splice(5, 0, { op: "rotate_key" });
  history.splice(10, 0, { op: "rotate_key", by: "alice" });
  return {
    name: "sequestered",
    startTime: "2000-01-01T00:00:00Z",
    timeStep: DAY,
    users: [{ name: "alice" }, { name: "bob" }],
    sequester: {
      services: [
        { label: "A", revokedAt: "2000-01-12T00:00:00Z" },
        { label: "B", createdAt: "2000-01-13T00:00:00Z" },
      ],
    },
    realm: { name: "Projects", owner: "alice", blocksize: 64 },
    history,
    options: { idGaps: true },
  };
}

function figuresCsv(): string {
  const lines = ["date,region,units,revenue_eur"];
  const regions = ["north", "south", "east", "west"];
  for (let day = 1; day <= 90; day++) {
    for (const [i, region] of regions.entries()) {
      const units = (day * 37 + i * 101) % 250 + 10;
      const date = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
      lines.push(`${date},${region},${units},${(units * 19.9).toFixed(2)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The committed demo: a small workspace in a sequestered org with one service `demo`. */
export function demoScenario(): Scenario {
  const summaryV1 = "# Q1 2024 summary\n\nRevenue is up 12% on Q4 2023.\n";
  return {
    name: "demo",
    organizationId: "DemoOrg",
    startTime: "2024-03-01T08:00:00Z",
    timeStep: 37 * 60_000_000,
    users: [
      { name: "alice", humanHandle: { email: "alice@example.com", label: "Alice Martin" } },
      { name: "bob", humanHandle: { email: "bob@example.com", label: "Bob Durand" } },
    ],
    sequester: { services: [{ label: "demo" }] },
    realm: { name: "Team drive", owner: "alice", createdAt: "2024-03-04T09:00:00Z" },
    history: [
      { op: "share", user: "bob", role: "CONTRIBUTOR" },
      { op: "resync", path: "/" },
      { op: "mkdir", path: "/Reports" },
      { op: "mkdir", path: "/Contracts" },
      { op: "create_file", path: "/Reports/2024-Q1-summary.md", content: summaryV1 },
      { op: "create_file", path: "/Reports/figures.csv", content: figuresCsv(), blocksize: 4096 },
      {
        op: "create_file",
        path: "/Contracts/acme-nda.txt",
        content: "Mutual NDA between DemoOrg and ACME Corp.\nSigned 2024-02-28.\n",
        by: "bob",
      },
      { op: "create_file", path: "/Contracts/draft-old.txt", content: "Old draft, do not use.\n" },
      { op: "create_file", path: "/todo.txt", content: "- send Q1 summary\n- renew NDA\n" },
      {
        op: "write",
        path: "/Reports/2024-Q1-summary.md",
        offset: summaryV1.length,
        content: "Costs are stable.\n",
        by: "bob",
      },
      { op: "delete", path: "/Contracts/draft-old.txt", by: "bob" },
      { op: "rotate_key" },
      { op: "move", path: "/todo.txt", to: "/notes.txt" },
      { op: "mkdir", path: "/Archive" },
      { op: "move", path: "/Contracts/acme-nda.txt", to: "/Archive/acme-nda-2024.txt" },
      {
        op: "overwrite",
        path: "/Reports/2024-Q1-summary.md",
        content: "# Q1 2024 summary (final)\n\nRevenue +12%, costs stable, margin 31%.\n",
      },
      { op: "create_file", path: "/Archive/scan-0001.bin", content: { random: 3000 } },
    ],
  };
}

/** 255-byte names (§7 limit) with 2-, 3- and 4-byte UTF-8 characters. */
export const LONG_NAMES: readonly string[] = [
  `${"é".repeat(127)}a`,
  "漢".repeat(85),
  `${"🦀".repeat(63)}abc`,
];

/** 12 nested 25-character folder names: `/<12 names>/file.txt` is 321 characters long. */
export const LONG_PATH_FOLDERS: readonly string[] = Array.from(
  { length: 12 },
  (_, i) => `long-folder-name-level-${String(i + 1).padStart(2, "0")}`,
);

/**
 * Legal but hostile entry names (§7), a name collision after NFC, aliases, deep nesting (24
 * levels, and a path over 260 characters), a cycle.
 */
export function hostileScenario(): Scenario {
  const names = [
    "CON",
    "aux.txt",
    "NUL.",
    "...",
    "a:b",
    "trailing.",
    "trailing ",
    " leading space",
    "tab\there",
    "new\nline",
    "rtl\u202etxt.exe",
    "Case",
    "case",
    ...LONG_NAMES,
    "emoji 🦀.txt",
    "back\\slash",
    "..hidden",
    '*?<>|"',
    "ctl\u0001char",
  ];
  const deep = Array.from({ length: 24 }, (_, i) => `/deep${"/d".repeat(i + 1)}`);
  const long = LONG_PATH_FOLDERS.map((_, i) => `/${LONG_PATH_FOLDERS.slice(0, i + 1).join("/")}`);
  return {
    name: "hostile",
    timeStep: 1_000_000,
    users: [{ name: "alice" }],
    realm: { name: "hostile ⚠ names" },
    history: [
      { op: "resync", path: "/" },
      { op: "mkdir", path: "/names" },
      ...names.map((n): HistoryOp => ({ op: "create_file", path: `/names/${n}`, content: n })),
      { op: "create_file", path: "/names/caf\u00e9.txt", content: "NFC spelling, listed first" },
      {
        op: "create_file",
        path: "/names/cafe\u0301.txt",
        content: "NFD spelling, listed last: wins",
      },
      { op: "link", path: "/names/alias of CON", target: "/names/CON" },
      { op: "link", path: "/stale link", target: "/names/aux.txt" },
      { op: "mkdir", path: "/deep" },
      ...deep.map((path): HistoryOp => ({ op: "mkdir", path })),
      { op: "create_file", path: `${deep.at(-1)}/bottom.txt`, content: "deep" },
      { op: "link", path: `${deep.at(-1)}/root again`, target: "/" },
      ...long.map((path): HistoryOp => ({ op: "mkdir", path })),
      { op: "create_file", path: `${long.at(-1)}/file.txt`, content: "past 260 characters" },
    ],
  };
}

/** `/manifest-<fault>.txt` whose first version carries the manifest fault. */
function faultyManifestFile(fault: VlobFault): HistoryOp {
  return { op: "create_file", path: `/manifest-${fault}.txt`, content: fault, vlobFault: fault };
}

/**
 * Every fault the builder can inject, each on its own entry, plus a stale access row before a
 * valid one (bob), a user with only a stale row (carol) and a rotation with a broken canary.
 */
export function faultsScenario(): Scenario {
  const vlobFaults = [
    "bad_signature",
    "wrong_key",
    "unknown_author",
    "key_index_unknown",
    "timestamp_mismatch",
    "bad_serialization",
    "integrity",
  ] as const;
  const blockFaults = [
    "data_missing",
    "row_missing",
    "corrupted",
    "size_mismatch",
    "digest_mismatch",
  ] as const;
  return {
    name: "faults",
    timeStep: 60_000_000,
    users: [{ name: "alice" }, { name: "bob" }, { name: "carol" }],
    realm: { name: "faults", blocksize: 64 },
    history: [
      { op: "stale_access", user: "bob", keyIndex: 1 },
      { op: "share", user: "bob", role: "READER" },
      { op: "stale_access", user: "carol", keyIndex: 1 },
      { op: "resync", path: "/" },
      { op: "create_file", path: "/fine.txt", content: "fine" },
      ...vlobFaults.map(faultyManifestFile),
      { op: "mkdir", path: "/broken-folder", vlobFault: "bad_signature" },
      { op: "create_file", path: "/broken-folder/inside.txt", content: "hidden at first" },
      { op: "mkdir", path: "/blocks" },
      ...blockFaults.map((f): HistoryOp => ({
        op: "create_file",
        path: `/blocks/${f}.bin`,
        content: { random: 200 },
        blockFault: f,
      })),
      { op: "overwrite", path: "/manifest-bad_signature.txt", content: "repaired in v2" },
      { op: "rotate_key", badCanary: true },
      { op: "create_file", path: "/under-broken-key-2.txt", content: "key 2 is unusable" },
      { op: "rotate_key" },
      { op: "create_file", path: "/under-key-3.txt", content: "key 3 is fine" },
    ],
  };
}

/**
 * Trust and consistency faults: two devices of bob with forged certificates (a bad signature,
 * an author nobody certified) whose manifests give `author_unknown`, and manifests whose
 * author, id or version field disagrees with the row (`cleartext_corrupted` /
 * `unexpected_author|id|version`), the id one also on a root version.
 */
export function moreFaultsScenario(): Scenario {
  const mismatches = ["author_mismatch", "id_mismatch", "version_mismatch"] as const;
  return {
    name: "more-faults",
    timeStep: 60_000_000,
    users: [
      { name: "alice" },
      {
        name: "bob",
        devices: [
          { name: "dev1" },
          { name: "dev2", forgedCertificate: "bad_signature" },
          { name: "dev3", forgedCertificate: "unknown_author" },
        ],
      },
    ],
    realm: { name: "more faults", blocksize: 64 },
    history: [
      { op: "share", user: "bob", role: "CONTRIBUTOR" },
      { op: "resync", path: "/" },
      { op: "create_file", path: "/fine.txt", content: "fine", by: "bob@dev1" },
      { op: "create_file", path: "/forged-signature.txt", content: "v1 by alice" },
      { op: "overwrite", path: "/forged-signature.txt", content: "v2", by: "bob@dev2" },
      { op: "create_file", path: "/forged-author.txt", content: "v1 by alice" },
      { op: "overwrite", path: "/forged-author.txt", content: "v2", by: "bob@dev3" },
      ...mismatches.map(faultyManifestFile),
      { op: "mkdir", path: "/folder-version_mismatch", vlobFault: "version_mismatch" },
      { op: "resync", path: "/", vlobFault: "id_mismatch" },
      { op: "create_file", path: "/after-root-fault.txt", content: "root readable again" },
    ],
  };
}

/**
 * `basic` as an interrupted export: every `info` step flag at 0 and the last two block rows
 * without data.
 */
export function incompleteScenario(): Scenario {
  return {
    ...basicScenario(),
    name: "incomplete",
    options: {
      incomplete: ["certificates", "vlobs", "blocks_metadata", "blocks_data"],
      blocksWithoutData: 2,
    },
  };
}

/** Parameters of the `bench` preset. */
export interface BenchOptions {
  /** Number of files (default 100). */
  files?: number;
  /** Size of each file in bytes (default 64 KiB). */
  fileSize?: number;
  /** Files per folder (default 100). */
  filesPerFolder?: number;
  /** Versions of each file (default 1): the files are overwritten `versions - 1` times. */
  versions?: number;
}

/** Many pseudo-random files in folders, sequestered (service `bench`); 2 trees in the truth. */
export function benchScenario(o: BenchOptions = {}): Scenario {
  const files = o.files ?? 100;
  const perFolder = o.filesPerFolder ?? 100;
  const folders = Math.ceil(files / perFolder);
  const width = String(folders).length;
  const history: HistoryOp[] = [{ op: "resync", path: "/" }];
  for (let i = 0; i < folders; i++) {
    const dir = `/folder-${String(i + 1).padStart(width, "0")}`;
    history.push({ op: "mkdir", path: dir });
    history.push({
      op: "create_many",
      dir,
      count: Math.min(perFolder, files - i * perFolder),
      content: { random: o.fileSize ?? 64 * 1024 },
    });
    if ((o.versions ?? 1) > 1) {
      history.push({
        op: "overwrite_many",
        dir,
        rounds: o.versions! - 1,
        content: { random: o.fileSize ?? 64 * 1024 },
      });
    }
  }
  return {
    name: "bench",
    timeStep: 1_000_000_000,
    users: [{ name: "alice" }],
    sequester: { services: [{ label: "bench" }] },
    realm: { name: "bench" },
    history,
    options: { maxTrees: 2 },
  };
}

/** Options a preset may take (only `bench` uses them). */
export type PresetOptions = BenchOptions;

/** Preset scenarios by name. */
export const PRESETS: Readonly<Record<string, (options: PresetOptions) => Scenario>> = {
  basic: basicScenario,
  sequestered: sequesteredScenario,
  demo: demoScenario,
  hostile: hostileScenario,
  faults: faultsScenario,
  "more-faults": moreFaultsScenario,
  incomplete: incompleteScenario,
  bench: benchScenario,
  history: () => historyScenario(),
};
