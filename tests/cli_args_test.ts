/** Command-line parsing: clear one-line usage errors. */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parseAtOption, parseCommandArgs } from "../src/cli/args.ts";
import { UsageError } from "../src/errors.ts";

const OPTIONS = { at: { type: "string" }, key: { type: "string", multiple: true } } as const;

Deno.test("an unknown option is named without parseArgs' advice about positionals", () => {
  throws(() => parseCommandArgs("info", ["x.sqlite", "--at", "2000"], {}), {
    name: "UsageError",
    message: "info: unknown option --at (see: sequex help)",
  });
});

Deno.test("an option given twice is refused; repeatable ones are kept in order", () => {
  throws(() => parseCommandArgs("ls", ["--at", "2000-01-01", "--at", "2001-01-01"], OPTIONS), {
    name: "UsageError",
    message: "ls: --at given twice",
  });
  const { values } = parseCommandArgs("ls", ["--key", "a.pem", "--key", "b.pem"], OPTIONS);
  assertEquals(values.key, ["a.pem", "b.pem"]);
});

Deno.test("--at beyond exact microseconds is refused, the last exact time is accepted", () => {
  throws(() => parseAtOption("9999-12-31T23:59:59.999999Z"), UsageError);
  throws(
    () => parseAtOption("9999-12-31T23:59:59.999999Z"),
    /out of range: .* 2255-06-05T23:47:34\.740991Z/,
  );
  assertEquals(parseAtOption("2255-06-05T23:47:34.740991Z"), Number.MAX_SAFE_INTEGER);
  assertEquals(parseAtOption("2000-01-20T23:59:59.999999Z"), 948412799999999);
  assertEquals(parseAtOption(undefined), undefined);
});

Deno.test("an option without its value is named plainly", () => {
  const options = {
    "user-key": { type: "string", multiple: true },
    out: { type: "string" },
  } as const;
  throws(() => parseCommandArgs("extract", ["--user-key", "--out", "x"], options), {
    name: "UsageError",
    message: "extract: --user-key needs a value",
  });
  throws(() => parseCommandArgs("extract", ["--out"], options), {
    name: "UsageError",
    message: "extract: --out needs a value",
  });
});
