/** Realm key derivation: BLAKE2b-256 keyed by the realm key, salted and personalized by an id. */
import { blake2b } from "@noble/hashes/blake2.js";

/** Id used to derive the key-canary key (`…01`). */
export const CANARY_DERIVATION_ID = uuidWithLastByte(1);
/** Id used to derive the realm-name key (`…02`). */
export const REALM_NAME_DERIVATION_ID = uuidWithLastByte(2);

const EMPTY = new Uint8Array(0);

/** Derives the 32-byte secret key of object `uuid16` from realm key `keyDerivation` (spec §3.4). */
export function deriveSecretKey(keyDerivation: Uint8Array, uuid16: Uint8Array): Uint8Array {
  if (keyDerivation.length !== 32) throw new RangeError("key derivation secret must be 32 bytes");
  if (uuid16.length !== 16) throw new RangeError("derivation id must be 16 bytes");
  const salt = new Uint8Array(16);
  salt.set(uuid16.subarray(0, 8));
  const personalization = new Uint8Array(16);
  personalization.set(uuid16.subarray(8, 16));
  return blake2b(EMPTY, { dkLen: 32, key: keyDerivation, salt, personalization });
}

function uuidWithLastByte(last: number): Uint8Array {
  const id = new Uint8Array(16);
  id[15] = last;
  return id;
}
