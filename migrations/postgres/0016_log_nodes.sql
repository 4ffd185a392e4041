-- The heads of the log's perfect subtrees above its leaves (level >= 1: the
-- 2^level leaves from idx * 2^level; a leaf's own is log_entries.leaf_hash),
-- written in the transaction of the entry that completes each. Proofs and
-- hash tiles read O(log n) of them instead of every leaf hash. A head never
-- changes: append-only. Logs from before this table are filled in once, at
-- start-up (storage::log_nodes).
CREATE TABLE log_nodes (
    level  BIGINT   NOT NULL CHECK (level BETWEEN 1 AND 63),
    idx    BIGINT   NOT NULL CHECK (idx >= 0),
    hash   BYTEA    NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, idx)
);

CREATE TRIGGER log_nodes_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON log_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
