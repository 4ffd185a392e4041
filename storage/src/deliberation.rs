//! Deliberation in storage: recusals (appended to the log) and the
//! members' threaded discussion with every version kept. Models and SQL; the
//! methods are in `shared.rs`.

use domain::Timestamp;
use domain::statement::MemberId;

pub use domain::cases::CommentId;

/// A member's recusal from a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recusal {
    pub member: MemberId,
    pub member_name: String,
    pub log_index: u64,
    pub reason: String,
    pub at: Timestamp,
}

/// A comment as the discussion shows it (its latest version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: CommentId,
    pub parent: Option<CommentId>,
    pub member: MemberId,
    pub member_name: String,
    pub body: String,
    pub created_at: Timestamp,
    /// When the latest version was written, if the comment was edited.
    pub edited_at: Option<Timestamp>,
    pub versions: u64,
}

/// One version of a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentVersion {
    pub body: String,
    pub at: Timestamp,
}

pub(crate) const SELECT_CASE_STATUS: &str = "SELECT status FROM cases WHERE id = $1";
pub(crate) const SELECT_RECUSED: &str =
    "SELECT COUNT(*) FROM recusals WHERE case_id = $1 AND member_id = $2";
pub(crate) const INSERT_RECUSAL: &str =
    "INSERT INTO recusals (case_id, member_id, log_index, reason, at) VALUES ($1, $2, $3, $4, $5)";
pub(crate) const SELECT_RECUSALS: &str = "SELECT r.member_id, m.display_name, r.log_index, \
     r.reason, r.at FROM recusals r JOIN members m ON m.id = r.member_id \
     WHERE r.case_id = $1 ORDER BY r.log_index";

pub(crate) const SELECT_COMMENT_CASE: &str =
    "SELECT case_id, member_id FROM comments WHERE id = $1";
pub(crate) const INSERT_COMMENT: &str = "INSERT INTO comments (case_id, parent_id, member_id, \
     created_at) VALUES ($1, $2, $3, $4) RETURNING id";
pub(crate) const INSERT_COMMENT_VERSION: &str =
    "INSERT INTO comment_versions (comment_id, body, at) VALUES ($1, $2, $3)";
/// Each comment with its latest version and how many versions it has.
pub(crate) const SELECT_COMMENTS: &str = "SELECT c.id, c.parent_id, c.member_id, m.display_name, \
     v.body, c.created_at, v.at, \
     (SELECT COUNT(*) FROM comment_versions n WHERE n.comment_id = c.id) \
     FROM comments c JOIN members m ON m.id = c.member_id \
     JOIN comment_versions v ON v.id = \
       (SELECT MAX(l.id) FROM comment_versions l WHERE l.comment_id = c.id) \
     WHERE c.case_id = $1 ORDER BY c.id";
pub(crate) const SELECT_COMMENT_VERSIONS: &str =
    "SELECT body, at FROM comment_versions WHERE comment_id = $1 ORDER BY id";
pub(crate) const UPSERT_READ: &str = "INSERT INTO comment_reads (member_id, case_id, \
     last_comment_id) VALUES ($1, $2, $3) ON CONFLICT (member_id, case_id) \
     DO UPDATE SET last_comment_id = excluded.last_comment_id \
     WHERE excluded.last_comment_id > comment_reads.last_comment_id";
pub(crate) const SELECT_READ: &str =
    "SELECT last_comment_id FROM comment_reads WHERE member_id = $1 AND case_id = $2";

pub(crate) type RecusalRow = (i64, String, i64, String, i64);

pub(crate) fn recusal((member, name, index, reason, at): RecusalRow) -> Recusal {
    Recusal {
        member: MemberId(member as u64),
        member_name: name,
        log_index: index as u64,
        reason,
        at: Timestamp(at),
    }
}

pub(crate) type CommentRow = (i64, Option<i64>, i64, String, String, i64, i64, i64);

pub(crate) fn comment(
    (id, parent, member, name, body, created_at, latest_at, versions): CommentRow,
) -> Comment {
    Comment {
        id: CommentId(id as u64),
        parent: parent.map(|p| CommentId(p as u64)),
        member: MemberId(member as u64),
        member_name: name,
        body,
        created_at: Timestamp(created_at),
        edited_at: (versions > 1).then_some(Timestamp(latest_at)),
        versions: versions as u64,
    }
}
