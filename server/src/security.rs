//! The security baseline every response gets: a same-origin check on every
//! state-changing request (before routing, server functions included),
//! security headers, and rate limits on sign-in and enrollment.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": code, "message": message });
    (status, axum::Json(body)).into_response()
}

/// The site's own origin (`scheme://host[:port]`) from its public URL.
pub fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split('/').next().unwrap_or_default();
    format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    )
}

/// Refuses (403) any request other than GET or HEAD that a browser marks as
/// cross-site, or whose `Origin` is not this site's: the public URL's
/// origin, or the origin of the `Host` the request was sent to.
pub async fn same_origin(
    State(own_origin): State<Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    let foreign_origin = headers.get(header::ORIGIN).is_some_and(|origin| {
        let origin = origin.to_str().unwrap_or_default().to_ascii_lowercase();
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_ascii_lowercase);
        let same_host = host.is_some_and(|host| {
            origin == format!("http://{host}") || origin == format!("https://{host}")
        });
        origin != *own_origin && !same_host
    });
    if cross_site || foreign_origin {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-site request refused");
        return json_error(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "This request came from another site and was refused. Nothing was changed.",
        );
    }
    next.run(request).await
}

/// The policy of every other response (JSON, text, files): nothing runs.
const DEFAULT_POLICY: &str =
    "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The nonce that this response's page scripts carry, made fresh for each
/// request by [`headers`] and handed to the app (which writes it on its
/// script tags) through the request's extensions.
#[derive(Debug, Clone)]
pub struct CspNonce(pub Arc<str>);

/// 16 random bytes, hex.
fn fresh_nonce() -> Arc<str> {
    let mut bytes = [0u8; 16];
    if let Err(error) = getrandom::fill(&mut bytes) {
        // Without randomness the nonce is predictable: pages still render,
        // but their scripts are refused (the policy's nonce matches none).
        tracing::error!(%error, "no randomness for the page nonce");
    }
    domain::hex::encode(&bytes).into()
}

/// Adds the security headers to every response. HTML pages get a
/// Content-Security-Policy that allows only scripts carrying this request's
/// nonce; everything else gets a policy that allows nothing.
pub async fn headers(mut request: Request, next: Next) -> Response {
    let nonce = fresh_nonce();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let policy = if is_page {
        HeaderValue::from_str(&app::page_policy(&nonce))
            .unwrap_or(HeaderValue::from_static(DEFAULT_POLICY))
    } else {
        HeaderValue::from_static(DEFAULT_POLICY)
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Invitation links carry a secret in their path: never send it to
    // another site. (`no-referrer` would also make browsers send
    // `Origin: null` on this site's own plain form posts, which the
    // same-origin check must refuse.)
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// (client address, rule) → (start of the current window, requests in it).
type Windows = HashMap<(String, &'static str), (Instant, u32)>;

/// Requests per client address per minute on the limited paths.
#[derive(Debug, Clone)]
pub struct RateLimits {
    /// Path prefix → requests allowed per client per window.
    rules: Vec<(&'static str, u32)>,
    window: Duration,
    counts: Arc<Mutex<Windows>>,
}

impl RateLimits {
    /// Sign-in (challenge and answer), enrollment and the public comment
    /// form, `per_minute` each per
    /// client address. Counted per address, never per member, so a flood
    /// from one address cannot lock the member out from theirs.
    pub fn new(per_minute: u32) -> Self {
        Self {
            rules: vec![
                ("/api/sign_in_challenge", per_minute),
                ("/api/sign_in", per_minute),
                ("/api/enroll", per_minute),
                ("/public-comments", per_minute),
            ],
            window: Duration::from_secs(60),
            counts: Arc::default(),
        }
    }

    /// `Err(seconds to wait)` when this request is over its limit.
    fn check(&self, client: &str, path: &str) -> Result<(), u64> {
        let Some(&(rule, limit)) = self.rules.iter().find(|(prefix, _)| path == *prefix) else {
            return Ok(());
        };
        let now = Instant::now();
        let Ok(mut counts) = self.counts.lock() else {
            return Ok(());
        };
        if counts.len() > 100_000 {
            // Forget finished windows rather than grow without bound.
            let window = self.window;
            counts.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = counts.entry((client.to_owned(), rule)).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            let wait = self.window.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

pub async fn rate_limit(
    State(limits): State<RateLimits>,
    request: Request,
    next: Next,
) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string());
    if let Err(wait) = limits.check(&client, request.uri().path()) {
        let mut response = json_error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many attempts from this address. Please wait a minute and try again.",
        );
        if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_per_client_and_path() {
        let limits = RateLimits::new(2);
        assert!(limits.check("10.0.0.1", "/api/sign_in").is_ok());
        assert!(limits.check("10.0.0.1", "/api/sign_in").is_ok());
        assert!(limits.check("10.0.0.1", "/api/sign_in").is_err());
        // Another address, another path, an unlimited path: unaffected.
        assert!(limits.check("10.0.0.2", "/api/sign_in").is_ok());
        assert!(limits.check("10.0.0.1", "/api/enroll").is_ok());
        assert!(limits.check("10.0.0.1", "/api/council").is_ok());
    }

    #[test]
    fn the_origin_of_a_public_url() {
        assert_eq!(
            origin_of("https://Tribune.example.org/"),
            "https://tribune.example.org"
        );
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
    }
}
