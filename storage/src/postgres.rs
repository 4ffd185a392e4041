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
/// every `tribune serve` instance.
static DIALECT: Dialect = Dialect {
    backend: Backend::Postgres,
    begin: "BEGIN",
    lock: Some(LOCK_WRITES),
    migrations: &MIGRATIONS,
};

/// Start-up fails after this long when the server does not answer, rather than hanging.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_CONNECTIONS: u32 = 10;

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
        .connect(url.expose())
        .await
        .map_err(connect_error)?;
    Ok(Store::new(&DIALECT, pool.clone(), pool))
}
