/**
 * The SQL schema of a Parsec realm export, statement for statement as the Parsec server writes it
 * (same text, comments included, so `sqlite_master` matches a real export).
 */

/** `CREATE TABLE` statements, in creation order. */
export const EXPORT_SCHEMA: readonly string[] = [
  `CREATE TABLE info (
    magic INTEGER UNIQUE NOT NULL DEFAULT 87948,
    version INTEGER NOT NULL DEFAULT 1,

    organization_id VARCHAR(32) NOT NULL,
    realm_id BLOB NOT NULL,
    root_verify_key BLOB NOT NULL,

    -- The export can be considered to be a snapshot of the realm up to this point in time
    -- (Note this doesn't necessarily correspond to when the export has been done).
    snapshot_timestamp INTEGER NOT NULL, -- us since UNIX epoch

    -- Total amount of data exported
    vlobs_total_bytes INTEGER NOT NULL,
    blocks_total_bytes INTEGER NOT NULL,

    certificates_export_done INTEGER NOT NULL DEFAULT 0, -- Boolean
    vlobs_export_done INTEGER NOT NULL DEFAULT 0, -- Boolean
    blocks_metadata_export_done INTEGER NOT NULL DEFAULT 0, -- Boolean
    blocks_data_export_done INTEGER NOT NULL DEFAULT 0 -- Boolean
)`,
  `CREATE TABLE common_certificate (
    _id INTEGER PRIMARY KEY,
    certificate BLOB NOT NULL
)`,
  `CREATE TABLE sequester_certificate (
    _id INTEGER PRIMARY KEY,
    certificate BLOB NOT NULL
)`,
  `CREATE TABLE realm_certificate (
    _id INTEGER PRIMARY KEY,
    certificate BLOB NOT NULL
)`,
  `CREATE TABLE realm_keys_bundle (
    key_index INTEGER PRIMARY KEY,
    keys_bundle BLOB NOT NULL
)`,
  `CREATE TABLE realm_keys_bundle_access (
    _id INTEGER PRIMARY KEY,
    user_id BLOB NOT NULL,
    key_index INTEGER NOT NULL,
    access BLOB NOT NULL
)`,
  `CREATE TABLE realm_sequester_keys_bundle_access (
    _id INTEGER PRIMARY KEY,
    sequester_service_id BLOB NOT NULL,
    key_index INTEGER NOT NULL,
    access BLOB NOT NULL
)`,
  `CREATE TABLE vlob_atom (
    -- We use \`realm_vlob_update\`'s \`index\` field as primary key.
    -- This means the vlob atoms are ordered according to how they got added
    -- in the server in the first place.
    sequential_id INTEGER PRIMARY KEY,
    vlob_id BLOB NOT NULL,  -- VlobID
    version INTEGER NOT NULL,
    key_index INTEGER NOT NULL,
    blob BLOB NOT NULL,
    size INTEGER NOT NULL,
    author BLOB NOT NULL,  -- DeviceID
    -- Note this field is called \`created_on\` in Parsec datamodel, but it correspond
    -- in fact to the timestamp field in the API ! So we stick with the latter.
    -- On top of that, unlike PostgreSQL, SQLite doesn't have a TIMESTAMPZ type out
    -- of the box so we have to roll our own integer-based format.
    timestamp INTEGER NOT NULL,  -- us since UNIX epoch

    UNIQUE(vlob_id, timestamp)
)`,
  `CREATE TABLE block (
    -- Primary key is not SERIAL given we will take the one present in the Parsec database.
    -- This means the blocks are ordered according to how they got added in the server
    -- in the first place.
    sequential_id INTEGER PRIMARY KEY,
    block_id BLOB NOT NULL UNIQUE,
    author BLOB NOT NULL,  -- DeviceID
    size INTEGER NOT NULL,
    key_index INTEGER NOT NULL
)`,
  `CREATE TABLE block_data (
    block INTEGER PRIMARY KEY REFERENCES block(sequential_id),
    data BLOB NOT NULL
)`,
];

/** Magic number of the `info` row. */
export const EXPORT_MAGIC = 87948;
/** The only export format version. */
export const EXPORT_VERSION = 1;

/** Table names, in creation order (the `row_counts` keys of the truth). */
export const EXPORT_TABLES: readonly string[] = [
  "common_certificate",
  "sequester_certificate",
  "realm_certificate",
  "realm_keys_bundle",
  "realm_keys_bundle_access",
  "realm_sequester_keys_bundle_access",
  "vlob_atom",
  "block",
  "block_data",
];
