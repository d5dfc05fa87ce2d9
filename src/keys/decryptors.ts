/**
 * Decryptors: what the investigator holds (sequester service RSA keys, user X25519 keys), bound
 * to the service or user of the export they belong to.
 */
import type { RsaPrivateKey } from "../crypto/rsa.ts";
import { x25519PublicKey } from "../crypto/sealed_box.ts";
import { sha256Hex } from "../crypto/sha256.ts";
import { KeyFileError } from "../errors.ts";
import type { HumanHandle } from "../codec/certificates.ts";
import type { Trust } from "../trust/trust.ts";
import { bytesEqual } from "../util/bytes.ts";

export interface SequesterDecryptor {
  readonly kind: "sequester";
  /** Where the key came from (file path), for messages. */
  readonly source: string;
  readonly key: RsaPrivateKey;
  readonly serviceId: string;
  readonly serviceLabel: string;
  readonly publicKeySha256: string;
}

export interface UserDecryptor {
  readonly kind: "user";
  readonly source: string;
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly userId: string;
  readonly humanHandle: HumanHandle | null;
  readonly publicKeySha256: string;
}

export type Decryptor = SequesterDecryptor | UserDecryptor;

/** A short human name of a decryptor for reports and messages. */
export function decryptorLabel(d: Decryptor): string {
  return d.kind === "sequester"
    ? `sequester service "${d.serviceLabel}"`
    : `user ${d.humanHandle ? `${d.humanHandle.label} <${d.humanHandle.email}>` : d.userId}`;
}

/** Finds the sequester service whose certificate holds this key's public half. */
export function bindSequesterKey(
  trust: Trust,
  key: RsaPrivateKey,
  source: string,
): SequesterDecryptor {
  for (const service of trust.services.values()) {
    if (bytesEqual(service.encryptionKeyDer, key.publicKeyDer)) {
      return {
        kind: "sequester",
        source,
        key,
        serviceId: service.serviceId,
        serviceLabel: service.label,
        publicKeySha256: sha256Hex(key.publicKeyDer),
      };
    }
  }
  const known = [...trust.services.values()].map((s) => `"${s.label}"`).join(", ");
  throw new KeyFileError(
    source,
    `this key belongs to no sequester service of the export (${
      known ? `services: ${known}` : "the organization has no sequester service"
    })`,
  );
}

/** Finds the user whose certificate holds the public key of this X25519 private key. */
export function bindUserKey(trust: Trust, privateKey: Uint8Array, source: string): UserDecryptor {
  const publicKey = x25519PublicKey(privateKey);
  for (const user of trust.users.values()) {
    if (bytesEqual(user.publicKey, publicKey)) {
      return {
        kind: "user",
        source,
        privateKey,
        publicKey,
        userId: user.userId,
        humanHandle: user.humanHandle,
        publicKeySha256: sha256Hex(publicKey),
      };
    }
  }
  throw new KeyFileError(source, "this key belongs to no user of the export");
}
