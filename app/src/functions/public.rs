//! The public record, for anyone, signed in or not: the decision log with its
//! filters, and one decision's whole record.

use super::cases::ClauseView;
use super::council::DecisionSummaryView;
use crate::error::AppError;
use domain::public::PublishedDecision;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Decisions per page of the decision log.
pub const DECISION_PAGE_SIZE: u32 = 25;

/// The decision log's filters as the page's query string carries them
/// (empty: not filtered). Dates are `YYYY-MM-DD`, `until` inclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionQuery {
    pub kind: String,
    pub tier: String,
    pub clause: String,
    pub outcome: String,
    pub group: String,
    pub choice: String,
    pub from: String,
    pub until: String,
    pub q: String,
    pub before: Option<u64>,
}

impl DecisionQuery {
    /// The query string of these filters (without `before`).
    pub fn to_query_string(&self) -> String {
        crate::query_string(&[
            ("q", &self.q),
            ("kind", &self.kind),
            ("tier", &self.tier),
            ("clause", &self.clause),
            ("outcome", &self.outcome),
            ("group", &self.group),
            ("choice", &self.choice),
            ("from", &self.from),
            ("until", &self.until),
        ])
    }

    /// Whether any filter is set.
    pub fn is_filtered(&self) -> bool {
        !self.to_query_string().is_empty()
    }

    /// The storage filter these filters ask for, pages of `limit`; a clear
    /// error naming the filter that is not understood.
    #[cfg(feature = "ssr")]
    pub fn to_filter(&self, limit: u32) -> Result<storage::DecisionFilter, AppError> {
        use domain::cases::{CaseKind, ClauseCode, Tier};
        use domain::time::Date;
        use domain::voting::Outcome;
        let invalid = |what: &str| AppError::Invalid(format!("Unknown {what} in the filter."));
        let pick = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_owned());
        let date = |text: &str, what: &str| {
            pick(text)
                .map(|d| {
                    Date::parse_iso(&d).ok_or_else(|| {
                        AppError::Invalid(format!("The {what} date must be a date (YYYY-MM-DD)."))
                    })
                })
                .transpose()
        };
        let outcome = pick(&self.outcome)
            .map(|o| match o.as_str() {
                "carried" => Ok(Outcome::Carried),
                "not-carried" => Ok(Outcome::NotCarried),
                "no-decision" => Ok(Outcome::NoDecision),
                _ => Err(invalid("outcome")),
            })
            .transpose()?;
        let group_vote = match (pick(&self.group), pick(&self.choice)) {
            (Some(group), Some(choice)) => Some((group, choice)),
            (None, None) => None,
            _ => {
                return Err(AppError::Invalid(
                    "To filter by how a group voted, choose both the group and its vote."
                        .to_owned(),
                ));
            }
        };
        Ok(storage::DecisionFilter {
            kind: pick(&self.kind)
                .map(|k| CaseKind::parse(&k).ok_or_else(|| invalid("kind")))
                .transpose()?,
            tier: pick(&self.tier)
                .map(|t| Tier::parse(&t).ok_or_else(|| invalid("tier")))
                .transpose()?,
            clause: pick(&self.clause)
                .map(|c| ClauseCode::parse(&c).map_err(|_| invalid("clause")))
                .transpose()?,
            outcome,
            group_vote,
            from: date(&self.from, "from")?.map(Date::start),
            // Inclusive: up to the end of that day.
            until: date(&self.until, "until")?.map(|d| domain::Timestamp(d.start().0 + 86_400)),
            search: pick(&self.q).map(|q| q.chars().take(200).collect()),
            with_recommendations: false,
            before: self.before,
            limit,
        })
    }
}

/// A page of the decision log and what its filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionLogView {
    pub decisions: Vec<DecisionSummaryView>,
    /// Where the next (older) page starts.
    pub next: Option<u64>,
    pub clauses: Vec<ClauseView>,
    pub groups: Vec<String>,
}

