//! PostgreSQL, for deployments that run several `tribune serve` instances
//! behind a load balancer. Migrations take PostgreSQL's advisory lock, so
//! instances starting together apply them once.

use crate::rows::CouncilRow;
use crate::sql;
use crate::{Backend, DatabaseUrl, StorageError};
use domain::Council;
use domain::genesis::Genesis;
use domain::merkle::{self, MerkleHash};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

static MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Start-up fails after this long when the server does not answer, rather than hanging.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_CONNECTIONS: u32 = 10;

pub struct PostgresStorage {
    pool: PgPool,
    ballot_box: crate::voting::BallotBox,
    /// The council's state replayed from the log, which decides each entry.
    ledger: crate::ledger::LedgerCell,
    /// The council once founded (it never changes: the table is append-only).
    council: std::sync::OnceLock<Council>,
    /// Which case each motion belongs to (it never changes).
    motion_cases: crate::voting::MotionCases,
}

impl PostgresStorage {
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, StorageError> {
        let connect_error = |source| StorageError::Connect {
            url: url.redacted(),
            source,
        };
        let options = PgConnectOptions::from_str(url.expose()).map_err(connect_error)?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        Ok(Self {
            pool,
            ballot_box: crate::voting::BallotBox::default(),
            ledger: crate::ledger::LedgerCell::default(),
            council: std::sync::OnceLock::new(),
            motion_cases: crate::voting::MotionCases::default(),
        })
    }
}

impl PostgresStorage {
    fn reader(&self) -> &PgPool {
        &self.pool
    }

    /// Starts a write transaction holding the council's write lock (a
    /// transaction-scoped advisory lock), so that writes, and above all log
    /// appends, are serialised across every `tribune serve` instance.
    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, StorageError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(sql::LOCK_WRITES).execute(&mut *tx).await?;
        Ok(tx)
    }
}

crate::shared::write_helpers!(Postgres);
crate::shared::read_helpers!(Postgres);
crate::voting::voting_impl!(PostgresStorage, Postgres);
crate::decisions::decisions_impl!(PostgresStorage, Postgres);
crate::public::public_impl!(PostgresStorage, Postgres);
crate::log_nodes::log_nodes_impl!(PostgresStorage, Postgres);

crate::shared::storage_impl!(PostgresStorage, {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn migrate(&self) -> Result<(), StorageError> {
        MIGRATIONS.run(&self.pool).await?;
        self.index_decisions().await?;
        self.store_log_nodes().await?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn integrity_check(&self) -> Result<(), StorageError> {
        // PostgreSQL checks its pages itself (checksums, WAL replay); there is
        // no whole-database check to run from a client.
        self.ping().await
    }

    async fn council(&self) -> Result<Option<Council>, StorageError> {
        if let Some(council) = self.council.get() {
            return Ok(Some(council.clone()));
        }
        let row: Option<CouncilRow> = sqlx::query_as(sql::SELECT_COUNCIL)
            .fetch_optional(&self.pool)
            .await?;
        let council = row.map(Council::try_from).transpose()?;
        if let Some(council) = &council {
            let _ = self.council.set(council.clone());
        }
        Ok(council)
    }

    async fn found_council(&self, genesis: &Genesis) -> Result<(), StorageError> {
        let council = &genesis.council;
        let now = council.founded_at.unix_seconds();
        let leaf = merkle::leaf_hash(&genesis.entry);
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(sql::INSERT_COUNCIL)
            .bind(council.name.as_str())
            .bind(council.log_origin.as_str())
            .bind(council.founded_at.unix_seconds())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if inserted == 0 {
            return Err(StorageError::CouncilExists);
        }
        sqlx::query(sql::INSERT_LOG_KEY)
            .bind(&genesis.log_vkey)
            .execute(&mut *tx)
            .await?;
        sqlx::query(sql::INSERT_LOG_ENTRY)
            .bind(0_i64)
            .bind(&genesis.entry)
            .bind(leaf.as_bytes().as_slice())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(sql::INSERT_CHECKPOINT)
            .bind(1_i64)
            .bind(merkle::root(&[leaf]).as_bytes().as_slice())
            .bind(&genesis.checkpoint)
            .bind(now)
            .bind(merkle::Frontier::from_leaves(&[leaf]).to_bytes())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn log_key(&self) -> Result<Option<String>, StorageError> {
        Ok(sqlx::query_scalar(sql::SELECT_LOG_KEY)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn log_size(&self) -> Result<u64, StorageError> {
        let size: i64 = sqlx::query_scalar(sql::SELECT_LOG_SIZE)
            .fetch_one(&self.pool)
            .await?;
        u64::try_from(size).map_err(|_| StorageError::Corrupt("negative log size".to_owned()))
    }

    async fn log_entries(&self, start: u64, end: u64) -> Result<Vec<Vec<u8>>, StorageError> {
        Ok(sqlx::query_scalar(sql::SELECT_LOG_ENTRIES)
            .bind(crate::db_int(start))
            .bind(crate::db_int(end))
            .fetch_all(&self.pool)
            .await?)
    }

    async fn log_leaf_hashes(&self, start: u64, end: u64) -> Result<Vec<MerkleHash>, StorageError> {
        let rows: Vec<Vec<u8>> = sqlx::query_scalar(sql::SELECT_LEAF_HASHES)
            .bind(crate::db_int(start))
            .bind(crate::db_int(end))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|bytes| {
                MerkleHash::from_slice(bytes)
                    .ok_or_else(|| StorageError::Corrupt("a leaf hash is not 32 bytes".to_owned()))
            })
            .collect()
    }

    async fn latest_checkpoint_size(&self) -> Result<u64, StorageError> {
        let size: i64 = sqlx::query_scalar(sql::SELECT_LATEST_CHECKPOINT_SIZE)
            .fetch_one(&self.pool)
            .await?;
        u64::try_from(size)
            .map_err(|_| StorageError::Corrupt("negative checkpoint size".to_owned()))
    }

    async fn latest_checkpoint(&self) -> Result<Option<String>, StorageError> {
        Ok(sqlx::query_scalar(sql::SELECT_LATEST_CHECKPOINT)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn close(&self) {
        self.pool.close().await;
    }
});
