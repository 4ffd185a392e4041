-- Decisions: the chair's working draft (rationale authors and text, clauses,
-- precedents, recommendations), then what the log holds for good: signed
-- opinions (majority rationale, dissents, concurrences), the published
-- decision, and the platform's answers to its recommendations.

CREATE TABLE decision_drafts (
    case_id     BIGINT PRIMARY KEY REFERENCES cases (id),
    authors     TEXT   NOT NULL, -- JSON array of member ids
    rationale   TEXT   NOT NULL,
    record      TEXT   NOT NULL, -- JSON: clauses, precedents, recommendations
    updated_by  BIGINT NOT NULL REFERENCES members (id),
    updated_at  BIGINT NOT NULL
);

CREATE TABLE opinions (
    log_index   BIGINT PRIMARY KEY REFERENCES log_entries (idx),
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    member_id   BIGINT NOT NULL REFERENCES members (id),
    kind        TEXT   NOT NULL CHECK (kind IN ('majority', 'concurrence', 'dissent')),
    body        TEXT   NOT NULL, -- the signed body, as JSON
    signed_at   BIGINT NOT NULL
);

CREATE INDEX opinions_by_case ON opinions (case_id, log_index);

CREATE TABLE decisions (
    case_id       BIGINT PRIMARY KEY REFERENCES cases (id),
    log_index     BIGINT NOT NULL UNIQUE REFERENCES log_entries (idx),
    body          TEXT   NOT NULL, -- the decision statement's body, as JSON
    published_at  BIGINT NOT NULL
);

CREATE TABLE recommendation_answers (
    log_index       BIGINT PRIMARY KEY REFERENCES log_entries (idx),
    case_id         BIGINT NOT NULL REFERENCES decisions (case_id),
    recommendation  BIGINT NOT NULL CHECK (recommendation >= 1),
    status          TEXT   NOT NULL CHECK (status IN ('implemented', 'partly', 'declined', 'assessing')),
    body            TEXT   NOT NULL,
    answered_at     BIGINT NOT NULL
);

CREATE INDEX answers_by_case ON recommendation_answers (case_id, recommendation, log_index);

CREATE TRIGGER opinions_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON opinions
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
CREATE TRIGGER decisions_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
CREATE TRIGGER recommendation_answers_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON recommendation_answers
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
