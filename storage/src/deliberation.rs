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

/// A piece of evidence as the case page lists it (a file without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub id: u64,
    pub member_name: String,
    pub kind: String,
    pub title: String,
    pub body: Option<String>,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<u64>,
    pub sha256: Option<[u8; 32]>,
    pub at: Timestamp,
}

/// An evidence file to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub file_name: String,
    pub content_type: String,
    pub sha256: [u8; 32],
    pub data: Vec<u8>,
}

pub(crate) const INSERT_EVIDENCE: &str = "INSERT INTO evidence (case_id, member_id, kind, title, \
     body, url, file_name, content_type, size, sha256, data, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
pub(crate) const SELECT_EVIDENCE: &str = "SELECT e.id, m.display_name, e.kind, e.title, e.body, \
     e.url, e.file_name, e.content_type, e.size, e.sha256, e.at \
     FROM evidence e JOIN members m ON m.id = e.member_id WHERE e.case_id = $1 ORDER BY e.id";
pub(crate) const SELECT_EVIDENCE_FILE: &str = "SELECT file_name, content_type, sha256, data \
     FROM evidence WHERE case_id = $1 AND id = $2 AND kind = 'file'";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EvidenceRow {
    pub id: i64,
    pub display_name: String,
    pub kind: String,
    pub title: String,
    pub body: Option<String>,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    pub sha256: Option<Vec<u8>>,
    pub at: i64,
}

impl From<EvidenceRow> for Evidence {
    fn from(row: EvidenceRow) -> Self {
        Self {
            id: row.id as u64,
            member_name: row.display_name,
            kind: row.kind,
            title: row.title,
            body: row.body,
            url: row.url,
            file_name: row.file_name,
            content_type: row.content_type,
            size: row.size.map(|s| s as u64),
            sha256: row.sha256.and_then(|h| <[u8; 32]>::try_from(h).ok()),
            at: Timestamp(row.at),
        }
    }
}

/// A public comment on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicComment {
    pub id: u64,
    pub name: String,
    pub affiliation: Option<String>,
    pub body: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub reason: Option<String>,
    pub submitted_at: Timestamp,
    pub decided_at: Option<Timestamp>,
}

pub(crate) const INSERT_PUBLIC_COMMENT: &str = "INSERT INTO public_comments (case_id, name, \
     affiliation, body, status, submitted_at) VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id";
pub(crate) const SELECT_PUBLIC_COMMENTS: &str = "SELECT id, name, affiliation, body, status, \
     reason, submitted_at, decided_at FROM public_comments WHERE case_id = $1 ORDER BY id";
pub(crate) const DECIDE_PUBLIC_COMMENT: &str = "UPDATE public_comments SET status = $2, \
     reason = $3, decided_at = $4, decided_by = $5 WHERE id = $1 AND status = 'pending'";
pub(crate) const SELECT_PUBLIC_COMMENT_CASE_STATUS: &str = "SELECT c.status FROM public_comments p \
     JOIN cases c ON c.id = p.case_id WHERE p.id = $1";
pub(crate) const SELECT_PUBLIC_COMMENT_EXISTS: &str =
    "SELECT COUNT(*) FROM public_comments WHERE id = $1";

pub(crate) type PublicCommentRow = (
    i64,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
);

pub(crate) fn public_comment(
    (id, name, affiliation, body, status, reason, submitted_at, decided_at): PublicCommentRow,
) -> PublicComment {
    PublicComment {
        id: id as u64,
        name,
        affiliation,
        body,
        status,
        reason,
        submitted_at: Timestamp(submitted_at),
        decided_at: decided_at.map(Timestamp),
    }
}

/// What a member has not read, and where they recused: for the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberActivity {
    /// Cases with comments by others the member has not read, and how many.
    pub unread: Vec<(domain::cases::CaseId, u64)>,
    pub recused: Vec<domain::cases::CaseId>,
    /// Cases with a motion open for voting, the member on its roll and not
    /// yet voted on it.
    pub awaiting_vote: Vec<domain::cases::CaseId>,
}

pub(crate) const SELECT_UNREAD_COUNTS: &str = "SELECT c.case_id, COUNT(*) FROM comments c \
     LEFT JOIN comment_reads r ON r.case_id = c.case_id AND r.member_id = $1 \
     WHERE c.member_id <> $1 AND c.id > COALESCE(r.last_comment_id, 0) \
     GROUP BY c.case_id ORDER BY c.case_id";
pub(crate) const SELECT_MEMBER_RECUSALS: &str =
    "SELECT case_id FROM recusals WHERE member_id = $1 ORDER BY case_id";

/// The approved public comments, as the public record shows them.
pub(crate) fn published_comments(
    comments: Vec<PublicComment>,
) -> Vec<domain::public::PublishedComment> {
    comments
        .into_iter()
        .filter(|c| c.status == "approved")
        .map(|c| domain::public::PublishedComment {
            name: c.name,
            affiliation: c.affiliation,
            text: c.body,
            submitted_at: c.submitted_at.0,
        })
        .collect()
}
