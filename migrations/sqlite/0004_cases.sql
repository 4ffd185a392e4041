-- Cases: the policy catalogue, the platform's intake tokens, the cases they
-- escalate (with an idempotency key per token, so a retried escalation
-- never makes a second case) and each case's append-only history.

CREATE TABLE policy_clauses (
    code        TEXT    PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 32),
    title       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE intake_tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    token_hash  BLOB    NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_by  INTEGER REFERENCES members (id), -- NULL: the command line
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
) STRICT;

CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL CHECK (kind IN ('content', 'reinstatement', 'policy')),
    subject_handle   TEXT    NOT NULL CHECK (length(subject_handle) BETWEEN 1 AND 200),
    subject_link     TEXT,
    excerpt          TEXT,
    audience         INTEGER NOT NULL CHECK (audience >= 0),
    tier             TEXT    NOT NULL
        CHECK (tier IN ('ordinary', 'notable', 'prominent', 'very_prominent')),
    original_action  TEXT    NOT NULL,
    reason           TEXT    NOT NULL,
    status           TEXT    NOT NULL
        CHECK (status IN ('intake', 'accepted', 'deliberation', 'voting', 'decided',
                          'published', 'declined', 'withdrawn')),
    stage_entered_at INTEGER NOT NULL,
    stage_deadline   INTEGER, -- NULL in the end states
    created_at       INTEGER NOT NULL,
    created_by       INTEGER REFERENCES members (id), -- NULL: through the API
    token_id         INTEGER REFERENCES intake_tokens (id), -- NULL: the clerk's form
    idempotency_key  TEXT,
    request_hash     BLOB,
    UNIQUE (token_id, idempotency_key)
) STRICT;

CREATE INDEX cases_by_status ON cases (status, id);
CREATE INDEX cases_by_kind ON cases (kind, id);
CREATE INDEX cases_by_tier ON cases (tier, id);

CREATE TABLE case_clauses (
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    code     TEXT    NOT NULL REFERENCES policy_clauses (code),
    PRIMARY KEY (case_id, code)
) STRICT;

CREATE INDEX case_clauses_by_code ON case_clauses (code, case_id);

-- Every transition: who (a member, or the platform's token), when, why.
CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    from_status  TEXT,    -- NULL: the escalation itself
    to_status    TEXT    NOT NULL,
    member_id    INTEGER REFERENCES members (id),
    token_id     INTEGER REFERENCES intake_tokens (id),
    reason       TEXT,
    at           INTEGER NOT NULL
) STRICT;

CREATE INDEX case_events_by_case ON case_events (case_id, id);

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
