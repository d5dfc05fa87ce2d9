/** Sequester authority and service certificates (spec §5.2). */
import { decodeFormatV0 } from "./format_v0.ts";
import { Fields } from "./fields.ts";

export interface SequesterAuthorityCertificate {
  readonly type: "sequester_authority_certificate";
  readonly timestamp: number;
  readonly verifyKeyDer: Uint8Array;
}

export interface SequesterServiceCertificate {
  readonly type: "sequester_service_certificate";
  readonly timestamp: number;
  readonly serviceId: string;
  readonly serviceLabel: string;
  readonly encryptionKeyDer: Uint8Array;
}

export interface SequesterRevokedServiceCertificate {
  readonly type: "sequester_revoked_service_certificate";
  readonly timestamp: number;
  readonly serviceId: string;
}

/** Decodes the authority certificate payload (signature already removed). */
export function decodeSequesterAuthorityCertificate(
  payload: Uint8Array,
): SequesterAuthorityCertificate {
  const f = Fields.of(decodeFormatV0(payload), "sequester_authority_certificate");
  return {
    type: "sequester_authority_certificate",
    timestamp: f.dateTime("timestamp"),
    verifyKeyDer: f.bytes("verify_key_der"),
  };
}

/** Decodes a service or service-revocation certificate payload (armor already removed). */
export function decodeSequesterServiceRecord(
  payload: Uint8Array,
): SequesterServiceCertificate | SequesterRevokedServiceCertificate {
  const f = Fields.of(decodeFormatV0(payload), [
    "sequester_service_certificate",
    "sequester_revoked_service_certificate",
  ]);
  if (f.type === "sequester_service_certificate") {
    return {
      type: "sequester_service_certificate",
      timestamp: f.dateTime("timestamp"),
      serviceId: f.uuid("service_id"),
      serviceLabel: f.string("service_label"),
      encryptionKeyDer: f.bytes("encryption_key_der"),
    };
  }
  return {
    type: "sequester_revoked_service_certificate",
    timestamp: f.dateTime("timestamp"),
    serviceId: f.uuid("service_id"),
  };
}
