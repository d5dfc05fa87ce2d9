/**
 * The off-line ceremony: `keys generate` then `service-certificate` give files that verify and
 * decode to the fields given; the real exports' service certificates verify with the real
 * authority key; a new key opens a builder-made export sequestered to it.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { constants, createPrivateKey, createPublicKey, verify } from "node:crypto";
import { Buffer } from "node:buffer";
import { buildExport } from "../scripts/builder/build.ts";
import { sequesteredScenario } from "../scripts/builder/presets.ts";
import { sha256Hex } from "../src/crypto/sha256.ts";
import { RealmExport } from "../src/export/realm_export.ts";
import { loadRsaKeyFile } from "../src/keys/key_file.ts";
import { passphraseSource } from "../src/keys/passphrase.ts";
import {
  maxPssSaltLength,
  rfc3339AutoSi,
  serviceCertificatePem,
  verifyServiceCertificatePem,
} from "../src/keys/service_certificate.ts";
import { pemDecode } from "../src/util/pem.ts";
import {
  fixtureTest,
  KEYS,
  runCli,
  SEQUESTERED,
  withTempDir,
  WORKSPACE_HISTORY,
} from "./helpers.ts";

const PASS = { SEQUEX_PASS: "ceremony passphrase" };
const withPass = ["--passphrase-env", "SEQUEX_PASS"];

async function generate(prefix: string, extra: string[] = []) {
  const r = await runCli(["keys", "generate", "--out", prefix, ...withPass, ...extra], {
    env: PASS,
  });
  assertEquals(r.code, 0, r.stderr);
  return r;
}

Deno.test("ceremony: keys generate writes an encrypted 4096-bit key (0600) and its SPKI, once", async () => {
  await withTempDir(async (dir) => {
    const r = await generate(`${dir}/svc`);
    const priv = await Deno.readTextFile(`${dir}/svc.private.pem`);
    const pub = await Deno.readTextFile(`${dir}/svc.public.pem`);
    ok(priv.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    ok(pub.startsWith("-----BEGIN PUBLIC KEY-----\n"));
    if (Deno.build.os !== "windows") {
      assertEquals((await Deno.stat(`${dir}/svc.private.pem`)).mode! & 0o777, 0o600);
    }
    const key = createPrivateKey({ key: priv, format: "pem", passphrase: PASS.SEQUEX_PASS });
    assertEquals(key.asymmetricKeyDetails?.modulusLength, 4096);
    const spki = new Uint8Array(createPublicKey(pub).export({ type: "spki", format: "der" }));
    ok(r.stdout.includes(sha256Hex(spki)));
    const openssl = await new Deno.Command("openssl", {
      args: ["pkey", "-in", `${dir}/svc.private.pem`, "-passin", "env:SEQUEX_PASS", "-noout"],
      env: PASS,
    }).output();
    ok(openssl.success, "openssl reads the encrypted key");
    const again = await runCli(["keys", "generate", "--out", `${dir}/svc`, ...withPass], {
      env: PASS,
    });
    assertEquals(again.code, 2);
    assertEquals(
      again.stderr,
      `sequex: keys generate: "${dir}/svc.private.pem" exists; it is never overwritten\n`,
    );
    assertEquals(await Deno.readTextFile(`${dir}/svc.private.pem`), priv);
    const none = await runCli(["keys", "generate", "--out", `${dir}/other`]);
    assertEquals(none.code, 2);
    ok(none.stderr.includes("give a passphrase"));
  });
});

Deno.test("ceremony: a certificate made by sequex verifies and decodes to the fields given", async () => {
  await withTempDir(async (dir) => {
    await generate(`${dir}/authority`, ["--bits", "2048"]);
    await generate(`${dir}/svc`, ["--bits", "2048"]);
    const r = await runCli([
      "service-certificate",
      "--service-label",
      "Case 2026-042 – tribunal",
      "--service-public-key",
      `${dir}/svc.public.pem`,
      "--authority-private-key",
      `${dir}/authority.private.pem`,
      "--out",
      dir,
      ...withPass,
    ], { env: PASS });
    assertEquals(r.code, 0, r.stderr);
    const name = [...Deno.readDirSync(dir)].map((e) => e.name)
      .find((n) => n.startsWith("sequester_service_certificate-"))!;
    const m = /^sequester_service_certificate-([0-9a-f]{32})-(.+)\.pem$/.exec(name)!;
    ok(m, name);
    const pem = await Deno.readTextFile(`${dir}/${name}`);
    const lines = pem.split("\n");
    assertEquals(lines[0], "-----BEGIN PARSEC SEQUESTER SERVICE CERTIFICATE-----");
    assertEquals(lines.at(-2), "-----END PARSEC SEQUESTER SERVICE CERTIFICATE-----");
    assertEquals(lines.at(-1), "");
    ok(lines.slice(1, -3).every((l) => l.length === 64));

    const authorityPub = createPublicKey(await Deno.readTextFile(`${dir}/authority.public.pem`));
    const cert = verifyServiceCertificatePem(pem, authorityPub);
    assertEquals(cert.serviceLabel, "Case 2026-042 – tribunal");
    assertEquals(cert.serviceId, m[1]);
    assertEquals(rfc3339AutoSi(cert.timestamp), m[2]);
    const svcSpki = createPublicKey(await Deno.readTextFile(`${dir}/svc.public.pem`))
      .export({ type: "spki", format: "der" });
    assertEquals(Buffer.from(cert.encryptionKeyDer), svcSpki);

    // RSASSA-PSS-SHA256 with the maximum salt length, as Parsec signs.
    const signed = pemDecode(pem, "PARSEC SEQUESTER SERVICE CERTIFICATE")!;
    const prefix = "RSASSA-PSS-SHA256:".length;
    const signature = signed.subarray(prefix, prefix + 256);
    const data = signed.subarray(prefix + 256);
    const pss = (saltLength: number) =>
      verify("sha256", data, {
        key: authorityPub,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength,
      }, signature);
    ok(pss(maxPssSaltLength(2048)));
    ok(!pss(32));

    const ok1 = await runCli([
      "service-certificate",
      "--verify",
      `${dir}/${name}`,
      "--authority-public-key",
      `${dir}/authority.public.pem`,
      "--json",
    ]);
    assertEquals(ok1.code, 0, ok1.stderr);
    assertEquals(JSON.parse(ok1.stdout).service_id, m[1]);
    const bad = await runCli([
      "service-certificate",
      "--verify",
      `${dir}/${name}`,
      "--authority-public-key",
      `${dir}/svc.public.pem`,
    ]);
    assertEquals(bad.code, 2);
    ok(
      bad.stderr.endsWith(
        "does not verify: the signature does not verify with this authority public key\n",
      ),
    );
  });
});

fixtureTest(
  "ceremony: the service certificates inside the real exports verify with keys/",
  async () => {
    const authorityPem = await Deno.readTextFile(`${KEYS}sequester_authority.public.pem`);
    const authority = createPublicKey(authorityPem);
    const labels: string[] = [];
    await withTempDir(async (dir) => {
      for (const path of [SEQUESTERED, WORKSPACE_HISTORY]) {
        const exp = RealmExport.open(path);
        try {
          const rows = exp.certificates("sequester_certificate").slice(1);
          for (const row of rows) {
            const pem = serviceCertificatePem(row.certificate);
            let cert;
            try {
              cert = verifyServiceCertificatePem(pem, authority);
            } catch (e) {
              // Revocations are signed too, but are not service certificates.
              ok((e as Error).message.includes("sequester_revoked_service_certificate"));
              continue;
            }
            labels.push(cert.serviceLabel);
            const file = `${dir}/${cert.serviceId}.pem`;
            await Deno.writeTextFile(file, pem);
            const r = await runCli([
              "service-certificate",
              "--verify",
              file,
              "--authority-public-key",
              `${KEYS}sequester_authority.public.pem`,
            ]);
            assertEquals(r.code, 0, r.stderr);
          }
        } finally {
          exp.close();
        }
      }
    });
    ok(
      labels.includes("Sequester Service 1") && labels.includes("Sequester Service 2"),
      String(labels),
    );
  },
);

Deno.test("ceremony: a new key opens a builder-made export sequestered to it", async () => {
  await withTempDir(async (dir) => {
    await generate(`${dir}/case`, ["--bits", "2048"]);
    const key = loadRsaKeyFile(
      `${dir}/case.private.pem`,
      passphraseSource({ env: "P" }, {
        getEnv: () => PASS.SEQUEX_PASS,
        readFile: () => new Uint8Array(),
        readStdin: () => new Uint8Array(),
      }),
    );
    const scenario = sequesteredScenario();
    scenario.sequester!.services = [{
      label: "Case service",
      privateKeyPem: String(key.key.export({ type: "pkcs8", format: "pem" })),
    }];
    const built = buildExport(scenario, { out: `${dir}/case.sqlite`, seed: 7 });
    const match = await runCli(
      ["keys", "match", `${dir}/case.private.pem`, built.exportPath, "--json", ...withPass],
      { env: PASS },
    );
    assertEquals(match.code, 0, match.stderr);
    const m = JSON.parse(match.stdout);
    assertEquals([m.owner.kind, m.owner.label, m.owner.revoked], [
      "sequester_service",
      "Case service",
      false,
    ]);
    assertEquals(m.key_indexes_missing, []);
    assertEquals(m.key_indexes_obtained, [1, 2, 3]);
    assertEquals(m.readable.length, 1);
    assertEquals(m.readable[0].until, null);
    const ls = await runCli(
      ["ls", built.exportPath, "--key", `${dir}/case.private.pem`, "--json", ...withPass],
      { env: PASS },
    );
    assertEquals(ls.code, 0, ls.stderr);
    const paths = JSON.parse(ls.stdout).entries.map((e: { path: string }) => e.path);
    ok(paths.includes("/docs/README.txt"), String(paths));
    ok(!ls.stdout.includes(PASS.SEQUEX_PASS) && !ls.stderr.includes(PASS.SEQUEX_PASS));
  });
});
