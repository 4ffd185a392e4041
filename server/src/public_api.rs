//! The public record as data, for anyone: the decision log as JSON (same
//! filters as the `/decisions` page), one decision's whole public record,
//! the bulk export (JSON Lines, headed by the checkpoint it corresponds
//! to), and the Atom and JSON Feed feeds of decisions.

use crate::security::json_error;
use app::error::AppError;
use app::functions::public::DecisionQuery;
use app::i18n::Locale;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use storage::{DecisionSummary, SharedStorage, StorageError};

#[derive(Clone)]
pub struct PublicState {
    pub storage: SharedStorage,
    /// The site's public address, for absolute links in feeds.
    pub public_url: Arc<str>,
}

/// Decisions in a feed.
const FEED_ITEMS: u32 = 50;
/// Decisions per page of the JSON list, unless `limit` says fewer.
const API_PAGE: u32 = 50;
/// How long the list and the feeds may be cached (they change with each
/// publication).
const LIST_CACHE: &str = "public, max-age=30";
/// How long one decision's record may be cached before revalidating (the
/// platform's answers to its recommendations still arrive).
const RECORD_CACHE: &str = "public, max-age=300, must-revalidate";

fn unavailable(error: &StorageError) -> Response {
    tracing::error!(%error, "public API: storage error");
    json_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "The council's records cannot be reached right now. Please retry later.",
    )
}

fn app_error(error: AppError) -> Response {
    match error {
        AppError::Invalid(message) => {
            json_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_filter", &message)
        }
        other => json_error(
            StatusCode::from_u16(other.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            other.code(),
            &other.to_string(),
        ),
    }
}

/// A strong validator of a body: its SHA-256, quoted.
fn etag(body: &[u8]) -> String {
    format!("\"{}\"", domain::hex::encode(&Sha256::digest(body)))
}

/// The body with its ETag and cache policy, or 304 when the client holds it.
fn cached(request: &HeaderMap, content_type: &str, cache: &str, body: Vec<u8>) -> Response {
    let tag = etag(&body);
    let headers = [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (header::CACHE_CONTROL, cache.to_owned()),
        (header::ETAG, tag.clone()),
    ];
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        (StatusCode::NOT_MODIFIED, headers).into_response()
    } else {
        (headers, body).into_response()
    }
}

/// The list's query string: the page's filters, `before` and `limit`.
/// (Spelled out rather than flattened: flattening loses the numbers' types
/// in a query string.)
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    kind: String,
    tier: String,
    clause: String,
    outcome: String,
    group: String,
    choice: String,
    from: String,
    until: String,
    q: String,
    before: Option<u64>,
    limit: Option<u32>,
}

impl ListParams {
    fn query(self) -> (DecisionQuery, Option<u32>) {
        let Self {
            kind,
            tier,
            clause,
            outcome,
            group,
            choice,
            from,
            until,
            q,
            before,
            limit,
        } = self;
        (
            DecisionQuery {
                kind,
                tier,
                clause,
                outcome,
                group,
                choice,
                from,
                until,
                q,
                before,
            },
            limit,
        )
    }
}

fn summary_json(d: &DecisionSummary) -> serde_json::Value {
    json!({
        "case": d.case.0,
        "subject_handle": d.subject_handle,
        "kind": d.kind,
        "tier": d.tier,
        "log_index": d.log_index,
        "published_at": domain::Timestamp(d.body.published_at).to_rfc3339(),
        "outcomes": d.body.motions.iter().map(|m| json!({
            "motion": m.motion.0,
            "outcome": storage::outcome_name(m.outcome),
        })).collect::<Vec<_>>(),
        "clauses": d.body.record.clauses.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "opinions": d.body.opinions.len(),
        "record": format!("/api/v1/decisions/{}", d.case.0),
        "page": format!("/decisions/{}", d.case.0),
    })
}

