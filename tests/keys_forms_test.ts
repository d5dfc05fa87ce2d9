/**
 * Every RSA private key form opens with the right passphrase and fails in one line with a wrong
 * one: the real fixture keys on the real export (CLI), and 4096-bit keys made here with openssl.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { throwsWith } from "./keys_helpers.ts";
import { decodeRsaPrivateKey, detectRsaKeyForm, KeyFormError } from "../src/keys/rsa_key_forms.ts";
import { sha256Hex } from "../src/crypto/sha256.ts";
import { fixtureTest, KEYS, runCli, SEQUESTERED, withTempDir } from "./helpers.ts";

const PASS = "investigation";
const SERVICE_1_FORMS = [
  "sequester_service_1.pkcs8.pem",
  "sequester_service_1.pkcs8.der",
  "sequester_service_1.pkcs1.pem",
  "sequester_service_1.encrypted-pkcs8.pem",
  "sequester_service_1.encrypted-pkcs1.pem",
];

function lsWith(keyName: string, passphraseFile: string, extra: string[] = []) {
  return runCli([
    "ls",
    SEQUESTERED,
    "--key",
    `${KEYS}${keyName}`,
    "--passphrase-file",
    passphraseFile,
    ...extra,
  ]);
}

async function passFile(dir: string, text: string): Promise<string> {
  const path = `${dir}/pass.txt`;
  await Deno.writeTextFile(path, text);
  return path;
}

fixtureTest("keys: every fixture form of service 1 opens the sequestered export", async () => {
  await withTempDir(async (dir) => {
    const pass = await passFile(dir, `${PASS}\n`);
    for (const name of SERVICE_1_FORMS) {
      const r = await lsWith(name, pass, ["--at", "2000-01-16T00:00:00Z", "--json"]);
      assertEquals(r.code, 0, `${name}: ${r.stderr}`);
      const ls = JSON.parse(r.stdout);
      const bar2 = ls.entries.find((e: { path: string }) => e.path === "/bar2.txt");
      assertEquals(bar2?.status, "ok", name);
    }
  });
});

fixtureTest("keys: a wrong passphrase is one clear line, exit 2, nothing secret", async () => {
  await withTempDir(async (dir) => {
    const pass = await passFile(dir, "not-the-passphrase\n");
    for (const name of SERVICE_1_FORMS.filter((n) => n.includes("encrypted"))) {
      const r = await runCli([
        "ls",
        SEQUESTERED,
        "--key",
        `${KEYS}${name}`,
        "--passphrase-file",
        pass,
      ]);
      assertEquals(r.code, 2);
      assertEquals(r.stderr, `sequex: Cannot use key "${KEYS}${name}": wrong passphrase\n`);
      assertEquals(r.stdout, "");
    }
  });
});

fixtureTest("keys: passphrase from env, stdin; missing passphrase without a terminal", async () => {
  const key = `${KEYS}sequester_service_1.encrypted-pkcs8.pem`;
  const base = ["ls", SEQUESTERED, "--key", key, "--at", "2000-01-16"];
  const env = await runCli([...base, "--passphrase-env", "SEQUEX_TEST_PASS"], {
    env: { SEQUEX_TEST_PASS: PASS },
  });
  assertEquals(env.code, 0, env.stderr);
  const stdin = await runCli([...base, "--passphrase-stdin"], { stdin: `${PASS}\r\n` });
  assertEquals(stdin.code, 0, stdin.stderr);
  const none = await runCli(base);
  assertEquals(none.code, 2);
  ok(none.stderr.includes("the key is encrypted: give its passphrase"));
  assertEquals(none.stderr.split("\n").length, 2);
  const unset = await runCli([...base, "--passphrase-env", "SEQUEX_TEST_UNSET"]);
  assertEquals(
    unset.stderr,
    "sequex: --passphrase-env SEQUEX_TEST_UNSET: the variable is not set\n",
  );
  const both = await runCli([...base, "--passphrase-env", "X", "--passphrase-stdin"], {
    stdin: "",
  });
  assertEquals(
    both.stderr,
    "sequex: choose one passphrase source: --passphrase-env, --passphrase-stdin\n",
  );
});

async function openssl(args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
}

Deno.test("keys: 4096-bit openssl keys in every form decode to the same key", async () => {
  await withTempDir(async (dir) => {
    const p = (name: string) => `${dir}/${name}`;
    const pw = `pass:${PASS}`;
    await openssl(["genrsa", "-aes256", "-passout", pw, "-out", p("genrsa-aes256.pem"), "4096"]);
    const src = ["-in", p("genrsa-aes256.pem"), "-passin", pw];
    await openssl(["pkey", ...src, "-out", p("clear.pkcs8.pem")]);
    await openssl(["pkey", ...src, "-outform", "DER", "-out", p("clear.pkcs8.der")]);
    await openssl(["rsa", ...src, "-traditional", "-out", p("clear.pkcs1.pem")]);
    await openssl(["rsa", ...src, "-traditional", "-outform", "DER", "-out", p("clear.pkcs1.der")]);
    await openssl([
      "rsa",
      ...src,
      "-traditional",
      "-aes256",
      "-passout",
      pw,
      "-out",
      p("enc-pkcs1-aes.pem"),
    ]);
    await openssl([
      "rsa",
      ...src,
      "-traditional",
      "-des3",
      "-passout",
      pw,
      "-out",
      p("enc-pkcs1-3des.pem"),
    ]);
    const topk8 = (extra: string[], out: string) =>
      openssl(["pkcs8", "-topk8", ...src, ...extra, "-passout", pw, "-out", p(out)]);
    await topk8(["-v2", "aes-256-cbc"], "pbes2-aes.pem");
    await topk8(["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1"], "pbes2-aes-sha1.pem");
    await topk8(["-v2", "des3"], "pbes2-3des.pem");
    await topk8(["-v1", "PBE-SHA1-3DES"], "pbes1-3des.pem");
    await topk8(["-scrypt"], "pbes2-scrypt.pem");
    await topk8(["-v2", "aes-256-cbc", "-outform", "DER"], "pbes2-aes.der");

    const expected = {
      "genrsa-aes256.pem": "PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations, AES-256-CBC)",
      "clear.pkcs8.pem": null,
      "clear.pkcs8.der": null,
      "clear.pkcs1.pem": null,
      "clear.pkcs1.der": null,
      "enc-pkcs1-aes.pem": "AES-256-CBC (Proc-Type/DEK-Info, MD5 key derivation)",
      "enc-pkcs1-3des.pem": "DES-EDE3-CBC (Proc-Type/DEK-Info, MD5 key derivation)",
      "pbes2-aes.pem": "PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations, AES-256-CBC)",
      "pbes2-aes-sha1.pem": "PBES2 (PBKDF2-HMAC-SHA1, 2048 iterations, AES-128-CBC)",
      "pbes2-3des.pem": "PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations, DES-EDE3-CBC)",
      "pbes1-3des.pem": "PBES1 (pbeWithSHAAnd3-KeyTripleDES-CBC)",
      "pbes2-scrypt.pem": "PBES2 (scrypt, N=16384, r=8, p=1, AES-256-CBC)",
      "pbes2-aes.der": "PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations, AES-256-CBC)",
    };
    const fingerprints = new Set<string>();
    for (const [name, scheme] of Object.entries(expected)) {
      const raw = await Deno.readFile(p(name));
      const form = detectRsaKeyForm(raw)!;
      assertEquals(form.scheme, scheme, name);
      assertEquals(form.encrypted, scheme !== null, name);
      const key = decodeRsaPrivateKey(raw, form, PASS);
      assertEquals(key.modulusBits, 4096, name);
      fingerprints.add(sha256Hex(key.publicKeyDer));
      if (form.encrypted) {
        const e = throwsWith(() => decodeRsaPrivateKey(raw, form, "wrong"), KeyFormError);
        assertEquals([e.failure, e.message], ["wrong_passphrase", "wrong passphrase"], name);
        const none = throwsWith(() => decodeRsaPrivateKey(raw, form), KeyFormError);
        assertEquals(none.failure, "passphrase_needed");
      }
    }
    assertEquals(fingerprints.size, 1);
  });
});

Deno.test("keys: public keys, certificates and garbage are refused with a reason", async () => {
  await withTempDir(async (dir) => {
    await new Deno.Command("openssl", {
      args: ["genpkey", "-algorithm", "ed25519", "-out", `${dir}/ed.pem`],
    }).output();
    const ed = await Deno.readFile(`${dir}/ed.pem`);
    const form = detectRsaKeyForm(ed)!;
    const e = throwsWith(() => decodeRsaPrivateKey(ed, form), KeyFormError);
    ok(e.message.includes("not an RSA key (ed25519 key)"));
    const pub = new TextEncoder().encode(
      "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    );
    throwsWith(() => detectRsaKeyForm(pub), KeyFormError, 'found a PEM "PUBLIC KEY"');
    assertEquals(detectRsaKeyForm(new Uint8Array([1, 2, 3])), undefined);
    const r = await runCli(["ls", "x.sqlite", "--key", `${dir}/ed.pem`]);
    assertEquals(r.code, 2);
    ok(r.stderr.startsWith(`sequex: Cannot use key "${dir}/ed.pem": not an RSA key`));
  });
});
