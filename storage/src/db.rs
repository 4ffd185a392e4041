//! The one storage type, [`Store`]: a write pool and a read pool on sqlx's
//! `Any` driver, and the state kept beside them. Every aggregate's methods
//! are written once against it; only opening the pools, starting a write
//! transaction and the migrations differ by backend (`sqlite.rs`,
//! `postgres.rs`).

use crate::{Backend, Storage, StorageError};
use domain::Council;
use sqlx::AnyPool;

/// A write transaction, on either backend.
pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

pub struct Store {
    pub(crate) backend: Backend,
    /// Where writes go: SQLite's single writer connection, or PostgreSQL's pool.
    pub(crate) writer: AnyPool,
    /// Where reads go: SQLite's read-only connections, or the same pool.
    pub(crate) reader: AnyPool,
    /// SQLite's connection that checkpoints the write-ahead log (file-backed
    /// databases), and the token its task watches: it stops once the
    /// storage is dropped or closed.
    pub(crate) checkpointer: Option<(AnyPool, std::sync::Arc<()>)>,
    pub(crate) ballot_box: crate::voting::BallotBox,
    /// The council's state replayed from the log, which decides each entry.
    pub(crate) ledger: crate::ledger::LedgerCell,
    /// The council once founded (it never changes: the table is append-only).
    pub(crate) council: std::sync::OnceLock<Council>,
    /// Which case each motion belongs to (it never changes).
    pub(crate) motion_cases: crate::voting::MotionCases,
}

impl Store {
    pub(crate) fn new(backend: Backend, writer: AnyPool, reader: AnyPool) -> Self {
        Self {
            backend,
            writer,
            reader,
            checkpointer: None,
            ballot_box: crate::voting::BallotBox::default(),
            ledger: crate::ledger::LedgerCell::default(),
            council: std::sync::OnceLock::new(),
            motion_cases: crate::voting::MotionCases::default(),
        }
    }

    pub(crate) fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// Starts a write transaction that holds the council's write lock, so
    /// that writes, and above all log appends, are serialised: SQLite's
    /// `BEGIN IMMEDIATE` on its single writer connection (it takes the lock
    /// at once, so never fails half-way with `SQLITE_BUSY`), PostgreSQL's
    /// transaction-scoped advisory lock (across every `tribune serve`
    /// instance).
    pub(crate) async fn begin_write(&self) -> Result<Tx, StorageError> {
        match self.backend {
            Backend::Sqlite => Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres => {
                let mut tx = self.writer.begin().await?;
                sqlx::query(crate::sql::LOCK_WRITES)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }
}

#[async_trait::async_trait]
impl Storage for Store {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn migrate(&self) -> Result<(), StorageError> {
        match self.backend {
            Backend::Sqlite => crate::sqlite::MIGRATIONS.run(&self.writer).await?,
            Backend::Postgres => crate::postgres::MIGRATIONS.run(&self.writer).await?,
        }
        self.index_decisions().await?;
        self.store_log_nodes().await?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    async fn integrity_check(&self) -> Result<(), StorageError> {
        match self.backend {
            Backend::Sqlite => {
                let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_one(&self.writer)
                    .await?;
                if verdict == "ok" {
                    Ok(())
                } else {
                    Err(StorageError::Corrupt(format!("integrity check: {verdict}")))
                }
            }
            // PostgreSQL checks its pages itself (checksums, WAL replay);
            // there is no whole-database check to run from a client.
            Backend::Postgres => self.ping().await,
        }
    }

    async fn close(&self) {
        if let Some((checkpoints, _)) = &self.checkpointer {
            checkpoints.close().await;
        }
        self.reader.close().await;
        self.writer.close().await;
    }
}
