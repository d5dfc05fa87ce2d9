/**
 * Every worked hex example of spec §9, reproduced layer by layer on the real exports, plus a
 * tampered byte making each primitive fail.
 */
import { deepStrictEqual as assertEquals, ok, strictEqual, throws } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { constants, privateDecrypt } from "node:crypto";
import { readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { blake2b } from "@noble/hashes/blake2.js";
import { decodeCommonCertificate } from "../src/codec/certificates.ts";
import { decompressFormatV0 } from "../src/codec/format_v0.ts";
import { decodeKeysBundle, decodeKeysBundleAccess } from "../src/codec/keys_bundle.ts";
import { decodeRealmCertificate } from "../src/codec/realm_certificates.ts";
import {
  decodeSequesterAuthorityCertificate,
  decodeSequesterServiceRecord,
} from "../src/codec/sequester_certificates.ts";
import { splitSigned, verifySigned } from "../src/crypto/ed25519.ts";
import {
  CANARY_DERIVATION_ID,
  deriveSecretKey,
  REALM_NAME_DERIVATION_ID,
} from "../src/crypto/key_derivation.ts";
import {
  importRsaPrivateKeyPkcs8,
  importRsaPublicKeySpki,
  openRsaArmor,
  verifyRsaSigned,
} from "../src/crypto/rsa.ts";
import { openSealedBox, x25519PublicKey } from "../src/crypto/sealed_box.ts";
import { openSecretBox, sealSecretBox } from "../src/crypto/secret_box.ts";
import { sha256Hex } from "../src/crypto/sha256.ts";
import { MsgMap } from "../src/codec/msgpack.ts";
import { decodeVlobAtom } from "../src/realm/decode_manifest.ts";
import { decryptBlock } from "../src/realm/decrypt_block.ts";
import { concatBytes, fromHex, toHex, utf8 } from "../src/util/bytes.ts";
import { signingKeyFromSeed, signMessage } from "../scripts/builder/ed25519_sign.ts";
import { encodeFormatV0 } from "../src/codec/format_v0_encode.ts";
import { folderManifest } from "../scripts/builder/records.ts";
import { fixtureTest, KEYS, SEQUESTERED, USER_KEYS, WORKSPACE_HISTORY } from "./helpers.ts";

const REALM_KEY_1 = fromHex("aa" + "00".repeat(30) + "0e");
const KEYS_BUNDLE_KEY_1 = fromHex("aa" + "00".repeat(30) + "0f");
const MALLORY_SK = fromHex(USER_KEYS.mallory);
const MALLORY_PK = "014a51696abd2bc8365ba22273edabc95204152dd02822aa8181d4042c7e737e";
const ROOT_VERIFY_KEY = "c118b50c90876d8feac2ffe02d59c26f447064289091c1993d3aec170fd6a9c2";
const ALICE_DEVICE_VERIFY_KEY = "606dc6372f1004ab92db9e07eb392599fedca0b30f628e5efc4422f2d2d46eba";
const KEY_CANARY =
  "1d443d935ef2dcd8df3136cf251a032c315e4025d6e99c811d65e1bab6ee79ca8ae80929babe4533";
const BLOCK_F09 = "b333bf2eaafc1543e33ddcf872594cf91e76d2f6eae3d95a031efcb3026fe6d8" +
  "a01809bb8eca9da70ed13200c9fc78d1";

/** A copy of `bytes` with byte `index` XOR-ed with 0x01. */
function flip(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index] = out[index]! ^ 0x01;
  return out;
}

/** Runs `fn` on a read-only connection to `path`. */
function withDb<T>(path: string, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function blob(v: unknown): Uint8Array {
  ok(v instanceof Uint8Array, "expected a BLOB column");
  return v;
}

/** DER bytes of a one-block PEM file. */
function pemToDer(path: string): Uint8Array {
  const text = readFileSync(path, "utf8");
  const body = text.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(body, "base64"));
}

// --- §3.4 key derivations ------------------------------------------------------------------

Deno.test("§9 derivation ids are …01 (canary) and …02 (realm name)", () => {
  strictEqual(toHex(CANARY_DERIVATION_ID), "00000000000000000000000000000001");
  strictEqual(toHex(REALM_NAME_DERIVATION_ID), "00000000000000000000000000000002");
});

Deno.test("§9 canary key of realm key aa00…0e", () => {
  strictEqual(
    toHex(deriveSecretKey(REALM_KEY_1, CANARY_DERIVATION_ID)),
    "9d97821e4142ef24585b571203921dbfdfee5dac60954171838de03989339671",
  );
});

Deno.test("§9 realm-name key of realm key aa00…0e", () => {
  strictEqual(
    toHex(deriveSecretKey(REALM_KEY_1, REALM_NAME_DERIVATION_ID)),
    "064e8444d588565cc68f9156273ffcdb120a242b7ad5ac9e4f62f68e47857778",
  );
});

