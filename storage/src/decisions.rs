//! Decisions in storage: the chair's draft (rationale authors and text,
//! clauses, precedents, recommendations), signed opinions, the published
//! decision and the platform's answers. Models, SQL, and the transactions
//! behind the `Storage` decision methods (`decisions_impl!`, expanded once
//! per backend).

use crate::StorageError;
use crate::cases::case_in;
use crate::cases::case_status_in;
use crate::index::index_decision_in;
use crate::log::append_statement;
use crate::log::log_origin_in;
use crate::members::MemberStore as _;
use domain::Timestamp;
use domain::cases::CaseId;
use domain::decisions::{AnswerStatus, DecisionBody, DecisionRecord, OpinionBody};
use domain::note::NoteSigner;
use domain::statement::MemberId;
use domain::statement::SignedStatement;

/// The decision being prepared on a decided case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionDraft {
    /// The rationale's authors, as the chair assigned them: (id, name).
    pub authors: Vec<(MemberId, String)>,
    /// The rationale's text as its authors last saved it.
    pub rationale: String,
    pub record: DecisionRecord,
    pub updated_by: Option<MemberId>,
    pub updated_at: Option<Timestamp>,
}

/// A signed opinion, as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opinion {
    pub log_index: u64,
    pub member: MemberId,
    pub member_name: String,
    pub body: OpinionBody,
    pub signed_at: Timestamp,
}

/// A published decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub case: CaseId,
    pub log_index: u64,
    pub body: DecisionBody,
}

/// A published decision as the public decision log lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionSummary {
    pub case: CaseId,
    pub subject_handle: String,
    pub kind: String,
    pub tier: String,
    pub log_index: u64,
    pub body: DecisionBody,
    /// How it ended in plain words, when its motions stated effects.
    pub ruling: Option<domain::consistency::Ruling>,
}

/// The platform's answer to a recommendation, as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub log_index: u64,
    pub recommendation: u32,
    pub status: AnswerStatus,
    pub text: String,
    pub answered_at: Timestamp,
}

pub(crate) const SELECT_DRAFT: &str = "SELECT authors, rationale, record, updated_by, updated_at FROM decision_drafts WHERE case_id = $1";
pub(crate) const UPSERT_DRAFT: &str = "INSERT INTO decision_drafts (case_id, authors, rationale, \
     record, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (case_id) DO UPDATE SET authors = excluded.authors, \
     rationale = excluded.rationale, record = excluded.record, \
     updated_by = excluded.updated_by, updated_at = excluded.updated_at";
pub(crate) const SELECT_OPINIONS: &str = "SELECT o.log_index, o.member_id, m.display_name, \
     o.body, o.signed_at FROM opinions o JOIN members m ON m.id = o.member_id \
     WHERE o.case_id = $1 ORDER BY o.log_index";
pub(crate) const INSERT_OPINION: &str = "INSERT INTO opinions (log_index, case_id, member_id, \
     kind, body, signed_at) VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const SELECT_DECISION: &str = "SELECT log_index, body FROM decisions WHERE case_id = $1";
pub(crate) const SELECT_RECENT_DECISIONS: &str = "SELECT d.case_id, c.subject_handle, c.kind, \
     c.tier, d.log_index, d.body, x.ruling FROM decisions d JOIN cases c ON c.id = d.case_id \
     LEFT JOIN decision_index x ON x.case_id = d.case_id \
     ORDER BY d.log_index DESC LIMIT $1";
/// A published decision as the decision log lists it (`SELECT_RECENT_DECISIONS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub case_id: i64,
    pub subject_handle: String,
    pub kind: String,
    pub tier: String,
    pub log_index: i64,
    pub body: String,
    pub ruling: Option<String>,
}

/// A stored ruling (`decision_index.ruling`).
pub(crate) fn ruling_of(
    text: Option<&str>,
) -> Result<Option<domain::consistency::Ruling>, crate::StorageError> {
    text.map(|r| domain::consistency::Ruling::parse(r).ok_or_else(|| corrupt("ruling")))
        .transpose()
}

