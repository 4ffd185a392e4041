-- The heads of the log's perfect subtrees above its leaves (level >= 1: the
-- 2^level leaves from idx * 2^level; a leaf's own is log_entries.leaf_hash),
-- written in the transaction of the entry that completes each. Proofs and
-- hash tiles read O(log n) of them instead of every leaf hash. A head never
-- changes: append-only. Logs from before this table are filled in once, at
-- start-up (storage::log_nodes).
CREATE TABLE log_nodes (
    level  INTEGER NOT NULL CHECK (level BETWEEN 1 AND 63),
    idx    INTEGER NOT NULL CHECK (idx >= 0),
    hash   BLOB    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER log_nodes_no_update BEFORE UPDATE ON log_nodes
BEGIN SELECT RAISE(ABORT, 'log_nodes is append-only'); END;
CREATE TRIGGER log_nodes_no_delete BEFORE DELETE ON log_nodes
BEGIN SELECT RAISE(ABORT, 'log_nodes is append-only'); END;