Deno.test("§9 vlob key of f0…08", () => {
  strictEqual(
    toHex(deriveSecretKey(REALM_KEY_1, fromHex("f0000000000000000000000000000008"))),
    "245944ae208f6723fe89faf582e343c49ea9e0bbfb6385b6e66b70309c8ca114",
  );
});

Deno.test("§9 block key of f0…09", () => {
  strictEqual(
    toHex(deriveSecretKey(REALM_KEY_1, fromHex("f0000000000000000000000000000009"))),
    "ccee20d86d8c6dafb6ac0f04a90dce282a8407cf59092751304f17bc08a00244",
  );
});

Deno.test("derivation: a different key or id gives a different key; wrong sizes throw", () => {
  const canary = toHex(deriveSecretKey(REALM_KEY_1, CANARY_DERIVATION_ID));
  ok(toHex(deriveSecretKey(flip(REALM_KEY_1, 31), CANARY_DERIVATION_ID)) !== canary);
  // The salt half (bytes 0..7) and the personal half (bytes 8..15) both matter.
  ok(toHex(deriveSecretKey(REALM_KEY_1, flip(CANARY_DERIVATION_ID, 0))) !== canary);
  ok(toHex(deriveSecretKey(REALM_KEY_1, flip(CANARY_DERIVATION_ID, 8))) !== canary);
  throws(() => deriveSecretKey(REALM_KEY_1.subarray(0, 31), CANARY_DERIVATION_ID), RangeError);
  throws(() => deriveSecretKey(REALM_KEY_1, new Uint8Array(15)), RangeError);
});

// --- §3.5 sealed box: mallory's access row _id 3 ---------------------------------------------

fixtureTest("§9 mallory's sealed access _id 3 opens to keys_bundle_key aa00…0f", () => {
  const access = withDb(WORKSPACE_HISTORY, (db) => {
    const row = db.prepare(
      "SELECT user_id, key_index, access FROM realm_keys_bundle_access WHERE _id = 3",
    ).get();
    ok(row);
    strictEqual(toHex(blob(row.user_id)), "3a11031c001000000000000000000000");
    strictEqual(row.key_index, 1);
    return blob(row.access);
  });
  strictEqual(access.length, 108);

  const pk = x25519PublicKey(MALLORY_SK);
  strictEqual(toHex(pk), MALLORY_PK);
  const epk = access.subarray(0, 32);
  strictEqual(toHex(epk), "173221b62da98760177d58af47da0dafad3bf048472ce44b086df863777a4215");
  strictEqual(
    toHex(blake2b(concatBytes(epk, pk), { dkLen: 24 })),
    "ab0e07d1607d2dee0cd0702a95500bc227adfead0ee8a1b3",
  );

  const opened = openSealedBox(access, pk, MALLORY_SK);
  ok(opened);
  strictEqual(opened.length, 60);
  ok(toHex(opened).startsWith("0028b52ffd0058950100840282a474797065b8"));
  const msgpack = decompressFormatV0(opened);
  strictEqual(
    toHex(msgpack),
    "82a474797065b8" + toHex(utf8("realm_keys_bundle_access")) + "af" +
      toHex(utf8("keys_bundle_key")) + "c420" + toHex(KEYS_BUNDLE_KEY_1),
  );
  strictEqual(toHex(decodeKeysBundleAccess(opened).keysBundleKey), toHex(KEYS_BUNDLE_KEY_1));

  // Tampering: any altered byte (ephemeral key, tag, ciphertext) or another key fails.
  for (const i of [0, 31, 32, 47, 48, 107]) {
    strictEqual(openSealedBox(flip(access, i), pk, MALLORY_SK), undefined, `byte ${i}`);
  }
  const alice = fromHex(USER_KEYS.alice);
  strictEqual(openSealedBox(access, x25519PublicKey(alice), alice), undefined);
  strictEqual(openSealedBox(access.subarray(0, 47), pk, MALLORY_SK), undefined);
});

// --- §3.3 secret box: keys bundle, canary, realm name, block ---------------------------------

fixtureTest("§9 keys bundle 1 decrypts to realm key aa00…0e", () => {
  const bundle = withDb(WORKSPACE_HISTORY, (db) => {
    const row = db.prepare("SELECT keys_bundle FROM realm_keys_bundle WHERE key_index = 1").get();
    ok(row);
    return blob(row.keys_bundle);
  });
  strictEqual(bundle.length, 209);
  strictEqual(toHex(bundle.subarray(0, 24)), "07d40a7309412bc7395008c9ab4e2ea5e240f9d22ae7cee4");

  const signed = openSecretBox(KEYS_BUNDLE_KEY_1, bundle);
  ok(signed);
  strictEqual(signed.length, 169);
  const parts = splitSigned(signed);
  ok(parts);
  strictEqual(parts.signature.length, 64);
  ok(toHex(parts.message).startsWith("0028b52ffd0058fd0200f404"));
  // Signed by alice@dev1 (harmless extra check, spec §6.5).
  assertEquals(verifySigned(fromHex(ALICE_DEVICE_VERIFY_KEY), signed), parts.message);

  const decoded = decodeKeysBundle(parts.message);
  strictEqual(decoded.author, "de10a11cec0010000000000000000000");
  strictEqual(decoded.timestamp, 978307201000000); // 2001-01-01T00:00:01Z
  strictEqual(decoded.realmId, "f0000000000000000000000000000008");
  assertEquals(decoded.keys.map(toHex), [toHex(REALM_KEY_1)]);

  strictEqual(openSecretBox(flip(KEYS_BUNDLE_KEY_1, 0), bundle), undefined);
  for (const i of [0, 23, 24, 39, 40, 208]) {
    strictEqual(openSecretBox(KEYS_BUNDLE_KEY_1, flip(bundle, i)), undefined, `byte ${i}`);
  }
});

