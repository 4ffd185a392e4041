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
    after_migrate: Some(OPTIMIZE_AT_OPEN),
};

const READ_CONNECTIONS: u32 = 4;

/// The pools' options. An embedded database has no link to lose, so a
/// connection is not pinged before each use: every ping is a round trip to
/// the connection's worker thread (two thread switches), which was a third
/// of a one-query read's hand-offs.
fn pool_options(pragmas: String) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .test_before_acquire(false)
        .after_connect(move |connection, _| {
            let pragmas = sqlx::AssertSqlSafe(pragmas.clone());
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
/// write path). When the log is restarted from its beginning it is also cut
/// back to [`WAL_KEPT_BYTES`] (`journal_size_limit`), so one burst of writes
/// does not keep its size on disk for good.
fn writer_pragmas() -> String {
    format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
         PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {WAL_KEPT_BYTES};"
    )
}

/// The most the write-ahead log keeps on disk once restarted (16 MiB).
const WAL_KEPT_BYTES: u64 = 16 * 1024 * 1024;

/// A log longer than this many pages (16 MiB of 4 KiB pages) is truncated
/// by the checkpointer rather than left to grow: under steady reads a
/// passive checkpoint may never find a moment when no reader needs the
/// log's end, and the log would only grow until the disk is full.
const TRUNCATE_AT_PAGES: i64 = 4096;

/// The checkpointer's: its copies are synced too.
const CHECKPOINTER_PRAGMAS: &str = "PRAGMA synchronous = FULL;";

/// Statistics for the query planner, at open. SQLite's planner chooses
/// well only with them: without, it read every motion rather than the few
/// open ones (`motions_due`). Every table checked (`0x10002`), each
/// analysed on a sample of at most 400 rows per index: bounded work. The
/// checkpointer renews them hourly (PostgreSQL's autovacuum does its own).
const OPTIMIZE_AT_OPEN: &str = "PRAGMA analysis_limit = 400; PRAGMA optimize = 0x10002;";

/// Statistics renewed where the tables changed much since (SQLite's own
/// test), this often, by the checkpointer's connection.
const OPTIMIZE_EVERY: Duration = Duration::from_secs(3600);

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
        move |cause| StorageError::DataDirectory { path, cause }
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
    options
        .open(path)
        .map_err(|cause| StorageError::DatabaseFile {
            path: path.to_path_buf(),
            cause,
        })?;
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
        let pool = pool_options(String::new())
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
    let file = std::path::absolute(file).map_err(|cause| StorageError::DataDirectory {
        path: file.to_path_buf(),
        cause,
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
    let writer = pool_options(writer_pragmas())
        .max_connections(1)
        .connect(&file_url("rwc"))
        .await
        .map_err(connect_error)?;
    let checkpoints = pool_options(CHECKPOINTER_PRAGMAS.to_owned())
        .max_connections(1)
        .connect(&file_url("rw"))
        .await
        .map_err(connect_error)?;
    let alive = std::sync::Arc::new(());
    spawn_checkpointer(checkpoints.clone(), std::sync::Arc::downgrade(&alive));
    // The planner's statistics before any reader opens: a connection reads
    // them when it loads the schema, and one opened before they exist
    // plans without them until the pool replaces it. The first start on a
    // database the demo had just filled served the dashboard in 15-20 ms
    // (119 ms at a million entries) rather than 3-5 ms until then.
    // `migrate` runs it again, for tables a migration adds.
    sqlx::raw_sql(OPTIMIZE_AT_OPEN)
        .execute(&writer)
        .await
        .map_err(connect_error)?;
    let reader = pool_options(String::new())
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
        let mut optimized = tokio::time::Instant::now();
        loop {
            ticks.tick().await;
            if alive.upgrade().is_none() || pool.is_closed() {
                break;
            }
            if optimized.elapsed() >= OPTIMIZE_EVERY {
                optimized = tokio::time::Instant::now();
                if let Err(error) = sqlx::raw_sql("PRAGMA analysis_limit = 400; PRAGMA optimize;")
                    .execute(&pool)
                    .await
                {
                    tracing::warn!(%error, "renewing the planner's statistics failed; will retry");
                }
            }
            let passive = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(&pool)
                .await;
            let pages = match passive {
                Ok((_, pages, _)) => pages,
                Err(error) => {
                    tracing::warn!(%error, "checkpointing the write-ahead log failed; will retry");
                    continue;
                }
            };
            if pages >= TRUNCATE_AT_PAGES {
                // Waits (up to the busy timeout) for readers still on the
                // log's end, holding writers back meanwhile, then copies
                // the whole log and truncates it to nothing.
                if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(&pool)
                    .await
                {
                    tracing::warn!(%error, pages, "truncating the write-ahead log failed; will retry");
                }
            }
        }
        pool.close().await;
    });
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::Storage as _;

    async fn file_store(name: &str) -> (Store, std::path::PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("tribune-sqlite-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        let url = DatabaseUrl::new(format!("sqlite://{}/tribune.db", dir.display()));
        let store = connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        let mut tx = store.begin_write().await.unwrap();
        sqlx::query("CREATE TABLE scratch (b BLOB NOT NULL)")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        (store, dir)
    }

    async fn write_scratch(store: &Store, bytes: i64) -> Result<(), StorageError> {
        let mut tx = store.begin_write().await?;
        sqlx::query("INSERT INTO scratch (b) VALUES (zeroblob($1))")
            .bind(bytes)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The first start on a database the demo had just filled: the
    /// readers opened before any statistics existed and planned without
    /// them (the dashboard 119 ms at a million entries, 3.7 ms after a
    /// restart). Opening makes them before the readers open.
    #[tokio::test]
    async fn statistics_are_made_before_the_readers_open() {
        let (store, dir) = file_store("statistics").await;
        let mut tx = store.begin_write().await.unwrap();
        sqlx::query("CREATE INDEX scratch_by_length ON scratch (length(b))")
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
             INSERT INTO scratch (b) SELECT zeroblob(i % 7) FROM n",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let analysed = "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'scratch'";
        let before: i64 = sqlx::query_scalar(analysed)
            .fetch_one(store.reader())
            .await
            .unwrap();
        assert_eq!(before, 0, "the table was made after the last analysis");
        store.close().await;

        let url = DatabaseUrl::new(format!("sqlite://{}/tribune.db", dir.display()));
        let reopened = connect(&url).await.unwrap();
        let after: i64 = sqlx::query_scalar(analysed)
            .fetch_one(reopened.reader())
            .await
            .unwrap();
        assert!(after > 0, "no statistics when the readers opened");
        reopened.close().await;
        std::fs::remove_dir_all(&dir).ok();
    }

    /// Fault probe: after "database or disk is full", SQLite had rolled the
    /// transaction back by itself, the driver still counted it open, and
    /// every later write was refused until a restart. A ROLLBACK sent
    /// behind the driver's back leaves the connection in that same state.
    #[tokio::test]
    async fn writes_resume_after_sqlite_ends_a_transaction_by_itself() {
        let (store, dir) = file_store("rolled-back").await;
        let mut tx = store.begin_write().await.unwrap();
        sqlx::query("INSERT INTO scratch (b) VALUES (x'00')")
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("ROLLBACK").execute(&mut *tx).await.unwrap();
        drop(tx);

        write_scratch(&store, 10).await.unwrap();
        store.ping_writes(Duration::from_secs(5)).await.unwrap();
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM scratch")
            .fetch_one(&store.writer)
            .await
            .unwrap();
        assert_eq!(rows, 1, "the rolled-back row is gone, the later one stored");
        store.close().await;
        std::fs::remove_dir_all(dir).ok();
    }

    /// A real "database or disk is full" (the file capped at its size):
    /// refused, nothing stored, and writes go through once there is room.
    #[tokio::test]
    async fn a_full_database_refuses_a_write_and_recovers() {
        let (store, dir) = file_store("full").await;
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
            .fetch_one(&store.writer)
            .await
            .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "PRAGMA max_page_count = {pages}"
        )))
        .execute(&store.writer)
        .await
        .unwrap();
        let full = write_scratch(&store, 1 << 20).await.unwrap_err();
        assert!(full.to_string().contains("full"), "{full}");
        sqlx::query("PRAGMA max_page_count = 1073741823")
            .execute(&store.writer)
            .await
            .unwrap();
        write_scratch(&store, 1 << 20).await.unwrap();
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM scratch")
            .fetch_one(&store.writer)
            .await
            .unwrap();
        assert_eq!(rows, 1);
        store.close().await;
        std::fs::remove_dir_all(dir).ok();
    }

    /// Fault probe: under steady reads the write-ahead log grew to 240 MB
    /// beside a 14 MB database and stayed so until shutdown. Here a reader
    /// keeps its snapshot while 40 MiB are written; once it lets go, the
    /// checkpointer brings the log back under [`WAL_KEPT_BYTES`].
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_write_ahead_log_is_cut_back_after_a_burst() {
        let (store, dir) = file_store("wal").await;
        let wal = dir.join("tribune.db-wal");
        let mut reader = store.reader.acquire().await.unwrap();
        sqlx::query("BEGIN").execute(&mut *reader).await.unwrap();
        let _: i64 = sqlx::query_scalar("SELECT count(*) FROM scratch")
            .fetch_one(&mut *reader)
            .await
            .unwrap();
        for _ in 0..40 {
            write_scratch(&store, 1 << 20).await.unwrap();
        }
        let grown = std::fs::metadata(&wal).unwrap().len();
        assert!(grown > 40 << 20, "the reader held the log: {grown} bytes");
        sqlx::query("COMMIT").execute(&mut *reader).await.unwrap();
        drop(reader);

        let mut size = grown;
        for _ in 0..100 {
            tokio::time::sleep(CHECKPOINT_EVERY / 5).await;
            size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
            if size <= WAL_KEPT_BYTES {
                break;
            }
        }
        assert!(size <= WAL_KEPT_BYTES, "the log stayed at {size} bytes");
        // And the data is all there.
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM scratch")
            .fetch_one(&store.reader)
            .await
            .unwrap();
        assert_eq!(rows, 40);
        store.close().await;
        std::fs::remove_dir_all(dir).ok();
    }

    /// Each filter of the case list walks an index from its cursor, newest
    /// first, and stops after a page: no scan of every case, no sort of
    /// every match (what `(… IS NULL OR …)` conditions made SQLite do).
    #[tokio::test]
    async fn every_case_list_filter_walks_an_index() {
        use domain::cases::{CaseKind, CaseStatus, ClauseCode, Tier};
        let store = connect(&DatabaseUrl::new("sqlite::memory:")).await.unwrap();
        store.migrate().await.unwrap();
        let clause = ClauseCode::parse("HS-2").unwrap();
        let mut filters = Vec::new();
        for before in [None, Some(domain::cases::CaseId(40))] {
            let base = crate::CaseFilter {
                before,
                limit: 50,
                ..crate::CaseFilter::default()
            };
            filters.push(base.clone());
            filters.push(crate::CaseFilter {
                status: Some(CaseStatus::Voting),
                ..base.clone()
            });
            filters.push(crate::CaseFilter {
                kind: Some(CaseKind::Reinstatement),
                ..base.clone()
            });
            filters.push(crate::CaseFilter {
                tier: Some(Tier::Prominent),
                ..base.clone()
            });
            filters.push(crate::CaseFilter {
                clause: Some(clause.clone()),
                ..base.clone()
            });
            filters.push(crate::CaseFilter {
                clause: Some(clause.clone()),
                status: Some(CaseStatus::Published),
                ..base.clone()
            });
        }
        for filter in &filters {
            let sql = crate::cases::select_cases(filter, false);
            let binds = sql.matches('$').count();
            let mut query = sqlx::query_as::<sqlx::Any, (i64, i64, i64, String)>(
                sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")),
            );
            for _ in 0..binds {
                query = query.bind("x");
            }
            let plan: Vec<String> = query
                .fetch_all(&store.reader)
                .await
                .unwrap()
                .into_iter()
                .map(|(_, _, _, step)| step)
                .collect();
            // The unfiltered list reads the table itself newest first, a
            // page's worth.
            let unfiltered = filter.status.is_none()
                && filter.kind.is_none()
                && filter.tier.is_none()
                && filter.clause.is_none();
            assert!(
                plan.iter().all(|step| (unfiltered && step == "SCAN c")
                    || !step.starts_with("SCAN") && !step.contains("TEMP B-TREE")),
                "{filter:?}: {plan:?}"
            );
        }
    }
}
