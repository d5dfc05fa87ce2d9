/** Realm keys bundles and their accesses (spec §5.4). */
import { decodeFormatV0 } from "./format_v0.ts";
import { Fields, RecordError } from "./fields.ts";

export interface RealmKeysBundleAccess {
  readonly keysBundleKey: Uint8Array;
}

export interface RealmKeysBundle {
  readonly author: string;
  readonly timestamp: number;
  readonly realmId: string;
  /** Element p is the key derivation secret of key index p + 1. */
  readonly keys: readonly Uint8Array[];
}

/** Decodes a `realm_keys_bundle_access` record. */
export function decodeKeysBundleAccess(payload: Uint8Array): RealmKeysBundleAccess {
  const f = Fields.of(decodeFormatV0(payload), "realm_keys_bundle_access");
  return { keysBundleKey: f.bytes("keys_bundle_key", 32) };
}

/** Decodes a `realm_keys_bundle` record (signature already removed). */
export function decodeKeysBundle(payload: Uint8Array): RealmKeysBundle {
  const f = Fields.of(decodeFormatV0(payload), "realm_keys_bundle");
  const keys = f.array("keys").map((k) => {
    if (!(k instanceof Uint8Array) || k.length !== 32) {
      throw new RecordError("field `keys` holds a value that is not 32 bytes");
    }
    return k;
  });
  if (keys.length === 0) throw new RecordError("field `keys` is empty");
  return {
    author: f.uuid("author"),
    timestamp: f.dateTime("timestamp"),
    realmId: f.uuid("realm_id"),
    keys,
  };
}
