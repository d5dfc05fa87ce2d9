/**
 * Compiles the realm part of a scenario: realm creation, shares, key rotations, name and
 * archiving certificates, and the file-system history as vlob/block uploads, mimicking how the
 * Parsec client uploads (child before parent, a move as 3 versions, …).
 */
import {
  CANARY_DERIVATION_ID,
  deriveSecretKey,
  REALM_NAME_DERIVATION_ID,
} from "../../src/crypto/key_derivation.ts";
import { sealSecretBox } from "../../src/crypto/secret_box.ts";
import { toHex, utf8 } from "../../src/util/bytes.ts";
import {
  concatPieces,
  contentPieces,
  type Piece,
  piecesLength,
  punchHoles,
  slicePieces,
  trimHoles,
} from "./content.ts";
import type { CompiledOrg } from "./compile_org.ts";
import type {
  AtomPlan,
  BlockPlan,
  KeysBundlePlan,
  PlanDevice,
  PlanUser,
  ServiceAccessPlan,
  SignedItem,
  Upload,
  UserAccessPlan,
} from "./plan.ts";
import type { SeededRandom } from "./prng.ts";
import {
  realmArchivingCertificate,
  realmKeyRotationCertificate,
  realmNameCertificate,
  type RealmRole,
  realmRoleCertificate,
} from "./records.ts";
import {
  type BlockFault,
  type HistoryOp,
  type Scenario,
  ScenarioError,
  timeToMicros,
  type VlobFault,
} from "./scenario.ts";
import { signingKeyFromSeed } from "./ed25519_sign.ts";
import { noteGenerated, ROW_WEIGHT } from "./memory.ts";

/** Spacing of the rows written by one op (µs). */
export const SUB_STEP = 1000;
const DEFAULT_BLOCKSIZE = 512 * 1024;

interface EntryState {
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly kind: "folder" | "file";
  parent: Uint8Array;
  version: number;
  created: number;
  children: [string, Uint8Array][];
  size: number;
  blocksize: number;
  blocks: BlockPlan[];
}

/** The realm part of a plan. */
export interface CompiledRealm {
  readonly realmId: Uint8Array;
  readonly realmName: string;
  readonly realmKeys: Uint8Array[];
  readonly realmCertificates: SignedItem[];
  readonly keysBundles: KeysBundlePlan[];
  readonly userAccesses: UserAccessPlan[];
  readonly serviceAccesses: ServiceAccessPlan[];
  /** Every upload, or none when they went to a sink. */
  readonly uploads: Upload[];
  readonly lastTime: number;
}

/** Receives the uploads in order instead of keeping them (streaming writes). */
export type UploadSink = (upload: Upload) => void;

/** Runs the realm history of `scenario` over the compiled organization. */
export function compileRealm(
  scenario: Scenario,
  org: CompiledOrg,
  random: SeededRandom,
  realmId: Uint8Array,
  step: number,
  sink?: UploadSink,
): CompiledRealm {
  if (sink === undefined) return new RealmCompiler(scenario, org, random, realmId, step).run();
  // Two passes, nothing kept: count the blocks, then emit with the trailing ones marked.
  const blocksWithoutData = trailingBlocksWithoutData(scenario);
  let eligible = 0;
  if (blocksWithoutData > 0) {
    new RealmCompiler(scenario, org, random, realmId, step, (u) => {
      if (u.kind === "block" && u.block.fault !== "row_missing") eligible++;
    }).run();
  }
  let seen = 0;
  return new RealmCompiler(scenario, org, random, realmId, step, (u) => {
    if (blocksWithoutData > 0 && u.kind === "block" && u.block.fault !== "row_missing") {
      if (seen++ >= eligible - blocksWithoutData) u.block.fault = "data_missing";
    }
    sink(u);
  }).run();
}

/** How many trailing blocks an incomplete export leaves without data. */
function trailingBlocksWithoutData(scenario: Scenario): number {
  const options = scenario.options;
  if (!options?.incomplete?.includes("blocks_data")) return 0;
  const count = options.blocksWithoutData ?? 1;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new ScenarioError(`options.blocksWithoutData: bad count ${count}`);
  }
  return count;
}

