-- Decisions: the chair's working draft (rationale authors and text, clauses,
-- precedents, recommendations), then what the log holds for good: signed
-- opinions (majority rationale, dissents, concurrences), the published
-- decision, and the platform's answers to its recommendations.

CREATE TABLE decision_drafts (
    case_id     INTEGER PRIMARY KEY REFERENCES cases (id),
    authors     TEXT    NOT NULL, -- JSON array of member ids
    rationale   TEXT    NOT NULL,
    record      TEXT    NOT NULL, -- JSON: clauses, precedents, recommendations
    updated_by  INTEGER NOT NULL REFERENCES members (id),
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE opinions (
    log_index   INTEGER PRIMARY KEY REFERENCES log_entries (idx),
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('majority', 'concurrence', 'dissent')),
    body        TEXT    NOT NULL, -- the signed body, as JSON
    signed_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX opinions_by_case ON opinions (case_id, log_index);

CREATE TABLE decisions (
    case_id       INTEGER PRIMARY KEY REFERENCES cases (id),
    log_index     INTEGER NOT NULL UNIQUE REFERENCES log_entries (idx),
    body          TEXT    NOT NULL, -- the decision statement's body, as JSON
    published_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE recommendation_answers (
    log_index       INTEGER PRIMARY KEY REFERENCES log_entries (idx),
    case_id         INTEGER NOT NULL REFERENCES decisions (case_id),
    recommendation  INTEGER NOT NULL CHECK (recommendation >= 1),
    status          TEXT    NOT NULL CHECK (status IN ('implemented', 'partly', 'declined', 'assessing')),
    body            TEXT    NOT NULL,
    answered_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX answers_by_case ON recommendation_answers (case_id, recommendation, log_index);

CREATE TRIGGER opinions_no_update BEFORE UPDATE ON opinions
BEGIN SELECT RAISE(ABORT, 'opinions is append-only'); END;
CREATE TRIGGER opinions_no_delete BEFORE DELETE ON opinions
BEGIN SELECT RAISE(ABORT, 'opinions is append-only'); END;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;
CREATE TRIGGER recommendation_answers_no_update BEFORE UPDATE ON recommendation_answers
BEGIN SELECT RAISE(ABORT, 'recommendation_answers is append-only'); END;
CREATE TRIGGER recommendation_answers_no_delete BEFORE DELETE ON recommendation_answers
BEGIN SELECT RAISE(ABORT, 'recommendation_answers is append-only'); END;
