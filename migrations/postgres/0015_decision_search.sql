-- Full-text search of the decision log: each decision's words
-- (`decision_index.search`) as a stored `tsvector`, with a GIN index. The
-- punctuation PostgreSQL's parser would read as part of a host name, an
-- e-mail address, a path, a hyphenated word or a tag is turned into spaces
-- first, so that text is cut into runs of letters and digits, as the search
-- box's words are (storage::public::search_words) and as SQLite's index
-- cuts it. Stored rather than computed in the query: whichever way the
-- planner reads the log (the index for a rare word, the log newest first
-- for a common one, stopping after a page), no row's words are parsed twice.
ALTER TABLE decision_index ADD COLUMN words tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', translate(search, './@-:_+<>&', '          '))) STORED;

CREATE INDEX decision_index_words ON decision_index USING gin (words);
