-- The council's voting rules, version after version: each change is a
-- `rules-change` statement an admin signed, in the log. Version 1, the
-- initial rules, is not stored: it is the same for every council.

CREATE TABLE rules (
    version    INTEGER PRIMARY KEY CHECK (version >= 2),
    body       TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    by_member  INTEGER NOT NULL REFERENCES members (id),
    log_index  INTEGER NOT NULL REFERENCES log_entries (idx),
    at         INTEGER NOT NULL
) STRICT;

CREATE TRIGGER rules_no_update BEFORE UPDATE ON rules
BEGIN SELECT RAISE(ABORT, 'rules is append-only'); END;
CREATE TRIGGER rules_no_delete BEFORE DELETE ON rules
BEGIN SELECT RAISE(ABORT, 'rules is append-only'); END;
