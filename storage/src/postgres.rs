//! PostgreSQL, for deployments that run several `tribune serve` instances
//! behind a load balancer. Migrations take PostgreSQL's advisory lock, so
//! instances starting together apply them once.

use crate::db::Store;
use crate::{Backend, DatabaseUrl, StorageError};
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgConnectOptions;
use std::str::FromStr;
use std::time::Duration;

pub(crate) static MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

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
    Ok(Store::new(Backend::Postgres, pool.clone(), pool))
}
