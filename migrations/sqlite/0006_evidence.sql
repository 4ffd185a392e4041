-- Evidence on a case: a text, a link or a file (kept in the database with
-- its SHA-256, so that it is backed up and durable with everything else).
-- Members only; append-only.

CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    member_id     INTEGER NOT NULL REFERENCES members (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('text', 'link', 'file')),
    title         TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body          TEXT,
    url           TEXT,
    file_name     TEXT,
    content_type  TEXT,
    size          INTEGER,
    sha256        BLOB    CHECK (sha256 IS NULL OR length(sha256) = 32),
    data          BLOB,
    at            INTEGER NOT NULL
) STRICT;

CREATE INDEX evidence_by_case ON evidence (case_id, id);

CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;
