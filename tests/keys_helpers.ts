/** Helpers shared by the `keys_*_test.ts` files. */
import { ok } from "node:assert/strict";

/** Runs `fn`, expects it to throw an instance of `type` whose message includes `part`. */
export function throwsWith<E extends Error>(
  fn: () => unknown,
  type: new (...args: never[]) => E,
  part = "",
): E {
  try {
    fn();
  } catch (e) {
    ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    ok((e as E).message.includes(part), `"${(e as E).message}" lacks "${part}"`);
    return e as E;
  }
  throw new Error("expected an error");
}
