//! The public docket: every case from the day it arrives, whatever becomes
//! of it (published, declined, withdrawn), with its stage, its deadline and
//! each move with its reason. For anyone, signed in or not.
//!
//! The subject of a content or reinstatement case of the ordinary tier (most
//! likely a private person) is shown anonymised; policy questions and
//! notable or more prominent subjects by their handle. The excerpt is not
//! shown, and there is no search (it would find the handles the docket
//! hides).

use super::cases::ClauseView;
use crate::error::AppError;
use domain::Timestamp;
use domain::public::Stage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Cases per page of the docket.
pub const DOCKET_PAGE_SIZE: u32 = 50;

/// The docket's filters as the page's query string carries them (empty: not
/// filtered).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocketQuery {
    pub kind: String,
    pub stage: String,
    pub tier: String,
    pub clause: String,
    pub before: Option<u64>,
}

impl DocketQuery {
    /// The query string of these filters (without `before`).
    pub fn to_query_string(&self) -> String {
        crate::query_string(&[
            ("kind", &self.kind),
            ("stage", &self.stage),
            ("tier", &self.tier),
            ("clause", &self.clause),
        ])
    }

    pub fn is_filtered(&self) -> bool {
        !self.to_query_string().is_empty()
    }

    /// The storage filter these filters ask for, pages of `limit`; a clear
    /// error naming the filter that is not understood.
    #[cfg(feature = "ssr")]
    pub fn to_filter(&self, limit: u32) -> Result<storage::CaseFilter, AppError> {
        // The members' case list's filters, without its search.
        super::cases::CaseQuery {
            kind: self.kind.clone(),
            status: self.stage.clone(),
            clause: self.clause.clone(),
            tier: self.tier.clone(),
            q: String::new(),
            before: self.before,
        }
        .to_filter(limit, "stage")
    }
}

/// One case as the docket lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocketEntry {
    pub case: u64,
    pub kind: String,
    /// The subject's handle; none when it is shown anonymised.
    pub subject: Option<String>,
    pub tier: String,
    pub stage: String,
    pub clauses: Vec<String>,
    pub arrived_at: Timestamp,
    /// The deadline of the stage the case is in (none once it has ended).
    pub deadline: Option<Timestamp>,
    /// Whole days the case is past that deadline now (0 when it is not).
    pub days_late: i64,
}

impl DocketEntry {
    /// Whether a case's subject is named in public: a policy question's
    /// (the platform asks it), and a subject of the notable tier or above;
    /// not an ordinary account's, most likely a private person's.
    pub fn names_subject(kind: domain::cases::CaseKind, tier: domain::cases::Tier) -> bool {
        kind == domain::cases::CaseKind::Policy || tier != domain::cases::Tier::Ordinary
    }
}

/// Whole days from `deadline` to `now`, 0 before it.
#[cfg(any(feature = "ssr", test))]
fn days_past(deadline: Option<Timestamp>, now: Timestamp) -> i64 {
    deadline.map_or(0, |d| domain::cases::days_late(d, now))
}

#[cfg(feature = "ssr")]
impl DocketEntry {
    fn of(summary: storage::CaseSummary, now: Timestamp) -> Self {
        Self {
            case: summary.id.0,
            kind: summary.kind.as_str().to_owned(),
            subject: Self::names_subject(summary.kind, summary.tier)
                .then_some(summary.subject_handle),
            tier: summary.tier.as_str().to_owned(),
            stage: summary.status.as_str().to_owned(),
            clauses: summary
                .clauses
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            arrived_at: summary.created_at,
            deadline: summary.stage_deadline,
            days_late: days_past(summary.stage_deadline, now),
        }
    }
}

/// A page of the docket and what its filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocketView {
    pub entries: Vec<DocketEntry>,
    /// Where the next (older) page starts.
    pub next: Option<u64>,
    pub clauses: Vec<ClauseView>,
}

