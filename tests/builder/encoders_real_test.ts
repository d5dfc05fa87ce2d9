/**
 * The builder's encoders against the real Parsec exports (spec §9): every record is decrypted
 * with the testbed keys, decoded, then re-encoded (msgpack + zstd), re-signed and re-encrypted
 * with the same nonce / OAEP seed / PSS salt, and must give back the exact stored bytes.
 */
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { decodeFormatV0 } from "../../src/codec/format_v0.ts";
import { MsgMap, MsgUuid } from "../../src/codec/msgpack.ts";
import { deriveSecretKey } from "../../src/crypto/key_derivation.ts";
import { openSealedBox, x25519PublicKey } from "../../src/crypto/sealed_box.ts";
import { openSecretBox, sealSecretBox } from "../../src/crypto/secret_box.ts";
import { fromHex, toHex } from "../../src/util/bytes.ts";
import {
  type SigningKey,
  signingKeyFromSeed,
  signMessage,
} from "../../scripts/builder/ed25519_sign.ts";
import { encodeFormatV0 } from "../../src/codec/format_v0_encode.ts";
import { rsaOaepArmor, rsaPssArmor } from "../../scripts/builder/rsa_armor_encode.ts";
import { rsaKeyPairFromPem } from "../../scripts/builder/rsa_keys.ts";
import { sealBoxWithEphemeral } from "../../scripts/builder/sealed_box_seal.ts";
import { fixtureTest, KEYS, SEQUESTERED, USER_KEYS, WORKSPACE_HISTORY } from "../helpers.ts";
import { rawRsaFromPem, recoverOaep, recoverPssSalt } from "./rsa_recover.ts";

const testbed = (nn: number) => fromHex(`aa${"00".repeat(30)}${nn.toString(16).padStart(2, "0")}`);
const ROOT = signingKeyFromSeed(testbed(0x01));
const DEVICES = new Map<string, SigningKey>([
  ["de10a11cec0010000000000000000000", signingKeyFromSeed(testbed(0x03))],
  ["de10808c001000000000000000000000", signingKeyFromSeed(testbed(0x07))],
  ["de103a11031c00100000000000000000", signingKeyFromSeed(testbed(0x0b))],
]);
const SAMPLES = [
  { path: SEQUESTERED, realmKeys: [0x0a, 0x0c, 0x0f], bundleKeys: [0x0b, 0x0e, 0x11] },
  { path: WORKSPACE_HISTORY, realmKeys: [0x0e], bundleKeys: [0x0f] },
];

function open(path: string): DatabaseSync {
  return new DatabaseSync(path, { readOnly: true });
}

function rows<T>(db: DatabaseSync, sql: string): T[] {
  return db.prepare(sql).all() as T[];
}

/** Signer of a record from its `author` field (nil = root). */
function signerOf(record: Uint8Array): SigningKey {
  const value = decodeFormatV0(record);
  assert(value instanceof MsgMap);
  const author = value.entries.find(([k]) => k === "author")?.[1];
  if (author === null || author === undefined) return ROOT;
  assert(author instanceof MsgUuid);
  const key = DEVICES.get(author.hex);
  assert(key, `unknown author ${author.hex}`);
  return key;
}

/** Re-encodes a signed record and checks record bytes and the whole signed blob. */
function checkSigned(signed: Uint8Array, what: string): void {
  const record = signed.subarray(64);
  const reencoded = encodeFormatV0(decodeFormatV0(record));
  assertEquals(toHex(reencoded), toHex(record), `${what}: msgpack+zstd`);
  assertEquals(
    toHex(signMessage(signerOf(record), reencoded)),
    toHex(signed),
    `${what}: signature`,
  );
}

fixtureTest("builder encoders: common and realm certificates are reproduced byte for byte", () => {
  let checked = 0;
  for (const sample of SAMPLES) {
    const db = open(sample.path);
    for (const table of ["common_certificate", "realm_certificate"]) {
      for (
        const r of rows<{ _id: number; certificate: Uint8Array }>(db, `SELECT * FROM ${table}`)
      ) {
        checkSigned(r.certificate, `${table} ${r._id}`);
        checked++;
      }
    }
    db.close();
  }
  assertEquals(checked, 4 + 6 + 6 + 7);
});

fixtureTest("builder encoders: sequester certificates (root-signed and RSASSA-PSS)", () => {
  const authorityPem = Deno.readTextFileSync(`${KEYS}sequester_authority.pkcs8.pem`);
  const authority = rsaKeyPairFromPem(authorityPem);
  const raw = rawRsaFromPem(authorityPem);
  const db = open(SEQUESTERED);
  const certs = rows<{ _id: number; certificate: Uint8Array }>(
    db,
    "SELECT * FROM sequester_certificate ORDER BY _id",
  );
  db.close();
  assertEquals(certs.length, 4);
  assertEquals(
    toHex(signMessage(ROOT, encodeFormatV0(decodeFormatV0(certs[0]!.certificate.subarray(64))))),
    toHex(certs[0]!.certificate),
  );
  for (const c of certs.slice(1)) {
    const prefix = "RSASSA-PSS-SHA256:".length;
    const signature = c.certificate.subarray(prefix, prefix + 128);
    const data = c.certificate.subarray(prefix + 128);
    assertEquals(toHex(encodeFormatV0(decodeFormatV0(data))), toHex(data), `record ${c._id}`);
    const salt = recoverPssSalt(raw, signature);
    assertEquals(salt.length, 128 - 32 - 2, "Parsec signs with the maximum salt length");
    assertEquals(toHex(rsaPssArmor(authority.privateKey, data, salt)), toHex(c.certificate));
  }
});

