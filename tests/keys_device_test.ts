/**
 * Parsec device files built by hand from the schemas (`local_device/*.json5`): password and
 * recovery files open the export of their user (alone or with `--user-key`), wrong secrets and
 * on-line protections fail in one line.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { buildExport, type BuildResult } from "../scripts/builder/build.ts";
import { basicScenario } from "../scripts/builder/presets.ts";
import type { MsgValue } from "../src/codec/msgpack.ts";
import { dt, encodeMsgpack, struct, uuid } from "../src/codec/msgpack_encode.ts";
import { argon2idKey } from "../src/crypto/argon2id.ts";
import { sealSecretBox } from "../src/crypto/secret_box.ts";
import {
  decodeDeviceFile,
  openDeviceFile,
  recoveryPassphraseKey,
  recoveryPassphraseOf,
} from "../src/keys/device_file.ts";
import { KeyFormError } from "../src/keys/rsa_key_forms.ts";
import { toHex } from "../src/util/bytes.ts";
import { runCli, withTempDir } from "./helpers.ts";
import { throwsWith } from "./keys_helpers.ts";

const PASSWORD = "correct horse battery staple";
const ARGON = { memlimitKb: 64, opslimit: 1, parallelism: 1, salt: new Uint8Array(16).fill(9) };

type User = BuildResult["plan"]["users"][number];

function localDevice(user: User, org: string): Uint8Array {
  const device = user.devices[0]!;
  return encodeMsgpack(struct("local_device", [
    ["server_url", "https://parsec.invalid/"],
    ["organization_id", org],
    ["root_verify_key", new Uint8Array(32)],
    ["user_id", uuid(user.id)],
    ["device_id", uuid(device.id)],
    ["device_label", "dev1 machine"],
    ["human_handle", [user.humanHandle!.email, user.humanHandle!.label]],
    ["signing_key", new Uint8Array(32)],
    ["private_key", user.privateKey],
    ["initial_profile", "ADMIN"],
    ["user_realm_id", uuid(new Uint8Array(16))],
    ["user_realm_key", new Uint8Array(32)],
    ["local_symkey", new Uint8Array(32)],
  ]));
}

function header(user: User, org: string): [string, MsgValue][] {
  return [
    ["created_on", dt(946_684_800_000_000)],
    ["protected_on", dt(946_684_800_000_000)],
    ["server_url", "https://parsec.invalid/"],
    ["organization_id", org],
    ["user_id", uuid(user.id)],
    ["device_id", uuid(user.devices[0]!.id)],
    ["human_handle", [user.humanHandle!.email, user.humanHandle!.label]],
    ["device_label", "dev1 machine"],
  ];
}

const seal = (key: Uint8Array, clear: Uint8Array) => sealSecretBox(key, clear, randomBytes(24));

function passwordFile(user: User, org: string, opts: { totp?: boolean } = {}): Uint8Array {
  return encodeMsgpack(struct("password", [
    ...header(user, org),
    [
      "algorithm",
      struct("ARGON2ID", [
        ["memlimit_kb", ARGON.memlimitKb],
        ["opslimit", ARGON.opslimit],
        ["parallelism", ARGON.parallelism],
        ["salt", ARGON.salt],
      ]),
    ],
    ["ciphertext", seal(argon2idKey(PASSWORD, ARGON), localDevice(user, org))],
    ["totp_opaque_key_id", opts.totp ? uuid(new Uint8Array(16).fill(1)) : null],
  ]));
}

/** The early v3 positional form: `[type, field...]`, the algorithm as an array too. */
function passwordFileAsArray(user: User, org: string): Uint8Array {
  return encodeMsgpack([
    "password",
    ...header(user, org).map(([, v]) => v),
    ["ARGON2ID", ARGON.memlimitKb, ARGON.opslimit, ARGON.parallelism, ARGON.salt],
    seal(argon2idKey(PASSWORD, ARGON), localDevice(user, org)),
  ]);
}

function recoveryFile(user: User, org: string, key: Uint8Array): Uint8Array {
  return encodeMsgpack(struct("recovery", [
    ...header(user, org),
    ["ciphertext", seal(key, localDevice(user, org))],
  ]));
}

function keyringFile(user: User, org: string): Uint8Array {
  return encodeMsgpack(struct("keyring", [
    ...header(user, org),
    ["keyring_service", "parsec"],
    ["keyring_user", "alice"],
    ["ciphertext", new Uint8Array(80)],
    ["totp_opaque_key_id", null],
  ]));
}

async function withBuilt(fn: (b: BuildResult, dir: string) => Promise<void>) {
  await withTempDir(async (dir) => {
    await fn(buildExport(basicScenario(), { out: `${dir}/basic.sqlite`, seed: 3 }), dir);
  });
}

Deno.test("device file: recovery passphrases read as Parsec reads them", () => {
  const key = new Uint8Array(32).map((_, i) => i * 7);
  const phrase = recoveryPassphraseOf(key);
  assertEquals(phrase.split("-").length, 13);
  assertEquals(recoveryPassphraseKey(phrase), key);
  assertEquals(recoveryPassphraseKey(` ${phrase.toLowerCase().replaceAll("-", " ")}\n`), key);
  assertEquals(recoveryPassphraseKey(phrase.replaceAll("O", "0").replaceAll("I", "1")), key);
  throwsWith(() => recoveryPassphraseKey("ABCD-EFGH"), KeyFormError, "wrong recovery passphrase");
});

