/** Passphrase sources: one at a time, first line only, read once, prompt asked twice to confirm. */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { throwsWith } from "./keys_helpers.ts";
import { firstLine, type PassphraseIo, passphraseSource } from "../src/keys/passphrase.ts";
import { UsageError } from "../src/errors.ts";

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

Deno.test("passphrase: each source, first line, read once", () => {
  const files = io();
  const f = passphraseSource({ file: "p.txt" }, files);
  assertEquals([f.get("a"), f.get("b"), files.reads], ["from-file", "from-file", 1]);
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
