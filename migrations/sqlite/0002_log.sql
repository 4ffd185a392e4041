-- The public log: its key, its entries (the Merkle tree's leaves, in order)
-- and its signed checkpoints. All append-only.

CREATE TABLE log_key (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    vkey  TEXT    NOT NULL -- C2SP verifier key: name+keyid+base64(0x01 || public key)
) STRICT;

CREATE TABLE log_entries (
    idx          INTEGER PRIMARY KEY CHECK (idx >= 0),
    entry        BLOB    NOT NULL,
    leaf_hash    BLOB    NOT NULL CHECK (length(leaf_hash) = 32),
    appended_at  INTEGER NOT NULL -- seconds since the Unix epoch, UTC
) STRICT;

CREATE TABLE log_checkpoints (
    size        INTEGER PRIMARY KEY CHECK (size >= 0),
    root        BLOB    NOT NULL CHECK (length(root) = 32),
    note        TEXT    NOT NULL, -- the signed checkpoint, as published
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TRIGGER log_key_no_update BEFORE UPDATE ON log_key
BEGIN SELECT RAISE(ABORT, 'log_key is append-only'); END;
CREATE TRIGGER log_key_no_delete BEFORE DELETE ON log_key
BEGIN SELECT RAISE(ABORT, 'log_key is append-only'); END;

CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END;
CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END;

CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints
BEGIN SELECT RAISE(ABORT, 'log_checkpoints is append-only'); END;
CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints
BEGIN SELECT RAISE(ABORT, 'log_checkpoints is append-only'); END;
