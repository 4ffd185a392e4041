//! `GET /healthz`: the version and whether the database answers reads and
//! would take a write now, as JSON, for load balancers and monitoring.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Serialize;
use storage::SharedStorage;

#[derive(Debug, Serialize)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    pub version: &'static str,
    pub database: DatabaseHealth,
}

#[derive(Debug, Serialize)]
pub struct DatabaseHealth {
    pub backend: &'static str,
    /// `ok` when both reads and writes are; otherwise `unavailable`.
    pub status: &'static str,
    /// `ok` or `unavailable`: a query answers.
    pub reads: &'static str,
    /// `ok` or `unavailable`: a write transaction, with the council's write
    /// lock, began within [`WRITE_CHECK_WITHIN`] (and was rolled back).
    pub writes: &'static str,
}

/// How long the health check waits for the write lock. Writes hold it for
/// milliseconds; waiting longer means they are blocked (a full disk, an
/// instance frozen while it held the lock).
pub const WRITE_CHECK_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

fn word(ok: bool) -> &'static str {
    if ok { "ok" } else { "unavailable" }
}

pub async fn healthz(State(storage): State<SharedStorage>) -> impl IntoResponse {
    let reads = match storage.ping().await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "health check: the database does not answer reads");
            false
        }
    };
    let writes = reads
        && match storage.ping_writes(WRITE_CHECK_WITHIN).await {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(%error, "health check: writes are not going through");
                false
            }
        };
    let ok = reads && writes;
    let body = Health {
        status: word(ok),
        version: env!("CARGO_PKG_VERSION"),
        database: DatabaseHealth {
            backend: storage.backend().as_str(),
            status: word(ok),
            reads: word(reads),
            writes: word(writes),
        },
    };
    let code = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, [(header::CACHE_CONTROL, "no-store")], Json(body))
}