/// `GET /api/v1/decisions`: a page of the decision log, newest first.
pub async fn list(
    State(state): State<PublicState>,
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> Response {
    let (query, limit) = params.query();
    let limit = limit.unwrap_or(API_PAGE).clamp(1, 200);
    let filter = match query.to_filter(limit) {
        Ok(filter) => filter,
        Err(error) => return app_error(error),
    };
    let page = match state.storage.decision_log(&filter).await {
        Ok(page) => page,
        Err(error) => return unavailable(&error),
    };
    let next = page.next.map(|before| {
        let filters = query.to_query_string();
        let sep = if filters.is_empty() { "" } else { "&" };
        format!("/api/v1/decisions?{filters}{sep}limit={limit}&before={before}")
    });
    let body = json!({
        "decisions": page.decisions.iter().map(summary_json).collect::<Vec<_>>(),
        "next": next,
    });
    cached(
        &headers,
        "application/json",
        LIST_CACHE,
        body.to_string().into_bytes(),
    )
}

/// `GET /api/v1/decisions/{case}`: the whole public record of a decision
/// ([`domain::public::PublishedDecision`]).
pub async fn record(
    State(state): State<PublicState>,
    headers: HeaderMap,
    Path(case): Path<String>,
) -> Response {
    let Ok(case) = case.parse::<u64>() else {
        return json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "There is no published decision on this case.",
        );
    };
    match state
        .storage
        .published_decision(domain::cases::CaseId(case))
        .await
    {
        Ok(Some(record)) => match serde_json::to_vec(&record) {
            Ok(body) => cached(&headers, "application/json", RECORD_CACHE, body),
            Err(_) => json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "The record could not be written.",
            ),
        },
        Ok(None) => json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "There is no published decision on this case.",
        ),
        Err(error) => unavailable(&error),
    }
}

/// `GET /api/v1/clauses/{code}`: a clause's consistency report (outcomes
/// per kind of case and tier, departures from precedent not distinguished)
/// and every decision that applied it, in log order.
pub async fn clause(
    State(state): State<PublicState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    let not_found = || {
        json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "There is no such clause in the policy catalogue.",
        )
    };
    let Ok(code) = domain::cases::ClauseCode::parse(&code) else {
        return not_found();
    };
    let result = async {
        let title = state
            .storage
            .clauses()
            .await?
            .into_iter()
            .find(|c| c.code == code)
            .map(|c| c.title);
        let kept = state.storage.clause_report(&code).await?;
        Ok::<_, StorageError>((title, kept))
    }
    .await;
    match result {
        Ok((None, kept)) if kept.decisions.is_empty() => not_found(),
        Ok((title, kept)) => {
            let body = json!({
                "clause": code.as_str(),
                "title": title,
                "report": kept.report,
                "decisions": kept.decisions,
            });
            cached(
                &headers,
                "application/json",
                "public, max-age=30",
                body.to_string().into_bytes(),
            )
        }
        Err(error) => unavailable(&error),
    }
}

/// `GET /api/v1/decisions.jsonl`: every published decision's record, one
/// per line, newest first, after a first line naming the signed checkpoint
/// it corresponds to (every entry a record names is under it). Streamed a
/// page at a time.
///
/// The export changes only with the log: its `ETag` is the checkpoint's, so
/// a client or a cache that holds the export of this checkpoint gets `304`
/// without the server reading a single record.
pub async fn export(
    State(state): State<PublicState>,
    Query(params): Query<ExportParams>,
    request: HeaderMap,
) -> Response {
    let storage = state.storage.clone();
    // At the latest checkpoint, or at the one of `size` that a verifier
    // pinned (the log may grow while it checks).
    let found = match params.size {
        None => storage.latest_checkpoint().await,
        Some(size) => storage.checkpoint_note(size).await,
    };
    let checkpoint = match found {
        Ok(Some(note)) => note,
        Ok(None) if params.size.is_some() => {
            return json_error(
                StatusCode::NOT_FOUND,
                "no_such_checkpoint",
                "The log published no checkpoint of that size.",
            );
        }
        Ok(None) => {
            return json_error(
                StatusCode::NOT_FOUND,
                "not_founded",
                "No council has been founded yet.",
            );
        }
        Err(error) => return unavailable(&error),
    };
    let size = checkpoint_size(&checkpoint);
    let tag = format!("\"checkpoint-{}\"", &etag(checkpoint.as_bytes())[1..17]);
    let held = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if held {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, tag),
                (header::CACHE_CONTROL, LIST_CACHE.to_owned()),
            ],
        )
            .into_response();
    }
    // State: text to send first, then the next page's cursor (None once done).
    let first = export_head(&checkpoint, size);
    let stream = futures_util::stream::unfold(
        (Some(first), Some(None::<u64>)),
        move |(pending, cursor)| {
            let storage = storage.clone();
            async move {
                if let Some(text) = pending {
                    return Some((Ok::<_, std::io::Error>(text), (None, cursor)));
                }
                let before = cursor?;
                match records_page(&storage, before, size).await {
                    Ok((chunk, next)) => Some((Ok(chunk), (None, next.map(Some)))),
                    Err(error) => {
                        tracing::error!(%error, "decision export failed");
                        Some((Err(std::io::Error::other(error.to_string())), (None, None)))
                    }
                }
            }
        },
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/jsonl; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(LIST_CACHE)),
            (
                header::ETAG,
                HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"\"")),
            ),
        ],
        // Fused: the body may be polled again after the stream ends.
        Body::from_stream(futures_util::StreamExt::fuse(stream)),
    )
        .into_response()
}