fixtureTest("§9 key canary opens to empty; encrypted realm name is `wksp1`", () => {
  const certs = withDb(
    WORKSPACE_HISTORY,
    (db) =>
      db.prepare("SELECT certificate FROM realm_certificate ORDER BY _id").all()
        .map((r) => decodeRealmCertificate(splitSigned(blob(r.certificate))!.message)),
  );
  const rotation = certs.find((c) => c.type === "realm_key_rotation_certificate");
  const name = certs.find((c) => c.type === "realm_name_certificate");
  ok(rotation?.type === "realm_key_rotation_certificate");
  ok(name?.type === "realm_name_certificate");
  strictEqual(rotation.keyIndex, 1);
  strictEqual(name.keyIndex, 1);

  strictEqual(toHex(rotation.keyCanary), KEY_CANARY);
  const canaryKey = deriveSecretKey(REALM_KEY_1, CANARY_DERIVATION_ID);
  assertEquals(openSecretBox(canaryKey, rotation.keyCanary), new Uint8Array(0));
  strictEqual(openSecretBox(canaryKey, flip(rotation.keyCanary, 39)), undefined);
  strictEqual(
    openSecretBox(deriveSecretKey(REALM_KEY_1, REALM_NAME_DERIVATION_ID), rotation.keyCanary),
    undefined,
  );

  const hex = toHex(name.encryptedName);
  strictEqual(hex.slice(0, 8), "a9fe9b3a");
  strictEqual(hex.slice(-8), "4c3c939b");
  strictEqual(name.encryptedName.length, 40 + 5);
  const nameKey = deriveSecretKey(REALM_KEY_1, REALM_NAME_DERIVATION_ID);
  const plain = openSecretBox(nameKey, name.encryptedName);
  ok(plain);
  strictEqual(new TextDecoder().decode(plain), "wksp1");
  strictEqual(openSecretBox(nameKey, flip(name.encryptedName, 44)), undefined);
});

fixtureTest("§9 block f0…09 (sequential_id 100) decrypts to `Hello v1`", () => {
  const row = withDb(WORKSPACE_HISTORY, (db) =>
    db.prepare(
      "SELECT block.block_id, block.key_index, block.size, block_data.data FROM block " +
        "JOIN block_data ON block_data.block = block.sequential_id WHERE sequential_id = 100",
    ).get());
  ok(row);
  strictEqual(toHex(blob(row.block_id)), "f0000000000000000000000000000009");
  strictEqual(row.key_index, 1);
  strictEqual(row.size, 48);
  const data = blob(row.data);
  strictEqual(toHex(data), BLOCK_F09);

  const key = deriveSecretKey(REALM_KEY_1, blob(row.block_id));
  const plain = openSecretBox(key, data);
  ok(plain);
  strictEqual(new TextDecoder().decode(plain), "Hello v1");
  strictEqual(sha256Hex(plain), "cf1e620e252728cced23a12a60c0d5a9a6ce378cddfd1c2a1641203ce03c9435");
  strictEqual(openSecretBox(key, flip(data, 47)), undefined);
  strictEqual(openSecretBox(key, data.subarray(0, 39)), undefined);
  // The vlob key of another id does not open it.
  strictEqual(
    openSecretBox(deriveSecretKey(REALM_KEY_1, fromHex("f0" + "00".repeat(14) + "08")), data),
    undefined,
  );
});

// --- §3.2 Ed25519 ----------------------------------------------------------------------------

