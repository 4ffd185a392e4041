//! SQL text shared by both backends: both accept `$1` placeholders and
//! `ON CONFLICT`, so one statement serves SQLite and PostgreSQL alike.

pub(crate) const SELECT_COUNCIL: &str =
    "SELECT name, log_origin, founded_at FROM council WHERE id = 1";

/// Inserts the council, or nothing if there is one (0 rows affected).
pub(crate) const INSERT_COUNCIL: &str = "INSERT INTO council (id, name, log_origin, founded_at) VALUES (1, $1, $2, $3) \
     ON CONFLICT (id) DO NOTHING";