/// The bulk export's one parameter: the size of the checkpoint the records
/// are wanted at (the latest one without it).
#[derive(Debug, Default, Deserialize)]
pub struct ExportParams {
    size: Option<u64>,
}

/// The tree size a signed checkpoint states (its second line).
pub fn checkpoint_size(note: &str) -> u64 {
    note.lines()
        .nth(1)
        .and_then(|line| line.parse().ok())
        .unwrap_or(0)
}

/// The first line of the bulk export: the checkpoint it corresponds to.
pub fn export_head(checkpoint: &str, size: u64) -> String {
    let head = json!({
        "format": "tribune-decisions/1",
        "checkpoint": checkpoint,
        "size": size,
    });
    format!("{head}\n")
}

/// One page of the bulk export (newest first, from `before`): the records
/// of decisions logged under the first `size` entries, one JSON line each,
/// and where the next page starts.
pub async fn records_page(
    storage: &SharedStorage,
    before: Option<u64>,
    size: u64,
) -> Result<(String, Option<u64>), StorageError> {
    let page = storage
        .decision_log(&storage::DecisionFilter {
            before,
            limit: 100,
            ..Default::default()
        })
        .await?;
    let mut chunk = String::new();
    for summary in page.decisions.iter().filter(|d| d.log_index < size) {
        if let Some(mut record) = storage.published_decision(summary.case).await? {
            // Answers logged after the checkpoint are for the next export.
            record.answers.retain(|a| a.log_index < size);
            let line =
                serde_json::to_string(&record).map_err(|e| StorageError::Corrupt(e.to_string()))?;
            chunk.push_str(&line);
            chunk.push('\n');
        }
    }
    Ok((chunk, page.next))
}

async fn latest(state: &PublicState) -> Result<(String, Vec<DecisionSummary>), StorageError> {
    let name = state
        .storage
        .council()
        .await?
        .map(|c| c.name.to_string())
        .unwrap_or_else(|| "Tribune".to_owned());
    let page = state
        .storage
        .decision_log(&storage::DecisionFilter {
            limit: FEED_ITEMS,
            ..Default::default()
        })
        .await?;
    Ok((name, page.decisions))
}

/// A feed item's title and summary, in the feed's language.
fn item_text(locale: Locale, d: &DecisionSummary) -> (String, String) {
    use app::i18n::{kind_name, outcome_name, ruling_name, tier_name};
    use domain::cases::{CaseKind, Tier};
    let outcomes: Vec<&str> = d
        .body
        .motions
        .iter()
        .map(|m| outcome_name(locale, m.outcome))
        .collect();
    let ruling = d.ruling.map(|r| ruling_name(locale, r));
    // How it ended in plain words when its motions said, else the outcomes.
    let ended = ruling.map_or_else(|| outcomes.join(", "), str::to_owned);
    let kind = CaseKind::parse(&d.kind).map_or(d.kind.as_str(), |k| kind_name(locale, k));
    let tier = Tier::parse(&d.tier).map_or(d.tier.as_str(), |t| tier_name(locale, t));
    let clauses: Vec<&str> = d.body.record.clauses.iter().map(|c| c.as_str()).collect();
    let (case, handle, index) = (d.case.0, &d.subject_handle, d.log_index);
    let opinions = d.body.opinions.len();
    match locale {
        Locale::En => {
            let article = if tier.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            (
                format!("Case {case}: {handle} — {ended}"),
                format!(
                    "A {kind} case about {article} {tier} account. {}Outcome: {}.{} \
                     {opinions} signed opinion{}. Log entry {index}.",
                    ruling.map(|r| format!("Ruling: {r}. ")).unwrap_or_default(),
                    outcomes.join(", "),
                    if clauses.is_empty() {
                        String::new()
                    } else {
                        format!(" Clauses applied: {}.", clauses.join(", "))
                    },
                    if opinions == 1 { "" } else { "s" },
                ),
            )
        }
        Locale::Fr => (
            format!("Affaire {case} : {handle} — {ended}"),
            format!(
                "Une affaire de {kind} concernant un compte {tier}. {}Résultat : {}.{} \
                 {opinions} opinion{} signée{}. Entrée {index} du journal.",
                ruling
                    .map(|r| format!("Décision : {r}. "))
                    .unwrap_or_default(),
                outcomes.join(", "),
                if clauses.is_empty() {
                    String::new()
                } else {
                    format!(" Clauses appliquées : {}.", clauses.join(", "))
                },
                if opinions > 1 { "s" } else { "" },
                if opinions > 1 { "s" } else { "" },
            ),
        ),
    }
}

