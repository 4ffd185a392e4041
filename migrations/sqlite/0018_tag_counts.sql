-- How many published decisions carry each filter tag (`clause:CODE`, ...),
-- kept in the transaction that indexes a decision: the clause list reads
-- its counts instead of counting every decision's tags on each request.
CREATE TABLE tag_counts (
    tag        TEXT    PRIMARY KEY,
    decisions  INTEGER NOT NULL CHECK (decisions >= 0)
) STRICT;

INSERT INTO tag_counts (tag, decisions)
    SELECT tag, COUNT(*) FROM decision_tags GROUP BY tag;
