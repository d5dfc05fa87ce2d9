/** Organization-wide certificates (`common_certificate` rows, spec §5.1). */
import { decodeFormatV0 } from "./format_v0.ts";
import { Fields, RecordError } from "./fields.ts";

const USER_PROFILES = ["ADMIN", "STANDARD", "OUTSIDER"] as const;
export type UserProfile = typeof USER_PROFILES[number];
const DEVICE_PURPOSES = [
  "STANDARD",
  "SHAMIR_RECOVERY",
  "PASSPHRASE_RECOVERY",
  "REGISTRATION",
] as const;
export type DevicePurpose = typeof DEVICE_PURPOSES[number];

/** A person's email and display name; `null` when the server redacted it. */
export interface HumanHandle {
  readonly email: string;
  readonly label: string;
}

export interface UserCertificate {
  readonly type: "user_certificate";
  readonly author: string | null;
  readonly timestamp: number;
  readonly userId: string;
  readonly humanHandle: HumanHandle | null;
  readonly publicKey: Uint8Array;
  readonly profile: UserProfile;
}

export interface DeviceCertificate {
  readonly type: "device_certificate";
  readonly purpose: DevicePurpose;
  readonly author: string | null;
  readonly timestamp: number;
  readonly userId: string;
  readonly deviceId: string;
  readonly deviceLabel: string | null;
  readonly verifyKey: Uint8Array;
}

export interface RevokedUserCertificate {
  readonly type: "revoked_user_certificate";
  readonly author: string;
  readonly timestamp: number;
  readonly userId: string;
}

export interface UserUpdateCertificate {
  readonly type: "user_update_certificate";
  readonly author: string;
  readonly timestamp: number;
  readonly userId: string;
  readonly newProfile: UserProfile;
}

/** A common certificate type sequex does not use (kept so it can be counted, not trusted). */
export interface OtherCommonCertificate {
  readonly type: "other";
  readonly tag: string;
  readonly author: string | null;
}

export type CommonCertificate =
  | UserCertificate
  | DeviceCertificate
  | RevokedUserCertificate
  | UserUpdateCertificate
  | OtherCommonCertificate;

/** Decodes a common certificate's format-v0 payload (signature already removed). */
export function decodeCommonCertificate(payload: Uint8Array): CommonCertificate {
  const f = Fields.of(decodeFormatV0(payload));
  switch (f.type) {
    case "user_certificate": {
      f.oneOf("algorithm", ["X25519_XSALSA20_POLY1305"]);
      return {
        type: "user_certificate",
        author: f.optionalUuid("author"),
        timestamp: f.dateTime("timestamp"),
        userId: f.uuid("user_id"),
        humanHandle: decodeHumanHandle(f),
        publicKey: f.bytes("public_key", 32),
        profile: f.oneOf("profile", USER_PROFILES),
      };
    }
    case "device_certificate":
      f.oneOf("algorithm", ["ED25519"]);
      return {
        type: "device_certificate",
        purpose: f.has("purpose") ? f.oneOf("purpose", DEVICE_PURPOSES) : "STANDARD",
        author: f.optionalUuid("author"),
        timestamp: f.dateTime("timestamp"),
        userId: f.uuid("user_id"),
        deviceId: f.uuid("device_id"),
        deviceLabel: f.optionalString("device_label"),
        verifyKey: f.bytes("verify_key", 32),
      };
    case "revoked_user_certificate":
      return {
        type: "revoked_user_certificate",
        author: f.uuid("author"),
        timestamp: f.dateTime("timestamp"),
        userId: f.uuid("user_id"),
      };
    case "user_update_certificate":
      return {
        type: "user_update_certificate",
        author: f.uuid("author"),
        timestamp: f.dateTime("timestamp"),
        userId: f.uuid("user_id"),
        newProfile: f.oneOf("new_profile", USER_PROFILES),
      };
    default:
      return {
        type: "other",
        tag: f.type,
        author: f.has("author") ? f.optionalUuid("author") : null,
      };
  }
}

/** The `human_handle` field: `[email, label]` or nil (redacted). */
export function decodeHumanHandle(f: Fields): HumanHandle | null {
  if (f.isNull("human_handle")) return null;
  const hh = f.array("human_handle");
  const [email, label] = hh;
  if (hh.length !== 2 || typeof email !== "string" || typeof label !== "string") {
    throw new RecordError("field `human_handle` is not an [email, label] pair");
  }
  return { email, label };
}
