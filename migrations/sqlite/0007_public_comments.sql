-- Public comments: statements from anyone during a case's comment period,
-- screened by the clerk (approved or rejected, with a reason).

CREATE TABLE public_comments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    affiliation   TEXT CHECK (affiliation IS NULL OR length(affiliation) BETWEEN 1 AND 120),
    body          TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    reason        TEXT,
    submitted_at  INTEGER NOT NULL,
    decided_at    INTEGER,
    decided_by    INTEGER REFERENCES members (id)
) STRICT;

CREATE INDEX public_comments_by_case ON public_comments (case_id, id);
