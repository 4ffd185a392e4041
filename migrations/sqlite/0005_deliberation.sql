-- Deliberation: recusals (each also a signed statement in the log), the
-- members' threaded discussion of a case with every version of every
-- comment kept, and how far each member has read.

CREATE TABLE recusals (
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    member_id  INTEGER NOT NULL REFERENCES members (id),
    log_index  INTEGER NOT NULL REFERENCES log_entries (idx),
    reason     TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (case_id, member_id)
) STRICT;

CREATE TRIGGER recusals_no_update BEFORE UPDATE ON recusals
BEGIN SELECT RAISE(ABORT, 'recusals is append-only'); END;
CREATE TRIGGER recusals_no_delete BEFORE DELETE ON recusals
BEGIN SELECT RAISE(ABORT, 'recusals is append-only'); END;

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    parent_id   INTEGER REFERENCES comments (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX comments_by_case ON comments (case_id, id);

-- Every version of every comment: the latest is what shows; edits never
-- erase what was said.
CREATE TABLE comment_versions (
    id          INTEGER PRIMARY KEY,
    comment_id  INTEGER NOT NULL REFERENCES comments (id),
    body        TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    at          INTEGER NOT NULL
) STRICT;

CREATE INDEX comment_versions_by_comment ON comment_versions (comment_id, id);

CREATE TRIGGER comment_versions_no_update BEFORE UPDATE ON comment_versions
BEGIN SELECT RAISE(ABORT, 'comment_versions is append-only'); END;
CREATE TRIGGER comment_versions_no_delete BEFORE DELETE ON comment_versions
BEGIN SELECT RAISE(ABORT, 'comment_versions is append-only'); END;

CREATE TABLE comment_reads (
    member_id        INTEGER NOT NULL REFERENCES members (id),
    case_id          INTEGER NOT NULL REFERENCES cases (id),
    last_comment_id  INTEGER NOT NULL,
    PRIMARY KEY (member_id, case_id)
) STRICT;