class RealmCompiler {
  private readonly certificates: SignedItem[] = [];
  private readonly keys: Uint8Array[] = [];
  private readonly bundles: KeysBundlePlan[] = [];
  private readonly userAccesses: UserAccessPlan[] = [];
  private readonly serviceAccesses: ServiceAccessPlan[] = [];
  private readonly uploads: Upload[] = [];
  private readonly members = new Map<PlanUser, RealmRole>();
  private readonly entries = new Map<string, EntryState>();
  private readonly root: EntryState;
  private readonly owner: PlanDevice;
  private readonly blocksize: number;
  private realmName: string;
  private lastTime: number;
  private lastOpStart: number;
  private vlobSeq: number;
  private blockSeq: number;
  private counter = 0;
  /** Fault of the current op's main manifest version / first new block, consumed when used. */
  private vlobFault: VlobFault | null = null;
  private blockFault: BlockFault | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly org: CompiledOrg,
    private readonly random: SeededRandom,
    private readonly realmId: Uint8Array,
    private readonly step: number,
    private readonly sink: UploadSink | null = null,
  ) {
    this.root = this.newEntry(realmId, "folder", realmId);
    this.realmName = scenario.realm.name;
    const ownerName = scenario.realm.owner ?? org.users[0]!.name;
    this.owner = this.device(ownerName);
    if (this.owner.forged !== null) {
      throw new ScenarioError(`realm owner ${this.owner.ref} has a forged certificate`);
    }
    this.blocksize = checkBlocksize(scenario.realm.blocksize ?? DEFAULT_BLOCKSIZE);
    this.lastTime = org.setupTime;
    this.lastOpStart = org.setupTime;
    this.vlobSeq = (scenario.options?.vlobSequenceStart ?? 200) - 1;
    this.blockSeq = (scenario.options?.blockSequenceStart ?? 100) - 1;
  }

  run(): CompiledRealm {
    const created = this.scenario.realm.createdAt === undefined
      ? this.lastTime + this.step
      : this.opTime(this.scenario.realm.createdAt, "realm.createdAt");
    this.share(created, this.owner, this.owner.user, "OWNER");
    this.rotateKey(created + SUB_STEP, this.owner);
    this.renameRealm(created + 2 * SUB_STEP, this.owner, this.scenario.realm.name);
    this.lastTime = created + 2 * SUB_STEP;
    this.lastOpStart = created;
    this.scenario.history.forEach((op, index) => {
      try {
        this.apply(op);
      } catch (e) {
        if (e instanceof ScenarioError) {
          throw new ScenarioError(`history[${index}] (${op.op}): ${e.message}`);
        }
        throw e;
      }
    });
    this.dropTrailingBlockData();
    return {
      realmId: this.realmId,
      realmName: this.realmName,
      realmKeys: this.keys,
      realmCertificates: this.certificates,
      keysBundles: this.bundles,
      userAccesses: this.userAccesses,
      serviceAccesses: this.serviceAccesses,
      uploads: this.uploads,
      lastTime: this.lastTime,
    };
  }

  /** An export interrupted while downloading block data: the last blocks have no data row. */
  private dropTrailingBlockData(): void {
    if (this.sink !== null) return;
    let left = trailingBlocksWithoutData(this.scenario);
    for (let i = this.uploads.length - 1; i >= 0 && left > 0; i--) {
      const u = this.uploads[i]!;
      if (u.kind !== "block" || u.block.fault === "row_missing") continue;
      u.block.fault = "data_missing";
      left--;
    }
  }

  private opTime(at: string | number, what: string): number {
    const t = timeToMicros(at, what);
    if (t <= this.lastTime) {
      throw new ScenarioError(
        `${what}: time ${t} is not after the previous event (${this.lastTime})`,
      );
    }
    return t;
  }

  private device(ref: string): PlanDevice {
    const direct = this.org.devices.get(ref);
    if (direct) return direct;
    const user = this.org.users.find((u) => u.name === ref);
    if (user) return user.devices[0]!;
    throw new ScenarioError(`unknown user or device "${ref}"`);
  }

  private user(name: string): PlanUser {
    const user = this.org.users.find((u) => u.name === name);
    if (!user) throw new ScenarioError(`unknown user "${name}"`);
    return user;
  }

  private apply(op: HistoryOp): void {
    const t = op.at === undefined ? this.autoTime() : this.opTime(op.at, "at");
    const by = op.by === undefined ? this.owner : this.device(op.by);
    const certifying = ["share", "rotate_key", "rename_realm", "archive"].includes(op.op);
    if (certifying && by.forged !== null) {
      throw new ScenarioError(
        `${by.ref} has a forged certificate: it cannot sign realm certificates`,
      );
    }
    this.vlobFault = op.vlobFault ?? null;
    this.blockFault = op.blockFault ?? null;
    let used = 1;
    switch (op.op) {
      case "share":
        this.share(t, by, this.user(op.user), op.role);
        break;
      case "rotate_key":
        this.rotateKey(t, by, op.badCanary ?? false);
        break;
      case "stale_access": {
        const latest = this.bundles[this.bundles.length - 1];
        if (!latest || op.keyIndex < 1 || op.keyIndex > latest.keyIndex) {
          throw new ScenarioError(`no keys bundle ${op.keyIndex}`);
        }
        const user = this.user(op.user);
        const bundleKey = latest.keyIndex === op.keyIndex
          ? this.random.key(`fault:stale-access:${this.counter++}`)
          : latest.bundleKey;
        this.userAccesses.push({ user, keyIndex: op.keyIndex, bundleKey });
        break;
      }
      case "rename_realm":
        this.renameRealm(t, by, op.name);
        break;
      case "archive":
        this.archive(t, by, op.configuration);
        break;
      case "mkdir":
      case "create_file":
        used = this.create(t, by, op);
        break;
      case "create_many":
        used = this.createMany(t, by, op);
        break;
      case "overwrite":
        this.overwrite(t, by, op.path, op.content, op.holes ?? []);
        break;
      case "overwrite_many":
        used = this.overwriteMany(t, by, op);
        break;
      case "write":
        this.write(t, by, op.path, op.offset, op.content);
        break;
      case "truncate":
        this.truncate(t, by, op.path, op.size);
        break;
      case "move":
        used = this.move(t, by, op.path, op.to);
        break;
      case "delete": {
        const { parent, name } = this.resolveParent(op.path);
        if (!parent.children.some(([n]) => n === name)) {
          throw new ScenarioError(`no entry ${op.path}`);
        }
        parent.children = parent.children.filter(([n]) => n !== name);
        this.uploadEntry(parent, t, by, this.takeVlobFault());
        break;
      }
      case "link": {
        const target = this.resolve(op.target);
        const { parent, name } = this.resolveParent(op.path);
        if (parent.children.some(([n]) => n === name)) throw new ScenarioError(`${op.path} exists`);
        parent.children.push([name, target.id]);
        this.uploadEntry(parent, t, by, this.takeVlobFault());
        break;
      }
      case "resync":
        this.uploadEntry(this.resolve(op.path), t, by, this.takeVlobFault());
        break;
      default:
        throw new ScenarioError(`unknown op ${JSON.stringify((op as { op: unknown }).op)}`);
    }
    if (this.vlobFault !== null || this.blockFault !== null) {
      throw new ScenarioError("this op cannot carry the requested fault");
    }
    this.lastTime = t + (used - 1) * SUB_STEP;
    this.lastOpStart = t;
  }

  /** Previous op's start + step (so sub-steps do not drift), after every row already written. */
  private autoTime(): number {
    const t = this.lastOpStart + this.step;
    return t > this.lastTime ? t : this.lastTime + this.step;
  }

  // --- realm certificates and keys -------------------------------------------------------

  private share(t: number, by: PlanDevice, user: PlanUser, role: RealmRole | null): void {
    this.certificates.push({
      timestamp: t,
      signer: by.signing,
      record: realmRoleCertificate({
        author: by.id,
        timestamp: t,
        realmId: this.realmId,
        userId: user.id,
        role,
      }),
    });
    if (role === null) {
      this.members.delete(user);
      return;
    }
    this.members.set(user, role);
    const latest = this.bundles[this.bundles.length - 1];
    if (latest) {
      this.userAccesses.push({ user, keyIndex: latest.keyIndex, bundleKey: latest.bundleKey });
    }
  }

  private rotateKey(t: number, by: PlanDevice, badCanary = false): void {
    const keyIndex = this.keys.length + 1;
    const kd = this.random.key(`realm-key:${keyIndex}`);
    this.keys.push(kd);
    const keyCanary = sealSecretBox(
      badCanary
        ? this.random.key(`fault:canary:${keyIndex}`)
        : deriveSecretKey(kd, CANARY_DERIVATION_ID),
      new Uint8Array(0),
      this.random.bytes(`nonce:canary:${keyIndex}`, 24),
    );
    this.certificates.push({
      timestamp: t,
      signer: by.signing,
      record: realmKeyRotationCertificate({
        author: by.id,
        timestamp: t,
        realmId: this.realmId,
        keyIndex,
        keyCanary,
      }),
    });
    const bundle: KeysBundlePlan = {
      keyIndex,
      timestamp: t,
      author: by,
      keys: [...this.keys],
      bundleKey: this.random.key(`keys-bundle-key:${keyIndex}`),
      canaryValid: !badCanary,
    };
    this.bundles.push(bundle);
    for (const user of this.members.keys()) {
      this.userAccesses.push({ user, keyIndex, bundleKey: bundle.bundleKey });
    }
    for (const service of this.org.services) {
      if (service.createdAt <= t && (service.revokedAt === null || t < service.revokedAt)) {
        this.serviceAccesses.push({ service, keyIndex, bundleKey: bundle.bundleKey });
      }
    }
  }

  private renameRealm(t: number, by: PlanDevice, name: string): void {
    const keyIndex = this.currentKeyIndex();
    this.realmName = name;
    this.certificates.push({
      timestamp: t,
      signer: by.signing,
      record: realmNameCertificate({
        author: by.id,
        timestamp: t,
        realmId: this.realmId,
        keyIndex,
        encryptedName: sealSecretBox(
          deriveSecretKey(this.keys[keyIndex - 1]!, REALM_NAME_DERIVATION_ID),
          utf8(name),
          this.random.bytes(`nonce:realm-name:${this.certificates.length}`, 24),
        ),
      }),
    });
  }

  private archive(
    t: number,
    by: PlanDevice,
    configuration: "AVAILABLE" | "ARCHIVED" | { deletionDate: string | number },
  ): void {
    this.certificates.push({
      timestamp: t,
      signer: by.signing,
      record: realmArchivingCertificate({
        author: by.id,
        timestamp: t,
        realmId: this.realmId,
        configuration: typeof configuration === "string" ? { type: configuration } : {
          type: "DELETION_PLANNED",
          deletionDate: timeToMicros(configuration.deletionDate, "deletionDate"),
        },
      }),
    });
  }

  private currentKeyIndex(): number {
    if (this.keys.length === 0) throw new ScenarioError("the realm has no key yet");
    return this.keys.length;
  }

  // --- file system ---------------------------------------------------------------------

  private newEntry(id: Uint8Array, kind: "folder" | "file", parent: Uint8Array): EntryState {
    const entry: EntryState = {
      id,
      idHex: toHex(id),
      kind,
      parent,
      version: 0,
      created: 0,
      children: [],
      size: 0,
      blocksize: this.blocksize,
      blocks: [],
    };
    this.entries.set(entry.idHex, entry);
    return entry;
  }

  private splitPath(path: string): string[] {
    if (!path.startsWith("/")) throw new ScenarioError(`path must start with "/": ${path}`);
    return path === "/" ? [] : path.slice(1).split("/");
  }

  private resolve(path: string): EntryState {
    let entry = this.root;
    for (const name of this.splitPath(path)) {
      const child = entry.kind === "folder" ? entry.children.find(([n]) => n === name) : undefined;
      if (!child) throw new ScenarioError(`no entry ${path}`);
      entry = this.entries.get(toHex(child[1]))!;
    }
    return entry;
  }

  private resolveParent(path: string): { parent: EntryState; name: string } {
    const parts = this.splitPath(path);
    const name = parts.pop();
    if (name === undefined) throw new ScenarioError("the root has no parent");
    const parent = this.resolve(parts.length === 0 ? "/" : `/${parts.join("/")}`);
    if (parent.kind !== "folder") throw new ScenarioError(`not a folder: parent of ${path}`);
    return { parent, name };
  }

  private takeVlobFault(): VlobFault | null {
    const fault = this.vlobFault;
    this.vlobFault = null;
    return fault;
  }

  /** A device absent from the certificates (for the `unknown_author` fault). */
  private phantomDevice(by: PlanDevice): PlanDevice {
    const n = this.counter++;
    return {
      ref: `phantom-${n}`,
      id: this.random.uuid(`fault:device:${n}`),
      user: by.user,
      signing: signingKeyFromSeed(this.random.key(`fault:device-key:${n}`)),
      forged: null,
    };
  }

  private uploadEntry(
    entry: EntryState,
    t: number,
    by: PlanDevice,
    fault: VlobFault | null = null,
  ): void {
    const keyIndex = this.currentKeyIndex() + (fault === "key_index_unknown" ? 1000 : 0);
    const author = fault === "unknown_author" ? this.phantomDevice(by) : by;
    entry.version += 1;
    if (entry.version === 1) entry.created = t;
    this.vlobSeq += 1 + this.gap(`vlob:${this.vlobSeq}`);
    const atom: AtomPlan = {
      seq: this.vlobSeq,
      vlobId: entry.id,
      idHex: entry.idHex,
      version: entry.version,
      keyIndex,
      timestamp: t,
      author,
      parent: entry.parent,
      created: entry.created,
      updated: t,
      content: entry.kind === "folder"
        ? { kind: "folder", children: entry.children.map(([n, id]) => [n, id] as const) }
        : { kind: "file", size: entry.size, blocksize: entry.blocksize, blocks: [...entry.blocks] },
      fault,
      blobSize: 0,
    };
    this.upload({ kind: "vlob", atom });
  }

  private upload(u: Upload): void {
    noteGenerated(ROW_WEIGHT);
    if (this.sink === null) this.uploads.push(u);
    else this.sink(u);
  }

  private gap(label: string): number {
    return this.scenario.options?.idGaps ? this.random.below(`gap:${label}`, 3) : 0;
  }

  private newBlock(by: PlanDevice, offset: number, pieces: Piece[]): BlockPlan {
    this.blockSeq += 1 + this.gap(`block:${this.blockSeq}`);
    const block: BlockPlan = {
      seq: this.blockSeq,
      id: this.random.uuid(`block:${this.counter++}`),
      author: by,
      keyIndex: this.currentKeyIndex(),
      offset,
      size: piecesLength(pieces),
      pieces,
      fault: this.blockFault,
      digest: null,
    };
    this.blockFault = null;
    this.upload({ kind: "block", block });
    return block;
  }

  private create(
    t: number,
    by: PlanDevice,
    op: Extract<HistoryOp, { op: "mkdir" | "create_file" }>,
  ): number {
    const { parent, name } = this.resolveParent(op.path);
    if (parent.children.some(([n]) => n === name)) throw new ScenarioError(`${op.path} exists`);
    const kind = op.op === "mkdir" ? "folder" : "file";
    const entry = this.newEntry(
      this.random.uuid(`entry:${this.counter++}:${op.path}`),
      kind,
      parent.id,
    );
    if (op.op === "create_file") {
      entry.blocksize = checkBlocksize(op.blocksize ?? this.blocksize);
    }
    parent.children.push([name, entry.id]);
    const childTime = op.parentFirst ? t + SUB_STEP : t;
    const parentTime = op.parentFirst ? t : t + SUB_STEP;
    if (op.parentFirst) this.uploadEntry(parent, parentTime, by);
    if (op.op === "create_file" && op.content !== undefined) {
      this.layoutFile(entry, by, op.content, op.holes ?? [], `content:${this.counter++}`);
    }
    this.uploadEntry(entry, childTime, by, this.takeVlobFault());
    if (!op.parentFirst) this.uploadEntry(parent, parentTime, by);
    return 2;
  }

  private createMany(
    t: number,
    by: PlanDevice,
    op: Extract<HistoryOp, { op: "create_many" }>,
  ): number {
    if (!Number.isSafeInteger(op.count) || op.count < 1) {
      throw new ScenarioError(`bad count ${op.count}`);
    }
    const dir = this.resolve(op.dir);
    if (dir.kind !== "folder") throw new ScenarioError(`not a folder: ${op.dir}`);
    const width = String(op.count).length;
    for (let n = 1; n <= op.count; n++) {
      const name = `${op.prefix ?? "file-"}${String(n).padStart(width, "0")}`;
      if (dir.children.some(([x]) => x === name)) {
        throw new ScenarioError(`${op.dir}/${name} exists`);
      }
      const entry = this.newEntry(
        this.random.uuid(`entry:${this.counter++}:${name}`),
        "file",
        dir.id,
      );
      entry.blocksize = checkBlocksize(op.blocksize ?? this.blocksize);
      dir.children.push([name, entry.id]);
      this.layoutFile(entry, by, op.content, [], `content:${this.counter++}`);
      this.uploadEntry(entry, t + (n - 1) * SUB_STEP, by);
    }
    this.uploadEntry(dir, t + op.count * SUB_STEP, by, this.takeVlobFault());
    return op.count + 1;
  }

  private file(path: string): EntryState {
    const entry = this.resolve(path);
    if (entry.kind !== "file") throw new ScenarioError(`not a file: ${path}`);
    return entry;
  }

  private layoutFile(
    entry: EntryState,
    by: PlanDevice,
    spec: Parameters<typeof contentPieces>[0],
    holes: readonly [number, number][],
    label: string,
  ): void {
    const pieces = punchHoles(contentPieces(spec, this.random, label), holes);
    const size = piecesLength(pieces);
    const bs = entry.blocksize;
    entry.blocks = [];
    for (let spanStart = 0; spanStart < size; spanStart += bs) {
      const { lead, kept } = trimHoles(
        slicePieces(pieces, spanStart, Math.min(bs, size - spanStart)),
      );
      if (kept.length > 0) entry.blocks.push(this.newBlock(by, spanStart + lead, kept));
    }
    entry.size = size;
  }

  private overwrite(
    t: number,
    by: PlanDevice,
    path: string,
    spec: Parameters<typeof contentPieces>[0],
    holes: readonly [number, number][],
  ): void {
    const entry = this.file(path);
    this.layoutFile(entry, by, spec, holes, `content:${this.counter++}`);
    this.uploadEntry(entry, t, by, this.takeVlobFault());
  }

  private overwriteMany(
    t: number,
    by: PlanDevice,
    op: Extract<HistoryOp, { op: "overwrite_many" }>,
  ): number {
    if (!Number.isSafeInteger(op.rounds) || op.rounds < 1) {
      throw new ScenarioError(`bad rounds ${op.rounds}`);
    }
    const dir = this.resolve(op.dir);
    if (dir.kind !== "folder") throw new ScenarioError(`not a folder: ${op.dir}`);
    const files = dir.children.map(([, id]) => this.entries.get(toHex(id))!)
      .filter((e) => e.kind === "file");
    let n = 0;
    for (let round = 0; round < op.rounds; round++) {
      for (const entry of files) {
        this.layoutFile(entry, by, op.content, [], `content:${this.counter++}`);
        this.uploadEntry(entry, t + n++ * SUB_STEP, by, n === 1 ? this.takeVlobFault() : null);
      }
    }
    return Math.max(n, 1);
  }

  private fileView(entry: EntryState, size: number): Piece[] {
    const parts: Piece[][] = [];
    let pos = 0;
    for (const b of entry.blocks) {
      if (b.offset > pos) parts.push([{ kind: "zeros", length: b.offset - pos }]);
      parts.push([...b.pieces]);
      pos = b.offset + b.size;
    }
    if (size > pos) parts.push([{ kind: "zeros", length: size - pos }]);
    return concatPieces(...parts);
  }

  private write(
    t: number,
    by: PlanDevice,
    path: string,
    offset: number,
    spec: Parameters<typeof contentPieces>[0],
  ): void {
    const entry = this.file(path);
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new ScenarioError(`bad offset ${offset}`);
    }
    const data = contentPieces(spec, this.random, `content:${this.counter++}`);
    const end = offset + piecesLength(data);
    const newSize = Math.max(entry.size, end);
    const view = this.fileView(entry, newSize);
    const bs = entry.blocksize;
    const blocks = [...entry.blocks];
    for (let span = Math.floor(offset / bs); span * bs < end; span++) {
      const spanStart = span * bs;
      const spanEnd = Math.min(spanStart + bs, newSize);
      const index = blocks.findIndex((b) => b.offset >= spanStart && b.offset < spanEnd);
      const old = index >= 0 ? blocks[index] : undefined;
      const writeLo = Math.max(offset, spanStart);
      const writeHi = Math.min(end, spanEnd);
      const lo = Math.min(old?.offset ?? writeLo, writeLo);
      const hi = Math.max(old ? old.offset + old.size : writeHi, writeHi);
      const pieces = concatPieces(
        slicePieces(view, lo, writeLo - lo),
        slicePieces(data, writeLo - offset, writeHi - writeLo),
        slicePieces(view, writeHi, hi - writeHi),
      );
      const block = this.newBlock(by, lo, pieces);
      if (old) blocks[index] = block;
      else blocks.push(block);
    }
    entry.blocks = blocks.sort((a, b) => a.offset - b.offset);
    entry.size = newSize;
    this.uploadEntry(entry, t, by, this.takeVlobFault());
  }

  private truncate(t: number, by: PlanDevice, path: string, size: number): void {
    const entry = this.file(path);
    if (!Number.isSafeInteger(size) || size < 0) throw new ScenarioError(`bad size ${size}`);
    const blocks: BlockPlan[] = [];
    for (const b of entry.blocks) {
      if (b.offset + b.size <= size) blocks.push(b);
      else if (b.offset < size) {
        blocks.push(this.newBlock(by, b.offset, slicePieces(b.pieces, 0, size - b.offset)));
      }
    }
    entry.blocks = blocks;
    entry.size = size;
    this.uploadEntry(entry, t, by, this.takeVlobFault());
  }

  private move(t: number, by: PlanDevice, from: string, to: string): number {
    const src = this.resolveParent(from);
    const child = src.parent.children.find(([n]) => n === src.name);
    if (!child) throw new ScenarioError(`no entry ${from}`);
    const dst = this.resolveParent(to);
    if (dst.parent.children.some(([n]) => n === dst.name)) throw new ScenarioError(`${to} exists`);
    const entry = this.entries.get(toHex(child[1]))!;
    if (src.parent === dst.parent) {
      src.parent.children = src.parent.children.map((
        c,
      ) => (c[0] === src.name ? [dst.name, c[1]] : c));
      this.uploadEntry(src.parent, t, by, this.takeVlobFault());
      return 1;
    }
    for (let p: EntryState = dst.parent; p !== this.root; p = this.entries.get(toHex(p.parent))!) {
      if (p === entry) throw new ScenarioError(`cannot move ${from} into itself`);
    }
    dst.parent.children.push([dst.name, entry.id]);
    this.uploadEntry(dst.parent, t, by);
    entry.parent = dst.parent.id;
    this.uploadEntry(entry, t + SUB_STEP, by, this.takeVlobFault());
    src.parent.children = src.parent.children.filter(([n]) => n !== src.name);
    this.uploadEntry(src.parent, t + 2 * SUB_STEP, by);
    return 3;
  }
}

function checkBlocksize(bs: number): number {
  if (!Number.isSafeInteger(bs) || bs < 8) throw new ScenarioError(`blocksize must be ≥ 8: ${bs}`);
  return bs;
}
