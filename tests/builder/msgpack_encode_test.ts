/** The msgpack / format-v0 encoders on the forms rmp-serde writes (spec §3.1). */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { decompressFormatV0 } from "../../src/codec/format_v0.ts";
import { decodeMsgpack, MsgMap } from "../../src/codec/msgpack.ts";
import { fromHex, toHex } from "../../src/util/bytes.ts";
import { encodeFormatV0 } from "../../src/codec/format_v0_encode.ts";
import { dt, encodeMsgpack, struct, uuid } from "../../src/codec/msgpack_encode.ts";

const hex = (v: Parameters<typeof encodeMsgpack>[0]) => toHex(encodeMsgpack(v));

Deno.test("msgpack encoder: smallest integer forms", () => {
  assertEquals(
    [0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32].map(hex),
    [
      "00",
      "7f",
      "cc80",
      "ccff",
      "cd0100",
      "cdffff",
      "ce00010000",
      "ceffffffff",
      "cf0000000100000000",
    ],
  );
  assertEquals([-1, -32, -33, -128, -129, -32769].map(hex), [
    "ff",
    "e0",
    "d0df",
    "d080",
    "d1ff7f",
    "d2ffff7fff",
  ]);
  assertEquals(hex(2n ** 64n - 1n), "cfffffffffffffffff");
  throws(() => encodeMsgpack(1.5));
});

Deno.test("msgpack encoder: str and bin length boundaries", () => {
  assertEquals(hex("a".repeat(31)).slice(0, 2), "bf");
  assertEquals(hex("a".repeat(32)).slice(0, 4), "d920");
  assertEquals(hex("a".repeat(256)).slice(0, 6), "da0100");
  assertEquals(hex("a".repeat(65536)).slice(0, 10), "db00010000");
  assertEquals(hex(new Uint8Array(255)).slice(0, 4), "c4ff");
  assertEquals(hex(new Uint8Array(256)).slice(0, 6), "c50100");
  assertEquals(hex(new Uint8Array(65536)).slice(0, 10), "c600010000");
  assertEquals(hex("é"), "a2c3a9");
});

Deno.test("msgpack encoder: DateTime, UUID, nil, arrays and maps like the spec examples", () => {
  assertEquals(hex(dt(978393600000000)), "d701000379d802fa8000");
  assertEquals(
    hex(uuid(fromHex("f0000000000000000000000000000008"))),
    "d802f0000000000000000000000000000008",
  );
  assertEquals(hex(null), "c0");
  assertEquals(hex([1, [2]]), "92019102");
  assertEquals(hex(Array.from({ length: 16 }, () => 0)).slice(0, 6), "dc0010");
  assertEquals(hex(struct("x", [["a", 1]])), "82a474797065a178a16101");
  throws(() => uuid(new Uint8Array(15)));
});

Deno.test("msgpack encoder: a large map round-trips through the decoder in order", () => {
  const entries = Array.from({ length: 70000 }, (_, i) => [`k${i}`, i] as const);
  const decoded = decodeMsgpack(encodeMsgpack(new MsgMap(entries)));
  assertEquals(decoded instanceof MsgMap && decoded.entries.length, 70000);
  assertEquals(decoded instanceof MsgMap && decoded.entries[69999], ["k69999", 69999]);
});

Deno.test("format v0: version byte, streaming zstd frame header without content size", () => {
  const record = encodeFormatV0(
    struct("realm_keys_bundle_access", [["keys_bundle_key", new Uint8Array(32)]]),
  );
  assertEquals(toHex(record.subarray(0, 7)), "0028b52ffd0058");
  assertEquals(
    toHex(decompressFormatV0(record)),
    hex(struct("realm_keys_bundle_access", [["keys_bundle_key", new Uint8Array(32)]])),
  );
});
