/**
 * A Sleuth Kit body file 3.x parser written from the published layout
 * (`MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime`, one record per line,
 * times in UNIX seconds, 0 = not set), strict: used to check what `timeline --format bodyfile`
 * writes. As Sleuth Kit's `mactime` does, a line is split on every `|` and `%XX` escapes (UTF-8
 * bytes) are decoded; a `%` not followed by two hex digits is an error here.
 */

export interface BodyRecord {
  md5: string;
  name: string;
  inode: string;
  mode: string;
  uid: number;
  gid: number;
  size: number;
  atime: number;
  mtime: number;
  ctime: number;
  crtime: number;
}

function splitFields(line: string): string[] {
  return line.split("|");
}

function unescapeName(text: string): string {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) throw new Error(`bad % escape in "${text}"`);
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (const part of text.split(/(%[0-9A-Fa-f]{2})/)) {
    if (part.startsWith("%") && part.length === 3) bytes.push(parseInt(part.slice(1), 16));
    else bytes.push(...enc.encode(part));
  }
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes));
}

function uint(field: string, what: string, lineNo: number): number {
  if (!/^\d+$/.test(field)) throw new Error(`line ${lineNo}: ${what} "${field}" is not a number`);
  return Number(field);
}

/** Parses a whole body file; throws on the first malformed line. */
export function parseBodyfile(text: string): BodyRecord[] {
  if (text !== "" && !text.endsWith("\n")) throw new Error("the last line has no newline");
  return text.split("\n").slice(0, -1).map((line, i) => {
    const n = i + 1;
    const f = splitFields(line);
    if (f.length !== 11) throw new Error(`line ${n}: ${f.length} fields instead of 11`);
    const [md5, name, inode, mode, uid, gid, size, atime, mtime, ctime, crtime] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (md5 !== "0" && !/^[0-9a-f]{32}$/.test(md5)) throw new Error(`line ${n}: bad MD5 ${md5}`);
    if (!/^\d+$/.test(inode)) throw new Error(`line ${n}: inode "${inode}" is not decimal`);
    if (!/^[-rdlcbps]\/[-rdlcbps][-r][-w][-xsS][-r][-w][-xsS][-r][-w][-xtT]$/.test(mode)) {
      throw new Error(`line ${n}: bad mode "${mode}"`);
    }
    return {
      md5,
      name: unescapeName(name),
      inode,
      mode,
      uid: uint(uid, "UID", n),
      gid: uint(gid, "GID", n),
      size: uint(size, "size", n),
      atime: uint(atime, "atime", n),
      mtime: uint(mtime, "mtime", n),
      ctime: uint(ctime, "ctime", n),
      crtime: uint(crtime, "crtime", n),
    };
  });
}
