/** Argon2id (v1.3) key derivation, as Parsec derives device-file keys from passwords. */
import { argon2id } from "@noble/hashes/argon2.js";

/** Argon2id parameters as stored in a Parsec `TrustedPasswordAlgorithm`. */
export interface Argon2idParams {
  readonly memlimitKb: number;
  readonly opslimit: number;
  readonly parallelism: number;
  readonly salt: Uint8Array;
}

/** A 32-byte key from `password` (UTF-8) with `params`. */
export function argon2idKey(password: string, params: Argon2idParams): Uint8Array {
  return argon2id(new TextEncoder().encode(password), params.salt, {
    t: params.opslimit,
    m: params.memlimitKb,
    p: params.parallelism,
    dkLen: 32,
  });
}
