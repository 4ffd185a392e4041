//! The one storage type, [`Store`]: a write pool and a read pool on sqlx's
//! `Any` driver, and the state kept beside them. Every aggregate's methods
//! are written once against it; only opening the pools, starting a write
//! transaction and the migrations differ by backend (`sqlite.rs`,
//! `postgres.rs`).

use crate::{Backend, Storage, StorageError};
use domain::Council;
use sqlx::AnyPool;
use sqlx::migrate::Migrator;

/// What differs between the backends once their pools are open: how a
/// write transaction starts and takes the council's write lock, and the
/// migrations.
pub(crate) struct Dialect {
    pub backend: Backend,
    /// The statement that starts a write transaction.
    pub begin: &'static str,
    /// The statement, run first in a write transaction, that takes the
    /// write lock when `begin` does not.
    pub lock: Option<&'static str>,
    pub migrations: &'static Migrator,
    /// Run once migrated, at every start (SQLite's planner statistics).
    pub after_migrate: Option<&'static str>,
}

/// A write transaction, on either backend.
pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

pub struct Store {
    pub(crate) dialect: &'static Dialect,
    /// Where writes go: SQLite's single writer connection, or PostgreSQL's pool.
    pub(crate) writer: AnyPool,
    /// Where reads go: SQLite's read-only connections, or the same pool.
    pub(crate) reader: AnyPool,
    /// SQLite's connection that checkpoints the write-ahead log (file-backed
    /// databases), and the token its task watches: it stops once the
    /// storage is dropped or closed.
    pub(crate) checkpointer: Option<(AnyPool, std::sync::Arc<()>)>,
    pub(crate) ballot_box: crate::kept::BallotBox,
    /// The council's state replayed from the log, which decides each entry.
    pub(crate) ledger: crate::ledger::LedgerCell,
    /// The council once founded (it never changes: the table is append-only).
    pub(crate) council: std::sync::OnceLock<Council>,
    /// Which case each motion belongs to (it never changes).
    pub(crate) motion_cases: crate::kept::MotionCases,
    /// Each clause's consistency report as of its latest decision.
    pub(crate) clause_reports: crate::kept::ClauseReports,
}

impl Store {
    pub(crate) fn new(dialect: &'static Dialect, writer: AnyPool, reader: AnyPool) -> Self {
        Self {
            dialect,
            writer,
            reader,
            checkpointer: None,
            ballot_box: crate::kept::BallotBox::default(),
            ledger: crate::ledger::LedgerCell::default(),
            council: std::sync::OnceLock::new(),
            motion_cases: crate::kept::MotionCases::default(),
            clause_reports: crate::kept::ClauseReports::default(),
        }
    }

    pub(crate) fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// Starts a write transaction that holds the council's write lock, so
    /// that writes, and above all log appends, are serialised (see each
    /// backend's [`Dialect`]).
    pub(crate) async fn begin_write(&self) -> Result<Tx, StorageError> {
        let mut tx = match self.writer.begin_with(self.dialect.begin).await {
            // SQLite ends a transaction by itself after some failures (a
            // full disk, an I/O error) and the driver, which never saw it
            // end, still counts it open: every later BEGIN on that
            // connection would be refused. The connection is replaced.
            Err(sqlx::Error::InvalidSavePointStatement) => {
                tracing::warn!(
                    "the database ended the last write transaction by itself (full disk or I/O error?): reopening the write connection"
                );
                self.writer.acquire().await?.close().await?;
                self.writer.begin_with(self.dialect.begin).await?
            }
            other => other?,
        };
        if let Some(lock) = self.dialect.lock {
            sqlx::query(lock).execute(&mut *tx).await?;
        }
        Ok(tx)
    }
}

#[async_trait::async_trait]
impl Storage for Store {
    fn backend(&self) -> Backend {
        self.dialect.backend
    }

    async fn migrate(&self) -> Result<(), StorageError> {
        self.dialect.migrations.run(&self.writer).await?;
        self.index_decisions().await?;
        self.store_log_nodes().await?;
        if let Some(sql) = self.dialect.after_migrate {
            sqlx::raw_sql(sql).execute(&self.writer).await?;
        }
        Ok(())
    }

    async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    async fn ping_writes(&self, within: std::time::Duration) -> Result<(), StorageError> {
        let tx = tokio::time::timeout(within, self.begin_write())
            .await
            .map_err(|_| StorageError::WriteLockTimeout(within))??;
        tx.rollback().await?;
        Ok(())
    }

    async fn replay_log(&self) -> Result<u64, StorageError> {
        Store::replay_log(self).await
    }

    async fn bulk_load(&self, on: bool) -> Result<(), StorageError> {
        if self.dialect.backend == Backend::Sqlite {
            // The writer pool's one connection; should it be replaced, the
            // new one starts with FULL again.
            let pragma = if on {
                "PRAGMA synchronous = OFF"
            } else {
                "PRAGMA synchronous = FULL"
            };
            sqlx::raw_sql(pragma).execute(&self.writer).await?;
        }
        Ok(())
    }

    async fn integrity_check(&self) -> Result<(), StorageError> {
        match self.dialect.backend {
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
