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

-- No index on kind, tier or date: the log is read newest first along
-- `log_index` and filtered as it goes (keyset pagination); an index on a
-- column with a few values only tempted SQLite into scanning it and
-- sorting every decision (docs/benchmarks.md).

-- Facts a decision can be filtered by: `clause:CODE`, `outcome:carried`
-- (any motion), `group:NAME:CHOICE` (the group's most chosen option on
-- any motion).
CREATE TABLE decision_tags (
    tag      TEXT    NOT NULL,
    case_id  INTEGER NOT NULL REFERENCES decision_index (case_id),
    PRIMARY KEY (tag, case_id)
) STRICT;
