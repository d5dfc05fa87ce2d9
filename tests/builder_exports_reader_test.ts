/**
 * The reader against the builder's truth on builder-made exports: multi-block files, holes,
 * renames, moves, deletions, children listed before they exist, key rotations, sequester services
 * with partial access, hostile names, cycles, and every manifest/block fault.
 */
import { dirname } from "node:path";
import { openRealm } from "../src/cli/session.ts";
import { withBuild } from "./builder/build_helpers.ts";
import { PRESETS } from "../scripts/builder/presets.ts";
import { assertMatchesTruth, type DecryptorTruth } from "./truth_compare.ts";
import { REPO } from "./helpers.ts";

interface BuilderTruth {
  decryptors: { name: string; kind: "user" | "sequester"; key_file: string }[];
  by_decryptor: Record<string, DecryptorTruth>;
}

function checkEveryDecryptor(exportPath: string, truthPath: string, truth: BuilderTruth) {
  for (const d of truth.decryptors) {
    const keyPath = `${dirname(truthPath)}/${d.key_file}`;
    const realm = openRealm(exportPath, {
      keyFiles: d.kind === "sequester" ? [keyPath] : [],
      userKeys: d.kind === "user" ? [Deno.readTextFileSync(keyPath).trim()] : [],
    });
    try {
      assertMatchesTruth(realm, truth.by_decryptor[d.name]!, { compareReasons: true });
    } finally {
      realm.close();
    }
  }
}

for (
  const preset of [
    "basic",
    "sequestered",
    "hostile",
    "faults",
    "more-faults",
    "incomplete",
    "history",
  ] as const
) {
  Deno.test(`builder preset "${preset}": every decryptor reads exactly the builder's truth`, async () => {
    await withBuild(PRESETS[preset]!({}), 7, (built) => {
      const truth = built.truth as unknown as BuilderTruth;
      checkEveryDecryptor(built.exportPath, built.truthPath, truth);
    }, preset);
  });
}

Deno.test("the committed demo export reads exactly its truth with every demo key", async () => {
  const truthPath = `${REPO}demo/demo.truth.json`;
  const truth = JSON.parse(await Deno.readTextFile(truthPath)) as BuilderTruth;
  checkEveryDecryptor(`${REPO}demo/demo.sqlite`, truthPath, truth);
});
