-- Voting: motions (drafted by the chair, then opened and closed through the
-- log), every vote ever cast (replaced votes stay), and, for sealed
-- motions, when each committed vote was revealed in the log.

CREATE TABLE motions (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('finding', 'remedy', 'choice')),
    body           TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    remedies       TEXT    NOT NULL,
    drafted_by     INTEGER NOT NULL REFERENCES members (id),
    drafted_at     INTEGER NOT NULL,
    -- Set once, when voting opens: the log entry and what it says.
    opened_index   INTEGER REFERENCES log_entries (idx),
    opening        TEXT,
    closes_at      INTEGER,
    -- Set once, when voting closes.
    closed_index   INTEGER REFERENCES log_entries (idx),
    closing        TEXT
) STRICT;

CREATE INDEX motions_by_case ON motions (case_id, id);
CREATE INDEX motions_due ON motions (closes_at) WHERE opened_index IS NOT NULL AND closed_index IS NULL;

CREATE TABLE votes (
    motion_id   INTEGER NOT NULL REFERENCES motions (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    sequence    INTEGER NOT NULL CHECK (sequence >= 1),
    choice      TEXT    NOT NULL,
    reason      TEXT,
    -- The signed vote's log entry; on a sealed motion it enters the log at close.
    entry       BLOB    NOT NULL,
    -- The log entry of the vote (unsealed) or of its commitment (sealed).
    log_index   INTEGER NOT NULL REFERENCES log_entries (idx),
    cast_at     INTEGER NOT NULL,
    PRIMARY KEY (motion_id, member_id, sequence)
) STRICT;

CREATE TRIGGER votes_no_update BEFORE UPDATE ON votes
BEGIN SELECT RAISE(ABORT, 'votes is append-only'); END;
CREATE TRIGGER votes_no_delete BEFORE DELETE ON votes
BEGIN SELECT RAISE(ABORT, 'votes is append-only'); END;

CREATE TABLE vote_reveals (
    motion_id   INTEGER NOT NULL,
    member_id   INTEGER NOT NULL,
    sequence    INTEGER NOT NULL,
    log_index   INTEGER NOT NULL REFERENCES log_entries (idx),
    PRIMARY KEY (motion_id, member_id, sequence),
    FOREIGN KEY (motion_id, member_id, sequence) REFERENCES votes (motion_id, member_id, sequence)
) STRICT;

CREATE TRIGGER vote_reveals_no_update BEFORE UPDATE ON vote_reveals
BEGIN SELECT RAISE(ABORT, 'vote_reveals is append-only'); END;
CREATE TRIGGER vote_reveals_no_delete BEFORE DELETE ON vote_reveals
BEGIN SELECT RAISE(ABORT, 'vote_reveals is append-only'); END;
