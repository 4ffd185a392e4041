//! SQLite, the embedded default: one file in WAL mode, a single writer
//! connection (so writers queue in the pool instead of failing with
//! `SQLITE_BUSY`) and a pool of read-only connections for everything else.

use crate::db::{Dialect, Store};
use crate::{Backend, DatabaseUrl, StorageError};
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;
use std::time::Duration;

static MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");

/// SQLite's: `BEGIN IMMEDIATE` on the single writer connection takes the
/// database's write lock at once, so a write never fails half-way with
/// `SQLITE_BUSY` on upgrade.
static DIALECT: Dialect = Dialect {
    backend: Backend::Sqlite,
    begin: "BEGIN IMMEDIATE",
    lock: None,
    migrations: &MIGRATIONS,
};

const READ_CONNECTIONS: u32 = 4;

/// The pools' options. An embedded database has no link to lose, so a
/// connection is not pinged before each use: every ping is a round trip to
/// the connection's worker thread (two thread switches), which was a third
/// of a one-query read's hand-offs.
fn pool_options(pragmas: &'static str) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .test_before_acquire(false)
        .after_connect(move |connection, _| {
            Box::pin(async move {
                sqlx::raw_sql(COMMON_PRAGMAS)
                    .execute(&mut *connection)
                    .await?;
                sqlx::raw_sql(pragmas).execute(&mut *connection).await?;
                Ok(())
            })
        })
}

/// Set on every connection: wait for another process's lock rather than
/// fail at once, and enforce the schema's foreign keys.
const COMMON_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";

/// The writer's: the write-ahead log; FULL, so a commit is on disk before it
/// is acknowledged, even across a power loss (NORMAL would only survive a
/// crash); no automatic checkpoint (the checkpointer below does it, off the
/// write path).
const WRITER_PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0;";

/// The checkpointer's: its copies are synced too.
const CHECKPOINTER_PRAGMAS: &str = "PRAGMA synchronous = FULL;";

/// How often the write-ahead log is copied into the database file (a
/// passive checkpoint), by a connection of its own. SQLite would otherwise
/// do it inside the commit that takes the log past 1,000 pages, and that
/// commit (with every vote of its batch) would wait for the copy and its
/// fsync: the slow burst the vote load test saw every few rounds.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

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

/// Opens the SQLite database named by `url`: its file (and directory)
/// created owner-only if missing, one writer connection, a checkpointer and
/// a pool of read-only connections; or one connection for an in-memory
/// database.
pub(crate) async fn connect(url: &DatabaseUrl) -> Result<Store, StorageError> {
    sqlx::any::install_default_drivers();
    let connect_error = |source| StorageError::Connect {
        url: url.redacted(),
        source,
    };
    let options = SqliteConnectOptions::from_str(url.expose()).map_err(connect_error)?;
    let in_memory = url.expose().contains(":memory:") || url.expose().contains("mode=memory");

    if in_memory {
        // An in-memory database exists once per connection: reads and
        // writes share the one connection.
        let pool = pool_options("")
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect("sqlite::memory:")
            .await
            .map_err(connect_error)?;
        return Ok(Store::new(&DIALECT, pool.clone(), pool));
    }

    let file = options.get_filename();
    owner_only_files(file)?;
    let file = std::path::absolute(file).map_err(|source| StorageError::DataDirectory {
        path: file.to_path_buf(),
        source,
    })?;
    let file_url = |mode: &str| {
        // The driver reads the path back percent-decoded, up to a `?`.
        let path = file
            .to_string_lossy()
            .replace('%', "%25")
            .replace('?', "%3F")
            .replace('#', "%23");
        format!("sqlite://{path}?mode={mode}")
    };
    let writer = pool_options(WRITER_PRAGMAS)
        .max_connections(1)
        .connect(&file_url("rwc"))
        .await
        .map_err(connect_error)?;
    let checkpoints = pool_options(CHECKPOINTER_PRAGMAS)
        .max_connections(1)
        .connect(&file_url("rw"))
        .await
        .map_err(connect_error)?;
    let alive = std::sync::Arc::new(());
    spawn_checkpointer(checkpoints.clone(), std::sync::Arc::downgrade(&alive));
    let reader = pool_options("")
        .max_connections(READ_CONNECTIONS)
        .connect(&file_url("ro"))
        .await
        .map_err(connect_error)?;
    let mut store = Store::new(&DIALECT, writer, reader);
    store.checkpointer = Some((checkpoints, alive));
    Ok(store)
}

/// Checkpoints the write-ahead log every [`CHECKPOINT_EVERY`] on `pool`
/// until the storage is gone. Passive: it copies what no reader still
/// needs and never waits for, or blocks, a reader or the writer; SQLite
/// fsyncs the database file before the log is reused, so a crash at any
/// moment loses nothing.
fn spawn_checkpointer(pool: AnyPool, alive: std::sync::Weak<()>) {
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