fixtureTest(
  "§9 common_certificate _id 0 verifies with the root key (alice's user certificate)",
  () => {
    const { cert, rootKey } = withDb(WORKSPACE_HISTORY, (db) => {
      const c = db.prepare("SELECT certificate FROM common_certificate WHERE _id = 0").get();
      const i = db.prepare("SELECT root_verify_key FROM info WHERE magic = 87948").get();
      ok(c && i);
      return { cert: blob(c.certificate), rootKey: blob(i.root_verify_key) };
    });
    strictEqual(toHex(rootKey), ROOT_VERIFY_KEY);
    strictEqual(cert.length, 288);
    strictEqual(toHex(cert.subarray(0, 4)), "a8ef65b5");
    strictEqual(toHex(cert.subarray(60, 64)), "225e180a");
    ok(toHex(cert.subarray(64)).startsWith("0028b52ffd0058b50600a40c"));

    const message = verifySigned(rootKey, cert);
    ok(message);
    assertEquals(message, cert.subarray(64));
    const msgpack = decompressFormatV0(message);
    strictEqual(msgpack.length, 222);
    strictEqual(toHex(msgpack.subarray(0, 1)), "88");
    const user = decodeCommonCertificate(message);
    ok(user.type === "user_certificate");
    strictEqual(user.author, null);
    strictEqual(user.timestamp, 946771200000000); // 2000-01-02T00:00:00Z
    strictEqual(user.userId, "a11cec00100000000000000000000000");
    assertEquals(user.humanHandle, { email: "alice@example.com", label: "Alicey McAliceFace" });
    strictEqual(user.profile, "ADMIN");
    strictEqual(toHex(user.publicKey).slice(0, 8), "6dd981eb");
    strictEqual(toHex(user.publicKey).slice(-8), "ee95cc13");
    // Alice's public key is X25519 of her testbed private key.
    strictEqual(toHex(user.publicKey), toHex(x25519PublicKey(fromHex(USER_KEYS.alice))));

    for (const i of [0, 63, 64, 100, 287]) {
      strictEqual(verifySigned(rootKey, flip(cert, i)), undefined, `byte ${i}`);
    }
    strictEqual(verifySigned(flip(rootKey, 0), cert), undefined);
    strictEqual(verifySigned(fromHex(ALICE_DEVICE_VERIFY_KEY), cert), undefined);
    strictEqual(verifySigned(rootKey.subarray(0, 31), cert), undefined);
    strictEqual(verifySigned(rootKey, cert.subarray(0, 63)), undefined);
  },
);

fixtureTest("§9 common_certificate _id 1 is alice's root-signed device certificate", () => {
  const cert = withDb(
    WORKSPACE_HISTORY,
    (db) =>
      blob(
        db.prepare("SELECT certificate FROM common_certificate WHERE _id = 1").get()!.certificate,
      ),
  );
  const message = verifySigned(fromHex(ROOT_VERIFY_KEY), cert);
  ok(message);
  const device = decodeCommonCertificate(message);
  ok(device.type === "device_certificate");
  strictEqual(device.author, null);
  strictEqual(device.deviceId, "de10a11cec0010000000000000000000");
  strictEqual(toHex(device.verifyKey), ALICE_DEVICE_VERIFY_KEY);
});

// --- §3.6 sequester RSA armors ----------------------------------------------------------------

fixtureTest("§9 Service 1's RSA armor: secret 5c6f1ef5…, keys_bundle_key aa00…0e", () => {
  const row = withDb(SEQUESTERED, (db) =>
    db.prepare(
      "SELECT sequester_service_id, key_index, access FROM realm_sequester_keys_bundle_access",
    ).all());
  strictEqual(row.length, 1);
  strictEqual(toHex(blob(row[0]!.sequester_service_id)), "00000000000000000000000000000001");
  strictEqual(row[0]!.key_index, 2);
  const access = blob(row[0]!.access);
  strictEqual(access.length, 264);
  strictEqual(
    new TextDecoder().decode(access.subarray(0, 36)),
    "RSAES-OAEP-SHA256-XSALSA20-POLY1305:",
  );
  const rsaPart = access.subarray(36, 36 + 128);
  strictEqual(toHex(rsaPart.subarray(0, 8)), "b8b7cb66244b0df7");
  const boxPart = access.subarray(36 + 128);
  strictEqual(boxPart.length, 100);

  const key = importRsaPrivateKeyPkcs8(readFileSync(`${KEYS}sequester_service_1.pkcs8.der`));
  strictEqual(key.modulusBits, 1024);
  assertEquals(key.publicKeyDer, pemToDer(`${KEYS}sequester_service_1.public.pem`));

  // Step by step: RSA-OAEP-SHA256 gives the 32-byte secret, which opens the secret box.
  const secret = new Uint8Array(privateDecrypt({
    key: key.key,
    padding: constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: "sha256",
  }, rsaPart));
  strictEqual(toHex(secret), "5c6f1ef5f37285c4b74d9210271c7afbfa2f02903f120f6e0a020e3d6666408a");
  const record = openSecretBox(secret, boxPart);
  ok(record);
  strictEqual(record.length, 60);
  strictEqual(
    toHex(decodeKeysBundleAccess(record).keysBundleKey),
    "aa" + "00".repeat(30) + "0e",
  );

  // The same through openRsaArmor.
  const opened = openRsaArmor(key, access);
  assertEquals(opened, { ok: true, plaintext: record });

  // Failures, one per layer.
  assertEquals(openRsaArmor(key, flip(access, 40)), { ok: false, failure: "rsa_failed" });
  assertEquals(openRsaArmor(key, flip(access, 263)), { ok: false, failure: "secret_box_failed" });
  assertEquals(openRsaArmor(key, flip(access, 0)), { ok: false, failure: "unknown_algorithm" });
  assertEquals(openRsaArmor(key, access.subarray(0, 36 + 128 + 39)), {
    ok: false,
    failure: "bad_layout",
  });
  assertEquals(openRsaArmor(key, access.subarray(37)), { ok: false, failure: "bad_layout" });
  const other = importRsaPrivateKeyPkcs8(
    pemToDer(`${KEYS}sequester_service_2.pkcs8.pem`),
  );
  assertEquals(openRsaArmor(other, access), { ok: false, failure: "rsa_failed" });
});

