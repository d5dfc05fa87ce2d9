/** Folder and file manifests (`vlob_atom.blob` cleartext, spec §5.5) with their integrity rules. */
import { parseEntryName } from "./entry_name.ts";
import { decodeFormatV0 } from "./format_v0.ts";
import { Fields, RecordError } from "./fields.ts";
import { MsgUuid } from "./msgpack.ts";

/** A manifest that decodes but breaks an integrity rule (spec §6.6 step 7). */
export class IntegrityError extends Error {
  override name = "IntegrityError";
}

interface ManifestBase {
  readonly author: string;
  readonly timestamp: number;
  readonly id: string;
  readonly parent: string;
  readonly version: number;
  readonly created: number;
  readonly updated: number;
}

export interface FolderManifest extends ManifestBase {
  readonly type: "folder_manifest";
  /** Child name (NFC) → child entry id, in encoded order (later duplicates win). */
  readonly children: ReadonlyMap<string, string>;
  /**
   * Children dropped because another key of the map has the same NFC name (the later key wins,
   * as in Parsec): `name` as spelled in the manifest. Present only when there is one.
   */
  readonly shadowedChildren?: readonly { readonly name: string; readonly id: string }[];
}

export interface BlockAccess {
  readonly id: string;
  readonly offset: number;
  readonly size: number;
  readonly digest: Uint8Array;
}

export interface FileManifest extends ManifestBase {
  readonly type: "file_manifest";
  readonly size: number;
  readonly blocksize: number;
  readonly blocks: readonly BlockAccess[];
  /** `null` for a regular write, else the origin tag (e.g. `CRYPTPAD`). */
  readonly origin: string | null;
}

export type Manifest = FolderManifest | FileManifest;

/**
 * Decodes a manifest payload (signature removed). Throws `FormatError`/`RecordError` on a
 * serialization problem and `IntegrityError` when a rule of spec §5.5 is broken.
 */
export function decodeManifest(payload: Uint8Array, opts: { isRoot: boolean }): Manifest {
  const f = Fields.of(
    decodeFormatV0(payload),
    opts.isRoot ? "folder_manifest" : ["folder_manifest", "file_manifest"],
  );
  const base: ManifestBase = {
    author: f.uuid("author"),
    timestamp: f.dateTime("timestamp"),
    id: f.uuid("id"),
    parent: f.uuid("parent"),
    version: f.uint("version"),
    created: f.dateTime("created"),
    updated: f.dateTime("updated"),
  };
  const manifest: Manifest = f.type === "folder_manifest"
    ? { type: "folder_manifest", ...base, ...decodeChildren(f) }
    : decodeFileFields(f, base);
  checkIntegrity(manifest, opts.isRoot);
  return manifest;
}

function decodeChildren(f: Fields): Pick<FolderManifest, "children" | "shadowedChildren"> {
  const children = new Map<string, string>();
  const spelling = new Map<string, string>();
  const shadowed: { name: string; id: string }[] = [];
  for (const [key, value] of f.map("children").entries) {
    if (typeof key !== "string") throw new RecordError("a child name is not a string");
    if (!(value instanceof MsgUuid)) throw new RecordError(`child "${key}" id is not a UUID`);
    const parsed = parseEntryName(key);
    if ("invalid" in parsed) throw new RecordError(`invalid child name: ${parsed.invalid}`);
    const previous = children.get(parsed.name);
    if (previous !== undefined) shadowed.push({ name: spelling.get(parsed.name)!, id: previous });
    children.delete(parsed.name);
    children.set(parsed.name, value.hex);
    spelling.set(parsed.name, key);
  }
  return shadowed.length > 0 ? { children, shadowedChildren: shadowed } : { children };
}

function decodeFileFields(f: Fields, base: ManifestBase): FileManifest {
  const blocks = f.array("blocks").map((raw) => {
    const b = Fields.untagged(raw);
    return {
      id: b.uuid("id"),
      offset: b.uint("offset"),
      size: b.uint("size"),
      digest: b.bytes("digest", 32),
    };
  });
  let origin: string | null = null;
  if (f.has("origin") && !f.isNull("origin")) origin = Fields.of(f.raw("origin")).type;
  return {
    type: "file_manifest",
    ...base,
    size: f.uint("size"),
    blocksize: f.uint("blocksize"),
    blocks,
    origin,
  };
}

function checkIntegrity(m: Manifest, isRoot: boolean): void {
  if (isRoot && m.parent !== m.id) throw new IntegrityError("root manifest parent is not itself");
  if (!isRoot && m.parent === m.id) throw new IntegrityError("child manifest is its own parent");
  if (m.type !== "file_manifest") return;
  if (m.blocksize < 8) throw new IntegrityError(`blocksize ${m.blocksize} is below 8`);
  let end = 0;
  let lastSpan = -1;
  for (const b of m.blocks) {
    if (b.size === 0) throw new IntegrityError(`block ${b.id} has size 0`);
    if (b.offset < end) throw new IntegrityError(`block ${b.id} overlaps or is out of order`);
    const span = Math.floor(b.offset / m.blocksize);
    if (span <= lastSpan) throw new IntegrityError(`two blocks in span ${span}`);
    if (Math.floor((b.offset + b.size - 1) / m.blocksize) !== span) {
      throw new IntegrityError(`block ${b.id} crosses a blocksize boundary`);
    }
    end = b.offset + b.size;
    lastSpan = span;
  }
  if (end > m.size) throw new IntegrityError(`blocks end at ${end}, past the size ${m.size}`);
}
