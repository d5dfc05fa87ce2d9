/** Compiles a scenario and a seed into a `Plan` (everything to write, in order). */
import { compileOrg, hexField } from "./compile_org.ts";
import { compileRealm } from "./compile_realm.ts";
import type { Plan } from "./plan.ts";
import { SeededRandom } from "./prng.ts";
import { type ExportStep, type Scenario, ScenarioError, timeToMicros } from "./scenario.ts";

const DEFAULT_START = "2000-01-01T00:00:00Z";
const DEFAULT_STEP = 60_000_000;
const HOUR = 3_600_000_000;

/** Options of `compileScenario`. */
export interface CompileOptions {
  /** RSA key cache folder; `null` disables the cache; default `.cache/builder-keys/`. */
  keyCacheDir?: string | URL | null;
  /**
   * Keep no uploads (constant memory whatever the history size): the writer replays them with
   * `plan.replayUploads`. Such a plan has no truth (`treeTimes` is just the snapshot).
   */
  stream?: boolean;
}

/** Turns `scenario` + `seed` into a plan. Throws `ScenarioError` on an inconsistent scenario. */
export function compileScenario(
  scenario: Scenario,
  seed: number,
  options: CompileOptions = {},
): Plan {
  if (!Number.isSafeInteger(seed)) throw new ScenarioError(`seed must be an integer: ${seed}`);
  const random = new SeededRandom(seed, scenario.name);
  const start = timeToMicros(scenario.startTime ?? DEFAULT_START, "startTime");
  const step = scenario.timeStep ?? DEFAULT_STEP;
  if (!Number.isSafeInteger(step) || step < 2) throw new ScenarioError("timeStep must be ≥ 2 µs");
  const org = compileOrg(scenario, random, start, step, options.keyCacheDir);
  const realmId = scenario.realm.id === undefined
    ? random.uuid("realm")
    : hexField(scenario.realm.id, 16, "realm.id");
  const stream = options.stream ?? false;
  const realm = compileRealm(scenario, org, random, realmId, step, stream ? () => {} : undefined);
  const lastTime = Math.max(realm.lastTime, org.lastTime);
  const snapshotTime = scenario.snapshotAt === undefined
    ? lastTime + HOUR
    : timeToMicros(scenario.snapshotAt, "snapshotAt");
  if (snapshotTime < lastTime) throw new ScenarioError("snapshotAt is before the last event");
  return {
    scenarioName: scenario.name,
    seed,
    random,
    organizationId: scenario.organizationId ?? "SequexOrg",
    root: org.root,
    users: org.users,
    services: org.services,
    authority: org.authority,
    realmId,
    realmName: realm.realmName,
    realmKeys: realm.realmKeys,
    commonCertificates: org.commonCertificates,
    sequesterCertificates: org.sequesterCertificates,
    realmCertificates: realm.realmCertificates,
    keysBundles: realm.keysBundles,
    userAccesses: realm.userAccesses,
    serviceAccesses: realm.serviceAccesses,
    uploads: realm.uploads,
    replayUploads: stream
      ? (sink) => void compileRealm(scenario, org, random, realmId, step, sink)
      : null,
    snapshotTime,
    incomplete: checkSteps(scenario.options?.incomplete ?? []),
    treeTimes: stream ? [snapshotTime] : treeTimes(scenario, realm.uploads, snapshotTime),
  };
}

const STEPS: readonly ExportStep[] = ["certificates", "vlobs", "blocks_metadata", "blocks_data"];

function checkSteps(steps: readonly ExportStep[]): ExportStep[] {
  for (const s of steps) {
    if (!STEPS.includes(s)) throw new ScenarioError(`options.incomplete: unknown step "${s}"`);
  }
  return STEPS.filter((s) => steps.includes(s));
}

function treeTimes(
  scenario: Scenario,
  uploads: Plan["uploads"],
  snapshotTime: number,
): number[] {
  const explicit = scenario.options?.treeTimes;
  if (explicit !== undefined) {
    return [...new Set(explicit.map((t) => timeToMicros(t, "options.treeTimes")))].sort((a, b) =>
      a - b
    );
  }
  const times = new Set<number>();
  for (const u of uploads) if (u.kind === "vlob") times.add(u.atom.timestamp);
  times.add(snapshotTime);
  const all = [...times].sort((a, b) => a - b);
  const cap = scenario.options?.maxTrees;
  if (cap === undefined || all.length <= cap) return all;
  if (cap < 1) return [snapshotTime];
  const picked = new Set<number>([snapshotTime]);
  for (let i = 0; picked.size < cap && i < cap; i++) {
    picked.add(all[Math.floor((i * (all.length - 1)) / Math.max(1, cap - 1))]!);
  }
  return [...picked].sort((a, b) => a - b);
}
