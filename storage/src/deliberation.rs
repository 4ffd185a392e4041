//! Deliberation in storage: recusals (appended to the log) and the
//! members' threaded discussion with every version kept. Models and SQL; the
//! methods are in `shared.rs`.

use crate::StorageError;
use crate::cases::case_status_in;
use crate::log::append_statement;
use domain::Timestamp;
use domain::note::NoteSigner;
use domain::statement::MemberId;
use domain::statement::SignedStatement;

pub(crate) const SELECT_OPEN_MOTION_ROLLS: &str = "SELECT id, case_id, opening, closes_at FROM motions \
     WHERE opened_index IS NOT NULL AND closed_index IS NULL ORDER BY case_id, id";

/// An open motion with its opening and close (`SELECT_OPEN_MOTION_ROLLS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OpenMotionRow {
    pub id: i64,
    pub case_id: i64,
    pub opening: Option<String>,
    pub closes_at: Option<i64>,
}

/// The open motions `$1` has voted on: from the open motions (`motions_due`)
/// to their votes by the member (the votes' primary key), never through
/// every vote the member ever cast.
pub(crate) const SELECT_MOTIONS_VOTED_BY: &str = "SELECT DISTINCT m.id FROM motions m \
     JOIN votes v ON v.motion_id = m.id AND v.member_id = $1 \
     WHERE m.opened_index IS NOT NULL AND m.closed_index IS NULL";

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
     v.body, c.created_at, v.at AS latest_at, \
     (SELECT COUNT(*) FROM comment_versions n WHERE n.comment_id = c.id) AS versions \
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

/// A recusal with its member's name (`SELECT_RECUSALS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RecusalRow {
    pub member_id: i64,
    pub display_name: String,
    pub log_index: i64,
    pub reason: String,
    pub at: i64,
}

pub(crate) fn recusal(row: RecusalRow) -> Recusal {
    Recusal {
        member: MemberId(row.member_id as u64),
        member_name: row.display_name,
        log_index: row.log_index as u64,
        reason: row.reason,
        at: Timestamp(row.at),
    }
}

/// A comment with its latest version and how many it has (`SELECT_COMMENTS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CommentRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub member_id: i64,
    pub display_name: String,
    pub body: String,
    pub created_at: i64,
    pub latest_at: i64,
    pub versions: i64,
}

pub(crate) fn comment(row: CommentRow) -> Comment {
    Comment {
        id: CommentId(row.id as u64),
        parent: row.parent_id.map(|p| CommentId(p as u64)),
        member: MemberId(row.member_id as u64),
        member_name: row.display_name,
        body: row.body,
        created_at: Timestamp(row.created_at),
        edited_at: (row.versions > 1).then_some(Timestamp(row.latest_at)),
        versions: row.versions as u64,
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

/// An evidence file with its bytes (`SELECT_EVIDENCE_FILE`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EvidenceFileRow {
    pub file_name: String,
    pub content_type: String,
    pub sha256: Vec<u8>,
    pub data: Vec<u8>,
}

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

/// A public comment (`SELECT_PUBLIC_COMMENTS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PublicCommentRow {
    pub id: i64,
    pub name: String,
    pub affiliation: Option<String>,
    pub body: String,
    pub status: String,
    pub reason: Option<String>,
    pub submitted_at: i64,
    pub decided_at: Option<i64>,
}

pub(crate) fn public_comment(row: PublicCommentRow) -> PublicComment {
    PublicComment {
        id: row.id as u64,
        name: row.name,
        affiliation: row.affiliation,
        body: row.body,
        status: row.status,
        reason: row.reason,
        submitted_at: Timestamp(row.submitted_at),
        decided_at: row.decided_at.map(Timestamp),
    }
}

/// What a member has not read, and where they recused: for the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberActivity {
    /// Open cases with comments by others the member has not read, and
    /// how many.
    pub unread: Vec<(domain::cases::CaseId, u64)>,
    /// Open cases the member recused from.
    pub recused: Vec<domain::cases::CaseId>,
    /// Cases with a motion open for voting, the member on its roll and not
    /// yet voted on it.
    pub awaiting_vote: Vec<domain::cases::CaseId>,
}

/// The stages of an open case, which the dashboard's queries start from
/// (`cases_by_status`): open cases are few, closed ones grow with the log.
macro_rules! open_cases {
    () => {
        "SELECT id FROM cases WHERE status IN ('intake', 'accepted', 'deliberation', 'voting')"
    };
}

