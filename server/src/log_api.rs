//! The log's public read endpoints (C2SP tlog-tiles naming):
//! `GET /log/key` (the verifier key) and `GET /log/checkpoint` (the latest
//! signed checkpoint). Tiles and proofs come with the persistence work that
//! follows.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use storage::SharedStorage;

const TEXT: &str = "text/plain; charset=utf-8";

/// The log's public key in C2SP vkey form. It never changes, so it may be cached.
pub async fn key(State(storage): State<SharedStorage>) -> Response {
    match storage.log_key().await {
        Ok(Some(vkey)) => (
            [
                (header::CONTENT_TYPE, TEXT),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            format!("{vkey}\n"),
        )
            .into_response(),
        Ok(None) => not_founded(),
        Err(error) => unavailable(&error),
    }
}

/// The latest signed checkpoint. It changes with every append: caches may
/// keep it only briefly.
pub async fn checkpoint(State(storage): State<SharedStorage>) -> Response {
    match storage.latest_checkpoint().await {
        Ok(Some(note)) => (
            [
                (header::CONTENT_TYPE, TEXT),
                (header::CACHE_CONTROL, "public, max-age=5, must-revalidate"),
            ],
            note,
        )
            .into_response(),
        Ok(None) => not_founded(),
        Err(error) => unavailable(&error),
    }
}

fn not_founded() -> Response {
    (
        StatusCode::NOT_FOUND,
        [
            (header::CONTENT_TYPE, TEXT),
            (header::CACHE_CONTROL, "no-store"),
        ],
        "no council has been founded yet: the log is empty\n",
    )
        .into_response()
}

fn unavailable(error: &storage::StorageError) -> Response {
    tracing::error!(%error, "log read failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, TEXT),
            (header::CACHE_CONTROL, "no-store"),
        ],
        "the log cannot be read right now\n",
    )
        .into_response()
}
