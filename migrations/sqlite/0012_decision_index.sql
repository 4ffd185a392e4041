-- The public decision log's index: what its filters and search look at,
-- one row per published decision, written in the transaction that
-- publishes it (and filled for older decisions when migrating). Derived
-- from `decisions` and the motions' closings; the log stays the record.

CREATE TABLE decision_index (
    case_id       INTEGER PRIMARY KEY REFERENCES decisions (case_id),
    log_index     INTEGER NOT NULL UNIQUE,
    published_at  INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    tier          TEXT    NOT NULL,
    -- Lower-cased words to search: subject, excerpt, clauses, rationale.
    search        TEXT    NOT NULL
) STRICT;

CREATE INDEX decision_index_by_kind ON decision_index (kind, log_index);
CREATE INDEX decision_index_by_date ON decision_index (published_at, log_index);

-- Facts a decision can be filtered by: `clause:CODE`, `outcome:carried`
-- (any motion), `group:NAME:CHOICE` (the group's most chosen option on
-- any motion).
CREATE TABLE decision_tags (
    tag      TEXT    NOT NULL,
    case_id  INTEGER NOT NULL REFERENCES decision_index (case_id),
    PRIMARY KEY (tag, case_id)
) STRICT;
