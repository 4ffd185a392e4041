//! PostgreSQL, for deployments that run several `tribune serve` instances
//! behind a load balancer. Migrations take PostgreSQL's advisory lock, so
//! instances starting together apply them once.

use crate::db::{Dialect, Store};
use crate::{Backend, DatabaseUrl, StorageError};
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgConnectOptions;
use std::str::FromStr;
use std::time::Duration;

/// PostgreSQL only: the transaction-scoped lock every write takes (the
/// number is arbitrary but fixed: "TRIBUNE" in ASCII, truncated).
pub(crate) const LOCK_WRITES: &str = "SELECT pg_advisory_xact_lock(5486946383318853)";

static MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// PostgreSQL's: a write takes the council's transaction-scoped advisory
/// lock first, so writes, and above all log appends, are serialised across
/// every `tribune serve` instance. Its isolation is said, not left to the
/// database's default: under `repeatable read` (or `serializable`) the
/// transaction's snapshot is taken by its first statement, the lock, before
/// the lock is granted, so it would not see the entries appended while it
/// waited. `read committed` gives each statement a fresh snapshot.
static DIALECT: Dialect = Dialect {
    backend: Backend::Postgres,
    begin: "BEGIN ISOLATION LEVEL READ COMMITTED",
    lock: Some(LOCK_WRITES),
    migrations: &MIGRATIONS,
    after_migrate: None,
};

/// Start-up fails after this long when the server does not answer, rather than hanging.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_CONNECTIONS: u32 = 10;

/// How long PostgreSQL lets a session sit idle inside a transaction before
/// it ends the session. A write holds the council's lock for its whole
/// transaction: an instance frozen in the middle of one (stopped, swapped
/// out, partitioned) would otherwise stop every other instance's writes for
/// as long as it stays frozen. Tribune never waits on anything but the
/// database inside a transaction, so 10 s of silence means it is stuck.
pub(crate) const IDLE_IN_TRANSACTION: Duration = Duration::from_secs(10);

/// Set on every connection when it opens.
fn session_settings() -> String {
    format!(
        "SET idle_in_transaction_session_timeout = {}",
        IDLE_IN_TRANSACTION.as_millis()
    )
}

/// Opens a pool on the PostgreSQL database named by `url`; reads and
/// writes share it (a write holds the council's advisory lock instead).
pub(crate) async fn connect(url: &DatabaseUrl) -> Result<Store, StorageError> {
    sqlx::any::install_default_drivers();
    let connect_error = |source| StorageError::Connect {
        url: url.redacted(),
        source,
    };
    // Checked by the driver's own parser first, for its clearer errors.
    PgConnectOptions::from_str(url.expose()).map_err(connect_error)?;
    let pool = AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(CONNECT_TIMEOUT)
        .after_connect(|connection, _| {
            Box::pin(async move {
                sqlx::raw_sql(sqlx::AssertSqlSafe(session_settings()))
                    .execute(&mut *connection)
                    .await?;
                Ok(())
            })
        })
        .connect(url.expose())
        .await
        .map_err(connect_error)?;
    Ok(Store::new(&DIALECT, pool.clone(), pool))
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::Storage as _;

    /// Fault probe: an instance frozen while it held the write lock
    /// stopped every other instance's writes for as long as it was frozen,
    /// while their health checks said all was well. Now the others' write
    /// check says so, and PostgreSQL ends the frozen session after
    /// [`IDLE_IN_TRANSACTION`], which frees the lock.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_frozen_instance_loses_the_write_lock() {
        let Ok(url) = std::env::var("TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("TRIBUNE_REQUIRE_POSTGRES").is_err(),
                "TRIBUNE_REQUIRE_POSTGRES is set but TEST_POSTGRES_URL is not"
            );
            eprintln!("skipped: TEST_POSTGRES_URL is not set");
            return;
        };
        let url = DatabaseUrl::new(url);
        let frozen = connect(&url).await.unwrap();
        let other = connect(&url).await.unwrap();
        let held = frozen.begin_write().await.unwrap();

        let blocked = other.ping_writes(Duration::from_millis(500)).await;
        assert!(
            matches!(blocked, Err(StorageError::WriteLockTimeout(_))),
            "{blocked:?}"
        );
        other
            .ping_writes(IDLE_IN_TRANSACTION + Duration::from_secs(20))
            .await
            .unwrap();
        assert!(held.commit().await.is_err(), "the frozen session was ended");
        frozen.close().await;
        other.close().await;
    }
}
