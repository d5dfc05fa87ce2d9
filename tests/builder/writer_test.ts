/**
 * The written file: same schema as a real export, right info row and row counts, and every row
 * opens with the src/ primitives (signatures, sealed boxes, RSA armors, secret boxes, digests).
 */
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { decodeFormatV0 } from "../../src/codec/format_v0.ts";
import { MsgMap } from "../../src/codec/msgpack.ts";
import { verifySigned } from "../../src/crypto/ed25519.ts";
import { deriveSecretKey } from "../../src/crypto/key_derivation.ts";
import {
  importRsaPrivateKeyPkcs8,
  importRsaPublicKeySpki,
  openRsaArmor,
  verifyRsaSigned,
} from "../../src/crypto/rsa.ts";
import { openSealedBox } from "../../src/crypto/sealed_box.ts";
import { openSecretBox } from "../../src/crypto/secret_box.ts";
import { sha256 } from "../../src/crypto/sha256.ts";
import { fromHex, toHex } from "../../src/util/bytes.ts";
import { sequesteredScenario } from "../../scripts/builder/presets.ts";
import { fixtureTest, SEQUESTERED } from "../helpers.ts";
import { withBuild } from "./build_helpers.ts";

type Row = Record<string, unknown>;
const all = (db: DatabaseSync, sql: string) => db.prepare(sql).all() as Row[];
const field = (record: Uint8Array, key: string) => {
  const v = decodeFormatV0(record);
  assert(v instanceof MsgMap);
  return v.entries.find(([k]) => k === key)?.[1];
};

Deno.test("builder writer: info row, pragmas and row counts", async () => {
  await withBuild(sequesteredScenario(), 1, (r) => {
    const db = new DatabaseSync(r.exportPath, { readOnly: true });
    try {
      const info = all(db, "SELECT * FROM info")[0]!;
      assertEquals(all(db, "SELECT count(*) AS n FROM info")[0]!["n"], 1);
      assertEquals(info["magic"], 87948);
      assertEquals(info["version"], 1);
      assertEquals(info["organization_id"], "SequexOrg");
      assertEquals(toHex(info["realm_id"] as Uint8Array), toHex(r.plan.realmId));
      assertEquals(toHex(info["root_verify_key"] as Uint8Array), toHex(r.plan.root.verifyKey));
      assertEquals(info["snapshot_timestamp"], r.plan.snapshotTime);
      const sums = all(
        db,
        "SELECT (SELECT sum(size) FROM vlob_atom) AS v, (SELECT sum(size) FROM block) AS b",
      )[0]!;
      assertEquals([info["vlobs_total_bytes"], info["blocks_total_bytes"]], [sums["v"], sums["b"]]);
      assert((sums["v"] as number) > 0 && (sums["b"] as number) > 0);
      for (
        const flag of [
          "certificates_export_done",
          "vlobs_export_done",
          "blocks_metadata_export_done",
          "blocks_data_export_done",
        ]
      ) {
        assertEquals(info[flag], 1, flag);
      }
      assertEquals(all(db, "PRAGMA page_size")[0]!["page_size"], 4096);
      assertEquals(all(db, "PRAGMA journal_mode")[0]!["journal_mode"], "delete");
      const counts = r.truth.info["row_counts"] as Record<string, number>;
      for (const [table, n] of Object.entries(counts)) {
        assertEquals(all(db, `SELECT count(*) AS n FROM ${table}`)[0]!["n"], n, table);
      }
      assertEquals(counts["realm_keys_bundle"], 3);
      assertEquals(counts["realm_sequester_keys_bundle_access"], 3, "A: keys 1, 2; B: key 3");
      assertEquals(counts["sequester_certificate"], 4, "authority, A, A revoked, B");
      assertEquals(counts["vlob_atom"], 25);
      const seqs = all(db, "SELECT sequential_id AS s FROM vlob_atom ORDER BY s").map((x) =>
        x["s"] as number
      );
      assert(seqs.some((s, i) => i > 0 && s - seqs[i - 1]! > 1), "idGaps leaves gaps");
    } finally {
      db.close();
    }
  });
});