/// A page of the public docket, newest case first.
#[server(endpoint = "docket")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_docket(query: DocketQuery) -> Result<DocketView, AppError> {
    let storage = super::ssr::storage()?;
    let filter = query.to_filter(DOCKET_PAGE_SIZE)?;
    let now = storage::now();
    let page = storage.cases(&filter).await?;
    Ok(DocketView {
        entries: page
            .cases
            .into_iter()
            .map(|c| DocketEntry::of(c, now))
            .collect(),
        next: page.next.map(|id| id.0),
        clauses: storage
            .clauses()
            .await?
            .into_iter()
            .map(|c| ClauseView {
                code: c.code.as_str().to_owned(),
                title: c.title,
            })
            .collect(),
    })
}

/// One move of a case along its lifecycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocketMove {
    /// None for its arrival.
    pub from: Option<String>,
    pub to: String,
    /// The member who moved it, or the platform's intake token's name.
    pub by: String,
    pub by_platform: bool,
    pub reason: Option<String>,
    pub at: Timestamp,
}

/// One case's docket page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocketCaseView {
    pub entry: DocketEntry,
    /// Why the platform escalated it: the question put to the council.
    pub question: String,
    pub original_action: String,
    pub moves: Vec<DocketMove>,
    pub stages: Vec<Stage>,
}

/// One case of the public docket.
#[server(endpoint = "docket_case")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_docket_case(case: u64) -> Result<DocketCaseView, AppError> {
    let storage = super::ssr::storage()?;
    let case = storage
        .case(domain::cases::CaseId(case))
        .await?
        .ok_or(AppError::NotFound)?;
    let now = storage::now();
    let stages = Stage::from_transitions(
        &case
            .events
            .iter()
            .map(|e| (e.to, e.at.0, e.reason.clone()))
            .collect::<Vec<_>>(),
    );
    let fields = case.fields;
    Ok(DocketCaseView {
        entry: DocketEntry {
            case: case.id.0,
            kind: fields.kind.as_str().to_owned(),
            subject: DocketEntry::names_subject(fields.kind, fields.tier)
                .then(|| fields.subject_handle.clone()),
            tier: fields.tier.as_str().to_owned(),
            stage: case.status.as_str().to_owned(),
            clauses: fields
                .clauses
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            arrived_at: case.created_at,
            deadline: case.stage_deadline,
            days_late: days_past(case.stage_deadline, now),
        },
        question: fields.reason,
        original_action: fields.original_action.as_str().to_owned(),
        moves: case
            .events
            .into_iter()
            .map(|e| DocketMove {
                from: e.from.map(|s| s.as_str().to_owned()),
                to: e.to.as_str().to_owned(),
                by: e.actor_name,
                by_platform: matches!(e.actor, storage::Actor::Token(_)),
                reason: e.reason,
                at: e.at,
            })
            .collect(),
        stages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::cases::{CaseKind, Tier};

    #[test]
    fn ordinary_accounts_are_not_named_policy_questions_and_prominent_subjects_are() {
        for kind in [CaseKind::Content, CaseKind::Reinstatement] {
            assert!(!DocketEntry::names_subject(kind, Tier::Ordinary));
            for tier in [Tier::Notable, Tier::Prominent, Tier::VeryProminent] {
                assert!(DocketEntry::names_subject(kind, tier));
            }
        }
        assert!(DocketEntry::names_subject(CaseKind::Policy, Tier::Ordinary));
    }

    #[test]
    fn the_docket_query_keeps_its_filters_in_the_address() {
        let query = DocketQuery {
            kind: "reinstatement".to_owned(),
            stage: "withdrawn".to_owned(),
            ..DocketQuery::default()
        };
        assert_eq!(
            query.to_query_string(),
            "kind=reinstatement&stage=withdrawn"
        );
        assert!(query.is_filtered());
        assert!(!DocketQuery::default().is_filtered());
        assert_eq!(days_past(Some(Timestamp(0)), Timestamp(3 * 86_400)), 3);
        assert_eq!(days_past(Some(Timestamp(86_400)), Timestamp(0)), 0);
        assert_eq!(days_past(None, Timestamp(0)), 0);
    }
}
