//! What every server function needs on the server: the storage, the
//! server's settings (log key, cookie policy), the signed-in member and the
//! one permission check.

use crate::error::AppError;
use domain::members::{Action, MemberStatus, SessionId};
use domain::note::NoteSigner;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use storage::{Member, SharedStorage};

/// The server's settings, provided to every request's context.
#[derive(Clone)]
pub struct Settings {
    /// The log signing key (`None` before `tribune init`, or when the key
    /// file is missing: then nothing can be appended to the log).
    pub log_key: Option<Arc<NoteSigner>>,
    /// The public address of the site (`https://tribune.example.org`),
    /// used in invitation links and for the same-origin check.
    pub public_url: String,
    /// How long an invitation link stays valid.
    pub invitation_ttl_seconds: i64,
    /// How long a session lasts.
    pub session_ttl_seconds: i64,
    /// The council's witness policy: whose cosignatures make a checkpoint
    /// (and the decisions it covers) final. Empty: nothing is final.
    pub witnesses: Arc<domain::cosignature::CosignaturePolicy>,
}

impl Settings {
    /// Over HTTPS the session cookie is `__Host-` prefixed and `Secure`;
    /// over plain HTTP (local use only) it cannot be.
    pub fn secure(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn cookie_name(&self) -> &'static str {
        if self.secure() {
            "__Host-tribune_session"
        } else {
            "tribune_session"
        }
    }
}

/// The storage handle the server provides to every request's context.
pub fn storage() -> Result<SharedStorage, AppError> {
    use_context::<SharedStorage>().ok_or_else(|| {
        tracing::error!("no storage in the request context");
        AppError::Internal
    })
}

pub fn settings() -> Result<Settings, AppError> {
    use_context::<Settings>().ok_or_else(|| {
        tracing::error!("no settings in the request context");
        AppError::Internal
    })
}

/// The log key, needed by every change that is logged.
pub fn log_key() -> Result<Arc<NoteSigner>, AppError> {
    settings()?.log_key.ok_or_else(|| {
        tracing::error!("the log key is not loaded: changes cannot be logged");
        AppError::Unavailable
    })
}

/// Whether this request is a plain form post: a browser submitting a form
/// itself (asking for HTML), not a script calling the server function.
fn plain_form_post(parts: &http::request::Parts) -> bool {
    parts
        .headers
        .get(http::header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// Sets the response status from the error when answering a server
/// function call (they answer 200 otherwise; a page rendered on the server
/// chooses its own status) and passes the result on.
///
/// A plain form post (a browser asking for HTML) is not given the status:
/// Leptos answers it with a redirect back to the form's page, the reason in
/// its query string, and a browser follows no redirect whose status is an
/// error. When it succeeds, the redirect back carries `done=` and the
/// function's name, so that the page can say what was done (unless the
/// function chose where to go itself).
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return result;
    };
    let call = parts.uri.path().starts_with("/api/");
    let form_post = plain_form_post(&parts);
    let Some(response) = use_context::<ResponseOptions>() else {
        return result;
    };
    match &result {
        Err(error) if call && !form_post => response.set_status(
            http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        ),
        Err(error) if call => remember_refusal(parts.uri.path(), error),
        Ok(_) if call && form_post => back_with_done(&parts, &response),
        _ => {}
    }
    result
}

/// Redirects a successful plain form post back to its page with
/// `done=<function>` (and without an earlier refusal or `done`).
fn back_with_done(parts: &http::request::Parts, response: &ResponseOptions) {
    let chosen = response
        .0
        .read()
        .map(|r| r.headers.contains_key(http::header::LOCATION))
        .unwrap_or(true);
    let referer = parts
        .headers
        .get(http::header::REFERER)
        .and_then(|r| r.to_str().ok());
    let (Some(referer), false) = (referer, chosen) else {
        return;
    };
    let done = parts.uri.path().rsplit('/').next().unwrap_or_default();
    leptos_axum::redirect(&with_done(referer, done));
}

/// `referer` without its fragment, its refusal (`__path`, `__err`) and an
/// earlier `done`, with `done=<done>` added.
pub fn with_done(referer: &str, done: &str) -> String {
    let referer = referer.split('#').next().unwrap_or_default();
    let (path, query) = referer.split_once('?').unwrap_or((referer, ""));
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            !pair.is_empty()
                && !["__path", "__err", "done"]
                    .iter()
                    .any(|key| pair.split('=').next() == Some(key))
        })
        .collect();
    let added = format!("done={}", crate::url_encode(done));
    pairs.push(&added);
    format!("{path}?{}", pairs.join("&"))
}

/// The cookie that carries a plain form post's refusal to the page the
/// browser is sent back to (see [`crate::routes::PageRefusal`]).
const REFUSAL: &str = "tribune_refusal";

/// Hands the refusal of the plain form post to server function `path` to
/// the page the browser returns to: Leptos's redirect also writes it into
/// the address, where anyone could write any text, so pages read it from
/// here instead. Short-lived, HttpOnly, SameSite=Strict.
fn remember_refusal(path: &str, error: &AppError) {
    let Ok(json) = serde_json::to_vec(&(path, error)) else {
        return;
    };
    if write_cookie(REFUSAL, &domain::hex::encode(&json), "/", 60).is_err() {
        tracing::warn!("the refusal of a form post could not be handed to its page");
    }
}

/// The refusal handed over by [`remember_refusal`], if any; it is removed
/// from the browser with this answer.
pub fn take_refusal() -> Option<(String, AppError)> {
    let parts = use_context::<http::request::Parts>()?;
    let hex = cookie_in(&parts.headers, REFUSAL)?;
    if hex.is_empty() {
        return None;
    }
    let _ = write_cookie(REFUSAL, "", "/", 0);
    let json = domain::hex::decode(&hex)?;
    serde_json::from_slice(&json).ok()
}

