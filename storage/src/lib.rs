//! Tribune's storage: one [`Storage`] trait with a SQLite implementation (the
//! embedded default) and a PostgreSQL one (for several `tribune serve`
//! instances behind a load balancer), picked from the database URL's scheme.
//!
//! SQL lives only in this crate. Both backends run the same test suite
//! (`tests/backends.rs`).

mod error;
mod postgres;
mod rows;
mod sql;
mod sqlite;
mod url;

use async_trait::async_trait;
use domain::{Council, Timestamp};
use std::sync::Arc;

pub use error::StorageError;
pub use postgres::PostgresStorage;
pub use sqlite::SqliteStorage;
pub use url::{Backend, DatabaseUrl};

/// Everything the server and the command line need from a database.
///
/// Writes are serialised per backend (one writer connection and `BEGIN
/// IMMEDIATE` on SQLite; transactions and constraints on PostgreSQL) and are
/// durable once a method returns `Ok`.
#[async_trait]
pub trait Storage: Send + Sync + 'static {
    /// Which database this is.
    fn backend(&self) -> Backend;

    /// Applies every pending migration (idempotent; safe to run from several
    /// instances at once).
    async fn migrate(&self) -> Result<(), StorageError>;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StorageError>;

    /// The council, or `None` while `tribune init` has not been run.
    async fn council(&self) -> Result<Option<Council>, StorageError>;

    /// Records the council's founding. Fails with
    /// [`StorageError::CouncilExists`] (and changes nothing) if there already is one.
    async fn found_council(&self, council: &Council) -> Result<(), StorageError>;

    /// Closes every connection, letting SQLite checkpoint its WAL.
    async fn close(&self);
}

/// A shareable handle on whichever backend the URL named.
pub type SharedStorage = Arc<dyn Storage>;

/// Opens the database named by `url` (creating a SQLite file and its directory
/// if missing). Does not migrate: call [`Storage::migrate`].
pub async fn connect(url: &DatabaseUrl) -> Result<SharedStorage, StorageError> {
    match url.backend()? {
        Backend::Sqlite => Ok(Arc::new(SqliteStorage::connect(url).await?)),
        Backend::Postgres => Ok(Arc::new(PostgresStorage::connect(url).await?)),
    }
}

/// The current time, as the storage layer stamps records.
pub fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Timestamp::from_unix_seconds(seconds)
}
