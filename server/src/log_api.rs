//! The log's public read endpoints, under `/log/` (the C2SP tlog-tiles
//! prefix): the verifier key, the latest signed checkpoint, hash tiles and
//! entry bundles, plus JSON for one entry and for inclusion and consistency
//! proofs.
//!
//! Proofs and hash tiles are assembled from the heads of the log's perfect
//! subtrees, which storage keeps as entries are appended: O(log n) rows for
//! a proof and one row per hash for a tile, whatever the log's size.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::checkpoint::Checkpoint;
use domain::cosignature::CosignaturePolicy;
use domain::merkle::{self, StoredProof, Subtree};
use domain::note::Note;
use domain::tiles::{self, Tile, TileKind};
use serde_json::json;
use std::sync::Arc;
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

/// The latest signed checkpoint, with the witness cosignatures it has
/// received so far. It changes with every append and cosignature: caches
/// may keep it only briefly.
pub async fn checkpoint(State(storage): State<SharedStorage>) -> Response {
    match cosigned_checkpoint(&storage).await {
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

/// The latest checkpoint note followed by the cosignature lines received
/// for it (a C2SP signed note with several signatures).
pub async fn cosigned_checkpoint(storage: &SharedStorage) -> Result<Option<String>, StorageError> {
    let Some(mut note) = storage.latest_checkpoint().await? else {
        return Ok(None);
    };
    let size = Note::parse(note.as_bytes())
        .ok()
        .and_then(|n| Checkpoint::parse_text(&n.text).ok())
        .map(|c| c.size)
        .ok_or_else(|| StorageError::Corrupt("the latest checkpoint does not parse".to_owned()))?;
    for cosignature in storage.cosignatures(size).await? {
        note.push_str(&cosignature.line);
    }
    Ok(Some(note))
}

/// What the witness endpoints need: the log, and the council's policy.
#[derive(Clone)]
pub struct WitnessState {
    pub storage: SharedStorage,
    pub policy: Arc<CosignaturePolicy>,
}

/// The largest cosignature submission read: a checkpoint and a few lines.
pub const MAX_COSIGNATURE_BYTES: usize = 16 * 1024;

/// `GET /log/witnesses`: the council's witness policy, `quorum <n>` then one
/// `witness <vkey>` line per witness.
pub async fn witnesses(State(state): State<WitnessState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, TEXT),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        state.policy.to_text(),
    )
        .into_response()
}

/// `POST /log/cosignature`: a witness submits the checkpoint it cosigned
/// (the log's signed note with its cosignature line appended). Each
/// cosignature by a policy witness must verify over a checkpoint that this
/// log published; they are kept and served with the checkpoint.
pub async fn cosign(State(state): State<WitnessState>, body: String) -> Response {
    if state.policy.is_empty() {
        return json_error(
            StatusCode::FORBIDDEN,
            "no_witness_policy",
            "this council names no witnesses, so it takes no cosignatures",
        );
    }
    let Ok(note) = Note::parse(body.as_bytes()) else {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_signed_note",
            "the body must be the signed checkpoint with the cosignature lines appended",
        );
    };
    let Ok(submitted) = Checkpoint::parse_text(&note.text) else {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_checkpoint",
            "the note's text is not a checkpoint",
        );
    };
    let published = match state.storage.checkpoint_note(submitted.size).await {
        Ok(Some(published)) => published,
        Ok(None) => {
            return json_error(
                StatusCode::NOT_FOUND,
                "unknown_checkpoint",
                "this log never published a checkpoint of that size",
            );
        }
        Err(error) => return unavailable(&error),
    };
    let same = Note::parse(published.as_bytes()).is_ok_and(|p| p.text == note.text);
    if !same {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_this_checkpoint",
            "this log never published that checkpoint: its checkpoint of that size has another origin or tree head",
        );
    }
    let cosigned = match state.policy.cosignatures(&note) {
        Ok(cosigned) if cosigned.is_empty() => {
            return json_error(
                StatusCode::FORBIDDEN,
                "unknown_witness",
                "the note carries no cosignature by a witness of the council's policy (see /log/witnesses)",
            );
        }
        Ok(cosigned) => cosigned,
        Err(error) => {
            return json_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_cosignature",
                &error.to_string(),
            );
        }
    };
    let rows = cosignature_rows(submitted.size, cosigned);
    let result = async {
        let added = state.storage.add_cosignatures(&rows).await?;
        let all = state.storage.cosignatures(submitted.size).await?;
        Ok::<_, StorageError>((added, all))
    }
    .await;
    match result {
        Ok((added, all)) => {
            let names: Vec<&str> = all.iter().map(|c| c.witness.as_str()).collect();
            let is_final = state
                .policy
                .final_size(all.iter().map(|c| (c.size, c.witness.as_str(), c.key_id)))
                .is_some();
            tracing::info!(size = submitted.size, added, "witness cosignature received");
            (
                [(header::CACHE_CONTROL, "no-store")],
                Json(json!({
                    "size": submitted.size,
                    "added": added,
                    "cosigned_by": names,
                    "final": is_final,
                })),
            )
                .into_response()
        }
        Err(error) => unavailable(&error),
    }
}

