/** Same scenario + seed ⇒ byte-identical export, keys and truth; another seed ⇒ another file. */
import {
  deepStrictEqual as assertEquals,
  notDeepStrictEqual as assertNotEquals,
} from "node:assert/strict";
import { fileSha256 } from "../../scripts/builder/build.ts";
import { basicScenario, demoScenario, sequesteredScenario } from "../../scripts/builder/presets.ts";
import { SeededRandom } from "../../scripts/builder/prng.ts";
import { deterministicRsaKey } from "../../scripts/builder/rsa_keys.ts";
import { withBuild } from "./build_helpers.ts";

async function snapshot(dir: string, name: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {
    sqlite: fileSha256(`${dir}/${name}.sqlite`),
    truth: await Deno.readTextFile(`${dir}/${name}.truth.json`),
  };
  for await (const e of Deno.readDir(`${dir}/${name}.keys`)) {
    out[e.name] = await Deno.readTextFile(`${dir}/${name}.keys/${e.name}`);
  }
  return out;
}

Deno.test("builder determinism: basic twice with seed 7 gives identical bytes", async () => {
  const a = await withBuild(basicScenario(), 7, (_, dir) => snapshot(dir, "export"));
  const b = await withBuild(basicScenario(), 7, (_, dir) => snapshot(dir, "export"));
  assertEquals(a, b);
  const c = await withBuild(basicScenario(), 8, (_, dir) => snapshot(dir, "export"));
  assertNotEquals(c["sqlite"], a["sqlite"]);
  assertNotEquals(c["user-alice.key"], a["user-alice.key"]);
});

Deno.test("builder determinism: sequestered twice gives identical bytes", async () => {
  const a = await withBuild(sequesteredScenario(), 1, (r) => r.sha256);
  const b = await withBuild(sequesteredScenario(), 1, (r) => r.sha256);
  assertEquals(a, b);
});

Deno.test("builder determinism: the committed demo is what make_demo writes", async () => {
  const committed = new URL("../../demo/demo.sqlite", import.meta.url).pathname;
  const sha = await withBuild(demoScenario(), 1, (r) => r.sha256, "demo");
  assertEquals(sha, fileSha256(committed), "demo/ is stale: run scripts/make_demo.ts");
  const truth = await withBuild(
    demoScenario(),
    1,
    (r) => JSON.stringify(r.truth, null, 2) + "\n",
    "demo",
  );
  assertEquals(
    truth,
    await Deno.readTextFile(new URL("../../demo/demo.truth.json", import.meta.url)),
  );
});

Deno.test("builder determinism: RSA key generation does not depend on the cache", () => {
  const random = new SeededRandom(99);
  const fresh = deterministicRsaKey(random, "cache-check", 1024, null);
  const again = deterministicRsaKey(new SeededRandom(99), "cache-check", 1024, null);
  assertEquals(again.privatePem, fresh.privatePem);
  assertEquals(fresh.bits, 1024);
  assertNotEquals(
    deterministicRsaKey(new SeededRandom(98), "cache-check", 1024, null).privatePem,
    fresh.privatePem,
  );
});
