//! `GET /healthz`: the version and whether the database answers, as JSON,
//! for load balancers and monitoring.

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
    /// `ok` or `unavailable`.
    pub status: &'static str,
}

pub async fn healthz(State(storage): State<SharedStorage>) -> impl IntoResponse {
    let database_ok = match storage.ping().await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "health check: database unavailable");
            false
        }
    };
    let status = if database_ok { "ok" } else { "unavailable" };
    let body = Health {
        status,
        version: env!("CARGO_PKG_VERSION"),
        database: DatabaseHealth {
            backend: storage.backend().as_str(),
            status,
        },
    };
    let code = if database_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, [(header::CACHE_CONTROL, "no-store")], Json(body))
}
