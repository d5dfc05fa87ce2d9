/** sequex entry point (also what `deno compile` packages). */
import { main } from "./src/cli/main.ts";

Deno.exit(await main(Deno.args));
