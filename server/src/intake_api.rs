//! The platform's JSON API: `POST /api/v1/cases` escalates a case,
//! `GET /api/v1/cases/{id}` reports where it is, and
//! `POST /api/v1/cases/{id}/recommendations/{n}/answers` answers a
//! recommendation of its published decision (logged). Authenticated by a bearer
//! intake token (an admin creates it; only its SHA-256 is stored). A retried
//! escalation with the same `Idempotency-Key` never makes a second case.

use crate::security::json_error;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::cases::{CaseDraft, CaseId, FieldError, FieldProblem};
use domain::decisions::AnswerStatus;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use storage::{Actor, Idempotency, Intake, IntakeToken, SharedStorage, StorageError};

/// The largest escalation body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The longest idempotency key accepted.
pub const MAX_KEY_CHARS: usize = 200;

#[derive(Clone)]
pub struct IntakeState {
    pub storage: SharedStorage,
    /// The site's public address, for the case's link.
    pub public_url: Arc<str>,
    /// Signs the answers to recommendations into the log (`None` before the
    /// council is founded).
    pub log_key: Option<Arc<domain::note::NoteSigner>>,
}

/// The largest answer body accepted.
pub const MAX_ANSWER_BODY_BYTES: usize = 16 * 1024;

/// Every invalid field: its name, the code of what is wrong with it and
/// what explains it (`domain::cases::FieldProblem`), and the same in an
/// English `message`.
fn invalid(errors: Vec<FieldError>) -> Response {
    let message = errors
        .iter()
        .map(|e| format!("{} {}", e.field, e.problem))
        .collect::<Vec<_>>()
        .join("; ");
    let fields: Vec<serde_json::Value> = errors
        .iter()
        .map(|e| {
            let mut field = serde_json::to_value(e).unwrap_or_default();
            if let Some(object) = field.as_object_mut() {
                object.insert("message".to_owned(), e.problem.to_string().into());
            }
            field
        })
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"error": "invalid_fields", "message": message, "fields": fields})),
    )
        .into_response()
}

/// The request's `Idempotency-Key` header (the same for every retry of one
/// request), or a field error naming it.
fn idempotency_key(headers: &HeaderMap, errors: &mut Vec<FieldError>) -> String {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS || key.contains(char::is_control) {
        errors.push(FieldError::new(
            "Idempotency-Key",
            FieldProblem::OneLine {
                min: 1,
                max: u64::try_from(MAX_KEY_CHARS).unwrap_or(u64::MAX),
            },
        ));
    }
    key.to_owned()
}

/// The same `Idempotency-Key` was used for another request.
fn key_reused() -> Response {
    json_error(
        StatusCode::CONFLICT,
        "idempotency_key_reused",
        "This Idempotency-Key was already used for a different request.",
    )
}

fn storage_error(error: &StorageError) -> Response {
    tracing::error!(%error, "intake API: storage error");
    json_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "The council's records cannot be reached right now. Please retry later.",
    )
}

/// The live intake token in the `Authorization: Bearer` header.
async fn authenticate(
    storage: &SharedStorage,
    headers: &HeaderMap,
) -> Result<IntakeToken, Response> {
    let unauthenticated = || {
        let mut response = json_error(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "A valid intake token is required: `Authorization: Bearer <token>`.",
        );
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        response
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(unauthenticated)?;
    let hash: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    match storage.intake_token(&hash).await {
        Ok(Some(token)) => Ok(token),
        Ok(None) => Err(unauthenticated()),
        Err(error) => Err(storage_error(&error)),
    }
}

fn case_body(id: CaseId, status: &str, public_url: &str) -> serde_json::Value {
    json!({"id": id.0, "status": status, "url": format!("{public_url}/cases/{}", id.0)})
}

/// `POST /api/v1/cases`.
pub async fn create_case(State(state): State<IntakeState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let token = match authenticate(&state.storage, &parts.headers).await {
        Ok(token) => token,
        Err(response) => return response,
    };
    let too_large = || {
        json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            &format!("The escalation is larger than {MAX_BODY_BYTES} bytes."),
        )
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES) {
        return too_large();
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return too_large();
    };
    let mut errors = Vec::new();
    let key = idempotency_key(&parts.headers, &mut errors);
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(error) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                &format!("The body is not JSON: {error}."),
            );
        }
    };
    let draft = match CaseDraft::from_json(&value) {
        Ok(draft) => Some(draft),
        Err(found) => {
            errors.extend(found);
            None
        }
    };
    let known = match state.storage.clauses().await {
        Ok(clauses) => clauses.into_iter().map(|c| c.code).collect::<Vec<_>>(),
        Err(error) => return storage_error(&error),
    };
    let fields = match draft.map(|d| d.validate(&known)) {
        Some(Ok(fields)) if errors.is_empty() => fields,
        Some(Err(found)) => {
            errors.extend(found);
            return invalid(errors);
        }
        _ => return invalid(errors),
    };
    // A retry is the same key with the same (validated) escalation.
    let request_hash: [u8; 32] =
        Sha256::digest(serde_json::to_vec(&fields).unwrap_or_default()).into();
    let idempotency = Idempotency {
        token: token.id,
        key,
        request_hash,
    };
    match state
        .storage
        .create_case(
            &fields,
            Actor::Token(token.id),
            Some(&idempotency),
            storage::now(),
        )
        .await
    {
        Ok(Intake::Created(id)) => {
            tracing::info!(case = %id, token = %token.name, "case escalated");
            let url = format!("{}/cases/{}", state.public_url, id.0);
            let mut response = (
                StatusCode::CREATED,
                Json(case_body(id, "intake", &state.public_url)),
            )
                .into_response();
            if let Ok(location) = HeaderValue::from_str(&url) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Ok(Intake::Existing(id)) => {
            let status = match state.storage.case(id).await {
                Ok(Some(case)) => case.status.as_str(),
                Ok(None) => "intake",
                Err(error) => return storage_error(&error),
            };
            (
                StatusCode::OK,
                Json(case_body(id, status, &state.public_url)),
            )
                .into_response()
        }
        Err(StorageError::IdempotencyKeyReused) => json_error(
            StatusCode::CONFLICT,
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different escalation.",
        ),
        Err(error) => storage_error(&error),
    }
}

