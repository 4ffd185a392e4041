-- Full-text search of the decision log: a GIN index of each decision's words
-- (`decision_index.search`). The punctuation PostgreSQL's parser would read
-- as part of a host name, an e-mail address, a path, a hyphenated word or a
-- tag is turned into spaces first, so that text is cut into runs of letters
-- and digits, as the search box's words are (storage::public::search_words)
-- and as SQLite's index cuts it. The decision log's search query repeats
-- this expression exactly (storage::postgres), so the planner can use it.
CREATE INDEX decision_index_words ON decision_index
    USING gin (to_tsvector('simple', translate(search, './@-:_+<>&', '          ')));
