/** The tree at T of a realm, or a one-line error when its root cannot be read. */
import { RootUnreadableError } from "../errors.ts";
import type { Realm } from "../realm/realm.ts";
import { explainUnreadableRoot } from "./root_readability.ts";
import { resolveTreeAt, type TreeSnapshot } from "./tree.ts";

/** Resolves the tree at `at`; throws `RootUnreadableError` naming the missing key. */
export function snapshotAt(realm: Realm, at: number): TreeSnapshot {
  const tree = resolveTreeAt(realm.realmId, at, (id, t) => realm.versionAt(id, t));
  if (tree.rootStatus === "error") {
    throw new RootUnreadableError(
      explainUnreadableRoot(
        tree.nodes[0]!.version,
        realm.versionsOf(realm.realmId),
        at,
        realm.exp.info.snapshotTimestamp,
      ),
    );
  }
  return tree;
}
