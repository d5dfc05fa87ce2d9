/**
 * Faults beyond the `faults` preset: forged device certificates, manifest fields that disagree
 * with the row, an interrupted export (each `info` step flag) and files the reader must refuse.
 */
import { deepStrictEqual as assertEquals, ok as assert, throws } from "node:assert/strict";
import {
  BROKEN_OUTPUTS,
  buildBroken,
  buildExport,
  fileSha256,
  truncateExport,
} from "../../scripts/builder/build.ts";
import {
  basicScenario,
  hostileScenario,
  incompleteScenario,
  LONG_NAMES,
  LONG_PATH_FOLDERS,
  moreFaultsScenario,
} from "../../scripts/builder/presets.ts";
import type { ExportStep } from "../../scripts/builder/scenario.ts";
import { ExportOpenError } from "../../src/errors.ts";
import { RealmExport } from "../../src/export/realm_export.ts";
import { toHex } from "../../src/util/bytes.ts";
import { buildTrust } from "../../src/trust/trust.ts";
import { withBuild } from "./build_helpers.ts";

const FLAGS = [
  "certificates_export_done",
  "vlobs_export_done",
  "blocks_metadata_export_done",
  "blocks_data_export_done",
] as const;

Deno.test("builder truth: forged device certificates and manifest/row mismatches", async () => {
  await withBuild(moreFaultsScenario(), 1, (r) => {
    assertEquals(r.truth.certificate_problems, [
      { table: "common_certificate", row_id: 4 },
      { table: "common_certificate", row_id: 5 },
    ]);
    const exp = RealmExport.open(r.exportPath);
    try {
      const trust = buildTrust(exp);
      assertEquals(
        trust.problems.map((p) => ({ table: p.table, row_id: p.rowId })),
        r.truth.certificate_problems,
        "the reader distrusts exactly the forged certificates",
      );
      const trusted = r.plan.users.flatMap((u) => u.devices)
        .filter((d) => trust.devices.has(toHex(d.id))).map((d) => d.ref);
      assertEquals(trusted, ["alice@dev1", "bob@dev1"]);
    } finally {
      exp.close();
    }
    const alice = r.truth.by_decryptor["user-alice"]!;
    const last = alice.trees.at(-1)!;
    assertEquals(
      last.entries.map((e) => [e.path, e.error ?? e.content_status ?? "ok", e.reason ?? null]),
      [
        ["/", "ok", null],
        ["/after-root-fault.txt", "ok", null],
        ["/fine.txt", "ok", null],
        ["/folder-version_mismatch", "cleartext_corrupted", "unexpected_version"],
        ["/forged-author.txt", "author_unknown", null],
        ["/forged-signature.txt", "author_unknown", null],
        ["/manifest-author_mismatch.txt", "cleartext_corrupted", "unexpected_author"],
        ["/manifest-id_mismatch.txt", "cleartext_corrupted", "unexpected_id"],
        ["/manifest-version_mismatch.txt", "cleartext_corrupted", "unexpected_version"],
      ],
    );
    assertEquals(
      alice.history.filter((h) => h.status === "error").map((h) => [
        h.sequential_id,
        h.version,
        h.error,
        h.reason ?? null,
      ]),
      [
        [205, 2, "author_unknown", null],
        [208, 2, "author_unknown", null],
        [209, 1, "cleartext_corrupted", "unexpected_author"],
        [211, 1, "cleartext_corrupted", "unexpected_id"],
        [213, 1, "cleartext_corrupted", "unexpected_version"],
        [215, 1, "cleartext_corrupted", "unexpected_version"],
        [217, 9, "cleartext_corrupted", "unexpected_id"],
      ],
    );
    assertEquals(
      alice.trees.filter((t) => t.root_status !== "ok").map((t) => [t.at, t.root_status]),
      [["2000-01-01T00:14:00.000000Z", "error"], ["2000-01-01T00:15:00.000000Z", "error"]],
      "the root version with another id hides the tree until the next root version",
    );
  }, "more-faults");
});

Deno.test("builder: a forged first device or a forged realm signer is refused", () => {
  const s = moreFaultsScenario();
  throws(
    () =>
      buildExport({
        ...s,
        users: [{ name: "alice", devices: [{ name: "d", forgedCertificate: "bad_signature" }] }],
      }, { out: "/nonexistent/x.sqlite", seed: 1 }),
    /first device cannot have a forged certificate/,
  );
  throws(
    () =>
      buildExport({ ...s, history: [{ op: "rotate_key", by: "bob@dev2" }] }, {
        out: "/nonexistent/x.sqlite",
        seed: 1,
      }),
    /bob@dev2 has a forged certificate: it cannot sign realm certificates/,
  );
});

