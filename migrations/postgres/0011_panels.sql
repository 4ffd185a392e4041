-- Panels: the members the chair assigned to decide a case (each assignment a
-- `panel-assignment` log entry; the latest one counts for motions opened
-- after it).

CREATE TABLE panels (
    log_index    BIGINT PRIMARY KEY REFERENCES log_entries (idx),
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    members      TEXT   NOT NULL, -- JSON array of member ids, ascending
    by_member    BIGINT NOT NULL REFERENCES members (id),
    assigned_at  BIGINT NOT NULL
);

CREATE INDEX panels_by_case ON panels (case_id, log_index);

CREATE TRIGGER panels_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON panels
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