/// The rows that keep `cosigned`, verified cosignatures of the checkpoint
/// of `size`.
pub(crate) fn cosignature_rows(
    size: u64,
    cosigned: Vec<domain::cosignature::Cosigned>,
) -> Vec<storage::CheckpointCosignature> {
    cosigned
        .into_iter()
        .map(|c| storage::CheckpointCosignature {
            size,
            witness: c.witness,
            key_id: c.key_id,
            signed_at: c.timestamp,
            line: c.line,
        })
        .collect()
}

/// The consistency proof from the tree of size `old` to that of size
/// `new`, from the stored subtree heads.
pub(crate) async fn consistency_proof(
    storage: &SharedStorage,
    old: u64,
    new: u64,
) -> Result<Vec<merkle::MerkleHash>, StorageError> {
    let [proof] = stored_proofs(storage, [StoredProof::Consistency { old, new }]).await?;
    Ok(proof)
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
    let bytes = match tile.kind {
        TileKind::Entries => {
            let Some((start, end)) = tile.leaf_range() else {
                return Ok(None);
            };
            let entries = storage.log_entries(start, end).await?;
            tiles::encode_bundle(&entries)
                .map_err(|e| StorageError::Corrupt(format!("entry bundle: {e}")))?
        }
        TileKind::Hashes { level: 0 } => {
            // The leaf hashes themselves: one range of rows.
            let Some((start, end)) = tile.leaf_range() else {
                return Ok(None);
            };
            let leaves = storage.log_leaf_hashes(start, end).await?;
            tiles::hash_tile(tile, &leaves)
                .map_err(|e| StorageError::Corrupt(format!("hash tile: {e}")))?
        }
        TileKind::Hashes { .. } => {
            let Some(wanted) = tiles::tile_subtrees(tile) else {
                return Ok(None);
            };
            let heads = storage.subtree_heads(&wanted).await?;
            tiles::hash_tile_from(tile, &heads).ok_or_else(|| {
                StorageError::Corrupt(format!(
                    "the subtree heads of tile {} are missing",
                    tile.path()
                ))
            })?
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
        let plans = [
            StoredProof::Inclusion {
                index: query.index,
                size,
            },
            StoredProof::Root { size },
        ];
        let [proof, root] = stored_proofs(&storage, plans).await?;
        let leaf = storage
            .subtree_heads(&[Subtree {
                level: 0,
                index: query.index,
            }])
            .await?
            .into_values()
            .next()
            .ok_or_else(|| StorageError::Corrupt("a leaf hash is missing".to_owned()))?;
        Ok::<_, StorageError>(Some(json!({
            "index": query.index,
            "size": size,
            "leaf_hash": leaf.to_hex(),
            "root": root[0].to_hex(),
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
        let plans = [
            StoredProof::Consistency {
                old: query.from,
                new: to,
            },
            StoredProof::Root { size: query.from },
            StoredProof::Root { size: to },
        ];
        let [proof, from_root, to_root] = stored_proofs(&storage, plans).await?;
        Ok::<_, StorageError>(Some(json!({
            "from": query.from,
            "to": to,
            "from_root": from_root[0].to_hex(),
            "to_root": to_root[0].to_hex(),
            "proof": proof.iter().map(|h| h.to_hex()).collect::<Vec<_>>(),
        })))
    }
    .await;
    proof_response(
        result,
        "from must be at most to, and to at most the latest checkpoint's size",
    )
}

/// Proofs and tree heads from the stored subtree heads, read in one go.
async fn stored_proofs<const N: usize>(
    storage: &SharedStorage,
    plans: [StoredProof; N],
) -> Result<[Vec<merkle::MerkleHash>; N], StorageError> {
    let corrupt = |e: merkle::ProofError| StorageError::Corrupt(e.to_string());
    let mut wanted = Vec::new();
    for plan in &plans {
        wanted.extend(plan.subtrees().map_err(corrupt)?);
    }
    wanted.sort_unstable();
    wanted.dedup();
    let heads = storage.subtree_heads(&wanted).await?;
    let mut proofs = Vec::with_capacity(N);
    for plan in &plans {
        proofs.push(plan.assemble(&heads).map_err(corrupt)?.ok_or_else(|| {
            StorageError::Corrupt("a subtree head of the log is missing".to_owned())
        })?);
    }
    proofs
        .try_into()
        .map_err(|_| StorageError::Corrupt("proofs".to_owned()))
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