/// A page of the public decision log.
#[server(endpoint = "decision_log")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_decision_log(query: DecisionQuery) -> Result<DecisionLogView, AppError> {
    let storage = super::ssr::storage()?;
    let filter = query.to_filter(DECISION_PAGE_SIZE)?;
    let page = storage.decision_log(&filter).await?;
    Ok(DecisionLogView {
        decisions: page
            .decisions
            .into_iter()
            .map(DecisionSummaryView::from)
            .collect(),
        next: page.next,
        clauses: storage
            .clauses()
            .await?
            .into_iter()
            .map(|c| ClauseView {
                code: c.code.as_str().to_owned(),
                title: c.title,
            })
            .collect(),
        groups: storage
            .groups()
            .await?
            .into_iter()
            .map(|g| g.name.as_str().to_owned())
            .collect(),
    })
}

/// One decision's public record, and what the page needs around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicDecisionView {
    pub record: PublishedDecision,
    /// The council's log origin (for the in-browser check).
    pub origin: domain::LogOrigin,
    pub now: domain::Timestamp,
    pub finality: Finality,
}

/// Whether a log entry is final: covered by a checkpoint that carries the
/// cosignatures the council's witness policy requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Finality {
    /// The council names no witnesses: nothing is ever final.
    NoPolicy,
    /// Not yet covered by a checkpoint with enough cosignatures.
    Pending { quorum: usize, witnesses: usize },
    /// Covered by the cosigned checkpoint of `size`.
    Final { size: u64, witnesses: Vec<String> },
}

/// The finality of log entry `index` under the configured witness policy.
#[cfg(feature = "ssr")]
pub async fn finality(
    storage: &storage::SharedStorage,
    policy: &domain::cosignature::CosignaturePolicy,
    index: u64,
) -> Result<Finality, AppError> {
    if policy.is_empty() {
        return Ok(Finality::NoPolicy);
    }
    // Witnesses cosign the latest checkpoints: the last final one is among
    // the most recent cosignatures.
    let recent = storage.recent_cosignatures(1_000).await?;
    let final_size = policy.final_size(
        recent
            .iter()
            .map(|c| (c.size, c.witness.as_str(), c.key_id)),
    );
    Ok(match final_size {
        Some(size) if size > index => Finality::Final {
            size,
            witnesses: recent
                .iter()
                .filter(|c| c.size == size)
                .filter(|c| policy.witnesses.iter().any(|w| w.name() == c.witness))
                .map(|c| c.witness.clone())
                .collect(),
        },
        _ => Finality::Pending {
            quorum: policy.quorum,
            witnesses: policy.witnesses.len(),
        },
    })
}

/// The public record of the published decision on `case`.
#[server(endpoint = "public_decision")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_public_decision(case: u64) -> Result<PublicDecisionView, AppError> {
    let storage = super::ssr::storage()?;
    let council = storage.council().await?.ok_or(AppError::NotFound)?;
    let record = storage
        .published_decision(domain::cases::CaseId(case))
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = super::ssr::settings()?;
    let finality = finality(&storage, &settings.witnesses, record.log_index).await?;
    Ok(PublicDecisionView {
        record,
        origin: council.log_origin,
        now: storage::now(),
        finality,
    })
}

/// A recommendation of a published decision and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedRecommendation {
    pub number: u32,
    pub text: String,
    /// The platform's answers, oldest first (the last one stands).
    pub answers: Vec<super::decisions::AnswerView>,
}

/// A decision's recommendations in the tracker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedDecision {
    pub case: u64,
    pub subject_handle: String,
    pub published_at: domain::Timestamp,
    pub answers_due: Option<domain::Timestamp>,
    pub recommendations: Vec<TrackedRecommendation>,
}

/// A page of the recommendations tracker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackerView {
    pub decisions: Vec<TrackedDecision>,
    /// Where the next (older) page starts.
    pub next: Option<u64>,
    pub now: domain::Timestamp,
}

/// Decisions per page of the tracker.
pub const TRACKER_PAGE_SIZE: u32 = 20;

