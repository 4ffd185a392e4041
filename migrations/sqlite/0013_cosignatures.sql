-- Witness cosignatures (C2SP tlog-cosignature) of the log's checkpoints, as
-- the witnesses of the council's policy submitted them, already verified.
-- A checkpoint with the cosignatures the policy requires is final, and so
-- is every entry below its size. Append-only.

CREATE TABLE log_cosignatures (
    size         INTEGER NOT NULL REFERENCES log_checkpoints (size),
    witness      TEXT    NOT NULL, -- the witness key's name
    key_id       INTEGER NOT NULL CHECK (key_id >= 0 AND key_id < 4294967296),
    signed_at    INTEGER NOT NULL, -- the cosignature's own timestamp
    line         TEXT    NOT NULL, -- the note signature line, appended to the checkpoint
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (size, witness, key_id)
) STRICT;

CREATE TRIGGER log_cosignatures_no_update BEFORE UPDATE ON log_cosignatures
BEGIN SELECT RAISE(ABORT, 'log_cosignatures is append-only'); END;
CREATE TRIGGER log_cosignatures_no_delete BEFORE DELETE ON log_cosignatures
BEGIN SELECT RAISE(ABORT, 'log_cosignatures is append-only'); END;
