//! A case's discussion (members only, while the case is open; recused
//! members stay silent) and recusals, which members sign with their own key.

use crate::error::AppError;
use domain::Timestamp;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How deep replies are indented (deeper replies line up with this level).
pub const MAX_DEPTH: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    /// Rendered, sanitised HTML.
    pub html: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: u64,
    pub parent: Option<u64>,
    pub depth: usize,
    pub author: String,
    /// Rendered, sanitised HTML of the latest version.
    pub html: String,
    /// The Markdown of the latest version, for its author's edit form.
    pub source: Option<String>,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
    /// Earlier versions, oldest first (empty unless edited).
    pub history: Vec<VersionView>,
    /// Posted since the member last read this discussion (by someone else).
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecusalView {
    pub member: u64,
    pub name: String,
    pub reason: String,
    pub log_index: u64,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscussionView {
    pub comments: Vec<CommentView>,
    pub recusals: Vec<RecusalView>,
    /// Whether the case is open (comments and recusals accepted).
    pub open: bool,
    /// The signed-in member's id, and whether they recused from this case.
    pub me: u64,
    pub recused: bool,
    pub unread: usize,
}

/// The discussion of a case, threaded (each reply after its parent), with
/// unread markers (reading it does not change them: the page says when it
/// has been shown, with [`mark_read`]).
#[server(endpoint = "discussion")]
pub async fn get_discussion(case: u64) -> Result<DiscussionView, AppError> {
    use super::ssr;
    use domain::cases::CaseId;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let storage = ssr::storage()?;
            let id = CaseId(case);
            let status = storage.case_status(id).await?.ok_or(AppError::NotFound)?;
            let comments = storage.comments(id).await?;
            let last_read = storage.last_read(member.id, id).await?.map_or(0, |c| c.0);
            let mut views = Vec::with_capacity(comments.len());
            for comment in thread_order(&comments) {
                let history = if comment.versions > 1 {
                    let mut versions = storage.comment_versions(comment.id).await?;
                    versions.pop();
                    versions
                        .into_iter()
                        .map(|v| VersionView {
                            html: crate::markdown::render(&v.body),
                            at: v.at,
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let mine = comment.member == member.id;
                views.push(CommentView {
                    id: comment.id.0,
                    parent: comment.parent.map(|p| p.0),
                    depth: depth(&comments, comment).min(MAX_DEPTH),
                    author: comment.member_name.clone(),
                    html: crate::markdown::render(&comment.body),
                    source: mine.then(|| comment.body.clone()),
                    created_at: comment.created_at,
                    edited_at: comment.edited_at,
                    history,
                    unread: !mine && comment.id.0 > last_read,
                });
            }
            let recusals: Vec<RecusalView> = storage
                .recusals(id)
                .await?
                .into_iter()
                .map(|r| RecusalView {
                    member: r.member.0,
                    name: r.member_name,
                    reason: r.reason,
                    log_index: r.log_index,
                    at: r.at,
                })
                .collect();
            Ok(DiscussionView {
                unread: views.iter().filter(|c| c.unread).count(),
                comments: views,
                recused: recusals.iter().any(|r| r.member == member.id.0),
                recusals,
                open: status.is_open(),
                me: member.id.0,
            })
        }
        .await,
    )
}

/// Records that the member has seen the case's discussion up to `last`.
#[server(endpoint = "mark_read")]
pub async fn mark_read(case: u64, last: u64) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let storage = ssr::storage()?;
            let id = domain::cases::CaseId(case);
            if storage.case_status(id).await?.is_none() {
                return Err(AppError::NotFound);
            }
            storage
                .mark_read(member.id, id, storage::CommentId(last))
                .await?;
            Ok(())
        }
        .await,
    )
}

/// Comments ordered so that each reply follows its parent (and earlier
/// replies come first).
#[cfg(feature = "ssr")]
fn thread_order(comments: &[storage::Comment]) -> Vec<&storage::Comment> {
    fn visit<'a>(
        comments: &'a [storage::Comment],
        parent: Option<storage::CommentId>,
        out: &mut Vec<&'a storage::Comment>,
    ) {
        for comment in comments.iter().filter(|c| c.parent == parent) {
            out.push(comment);
            visit(comments, Some(comment.id), out);
        }
    }
    let mut out = Vec::with_capacity(comments.len());
    visit(comments, None, &mut out);
    out
}

#[cfg(feature = "ssr")]
fn depth(comments: &[storage::Comment], comment: &storage::Comment) -> usize {
    let mut depth = 0;
    let mut parent = comment.parent;
    while let Some(id) = parent {
        depth += 1;
        parent = comments.iter().find(|c| c.id == id).and_then(|c| c.parent);
        if depth > MAX_DEPTH {
            break;
        }
    }
    depth
}

/// Adds a comment (or, with `parent`, a reply).
#[server(endpoint = "post_comment")]
pub async fn post_comment(case: u64, parent: Option<u64>, body: String) -> Result<u64, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let body = domain::cases::comment_body(&body).map_err(AppError::Invalid)?;
            let id = ssr::storage()?
                .add_comment(
                    domain::cases::CaseId(case),
                    parent.map(storage::CommentId),
                    member.id,
                    &body,
                    storage::now(),
                )
                .await?;
            Ok(id.0)
        }
        .await,
    )
}

/// A new version of the member's own comment; earlier ones stay visible.
#[server(endpoint = "edit_comment")]
pub async fn edit_comment(comment: u64, body: String) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let body = domain::cases::comment_body(&body).map_err(AppError::Invalid)?;
            ssr::storage()?
                .edit_comment(
                    storage::CommentId(comment),
                    member.id,
                    &body,
                    storage::now(),
                )
                .await?;
            Ok(())
        }
        .await,
    )
}

/// Declares a conflict on a case: `signature` is the member's key's
/// signature on the recusal statement, which the server rebuilds for the
/// signed-in member, this case and `reason`. Appended to the log.
#[server(endpoint = "recuse")]
pub async fn recuse(case: u64, reason: String, signature: String) -> Result<u64, AppError> {
    use super::ssr;
    use domain::members::Action;
    use domain::statement::SignedStatement;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let reason = domain::cases::recusal_reason(&reason).map_err(AppError::Invalid)?;
            let signature = super::auth::parse_hex::<64>(&signature, "signature")?;
            let storage = ssr::storage()?;
            let council = storage.council().await?.ok_or(AppError::NotFound)?;
            let signer = *member.active_key().ok_or(AppError::UnknownKey)?;
            let signed = SignedStatement {
                statement: domain::cases::recusal_statement(
                    &council.log_origin,
                    domain::cases::CaseId(case),
                    member.id,
                    &reason,
                ),
                signer,
                signature,
            };
            signed
                .verify(&council.log_origin)
                .map_err(|_| AppError::BadSignature)?;
            if storage.case(domain::cases::CaseId(case)).await?.is_none() {
                return Err(AppError::NotFound);
            }
            let index = storage
                .recuse(&signed, &*ssr::log_key()?, storage::now())
                .await?;
            tracing::info!(case, member = %member.id, index, "recused");
            Ok(index)
        }
        .await,
    )
}
