/** Writes the decryptor keys beside an export: `F.keys/{root.key,user-*.key,sequester-service-*.pem}`. */
import { toHex } from "../../src/util/bytes.ts";
import type { Plan } from "./plan.ts";
import { serviceKeyFileName, userKeyFileName } from "./truth.ts";

/** Writes the key folder (created if needed) and returns the paths written. */
export function writeKeyFiles(plan: Plan, keysDir: string): string[] {
  Deno.mkdirSync(keysDir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, text: string) => {
    const path = `${keysDir}/${name}`;
    Deno.writeTextFileSync(path, text);
    written.push(path);
  };
  put("root.key", `${toHex(plan.root.seed)}\n`);
  for (const user of plan.users) put(userKeyFileName(user), `${toHex(user.privateKey)}\n`);
  for (const service of plan.services) put(serviceKeyFileName(service), service.key.privatePem);
  return written;
}