fixtureTest("§9 sequester_certificate _id 1 verifies (RSASSA-PSS) with the authority key", () => {
  const rows = withDb(
    SEQUESTERED,
    (db) =>
      db.prepare("SELECT certificate FROM sequester_certificate ORDER BY _id").all()
        .map((r) => blob(r.certificate)),
  );
  const authorityDer = pemToDer(`${KEYS}sequester_authority.public.pem`);
  const service1Der = pemToDer(`${KEYS}sequester_service_1.public.pem`);

  // _id 0: the authority certificate, root-signed, carries the same SPKI DER as the PEM.
  const authorityPayload = verifySigned(fromHex(ROOT_VERIFY_KEY), rows[0]!);
  ok(authorityPayload);
  assertEquals(decodeSequesterAuthorityCertificate(authorityPayload).verifyKeyDer, authorityDer);

  const cert = rows[1]!;
  strictEqual(cert.length, 431);
  strictEqual(new TextDecoder().decode(cert.subarray(0, 18)), "RSASSA-PSS-SHA256:");
  const authority = importRsaPublicKeySpki(authorityDer);
  const verified = verifyRsaSigned(authority, cert);
  ok(verified.ok);
  strictEqual(verified.data.length, 285);
  assertEquals(verified.data, cert.subarray(18 + 128));
  const service = decodeSequesterServiceRecord(verified.data);
  assertEquals(service, {
    type: "sequester_service_certificate",
    timestamp: 947548800000000, // 2000-01-11T00:00:00Z
    serviceId: "00000000000000000000000000000001",
    serviceLabel: "Sequester Service 1",
    encryptionKeyDer: service1Der,
  });
  strictEqual(toHex(service1Der.subarray(0, 4)), "30819f30");

  assertEquals(verifyRsaSigned(importRsaPublicKeySpki(service1Der), cert), {
    ok: false,
    failure: "bad_signature",
  });
  for (const i of [18, 145, 146, 430]) {
    assertEquals(verifyRsaSigned(authority, flip(cert, i)), {
      ok: false,
      failure: "bad_signature",
    }, `byte ${i}`);
  }
  assertEquals(verifyRsaSigned(authority, flip(cert, 0)), {
    ok: false,
    failure: "unknown_algorithm",
  });
  assertEquals(verifyRsaSigned(authority, cert.subarray(0, 18 + 127)), {
    ok: false,
    failure: "bad_layout",
  });
  // An Ed25519 SPKI is not an RSA key.
  throws(
    () => importRsaPublicKeySpki(fromHex("302a300506032b6570032100" + ROOT_VERIFY_KEY)),
    TypeError,
  );
});

// --- §6.6 manifests and §6.7 blocks on real rows ----------------------------------------------

const ALICE_DEVICE = "de10a11cec0010000000000000000000";
const BOB_DEVICE = "de10808c001000000000000000000000";
const MALLORY_DEVICE = "de103a11031c00100000000000000000";
const REALM = "f0000000000000000000000000000008";

/** msgpack fixstr of an ASCII string, as hex. */
const fixstr = (s: string) => (0xa0 | s.length).toString(16) + toHex(utf8(s));

/** Trusted device verify keys of workspace_history (spec §6.2 pass over common_certificate). */
function trustedDevices(db: DatabaseSync): Map<string, Uint8Array> {
  const trusted = new Map<string, Uint8Array>();
  for (const r of db.prepare("SELECT certificate FROM common_certificate ORDER BY _id").all()) {
    const cert = blob(r.certificate);
    const peek = decodeCommonCertificate(splitSigned(cert)!.message);
    if (peek.type !== "device_certificate") continue;
    const signer = peek.author === null ? fromHex(ROOT_VERIFY_KEY) : trusted.get(peek.author);
    ok(signer && verifySigned(signer, cert));
    trusted.set(peek.deviceId, peek.verifyKey);
  }
  return trusted;
}

function vlobRow(db: DatabaseSync, sequentialId: number) {
  const r = db.prepare("SELECT * FROM vlob_atom WHERE sequential_id = ?").get(sequentialId);
  ok(r);
  return {
    sequentialId: Number(r.sequential_id),
    vlobId: toHex(blob(r.vlob_id)),
    version: Number(r.version),
    keyIndex: Number(r.key_index),
    author: toHex(blob(r.author)),
    timestamp: Number(r.timestamp),
    size: Number(r.size),
    blob: blob(r.blob),
  };
}

