/**
 * `CASE_DIR/SHA256SUMS` in GNU coreutils format, checkable with `sha256sum -c` from inside the
 * case folder: `<hex>  <path>` per line; a path holding `\`, a newline or a carriage return is
 * escaped (`\\`, `\n`, `\r`) and its line starts with `\`, as `sha256sum` itself writes it.
 */

/** One file written, relative to the case folder (`/`-separated), and its SHA-256. */
export interface HashedFile {
  readonly path: string;
  readonly sha256: string;
}

/** One line of a GNU `sha256sum` listing (text mode), with its newline. */
export function sha256SumsLine(file: HashedFile): string {
  if (!/[\\\n\r]/.test(file.path)) return `${file.sha256}  ${file.path}\n`;
  const escaped = file.path.replace(
    /[\\\n\r]/g,
    (c) => c === "\\" ? "\\\\" : c === "\n" ? "\\n" : "\\r",
  );
  return `\\${file.sha256}  ${escaped}\n`;
}

/** The whole listing. */
export function formatSha256Sums(files: readonly HashedFile[]): string {
  return files.map(sha256SumsLine).join("");
}
