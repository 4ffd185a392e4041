//! Public comments: anyone may comment on a case during its comment period
//! (the form posts to `POST /public-comments`, a plain handler in the
//! server, rate-limited); the clerk screens each one; members read the
//! approved ones.

use crate::error::AppError;
use domain::Timestamp;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the public sees of a case open for comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCase {
    pub id: u64,
    pub kind: String,
    /// The subject's handle; none when it is not named in public (an
    /// ordinary account's, as on the docket).
    pub subject: Option<String>,
    /// The excerpt, when the subject is named.
    pub excerpt: Option<String>,
    /// The question put to the council: the platform's reason for escalating.
    pub question: String,
    pub original_action: String,
    /// Statements the clerk has rejected so far, and approved.
    pub rejected: usize,
    pub approved: usize,
    /// Code and title of each clause at stake.
    pub clauses: Vec<(String, String)>,
    pub deadline: Option<Timestamp>,
}

#[cfg(feature = "ssr")]
async fn open_case(
    storage: &storage::SharedStorage,
    case: storage::Case,
) -> Result<OpenCase, AppError> {
    let catalogue = storage.clauses().await?;
    let named = super::docket::DocketEntry::names_subject(case.fields.kind, case.fields.tier);
    let comments = storage.public_comments(case.id).await?;
    let counted = |status: &str| comments.iter().filter(|c| c.status == status).count();
    Ok(OpenCase {
        id: case.id.0,
        kind: case.fields.kind.as_str().to_owned(),
        subject: named.then_some(case.fields.subject_handle),
        excerpt: case.fields.excerpt.filter(|_| named),
        question: case.fields.reason,
        original_action: case.fields.original_action.as_str().to_owned(),
        rejected: counted("rejected"),
        approved: counted("approved"),
        clauses: case
            .fields
            .clauses
            .iter()
            .map(|code| {
                let title = catalogue
                    .iter()
                    .find(|c| &c.code == code)
                    .map(|c| c.title.clone())
                    .unwrap_or_default();
                (code.as_str().to_owned(), title)
            })
            .collect(),
        deadline: case.stage_deadline,
    })
}

/// The cases open for public comment, newest first.
#[server(endpoint = "open_for_comment")]
pub async fn get_open_for_comment() -> Result<Vec<OpenCase>, AppError> {
    use super::ssr;
    use domain::cases::CaseStatus;
    ssr::finish(
        async {
            let storage = ssr::storage()?;
            let mut ids = Vec::new();
            for status in [CaseStatus::Accepted, CaseStatus::Deliberation] {
                let page = storage
                    .cases(&storage::CaseFilter {
                        status: Some(status),
                        limit: 200,
                        ..storage::CaseFilter::default()
                    })
                    .await?;
                ids.extend(page.cases.into_iter().map(|c| c.id));
            }
            ids.sort_unstable_by(|a, b| b.cmp(a));
            let mut open = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(case) = storage.case(id).await? {
                    open.push(open_case(&storage, case).await?);
                }
            }
            Ok(open)
        }
        .await,
    )
}

/// One case open for comment (`not_found` if it is not in its comment period).
#[server(endpoint = "comment_case")]
pub async fn get_comment_case(id: u64) -> Result<OpenCase, AppError> {
    use super::ssr;
    ssr::finish(
        async {
            let storage = ssr::storage()?;
            let case = storage
                .case(domain::cases::CaseId(id))
                .await?
                .filter(|c| c.status.in_comment_period())
                .ok_or(AppError::NotFound)?;
            open_case(&storage, case).await
        }
        .await,
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCommentView {
    pub id: u64,
    pub name: String,
    pub affiliation: Option<String>,
    pub body: String,
    pub status: String,
    pub reason: Option<String>,
    pub submitted_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicComments {
    pub comments: Vec<PublicCommentView>,
    /// Whether the member may approve or reject pending comments now: a
    /// screener, while the decision is not yet published (the decision
    /// commits to the approved comments).
    pub may_screen: bool,
    /// Whether the member screens public comments (then pending and
    /// rejected ones are listed too), the decision being published or not.
    pub screener: bool,
}

/// The public comments on a case, for members.
#[server(endpoint = "public_comments")]
pub async fn get_public_comments(case: u64) -> Result<PublicComments, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let screener = member.role.may(Action::IntakeCases);
            let storage = ssr::storage()?;
            let case = domain::cases::CaseId(case);
            let published = storage.decision(case).await?.is_some();
            let comments = storage
                .public_comments(case)
                .await?
                .into_iter()
                .filter(|c| screener || c.status == "approved")
                .map(|c| PublicCommentView {
                    id: c.id,
                    name: c.name,
                    affiliation: c.affiliation,
                    body: c.body,
                    status: c.status,
                    reason: c.reason,
                    submitted_at: c.submitted_at,
                })
                .collect();
            Ok(PublicComments {
                comments,
                may_screen: screener && !published,
                screener,
            })
        }
        .await,
    )
}

/// Approves or rejects (with a reason) a pending public comment.
#[server(endpoint = "screen_public_comment")]
pub async fn screen_public_comment(
    comment: u64,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::IntakeCases).await?;
            let (approve, reason) =
                domain::cases::screening(decision.trim(), &reason).map_err(AppError::Invalid)?;
            ssr::storage()?
                .decide_public_comment(
                    comment,
                    approve,
                    reason.as_deref(),
                    member.id,
                    storage::now(),
                )
                .await?;
            Ok(())
        }
        .await,
    )
}