/// The name of the cookie that carries a secret to be shown once (an
/// invitation link, an intake token) from a plain form post to the page it
/// returns to.
const SHOWN_ONCE: &str = "tribune_shown_once";

/// After a plain form post, hands `value` to the admin page that the browser
/// returns to, in a short-lived cookie that only the server reads (HttpOnly,
/// SameSite=Strict, path `/admin`), removed as soon as it is shown. A script
/// calling the function gets the value in the answer instead.
pub fn show_once(value: &str) -> Result<(), AppError> {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(());
    };
    if !plain_form_post(&parts) {
        return Ok(());
    }
    once_cookie(Some(&domain::hex::encode(value.as_bytes())))
}

/// The value handed over by [`show_once`], if any; it is removed from the
/// browser with this answer.
pub fn take_shown_once() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let hex = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            pair.trim()
                .strip_prefix(&format!("{SHOWN_ONCE}="))
                .map(str::to_owned)
        })?;
    if hex.is_empty() {
        return None;
    }
    let _ = once_cookie(None);
    let bytes = domain::hex::decode(&hex)?;
    String::from_utf8(bytes).ok()
}

fn once_cookie(value: Option<&str>) -> Result<(), AppError> {
    match value {
        Some(value) => write_cookie(SHOWN_ONCE, value, "/admin", 300),
        None => write_cookie(SHOWN_ONCE, "", "/admin", 0),
    }
}

/// Adds a `Set-Cookie` for `name` to the answer: HttpOnly, SameSite=Strict,
/// Secure when the site is served over HTTPS; `max_age` 0 removes it.
fn write_cookie(name: &str, value: &str, path: &str, max_age: i64) -> Result<(), AppError> {
    let settings = settings()?;
    let Some(response) = use_context::<ResponseOptions>() else {
        return Err(AppError::Internal);
    };
    let secure = if settings.secure() { "; Secure" } else { "" };
    let cookie = format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    );
    let cookie = http::HeaderValue::from_str(&cookie).map_err(|_| AppError::Internal)?;
    response.append_header(http::header::SET_COOKIE, cookie);
    Ok(())
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// 32 random bytes, as lower-case hex: invitation links and session cookies.
pub fn random_token() -> Result<(String, [u8; 32]), AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no randomness");
        AppError::Internal
    })?;
    let token = domain::hex::encode(&bytes);
    let hash = sha256(token.as_bytes());
    Ok((token, hash))
}

/// The request's headers.
async fn headers() -> Result<http::HeaderMap, AppError> {
    leptos_axum::extract::<http::HeaderMap>()
        .await
        .map_err(|error| {
            tracing::error!(%error, "cannot read the request headers");
            AppError::Internal
        })
}

/// The value of the cookie `name` in the request.
pub async fn cookie(name: &str) -> Result<Option<String>, AppError> {
    Ok(cookie_in(&headers().await?, name))
}

/// The value of the cookie `name` in `headers`.
pub fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

pub async fn user_agent() -> Result<String, AppError> {
    let headers = headers().await?;
    Ok(headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown browser")
        .chars()
        .take(200)
        .collect())
}

/// The request's signed-in member, looked up once however many of the
/// page's server functions ask (a member's case page asked six times, two
/// queries each). Provided afresh for each request by the server.
#[derive(Clone, Default)]
pub struct RequestSession(Arc<tokio::sync::OnceCell<Option<(SessionId, Member)>>>);

/// The signed-in member and their session, if the request carries a live
/// session of an active member.
pub async fn signed_in() -> Result<Option<(SessionId, Member)>, AppError> {
    let (storage, settings, headers) = (storage()?, settings()?, headers().await?);
    let lookup = session_member(&storage, &settings, &headers);
    match use_context::<RequestSession>() {
        Some(once) => once.0.get_or_try_init(|| lookup).await.cloned(),
        None => lookup.await,
    }
}

/// The live session of an active member that `headers` carry, if any (for
/// handlers outside the Leptos context too).
pub async fn session_member(
    storage: &SharedStorage,
    settings: &Settings,
    headers: &http::HeaderMap,
) -> Result<Option<(SessionId, Member)>, AppError> {
    let Some(token) = cookie_in(headers, settings.cookie_name()) else {
        return Ok(None);
    };
    let Some((session, member)) = storage
        .session(&sha256(token.as_bytes()), storage::now())
        .await?
    else {
        return Ok(None);
    };
    Ok(storage
        .member(member)
        .await?
        .filter(|m| m.status == MemberStatus::Active && m.active_key().is_some())
        .map(|m| (session, m)))
}

/// The one permission check: the signed-in member, if their role may take
/// `action`; otherwise `Unauthenticated` (nobody signed in) or `Forbidden`.
pub async fn authorize(action: Action) -> Result<(SessionId, Member), AppError> {
    let (session, member) = signed_in().await?.ok_or(AppError::Unauthenticated)?;
    if member.role.may(action) {
        Ok((session, member))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Sets the session cookie (or, with `None`, clears it).
pub fn set_session_cookie(token: Option<&str>) -> Result<(), AppError> {
    let settings = settings()?;
    match token {
        Some(token) => write_cookie(
            settings.cookie_name(),
            token,
            "/",
            settings.session_ttl_seconds,
        ),
        None => write_cookie(settings.cookie_name(), "", "/", 0),
    }
}

/// A prepared statement as the browser receives it to sign.
pub fn to_sign(statement: &domain::statement::Statement) -> Result<String, AppError> {
    serde_json::to_string(statement).map_err(|e| {
        tracing::error!(error = %e, "a statement could not be written as JSON");
        AppError::Internal
    })
}
