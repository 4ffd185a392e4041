//! Rows as the database returns them, and their conversion into domain types
//! (re-validated: the database is not trusted to hold only valid values).

use crate::StorageError;
use domain::{Council, CouncilName, LogOrigin, Timestamp};

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CouncilRow {
    pub name: String,
    pub log_origin: String,
    pub founded_at: i64,
}

impl TryFrom<CouncilRow> for Council {
    type Error = StorageError;
    fn try_from(row: CouncilRow) -> Result<Self, Self::Error> {
        let corrupt = |e: domain::CouncilError| StorageError::Corrupt(format!("council: {e}"));
        Ok(Council {
            name: CouncilName::parse(&row.name).map_err(corrupt)?,
            log_origin: LogOrigin::parse(&row.log_origin).map_err(corrupt)?,
            founded_at: Timestamp::from_unix_seconds(row.founded_at),
        })
    }
}
