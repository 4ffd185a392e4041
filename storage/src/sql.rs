//! SQL text shared by both backends: both accept `$1` placeholders and
//! `ON CONFLICT`, so one statement serves SQLite and PostgreSQL alike.

pub(crate) const SELECT_COUNCIL: &str =
    "SELECT name, log_origin, founded_at FROM council WHERE id = 1";

/// Inserts the council, or nothing if there is one (0 rows affected).
pub(crate) const INSERT_COUNCIL: &str = "INSERT INTO council (id, name, log_origin, founded_at) VALUES (1, $1, $2, $3) \
     ON CONFLICT (id) DO NOTHING";

pub(crate) const INSERT_LOG_KEY: &str = "INSERT INTO log_key (id, vkey) VALUES (1, $1)";

pub(crate) const SELECT_LOG_KEY: &str = "SELECT vkey FROM log_key WHERE id = 1";

pub(crate) const INSERT_LOG_ENTRY: &str =
    "INSERT INTO log_entries (idx, entry, leaf_hash, appended_at) VALUES ($1, $2, $3, $4)";

pub(crate) const SELECT_LOG_SIZE: &str = "SELECT COUNT(*) FROM log_entries";

pub(crate) const SELECT_LOG_ENTRIES: &str =
    "SELECT entry FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx";

pub(crate) const INSERT_CHECKPOINT: &str =
    "INSERT INTO log_checkpoints (size, root, note, created_at) VALUES ($1, $2, $3, $4)";

pub(crate) const SELECT_LATEST_CHECKPOINT: &str =
    "SELECT note FROM log_checkpoints ORDER BY size DESC LIMIT 1";

pub(crate) const SELECT_LEAF_HASHES: &str =
    "SELECT leaf_hash FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx";

pub(crate) const SELECT_LATEST_CHECKPOINT_SIZE: &str =
    "SELECT COALESCE(MAX(size), 0) FROM log_checkpoints";