fixtureTest("builder encoders: keys bundles re-signed and re-encrypted with the same nonce", () => {
  for (const sample of SAMPLES) {
    const db = open(sample.path);
    for (
      const r of rows<{ key_index: number; keys_bundle: Uint8Array }>(
        db,
        "SELECT * FROM realm_keys_bundle",
      )
    ) {
      const bundleKey = testbed(sample.bundleKeys[r.key_index - 1]!);
      const signed = openSecretBox(bundleKey, r.keys_bundle);
      assert(signed, `bundle ${r.key_index} opens`);
      checkSigned(signed, `bundle ${r.key_index}`);
      const again = sealSecretBox(bundleKey, signed, r.keys_bundle.subarray(0, 24));
      assertEquals(toHex(again), toHex(r.keys_bundle));
    }
    db.close();
  }
});

fixtureTest("builder encoders: manifests and blocks re-encrypted give the stored blobs", () => {
  let manifests = 0;
  let blocks = 0;
  for (const sample of SAMPLES) {
    const db = open(sample.path);
    const kd = (i: number) => testbed(sample.realmKeys[i - 1]!);
    for (
      const r of rows<
        { sequential_id: number; vlob_id: Uint8Array; key_index: number; blob: Uint8Array }
      >(db, "SELECT * FROM vlob_atom")
    ) {
      const key = deriveSecretKey(kd(r.key_index), r.vlob_id);
      const signed = openSecretBox(key, r.blob);
      assert(signed, `vlob ${r.sequential_id} opens`);
      checkSigned(signed, `vlob ${r.sequential_id}`);
      assertEquals(toHex(sealSecretBox(key, signed, r.blob.subarray(0, 24))), toHex(r.blob));
      manifests++;
    }
    for (
      const r of rows<{ block_id: Uint8Array; key_index: number; data: Uint8Array }>(
        db,
        "SELECT block_id, key_index, data FROM block JOIN block_data ON block = sequential_id",
      )
    ) {
      const key = deriveSecretKey(kd(r.key_index), r.block_id);
      const clear = openSecretBox(key, r.data);
      assert(clear);
      assertEquals(toHex(sealSecretBox(key, clear, r.data.subarray(0, 24))), toHex(r.data));
      blocks++;
    }
    db.close();
  }
  assertEquals([manifests, blocks], [6 + 12, 3 + 5]);
});

fixtureTest("builder encoders: user accesses decode and re-encode; own sealed boxes open", () => {
  const db = open(WORKSPACE_HISTORY);
  const access = rows<{ access: Uint8Array }>(
    db,
    "SELECT access FROM realm_keys_bundle_access WHERE _id = 3",
  )[0]!;
  db.close();
  const sk = fromHex(USER_KEYS.mallory);
  const pk = x25519PublicKey(sk);
  const clear = openSealedBox(access.access, pk, sk);
  assert(clear);
  assertEquals(toHex(encodeFormatV0(decodeFormatV0(clear))), toHex(clear));
  const ephemeral = testbed(0x42);
  const sealed = sealBoxWithEphemeral(clear, pk, ephemeral);
  assertEquals(sealed.length, clear.length + 48);
  assertEquals(toHex(sealed.subarray(0, 32)), toHex(x25519PublicKey(ephemeral)));
  assertEquals(toHex(openSealedBox(sealed, pk, sk)!), toHex(clear));
  assertEquals(toHex(sealBoxWithEphemeral(clear, pk, ephemeral)), toHex(sealed));
});

fixtureTest("builder encoders: sequester access re-armored with the recovered OAEP seed", () => {
  const pem = Deno.readTextFileSync(`${KEYS}sequester_service_1.pkcs8.pem`);
  const db = open(SEQUESTERED);
  const row = rows<{ access: Uint8Array }>(
    db,
    "SELECT access FROM realm_sequester_keys_bundle_access",
  )[0]!;
  db.close();
  const prefix = "RSAES-OAEP-SHA256-XSALSA20-POLY1305:".length;
  const { seed, message: secret } = recoverOaep(
    rawRsaFromPem(pem),
    row.access.subarray(prefix, prefix + 128),
  );
  assertEquals(toHex(secret), "5c6f1ef5f37285c4b74d9210271c7afbfa2f02903f120f6e0a020e3d6666408a");
  const boxed = row.access.subarray(prefix + 128);
  const plaintext = openSecretBox(secret, boxed);
  assert(plaintext);
  const again = rsaOaepArmor(
    rsaKeyPairFromPem(pem).publicKey,
    plaintext,
    secret,
    seed,
    boxed.subarray(0, 24),
  );
  assertEquals(toHex(again), toHex(row.access));
});
