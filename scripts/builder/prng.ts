/**
 * Deterministic labelled randomness: every value the builder needs (ids, keys, nonces, salts,
 * file contents) is derived from the seed and a label, so the same seed always gives the same
 * bytes and labels are independent of each other (adding an entry does not shift the others).
 */
import { Buffer } from "node:buffer";
import { createCipheriv, createHash, createHmac } from "node:crypto";

const DOMAIN = "sequex-builder/v1";

/** A seeded source of labelled bytes. */
export class SeededRandom {
  private readonly master: Uint8Array;

  /**
   * `seed` is an integer or arbitrary bytes; `scope` (the scenario name) keeps two scenarios
   * built with the same seed from sharing ids and keys.
   */
  constructor(seed: number | bigint | Uint8Array, scope = "") {
    const material = seed instanceof Uint8Array ? seed : new TextEncoder().encode(String(seed));
    this.master = new Uint8Array(
      createHash("sha256").update(`${DOMAIN}\0${scope}\0`).update(material).digest(),
    );
  }

  /** 32 bytes derived from `label`. */
  key(label: string): Uint8Array {
    return new Uint8Array(createHmac("sha256", this.master).update(label).digest());
  }

  /** `n` bytes derived from `label` (any length). */
  bytes(label: string, n: number): Uint8Array {
    if (n <= 32) return this.key(label).slice(0, n);
    return new KeyStream(this.key(label)).read(0, n);
  }

  /** A 16-byte random (version 4) UUID derived from `label`. */
  uuid(label: string): Uint8Array {
    const id = this.bytes(`uuid:${label}`, 16);
    id[6] = (id[6]! & 0x0f) | 0x40;
    id[8] = (id[8]! & 0x3f) | 0x80;
    return id;
  }

  /** A seekable key stream for `label` (large pseudo-random contents). */
  stream(label: string): KeyStream {
    return new KeyStream(this.key(`stream:${label}`));
  }

  /** A forge-compatible PRNG (`getBytesSync` returning a binary string) for `label`. */
  forgePrng(label: string): { getBytesSync(n: number): string } {
    const stream = this.stream(label);
    let pos = 0;
    return {
      getBytesSync(n: number): string {
        const bytes = stream.read(pos, n);
        pos += n;
        return Buffer.from(bytes).toString("binary");
      },
    };
  }

  /** An integer in `[0, bound)` derived from `label`. */
  below(label: string, bound: number): number {
    const b = this.key(label);
    const v = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
    return Number(v % BigInt(bound));
  }
}

/** AES-256-CTR key stream over zeros: byte `i` of the stream is reproducible at any offset. */
export class KeyStream {
  constructor(private readonly streamKey: Uint8Array) {}

  /** `length` bytes of the stream starting at byte `offset`. */
  read(offset: number, length: number): Uint8Array {
    const block = Math.floor(offset / 16);
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64BE(BigInt(block), 8);
    const cipher = createCipheriv("aes-256-ctr", this.streamKey, iv);
    const skip = offset - block * 16;
    const out = cipher.update(Buffer.alloc(skip + length));
    cipher.final(); // releases the native cipher (CTR mode: no output)
    return new Uint8Array(out.buffer, out.byteOffset + skip, length);
  }
}