/// Unread comments on open cases, per case: from the open cases to their
/// comments (`comments_by_case`).
pub(crate) const SELECT_UNREAD_COUNTS: &str = concat!(
    "SELECT c.case_id, COUNT(*) FROM comments c \
     LEFT JOIN comment_reads r ON r.case_id = c.case_id AND r.member_id = $1 \
     WHERE c.case_id IN (",
    open_cases!(),
    ") AND c.member_id <> $1 AND c.id > COALESCE(r.last_comment_id, 0) \
     GROUP BY c.case_id ORDER BY c.case_id"
);
/// The open cases `$1` recused from (the recusals' primary key).
pub(crate) const SELECT_MEMBER_RECUSALS: &str = concat!(
    "SELECT case_id FROM recusals WHERE case_id IN (",
    open_cases!(),
    ") AND member_id = $1 ORDER BY case_id"
);

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

/// Whether comments are accepted on `case` from `member`: the case is
/// open and the member has not recused.
pub(crate) async fn check_may_discuss(
    tx: &mut crate::db::Tx,
    case: i64,
    member: i64,
) -> Result<(), crate::StorageError> {
    if !case_status_in(tx, case).await?.is_open() {
        return Err(crate::StorageError::CaseClosed);
    }
    let recused: i64 = sqlx::query_scalar(crate::deliberation::SELECT_RECUSED)
        .bind(case)
        .bind(member)
        .fetch_one(&mut **tx)
        .await?;
    if recused > 0 {
        return Err(crate::StorageError::Recused);
    }
    Ok(())
}

/// The approved public comments on a case.
pub(crate) async fn public_comments_on(
    conn: &mut sqlx::AnyConnection,
    case: domain::cases::CaseId,
) -> Result<Vec<crate::PublicComment>, crate::StorageError> {
    let rows: Vec<crate::deliberation::PublicCommentRow> =
        sqlx::query_as(crate::deliberation::SELECT_PUBLIC_COMMENTS)
            .bind(crate::db_int(case.0))
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(crate::deliberation::public_comment)
        .collect())
}

