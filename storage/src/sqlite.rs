//! SQLite, the embedded default: one file in WAL mode, a single writer
//! connection (so writers queue in the pool instead of failing with
//! `SQLITE_BUSY`) and a pool of read-only connections for everything else.

use crate::rows::CouncilRow;
use crate::sql;
use crate::{Backend, DatabaseUrl, StorageError};
use domain::Council;
use domain::genesis::Genesis;
use domain::merkle::{self, MerkleHash};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

static MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");

/// How long a connection waits for a lock held by another process before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
const READ_CONNECTIONS: u32 = 4;

/// The pools' options. An embedded database has no link to lose, so a
/// connection is not pinged before each use: every ping is a round trip to
/// the connection's worker thread (two thread switches), which was a third
/// of a one-query read's hand-offs.
fn pool_options() -> SqlitePoolOptions {
    SqlitePoolOptions::new().test_before_acquire(false)
}

/// How often the write-ahead log is copied into the database file (a
/// passive checkpoint), by a connection of its own. SQLite would otherwise
/// do it inside the commit that takes the log past 1,000 pages, and that
/// commit (with every vote of its batch) would wait for the copy and its
/// fsync: the slow burst the vote load test saw every few rounds.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

pub struct SqliteStorage {
    writer: SqlitePool,
    reader: SqlitePool,
    /// The connection that checkpoints the write-ahead log (file-backed
    /// databases), and the token its task watches: it stops once the
    /// storage is dropped or closed.
    checkpointer: Option<(SqlitePool, std::sync::Arc<()>)>,
    ballot_box: crate::voting::BallotBox,
    /// The council's state replayed from the log, which decides each entry.
    ledger: crate::ledger::LedgerCell,
    /// The council once founded (it never changes: the table is append-only).
    council: std::sync::OnceLock<Council>,
    /// Which case each motion belongs to (it never changes).
    motion_cases: crate::voting::MotionCases,
}

/// The database holds sealed choices before their close and members'
/// sessions: its directory is created owner-only (0700) and its file (0600)
/// before SQLite opens it; SQLite gives its `-wal` and `-shm` files the
/// database file's permissions. An existing file readable by others is
/// narrowed to 0600, with a warning.
fn owner_only_files(path: &std::path::Path) -> Result<(), StorageError> {
    fn data_directory(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> StorageError {
        let path = path.to_path_buf();
        move |source| StorageError::DataDirectory { path, source }
    }
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
        && !dir.exists()
    {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(data_directory(dir))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(data_directory(path))?;
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm"] {
        use std::os::unix::fs::PermissionsExt as _;
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let file = std::path::PathBuf::from(file);
        let Ok(metadata) = std::fs::metadata(&file) else {
            continue;
        };
        if metadata.permissions().mode() & 0o077 != 0 {
            tracing::warn!(file = %file.display(), "the database file was readable by others: narrowed to owner-only (0600)");
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                .map_err(data_directory(&file))?;
        }
    }
    Ok(())
}

impl SqliteStorage {
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, StorageError> {
        let connect_error = |source| StorageError::Connect {
            url: url.redacted(),
            source,
        };
        let options = SqliteConnectOptions::from_str(url.expose())
            .map_err(connect_error)?
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let in_memory = url.expose().contains(":memory:") || url.expose().contains("mode=memory");

        if in_memory {
            // An in-memory database exists once per connection: reads and
            // writes share the one connection.
            let pool = pool_options()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await
                .map_err(connect_error)?;
            return Ok(Self {
                writer: pool.clone(),
                reader: pool,
                checkpointer: None,
                ballot_box: crate::voting::BallotBox::default(),
                ledger: crate::ledger::LedgerCell::default(),
                council: std::sync::OnceLock::new(),
                motion_cases: crate::voting::MotionCases::default(),
            });
        }

        owner_only_files(options.get_filename())?;

        let writer = pool_options()
            .max_connections(1)
            .connect_with(
                options
                    .clone()
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // FULL: a commit is on disk before it is acknowledged, even
                    // across a power loss (NORMAL would only survive a crash).
                    .synchronous(SqliteSynchronous::Full)
                    // The checkpointer below does it, off the write path.
                    .pragma("wal_autocheckpoint", "0"),
            )
            .await
            .map_err(connect_error)?;
        let checkpoints = pool_options()
            .max_connections(1)
            .connect_with(options.clone().synchronous(SqliteSynchronous::Full))
            .await
            .map_err(connect_error)?;
        let alive = std::sync::Arc::new(());
        spawn_checkpointer(checkpoints.clone(), std::sync::Arc::downgrade(&alive));
        let reader = pool_options()
            .max_connections(READ_CONNECTIONS)
            .connect_with(options.read_only(true))
            .await
            .map_err(connect_error)?;
        Ok(Self {
            writer,
            reader,
            checkpointer: Some((checkpoints, alive)),
            ballot_box: crate::voting::BallotBox::default(),
            ledger: crate::ledger::LedgerCell::default(),
            council: std::sync::OnceLock::new(),
            motion_cases: crate::voting::MotionCases::default(),
        })
    }

    fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    /// Starts a write transaction that takes the database's write lock at
    /// once, so it never fails half-way with `SQLITE_BUSY` on upgrade.
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StorageError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// Checkpoints the write-ahead log every [`CHECKPOINT_EVERY`] on `pool`
/// until the storage is gone. Passive: it copies what no reader still
/// needs and never waits for, or blocks, a reader or the writer; SQLite
/// fsyncs the database file before the log is reused, so a crash at any
/// moment loses nothing.
fn spawn_checkpointer(pool: SqlitePool, alive: std::sync::Weak<()>) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(CHECKPOINT_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if alive.upgrade().is_none() || pool.is_closed() {
                break;
            }
            if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                tracing::warn!(%error, "checkpointing the write-ahead log failed; will retry");
            }
        }
        pool.close().await;
    });
}

