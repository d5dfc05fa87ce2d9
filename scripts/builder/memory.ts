/**
 * Keeps the builder's memory flat on big exports. Each block allocates a few short-lived
 * buffers (content, key stream, ciphertext) that V8 frees lazily, and the allocator keeps the
 * freed pages: without help, gigabytes of blocks drive the peak RSS well past 200 MiB. A full
 * garbage collection every few MiB of generated data keeps it near the runtime's baseline.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (gc === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      const fn = runInNewContext("gc") as unknown;
      gc = typeof fn === "function" ? (fn as () => void) : null;
    } catch {
      gc = null;
    }
  }
  return gc;
}

const EVERY_BYTES = 16 * 1024 * 1024;
let pending = 0;

/**
 * Native state (node:crypto hashes, ciphers, keys) freed only when V8 collects its small
 * wrappers: counted as this many bytes per generated row.
 */
export const ROW_WEIGHT = 4096;

/** Counts `bytes` of data just generated; collects garbage after every 4 MiB. */
export function noteGenerated(bytes: number): void {
  pending += bytes;
  if (pending >= EVERY_BYTES) {
    pending = 0;
    collector()?.();
  }
}
