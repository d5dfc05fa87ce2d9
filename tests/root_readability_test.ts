/** The hint given when the root is unreadable: readable ranges and the nearest time to retry. */
import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { explainUnreadableRoot, rootReadableIntervals } from "../src/extract/root_readability.ts";
import type { DecodedVersion } from "../src/realm/decode_manifest.ts";

function version(v: number, timestamp: number, ok: boolean): DecodedVersion {
  const row = {
    sequentialId: v,
    vlobId: "f0".padEnd(32, "0"),
    version: v,
    keyIndex: ok ? 1 : 2,
    author: "de".padEnd(32, "0"),
    timestamp,
    size: 100,
  };
  return ok ? { row, ok: true, manifest: {} as never } : {
    row,
    ok: false,
    problem: { code: "key_unavailable", reason: null, detail: "key index 2 could not be obtained" },
  };
}

// Readable v1 at 10, unreadable v2 at 20, readable v3 at 30, readable v4 at 40, unreadable v5 at 50.
const VERSIONS = [
  version(1, 10, true),
  version(2, 20, false),
  version(3, 30, true),
  version(4, 40, true),
  version(5, 50, false),
];

Deno.test("readable intervals merge consecutive readable versions and stop at the snapshot", () => {
  assertEquals(rootReadableIntervals(VERSIONS, 100), [{ from: 10, to: 19 }, { from: 30, to: 49 }]);
  assertEquals(rootReadableIntervals(VERSIONS, 35), [{ from: 10, to: 19 }, { from: 30, to: 35 }]);
});

Deno.test("the hint points to the latest readable time before --at, else the earliest after", () => {
  const between = explainUnreadableRoot(VERSIONS[1]!, VERSIONS, 25, 100);
  match(between, /version 2 .* key index 2/);
  match(between, /latest time before it that these keys can read is 1970-01-01T00:00:00\.000019Z/);
  const last = explainUnreadableRoot(VERSIONS[4]!, VERSIONS, 60, 100);
  match(last, /retry with --at 1970-01-01T00:00:00\.000049Z/);
  const first = explainUnreadableRoot(
    version(1, 10, false),
    [version(1, 10, false), version(2, 20, true)],
    15,
    100,
  );
  match(first, /earliest time after it that these keys can read is 1970-01-01T00:00:00\.000020Z/);
  const never = explainUnreadableRoot(version(1, 10, false), [version(1, 10, false)], 15, 100);
  match(never, /these keys cannot read the root at any time$/);
});
