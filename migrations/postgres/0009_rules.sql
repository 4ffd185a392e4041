-- The council's voting rules, version after version: each change is a
-- `rules-change` statement an admin signed, in the log. Version 1, the
-- initial rules, is not stored: it is the same for every council.

CREATE TABLE rules (
    version    BIGINT PRIMARY KEY CHECK (version >= 2),
    body       TEXT   NOT NULL,
    reason     TEXT   NOT NULL,
    by_member  BIGINT NOT NULL REFERENCES members (id),
    log_index  BIGINT NOT NULL REFERENCES log_entries (idx),
    at         BIGINT NOT NULL
);

CREATE TRIGGER rules_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON rules
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