/// `GET /api/v1/cases/{id}`: where an escalated case is, and its history.
pub async fn case_status(
    State(state): State<IntakeState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(response) = authenticate(&state.storage, &headers).await {
        return response;
    }
    let not_found = || json_error(StatusCode::NOT_FOUND, "not_found", "No such case.");
    let Ok(id) = id.parse::<u64>() else {
        return not_found();
    };
    match state.storage.case(CaseId(id)).await {
        Ok(Some(case)) => {
            let mut body = case_body(case.id, case.status.as_str(), &state.public_url);
            body["stage_deadline"] = json!(case.stage_deadline.map(|d| d.to_rfc3339()));
            body["history"] = case
                .events
                .iter()
                .map(|e| {
                    json!({
                        "from": e.from.map(|s| s.as_str()),
                        "to": e.to.as_str(),
                        "at": e.at.to_rfc3339(),
                        "reason": e.reason,
                    })
                })
                .collect();
            Json(body).into_response()
        }
        Ok(None) => not_found(),
        Err(error) => storage_error(&error),
    }
}

/// `POST /api/v1/cases/{id}/recommendations/{n}/answers`: the platform
/// answers recommendation `n` of the case's published decision with
/// `{"status": "implemented" | "partly" | "declined" | "assessing",
/// "text": "…"}`. Each answer is a log entry; later answers add to earlier
/// ones (assessing, then implemented).
pub async fn answer_recommendation(
    State(state): State<IntakeState>,
    Path((id, number)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let token = match authenticate(&state.storage, &parts.headers).await {
        Ok(token) => token,
        Err(response) => return response,
    };
    let not_found = || {
        json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "No such recommendation on a published decision.",
        )
    };
    let (Ok(id), Ok(number)) = (id.parse::<u64>(), number.parse::<u32>()) else {
        return not_found();
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ANSWER_BODY_BYTES).await else {
        return json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            &format!("The answer is larger than {MAX_ANSWER_BODY_BYTES} bytes."),
        );
    };
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(error) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                &format!("The body is not JSON: {error}."),
            );
        }
    };
    let mut errors = Vec::new();
    let key = idempotency_key(&parts.headers, &mut errors);
    let status = match value["status"].as_str().map(AnswerStatus::parse) {
        Some(Ok(status)) => Some(status),
        _ => {
            errors.push(FieldError::new(
                "status",
                FieldProblem::NotOneOf {
                    allowed: ["implemented", "partly", "declined", "assessing"]
                        .map(str::to_owned)
                        .to_vec(),
                },
            ));
            None
        }
    };
    let text = match value["text"].as_str().map(domain::decisions::answer_text) {
        Some(Ok(text)) => Some(text),
        Some(Err(_)) if !value["text"].as_str().unwrap_or_default().trim().is_empty() => {
            errors.push(FieldError::new(
                "text",
                FieldProblem::TooLong {
                    max: u64::try_from(domain::decisions::MAX_ANSWER_CHARS).unwrap_or(u64::MAX),
                },
            ));
            None
        }
        Some(Err(_)) | None => {
            // What the platform did, or why not.
            errors.push(FieldError::new("text", FieldProblem::Required));
            None
        }
    };
    let (Some(status), Some(text)) = (status, text) else {
        return invalid(errors);
    };
    let Some(log_key) = state.log_key.as_ref() else {
        return json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "This server cannot sign log entries (no log key).",
        );
    };
    if !errors.is_empty() {
        return invalid(errors);
    }
    // A retry is the same key with the same answer, to the same case and
    // recommendation.
    let request_hash: [u8; 32] = Sha256::digest(
        serde_json::to_vec(&json!([id, number, status.as_str(), text])).unwrap_or_default(),
    )
    .into();
    let retry = Idempotency {
        token: token.id,
        key,
        request_hash,
    };
    match state
        .storage
        .answer_recommendation_once(
            CaseId(id),
            number,
            status,
            &text,
            &retry,
            log_key,
            storage::now(),
        )
        .await
    {
        Ok(answered) => {
            let index = answered.index();
            tracing::info!(
                case = id,
                recommendation = number,
                index,
                "recommendation answered"
            );
            (
                match answered {
                    storage::Answered::New(_) => StatusCode::CREATED,
                    storage::Answered::Existing(_) => StatusCode::OK,
                },
                Json(json!({
                    "case": id,
                    "recommendation": number,
                    "status": status.as_str(),
                    "log_index": index,
                })),
            )
                .into_response()
        }
        Err(StorageError::Refused(refusal))
            if matches!(refusal.code(), "not_decided" | "unknown_recommendation") =>
        {
            not_found()
        }
        Err(StorageError::IdempotencyKeyReused) => key_reused(),
        Err(error) => storage_error(&error),
    }
}
