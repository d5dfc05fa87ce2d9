/** µs timestamps: RFC 3339 formatting and parsing of user-given times. */
import { strictEqual } from "node:assert/strict";
import { formatMicros, parseTimeToMicros } from "../src/util/time.ts";

Deno.test("formatMicros: µs precision, `Z`, spec values", () => {
  strictEqual(formatMicros(0), "1970-01-01T00:00:00.000000Z");
  strictEqual(formatMicros(978393600000000), "2001-01-02T00:00:00.000000Z");
  strictEqual(formatMicros(1739657786601990), "2025-02-15T22:16:26.601990Z");
  strictEqual(formatMicros(1739749097449003), "2025-02-16T23:38:17.449003Z");
  strictEqual(formatMicros(978307201000000), "2001-01-01T00:00:01.000000Z");
  strictEqual(formatMicros(1), "1970-01-01T00:00:00.000001Z");
  strictEqual(formatMicros(999), "1970-01-01T00:00:00.000999Z");
  strictEqual(formatMicros(1000), "1970-01-01T00:00:00.001000Z");
  strictEqual(formatMicros(123456789), "1970-01-01T00:02:03.456789Z");
});

Deno.test("formatMicros: before the epoch", () => {
  strictEqual(formatMicros(-1), "1969-12-31T23:59:59.999999Z");
  strictEqual(formatMicros(-1000), "1969-12-31T23:59:59.999000Z");
  strictEqual(formatMicros(-1001), "1969-12-31T23:59:59.998999Z");
  strictEqual(formatMicros(-62135596800000000), "0001-01-01T00:00:00.000000Z");
});

Deno.test("parseTimeToMicros: plain date is midnight UTC", () => {
  strictEqual(parseTimeToMicros("2000-01-16"), 947980800000000);
  strictEqual(parseTimeToMicros("2001-01-02"), 978393600000000);
  strictEqual(parseTimeToMicros("1970-01-01"), 0);
  strictEqual(parseTimeToMicros("2000-02-29"), 951782400000000); // leap year
  strictEqual(parseTimeToMicros("1969-12-31"), -86400000000);
  // Years below 100 are not read as 19xx.
  strictEqual(parseTimeToMicros("0001-01-01"), -62135596800000000);
  strictEqual(parseTimeToMicros("0099-01-01"), -59042995200000000);
  strictEqual(
    formatMicros(parseTimeToMicros("0050-06-15T12:00:00Z")!),
    "0050-06-15T12:00:00.000000Z",
  );
});

Deno.test("parseTimeToMicros: Z, lowercase, space separator", () => {
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00Z"), 947980800000000);
  strictEqual(parseTimeToMicros("2000-01-16t00:00:00z"), 947980800000000);
  strictEqual(parseTimeToMicros("2000-01-16 00:00:00Z"), 947980800000000);
  strictEqual(parseTimeToMicros("2001-01-08T01:00:00Z"), 978915600000000);
  strictEqual(parseTimeToMicros("2025-02-15T22:16:26Z"), 1739657786000000);
});

Deno.test("parseTimeToMicros: offsets", () => {
  strictEqual(parseTimeToMicros("2000-01-16T01:00:00+01:00"), 947980800000000);
  strictEqual(parseTimeToMicros("2000-01-15T19:00:00-05:00"), 947980800000000);
  strictEqual(parseTimeToMicros("2000-01-16T05:30:00+05:30"), 947980800000000);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00+00:00"), 947980800000000);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00-00:00"), 947980800000000);
  strictEqual(parseTimeToMicros("2000-01-16T23:59:00+23:59"), 947980800000000);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00+24:00"), undefined);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00+01:60"), undefined);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00+0100"), undefined);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00+01"), undefined);
});

Deno.test("parseTimeToMicros: fractions to µs (padded, extra digits truncated)", () => {
  strictEqual(parseTimeToMicros("2025-02-15T22:16:26.601990Z"), 1739657786601990);
  strictEqual(parseTimeToMicros("2025-02-15T22:16:26.60199Z"), 1739657786601990);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00.5Z"), 947980800500000);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00.000001Z"), 947980800000001);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00.123456789Z"), 947980800123456);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00.9999999Z"), 947980800999999);
  strictEqual(parseTimeToMicros("1969-12-31T23:59:59.5Z"), -500000);
  strictEqual(parseTimeToMicros("2000-01-16T01:00:00.25+01:00"), 947980800250000);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00.Z"), undefined);
  strictEqual(parseTimeToMicros("2000-01-16T00:00:00.1234567890Z"), undefined); // > 9 digits
});

Deno.test("parseTimeToMicros: formatMicros output parses back", () => {
  for (const us of [0, 1, 999999, 978393600000000, 1739657786601990, -1, -62135596800000000]) {
    strictEqual(parseTimeToMicros(formatMicros(us)), us);
  }
});

Deno.test("parseTimeToMicros: invalid dates and times", () => {
  for (
    const text of [
      "2001-02-30",
      "2001-02-29",
      "1900-02-29",
      "2000-13-01",
      "2000-00-10",
      "2000-01-00",
      "2000-01-32",
      "2000-04-31",
      "2001-02-30T00:00:00Z",
      "2000-04-31T12:00:00+02:00",
      "2000-01-16T24:00:00Z",
      "2000-01-16T23:60:00Z",
      "2000-01-16T23:59:61Z",
      "2000-01-16T99:00:00Z",
    ]
  ) {
    strictEqual(parseTimeToMicros(text), undefined, text);
  }
});

Deno.test("parseTimeToMicros: a leap second rolls over, even at the end of a day", () => {
  strictEqual(parseTimeToMicros("2000-01-16T00:00:60Z"), 947980860000000);
  strictEqual(parseTimeToMicros("1998-12-31T23:59:60Z"), 915148800000000); // = 1999-01-01
  strictEqual(
    parseTimeToMicros("2000-12-31T23:59:60.5Z"),
    parseTimeToMicros("2001-01-01T00:00:00.5Z"),
  );
});

Deno.test("parseTimeToMicros: garbage", () => {
  for (
    const text of [
      "",
      "yesterday",
      "now",
      "947980800000000",
      "2000-1-16",
      "2000-01-6",
      "20000116",
      "2000/01/16",
      "16-01-2000",
      "2000-01-16T",
      "2000-01-16T00:00Z",
      "2000-01-16T00:00:00",
      "2000-01-16T0:00:00Z",
      "2000-01-16T00:00:00ZZ",
      "2000-01-16T00:00:00 Z",
      " 2000-01-16",
      "2000-01-16 ",
      "2000-01-16\n",
      "2000-01-16\nfoo",
      "+02000-01-16",
      "２０００-01-16",
      "2000-01-16T00:00:00,5Z",
    ]
  ) {
    strictEqual(parseTimeToMicros(text), undefined, JSON.stringify(text));
  }
});
