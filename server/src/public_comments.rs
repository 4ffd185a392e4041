//! `POST /public-comments`: the public's comment form (no JavaScript, no
//! account), rate-limited per address and size-limited. A browser is sent
//! back to the case's comment page, which says what happened; a JSON client
//! gets the status and the error.

use crate::security::json_error;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::cases::CaseId;
use serde::Deserialize;
use storage::{SharedStorage, StorageError};

/// The largest form accepted.
pub const MAX_FORM_BYTES: usize = 32 * 1024;

#[derive(Debug, Deserialize)]
pub struct PublicCommentForm {
    pub case: u64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub affiliation: String,
    #[serde(default)]
    pub text: String,
}

fn answer(
    headers: &HeaderMap,
    case: u64,
    status: StatusCode,
    code: &str,
    message: &str,
) -> Response {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if wants_json {
        if status.is_success() {
            (status, axum::Json(serde_json::json!({"status": code}))).into_response()
        } else {
            json_error(status, code, message)
        }
    } else {
        Redirect::to(&format!("/comment/{case}?result={code}#comment-form")).into_response()
    }
}

pub async fn submit(
    State(storage): State<SharedStorage>,
    headers: HeaderMap,
    Form(form): Form<PublicCommentForm>,
) -> Response {
    let (name, affiliation, text) =
        match domain::cases::public_comment(&form.name, &form.affiliation, &form.text) {
            Ok(fields) => fields,
            Err(errors) => {
                let code = format!("invalid_{}", errors[0].field);
                let message = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.problem))
                    .collect::<Vec<_>>()
                    .join("; ");
                return answer(
                    &headers,
                    form.case,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &code,
                    &message,
                );
            }
        };
    match storage
        .add_public_comment(
            CaseId(form.case),
            &name,
            affiliation.as_deref(),
            &text,
            storage::now(),
        )
        .await
    {
        Ok(id) => {
            tracing::info!(case = form.case, comment = id, "public comment submitted");
            answer(&headers, form.case, StatusCode::ACCEPTED, "received", "")
        }
        Err(StorageError::NotFound | StorageError::CommentPeriodClosed) => answer(
            &headers,
            form.case,
            StatusCode::CONFLICT,
            "closed",
            "This case is not open for public comment.",
        ),
        Err(error) => {
            tracing::error!(%error, "public comment: storage error");
            json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The council's records cannot be reached right now. Please try again later.",
            )
        }
    }
}
