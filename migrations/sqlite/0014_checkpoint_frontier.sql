-- Each checkpoint keeps the right edge of its tree (the heads of its perfect
-- subtrees, largest first: 32 bytes per set bit of the size), so that the
-- next write appends in O(log n) instead of rereading every leaf hash.
-- Checkpoints written before this column have none; the writer then rebuilds
-- the edge from the leaf hashes once.
ALTER TABLE log_checkpoints ADD COLUMN frontier BLOB;
