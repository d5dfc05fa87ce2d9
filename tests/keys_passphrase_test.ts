/**
 * Passphrase sources: one at a time, read once; one line serves every key, several lines serve
 * the encrypted keys in order; the prompt is asked twice to confirm.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { throwsWith } from "./keys_helpers.ts";
import { firstLine, type PassphraseIo, passphraseSource } from "../src/keys/passphrase.ts";
import { UsageError } from "../src/errors.ts";
import { fixtureTest, KEYS, runCli, SEQUESTERED, withTempDir } from "./helpers.ts";

const enc = (s: string) => new TextEncoder().encode(s);

function io(over: Partial<PassphraseIo> = {}): PassphraseIo & { reads: number } {
  const state = {
    reads: 0,
    readFile: (_: string) => {
      state.reads++;
      return enc("from-file\nsecond line");
    },
    getEnv: (name: string) => (name === "P" ? "from-env" : undefined),
    readStdin: () => enc("from-stdin\r\n"),
    prompt: undefined,
    ...over,
  };
  return state;
}

Deno.test("passphrase: each source, one line per encrypted key, read once", () => {
  const files = io();
  const f = passphraseSource({ file: "p.txt" }, files);
  assertEquals([f.get("a"), f.get("b"), files.reads], ["from-file", "second line", 1]);
  throwsWith(() => f.get("c"), UsageError, "holds 2 passphrases (one per line), fewer than");
  const single = passphraseSource({ file: "p.txt" }, io({ readFile: () => enc("only\r\n") }));
  assertEquals([single.get("a"), single.get("b"), single.get("c")], ["only", "only", "only"]);
  assertEquals(passphraseSource({ env: "P" }, io()).get("a"), "from-env");
  assertEquals(passphraseSource({ stdin: true }, io()).get("a"), "from-stdin");
  assertEquals(passphraseSource({}, io()).get("a"), undefined);
  assertEquals(firstLine(enc("x y \n")), "x y ");
});

Deno.test("passphrase: conflicts, empty and missing values are usage errors", () => {
  throwsWith(() => passphraseSource({ file: "a", env: "B" }, io()), UsageError, "choose one");
  throwsWith(() => passphraseSource({ env: "NOPE" }, io()).get("a"), UsageError, "not set");
  const empty = io({ readStdin: () => enc("\n") });
  throwsWith(() => passphraseSource({ stdin: true }, empty).get("a"), UsageError, "empty");
  const missing = io({
    readFile: () => {
      throw Object.assign(new Error("x"), { code: "ENOENT" });
    },
  });
  throwsWith(
    () => passphraseSource({ file: "gone.txt" }, missing).get("a"),
    UsageError,
    '--passphrase-file "gone.txt": no such file',
  );
});

Deno.test("passphrase: the prompt names the key and confirms twice when asked", () => {
  const asked: string[] = [];
  const answers = ["one", "one", "two", "three"];
  const source = passphraseSource({}, io({ prompt: (q) => (asked.push(q), answers.shift()!) }));
  assertEquals(source.get('key "k.pem"', { confirm: true }), "one");
  assertEquals(asked, ['Passphrase for key "k.pem": ', "Same passphrase again: "]);
  throwsWith(() => source.get("k", { confirm: true }), UsageError, "differ");
});

fixtureTest(
  "two encrypted keys, two passphrases: one line each, in command-line order",
  async () => {
    await withTempDir(async (dir) => {
      const made = await new Deno.Command("openssl", {
        args: [
          "pkcs8",
          "-topk8",
          "-v2",
          "aes-256-cbc",
          "-in",
          `${KEYS}sequester_service_2.pkcs8.pem`,
          "-passout",
          "pass:other one",
          "-out",
          `${dir}/s2.pem`,
        ],
      }).output();
      assertEquals(made.code, 0);
      await Deno.writeTextFile(`${dir}/pass.txt`, "investigation\nother one\n");
      const args = [
        "ls",
        SEQUESTERED,
        "--key",
        `${KEYS}sequester_service_1.encrypted-pkcs8.pem`,
        "--key",
        `${dir}/s2.pem`,
        "--passphrase-file",
        `${dir}/pass.txt`,
        "--at",
        "2000-01-16",
        "--json",
      ];
      const r = await runCli(args);
      assertEquals(r.code, 0, r.stderr);
      assertEquals(JSON.parse(r.stdout).entries.map((e: { path: string }) => e.path), [
        "/",
        "/bar2.txt",
      ]);
      await Deno.writeTextFile(`${dir}/pass.txt`, "other one\ninvestigation\n");
      const swapped = await runCli(args);
      assertEquals(swapped.code, 2);
      assertEquals(swapped.stderr.trim().split("\n").length, 1);
      assertEquals(swapped.stderr.includes("wrong passphrase"), true);
      assertEquals(swapped.stderr.includes("other one"), false);
    });
  },
);