/// The recommendations tracker: every decision that made recommendations,
/// newest first, with the platform's answers.
#[server(endpoint = "recommendations")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_recommendations(before: Option<u64>) -> Result<TrackerView, AppError> {
    let storage = super::ssr::storage()?;
    let page = storage
        .decision_log(&storage::DecisionFilter {
            with_recommendations: true,
            before,
            limit: TRACKER_PAGE_SIZE,
            ..Default::default()
        })
        .await?;
    let mut decisions = Vec::with_capacity(page.decisions.len());
    for d in page.decisions {
        let answers = storage.answers(d.case).await?;
        decisions.push(TrackedDecision {
            case: d.case.0,
            subject_handle: d.subject_handle,
            published_at: domain::Timestamp(d.body.published_at),
            answers_due: d.body.answers_due.map(domain::Timestamp),
            recommendations: (1u32..)
                .zip(d.body.record.recommendations)
                .map(|(number, text)| TrackedRecommendation {
                    number,
                    text,
                    answers: answers
                        .iter()
                        .filter(|a| a.recommendation == number)
                        .map(|a| super::decisions::AnswerView {
                            log_index: a.log_index,
                            status: a.status,
                            text: a.text.clone(),
                            at: a.answered_at,
                        })
                        .collect(),
                })
                .collect(),
        });
    }
    Ok(TrackerView {
        decisions,
        next: page.next,
        now: storage::now(),
    })
}

/// A clause of the policy catalogue and how many published decisions
/// applied it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseEntry {
    pub code: String,
    pub title: String,
    pub decisions: u64,
}

/// The policy catalogue, each clause with its number of decisions.
#[server(endpoint = "public_clauses")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_clauses() -> Result<Vec<ClauseEntry>, AppError> {
    let storage = super::ssr::storage()?;
    let counts: std::collections::BTreeMap<String, u64> = storage
        .clause_decision_counts()
        .await?
        .into_iter()
        .collect();
    let mut entries: Vec<ClauseEntry> = storage
        .clauses()
        .await?
        .into_iter()
        .map(|c| ClauseEntry {
            decisions: counts.get(c.code.as_str()).copied().unwrap_or(0),
            code: c.code.as_str().to_owned(),
            title: c.title,
        })
        .collect();
    entries.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(entries)
}

/// Decisions listed on a clause's page (the log filtered by the clause has
/// them all).
pub const CLAUSE_LATEST: usize = 20;

/// Departures from precedent listed on a clause's page, newest first (the
/// JSON API has them all).
pub const CLAUSE_DEPARTURES: usize = 50;

/// A clause's page: its decisions and its consistency report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseReportView {
    pub clause: ClauseView,
    /// The report, its departures cut to the latest [`CLAUSE_DEPARTURES`],
    /// newest first.
    pub report: domain::consistency::ConsistencyReport,
    /// How many departures there are in all.
    pub departures_total: usize,
    /// The latest decisions, newest first (at most [`CLAUSE_LATEST`]).
    pub latest: Vec<domain::consistency::ClauseDecision>,
    pub total: usize,
}

/// The consistency report of the clause `code`.
#[server(endpoint = "clause_report")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_clause_report(code: String) -> Result<ClauseReportView, AppError> {
    let storage = super::ssr::storage()?;
    let code = domain::cases::ClauseCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let title = storage
        .clauses()
        .await?
        .into_iter()
        .find(|c| c.code == code)
        .map(|c| c.title);
    let kept = storage.clause_report(&code).await?;
    let decisions = &kept.decisions;
    let Some(title) = title.or_else(|| (!decisions.is_empty()).then(String::new)) else {
        return Err(AppError::NotFound);
    };
    let mut report = kept.report.clone();
    let departures_total = report.keep_latest_departures(CLAUSE_DEPARTURES);
    let total = decisions.len();
    let latest = decisions
        .iter()
        .rev()
        .take(CLAUSE_LATEST)
        .cloned()
        .collect();
    Ok(ClauseReportView {
        clause: ClauseView {
            code: code.as_str().to_owned(),
            title,
        },
        report,
        departures_total,
        latest,
        total,
    })
}
