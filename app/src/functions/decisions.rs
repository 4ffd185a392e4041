//! The decision on a case: the chair assigns the rationale's authors and
//! writes the clauses, precedents and recommendations; the authors write and
//! sign the rationale; any voter may sign a dissent or concurrence (signed in
//! the browser with their own key); the chair publishes.

use crate::error::AppError;
use domain::Timestamp;
use domain::decisions::{AnswerStatus, OpinionKind};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionView {
    pub log_index: u64,
    pub member: String,
    pub kind: OpinionKind,
    pub text: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerView {
    pub log_index: u64,
    pub status: AnswerStatus,
    pub text: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationView {
    pub number: u32,
    pub text: String,
    pub answers: Vec<AnswerView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    /// The case is decided (the decision is being prepared).
    pub preparing: bool,
    /// Where the published decision is in the log.
    pub published_index: Option<u64>,
    pub published_at: Option<Timestamp>,
    /// When the platform's answers are (were) due.
    pub answers_due: Option<Timestamp>,
    /// Members who voted on the case: (id, name).
    pub voters: Vec<(u64, String)>,
    pub authors: Vec<(u64, String)>,
    pub rationale: String,
    pub clauses: String,
    pub precedents: String,
    pub recommendations: Vec<RecommendationView>,
    pub opinions: Vec<OpinionView>,
    /// Authors who have signed the rationale.
    pub signed_by: Vec<u64>,
    pub may_run: bool,
    pub me: u64,
    pub now: Timestamp,
}

impl DecisionView {
    pub fn i_voted(&self) -> bool {
        self.voters.iter().any(|(id, _)| *id == self.me)
    }

    pub fn i_am_author(&self) -> bool {
        self.authors.iter().any(|(id, _)| *id == self.me)
    }

    /// Once an author signed, the rationale and its authors are fixed.
    pub fn rationale_fixed(&self) -> bool {
        !self.signed_by.is_empty()
    }
}

/// The decision of a case, as its members see it.
#[server(endpoint = "decision")]
pub async fn get_decision(case: u64) -> Result<DecisionView, AppError> {
    use super::ssr;
    use domain::cases::{CaseId, CaseStatus};
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let storage = ssr::storage()?;
            let id = CaseId(case);
            let status = storage.case_status(id).await?.ok_or(AppError::NotFound)?;
            let mut voters = std::collections::BTreeMap::new();
            for motion in storage.motions(id).await? {
                for vote in storage.votes(motion.id).await? {
                    voters.insert(vote.member.0, vote.member_name);
                }
            }
            let draft = storage.decision_draft(id).await?;
            let decision = storage.decision(id).await?;
            let record = decision
                .as_ref()
                .map_or(draft.record.clone(), |d| d.body.record.clone());
            let answers = storage.answers(id).await?;
            let opinions = storage.opinions(id).await?;
            let signed_by = opinions
                .iter()
                .filter(|o| o.body.opinion == OpinionKind::Majority)
                .map(|o| o.member.0)
                .collect();
            Ok(DecisionView {
                preparing: status == CaseStatus::Decided,
                published_index: decision.as_ref().map(|d| d.log_index),
                published_at: decision.as_ref().map(|d| Timestamp(d.body.published_at)),
                answers_due: decision
                    .as_ref()
                    .and_then(|d| d.body.answers_due)
                    .map(Timestamp),
                voters: voters.into_iter().collect(),
                authors: draft.authors.into_iter().map(|(id, n)| (id.0, n)).collect(),
                rationale: draft.rationale,
                clauses: record
                    .clauses
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                precedents: record
                    .precedents
                    .iter()
                    .map(domain::decisions::Precedent::to_line)
                    .collect::<Vec<_>>()
                    .join("\n"),
                recommendations: (1u32..)
                    .zip(record.recommendations)
                    .map(|(number, text)| RecommendationView {
                        number,
                        text,
                        answers: answers
                            .iter()
                            .filter(|a| a.recommendation == number)
                            .map(|a| AnswerView {
                                log_index: a.log_index,
                                status: a.status,
                                text: a.text.clone(),
                                at: a.answered_at,
                            })
                            .collect(),
                    })
                    .collect(),
                opinions: opinions
                    .into_iter()
                    .map(|o| OpinionView {
                        log_index: o.log_index,
                        member: o.member_name,
                        kind: o.body.opinion,
                        text: o.body.text,
                        at: o.signed_at,
                    })
                    .collect(),
                signed_by,
                may_run: member.role.may(Action::RunVotes),
                me: member.id.0,
                now: storage::now(),
            })
        }
        .await,
    )
}

