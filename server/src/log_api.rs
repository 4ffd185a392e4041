//! The log's public read endpoints, under `/log/` (the C2SP tlog-tiles
//! prefix): the verifier key, the latest signed checkpoint, hash tiles and
//! entry bundles, plus JSON for one entry and for inclusion and consistency
//! proofs.
//!
//! Tiles and proofs are computed from the stored leaf hashes on request,
//! which reads up to the whole log for a proof: fine for a council's log,
//! and to be replaced by stored tiles when logs grow large.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::merkle;
use domain::tiles::{self, Tile, TileKind};
use serde_json::json;
use storage::{SharedStorage, StorageError};

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

/// Reads (and if need be computes) a tile of the log whose size is `size`.
pub async fn read_tile(
    storage: &SharedStorage,
    tile: &Tile,
    size: u64,
) -> Result<Option<Vec<u8>>, StorageError> {
    if !tiles::tile_exists(tile, size) {
        return Ok(None);
    }
    let Some((start, end)) = tile.leaf_range() else {
        return Ok(None);
    };
    let bytes = match tile.kind {
        TileKind::Entries => {
            let entries = storage.log_entries(start, end).await?;
            tiles::encode_bundle(&entries)
                .map_err(|e| StorageError::Corrupt(format!("entry bundle: {e}")))?
        }
        TileKind::Hashes { .. } => {
            let leaves = storage.log_leaf_hashes(start, end).await?;
            tiles::hash_tile(tile, &leaves)
                .map_err(|e| StorageError::Corrupt(format!("hash tile: {e}")))?
        }
    };
    Ok(Some(bytes))
}

/// `GET /log/tile/...`: hash tiles and entry bundles. Every tile's content
/// is fixed by its path, so all are immutable.
pub async fn tile(State(storage): State<SharedStorage>, Path(rest): Path<String>) -> Response {
    let Ok(tile) = Tile::parse_path(&format!("tile/{rest}")) else {
        return json_error(StatusCode::NOT_FOUND, "not_a_tile", "no such tile path");
    };
    let result = async {
        let size = storage.latest_checkpoint_size().await?;
        read_tile(&storage, &tile, size).await
    }
    .await;
    match result {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => json_error(
            StatusCode::NOT_FOUND,
            "beyond_the_log",
            "the log is not that large (yet)",
        ),
        Err(error) => unavailable(&error),
    }
}

/// `GET /log/entry/{index}`: one entry with its leaf hash.
pub async fn entry(State(storage): State<SharedStorage>, Path(index): Path<u64>) -> Response {
    let result = async {
        let size = storage.latest_checkpoint_size().await?;
        if index >= size {
            return Ok(None);
        }
        Ok::<_, StorageError>(storage.log_entries(index, index + 1).await?.pop())
    }
    .await;
    match result {
        Ok(Some(bytes)) => {
            let entry: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            json_ok(json!({
                "index": index,
                "leaf_hash": merkle::leaf_hash(&bytes).to_hex(),
                "entry": entry,
            }))
        }
        Ok(None) => json_error(
            StatusCode::NOT_FOUND,
            "no_such_entry",
            "the log has no entry at this index",
        ),
        Err(error) => unavailable(&error),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct InclusionQuery {
    index: u64,
    size: Option<u64>,
}

/// `GET /log/proof/inclusion?index=I[&size=S]`: the audit path of entry `I`
/// in the tree of size `S` (default: the latest checkpoint).
pub async fn inclusion(
    State(storage): State<SharedStorage>,
    Query(query): Query<InclusionQuery>,
) -> Response {
    let result = async {
        let latest = storage.latest_checkpoint_size().await?;
        let size = query.size.unwrap_or(latest);
        if size > latest || query.index >= size {
            return Ok(None);
        }
        let leaves = storage.log_leaf_hashes(0, size).await?;
        let proof = merkle::inclusion_proof(&leaves, query.index)
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        Ok::<_, StorageError>(Some(json!({
            "index": query.index,
            "size": size,
            "leaf_hash": leaves[query.index as usize].to_hex(),
            "root": merkle::root(&leaves).to_hex(),
            "proof": proof.iter().map(|h| h.to_hex()).collect::<Vec<_>>(),
        })))
    }
    .await;
    proof_response(
        result,
        "index must be below size, and size at most the latest checkpoint's",
    )
}

#[derive(Debug, serde::Deserialize)]
pub struct ConsistencyQuery {
    from: u64,
    to: Option<u64>,
}

/// `GET /log/proof/consistency?from=A[&to=B]`: that the tree of size `A` is a
/// prefix of the tree of size `B` (default: the latest checkpoint).
pub async fn consistency(
    State(storage): State<SharedStorage>,
    Query(query): Query<ConsistencyQuery>,
) -> Response {
    let result = async {
        let latest = storage.latest_checkpoint_size().await?;
        let to = query.to.unwrap_or(latest);
        if to > latest || query.from > to {
            return Ok(None);
        }
        let leaves = storage.log_leaf_hashes(0, to).await?;
        let proof = merkle::consistency_proof(&leaves, query.from)
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        Ok::<_, StorageError>(Some(json!({
            "from": query.from,
            "to": to,
            "from_root": merkle::root(&leaves[..query.from as usize]).to_hex(),
            "to_root": merkle::root(&leaves).to_hex(),
            "proof": proof.iter().map(|h| h.to_hex()).collect::<Vec<_>>(),
        })))
    }
    .await;
    proof_response(
        result,
        "from must be at most to, and to at most the latest checkpoint's size",
    )
}

/// A proof as JSON, `out_of_range` (422) when the sizes asked for are not
/// in the log, or 503 when it cannot be read.
fn proof_response(
    result: Result<Option<serde_json::Value>, StorageError>,
    out_of_range: &str,
) -> Response {
    match result {
        Ok(Some(body)) => json_ok(body),
        Ok(None) => json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "out_of_range",
            out_of_range,
        ),
        Err(error) => unavailable(&error),
    }
}

fn json_ok(body: serde_json::Value) -> Response {
    (
        [(header::CACHE_CONTROL, "public, max-age=5, must-revalidate")],
        Json(body),
    )
        .into_response()
}

/// Errors as `{"error": "snake_case_code", "message": "…"}`.
fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "error": code, "message": message })),
    )
        .into_response()
}