pub(crate) fn summary(row: SummaryRow) -> Result<DecisionSummary, crate::StorageError> {
    Ok(DecisionSummary {
        case: CaseId(row.case_id as u64),
        subject_handle: row.subject_handle,
        kind: row.kind,
        tier: row.tier,
        log_index: row.log_index as u64,
        body: serde_json::from_str(&row.body).map_err(|_| corrupt("decision"))?,
        ruling: ruling_of(row.ruling.as_deref())?,
    })
}
pub(crate) const INSERT_DECISION: &str = "INSERT INTO decisions (case_id, log_index, body, \
     published_at) VALUES ($1, $2, $3, $4)";
pub(crate) const SELECT_ANSWERS: &str = "SELECT log_index, recommendation, status, body, \
     answered_at FROM recommendation_answers WHERE case_id = $1 ORDER BY log_index";
pub(crate) const INSERT_ANSWER: &str = "INSERT INTO recommendation_answers (log_index, case_id, \
     recommendation, status, body, answered_at) VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const SELECT_VOTED_ON_CASE: &str = "SELECT COUNT(*) FROM votes v \
     JOIN motions m ON m.id = v.motion_id WHERE m.case_id = $1 AND v.member_id = $2";
/// Every vote and commitment entry on the case's motions, ascending.
pub(crate) const SELECT_CASE_VOTE_INDICES: &str = "SELECT v.log_index FROM votes v \
     JOIN motions m ON m.id = v.motion_id WHERE m.case_id = $1 \
     UNION SELECT r.log_index FROM vote_reveals r \
     JOIN motions m ON m.id = r.motion_id WHERE m.case_id = $1 ORDER BY 1";

/// A decision draft (`SELECT_DRAFT`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct DraftRow {
    pub authors: String,
    pub rationale: String,
    pub record: String,
    pub updated_by: i64,
    pub updated_at: i64,
}

/// A signed opinion with its member's name (`SELECT_OPINIONS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OpinionRow {
    pub log_index: i64,
    pub member_id: i64,
    pub display_name: String,
    pub body: String,
    pub signed_at: i64,
}

/// The platform's answer to a recommendation (`SELECT_ANSWERS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AnswerRow {
    pub log_index: i64,
    pub recommendation: i64,
    pub status: String,
    pub body: String,
    pub answered_at: i64,
}