function blockRow(db: DatabaseSync, blockId: string) {
  const r = db.prepare(
    "SELECT block.key_index, block_data.data FROM block LEFT JOIN block_data " +
      "ON block_data.block = block.sequential_id WHERE block.block_id = ?",
  ).get(fromHex(blockId));
  return r
    ? { keyIndex: Number(r.key_index), data: r.data === null ? null : blob(r.data) }
    : undefined;
}

fixtureTest("§9 manifest sequential_id 200 (root v1) step by step and via decodeVlobAtom", () => {
  const { row, devices } = withDb(WORKSPACE_HISTORY, (db) => ({
    row: vlobRow(db, 200),
    devices: trustedDevices(db),
  }));
  assertEquals([...devices.keys()].sort(), [MALLORY_DEVICE, BOB_DEVICE, ALICE_DEVICE].sort());
  strictEqual(toHex(devices.get(ALICE_DEVICE)!), ALICE_DEVICE_VERIFY_KEY);
  assertEquals(
    { ...row, blob: undefined },
    {
      sequentialId: 200,
      vlobId: REALM,
      version: 1,
      keyIndex: 1,
      author: ALICE_DEVICE,
      timestamp: 978393600000000,
      size: 243,
      blob: undefined,
    },
  );
  strictEqual(row.blob.length, 243);
  strictEqual(toHex(row.blob.subarray(0, 24)), "60992f8bc9d41e07f62ea094cfa36e43bafd8b29e6c85aa2");
  const signed = openSecretBox(deriveSecretKey(REALM_KEY_1, fromHex(REALM)), row.blob);
  ok(signed);
  strictEqual(signed.length, 203);
  strictEqual(toHex(signed.subarray(0, 8)), "6cf6c661c87eedcb");
  strictEqual(toHex(signed.subarray(60, 64)), "a0665909");
  ok(toHex(signed.subarray(64)).startsWith("0028b52ffd00580d0400340789"));
  const payload = verifySigned(devices.get(ALICE_DEVICE)!, signed);
  ok(payload);
  const msgpack = decompressFormatV0(payload);
  strictEqual(msgpack.length, 168);
  strictEqual(
    toHex(msgpack),
    "89" + fixstr("type") + fixstr("folder_manifest") +
      fixstr("author") + "d802" + ALICE_DEVICE +
      fixstr("timestamp") + "d701000379d802fa8000" +
      fixstr("id") + "d802" + REALM +
      fixstr("parent") + "d802" + REALM +
      fixstr("version") + "01" +
      fixstr("created") + "d70100035d8e0c1b8000" +
      fixstr("updated") + "d70100035d8e0c1b8000" +
      fixstr("children") + "80",
  );

  const ctx = {
    realmId: REALM,
    latestKeyIndex: 1,
    keys: new Map([[1, REALM_KEY_1]]),
    verifyKeys: devices,
  };
  const decoded = decodeVlobAtom(row, ctx);
  const { blob: _, ...meta } = row;
  assertEquals(decoded, {
    row: meta,
    ok: true,
    manifest: {
      type: "folder_manifest",
      author: ALICE_DEVICE,
      timestamp: 978393600000000,
      id: REALM,
      parent: REALM,
      version: 1,
      created: 947289600000000, // 2000-01-08T00:00:00Z
      updated: 947289600000000,
      children: new Map(),
    },
  });
});

fixtureTest("§9 root v2 (sequential_id 203) children map bytes", () => {
  const { row, devices } = withDb(WORKSPACE_HISTORY, (db) => ({
    row: vlobRow(db, 203),
    devices: trustedDevices(db),
  }));
  const signed = openSecretBox(deriveSecretKey(REALM_KEY_1, fromHex(REALM)), row.blob)!;
  const msgpack = toHex(decompressFormatV0(verifySigned(devices.get(row.author)!, signed)!));
  ok(msgpack.endsWith(
    fixstr("children") + "82" + fixstr("foo") + "d802" + "f0" + "00".repeat(14) + "05" +
      fixstr("bar.txt") + "d802" + "f0" + "00".repeat(14) + "04",
  ));
});

