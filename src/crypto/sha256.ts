/** SHA-256 with node:crypto (native speed), one-shot and incremental. */
import { createHash, type Hash } from "node:crypto";

/** SHA-256 digest of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

/** Hex SHA-256 of `data`. */
export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** An incremental SHA-256 for streamed content. */
export function createSha256(): Hash {
  return createHash("sha256");
}
