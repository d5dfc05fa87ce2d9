/** SHA-256 of a whole file, read in chunks. */
import { createSha256 } from "../crypto/sha256.ts";

/** Hex SHA-256 of the file at `path`. */
export async function sha256File(path: string): Promise<string> {
  const hash = createSha256();
  const file = await Deno.open(path, { read: true });
  try {
    const buf = new Uint8Array(4 * 1024 * 1024);
    while (true) {
      const n = await file.read(buf);
      if (n === null) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    file.close();
  }
  return hash.digest("hex");
}