Deno.test("builder truth: each incomplete step flag is 0 in the file, the truth and the reader", async () => {
  const steps: ExportStep[] = ["certificates", "vlobs", "blocks_metadata", "blocks_data"];
  for (const [i, step] of steps.entries()) {
    const scenario = { ...basicScenario(), options: { incomplete: [step] } };
    await withBuild(scenario, 1, (r) => {
      const want = Object.fromEntries(FLAGS.map((f, j) => [f, j !== i]));
      assertEquals(Object.fromEntries(FLAGS.map((f) => [f, r.truth.info[f]])), want, step);
      assertEquals(r.truth.info["complete"], false);
      const counts = r.truth.info["row_counts"] as Record<string, number>;
      assertEquals([counts["block"], counts["block_data"]], [12, step === "blocks_data" ? 11 : 12]);
      const exp = RealmExport.open(r.exportPath);
      try {
        assertEquals(exp.info.flags, {
          certificatesExportDone: want["certificates_export_done"],
          vlobsExportDone: want["vlobs_export_done"],
          blocksMetadataExportDone: want["blocks_metadata_export_done"],
          blocksDataExportDone: want["blocks_data_export_done"],
        });
        assertEquals(exp.info.complete, false);
      } finally {
        exp.close();
      }
    });
  }
});

Deno.test("builder truth: the incomplete preset leaves the last two blocks without data", async () => {
  await withBuild(incompleteScenario(), 1, (r) => {
    assertEquals(FLAGS.map((f) => r.truth.info[f]), [false, false, false, false]);
    const counts = r.truth.info["row_counts"] as Record<string, number>;
    assertEquals([counts["block"], counts["block_data"]], [12, 10]);
    const last = r.truth.by_decryptor["user-alice"]!.trees.at(-1)!;
    assertEquals(
      last.entries.filter((e) => e.type === "file").map((e) => [e.path, e.content_status]),
      [
        ["/archive/big.bin", "block_data_missing"],
        ["/docs/README.txt", "ok"],
        ["/empty.txt", "ok"],
        ["/sparse.bin", "block_data_missing"],
      ],
      "the tail written by the last write and the overwrite",
    );
  }, "incomplete");
});

Deno.test("builder: truncated and non-export files, with the open error the reader must give", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sequex-builder-broken-" });
  try {
    const want: Record<string, string> = {
      "truncated": "truncated_database",
      "not-export": "invalid_database",
      "not-export-info": "invalid_database",
    };
    for (const kind of BROKEN_OUTPUTS) {
      const out = `${dir}/${kind}.sqlite`;
      const truth = buildBroken(kind, out, 1);
      assertEquals(truth.expected_open_error, want[kind]);
      assertEquals(
        JSON.parse(await Deno.readTextFile(`${dir}/${kind}.truth.json`)),
        { ...truth, source: { file: `${kind}.sqlite`, sha256: fileSha256(out) } },
      );
      assertEquals(buildBroken(kind, out, 1).source.sha256, truth.source.sha256, "deterministic");
      if (kind === "not-export-info") continue; // reader bug, see the ignored test below
      throws(() => RealmExport.open(out), (e) => {
        assert(e instanceof ExportOpenError);
        assertEquals(e.code, truth.expected_open_error, kind);
        return true;
      });
    }
    assertEquals(Deno.statSync(`${dir}/truncated.sqlite`).size, 32768);
    const built = buildExport(basicScenario(), { out: `${dir}/tiny.sqlite`, seed: 1 });
    assertEquals(truncateExport(built, 99).expected_open_error, "invalid_database");
    throws(() => RealmExport.open(`${dir}/tiny.sqlite`), { code: "invalid_database" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "reader: an SQLite file with an `info` table of another application is invalid_database",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "sequex-builder-broken-" });
    try {
      const truth = buildBroken("not-export-info", `${dir}/x.sqlite`, 1);
      throws(() => RealmExport.open(`${dir}/x.sqlite`), { code: truth.expected_open_error });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("builder truth: hostile NUL., 255-byte names and a path over 260 characters", async () => {
  await withBuild(hostileScenario(), 1, (r) => {
    const last = r.truth.by_decryptor["user-alice"]!.trees.at(-1)!;
    const byPath = new Map(last.entries.map((e) => [e.path, e]));
    for (const name of ["NUL.", "...", ...LONG_NAMES]) {
      assertEquals(byPath.get(`/names/${name}`)?.status, "ok", JSON.stringify(name));
    }
    assertEquals(LONG_NAMES.map((n) => new TextEncoder().encode(n).length), [255, 255, 255]);
    const longPath = `/${LONG_PATH_FOLDERS.join("/")}/file.txt`;
    assertEquals(longPath.length, 321);
    const file = byPath.get(longPath)!;
    assertEquals([file.status, file.content_status, file.size], ["ok", "ok", 19]);
    assertEquals(
      last.entries.filter((e) => e.path.startsWith("/long-folder")).length,
      13,
      "12 folders and the file",
    );
  }, "hostile");
});
