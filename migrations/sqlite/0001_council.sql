-- The council: exactly one row per deployment, written once by `tribune init`.
CREATE TABLE council (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    log_origin  TEXT    NOT NULL CHECK (length(log_origin) BETWEEN 1 AND 255),
    founded_at  INTEGER NOT NULL -- seconds since the Unix epoch, UTC
) STRICT;

-- The founding is history: it is never rewritten or removed.
CREATE TRIGGER council_no_update BEFORE UPDATE ON council
BEGIN
    SELECT RAISE(ABORT, 'council is append-only');
END;

CREATE TRIGGER council_no_delete BEFORE DELETE ON council
BEGIN
    SELECT RAISE(ABORT, 'council is append-only');
END;
