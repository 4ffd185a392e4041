-- Witness cosignatures (C2SP tlog-cosignature) of the log's checkpoints, as
-- the witnesses of the council's policy submitted them, already verified.
-- A checkpoint with the cosignatures the policy requires is final, and so
-- is every entry below its size. Append-only.

CREATE TABLE log_cosignatures (
    size         BIGINT NOT NULL REFERENCES log_checkpoints (size),
    witness      TEXT   NOT NULL, -- the witness key's name
    key_id       BIGINT NOT NULL CHECK (key_id >= 0 AND key_id < 4294967296),
    signed_at    BIGINT NOT NULL, -- the cosignature's own timestamp
    line         TEXT   NOT NULL, -- the note signature line, appended to the checkpoint
    received_at  BIGINT NOT NULL,
    PRIMARY KEY (size, witness, key_id)
);

CREATE TRIGGER log_cosignatures_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON log_cosignatures
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
