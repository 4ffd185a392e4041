//! The security baseline every response gets: a same-origin check on every
//! state-changing request (before routing, server functions included),
//! security headers, and rate limits on sign-in and enrollment.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": code, "message": message });
    (status, axum::Json(body)).into_response()
}

/// The origins whose state-changing requests are accepted: exactly the
/// public URL's origin (`scheme://host[:port]`, default port left out, as
/// browsers write `Origin`). The request's own `Host` is never trusted:
/// a page on `http://evil.example` resolving to this server (DNS rebinding)
/// would match it. A public URL on a loopback address (the default, for a
/// council tried on one machine) also accepts the other loopback names with
/// the same scheme and port, which no other site can have.
#[derive(Debug, Clone)]
pub struct AllowedOrigins(Arc<[String]>);

impl AllowedOrigins {
    pub fn of_public_url(public_url: &str) -> Self {
        let Ok(url) = url::Url::parse(public_url) else {
            tracing::error!(
                public_url,
                "the public URL cannot be parsed: every form post will be refused"
            );
            return Self(Arc::from(Vec::new()));
        };
        let own = url.origin().ascii_serialization();
        let mut origins = vec![own];
        let loopback = match url.host() {
            Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        if loopback {
            let port = url
                .port()
                .map(|port| format!(":{port}"))
                .unwrap_or_default();
            for host in ["localhost", "127.0.0.1", "[::1]"] {
                let origin = format!("{}://{host}{port}", url.scheme());
                if !origins.contains(&origin) {
                    origins.push(origin);
                }
            }
        }
        Self(Arc::from(origins))
    }

    /// Whether a request whose `Origin` header is `origin` is this site's.
    pub fn accepts(&self, origin: &str) -> bool {
        let Ok(url) = url::Url::parse(origin) else {
            return false;
        };
        let origin = url.origin().ascii_serialization();
        self.0.contains(&origin)
    }

    /// The public URL is served over HTTPS.
    pub fn https(&self) -> bool {
        self.0
            .first()
            .is_some_and(|own| own.starts_with("https://"))
    }
}

/// Refuses (403) any request other than GET or HEAD that a browser marks as
/// cross-site, or whose `Origin` is not one of [`AllowedOrigins`].
pub async fn same_origin(
    State(allowed): State<AllowedOrigins>,
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
    let foreign_origin = headers
        .get(header::ORIGIN)
        .is_some_and(|origin| !allowed.accepts(origin.to_str().unwrap_or_default()));
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

/// Leptos answers a server function whose arguments cannot be read with
/// 500, whatever the error says. Those are the caller's mistake: answered
/// 400 with the `bad_request` code (the body already says it). Only error
/// answers of `/api/` are read, and they are small.
pub async fn bad_requests_answer_400(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side. It has been logged.",
        );
    };
    let bad_request = serde_json::from_slice::<serde_json::Value>(&bytes)
        .is_ok_and(|error| error["error"] == "bad_request");
    if bad_request {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
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

/// The pages that show what only a signed-in member (or the holder of an
/// invitation link) may see: never kept by a browser or a shared cache.
const PRIVATE_PAGES: [&str; 5] = ["/cases", "/account", "/admin", "/dashboard", "/invite"];

fn private_page(path: &str) -> bool {
    PRIVATE_PAGES.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Adds the security headers to every response. HTML pages get a
/// Content-Security-Policy that allows only scripts carrying this request's
/// nonce; everything else gets a policy that allows nothing. Members' pages
/// and any answer that sets a cookie are `Cache-Control: no-store`; over
/// HTTPS every answer carries `Strict-Transport-Security`.
pub async fn headers(
    State(allowed): State<AllowedOrigins>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = fresh_nonce();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let private = private_page(request.uri().path());
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
    if private || headers.contains_key(header::SET_COOKIE) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if allowed.https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// A keyed GCRA limiter (governor): `per_minute` requests per key per
/// minute, in a burst or spread out.
type Limiter = governor::DefaultKeyedRateLimiter<(IpAddr, &'static str)>;

fn limiter(per_minute: u32) -> Limiter {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    governor::RateLimiter::keyed(governor::Quota::per_minute(per_minute))
}

/// Which requests are limited, per client address.
///
/// - Counted, every request: sign-in (challenge and answer), enrollment,
///   the invitation behind a link and the public comment form.
/// - Counted when they fail: intake-token and invitation lookups (an
///   intake call answered 401, an invitation link answered 404): a platform
///   with a valid token is not slowed, a client guessing tokens is stopped,
///   and once stopped, is answered 429 whether its next guess is right or not.
///
/// The client address is the connection's, or, when the connection comes
/// from a trusted proxy (`TRIBUNE_TRUSTED_PROXIES`), the address that proxy
/// names in `X-Forwarded-For` (or `Forwarded: for=`).
#[derive(Clone)]
pub struct RateLimits {
    /// Path → rule name, for the limits on every request.
    every: Arc<[(&'static str, &'static str)]>,
    requests: Arc<Limiter>,
    failures: Arc<Limiter>,
    /// Clients out of failed lookups: (address, rule) → until when.
    stopped: Arc<Mutex<HashMap<(IpAddr, &'static str), Instant>>>,
    trusted_proxies: Arc<[ipnet::IpNet]>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits")
            .field("every", &self.every)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

/// Paths whose failed answers count: path prefix, rule, failing statuses.
const FAILURE_RULES: [(&str, &str, &[u16]); 3] = [
    ("/api/v1/cases", "intake_token", &[401]),
    ("/invite/", "invitation", &[404, 409, 410]),
    ("/api/invitation", "invitation", &[404, 409, 410]),
];

impl RateLimits {
    /// `per_minute` each, per client address (never per member, so a flood
    /// from one address cannot lock a member out from theirs).
    pub fn new(per_minute: u32) -> Self {
        Self {
            every: Arc::from(vec![
                ("/api/sign_in_challenge", "sign_in_challenge"),
                ("/api/sign_in", "sign_in"),
                ("/api/enroll", "enroll"),
                ("/api/invitation", "invitation_lookup"),
                ("/public-comments", "public_comments"),
            ]),
            requests: Arc::new(limiter(per_minute)),
            failures: Arc::new(limiter(per_minute)),
            stopped: Arc::default(),
            trusted_proxies: Arc::from(Vec::new()),
        }
    }

    /// Trusts these proxies to name the client in `X-Forwarded-For` or
    /// `Forwarded`.
    pub fn trusting(mut self, proxies: &[ipnet::IpNet]) -> Self {
        self.trusted_proxies = Arc::from(proxies.to_vec());
        self
    }

    fn trusted(&self, address: IpAddr) -> bool {
        self.trusted_proxies
            .iter()
            .any(|net| net.contains(&address))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy;
    /// then the last address in the forwarding chain that is not itself a
    /// trusted proxy (what comes before it, the client could have written).
    /// A request without a peer address (a test calling the router
    /// directly) counts as `0.0.0.0`.
    pub fn client(&self, peer: Option<IpAddr>, headers: &axum::http::HeaderMap) -> IpAddr {
        let peer = peer.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        if !self.trusted(peer) {
            return peer;
        }
        let mut chain: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|hop| hop.trim().parse().ok())
            .collect();
        if chain.is_empty() {
            chain = headers
                .get_all(header::FORWARDED)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split([',', ';']))
                .filter_map(|pair| pair.trim().split_once('='))
                .filter(|(key, _)| key.eq_ignore_ascii_case("for"))
                .filter_map(|(_, value)| forwarded_address(value))
                .collect();
        }
        chain
            .into_iter()
            .rev()
            .find(|hop| !self.trusted(*hop))
            .unwrap_or(peer)
    }

    /// `Err(seconds to wait)` when this request is over its limit.
    fn check(&self, client: IpAddr, path: &str) -> Result<(), u64> {
        if let Some(&(_, rule)) = self.every.iter().find(|(limited, _)| path == *limited)
            && let Err(not_until) = self.requests.check_key(&(client, rule))
        {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ));
            return Err(wait.as_secs().max(1));
        }
        if let Some(rule) = failure_rule(path)
            && let Ok(stopped) = self.stopped.lock()
            && let Some(until) = stopped.get(&(client, rule.1))
        {
            let now = Instant::now();
            if *until > now {
                return Err(until.duration_since(now).as_secs().max(1));
            }
        }
        Ok(())
    }

    /// Counts a failed lookup; past the limit, stops the client for a while.
    fn failed(&self, client: IpAddr, rule: &'static str) {
        if let Err(not_until) = self.failures.check_key(&(client, rule)) {
            let wait = not_until
                .wait_time_from(governor::clock::Clock::now(
                    &governor::clock::DefaultClock::default(),
                ))
                .max(Duration::from_secs(1));
            if let Ok(mut stopped) = self.stopped.lock() {
                let now = Instant::now();
                stopped.retain(|_, until| *until > now);
                stopped.insert((client, rule), now + wait);
            }
        }
    }

    /// Forgets the keys whose limits have fully recovered.
    fn tidy(&self) {
        if self.requests.len() > 100_000 {
            self.requests.retain_recent();
        }
        if self.failures.len() > 100_000 {
            self.failures.retain_recent();
        }
    }
}

fn failure_rule(path: &str) -> Option<(&'static str, &'static str, &'static [u16])> {
    FAILURE_RULES
        .iter()
        .find(|(prefix, _, _)| path.starts_with(prefix))
        .copied()
}

/// The address in a `Forwarded` header's `for=` value: `192.0.2.7`,
/// `"[2001:db8::1]:4711"`, `192.0.2.7:80`; an obfuscated name is none.
fn forwarded_address(value: &str) -> Option<IpAddr> {
    let value = value.trim().trim_matches('"');
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    value
        .parse()
        .ok()
        .or_else(|| value.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok()))
}

pub async fn rate_limit(
    State(limits): State<RateLimits>,
    request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let client = limits.client(peer, request.headers());
    let path = request.uri().path().to_owned();
    limits.tidy();
    if let Err(wait) = limits.check(client, &path) {
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
    let response = next.run(request).await;
    if let Some((_, rule, failing)) = failure_rule(&path)
        && failing.contains(&response.status().as_u16())
    {
        limits.failed(client, rule);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn limits_count_per_client_and_path() {
        let limits = RateLimits::new(2);
        let (one, two) = (ip("10.0.0.1"), ip("10.0.0.2"));
        assert!(limits.check(one, "/api/sign_in").is_ok());
        assert!(limits.check(one, "/api/sign_in").is_ok());
        assert!(limits.check(one, "/api/sign_in").is_err());
        // Another address, another path, an unlimited path: unaffected.
        assert!(limits.check(two, "/api/sign_in").is_ok());
        assert!(limits.check(one, "/api/enroll").is_ok());
        assert!(limits.check(one, "/api/council").is_ok());
    }

    #[test]
    fn failed_lookups_stop_a_client_whatever_its_next_guess() {
        let limits = RateLimits::new(2);
        let (one, two) = (ip("10.0.0.1"), ip("10.0.0.2"));
        for _ in 0..5 {
            // Successful intake calls are never counted.
            assert!(limits.check(one, "/api/v1/cases").is_ok());
        }
        limits.failed(one, "intake_token");
        limits.failed(one, "intake_token");
        assert!(limits.check(one, "/api/v1/cases").is_ok());
        limits.failed(one, "intake_token");
        assert!(limits.check(one, "/api/v1/cases").is_err());
        assert!(limits.check(one, "/api/v1/cases/7").is_err());
        assert!(limits.check(two, "/api/v1/cases").is_ok());
        assert!(limits.check(one, "/invite/abc").is_ok());
    }

    #[test]
    fn only_a_trusted_proxy_names_the_client() {
        let proxies: Vec<ipnet::IpNet> =
            vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()];
        let limits = RateLimits::new(2).trusting(&proxies);
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut map = axum::http::HeaderMap::new();
            for (name, value) in pairs {
                map.append(*name, value.parse().unwrap());
            }
            map
        };
        let forwarded = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.1.1.1")]);
        // From a trusted proxy: the last hop that is not a trusted proxy.
        assert_eq!(
            limits.client(Some(ip("10.0.0.5")), &forwarded),
            ip("203.0.113.9")
        );
        // From anyone else, the header is the client's own words: ignored.
        assert_eq!(
            limits.client(Some(ip("198.51.100.4")), &forwarded),
            ip("198.51.100.4")
        );
        let standard = headers(&[(
            "forwarded",
            "for=\"[2001:db8::7]:4711\";proto=https, for=10.2.2.2",
        )]);
        assert_eq!(limits.client(Some(ip("::1")), &standard), ip("2001:db8::7"));
        assert_eq!(
            limits.client(Some(ip("10.0.0.5")), &headers(&[])),
            ip("10.0.0.5")
        );
        // Without trusted proxies nothing is taken from headers.
        assert_eq!(
            RateLimits::new(2).client(Some(ip("10.0.0.5")), &forwarded),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn only_the_public_urls_origin_is_accepted() {
        let https = AllowedOrigins::of_public_url("https://Tribune.example.org:443/council/");
        assert!(https.https());
        assert!(https.accepts("https://tribune.example.org"));
        assert!(https.accepts("HTTPS://TRIBUNE.EXAMPLE.ORG:443"));
        // Another scheme, port or host (DNS rebinding sends its own Host).
        assert!(!https.accepts("http://tribune.example.org"));
        assert!(!https.accepts("https://tribune.example.org:8443"));
        assert!(!https.accepts("http://evil.example"));
        assert!(!https.accepts("https://tribune.example.org.evil.example"));
        assert!(!https.accepts("null"));
        assert!(!https.accepts("https://localhost"));
    }

    #[test]
    fn members_pages_are_private() {
        for path in [
            "/cases",
            "/cases/12",
            "/account",
            "/admin",
            "/dashboard",
            "/invite/abc",
        ] {
            assert!(private_page(path), "{path}");
        }
        for path in [
            "/",
            "/decisions/3",
            "/casesx",
            "/members",
            "/log/checkpoint",
        ] {
            assert!(!private_page(path), "{path}");
        }
    }

    #[test]
    fn a_loopback_public_url_accepts_the_loopback_names() {
        let local = AllowedOrigins::of_public_url("http://127.0.0.1:3000");
        assert!(!local.https());
        for origin in [
            "http://127.0.0.1:3000",
            "http://localhost:3000",
            "http://[::1]:3000",
        ] {
            assert!(local.accepts(origin), "{origin}");
        }
        assert!(!local.accepts("http://localhost:3001"));
        assert!(!local.accepts("https://localhost:3000"));
        assert!(!local.accepts("http://evil.example:3000"));
    }
}