/// Recusals, comments, evidence and public comments.
#[async_trait::async_trait]
pub trait DeliberationStore: Send + Sync {
    /// Appends a member's signed recusal to the log (with a new checkpoint)
    /// and records it, in one transaction. The caller checked the signature
    /// against the member's valid key; the case must be open.
    async fn recuse(
        &self,
        recusal: &SignedStatement,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// The recusals on a case, in log order.
    async fn recusals(&self, case: domain::cases::CaseId) -> Result<Vec<Recusal>, StorageError>;

    /// Adds a comment (optionally a reply to `parent`, a comment on the same
    /// case) while the case is open and the member is not recused.
    async fn add_comment(
        &self,
        case: domain::cases::CaseId,
        parent: Option<CommentId>,
        member: MemberId,
        body: &str,
        now: Timestamp,
    ) -> Result<CommentId, StorageError>;

    /// A new version of the member's own comment (the old ones are kept),
    /// while the case is open and the member is not recused.
    async fn edit_comment(
        &self,
        comment: CommentId,
        member: MemberId,
        body: &str,
        now: Timestamp,
    ) -> Result<(), StorageError>;

    /// A case's discussion, oldest first (replies carry their parent).
    async fn comments(&self, case: domain::cases::CaseId) -> Result<Vec<Comment>, StorageError>;

    /// Every version of a comment, oldest first.
    async fn comment_versions(
        &self,
        comment: CommentId,
    ) -> Result<Vec<CommentVersion>, StorageError>;

    /// Records that `member` has read the case's discussion up to `last`
    /// (never moves backwards).
    async fn mark_read(
        &self,
        member: MemberId,
        case: domain::cases::CaseId,
        last: CommentId,
    ) -> Result<(), StorageError>;

    /// The last comment `member` has read on the case.
    async fn last_read(
        &self,
        member: MemberId,
        case: domain::cases::CaseId,
    ) -> Result<Option<CommentId>, StorageError>;

    /// Adds evidence to an open case, a file with its SHA-256.
    async fn add_evidence(
        &self,
        case: domain::cases::CaseId,
        member: MemberId,
        title: &str,
        content: &domain::cases::EvidenceContent,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// A case's evidence (files without their bytes), oldest first.
    async fn evidence(&self, case: domain::cases::CaseId) -> Result<Vec<Evidence>, StorageError>;

    /// One evidence file of a case.
    async fn evidence_file(
        &self,
        case: domain::cases::CaseId,
        id: u64,
    ) -> Result<Option<EvidenceFile>, StorageError>;

    /// Records a public comment, pending screening, while the case is in
    /// its comment period (`CommentPeriodClosed` otherwise).
    async fn add_public_comment(
        &self,
        case: domain::cases::CaseId,
        name: &str,
        affiliation: Option<&str>,
        body: &str,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// A case's public comments, oldest first (all of them: callers show
    /// pending and rejected ones only to those who screen).
    async fn public_comments(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Vec<PublicComment>, StorageError>;

    /// Approves or rejects a pending public comment (`AlreadyDecided` if it
    /// is not pending).
    async fn decide_public_comment(
        &self,
        id: u64,
        approve: bool,
        reason: Option<&str>,
        by: MemberId,
        now: Timestamp,
    ) -> Result<(), StorageError>;

    /// The member's unread discussions and recusals.
    async fn member_activity(
        &self,
        member: MemberId,
        now: Timestamp,
    ) -> Result<MemberActivity, StorageError>;
}

#[async_trait::async_trait]
impl DeliberationStore for crate::db::Store {
    async fn recuse(
        &self,
        recusal: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        use domain::statement::StatementKind;
        let (case, member) = match (
            recusal.statement.kind,
            recusal.statement.subject.case,
            recusal.statement.subject.member,
        ) {
            (StatementKind::Recusal, Some(case), Some(member)) => (case, member),
            _ => {
                return Err(crate::StorageError::Statement(
                    "not a recusal from a case".to_owned(),
                ));
            }
        };
        let body: domain::cases::RecusalBody =
            serde_json::from_value(recusal.statement.body.clone())
                .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        if !case_status_in(&mut tx, crate::db_int(case.0))
            .await?
            .is_open()
        {
            return Err(crate::StorageError::CaseClosed);
        }
        // The signer's key and status, and a recusal made once: the
        // log's rules, asked as the recusal is appended.
        let index = append_statement(&mut tx, &self.ledger, recusal, log_key, now).await?;
        sqlx::query(crate::deliberation::INSERT_RECUSAL)
            .bind(crate::db_int(case.0))
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(index))
            .bind(&body.reason)
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(index)
    }

    async fn recusals(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Vec<crate::Recusal>, crate::StorageError> {
        let rows: Vec<crate::deliberation::RecusalRow> =
            sqlx::query_as(crate::deliberation::SELECT_RECUSALS)
                .bind(crate::db_int(case.0))
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().map(crate::deliberation::recusal).collect())
    }

    async fn add_comment(
        &self,
        case: domain::cases::CaseId,
        parent: Option<crate::CommentId>,
        member: domain::statement::MemberId,
        body: &str,
        now: domain::Timestamp,
    ) -> Result<crate::CommentId, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        check_may_discuss(&mut tx, crate::db_int(case.0), crate::db_int(member.0)).await?;
        if let Some(parent) = parent {
            let owner: Option<(i64, i64)> =
                sqlx::query_as(crate::deliberation::SELECT_COMMENT_CASE)
                    .bind(crate::db_int(parent.0))
                    .fetch_optional(&mut *tx)
                    .await?;
            if owner.map(|(c, _)| c) != Some(crate::db_int(case.0)) {
                return Err(crate::StorageError::NotFound);
            }
        }
        let id: i64 = sqlx::query_scalar(crate::deliberation::INSERT_COMMENT)
            .bind(crate::db_int(case.0))
            .bind(parent.map(|p| crate::db_int(p.0)))
            .bind(crate::db_int(member.0))
            .bind(now.unix_seconds())
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(crate::deliberation::INSERT_COMMENT_VERSION)
            .bind(id)
            .bind(body)
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(crate::CommentId(id as u64))
    }

    async fn edit_comment(
        &self,
        comment: crate::CommentId,
        member: domain::statement::MemberId,
        body: &str,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let owner: Option<(i64, i64)> = sqlx::query_as(crate::deliberation::SELECT_COMMENT_CASE)
            .bind(crate::db_int(comment.0))
            .fetch_optional(&mut *tx)
            .await?;
        let (case, author) = owner.ok_or(crate::StorageError::NotFound)?;
        if author != crate::db_int(member.0) {
            return Err(crate::StorageError::NotTheAuthor);
        }
        check_may_discuss(&mut tx, case, author).await?;
        sqlx::query(crate::deliberation::INSERT_COMMENT_VERSION)
            .bind(crate::db_int(comment.0))
            .bind(body)
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn comments(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Vec<crate::Comment>, crate::StorageError> {
        let rows: Vec<crate::deliberation::CommentRow> =
            sqlx::query_as(crate::deliberation::SELECT_COMMENTS)
                .bind(crate::db_int(case.0))
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().map(crate::deliberation::comment).collect())
    }

    async fn comment_versions(
        &self,
        comment: crate::CommentId,
    ) -> Result<Vec<crate::CommentVersion>, crate::StorageError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(crate::deliberation::SELECT_COMMENT_VERSIONS)
            .bind(crate::db_int(comment.0))
            .fetch_all(self.reader())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(body, at)| crate::CommentVersion {
                body,
                at: domain::Timestamp(at),
            })
            .collect())
    }