/// The chair assigns the rationale's author(s), from the members who voted.
#[server(endpoint = "assign_authors")]
pub async fn assign_authors(case: u64, authors: Vec<u64>) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    use domain::statement::MemberId;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::RunVotes).await?;
            let authors: Vec<MemberId> = authors.into_iter().map(MemberId).collect();
            ssr::storage()?
                .assign_authors(
                    domain::cases::CaseId(case),
                    &authors,
                    member.id,
                    storage::now(),
                )
                .await?;
            tracing::info!(case, "rationale authors assigned");
            Ok(())
        }
        .await,
    )
}

/// An assigned author saves the rationale's text (before anyone signs it).
#[server(endpoint = "save_rationale")]
pub async fn save_rationale(case: u64, text: String) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::Vote).await?;
            ssr::storage()?
                .save_rationale(
                    domain::cases::CaseId(case),
                    member.id,
                    &text,
                    storage::now(),
                )
                .await?;
            Ok(())
        }
        .await,
    )
}

/// The chair saves the clauses applied (codes separated by commas), the
/// precedents (one per line: `12 follows` or `7 distinguishes: why`) and
/// the recommendations (one per line).
#[server(endpoint = "save_decision_record")]
pub async fn save_decision_record(
    case: u64,
    clauses: String,
    precedents: String,
    recommendations: String,
) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::RunVotes).await?;
            let id = domain::cases::CaseId(case);
            let record = domain::decisions::DecisionRecord::from_form(
                id,
                &clauses,
                &precedents,
                &recommendations,
            )
            .map_err(AppError::Invalid)?;
            ssr::storage()?
                .save_decision_record(id, &record, member.id, storage::now())
                .await?;
            Ok(())
        }
        .await,
    )
}

/// A member's signed opinion, as the opinion form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionRequest {
    #[serde(deserialize_with = "super::number")]
    pub case: u64,
    /// `majority`, `dissent` or `concurrence`.
    pub opinion: String,
    pub text: String,
    /// The rationale's author ids, comma-separated (majority only).
    pub authors: Option<String>,
    /// The `opinion` statement's signature, hex.
    pub signature: String,
}

/// A member's signed opinion: the server rebuilds the statement from the
/// signed-in member, the case and these fields (`authors`: the rationale's
/// author ids, comma-separated, for the majority rationale), checks the
/// signature against their valid key and logs it.
#[server(endpoint = "sign_opinion")]
pub async fn sign_opinion(#[server(flatten)] opinion: OpinionRequest) -> Result<u64, AppError> {
    use super::ssr;
    use domain::members::Action;
    use domain::statement::{MemberId, SignedStatement};
    ssr::finish(
        async {
            let OpinionRequest {
                case,
                opinion,
                text,
                authors,
                signature,
            } = opinion;
            let (_, member) = ssr::authorize(Action::Vote).await?;
            let storage = ssr::storage()?;
            let council = storage.council().await?.ok_or(AppError::NotFound)?;
            let signer = *member.active_key().ok_or(AppError::UnknownKey)?;
            let kind = OpinionKind::parse(&opinion).map_err(AppError::Invalid)?;
            let authors = authors
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| a.parse().map(MemberId))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| AppError::Invalid("The authors are not member numbers.".to_owned()))?;
            let body = domain::decisions::OpinionBody::new(kind, &text, &authors)
                .map_err(AppError::Invalid)?;
            let signed = SignedStatement {
                statement: domain::decisions::opinion_statement(
                    &council.log_origin,
                    domain::cases::CaseId(case),
                    member.id,
                    &body,
                ),
                signer,
                signature: super::auth::parse_hex::<64>(&signature, "signature")?,
            };
            signed
                .verify(&council.log_origin)
                .map_err(|_| AppError::BadSignature)?;
            let index = storage
                .sign_opinion(&signed, &*ssr::log_key()?, storage::now())
                .await?;
            tracing::info!(case, member = %member.id, index, opinion = %kind, "opinion signed");
            Ok(index)
        }
        .await,
    )
}

/// The chair prepares the publication of the decision of a decided case,
/// now: the `decision` statement to sign (JSON) — its motions' outcomes,
/// every vote and opinion entry, the draft record and the case's digest.
/// Nothing is written.
#[server(endpoint = "prepare_decision")]
pub async fn prepare_decision(case: u64) -> Result<String, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::RunVotes).await?;
            let statement = ssr::storage()?
                .prepare_decision(domain::cases::CaseId(case), member.id, storage::now())
                .await?;
            ssr::to_sign(&statement)
        }
        .await,
    )
}

/// The chair publishes the decision they signed in the browser
/// (`statement` as [`prepare_decision`] gave it, `signature` hex).
#[server(endpoint = "publish_decision")]
pub async fn publish_decision(statement: String, signature: String) -> Result<u64, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::RunVotes).await?;
            let signed = super::auth::chair_signed(&member, &statement, &signature)?;
            let index = ssr::storage()?
                .publish_decision(&signed, &*ssr::log_key()?, storage::now())
                .await?;
            tracing::info!(case = ?signed.statement.subject.case, index, "decision published");
            Ok(index)
        }
        .await,
    )
}
