/**
 * Writes a private key as an encrypted PKCS#8 PEM: PBES2 with PBKDF2-HMAC-SHA256 (600 000
 * iterations by default, the OWASP figure) and AES-256-CBC, readable by OpenSSL and Parsec tools.
 */
import { Buffer } from "node:buffer";
import { createCipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import forge from "node-forge";
import { pemEncode } from "../util/pem.ts";
import { binaryString } from "./rsa_key_forms.ts";

const DEFAULT_PBKDF2_ITERATIONS = 600_000;

const OID = {
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  hmacWithSha256: "1.2.840.113549.2.9",
  aes256Cbc: "2.16.840.1.101.3.4.1.42",
};

/** `ENCRYPTED PRIVATE KEY` PEM of an unencrypted PKCS#8 DER key. */
export function encryptPkcs8Pem(
  pkcs8Der: Uint8Array,
  passphrase: string,
  iterations = DEFAULT_PBKDF2_ITERATIONS,
): string {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(passphrase, salt, iterations, 32, "sha256");
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8Der), cipher.final()]);
  const { create, Class, Type } = forge.asn1;
  const seq = (items: forge.asn1.Asn1[]) => create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
  const oid = (o: string) =>
    create(Class.UNIVERSAL, Type.OID, false, forge.asn1.oidToDer(o).getBytes());
  const octets = (b: Uint8Array) =>
    create(Class.UNIVERSAL, Type.OCTETSTRING, false, binaryString(b));
  const int = (n: number) =>
    create(Class.UNIVERSAL, Type.INTEGER, false, forge.asn1.integerToDer(n).getBytes());
  const info = seq([
    seq([
      oid(OID.pbes2),
      seq([
        seq([
          oid(OID.pbkdf2),
          seq([
            octets(salt),
            int(iterations),
            seq([oid(OID.hmacWithSha256), create(Class.UNIVERSAL, Type.NULL, false, "")]),
          ]),
        ]),
        seq([oid(OID.aes256Cbc), octets(iv)]),
      ]),
    ]),
    octets(encrypted),
  ]);
  const der = forge.asn1.toDer(info).getBytes();
  return pemEncode("ENCRYPTED PRIVATE KEY", Uint8Array.from(der, (c) => c.charCodeAt(0)));
}
