/** `keys match` and `keys inspect` on the real sequestered export and its fixture keys. */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { fixtureTest, KEYS, runCli, SEQUESTERED, USER_KEYS, withTempDir } from "./helpers.ts";

/** `keys match --json`; exit code 0 when the key belongs to the export, 1 when not. */
async function matchJson(key: string, extra: string[] = [], code = 0) {
  const r = await runCli(["keys", "match", `${KEYS}${key}`, SEQUESTERED, "--json", ...extra], {
    env: { SEQUEX_PASS: "investigation" },
  });
  assertEquals(r.code, code, r.stderr);
  return JSON.parse(r.stdout);
}

fixtureTest("keys match: services 1, 2 and 3 of the sequestered export", async () => {
  const s1 = await matchJson("sequester_service_1.encrypted-pkcs1.pem", [
    "--passphrase-env",
    "SEQUEX_PASS",
  ]);
  assertEquals(s1.owner, {
    kind: "sequester_service",
    service_id: "00000000000000000000000000000001",
    label: "Sequester Service 1",
    created_on: "2000-01-11T00:00:00.000000Z",
    revoked: true,
    revoked_on: "2000-01-16T00:00:00.000000Z",
  });
  assertEquals([s1.key_indexes_obtained, s1.key_indexes_missing], [[1, 2], [3]]);
  assertEquals(s1.readable, [{
    from: "2000-01-05T00:00:00.000000Z",
    until: "2000-01-17T00:00:00.000000Z",
  }]);
  const s2 = await matchJson("sequester_service_2.pkcs8.pem");
  assertEquals([s2.owner.label, s2.owner.revoked, s2.key_indexes_obtained, s2.readable], [
    "Sequester Service 2",
    false,
    [],
    [],
  ]);
  const s3 = await matchJson("sequester_service_3.pkcs8.pem", [], 1);
  assertEquals(s3.owner, null);
  ok(s3.reason.startsWith("this key belongs to no sequester service of the export"));
  const text = await runCli(["keys", "match", `${KEYS}sequester_service_1.pkcs8.pem`, SEQUESTERED]);
  ok(text.stdout.includes('belongs to sequester service "Sequester Service 1"'), text.stdout);
  ok(text.stdout.includes("opens key indexes: 1, 2; cannot open: 3"), text.stdout);
});

fixtureTest("keys inspect: form, size and public key hash, without secrets", async () => {
  const r = await runCli([
    "keys",
    "inspect",
    `${KEYS}sequester_service_1.encrypted-pkcs8.pem`,
    "--passphrase-env",
    "SEQUEX_PASS",
    "--json",
  ], { env: { SEQUEX_PASS: "investigation" } });
  assertEquals(r.code, 0, r.stderr);
  const i = JSON.parse(r.stdout);
  assertEquals([i.kind, i.container, i.encrypted, i.bits], [
    "rsa_private_key",
    "pkcs8",
    true,
    1024,
  ]);
  assertEquals(i.encryption, "PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations, AES-256-CBC)");
  const clear = await runCli(["keys", "inspect", `${KEYS}sequester_service_1.pkcs8.der`, "--json"]);
  assertEquals(JSON.parse(clear.stdout).public_key_sha256, i.public_key_sha256);
  ok(!r.stdout.includes("investigation"));
});

fixtureTest("keys match and inspect take a user key file (64 hex characters)", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bob.key`, `${USER_KEYS.bob}\n`);
    const r = await runCli(["keys", "match", `${dir}/bob.key`, SEQUESTERED, "--json"]);
    assertEquals(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout);
    assertEquals([m.owner.user_id, m.owner.email, m.key_indexes_obtained], [
      "808c0010000000000000000000000000",
      "bob@example.com",
      [1, 2, 3],
    ]);
    const i = await runCli(["keys", "inspect", `${dir}/bob.key`, "--json"]);
    assertEquals(JSON.parse(i.stdout).kind, "x25519_user_key");
    ok(!i.stdout.includes(USER_KEYS.bob) && !r.stdout.includes(USER_KEYS.bob));
  });
});
