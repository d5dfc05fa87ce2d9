/**
 * The reader against the decoded truth of the two real Parsec exports: keys obtained, every
 * manifest version's status and error code, and the tree with every file's SHA-256 at every
 * timestamp of the truth file, for every decryptor in truth/.
 */
import { openRealm } from "../src/cli/session.ts";
import {
  FIXTURES,
  fixtureTest,
  KEYS,
  SEQUESTERED,
  USER_KEYS,
  WORKSPACE_HISTORY,
} from "./helpers.ts";
import { assertMatchesTruth, type DecryptorTruth } from "./truth_compare.ts";

const CASES: { truth: string; exportPath: string; keyFiles: string[]; userKeys: string[] }[] = [
  {
    truth: "workspace_history_export.truth.json",
    exportPath: WORKSPACE_HISTORY,
    keyFiles: [],
    userKeys: [USER_KEYS.mallory],
  },
  {
    truth: "workspace_history_export.truth.json",
    exportPath: WORKSPACE_HISTORY,
    keyFiles: [],
    userKeys: [USER_KEYS.alice],
  },
  {
    truth: "workspace_history_export.truth.json",
    exportPath: WORKSPACE_HISTORY,
    keyFiles: [],
    userKeys: [USER_KEYS.bob],
  },
  {
    truth: "sequestered_export.alice.truth.json",
    exportPath: SEQUESTERED,
    keyFiles: [],
    userKeys: [USER_KEYS.alice],
  },
  {
    truth: "sequestered_export.alice.truth.json",
    exportPath: SEQUESTERED,
    keyFiles: [],
    userKeys: [USER_KEYS.bob],
  },
  {
    truth: "sequestered_export.sequester_service_1.truth.json",
    exportPath: SEQUESTERED,
    keyFiles: [`${KEYS}sequester_service_1.pkcs8.pem`],
    userKeys: [],
  },
  {
    truth: "sequestered_export.sequester_service_2.truth.json",
    exportPath: SEQUESTERED,
    keyFiles: [`${KEYS}sequester_service_2.pkcs8.pem`],
    userKeys: [],
  },
];

for (const c of CASES) {
  const who = c.userKeys.length > 0
    ? `user key ${Object.entries(USER_KEYS).find(([, v]) => v === c.userKeys[0])![0]}`
    : c.keyFiles[0]!.split("/").at(-1)!;
  fixtureTest(
    `${c.truth} with ${who}: keys, every version and every tree match the truth`,
    async () => {
      const truth: DecryptorTruth = JSON.parse(
        await Deno.readTextFile(`${FIXTURES}truth/${c.truth}`),
      );
      const realm = openRealm(c.exportPath, { keyFiles: c.keyFiles, userKeys: c.userKeys });
      try {
        assertMatchesTruth(realm, truth, { compareReasons: true });
      } finally {
        realm.close();
      }
    },
  );
}
