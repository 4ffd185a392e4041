-- Full-text search of the decision log: a contentless FTS5 index of each
-- decision's words (`decision_index.search`), keyed by the decision's log
-- index, so that a search walks the matching decisions newest first and
-- stops after a page instead of reading every decision's words. Kept in step
-- with `decision_index` by triggers; filled here for the decisions already
-- published. unicode61 cuts text into runs of letters and digits, as the
-- search box's words are cut (storage::public::search_words); no accent
-- folding, as on PostgreSQL.
CREATE VIRTUAL TABLE decision_search USING fts5 (
    words,
    content = '',
    tokenize = 'unicode61 remove_diacritics 0'
);

INSERT INTO decision_search (rowid, words)
    SELECT log_index, search FROM decision_index;

CREATE TRIGGER decision_index_searchable AFTER INSERT ON decision_index
BEGIN
    INSERT INTO decision_search (rowid, words) VALUES (new.log_index, new.search);
END;

-- A contentless index forgets a row only when told its words.
CREATE TRIGGER decision_index_unsearchable AFTER DELETE ON decision_index
BEGIN
    INSERT INTO decision_search (decision_search, rowid, words)
        VALUES ('delete', old.log_index, old.search);
END;