fn corrupt(what: &str) -> crate::StorageError {
    crate::StorageError::Corrupt(format!("decision: {what}"))
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String, crate::StorageError> {
    serde_json::to_string(value).map_err(|e| crate::StorageError::Statement(e.to_string()))
}

/// A stored draft; `names` gives each author's display name.
pub(crate) fn draft(
    row: DraftRow,
    names: &std::collections::HashMap<MemberId, String>,
) -> Result<DecisionDraft, crate::StorageError> {
    let authors: Vec<MemberId> =
        serde_json::from_str(&row.authors).map_err(|_| corrupt("authors"))?;
    Ok(DecisionDraft {
        authors: authors
            .into_iter()
            .map(|id| (id, names.get(&id).cloned().unwrap_or_default()))
            .collect(),
        rationale: row.rationale,
        record: serde_json::from_str(&row.record).map_err(|_| corrupt("record"))?,
        updated_by: Some(MemberId(row.updated_by as u64)),
        updated_at: Some(Timestamp(row.updated_at)),
    })
}

pub(crate) fn opinion(row: OpinionRow) -> Result<Opinion, crate::StorageError> {
    Ok(Opinion {
        log_index: row.log_index as u64,
        member: MemberId(row.member_id as u64),
        member_name: row.display_name,
        body: serde_json::from_str(&row.body).map_err(|_| corrupt("opinion"))?,
        signed_at: Timestamp(row.signed_at),
    })
}

pub(crate) fn answer(row: AnswerRow) -> Result<Answer, crate::StorageError> {
    Ok(Answer {
        log_index: row.log_index as u64,
        recommendation: u32::try_from(row.recommendation).map_err(|_| corrupt("answer"))?,
        status: AnswerStatus::parse(&row.status).map_err(|_| corrupt("answer status"))?,
        text: row.body,
        answered_at: Timestamp(row.answered_at),
    })
}

impl crate::db::Store {
    /// Changes the draft of `case` with `change`, once the case is
    /// decided and before the rationale is signed (when
    /// `before_signing`).
    async fn change_draft_tx(
        &self,
        case: domain::cases::CaseId,
        by: domain::statement::MemberId,
        now: domain::Timestamp,
        before_signing: bool,
        change: impl FnOnce(
            &mut (
                Vec<domain::statement::MemberId>,
                String,
                domain::decisions::DecisionRecord,
            ),
        ) -> Result<(), crate::StorageError>,
    ) -> Result<(), crate::StorageError> {
        let mut tx = self.begin_write().await?;
        if case_status_in(&mut tx, crate::db_int(case.0)).await?
            != domain::cases::CaseStatus::Decided
        {
            return Err(crate::StorageError::NotDecided);
        }
        let mut draft = draft_in(&mut tx, case).await?;
        if before_signing && majority_signed_in(&mut tx, case).await? {
            return Err(crate::StorageError::RationaleSigned);
        }
        change(&mut draft)?;
        sqlx::query(crate::decisions::UPSERT_DRAFT)
            .bind(crate::db_int(case.0))
            .bind(crate::decisions::json(&draft.0)?)
            .bind(&draft.1)
            .bind(crate::decisions::json(&draft.2)?)
            .bind(crate::db_int(by.0))
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn assign_authors_tx(
        &self,
        case: domain::cases::CaseId,
        authors: &[domain::statement::MemberId],
        by: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        let authors: std::collections::BTreeSet<_> = authors.iter().copied().collect();
        if authors.is_empty() {
            return Err(crate::StorageError::InvalidDecision(
                "Choose at least one author for the rationale.".to_owned(),
            ));
        }
        // Votes are append-only: who voted cannot change meanwhile.
        for author in &authors {
            let count: i64 = sqlx::query_scalar(crate::decisions::SELECT_VOTED_ON_CASE)
                .bind(crate::db_int(case.0))
                .bind(crate::db_int(author.0))
                .fetch_one(self.reader())
                .await?;
            if count == 0 {
                return Err(crate::StorageError::NotAVoter);
            }
        }
        self.change_draft_tx(case, by, now, true, |draft| {
            draft.0 = authors.into_iter().collect();
            Ok(())
        })
        .await
    }

    pub(crate) async fn save_rationale_tx(
        &self,
        case: domain::cases::CaseId,
        member: domain::statement::MemberId,
        text: &str,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        let text = if text.trim().is_empty() {
            String::new()
        } else {
            domain::decisions::opinion_text(text).map_err(crate::StorageError::InvalidDecision)?
        };
        self.change_draft_tx(case, member, now, true, |draft| {
            if !draft.0.contains(&member) {
                return Err(crate::StorageError::NotAnAuthor);
            }
            draft.1 = text;
            Ok(())
        })
        .await
    }

    pub(crate) async fn save_decision_record_tx(
        &self,
        case: domain::cases::CaseId,
        record: &domain::decisions::DecisionRecord,
        by: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        let record = domain::decisions::DecisionRecord::new(
            case,
            &record.clauses,
            &record.precedents,
            &record.recommendations,
        )
        .map_err(crate::StorageError::InvalidDecision)?;
        for precedent in &record.precedents {
            let published: Option<(i64, String)> =
                sqlx::query_as(crate::decisions::SELECT_DECISION)
                    .bind(crate::db_int(precedent.case.0))
                    .fetch_optional(self.reader())
                    .await?;
            if published.is_none() {
                return Err(crate::StorageError::InvalidDecision(format!(
                    "Case {} has no published decision to cite.",
                    precedent.case
                )));
            }
        }
        self.change_draft_tx(case, by, now, false, |draft| {
            draft.2 = record;
            Ok(())
        })
        .await
    }

    pub(crate) async fn sign_opinion_tx(
        &self,
        signed: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        use domain::decisions::OpinionKind;
        let subject = &signed.statement.subject;
        let (Some(case), Some(member), None) = (subject.case, subject.member, subject.motion)
        else {
            return Err(crate::StorageError::Statement("not an opinion".to_owned()));
        };
        if signed.statement.kind != domain::statement::StatementKind::Opinion {
            return Err(crate::StorageError::Statement("not an opinion".to_owned()));
        }
        let body: domain::decisions::OpinionBody =
            serde_json::from_value(signed.statement.body.clone())
                .map_err(|e| crate::StorageError::InvalidDecision(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let origin = crate::log::kept_origin(&mut tx, &self.ledger).await?;
        signed
            .verify(&origin)
            .map_err(|_| crate::StorageError::NotSignedByValidKey)?;
        if case_status_in(&mut tx, crate::db_int(case.0)).await?
            != domain::cases::CaseStatus::Decided
        {
            return Err(crate::StorageError::NotDecided);
        }
        // The majority rationale signed is the draft's, as it
        // stands (the draft is not in the log). Who may sign which
        // opinion, and when, are the log's rules, asked as the
        // opinion is appended.
        if body.opinion == OpinionKind::Majority {
            let draft = draft_in(&mut tx, case).await?;
            if draft.0 != body.authors || draft.1 != body.text {
                return Err(crate::StorageError::RationaleChanged);
            }
        }
        let index = append_statement(&mut tx, &self.ledger, signed, log_key, now).await?;
        sqlx::query(crate::decisions::INSERT_OPINION)
            .bind(crate::db_int(index))
            .bind(crate::db_int(case.0))
            .bind(crate::db_int(member.0))
            .bind(body.opinion.as_str())
            .bind(crate::decisions::json(&body)?)
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(index)
    }

    /// The `decision` statement on `case` as its chair `by` publishes it
    /// at `published_at`: its motions' outcomes, every vote and opinion
    /// entry, the chair's draft record and the case's digest, as the log
    /// and the working tables seen by `tx` give them. What the chair
    /// signs, and what a signed decision must be.
    async fn decision_in(
        &self,
        tx: &mut crate::db::Tx,
        case: domain::cases::CaseId,
        by: domain::statement::MemberId,
        published_at: i64,
    ) -> Result<domain::statement::Statement, crate::StorageError> {
        if case_status_in(tx, crate::db_int(case.0)).await? != domain::cases::CaseStatus::Decided {
            return Err(crate::StorageError::NotDecided);
        }
        let rows: Vec<crate::voting::MotionRow> =
            sqlx::query_as(crate::voting::SELECT_MOTIONS_OF_CASE)
                .bind(crate::db_int(case.0))
                .fetch_all(&mut **tx)
                .await?;
        let mut motions = Vec::with_capacity(rows.len());
        for row in rows {
            let motion = crate::voting::motion(row)?;
            // Drafts never opened are not part of the decision.
            if motion.opened.is_none() {
                continue;
            }
            // An open motion has no outcome yet: the log's rules
            // refuse a decision over it, as they refuse one with no
            // motion or a rationale not signed by each author.
            motions.push(domain::decisions::MotionOutcome {
                motion: motion.id,
                outcome: motion
                    .closed
                    .map_or(domain::voting::Outcome::NoDecision, |(_, closing)| {
                        closing.tally.outcome
                    }),
            });
        }
        let draft = draft_in(tx, case).await?;
        let opinions = opinions_in(tx, case).await?;
        let votes: Vec<i64> = sqlx::query_scalar(crate::decisions::SELECT_CASE_VOTE_INDICES)
            .bind(crate::db_int(case.0))
            .fetch_all(&mut **tx)
            .await?;
        // The case as its public record will show it, committed to
        // by the decision (read inside this transaction).
        let record = case_in(tx, case).await?;
        let comments: Vec<crate::deliberation::PublicCommentRow> =
            sqlx::query_as(crate::deliberation::SELECT_PUBLIC_COMMENTS)
                .bind(crate::db_int(case.0))
                .fetch_all(&mut **tx)
                .await?;
        let comments = crate::deliberation::published_comments(
            comments
                .into_iter()
                .map(crate::deliberation::public_comment)
                .collect(),
        );
        let case_digest = domain::public::case_digest(
            &record.fields,
            &crate::cases::stages_of(&record, Some(published_at)),
            &comments,
        );
        let body = domain::decisions::DecisionBody {
            motions,
            votes: votes.into_iter().map(|i| i as u64).collect(),
            opinions: opinions.iter().map(|o| o.log_index).collect(),
            answers_due: (!draft.2.recommendations.is_empty())
                .then(|| domain::decisions::answers_due(published_at)),
            record: draft.2,
            published_at,
            by,
            case_digest: Some(case_digest),
        };
        let origin = log_origin_in(tx).await?;
        Ok(domain::decisions::decision_statement(&origin, case, &body))
    }

    pub(crate) async fn prepare_decision_tx(
        &self,
        case: domain::cases::CaseId,
        by: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<domain::statement::Statement, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let statement = self
            .decision_in(&mut tx, case, by, now.unix_seconds())
            .await?;
        tx.rollback().await?;
        Ok(statement)
    }

    pub(crate) async fn publish_decision_tx(
        &self,
        statement: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        let kind = domain::statement::StatementKind::Decision;
        let body: domain::decisions::DecisionBody = crate::voting::act_body(statement, kind)?;
        let case = statement
            .statement
            .subject
            .case
            .ok_or_else(|| crate::voting::invalid_body(kind, "no case"))?;
        let (by, published_at) = (body.by, body.published_at);
        let mut tx = self.begin_write().await?;
        crate::voting::verified_in(&mut tx, statement).await?;
        // The decision the chair signed must be the one the case gives
        // now, at the chair's time and with the chair's name.
        let expected = self.decision_in(&mut tx, case, by, published_at).await?;
        if expected != statement.statement {
            return Err(crate::StorageError::ActChanged);
        }
        let index = append_statement(&mut tx, &self.ledger, statement, log_key, now).await?;
        sqlx::query(crate::decisions::INSERT_DECISION)
            .bind(crate::db_int(case.0))
            .bind(crate::db_int(index))
            .bind(crate::decisions::json(&body)?)
            .bind(published_at)
            .execute(&mut *tx)
            .await?;
        let rationale = majority_rationale_in(&mut tx, case).await?;
        index_decision_in(&mut tx, case, index, &body, &rationale).await?;
        let from = domain::cases::CaseStatus::Decided;
        let to = domain::cases::CaseStatus::Published;
        let moved = sqlx::query(crate::cases::MOVE_CASE)
            .bind(crate::db_int(case.0))
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(published_at)
            .bind(None::<i64>)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if moved != 1 {
            return Err(crate::StorageError::CaseMoved);
        }
        sqlx::query(crate::cases::INSERT_CASE_EVENT)
            .bind(crate::db_int(case.0))
            .bind(Some(from.as_str()))
            .bind(to.as_str())
            .bind(Some(crate::db_int(by.0)))
            .bind(None::<i64>)
            .bind(Some(format!("Decision published (log entry {index}).")))
            .bind(published_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(index)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the answer, its key, the log key and the time"
    )]
    pub(crate) async fn answer_recommendation_tx(
        &self,
        case: domain::cases::CaseId,
        recommendation: u32,
        status: domain::decisions::AnswerStatus,
        text: &str,
        retry: Option<&crate::Idempotency>,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<Answered, crate::StorageError> {
        let text =
            domain::decisions::answer_text(text).map_err(crate::StorageError::InvalidDecision)?;
        let mut tx = self.begin_write().await?;
        if let Some(retry) = retry {
            let earlier: Option<(Vec<u8>, i64)> = sqlx::query_as(SELECT_ANSWER_REQUEST)
                .bind(crate::db_int(retry.token.0))
                .bind(&retry.key)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((hash, index)) = earlier {
                tx.rollback().await?;
                return if hash == retry.request_hash {
                    Ok(Answered::Existing(crate::db_u64(index)))
                } else {
                    Err(crate::StorageError::IdempotencyKeyReused)
                };
            }
        }
        // That the case has a published decision with this
        // recommendation is the log's rule, asked as the answer is
        // appended.
        let answer = domain::decisions::AnswerBody {
            recommendation,
            status,
            text: text.clone(),
            answered_at: now.unix_seconds(),
        };
        let origin = crate::log::kept_origin(&mut tx, &self.ledger).await?;
        let statement = log_key
            .sign_statement(domain::decisions::answer_statement(&origin, case, &answer))
            .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
        let index = append_statement(&mut tx, &self.ledger, &statement, log_key, now).await?;
        sqlx::query(crate::decisions::INSERT_ANSWER)
            .bind(crate::db_int(index))
            .bind(crate::db_int(case.0))
            .bind(i64::from(recommendation))
            .bind(status.as_str())
            .bind(text)
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        if let Some(retry) = retry {
            sqlx::query(INSERT_ANSWER_REQUEST)
                .bind(crate::db_int(retry.token.0))
                .bind(&retry.key)
                .bind(retry.request_hash.to_vec())
                .bind(crate::db_int(index))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Answered::New(index))
    }
}

/// An answer taken with an idempotency key: its token, key and request.
const SELECT_ANSWER_REQUEST: &str = "SELECT request_hash, log_index FROM answer_requests \
     WHERE token_id = $1 AND idempotency_key = $2";
const INSERT_ANSWER_REQUEST: &str = "INSERT INTO answer_requests \
     (token_id, idempotency_key, request_hash, log_index) VALUES ($1, $2, $3, $4)";

/// What answering a recommendation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// Logged at this index.
    New(u64),
    /// The same answer was already taken with this key: its entry.
    Existing(u64),
}

impl Answered {
    pub fn index(self) -> u64 {
        match self {
            Self::New(index) | Self::Existing(index) => index,
        }
    }
}

/// The draft of `case` as (authors, rationale, record); empty if none.
pub(crate) async fn draft_in(
    tx: &mut crate::db::Tx,
    case: domain::cases::CaseId,
) -> Result<
    (
        Vec<domain::statement::MemberId>,
        String,
        domain::decisions::DecisionRecord,
    ),
    crate::StorageError,
> {
    let row: Option<crate::decisions::DraftRow> = sqlx::query_as(crate::decisions::SELECT_DRAFT)
        .bind(crate::db_int(case.0))
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else {
        return Ok(Default::default());
    };
    let draft = crate::decisions::draft(row, &std::collections::HashMap::new())?;
    Ok((
        draft.authors.into_iter().map(|(id, _)| id).collect(),
        draft.rationale,
        draft.record,
    ))
}

pub(crate) async fn opinions_in(
    tx: &mut crate::db::Tx,
    case: domain::cases::CaseId,
) -> Result<Vec<crate::decisions::Opinion>, crate::StorageError> {
    let rows: Vec<crate::decisions::OpinionRow> = sqlx::query_as(crate::decisions::SELECT_OPINIONS)
        .bind(crate::db_int(case.0))
        .fetch_all(&mut **tx)
        .await?;
    rows.into_iter().map(crate::decisions::opinion).collect()
}

/// The text of the majority rationale of `case` (empty before one is signed).
pub(crate) async fn majority_rationale_in(
    tx: &mut crate::db::Tx,
    case: domain::cases::CaseId,
) -> Result<String, crate::StorageError> {
    Ok(opinions_in(tx, case)
        .await?
        .into_iter()
        .find(|o| o.body.opinion == domain::decisions::OpinionKind::Majority)
        .map(|o| o.body.text)
        .unwrap_or_default())
}

/// Whether an author has signed the rationale of `case` (from then
/// on its text and authors are fixed).
pub(crate) async fn majority_signed_in(
    tx: &mut crate::db::Tx,
    case: domain::cases::CaseId,
) -> Result<bool, crate::StorageError> {
    Ok(opinions_in(tx, case)
        .await?
        .iter()
        .any(|o| o.body.opinion == domain::decisions::OpinionKind::Majority))
}

/// The signed opinions on a case.
pub(crate) async fn opinions_on(
    conn: &mut sqlx::AnyConnection,
    case: domain::cases::CaseId,
) -> Result<Vec<crate::Opinion>, crate::StorageError> {
    let rows: Vec<crate::decisions::OpinionRow> = sqlx::query_as(crate::decisions::SELECT_OPINIONS)
        .bind(crate::db_int(case.0))
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(crate::decisions::opinion).collect()
}

/// The published decision on a case, if any.
pub(crate) async fn decision_on(
    conn: &mut sqlx::AnyConnection,
    case: domain::cases::CaseId,
) -> Result<Option<crate::Decision>, crate::StorageError> {
    let row: Option<(i64, String)> = sqlx::query_as(crate::decisions::SELECT_DECISION)
        .bind(crate::db_int(case.0))
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(index, body)| {
        Ok(crate::Decision {
            case,
            log_index: index as u64,
            body: serde_json::from_str(&body)
                .map_err(|_| crate::StorageError::Corrupt("decision".to_owned()))?,
        })
    })
    .transpose()
}

/// The platform's answers on a case, in log order.
pub(crate) async fn answers_on(
    conn: &mut sqlx::AnyConnection,
    case: domain::cases::CaseId,
) -> Result<Vec<crate::Answer>, crate::StorageError> {
    let rows: Vec<crate::decisions::AnswerRow> = sqlx::query_as(crate::decisions::SELECT_ANSWERS)
        .bind(crate::db_int(case.0))
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(crate::decisions::answer).collect()
}

/// Decision drafts, opinions, published decisions and answers to recommendations.
#[async_trait::async_trait]
pub trait DecisionStore: Send + Sync {
    /// The decision being prepared on a case (empty until the chair or an
    /// author saves something).
    async fn decision_draft(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<DecisionDraft, StorageError>;

    /// The chair assigns the rationale's author(s), who must have voted on
    /// the case; refused once an author has signed.
    async fn assign_authors(
        &self,
        case: domain::cases::CaseId,
        authors: &[MemberId],
        by: MemberId,
        now: Timestamp,
    ) -> Result<(), StorageError>;

    /// An assigned author saves the rationale's text (empty clears it);
    /// refused once an author has signed.
    async fn save_rationale(
        &self,
        case: domain::cases::CaseId,
        member: MemberId,
        text: &str,
        now: Timestamp,
    ) -> Result<(), StorageError>;

    /// The chair saves the clauses applied, the precedents (published
    /// decisions) and the recommendations.
    async fn save_decision_record(
        &self,
        case: domain::cases::CaseId,
        record: &domain::decisions::DecisionRecord,
        by: MemberId,
        now: Timestamp,
    ) -> Result<(), StorageError>;

    /// Appends a member's signed opinion (majority rationale — the draft's
    /// exact text and authors —, dissent or concurrence) on a decided case
    /// the member voted on, and records it. Returns the log index.
    async fn sign_opinion(
        &self,
        opinion: &SignedStatement,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// The signed opinions on a case, in log order.
    async fn opinions(&self, case: domain::cases::CaseId) -> Result<Vec<Opinion>, StorageError>;

    /// The `decision` statement the chair `by` signs to publish the
    /// decision of a decided case now: naming every vote and opinion entry,
    /// each motion's outcome, the draft record and the case's digest.
    /// Nothing is written.
    async fn prepare_decision(
        &self,
        case: domain::cases::CaseId,
        by: MemberId,
        now: Timestamp,
    ) -> Result<domain::statement::Statement, StorageError>;

    /// Publishes the chair's signed decision, which must be what
    /// [`Self::prepare_decision`] gives now at its time (`ActChanged`
    /// otherwise) and which the log's rules must accept (the chair's valid
    /// key, motions closed, the rationale signed by every author): logs it
    /// and moves the case to `published`, in one transaction. Returns the
    /// log index.
    async fn publish_decision(
        &self,
        signed: &domain::statement::SignedStatement,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// The published decision of a case, if any.
    async fn decision(&self, case: domain::cases::CaseId)
    -> Result<Option<Decision>, StorageError>;

    /// Logs the platform's answer to recommendation `recommendation` (from
    /// 1) of a published decision. Returns the log index.
    async fn answer_recommendation(
        &self,
        case: domain::cases::CaseId,
        recommendation: u32,
        status: domain::decisions::AnswerStatus,
        text: &str,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// Answers a recommendation as [`DecisionStore::answer_recommendation`]
    /// does, once per idempotency key: a retry (the same token, key and
    /// request) is given the entry logged the first time, the same key with
    /// another request is refused (`IdempotencyKeyReused`).
    #[expect(
        clippy::too_many_arguments,
        reason = "the answer, its key, the log key and the time"
    )]
    async fn answer_recommendation_once(
        &self,
        case: domain::cases::CaseId,
        recommendation: u32,
        status: domain::decisions::AnswerStatus,
        text: &str,
        retry: &crate::Idempotency,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<Answered, StorageError>;

    /// The platform's answers on a case, in log order.
    async fn answers(&self, case: domain::cases::CaseId) -> Result<Vec<Answer>, StorageError>;
}

#[async_trait::async_trait]
impl DecisionStore for crate::db::Store {
    async fn decision_draft(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<crate::DecisionDraft, crate::StorageError> {
        let row: Option<crate::decisions::DraftRow> =
            sqlx::query_as(crate::decisions::SELECT_DRAFT)
                .bind(crate::db_int(case.0))
                .fetch_optional(self.reader())
                .await?;
        let Some(row) = row else {
            return Ok(crate::DecisionDraft::default());
        };
        let names = self
            .members()
            .await?
            .into_iter()
            .map(|m| (m.id, m.name.as_str().to_owned()))
            .collect();
        crate::decisions::draft(row, &names)
    }

    async fn assign_authors(
        &self,
        case: domain::cases::CaseId,
        authors: &[domain::statement::MemberId],
        by: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        self.assign_authors_tx(case, authors, by, now).await
    }

    async fn save_rationale(
        &self,
        case: domain::cases::CaseId,
        member: domain::statement::MemberId,
        text: &str,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        self.save_rationale_tx(case, member, text, now).await
    }

    async fn save_decision_record(
        &self,
        case: domain::cases::CaseId,
        record: &domain::decisions::DecisionRecord,
        by: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        self.save_decision_record_tx(case, record, by, now).await
    }

    async fn sign_opinion(
        &self,
        opinion: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        self.sign_opinion_tx(opinion, log_key, now).await
    }

    async fn opinions(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Vec<crate::Opinion>, crate::StorageError> {
        opinions_on(&mut *self.reader().acquire().await?, case).await
    }

    async fn prepare_decision(
        &self,
        case: domain::cases::CaseId,
        by: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<domain::statement::Statement, crate::StorageError> {
        self.prepare_decision_tx(case, by, now).await
    }

    async fn publish_decision(
        &self,
        signed: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        self.publish_decision_tx(signed, log_key, now).await
    }

    async fn decision(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Option<crate::Decision>, crate::StorageError> {
        decision_on(&mut *self.reader().acquire().await?, case).await
    }

    async fn answer_recommendation(
        &self,
        case: domain::cases::CaseId,
        recommendation: u32,
        status: domain::decisions::AnswerStatus,
        text: &str,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        self.answer_recommendation_tx(case, recommendation, status, text, None, log_key, now)
            .await
            .map(Answered::index)
    }

    async fn answer_recommendation_once(
        &self,
        case: domain::cases::CaseId,
        recommendation: u32,
        status: domain::decisions::AnswerStatus,
        text: &str,
        retry: &crate::Idempotency,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<Answered, crate::StorageError> {
        self.answer_recommendation_tx(
            case,
            recommendation,
            status,
            text,
            Some(retry),
            log_key,
            now,
        )
        .await
    }

    async fn answers(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Vec<crate::Answer>, crate::StorageError> {
        answers_on(&mut *self.reader().acquire().await?, case).await
    }
}