    async fn mark_read(
        &self,
        member: domain::statement::MemberId,
        case: domain::cases::CaseId,
        last: crate::CommentId,
    ) -> Result<(), crate::StorageError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(crate::deliberation::UPSERT_READ)
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(case.0))
            .bind(crate::db_int(last.0))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn last_read(
        &self,
        member: domain::statement::MemberId,
        case: domain::cases::CaseId,
    ) -> Result<Option<crate::CommentId>, crate::StorageError> {
        let last: Option<i64> = sqlx::query_scalar(crate::deliberation::SELECT_READ)
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(case.0))
            .fetch_optional(self.reader())
            .await?;
        Ok(last.map(|id| crate::CommentId(id as u64)))
    }

    async fn add_evidence(
        &self,
        case: domain::cases::CaseId,
        member: domain::statement::MemberId,
        title: &str,
        content: &domain::cases::EvidenceContent,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        use domain::cases::EvidenceContent;
        use sha2::Digest as _;
        let mut tx = self.begin_write().await?;
        // A recused member takes no further part: no evidence either.
        check_may_discuss(&mut tx, crate::db_int(case.0), crate::db_int(member.0)).await?;
        let (body, url, file) = match content {
            EvidenceContent::Text(text) => (Some(text.as_str()), None, None),
            EvidenceContent::Link(url) => (None, Some(url.as_str()), None),
            EvidenceContent::File {
                name,
                content_type,
                bytes,
            } => (None, None, Some((name, *content_type, bytes))),
        };
        let hash = file.map(|(_, _, bytes)| sha2::Sha256::digest(bytes).to_vec());
        let id: i64 = sqlx::query_scalar(crate::deliberation::INSERT_EVIDENCE)
            .bind(crate::db_int(case.0))
            .bind(crate::db_int(member.0))
            .bind(content.kind())
            .bind(title)
            .bind(body)
            .bind(url)
            .bind(file.map(|(name, _, _)| name.as_str()))
            .bind(file.map(|(_, content_type, _)| content_type))
            .bind(file.map(|(_, _, bytes)| bytes.len() as i64))
            .bind(hash)
            .bind(file.map(|(_, _, bytes)| bytes.as_slice()))
            .bind(now.unix_seconds())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id as u64)
    }

    async fn evidence(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Vec<crate::Evidence>, crate::StorageError> {
        let rows: Vec<crate::deliberation::EvidenceRow> =
            sqlx::query_as(crate::deliberation::SELECT_EVIDENCE)
                .bind(crate::db_int(case.0))
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().map(crate::Evidence::from).collect())
    }

    async fn evidence_file(
        &self,
        case: domain::cases::CaseId,
        id: u64,
    ) -> Result<Option<crate::EvidenceFile>, crate::StorageError> {
        let row: Option<crate::deliberation::EvidenceFileRow> =
            sqlx::query_as(crate::deliberation::SELECT_EVIDENCE_FILE)
                .bind(crate::db_int(case.0))
                .bind(crate::db_int(id))
                .fetch_optional(self.reader())
                .await?;
        row.map(|row| {
            Ok(crate::EvidenceFile {
                file_name: row.file_name,
                content_type: row.content_type,
                sha256: <[u8; 32]>::try_from(row.sha256).map_err(|_| {
                    crate::StorageError::Corrupt("an evidence hash is not 32 bytes".to_owned())
                })?,
                data: row.data,
            })
        })
        .transpose()
    }

    async fn add_public_comment(
        &self,
        case: domain::cases::CaseId,
        name: &str,
        affiliation: Option<&str>,
        body: &str,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        if !case_status_in(&mut tx, crate::db_int(case.0))
            .await?
            .in_comment_period()
        {
            return Err(crate::StorageError::CommentPeriodClosed);
        }
        let id: i64 = sqlx::query_scalar(crate::deliberation::INSERT_PUBLIC_COMMENT)
            .bind(crate::db_int(case.0))
            .bind(name)
            .bind(affiliation)
            .bind(body)
            .bind(now.unix_seconds())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id as u64)
    }

    async fn public_comments(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Vec<crate::PublicComment>, crate::StorageError> {
        public_comments_on(&mut *self.reader().acquire().await?, case).await
    }

    async fn decide_public_comment(
        &self,
        id: u64,
        approve: bool,
        reason: Option<&str>,
        by: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        let mut tx = self.begin_write().await?;
        // A published decision committed to its approved comments.
        let status: Option<String> =
            sqlx::query_scalar(crate::deliberation::SELECT_PUBLIC_COMMENT_CASE_STATUS)
                .bind(crate::db_int(id))
                .fetch_optional(&mut *tx)
                .await?;
        if status.as_deref() == Some(domain::cases::CaseStatus::Published.as_str()) {
            return Err(crate::StorageError::RecordFinal);
        }
        let decided = sqlx::query(crate::deliberation::DECIDE_PUBLIC_COMMENT)
            .bind(crate::db_int(id))
            .bind(if approve { "approved" } else { "rejected" })
            .bind(reason)
            .bind(now.unix_seconds())
            .bind(crate::db_int(by.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if decided != 1 {
            let exists: i64 = sqlx::query_scalar(crate::deliberation::SELECT_PUBLIC_COMMENT_EXISTS)
                .bind(crate::db_int(id))
                .fetch_one(&mut *tx)
                .await?;
            return Err(if exists == 0 {
                crate::StorageError::NotFound
            } else {
                crate::StorageError::AlreadyDecided
            });
        }
        tx.commit().await?;
        Ok(())
    }

    async fn member_activity(
        &self,
        member: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<crate::MemberActivity, crate::StorageError> {
        let unread: Vec<(i64, i64)> = sqlx::query_as(crate::deliberation::SELECT_UNREAD_COUNTS)
            .bind(crate::db_int(member.0))
            .fetch_all(self.reader())
            .await?;
        let recused: Vec<i64> = sqlx::query_scalar(crate::deliberation::SELECT_MEMBER_RECUSALS)
            .bind(crate::db_int(member.0))
            .fetch_all(self.reader())
            .await?;
        // Open motions are few: their rolls are read and filtered here.
        let open: Vec<crate::deliberation::OpenMotionRow> =
            sqlx::query_as(crate::deliberation::SELECT_OPEN_MOTION_ROLLS)
                .fetch_all(self.reader())
                .await?;
        let voted: Vec<i64> = sqlx::query_scalar(crate::deliberation::SELECT_MOTIONS_VOTED_BY)
            .bind(crate::db_int(member.0))
            .fetch_all(self.reader())
            .await?;
        let now = now.unix_seconds();
        let mut awaiting_vote: Vec<domain::cases::CaseId> = Vec::new();
        for motion in open {
            let body: domain::voting::MotionBody =
                serde_json::from_str(motion.opening.as_deref().unwrap_or_default())
                    .map_err(|_| crate::StorageError::Corrupt("motion: opening".to_owned()))?;
            let case = domain::cases::CaseId(motion.case_id as u64);
            if motion.closes_at.is_some_and(|at| at > now)
                && body.on_roll(member)
                && !voted.contains(&motion.id)
                && !awaiting_vote.contains(&case)
            {
                awaiting_vote.push(case);
            }
        }
        Ok(crate::MemberActivity {
            awaiting_vote,
            unread: unread
                .into_iter()
                .map(|(case, n)| (domain::cases::CaseId(case as u64), n as u64))
                .collect(),
            recused: recused
                .into_iter()
                .map(|case| domain::cases::CaseId(case as u64))
                .collect(),
        })
    }
}