fixtureTest("builder writer: sqlite_master is the one of a real export", async () => {
  const ddl = (path: string) => {
    const db = new DatabaseSync(path, { readOnly: true });
    const rows = all(db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid");
    db.close();
    return rows;
  };
  const real = ddl(SEQUESTERED);
  assertEquals(real.length, 13);
  await withBuild(sequesteredScenario(), 1, (r) => assertEquals(ddl(r.exportPath), real));
});

Deno.test("builder writer: every row opens and verifies with the src/ primitives", async () => {
  await withBuild(sequesteredScenario(), 1, (r, dir) => {
    const plan = r.plan;
    const db = new DatabaseSync(r.exportPath, { readOnly: true });
    try {
      const verifyKeys = new Map<string, Uint8Array>();
      for (const row of all(db, "SELECT certificate FROM common_certificate ORDER BY _id")) {
        const cert = row["certificate"] as Uint8Array;
        const author = field(cert.subarray(64), "author");
        const key = author === null
          ? plan.root.verifyKey
          : verifyKeys.get(toHex((author as { bytes: Uint8Array }).bytes));
        assert(key && verifySigned(key, cert), "common certificate signature");
        if (field(cert.subarray(64), "type") === "device_certificate") {
          const id = field(cert.subarray(64), "device_id") as { bytes: Uint8Array };
          verifyKeys.set(toHex(id.bytes), field(cert.subarray(64), "verify_key") as Uint8Array);
        }
      }
      for (const row of all(db, "SELECT certificate FROM realm_certificate")) {
        const cert = row["certificate"] as Uint8Array;
        const author = field(cert.subarray(64), "author") as { bytes: Uint8Array };
        assert(verifySigned(verifyKeys.get(toHex(author.bytes))!, cert), "realm certificate");
      }
      const seq = all(db, "SELECT certificate FROM sequester_certificate ORDER BY _id").map((x) =>
        x["certificate"] as Uint8Array
      );
      assert(verifySigned(plan.root.verifyKey, seq[0]!));
      const authority = importRsaPublicKeySpki(
        field(seq[0]!.subarray(64), "verify_key_der") as Uint8Array,
      );
      for (const cert of seq.slice(1)) assert(verifyRsaSigned(authority, cert).ok, "PSS armor");

      const bundleKeys = new Map<number, Uint8Array>();
      const alice = fromHex(Deno.readTextFileSync(`${dir}/export.keys/user-alice.key`).trim());
      const alicePk = plan.users[0]!.publicKey;
      for (
        const row of all(db, "SELECT user_id, key_index, access FROM realm_keys_bundle_access")
      ) {
        if (toHex(row["user_id"] as Uint8Array) !== toHex(plan.users[0]!.id)) continue;
        const clear = openSealedBox(row["access"] as Uint8Array, alicePk, alice);
        assert(clear, "alice's sealed access opens");
        bundleKeys.set(row["key_index"] as number, field(clear, "keys_bundle_key") as Uint8Array);
      }
      const servicePem = Deno.readTextFileSync(`${dir}/export.keys/sequester-service-a.pem`);
      const serviceKey = importRsaPrivateKeyPkcs8(
        Uint8Array.from(
          atob(servicePem.replace(/-----[^-]+-----|\s/g, "")),
          (c) => c.charCodeAt(0),
        ),
      );
      const serviceRows = db.prepare(
        "SELECT key_index, access FROM realm_sequester_keys_bundle_access WHERE sequester_service_id = ?",
      ).all(plan.services[0]!.id) as Row[];
      assertEquals(serviceRows.map((x) => x["key_index"]), [1, 2]);
      for (const row of serviceRows) {
        const opened = openRsaArmor(serviceKey, row["access"] as Uint8Array);
        assert(opened.ok, "service A's armor opens");
        assertEquals(
          field(opened.plaintext, "keys_bundle_key"),
          bundleKeys.get(row["key_index"] as number),
        );
      }
      const bundle = all(db, "SELECT keys_bundle FROM realm_keys_bundle WHERE key_index = 3")[0]!;
      const signed = openSecretBox(bundleKeys.get(3)!, bundle["keys_bundle"] as Uint8Array);
      assert(signed);
      const keys = field(signed.subarray(64), "keys") as Uint8Array[];
      assertEquals(keys.map(toHex), plan.realmKeys.map(toHex));

      for (const row of all(db, "SELECT vlob_id, key_index, blob, author FROM vlob_atom")) {
        const clear = openSecretBox(
          deriveSecretKey(keys[(row["key_index"] as number) - 1]!, row["vlob_id"] as Uint8Array),
          row["blob"] as Uint8Array,
        );
        assert(
          clear && verifySigned(verifyKeys.get(toHex(row["author"] as Uint8Array))!, clear),
          "manifest",
        );
        for (const b of (field(clear.subarray(64), "blocks") ?? []) as MsgMap[]) {
          const get = (k: string) => b.entries.find(([x]) => x === k)![1];
          const id = (get("id") as { bytes: Uint8Array }).bytes;
          const blockRow = all(
            db,
            `SELECT key_index, data FROM block JOIN block_data ON block = sequential_id WHERE block_id = x'${
              toHex(id)
            }'`,
          )[0]!;
          const data = openSecretBox(
            deriveSecretKey(keys[(blockRow["key_index"] as number) - 1]!, id),
            blockRow["data"] as Uint8Array,
          );
          assert(data, "block opens");
          assertEquals(data.length, get("size"));
          assertEquals(toHex(sha256(data)), toHex(get("digest") as Uint8Array));
        }
      }
    } finally {
      db.close();
    }
  });
});
