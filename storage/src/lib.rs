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
use domain::genesis::Genesis;
use domain::merkle::MerkleHash;
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

    /// Records the council's founding in one transaction: the council, the
    /// log's public key, entry 0 (the founding statement) and the first
    /// checkpoint. Fails with [`StorageError::CouncilExists`] (and changes
    /// nothing) if there already is a council.
    async fn found_council(&self, genesis: &Genesis) -> Result<(), StorageError>;

    /// The log's public key (C2SP vkey), once the council is founded.
    async fn log_key(&self) -> Result<Option<String>, StorageError>;

    /// How many entries the log holds.
    async fn log_size(&self) -> Result<u64, StorageError>;

    /// The entries with indexes `start..end`, in order.
    async fn log_entries(&self, start: u64, end: u64) -> Result<Vec<Vec<u8>>, StorageError>;

    /// The leaf hashes of the entries `start..end`, in order.
    async fn log_leaf_hashes(&self, start: u64, end: u64) -> Result<Vec<MerkleHash>, StorageError>;

    /// The size of the most recent checkpoint (0 before the founding): how
    /// much of the log is published.
    async fn latest_checkpoint_size(&self) -> Result<u64, StorageError>;

    /// The most recent signed checkpoint, as published.
    async fn latest_checkpoint(&self) -> Result<Option<String>, StorageError>;

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

/// An index or size as the databases store it (signed 64-bit).
pub(crate) fn db_int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// The current time, as the storage layer stamps records.
pub fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Timestamp::from_unix_seconds(seconds)
}
