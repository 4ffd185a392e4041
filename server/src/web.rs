//! The axum router: Leptos pages and server functions, static files, the
//! 404 page and `/healthz`, wrapped in tracing and compression layers.

use crate::health::healthz;
use crate::security::{self, RateLimits};
use app::functions::ssr::Settings;
use app::{App, shell};
use axum::Router;
use axum::extract::Request;
use axum::middleware;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use std::sync::Arc;
use storage::SharedStorage;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

/// The site's static files (the bundle under `/pkg`, the favicon, robots.txt),
/// served by tower-http before Leptos's fallback is reached. leptos_axum's
/// file handler applies the `ResponseOptions` it finds in the reactive
/// owner current on the thread, which can be another request's: under
/// load a bundle chunk was once answered with a members-only page's 401
/// (its body intact), and the page never hydrated.
fn static_files(options: &LeptosOptions) -> Router {
    let root = std::path::PathBuf::from(options.site_root.as_ref());
    Router::new()
        .nest_service(
            &format!("/{}", options.site_pkg_dir.trim_matches('/')),
            tower_http::services::ServeDir::new(root.join(options.site_pkg_dir.as_ref())),
        )
        .route_service(
            "/favicon.svg",
            tower_http::services::ServeFile::new(root.join("favicon.svg")),
        )
        .route_service(
            "/robots.txt",
            tower_http::services::ServeFile::new(root.join("robots.txt")),
        )
}

pub fn router(
    options: LeptosOptions,
    storage: SharedStorage,
    settings: Settings,
    limits: RateLimits,
) -> Router {
    let routes = generate_route_list(App);
    let files = static_files(&options);
    let allowed_origins = security::AllowedOrigins::of_public_url(&settings.public_url);
    let settings_url: Arc<str> = settings.public_url.trim_end_matches('/').into();
    let evidence_settings = settings.clone();
    let intake_log_key = settings.log_key.clone();
    let witness_policy = settings.witnesses.clone();
    let context = {
        let storage = storage.clone();
        move || {
            provide_context(storage.clone());
            provide_context(settings.clone());
            provide_context(app::functions::ssr::RequestSession::default());
            // The page's scripts carry the nonce that the security middleware
            // made for this request and writes into the page's policy.
            if let Some(nonce) = use_context::<axum::http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<security::CspNonce>().cloned())
            {
                provide_context(leptos::nonce::Nonce::from_value(nonce.0));
            }
        }
    };

    let api = Router::new()
        .route("/healthz", get(healthz))
        .route("/language/{tag}", get(language))
        .route("/i18n/{file}", get(french_tables))
        .route("/log/key", get(crate::log_api::key))
        .route("/log/checkpoint", get(crate::log_api::checkpoint))
        .route("/log/tile/{*path}", get(crate::log_api::tile))
        .route("/log/entry/{index}", get(crate::log_api::entry))
        .route("/log/proof/inclusion", get(crate::log_api::inclusion))
        .route("/log/proof/consistency", get(crate::log_api::consistency))
        .with_state(storage.clone());

    let witnesses = Router::new()
        .route("/log/witnesses", get(crate::log_api::witnesses))
        .route(
            "/log/cosignature",
            axum::routing::post(crate::log_api::cosign),
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::log_api::MAX_COSIGNATURE_BYTES,
        ))
        .with_state(crate::log_api::WitnessState {
            storage: storage.clone(),
            policy: witness_policy,
        });

    let evidence = Router::new()
        .route(
            "/cases/{id}/evidence",
            axum::routing::post(crate::evidence::upload),
        )
        .route("/cases/{id}/evidence/{n}", get(crate::evidence::download))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::evidence::MAX_UPLOAD_BYTES,
        ))
        .with_state(crate::evidence::EvidenceState {
            storage: storage.clone(),
            settings: evidence_settings,
        });

    let public_comments = Router::new()
        .route(
            "/public-comments",
            axum::routing::post(crate::public_comments::submit),
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::public_comments::MAX_FORM_BYTES,
        ))
        .with_state(storage.clone());

    let public = Router::new()
        .route("/api/v1/decisions", get(crate::public_api::list))
        .route("/api/v1/decisions.jsonl", get(crate::public_api::export))
        .route("/api/v1/decisions/{case}", get(crate::public_api::record))
        .route("/api/v1/clauses/{code}", get(crate::public_api::clause))
        .route("/decisions.atom", get(crate::public_api::atom))
        .route("/decisions.json", get(crate::public_api::json_feed))
        .with_state(crate::public_api::PublicState {
            storage: storage.clone(),
            public_url: settings_url.clone(),
        });

    let intake = Router::new()
        .route(
            "/api/v1/cases",
            axum::routing::post(crate::intake_api::create_case),
        )
        .route("/api/v1/cases/{id}", get(crate::intake_api::case_status))
        .route(
            "/api/v1/cases/{id}/recommendations/{n}/answers",
            axum::routing::post(crate::intake_api::answer_recommendation),
        )
        .with_state(crate::intake_api::IntakeState {
            storage,
            public_url: settings_url.clone(),
            log_key: intake_log_key,
        });

    Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context(context, shell))
        .with_state(options)
        .merge(files)
        .merge(api)
        .merge(witnesses)
        .merge(intake)
        .merge(public)
        .merge(evidence)
        .merge(public_comments)
        .layer(middleware::from_fn(security::bad_requests_answer_400))
        .layer(middleware::from_fn_with_state(limits, security::rate_limit))
        .layer(middleware::from_fn_with_state(
            allowed_origins.clone(),
            security::same_origin,
        ))
        .layer(middleware::from_fn_with_state(
            allowed_origins,
            security::headers,
        ))
        // The fastest gzip level: on a decision page it cost 14 % of the
        // server's CPU at the default level, and pages shrink almost as much
        // (docs/benchmarks.md).
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                tracing::debug_span!(
                    "request",
                    method = %request.method(),
                    path = %loggable_path(request.uri().path()),
                )
            }),
        )
}

/// The request path as it may be logged: the secret in an invitation link
/// is left out, and so is the query string.
pub fn loggable_path(path: &str) -> &str {
    if path.starts_with("/invite/") {
        "/invite/{token}"
    } else {
        path
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct LanguageQuery {
    back: Option<String>,
}

/// `GET /language/{en|fr}?back=/path`: keeps the reader's choice of
/// language in a cookie (a year) and sends them back to the page they were
/// on (a path of this site only). Works without JavaScript.
/// The French tables French pages load before the bundle
/// (`app::i18n::script`). Its address names its content, so it is cached
/// for good; any other address under `/i18n/` is not found.
async fn french_tables(
    axum::extract::Path(file): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse as _;
    let script = app::i18n::script();
    if script.path.strip_prefix("/i18n/") != Some(file.as_str()) {
        return (StatusCode::NOT_FOUND, "no such file\n").into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        script.body.clone(),
    )
        .into_response()
}

async fn language(
    axum::extract::Path(tag): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<LanguageQuery>,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse as _;
    let Some(locale) = app::i18n::Locale::ALL.into_iter().find(|l| l.tag() == tag) else {
        return (StatusCode::NOT_FOUND, "no such language\n").into_response();
    };
    let back = query
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .filter(|b| !b.chars().any(char::is_control))
        .unwrap_or_else(|| "/".to_owned());
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, back),
            (
                header::SET_COOKIE,
                format!(
                    "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                    app::i18n::COOKIE,
                    locale.tag()
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
    )
        .into_response()
}
