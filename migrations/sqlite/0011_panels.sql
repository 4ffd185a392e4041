-- Panels: the members the chair assigned to decide a case (each assignment a
-- `panel-assignment` log entry; the latest one counts for motions opened
-- after it).

CREATE TABLE panels (
    log_index    INTEGER PRIMARY KEY REFERENCES log_entries (idx),
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    members      TEXT    NOT NULL, -- JSON array of member ids, ascending
    by_member    INTEGER NOT NULL REFERENCES members (id),
    assigned_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX panels_by_case ON panels (case_id, log_index);

CREATE TRIGGER panels_no_update BEFORE UPDATE ON panels
BEGIN SELECT RAISE(ABORT, 'panels is append-only'); END;
CREATE TRIGGER panels_no_delete BEFORE DELETE ON panels
BEGIN SELECT RAISE(ABORT, 'panels is append-only'); END;