fixtureTest("§9 file manifest sequential_id 204 → `Hello v2 world` through decryptBlock", () => {
  const { row, devices, blocks } = withDb(WORKSPACE_HISTORY, (db) => ({
    row: vlobRow(db, 204),
    devices: trustedDevices(db),
    blocks: new Map(
      ["f000000000000000000000000000000a", "f000000000000000000000000000000b"].map((
        id,
      ) => [id, blockRow(db, id)]),
    ),
  }));
  strictEqual(row.author, MALLORY_DEVICE);
  const signed = openSecretBox(deriveSecretKey(REALM_KEY_1, fromHex(row.vlobId)), row.blob)!;
  const msgpack = toHex(decompressFormatV0(verifySigned(devices.get(MALLORY_DEVICE)!, signed)!));
  strictEqual(msgpack.slice(0, 2), "8b");
  ok(
    msgpack.includes(fixstr("size") + "0e" + fixstr("blocksize") + "08" + fixstr("blocks") + "92"),
  );
  ok(
    msgpack.includes(
      "84" + fixstr("id") + "d802f000000000000000000000000000000a" + fixstr("offset") + "00" +
        fixstr("size") + "08" + fixstr("digest") + "c42068556ebb",
    ),
  );
  ok(
    msgpack.includes(
      "84" + fixstr("id") + "d802f000000000000000000000000000000b" + fixstr("offset") + "08" +
        fixstr("size") + "06" + fixstr("digest") + "c420045f13dd",
    ),
  );

  const keys = new Map([[1, REALM_KEY_1]]);
  const decoded = decodeVlobAtom(row, {
    realmId: REALM,
    latestKeyIndex: 1,
    keys,
    verifyKeys: devices,
  });
  ok(decoded.ok && decoded.manifest.type === "file_manifest");
  const m = decoded.manifest;
  strictEqual(m.id, "f0000000000000000000000000000004");
  strictEqual(m.version, 2);
  strictEqual(m.size, 14);
  strictEqual(m.blocksize, 8);
  assertEquals(m.blocks.map((b) => [b.id, b.offset, b.size]), [
    ["f000000000000000000000000000000a", 0, 8],
    ["f000000000000000000000000000000b", 8, 6],
  ]);
  const [d0, d1] = m.blocks.map((b) => toHex(b.digest));
  ok(d0!.startsWith("68556ebb") && d0!.endsWith("0c4a43"));
  ok(d1!.startsWith("045f13dd") && d1!.endsWith("d9bb8f4b"));
  strictEqual(d0, sha256Hex(utf8("Hello v2")));
  strictEqual(d1, sha256Hex(utf8(" world")));
  const parts = m.blocks.map((b) => {
    const r = decryptBlock(b, blocks.get(b.id), keys, 1);
    ok(r.ok, b.id);
    return r.data;
  });
  const content = concatBytes(...parts);
  strictEqual(new TextDecoder().decode(content), "Hello v2 world");
  strictEqual(
    sha256Hex(content),
    "c72c5ab9df690b02bf94129a4f7dec639bf078dd8197d71589de57ba9c3b1108",
  );
});

fixtureTest("decodeVlobAtom: each §6.6 check fails with its code, in order", () => {
  const { row, devices } = withDb(WORKSPACE_HISTORY, (db) => ({
    row: vlobRow(db, 200),
    devices: trustedDevices(db),
  }));
  const ctx = {
    realmId: REALM,
    latestKeyIndex: 1,
    keys: new Map([[1, REALM_KEY_1]]),
    verifyKeys: devices,
  };
  const problem = (r: typeof row, c: typeof ctx = ctx) => {
    const d = decodeVlobAtom(r, c);
    return d.ok ? "ok" : `${d.problem.code}/${d.problem.reason}`;
  };
  strictEqual(problem(row), "ok");
  // 1. key index beyond the latest (even with every later check also failing) or 0.
  strictEqual(
    problem({ ...row, keyIndex: 2, author: "00".repeat(16), blob: flip(row.blob, 50) }),
    "key_index_unknown/null",
  );
  strictEqual(problem({ ...row, keyIndex: 0 }), "key_index_unknown/null");
  // 2. key not obtained.
  strictEqual(
    problem({ ...row, author: "00".repeat(16) }, { ...ctx, keys: new Map() }),
    "key_unavailable/null",
  );
  // 3. author not trusted.
  strictEqual(
    problem({ ...row, author: "00".repeat(16), blob: flip(row.blob, 50) }),
    "author_unknown/null",
  );
  // 4. decryption: altered blob, wrong key.
  strictEqual(problem({ ...row, blob: flip(row.blob, 50) }), "decryption_failed/null");
  strictEqual(
    problem(row, { ...ctx, keys: new Map([[1, KEYS_BUNDLE_KEY_1]]) }),
    "decryption_failed/null",
  );
  // 5. signature by another device's key.
  const bobKeyForAlice = new Map([[ALICE_DEVICE, devices.get(BOB_DEVICE)!]]);
  strictEqual(
    problem(row, { ...ctx, verifyKeys: bobKeyForAlice }),
    "cleartext_corrupted/bad_signature",
  );
  // 8. row fields differing from the manifest's.
  const aliceKeyForBob = new Map([[BOB_DEVICE, devices.get(ALICE_DEVICE)!]]);
  strictEqual(
    problem({ ...row, author: BOB_DEVICE }, { ...ctx, verifyKeys: aliceKeyForBob }),
    "cleartext_corrupted/unexpected_author",
  );
  strictEqual(
    problem({ ...row, timestamp: row.timestamp + 1 }),
    "cleartext_corrupted/unexpected_timestamp",
  );
  strictEqual(problem({ ...row, version: 2 }), "cleartext_corrupted/unexpected_version");
  // The root must decode as a root: the same blob read as a child breaks `parent != id`.
  strictEqual(
    problem(row, { ...ctx, realmId: "f0" + "00".repeat(14) + "03" }),
    "cleartext_corrupted/integrity",
  );
});