Deno.test("device file: password and recovery files open the export of their user", async () => {
  await withBuilt(async (built, dir) => {
    const org = built.plan.organizationId;
    const alice = built.plan.users.find((u) => u.name === "alice")!;
    const bob = built.plan.users.find((u) => u.name === "bob")!;
    const recoveryKey = new Uint8Array(randomBytes(32));
    const files = {
      "alice.keys": passwordFile(alice, org),
      "alice-array.keys": passwordFileAsArray(alice, org),
      "alice.psrk": recoveryFile(alice, org, recoveryKey),
    };
    for (const [name, bytes] of Object.entries(files)) {
      await Deno.writeFile(`${dir}/${name}`, bytes);
    }
    await Deno.writeTextFile(`${dir}/password.txt`, `${PASSWORD}\n`);
    await Deno.writeTextFile(`${dir}/recovery.txt`, recoveryPassphraseOf(recoveryKey));

    const parsed = decodeDeviceFile(files["alice-array.keys"]);
    assertEquals([parsed.protection, parsed.userId, parsed.organizationId], [
      "password",
      toHex(alice.id),
      org,
    ]);
    assertEquals(openDeviceFile(parsed, PASSWORD).privateKey, alice.privateKey);

    const lsWith = (key: string, secretFile: string, extra: string[] = []) =>
      runCli([
        "ls",
        built.exportPath,
        "--key",
        `${dir}/${key}`,
        "--passphrase-file",
        `${dir}/${secretFile}`,
        "--json",
        ...extra,
      ]);
    const expected = await runCli([
      "ls",
      built.exportPath,
      "--user-key",
      toHex(alice.privateKey),
      "--json",
    ]);
    assertEquals(expected.code, 0, expected.stderr);
    for (
      const [key, secret] of [
        ["alice.keys", "password.txt"],
        ["alice-array.keys", "password.txt"],
        ["alice.psrk", "recovery.txt"],
      ] as const
    ) {
      const r = await lsWith(key, secret);
      assertEquals(r.code, 0, `${key}: ${r.stderr}`);
      assertEquals(r.stdout, expected.stdout, key);
    }
    const both = await lsWith("alice.keys", "password.txt", ["--user-key", toHex(bob.privateKey)]);
    assertEquals(both.code, 0, both.stderr);
    assertEquals(both.stdout, expected.stdout);

    const match = await runCli([
      "keys",
      "match",
      `${dir}/alice.keys`,
      built.exportPath,
      "--passphrase-file",
      `${dir}/password.txt`,
      "--json",
    ]);
    assertEquals(match.code, 0, match.stderr);
    const m = JSON.parse(match.stdout);
    assertEquals([m.owner.kind, m.owner.user_id, m.owner.email], [
      "user",
      toHex(alice.id),
      alice.humanHandle!.email,
    ]);

    const inspect = await runCli(["keys", "inspect", `${dir}/alice.keys`, "--json"]);
    assertEquals(inspect.code, 0, inspect.stderr);
    const i = JSON.parse(inspect.stdout);
    assertEquals([i.kind, i.protection, i.organization, i.user_id, i.human_handle.email], [
      "parsec_device_file",
      "password",
      org,
      toHex(alice.id),
      alice.humanHandle!.email,
    ]);
    assertEquals(i.public_key_sha256, null);

    const wrong = await lsWith("alice.keys", "recovery.txt");
    assertEquals(wrong.code, 2);
    assertEquals(wrong.stderr, `sequex: Cannot use key "${dir}/alice.keys": wrong password\n`);
    const wrongRecovery = await lsWith("alice.psrk", "password.txt");
    assertEquals(wrongRecovery.code, 2);
    ok(
      wrongRecovery.stderr.startsWith(
        `sequex: Cannot use key "${dir}/alice.psrk": wrong recovery passphrase`,
      ),
    );
  });
});

Deno.test("device file: another organization's device, keyring and TOTP files fail in one line", async () => {
  await withBuilt(async (built, dir) => {
    const other = buildExport(basicScenario(), { out: `${dir}/other.sqlite`, seed: 4 });
    const stranger = other.plan.users.find((u) => u.name === "alice")!;
    const alice = built.plan.users.find((u) => u.name === "alice")!;
    const org = built.plan.organizationId;
    await Deno.writeFile(`${dir}/stranger.keys`, passwordFile(stranger, org));
    await Deno.writeFile(`${dir}/keyring.keys`, keyringFile(alice, org));
    await Deno.writeFile(`${dir}/totp.keys`, passwordFile(alice, org, { totp: true }));
    await Deno.writeTextFile(`${dir}/password.txt`, PASSWORD);
    const run = (key: string) =>
      runCli([
        "ls",
        built.exportPath,
        "--key",
        `${dir}/${key}`,
        "--passphrase-file",
        `${dir}/password.txt`,
      ]);
    const cases: [string, string][] = [
      ["stranger.keys", "this key belongs to no user of the export"],
      [
        "keyring.keys",
        "this Parsec device file is protected by the OS keyring, which cannot be opened off-line",
      ],
      [
        "totp.keys",
        "protected by a password and a TOTP second factor checked by the server, which cannot be opened off-line",
      ],
    ];
    for (const [key, reason] of cases) {
      const r = await run(key);
      assertEquals(r.code, 2, key);
      ok(r.stderr.startsWith(`sequex: Cannot use key "${dir}/${key}": `), r.stderr);
      ok(r.stderr.includes(reason), r.stderr);
      assertEquals(r.stderr.split("\n").length, 2);
    }
  });
});
