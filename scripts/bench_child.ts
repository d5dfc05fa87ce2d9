/** Runs one sequex command in this process, then prints its peak memory (VmHWM) on stderr. */
import { main } from "../src/cli/main.ts";

const code = await main(Deno.args);
const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
const hwm = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
// deno-lint-ignore no-console
console.error(`PEAK_RSS_KIB ${hwm ?? "unknown"}`);
Deno.exit(code);