Deno.test("decodeVlobAtom: serialization, integrity and id problems (synthetic signed blobs)", () => {
  const alice = signingKeyFromSeed(fromHex("aa" + "00".repeat(30) + "03"));
  strictEqual(toHex(alice.verifyKey), ALICE_DEVICE_VERIFY_KEY);
  const child = "f0" + "00".repeat(14) + "05";
  const nonce = new Uint8Array(24).fill(7);
  const seal = (vlobId: string, payload: Uint8Array) =>
    sealSecretBox(
      deriveSecretKey(REALM_KEY_1, fromHex(vlobId)),
      signMessage(alice, payload),
      nonce,
    );
  const manifest = (id: string, parent: string) =>
    encodeFormatV0(folderManifest({
      author: fromHex(ALICE_DEVICE),
      timestamp: 5,
      id: fromHex(id),
      parent: fromHex(parent),
      version: 1,
      created: 5,
      updated: 5,
      children: [],
    }));
  const ctx = {
    realmId: REALM,
    latestKeyIndex: 1,
    keys: new Map([[1, REALM_KEY_1]]),
    verifyKeys: new Map([[ALICE_DEVICE, alice.verifyKey]]),
  };
  const row = (vlobId: string, payload: Uint8Array) => ({
    sequentialId: 1,
    vlobId,
    version: 1,
    keyIndex: 1,
    author: ALICE_DEVICE,
    timestamp: 5,
    size: 0,
    blob: seal(vlobId, payload),
  });
  const problem = (vlobId: string, payload: Uint8Array) => {
    const d = decodeVlobAtom(row(vlobId, payload), ctx);
    return d.ok ? "ok" : `${d.problem.code}/${d.problem.reason}`;
  };
  strictEqual(problem(child, manifest(child, REALM)), "ok");
  strictEqual(problem(REALM, manifest(REALM, REALM)), "ok");
  strictEqual(problem(child, fromHex("0100")), "cleartext_corrupted/bad_serialization");
  strictEqual(
    problem(child, encodeFormatV0(new MsgMap([["type", "folder_manifest"]]))),
    "cleartext_corrupted/bad_serialization",
  );
  strictEqual(problem(REALM, manifest(REALM, child)), "cleartext_corrupted/integrity");
  strictEqual(problem(child, manifest(child, child)), "cleartext_corrupted/integrity");
  // Encrypted for `child` but claiming to be another entry.
  const other = "f0" + "00".repeat(14) + "06";
  strictEqual(problem(child, manifest(other, REALM)), "cleartext_corrupted/unexpected_id");
});

fixtureTest("decryptBlock: block f0…09 and each §6.7 failure code", () => {
  const encrypted = withDb(
    WORKSPACE_HISTORY,
    (db) => blockRow(db, "f0000000000000000000000000000009"),
  );
  ok(encrypted);
  const access = {
    id: "f0000000000000000000000000000009",
    size: 8,
    digest: fromHex("cf1e620e252728cced23a12a60c0d5a9a6ce378cddfd1c2a1641203ce03c9435"),
  };
  const keys = new Map([[1, REALM_KEY_1]]);
  assertEquals(decryptBlock(access, encrypted, keys, 1), { ok: true, data: utf8("Hello v1") });
  const code = (r: ReturnType<typeof decryptBlock>) => (r.ok ? "ok" : r.problem.code);
  strictEqual(code(decryptBlock(access, undefined, keys, 1)), "block_not_found");
  strictEqual(
    code(decryptBlock(access, { keyIndex: 1, data: null }, keys, 1)),
    "block_data_missing",
  );
  strictEqual(
    code(decryptBlock(access, { ...encrypted, keyIndex: 2 }, keys, 1)),
    "key_index_unknown",
  );
  strictEqual(
    code(decryptBlock(access, { ...encrypted, keyIndex: 0 }, keys, 1)),
    "key_index_unknown",
  );
  strictEqual(code(decryptBlock(access, encrypted, new Map(), 1)), "key_unavailable");
  strictEqual(
    code(decryptBlock(access, { ...encrypted, data: flip(encrypted.data!, 30) }, keys, 1)),
    "decryption_failed",
  );
  strictEqual(
    code(decryptBlock({ ...access, id: "f0" + "00".repeat(14) + "0a" }, encrypted, keys, 1)),
    "decryption_failed",
  );
  strictEqual(code(decryptBlock({ ...access, size: 7 }, encrypted, keys, 1)), "size_mismatch");
  strictEqual(
    code(decryptBlock({ ...access, digest: flip(access.digest, 0) }, encrypted, keys, 1)),
    "hash_mismatch",
  );
  const failed = decryptBlock(access, undefined, keys, 1);
  ok(!failed.ok);
  strictEqual(failed.problem.blockId, access.id);
});