/// A feed's language: `?lang=fr` for French, English otherwise (a feed
/// reader sends no language cookie, so the address says it).
#[derive(Debug, Default, Deserialize)]
pub struct FeedParams {
    #[serde(default)]
    lang: String,
}

impl FeedParams {
    fn locale(&self) -> Locale {
        if self.lang == "fr" {
            Locale::Fr
        } else {
            Locale::En
        }
    }

    /// What the feed's own address adds for its language.
    fn suffix(&self) -> &'static str {
        match self.locale() {
            Locale::Fr => "?lang=fr",
            Locale::En => "",
        }
    }
}

/// The feed's title: "Harbour Council — decisions".
fn feed_title(locale: Locale, name: &str) -> String {
    match locale {
        Locale::En => format!("{name} — decisions"),
        Locale::Fr => format!("{name} — décisions"),
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /decisions.atom`: the latest decisions as an Atom feed.
pub async fn atom(
    State(state): State<PublicState>,
    Query(params): Query<FeedParams>,
    headers: HeaderMap,
) -> Response {
    let (locale, suffix) = (params.locale(), params.suffix());
    let (name, decisions) = match latest(&state).await {
        Ok(found) => found,
        Err(error) => return unavailable(&error),
    };
    let base = &state.public_url;
    let updated = decisions.first().map_or_else(
        || domain::Timestamp(0).to_rfc3339(),
        |d| domain::Timestamp(d.body.published_at).to_rfc3339(),
    );
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{}</title>\n\
         <id>{base}/decisions.atom{suffix}</id>\n\
         <link rel=\"alternate\" href=\"{base}/decisions\"/>\n\
         <link rel=\"self\" href=\"{base}/decisions.atom{suffix}\"/>\n\
         <updated>{updated}</updated>\n\
         <author><name>{}</name></author>\n",
        xml_escape(&feed_title(locale, &name)),
        xml_escape(&name),
        lang = locale.tag(),
    );
    for d in &decisions {
        let (title, summary) = item_text(locale, d);
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}/decisions/{case}</id>\n\
             <link rel=\"alternate\" href=\"{base}/decisions/{case}\"/>\n\
             <updated>{at}</updated>\n<published>{at}</published>\n\
             <summary>{}</summary>\n</entry>\n",
            xml_escape(&title),
            xml_escape(&summary),
            case = d.case.0,
            at = domain::Timestamp(d.body.published_at).to_rfc3339(),
        ));
    }
    xml.push_str("</feed>\n");
    cached(
        &headers,
        "application/atom+xml; charset=utf-8",
        LIST_CACHE,
        xml.into_bytes(),
    )
}

/// `GET /decisions.json`: the latest decisions as a JSON Feed (1.1).
pub async fn json_feed(
    State(state): State<PublicState>,
    Query(params): Query<FeedParams>,
    headers: HeaderMap,
) -> Response {
    let (locale, suffix) = (params.locale(), params.suffix());
    let (name, decisions) = match latest(&state).await {
        Ok(found) => found,
        Err(error) => return unavailable(&error),
    };
    let base = &state.public_url;
    let items: Vec<serde_json::Value> = decisions
        .iter()
        .map(|d| {
            let (title, summary) = item_text(locale, d);
            json!({
                "id": format!("{base}/decisions/{}", d.case.0),
                "url": format!("{base}/decisions/{}", d.case.0),
                "title": title,
                "content_text": summary,
                "date_published": domain::Timestamp(d.body.published_at).to_rfc3339(),
                "_tribune": {
                    "case": d.case.0,
                    "log_index": d.log_index,
                    "record": format!("{base}/api/v1/decisions/{}", d.case.0),
                },
            })
        })
        .collect();
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed_title(locale, &name),
        "language": locale.tag(),
        "home_page_url": format!("{base}/decisions"),
        "feed_url": format!("{base}/decisions.json{suffix}"),
        "items": items,
    });
    cached(
        &headers,
        "application/feed+json",
        LIST_CACHE,
        feed.to_string().into_bytes(),
    )
}
