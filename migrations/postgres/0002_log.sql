-- The public log: its key, its entries (the Merkle tree's leaves, in order)
-- and its signed checkpoints. All append-only.

CREATE TABLE log_key (
    id    SMALLINT PRIMARY KEY CHECK (id = 1),
    vkey  TEXT     NOT NULL -- C2SP verifier key: name+keyid+base64(0x01 || public key)
);

CREATE TABLE log_entries (
    idx          BIGINT PRIMARY KEY CHECK (idx >= 0),
    entry        BYTEA  NOT NULL,
    leaf_hash    BYTEA  NOT NULL CHECK (octet_length(leaf_hash) = 32),
    appended_at  BIGINT NOT NULL -- seconds since the Unix epoch, UTC
);

CREATE TABLE log_checkpoints (
    size        BIGINT PRIMARY KEY CHECK (size >= 0),
    root        BYTEA  NOT NULL CHECK (octet_length(root) = 32),
    note        TEXT   NOT NULL, -- the signed checkpoint, as published
    created_at  BIGINT NOT NULL
);

CREATE TRIGGER log_key_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON log_key
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
CREATE TRIGGER log_entries_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON log_entries
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
CREATE TRIGGER log_checkpoints_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON log_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
