//! Evidence on a case, for members: `POST /cases/{id}/evidence` (a plain
//! multipart form, so it works without JavaScript) and
//! `GET /cases/{id}/evidence/{n}` (always a download: `Content-Disposition:
//! attachment`, the type found from the bytes, `nosniff`).

use crate::security::json_error;
use app::functions::ssr::{Settings, session_member};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::cases::{CaseId, EvidenceContent, EvidenceError, MAX_EVIDENCE_BYTES};
use domain::members::Action;
use storage::{Member, SharedStorage, StorageError};

#[derive(Clone)]
pub struct EvidenceState {
    pub storage: SharedStorage,
    pub settings: Settings,
}

/// The request body limit of an upload: the largest file and the form's
/// other fields.
pub const MAX_UPLOAD_BYTES: usize = MAX_EVIDENCE_BYTES + 64 * 1024;

/// The signed-in member who may read cases, or the answer to give.
async fn member(state: &EvidenceState, headers: &HeaderMap) -> Result<Member, Response> {
    match session_member(&state.storage, &state.settings, headers).await {
        Ok(Some((_, member))) if member.role.may(Action::ReadCases) => Ok(member),
        Ok(_) => Err(json_error(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Evidence is for council members: sign in first.",
        )),
        Err(error) => {
            tracing::error!(%error, "evidence: no session");
            Err(json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The council's records cannot be reached right now.",
            ))
        }
    }
}

/// Why an upload was refused: a stable code, its status and a message.
fn refusal(error: &EvidenceError) -> (&'static str, StatusCode) {
    match error {
        EvidenceError::TooLarge => ("too_large", StatusCode::PAYLOAD_TOO_LARGE),
        EvidenceError::FileType => ("file_type", StatusCode::UNSUPPORTED_MEDIA_TYPE),
        EvidenceError::Title => ("title", StatusCode::UNPROCESSABLE_ENTITY),
        EvidenceError::Text => ("text", StatusCode::UNPROCESSABLE_ENTITY),
        EvidenceError::Link => ("link", StatusCode::UNPROCESSABLE_ENTITY),
        EvidenceError::NoFile => ("no_file", StatusCode::UNPROCESSABLE_ENTITY),
    }
}

/// The refusal of an upload: JSON with its status for API clients; for a
/// browser's form, back to the case page, which names the problem.
fn refuse(
    headers: &HeaderMap,
    case: u64,
    code: &str,
    status: StatusCode,
    message: &str,
) -> Response {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if wants_json {
        json_error(status, code, message)
    } else {
        Redirect::to(&format!("/cases/{case}?evidence_error={code}#evidence")).into_response()
    }
}

/// `POST /cases/{id}/evidence`: fields `kind` (`text`, `link`, `file`),
/// `title`, and `text`, `url` or `file`.
pub async fn upload(
    State(state): State<EvidenceState>,
    Path(case): Path<u64>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let member = match member(&state, &headers).await {
        Ok(member) => member,
        Err(response) => return response,
    };
    let (mut kind, mut title, mut text, mut url) =
        (String::new(), String::new(), String::new(), String::new());
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                let status = error.status();
                let (code, message) = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    ("too_large", EvidenceError::TooLarge.to_string())
                } else {
                    ("bad_form", format!("The form could not be read: {error}"))
                };
                return refuse(&headers, case, code, status, &message);
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(error) => {
                let status = error.status();
                let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    "too_large"
                } else {
                    "bad_form"
                };
                return refuse(&headers, case, code, status, &error.body_text());
            }
        };
        let as_text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "kind" => kind = as_text(),
            "title" => title = as_text(),
            "text" => text = as_text(),
            "url" => url = as_text(),
            "file" => file = Some((file_name.unwrap_or_default(), bytes.to_vec())),
            _ => {}
        }
    }
    let content = domain::cases::evidence_title(&title).and_then(|title| {
        let content = match kind.trim() {
            "text" => EvidenceContent::text(&text),
            "link" => EvidenceContent::link(&url),
            _ => match file.take() {
                Some((name, bytes)) if !bytes.is_empty() => EvidenceContent::file(&name, bytes),
                _ => Err(EvidenceError::NoFile),
            },
        }?;
        Ok((title, content))
    });
    let (title, content) = match content {
        Ok(checked) => checked,
        Err(error) => {
            let (code, status) = refusal(&error);
            let mut message = error.to_string();
            if let Some(first) = message.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            return refuse(&headers, case, code, status, &format!("{message}."));
        }
    };
    match state
        .storage
        .add_evidence(CaseId(case), member.id, &title, &content, storage::now())
        .await
    {
        Ok(id) => {
            tracing::info!(case, evidence = id, member = %member.id, kind = content.kind(), "evidence added");
            Redirect::to(&format!("/cases/{case}#evidence")).into_response()
        }
        Err(StorageError::NotFound) => {
            json_error(StatusCode::NOT_FOUND, "not_found", "No such case.")
        }
        Err(StorageError::CaseClosed) => refuse(
            &headers,
            case,
            "case_closed",
            StatusCode::CONFLICT,
            "The case is closed: no more evidence.",
        ),
        Err(error) => {
            tracing::error!(%error, "evidence: storage error");
            json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The council's records cannot be reached right now.",
            )
        }
    }
}

/// `GET /cases/{id}/evidence/{n}`: the file, as a download.
pub async fn download(
    State(state): State<EvidenceState>,
    Path((case, id)): Path<(u64, u64)>,
    headers: HeaderMap,
) -> Response {
    if let Err(response) = member(&state, &headers).await {
        return response;
    }
    match state.storage.evidence_file(CaseId(case), id).await {
        Ok(Some(file)) => {
            let mut response = file.data.into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&file.content_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            // The stored name is already free of quotes, `;` and control
            // characters; keep it ASCII for the header.
            let ascii: String = file
                .file_name
                .chars()
                .map(|c| {
                    if c.is_ascii_graphic() || c == ' ' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            if let Ok(value) = HeaderValue::from_str(&domain::hex::encode(&file.sha256)) {
                headers.insert("x-content-sha256", value);
            }
            response
        }
        Ok(None) => json_error(StatusCode::NOT_FOUND, "not_found", "No such evidence file."),
        Err(error) => {
            tracing::error!(%error, "evidence: storage error");
            json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The council's records cannot be reached right now.",
            )
        }
    }
}