crate::shared::write_helpers!(Sqlite);
crate::shared::read_helpers!(Sqlite);
crate::voting::voting_impl!(SqliteStorage, Sqlite);
crate::decisions::decisions_impl!(SqliteStorage, Sqlite);
crate::public::public_impl!(SqliteStorage, Sqlite);
crate::log_nodes::log_nodes_impl!(SqliteStorage, Sqlite);

crate::shared::storage_impl!(SqliteStorage, {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn migrate(&self) -> Result<(), StorageError> {
        MIGRATIONS.run(&self.writer).await?;
        self.index_decisions().await?;
        self.store_log_nodes().await?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    async fn integrity_check(&self) -> Result<(), StorageError> {
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&self.writer)
            .await?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(StorageError::Corrupt(format!("integrity check: {verdict}")))
        }
    }

    async fn council(&self) -> Result<Option<Council>, StorageError> {
        if let Some(council) = self.council.get() {
            return Ok(Some(council.clone()));
        }
        let row: Option<CouncilRow> = sqlx::query_as(sql::SELECT_COUNCIL)
            .fetch_optional(&self.reader)
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
            .fetch_optional(&self.reader)
            .await?)
    }

    async fn log_size(&self) -> Result<u64, StorageError> {
        let size: i64 = sqlx::query_scalar(sql::SELECT_LOG_SIZE)
            .fetch_one(&self.reader)
            .await?;
        u64::try_from(size).map_err(|_| StorageError::Corrupt("negative log size".to_owned()))
    }

    async fn log_entries(&self, start: u64, end: u64) -> Result<Vec<Vec<u8>>, StorageError> {
        Ok(sqlx::query_scalar(sql::SELECT_LOG_ENTRIES)
            .bind(crate::db_int(start))
            .bind(crate::db_int(end))
            .fetch_all(&self.reader)
            .await?)
    }

    async fn log_leaf_hashes(&self, start: u64, end: u64) -> Result<Vec<MerkleHash>, StorageError> {
        let rows: Vec<Vec<u8>> = sqlx::query_scalar(sql::SELECT_LEAF_HASHES)
            .bind(crate::db_int(start))
            .bind(crate::db_int(end))
            .fetch_all(&self.reader)
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
            .fetch_one(&self.reader)
            .await?;
        u64::try_from(size)
            .map_err(|_| StorageError::Corrupt("negative checkpoint size".to_owned()))
    }

    async fn latest_checkpoint(&self) -> Result<Option<String>, StorageError> {
        Ok(sqlx::query_scalar(sql::SELECT_LATEST_CHECKPOINT)
            .fetch_optional(&self.reader)
            .await?)
    }

    async fn close(&self) {
        if let Some((checkpoints, _)) = &self.checkpointer {
            checkpoints.close().await;
        }
        self.reader.close().await;
        self.writer.close().await;
    }
});
