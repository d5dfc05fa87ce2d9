/** Timestamps: Parsec counts microseconds since the UNIX epoch (UTC). Pure functions. */

/** RFC 3339 text with microseconds and `Z`, e.g. `2001-01-02T00:00:00.000000Z`. */
export function formatMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = us - ms * 1000;
  const iso = new Date(ms).toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ
  return `${iso.slice(0, 23)}${String(micros).padStart(3, "0")}Z`;
}

/**
 * Microseconds of an RFC 3339 timestamp (`2000-01-16T00:00:00Z`, fractional seconds up to µs,
 * offsets allowed) or a plain date (`2000-01-16`, read as midnight UTC). Returns `undefined` when
 * the text is neither.
 */
export function parseTimeToMicros(text: string): number | undefined {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const ms = utcDay(Number(date[1]), Number(date[2]), Number(date[3]));
    return checkedDate(ms, Number(date[1]), Number(date[2]), Number(date[3]))
      ? ms * 1000
      : undefined;
  }
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/
      .exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as number[];
  if (h! > 23 || mi! > 59 || s! > 60) return undefined;
  // The date is checked on its own: a leap second (`23:59:60`) rolls over to the next day.
  const day = utcDay(y!, mo!, d!);
  if (!checkedDate(day, y!, mo!, d!)) return undefined;
  let ms = day + ((h! * 60 + mi!) * 60 + s!) * 1000;
  const zone = m[8]!;
  if (zone !== "Z" && zone !== "z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const [oh, om] = zone.slice(1).split(":").map(Number) as [number, number];
    if (oh > 23 || om > 59) return undefined;
    ms -= sign * (oh * 60 + om) * 60_000;
  }
  const fraction = (m[7] ?? "").padEnd(6, "0").slice(0, 6);
  return ms * 1000 + Number(fraction);
}

/** Epoch ms of midnight UTC of a day (unlike `Date.UTC`, years 0–99 are not read as 19xx). */
function utcDay(y: number, mo: number, d: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  return date.getTime();
}

function checkedDate(ms: number, y: number, mo: number, d: number): boolean {
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
}
