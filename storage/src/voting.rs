//! Voting in storage: motions (drafted, opened and closed through the log),
//! every signed vote, and sealed votes revealed at close. Models, SQL, and
//! the transactions behind the `Storage` voting methods (`voting_impl!`,
//! expanded once per backend).

use crate::StorageError;
use crate::cases::case_status_in;
use crate::log::append_entry;
use crate::log::append_statement;
use crate::log::log_frontier_in;
use crate::log::log_origin_in;
use crate::log::publish_checkpoint;
use crate::log::with_ledger;
use domain::Timestamp;
use domain::cases::CaseId;
use domain::note::NoteSigner;
use domain::statement::SignedStatement;
use domain::statement::Statement;
use domain::statement::{MemberId, MotionId};
use domain::voting::{ClosingBody, MotionBody, MotionKind};

/// One vote with what the public record shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseVote {
    pub motion: MotionId,
    pub member: MemberId,
    pub member_name: String,
    pub sequence: u32,
    pub choice: String,
    pub reason: Option<String>,
    /// The signed vote's entry (its signature is shown).
    pub entry: Vec<u8>,
    pub log_index: u64,
    pub revealed_index: Option<u64>,
    pub cast_at: Timestamp,
}

pub(crate) const SELECT_CASE_VOTES: &str = "SELECT v.motion_id, v.member_id, m.display_name, \
     v.sequence, v.choice, v.reason, v.entry, v.log_index, r.log_index AS revealed_index, \
     v.cast_at FROM votes v \
     JOIN motions mo ON mo.id = v.motion_id JOIN members m ON m.id = v.member_id \
     LEFT JOIN vote_reveals r ON r.motion_id = v.motion_id AND r.member_id = v.member_id \
       AND r.sequence = v.sequence \
     WHERE mo.case_id = $1 ORDER BY v.motion_id, v.log_index";

/// A vote on one of a case's motions, with its reveal (`SELECT_CASE_VOTES`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CaseVoteRow {
    pub motion_id: i64,
    pub member_id: i64,
    pub display_name: String,
    pub sequence: i64,
    pub choice: String,
    pub reason: Option<String>,
    pub entry: Vec<u8>,
    pub log_index: i64,
    pub revealed_index: Option<i64>,
    pub cast_at: i64,
}

pub(crate) fn case_vote(row: CaseVoteRow) -> CaseVote {
    CaseVote {
        motion: MotionId(row.motion_id as u64),
        member: MemberId(row.member_id as u64),
        member_name: row.display_name,
        sequence: u32::try_from(row.sequence).unwrap_or(u32::MAX),
        choice: row.choice,
        reason: row.reason,
        entry: row.entry,
        log_index: row.log_index as u64,
        revealed_index: row.revealed_index.map(|i| i as u64),
        cast_at: Timestamp(row.cast_at),
    }
}

/// A motion on a case, from draft to close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Motion {
    pub id: MotionId,
    pub case: CaseId,
    pub kind: MotionKind,
    pub text: String,
    pub remedies: Vec<String>,
    pub drafted_by: MemberId,
    pub drafted_at: Timestamp,
    /// What carrying it means, as the chair drafted it (logged in the
    /// opening).
    pub effect: Option<domain::voting::Effect>,
    /// Set when voting opened: the log entry and what it published.
    pub opened: Option<(u64, MotionBody)>,
    /// Set when voting closed: the log entry and the tally it published.
    pub closed: Option<(u64, ClosingBody)>,
}

impl Motion {
    /// Whether voting is open (opened and not yet closed).
    pub fn is_open(&self) -> bool {
        self.opened.is_some() && self.closed.is_none()
    }

    /// Whether votes are hidden now: a sealed motion before its close.
    pub fn is_sealed_now(&self) -> bool {
        self.closed.is_none()
            && self
                .opened
                .as_ref()
                .is_some_and(|(_, body)| body.rules.sealed)
    }
}

/// One signed vote (replaced votes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    pub member: MemberId,
    pub member_name: String,
    pub sequence: u32,
    pub choice: String,
    pub reason: Option<String>,
    /// The log entry of the vote (unsealed) or of its commitment (sealed).
    pub log_index: u64,
    /// On a sealed motion, where the vote was revealed at close.
    pub revealed_index: Option<u64>,
    pub cast_at: Timestamp,
}

/// One version of the council's voting rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesVersion {
    pub rules: domain::voting::Rules,
    /// `None` for version 1, the initial rules.
    pub change: Option<RulesChange>,
}

/// Who changed the rules, why, and where the change is in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesChange {
    pub reason: String,
    pub by: MemberId,
    pub by_name: String,
    pub log_index: u64,
    pub at: Timestamp,
}

pub(crate) const SELECT_CURRENT_RULES: &str =
    "SELECT body FROM rules ORDER BY version DESC LIMIT 1";
pub(crate) const SELECT_RULES_HISTORY: &str = "SELECT r.body, r.reason, r.by_member, \
     m.display_name, r.log_index, r.at FROM rules r JOIN members m ON m.id = r.by_member \
     ORDER BY r.version";
pub(crate) const INSERT_RULES: &str = "INSERT INTO rules (version, body, reason, by_member, \
     log_index, at) VALUES ($1, $2, $3, $4, $5, $6)";

/// A change of the rules with its admin's name (`SELECT_RULES_HISTORY`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RulesRow {
    pub body: String,
    pub reason: String,
    pub by_member: i64,
    pub display_name: String,
    pub log_index: i64,
    pub at: i64,
}

pub(crate) fn rules_version(row: RulesRow) -> Result<RulesVersion, crate::StorageError> {
    Ok(RulesVersion {
        rules: parse_rules(&row.body)?,
        change: Some(RulesChange {
            reason: row.reason,
            by: MemberId(row.by_member as u64),
            by_name: row.display_name,
            log_index: row.log_index as u64,
            at: Timestamp(row.at),
        }),
    })
}

pub(crate) fn parse_rules(body: &str) -> Result<domain::voting::Rules, crate::StorageError> {
    serde_json::from_str(body).map_err(|_| crate::StorageError::Corrupt("rules".to_owned()))
}

/// The rules in force from the latest stored change, if any.
pub(crate) fn current_rules(
    latest: Option<String>,
) -> Result<domain::voting::Rules, crate::StorageError> {
    latest.map_or(Ok(domain::voting::Rules::initial()), |body| {
        parse_rules(&body)
    })
}

pub(crate) const INSERT_MOTION: &str = "INSERT INTO motions (case_id, kind, body, remedies, \
     drafted_by, drafted_at, effect) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
macro_rules! motion_columns {
    () => {
        "SELECT id, case_id, kind, body, remedies, drafted_by, drafted_at, \
         opened_index, opening, closed_index, closing, effect FROM motions "
    };
}
pub(crate) const SELECT_MOTIONS_OF_CASE: &str =
    concat!(motion_columns!(), "WHERE case_id = $1 ORDER BY id");
pub(crate) const SELECT_MOTION: &str = concat!(motion_columns!(), "WHERE id = $1");
pub(crate) const SELECT_MOTION_CASE: &str = "SELECT case_id FROM motions WHERE id = $1";
pub(crate) const SELECT_PANEL: &str =
    "SELECT members FROM panels WHERE case_id = $1 ORDER BY log_index DESC LIMIT 1";
pub(crate) const INSERT_PANEL: &str = "INSERT INTO panels (log_index, case_id, members, \
     by_member, assigned_at) VALUES ($1, $2, $3, $4, $5)";
/// A stored panel's members.
pub(crate) fn panel_members(
    json: Option<String>,
) -> Result<Option<Vec<MemberId>>, crate::StorageError> {
    json.map(|json| {
        serde_json::from_str(&json).map_err(|_| crate::StorageError::Corrupt("panel".to_owned()))
    })
    .transpose()
}
pub(crate) const OPEN_MOTION: &str = "UPDATE motions SET opened_index = $2, opening = $3, \
     closes_at = $4 WHERE id = $1 AND opened_index IS NULL";
pub(crate) const CLOSE_MOTION: &str = "UPDATE motions SET closed_index = $2, closing = $3 \
     WHERE id = $1 AND closed_index IS NULL";
pub(crate) const SELECT_DUE: &str = "SELECT id FROM motions WHERE opened_index IS NOT NULL \
     AND closed_index IS NULL AND closes_at <= $1 ORDER BY closes_at, id";
pub(crate) const INSERT_VOTE: &str = "INSERT INTO votes (motion_id, member_id, sequence, choice, \
     reason, entry, log_index, cast_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const SELECT_VOTE_ENTRIES: &str = "SELECT member_id, sequence, entry FROM votes \
     WHERE motion_id = $1 ORDER BY log_index";
pub(crate) const INSERT_REVEAL: &str = "INSERT INTO vote_reveals (motion_id, member_id, \
     sequence, log_index) VALUES ($1, $2, $3, $4)";
pub(crate) const SELECT_VOTES: &str = "SELECT v.member_id, m.display_name, v.sequence, v.choice, \
     v.reason, v.log_index, r.log_index AS revealed_index, v.cast_at FROM votes v \
     JOIN members m ON m.id = v.member_id \
     LEFT JOIN vote_reveals r ON r.motion_id = v.motion_id AND r.member_id = v.member_id \
       AND r.sequence = v.sequence \
     WHERE v.motion_id = $1 ORDER BY v.log_index";

/// A motion, from draft to close (`SELECT_MOTION`, `SELECT_MOTIONS_OF_CASE`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct MotionRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub body: String,
    pub remedies: String,
    pub drafted_by: i64,
    pub drafted_at: i64,
    pub opened_index: Option<i64>,
    pub opening: Option<String>,
    pub closed_index: Option<i64>,
    pub closing: Option<String>,
    pub effect: Option<String>,
}

fn corrupt(what: &str) -> crate::StorageError {
    crate::StorageError::Corrupt(format!("motion: {what}"))
}

pub(crate) fn motion(row: MotionRow) -> Result<Motion, crate::StorageError> {
    let opened = match (row.opened_index, row.opening) {
        (Some(index), Some(json)) => Some((
            index as u64,
            serde_json::from_str(&json).map_err(|_| corrupt("opening"))?,
        )),
        _ => None,
    };
    let closed = match (row.closed_index, row.closing) {
        (Some(index), Some(json)) => Some((
            index as u64,
            serde_json::from_str(&json).map_err(|_| corrupt("closing"))?,
        )),
        _ => None,
    };
    Ok(Motion {
        id: MotionId(row.id as u64),
        case: CaseId(row.case_id as u64),
        kind: MotionKind::parse(&row.kind).map_err(|_| corrupt("kind"))?,
        text: row.body,
        remedies: serde_json::from_str(&row.remedies).map_err(|_| corrupt("remedies"))?,
        drafted_by: MemberId(row.drafted_by as u64),
        drafted_at: Timestamp(row.drafted_at),
        effect: row
            .effect
            .map(|e| domain::voting::Effect::parse(&e).ok_or_else(|| corrupt("effect")))
            .transpose()?,
        opened,
        closed,
    })
}

/// A vote on a motion, with its reveal (`SELECT_VOTES`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct VoteRow {
    pub member_id: i64,
    pub display_name: String,
    pub sequence: i64,
    pub choice: String,
    pub reason: Option<String>,
    pub log_index: i64,
    pub revealed_index: Option<i64>,
    pub cast_at: i64,
}

pub(crate) fn vote(row: VoteRow) -> Vote {
    Vote {
        member: MemberId(row.member_id as u64),
        member_name: row.display_name,
        sequence: u32::try_from(row.sequence).unwrap_or_default(),
        choice: row.choice,
        reason: row.reason,
        log_index: row.log_index as u64,
        revealed_index: row.revealed_index.map(|i| i as u64),
        cast_at: Timestamp(row.cast_at),
    }
}

impl crate::db::Store {
    pub(crate) async fn draft_motion_tx(
        &self,
        case: domain::cases::CaseId,
        draft: &domain::voting::MotionDraft,
        by: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<domain::statement::MotionId, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let status = case_status_in(&mut tx, crate::db_int(case.0)).await?;
        if !status.is_open() {
            return Err(crate::StorageError::CaseClosed);
        }
        let remedies = serde_json::to_string(&draft.remedies)
            .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
        let id: i64 = sqlx::query_scalar(crate::voting::INSERT_MOTION)
            .bind(crate::db_int(case.0))
            .bind(draft.kind.as_str())
            .bind(&draft.text)
            .bind(remedies)
            .bind(crate::db_int(by.0))
            .bind(now.unix_seconds())
            .bind(draft.effect.map(domain::voting::Effect::as_str))
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(domain::statement::MotionId(id as u64))
    }

    /// The `motion-opening` statement that opens motion `id` as drafted,
    /// by `by`, from `opens_at` to `closes_at`, under `rules`, with the
    /// roll of the log as `tx` sees it: what the chair signs, and what a
    /// signed opening must be.
    async fn opening_in(
        &self,
        tx: &mut crate::db::Tx,
        id: domain::statement::MotionId,
        by: domain::statement::MemberId,
        (opens_at, closes_at): (i64, i64),
        rules: &domain::voting::Rules,
    ) -> Result<domain::statement::Statement, crate::StorageError> {
        let motion = motion_in(tx, id).await?;
        let status = case_status_in(tx, crate::db_int(motion.case.0)).await?;
        if status != domain::cases::CaseStatus::Voting {
            return Err(crate::StorageError::CaseNotVoting);
        }
        // The roll is the log's (eligible, not recused, the panel);
        // that the motion is new, the rules are those in force, the
        // roll is not empty and the chair signed it are the log's
        // rules, asked as the opening is appended.
        let roll = with_ledger(tx, &self.ledger, |ledger| {
            ledger.ballots().opening_roll(ledger.roll(), motion.case)
        })
        .await?;
        let body = domain::voting::MotionBody {
            kind: motion.kind,
            text: motion.text.clone(),
            remedies: motion.remedies.clone(),
            rules: *rules,
            opens_at,
            closes_at,
            roll,
            by,
            effect: motion.effect,
        };
        let origin = log_origin_in(tx).await?;
        Ok(domain::voting::opening_statement(
            &origin,
            motion.case,
            id,
            &body,
        ))
    }

    pub(crate) async fn prepare_opening_tx(
        &self,
        id: domain::statement::MotionId,
        by: domain::statement::MemberId,
        closes_at: domain::Timestamp,
        rules: &domain::voting::Rules,
        now: domain::Timestamp,
    ) -> Result<domain::statement::Statement, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let statement = self
            .opening_in(
                &mut tx,
                id,
                by,
                (now.unix_seconds(), closes_at.unix_seconds()),
                rules,
            )
            .await?;
        tx.rollback().await?;
        Ok(statement)
    }

    pub(crate) async fn open_motion_tx(
        &self,
        signed: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        let kind = domain::statement::StatementKind::MotionOpening;
        let body: domain::voting::MotionBody = act_body(signed, kind)?;
        let id = signed
            .statement
            .subject
            .motion
            .ok_or_else(|| invalid_body(kind, "no motion"))?;
        let mut tx = self.begin_write().await?;
        verified_in(&mut tx, signed).await?;
        // The opening the chair signed must be the one this motion's
        // draft and the log give now, with the chair's times and name.
        let expected = self
            .opening_in(
                &mut tx,
                id,
                body.by,
                (body.opens_at, body.closes_at),
                &body.rules,
            )
            .await?;
        if expected != signed.statement {
            return Err(crate::StorageError::ActChanged);
        }
        let closes_at = domain::Timestamp(body.closes_at);
        let index = append_statement(&mut tx, &self.ledger, signed, log_key, now).await?;
        let opening = serde_json::to_string(&body)
            .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
        sqlx::query(crate::voting::OPEN_MOTION)
            .bind(crate::db_int(id.0))
            .bind(crate::db_int(index))
            .bind(opening)
            .bind(closes_at.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(index)
    }

    pub(crate) async fn cast_vote_tx(
        &self,
        vote: &domain::statement::SignedStatement,
        commitment: Option<&domain::statement::SignedStatement>,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        // Signatures are checked here, by each caller in parallel; the
        // one writer checks the rest (and that the origin is this log's).
        vote.verify(&vote.statement.origin)
            .map_err(|_| crate::StorageError::BadSignature)?;
        if let Some(commitment) = commitment {
            commitment
                .verify(&commitment.statement.origin)
                .map_err(|_| crate::StorageError::BadSignature)?;
        }
        // A request that writes a batch may end before it answers it (its
        // client went away, and the request's future was dropped with the
        // batch's transaction, committed or not): the others then look for
        // their vote in the log, and write it if it is not there. Never is a
        // stored vote reported as failed, nor a vote lost unreported.
        for attempt in 0..3 {
            let (reply, answer) = tokio::sync::oneshot::channel();
            self.ballot_box.push(crate::kept::VoteJob {
                vote: vote.clone(),
                commitment: commitment.cloned(),
                now,
                reply,
            });
            {
                // Whoever holds the lock writes every vote queued so far,
                // this one included unless an earlier writer took it.
                let _writer = self.ballot_box.commit.lock().await;
                let jobs = self.ballot_box.take();
                if !jobs.is_empty() {
                    self.record_votes(jobs, log_key).await;
                }
            }
            match answer.await {
                Ok(Ok(index)) => return Ok(index),
                // A refusal after a lost writer may be this very vote,
                // stored by it: its sequence is then taken.
                Ok(Err(refused)) if attempt > 0 => {
                    return match self.stored_vote(vote).await? {
                        Some(index) => Ok(index),
                        None => Err(refused),
                    };
                }
                Ok(Err(refused)) => return Err(refused),
                Err(_) => {
                    if let Some(index) = self.stored_vote(vote).await? {
                        return Ok(index);
                    }
                    tracing::warn!(
                        attempt,
                        "a batch's writer ended before it answered and the vote is not stored: it is written again"
                    );
                }
            }
        }
        Err(crate::StorageError::WriteFailed(
            "the vote's writers kept stopping".to_owned(),
        ))
    }

    /// The log index under which `vote` (the very same signed vote) is
    /// stored, if it is: read in a write transaction, which begins only
    /// once any earlier one has committed or rolled back.
    async fn stored_vote(
        &self,
        vote: &domain::statement::SignedStatement,
    ) -> Result<Option<u64>, crate::StorageError> {
        let subject = &vote.statement.subject;
        let (Some(motion), Some(member)) = (subject.motion, subject.member) else {
            return Ok(None);
        };
        let Ok(body) =
            serde_json::from_value::<domain::voting::VoteBody>(vote.statement.body.clone())
        else {
            return Ok(None);
        };
        let Ok(entry) = vote.to_entry() else {
            return Ok(None);
        };
        let mut tx = self.begin_write().await?;
        let row: Option<(Vec<u8>, i64)> = sqlx::query_as(SELECT_VOTE_ENTRY)
            .bind(crate::db_int(motion.0))
            .bind(crate::db_int(member.0))
            .bind(i64::from(body.sequence))
            .fetch_optional(&mut *tx)
            .await?;
        tx.rollback().await?;
        Ok(row
            .filter(|(stored, _)| *stored == entry)
            .map(|(_, index)| crate::db_u64(index)))
    }

    /// Stores `jobs` in one transaction: each vote is checked and
    /// written inside its own savepoint (a refused vote leaves no
    /// trace), then one checkpoint covers them all. Answers each job.
    async fn record_votes(
        &self,
        jobs: Vec<crate::kept::VoteJob>,
        log_key: &domain::note::NoteSigner,
    ) {
        // The fast path writes the batch without savepoints: every
        // check of a vote comes before its writes, so a refused vote
        // leaves nothing. Should a write itself fail (a database
        // error, which on PostgreSQL also aborts the transaction),
        // the whole batch is rolled back and written again with a
        // savepoint around each vote.
        let written = match self.write_votes(&jobs, log_key, false).await {
            // Whether the batch was committed is unknown: nobody is told
            // either way, each caller looks for its own vote in the log
            // (and writes it again if it is not there).
            Err(crate::StorageError::CommitUnknown(error)) => {
                tracing::warn!(%error, votes = jobs.len(), "a batch's commit did not answer: each vote is looked for");
                return;
            }
            Err(crate::StorageError::Database(error)) => {
                tracing::warn!(%error, votes = jobs.len(), "a vote failed to write: the batch is written again vote by vote");
                self.write_votes(&jobs, log_key, true).await
            }
            other => other,
        };
        match written {
            Ok(results) => {
                for (job, result) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(result);
                }
            }
            Err(error) => {
                tracing::error!(%error, votes = jobs.len(), "a batch of votes could not be written");
                // The database down or its writer blocked: say so (the
                // caller may retry), not that the vote was wrong.
                let unreachable = error.is_unreachable();
                for job in jobs {
                    let _ = job.reply.send(Err(if unreachable {
                        crate::StorageError::Unreachable(error.to_string())
                    } else {
                        crate::StorageError::WriteFailed(error.to_string())
                    }));
                }
            }
        }
    }

    pub(crate) async fn assign_panel_tx(
        &self,
        signed: &SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        let kind = domain::statement::StatementKind::PanelAssignment;
        let body: domain::panels::PanelBody = act_body(signed, kind)?;
        let case = signed
            .statement
            .subject
            .case
            .ok_or_else(|| invalid_body(kind, "no case"))?;
        let mut tx = self.begin_write().await?;
        verified_in(&mut tx, signed).await?;
        let status = case_status_in(&mut tx, crate::db_int(case.0)).await?;
        if !status.is_open() {
            return Err(crate::StorageError::CaseClosed);
        }
        // Who may sit on the panel, who may assign it and until when it
        // may change are the log's rules, asked as it is appended.
        let by = body.by;
        let index = append_statement(&mut tx, &self.ledger, signed, log_key, now).await?;
        let json = serde_json::to_string(&body.members)
            .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
        sqlx::query(crate::voting::INSERT_PANEL)
            .bind(crate::db_int(index))
            .bind(crate::db_int(case.0))
            .bind(json)
            .bind(crate::db_int(by.0))
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(index)
    }

    /// Writes `jobs` in one transaction under one checkpoint; with
    /// `savepoints`, each vote in its own savepoint. Without them a
    /// database error fails the whole batch (nothing is committed).
    async fn write_votes(
        &self,
        jobs: &[crate::kept::VoteJob],
        log_key: &domain::note::NoteSigner,
        savepoints: bool,
    ) -> Result<Vec<Result<u64, crate::StorageError>>, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let origin = crate::log::kept_origin(&mut tx, &self.ledger).await?;
        let mut frontier = log_frontier_in(&mut tx).await?;
        let before = frontier.len();
        let mut results = Vec::with_capacity(jobs.len());
        let mut latest = domain::Timestamp(0);
        for job in jobs {
            if savepoints {
                sqlx::query("SAVEPOINT vote").execute(&mut *tx).await?;
            }
            let saved = frontier.clone();
            let result = record_vote_in(
                &mut tx,
                &self.ledger,
                &origin,
                &mut frontier,
                &job.vote,
                job.commitment.as_ref(),
                job.now,
            )
            .await;
            let result = match result {
                Err(crate::StorageError::Database(error)) if !savepoints => {
                    return Err(crate::StorageError::Database(error));
                }
                other => other,
            };
            match &result {
                Ok(_) => {
                    if savepoints {
                        sqlx::query("RELEASE SAVEPOINT vote")
                            .execute(&mut *tx)
                            .await?;
                    }
                    latest = latest.max(job.now);
                }
                Err(_) => {
                    if savepoints {
                        sqlx::query("ROLLBACK TO SAVEPOINT vote")
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query("RELEASE SAVEPOINT vote")
                            .execute(&mut *tx)
                            .await?;
                    }
                    frontier = saved;
                }
            }
            results.push(result);
        }
        if frontier.len() > before {
            publish_checkpoint(&mut tx, &origin, &frontier, log_key, latest).await?;
            // A commit that fails may still have been made (the connection
            // lost after COMMIT was sent): its outcome is unknown.
            tx.commit()
                .await
                .map_err(|e| crate::StorageError::CommitUnknown(e.to_string()))?;
        }
        Ok(results)
    }

    pub(crate) async fn change_rules_tx(
        &self,
        change: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        if change.statement.kind != domain::statement::StatementKind::RulesChange {
            return Err(crate::StorageError::Statement(
                "not a rules change".to_owned(),
            ));
        }
        let body: domain::voting::RulesChangeBody =
            serde_json::from_value(change.statement.body.clone())
                .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let origin = crate::log::kept_origin(&mut tx, &self.ledger).await?;
        change
            .verify(&origin)
            .map_err(|_| crate::StorageError::NotSignedByValidKey)?;
        // Who may change the rules, and to which version, is the
        // log's rule (the ledger, as `append_statement` asks it).
        let index = append_statement(&mut tx, &self.ledger, change, log_key, now).await?;
        let admin: i64 = sqlx::query_scalar(crate::members::SELECT_KEY_OWNER)
            .bind(change.signer.as_slice())
            .fetch_one(&mut *tx)
            .await?;
        let rules = serde_json::to_string(&body.rules)
            .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
        sqlx::query(crate::voting::INSERT_RULES)
            .bind(crate::db_int(body.rules.version))
            .bind(rules)
            .bind(&body.reason)
            .bind(admin)
            .bind(crate::db_int(index))
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(index)
    }

    pub(crate) async fn close_motion_tx(
        &self,
        id: domain::statement::MotionId,
        reason: domain::voting::CloseReason,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<domain::voting::Tally, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let motion = motion_in(&mut tx, id).await?;
        // The closing rule, replay's own, asked before anything is
        // appended (the pending commitments counted as the votes
        // revealed just before the closing).
        let opening = with_ledger(&mut tx, &self.ledger, |ledger| {
            let ballots = ledger.ballots();
            ballots.may_close(motion.case, id, reason, now.unix_seconds())?;
            ballots
                .motion(id)
                .map(|record| record.body.clone())
                .ok_or(domain::voting::BallotError::UnknownMotion(id))
        })
        .await?
        .map_err(|refusal| crate::StorageError::Refused(refusal.into()))?;
        // A sealed motion's votes are revealed, each as its member
        // signed it; an unsealed motion's are in the log already.
        if opening.rules.sealed {
            let votes: Vec<(i64, i64, Vec<u8>)> =
                sqlx::query_as(crate::voting::SELECT_VOTE_ENTRIES)
                    .bind(crate::db_int(id.0))
                    .fetch_all(&mut *tx)
                    .await?;
            for (member, sequence, entry) in votes {
                let signed = domain::statement::SignedStatement::from_entry(&entry)
                    .map_err(|_| crate::StorageError::Corrupt("vote entry".to_owned()))?;
                let index = append_statement(&mut tx, &self.ledger, &signed, log_key, now).await?;
                sqlx::query(crate::voting::INSERT_REVEAL)
                    .bind(crate::db_int(id.0))
                    .bind(member)
                    .bind(sequence)
                    .bind(crate::db_int(index))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        // The choices as the log now counts them (sealed ones revealed).
        let choices = with_ledger(&mut tx, &self.ledger, |ledger| {
            ledger.ballots().motion(id).map(|record| record.choices())
        })
        .await?
        .unwrap_or_default();
        let tally = domain::voting::tally(&opening, &choices);
        let body = domain::voting::ClosingBody {
            closed_at: now.unix_seconds(),
            reason,
            tally: tally.clone(),
        };
        let origin = crate::log::kept_origin(&mut tx, &self.ledger).await?;
        let signed = log_key
            .sign_statement(domain::voting::closing_statement(
                &origin,
                motion.case,
                id,
                &body,
            ))
            .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
        let index = append_statement(&mut tx, &self.ledger, &signed, log_key, now).await?;
        let closing = serde_json::to_string(&body)
            .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
        sqlx::query(crate::voting::CLOSE_MOTION)
            .bind(crate::db_int(id.0))
            .bind(crate::db_int(index))
            .bind(closing)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(tally)
    }
}

/// Checks the signature of a statement a member signed elsewhere (a
/// chair's act), over this council's origin: the log's rules take it as
/// checked.
pub(crate) async fn verified_in(
    tx: &mut crate::db::Tx,
    signed: &SignedStatement,
) -> Result<(), crate::StorageError> {
    let origin = log_origin_in(tx).await?;
    signed
        .verify(&origin)
        .map_err(|_| crate::StorageError::BadSignature)
}

/// The refusal of an act whose body is not its kind's.
pub(crate) fn invalid_body(
    kind: domain::statement::StatementKind,
    why: impl Into<String>,
) -> crate::StorageError {
    crate::StorageError::Refused(
        domain::voting::BallotError::Body {
            kind,
            why: why.into(),
        }
        .into(),
    )
}

/// The body of a chair's act sent as `kind`: `invalid_body` for an act of
/// another kind or a body that is not the kind's.
pub(crate) fn act_body<T: serde::de::DeserializeOwned>(
    signed: &SignedStatement,
    kind: domain::statement::StatementKind,
) -> Result<T, crate::StorageError> {
    if signed.statement.kind != kind {
        return Err(invalid_body(kind, format!("not a {kind}")));
    }
    serde_json::from_value(signed.statement.body.clone())
        .map_err(|e| invalid_body(kind, e.to_string()))
}

/// Writes one signed vote after `frontier` once the log's rules
/// accept it ([`domain::ledger::Ledger::apply`], with when it
/// arrived and, on a sealed motion, the vote behind its commitment):
/// the vote, or its commitment, as a log entry, and the vote's row.
/// Its signatures were verified before it was queued.
/// A vote's signed entry and log index, by motion, member and sequence.
const SELECT_VOTE_ENTRY: &str =
    "SELECT entry, log_index FROM votes WHERE motion_id = $1 AND member_id = $2 AND sequence = $3";

pub(crate) async fn record_vote_in(
    tx: &mut crate::db::Tx,
    ledger: &crate::ledger::LedgerCell,
    origin: &domain::LogOrigin,
    frontier: &mut domain::merkle::Frontier,
    vote: &domain::statement::SignedStatement,
    commitment: Option<&domain::statement::SignedStatement>,
    now: domain::Timestamp,
) -> Result<u64, crate::StorageError> {
    use domain::statement::StatementKind;
    let invalid = |why: &str| crate::StorageError::InvalidVote(why.to_owned());
    let subject = &vote.statement.subject;
    let (Some(motion_id), Some(member)) = (subject.motion, subject.member) else {
        return Err(invalid("not a vote on a motion"));
    };
    if vote.statement.kind != StatementKind::Vote {
        return Err(invalid("not a vote on a motion"));
    }
    // Each signature was verified against the origin its statement
    // names: it must be this log's.
    let foreign = |s: &domain::statement::SignedStatement| s.statement.origin != *origin;
    if foreign(vote) || commitment.is_some_and(foreign) {
        return Err(crate::StorageError::NotSignedByValidKey);
    }
    let body: domain::voting::VoteBody = serde_json::from_value(vote.statement.body.clone())
        .map_err(|e| crate::StorageError::InvalidVote(e.to_string()))?;
    let entry = vote
        .to_entry()
        .map_err(|e| crate::StorageError::InvalidVote(e.to_string()))?;
    // What the log holds now: the vote itself, or on a sealed motion
    // its commitment (the vote is revealed at close).
    let logged = commitment.unwrap_or(vote);
    let facts = domain::ledger::Facts {
        arrived_at: Some(now.unix_seconds()),
        sealed_vote: commitment.map(|_| vote),
    };
    let index = append_entry(tx, ledger, logged, frontier, now, &facts).await?;
    sqlx::query(crate::voting::INSERT_VOTE)
        .bind(crate::db_int(motion_id.0))
        .bind(crate::db_int(member.0))
        .bind(i64::from(body.sequence))
        .bind(&body.choice)
        .bind(body.reason.as_deref())
        .bind(entry)
        .bind(crate::db_int(index))
        .bind(now.unix_seconds())
        .execute(&mut **tx)
        .await?;
    Ok(index)
}

/// The motion `id`, read inside a write transaction.
pub(crate) async fn motion_in(
    tx: &mut crate::db::Tx,
    id: domain::statement::MotionId,
) -> Result<crate::voting::Motion, crate::StorageError> {
    let row: Option<crate::voting::MotionRow> = sqlx::query_as(crate::voting::SELECT_MOTION)
        .bind(crate::db_int(id.0))
        .fetch_optional(&mut **tx)
        .await?;
    crate::voting::motion(row.ok_or(crate::StorageError::NotFound)?)
}

/// The motions on a case, oldest first.
pub(crate) async fn motions_on(
    conn: &mut sqlx::AnyConnection,
    case: domain::cases::CaseId,
) -> Result<Vec<crate::Motion>, crate::StorageError> {
    let rows: Vec<crate::voting::MotionRow> = sqlx::query_as(crate::voting::SELECT_MOTIONS_OF_CASE)
        .bind(crate::db_int(case.0))
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(crate::voting::motion).collect()
}

/// Every vote on a case's motions, replaced ones too.
pub(crate) async fn case_votes_on(
    conn: &mut sqlx::AnyConnection,
    case: domain::cases::CaseId,
) -> Result<Vec<crate::CaseVote>, crate::StorageError> {
    let rows: Vec<crate::voting::CaseVoteRow> = sqlx::query_as(crate::voting::SELECT_CASE_VOTES)
        .bind(crate::db_int(case.0))
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(crate::voting::case_vote).collect())
}

/// Voting rules, motions, panels and votes.
#[async_trait::async_trait]
pub trait VotingStore: Send + Sync {
    /// The voting rules in force (version 1, the initial rules, until a change).
    async fn rules(&self) -> Result<domain::voting::Rules, StorageError>;

    /// Every version of the rules, the initial ones first.
    async fn rules_history(&self) -> Result<Vec<RulesVersion>, StorageError>;

    /// Appends an admin's signed `rules-change` (the next version; signed by
    /// an active admin's valid key) to the log and records it. Motions
    /// opened afterwards are voted under it.
    async fn change_rules(
        &self,
        change: &SignedStatement,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// Records the chair's draft of a motion on an open case (not logged
    /// until voting opens).
    async fn draft_motion(
        &self,
        case: domain::cases::CaseId,
        draft: &domain::voting::MotionDraft,
        by: MemberId,
        now: Timestamp,
    ) -> Result<domain::statement::MotionId, StorageError>;

    /// The motions on a case, oldest first.
    async fn motions(&self, case: domain::cases::CaseId) -> Result<Vec<Motion>, StorageError>;

    /// Assigns a panel to an open case before any motion is opened on it,
    /// with the chair's signed `panel-assignment` (built with
    /// [`domain::panels::PanelBody::new`]): eligible members covering every
    /// group, signed by the chair it names (the log's rules say what is
    /// wrong). Logs it; motions opened afterwards are voted by the panel.
    /// Returns the log index.
    async fn assign_panel(
        &self,
        signed: &SignedStatement,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// The panel of a case, if one was assigned.
    async fn panel(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Option<Vec<MemberId>>, StorageError>;

    /// The case a motion belongs to (a cheap lookup: no roll is read).
    async fn motion_case(
        &self,
        id: domain::statement::MotionId,
    ) -> Result<Option<domain::cases::CaseId>, StorageError>;

    async fn motion(&self, id: domain::statement::MotionId)
    -> Result<Option<Motion>, StorageError>;

    /// The `motion-opening` statement the chair `by` signs to open voting
    /// on a drafted motion of a case in its voting stage, now, until
    /// `closes_at`, under `rules`: the motion as drafted and the eligible
    /// roll (active voting members with a key, minus recusals, the panel).
    /// Nothing is written.
    async fn prepare_opening(
        &self,
        id: domain::statement::MotionId,
        by: MemberId,
        closes_at: Timestamp,
        rules: &domain::voting::Rules,
        now: Timestamp,
    ) -> Result<Statement, StorageError>;

    /// Opens voting with the chair's signed opening, which must be what
    /// [`Self::prepare_opening`] gives now with its times (`ActChanged`
    /// otherwise: a roll or draft that changed since), and which the log's
    /// rules must accept (the chair's valid key, the rules in force, the
    /// time it arrived): logs and records it in one transaction. Returns
    /// the log index.
    async fn open_motion(
        &self,
        signed: &SignedStatement,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// Records a member's signed vote (checking both signatures, the window,
    /// the roll, recusals, the member's valid key, the choice and the
    /// sequence): on an unsealed motion the vote is logged; on a sealed one
    /// its signed `commitment` is, and the vote waits for the close. Durable
    /// once `Ok`; returns the log index.
    async fn cast_vote(
        &self,
        vote: &SignedStatement,
        commitment: Option<&SignedStatement>,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// Closes voting (at the deadline, or early once everyone on the roll
    /// voted): reveals a sealed motion's votes in the log, computes the tally
    /// with the domain rules and logs it, in one transaction. Closing twice
    /// is refused with `VotingClosed`, so concurrent closers are harmless.
    async fn close_motion(
        &self,
        id: domain::statement::MotionId,
        reason: domain::voting::CloseReason,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<domain::voting::Tally, StorageError>;

    /// Open motions whose window has ended by `now`.
    async fn due_motions(
        &self,
        now: Timestamp,
    ) -> Result<Vec<domain::statement::MotionId>, StorageError>;

    /// Every vote on a motion (replaced ones too), in the order cast. Their
    /// choices are secret while the motion is sealed: callers must not show
    /// them before the close (see [`Motion::is_sealed_now`]).
    async fn votes(&self, motion: domain::statement::MotionId) -> Result<Vec<Vote>, StorageError>;
}

#[async_trait::async_trait]
impl VotingStore for crate::db::Store {
    async fn rules(&self) -> Result<domain::voting::Rules, crate::StorageError> {
        let body: Option<String> = sqlx::query_scalar(crate::voting::SELECT_CURRENT_RULES)
            .fetch_optional(self.reader())
            .await?;
        crate::voting::current_rules(body)
    }

    async fn rules_history(&self) -> Result<Vec<crate::RulesVersion>, crate::StorageError> {
        let rows: Vec<crate::voting::RulesRow> =
            sqlx::query_as(crate::voting::SELECT_RULES_HISTORY)
                .fetch_all(self.reader())
                .await?;
        let mut history = vec![crate::RulesVersion {
            rules: domain::voting::Rules::initial(),
            change: None,
        }];
        for row in rows {
            history.push(crate::voting::rules_version(row)?);
        }
        Ok(history)
    }

    async fn change_rules(
        &self,
        change: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        self.change_rules_tx(change, log_key, now).await
    }

    async fn draft_motion(
        &self,
        case: domain::cases::CaseId,
        draft: &domain::voting::MotionDraft,
        by: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<domain::statement::MotionId, crate::StorageError> {
        self.draft_motion_tx(case, draft, by, now).await
    }

    async fn motions(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Vec<crate::Motion>, crate::StorageError> {
        motions_on(&mut *self.reader().acquire().await?, case).await
    }

    async fn assign_panel(
        &self,
        signed: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        self.assign_panel_tx(signed, log_key, now).await
    }

    async fn panel(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Option<Vec<domain::statement::MemberId>>, crate::StorageError> {
        let json: Option<String> = sqlx::query_scalar(crate::voting::SELECT_PANEL)
            .bind(crate::db_int(case.0))
            .fetch_optional(self.reader())
            .await?;
        crate::voting::panel_members(json)
    }

    async fn motion_case(
        &self,
        id: domain::statement::MotionId,
    ) -> Result<Option<domain::cases::CaseId>, crate::StorageError> {
        if let Some(case) = self.motion_cases.get(id) {
            return Ok(Some(case));
        }
        let case: Option<i64> = sqlx::query_scalar(crate::voting::SELECT_MOTION_CASE)
            .bind(crate::db_int(id.0))
            .fetch_optional(self.reader())
            .await?;
        let case = case.map(|c| domain::cases::CaseId(c as u64));
        if let Some(case) = case {
            self.motion_cases.insert(id, case);
        }
        Ok(case)
    }

    async fn motion(
        &self,
        id: domain::statement::MotionId,
    ) -> Result<Option<crate::Motion>, crate::StorageError> {
        let row: Option<crate::voting::MotionRow> = sqlx::query_as(crate::voting::SELECT_MOTION)
            .bind(crate::db_int(id.0))
            .fetch_optional(self.reader())
            .await?;
        row.map(crate::voting::motion).transpose()
    }

    async fn prepare_opening(
        &self,
        id: domain::statement::MotionId,
        by: domain::statement::MemberId,
        closes_at: domain::Timestamp,
        rules: &domain::voting::Rules,
        now: domain::Timestamp,
    ) -> Result<domain::statement::Statement, crate::StorageError> {
        self.prepare_opening_tx(id, by, closes_at, rules, now).await
    }

    async fn open_motion(
        &self,
        signed: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        self.open_motion_tx(signed, log_key, now).await
    }

    async fn cast_vote(
        &self,
        vote: &domain::statement::SignedStatement,
        commitment: Option<&domain::statement::SignedStatement>,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        self.cast_vote_tx(vote, commitment, log_key, now).await
    }

    async fn close_motion(
        &self,
        id: domain::statement::MotionId,
        reason: domain::voting::CloseReason,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<domain::voting::Tally, crate::StorageError> {
        self.close_motion_tx(id, reason, log_key, now).await
    }

    async fn due_motions(
        &self,
        now: domain::Timestamp,
    ) -> Result<Vec<domain::statement::MotionId>, crate::StorageError> {
        let ids: Vec<i64> = sqlx::query_scalar(crate::voting::SELECT_DUE)
            .bind(now.unix_seconds())
            .fetch_all(self.reader())
            .await?;
        Ok(ids
            .into_iter()
            .map(|id| domain::statement::MotionId(id as u64))
            .collect())
    }

    async fn votes(
        &self,
        motion: domain::statement::MotionId,
    ) -> Result<Vec<crate::Vote>, crate::StorageError> {
        let rows: Vec<crate::voting::VoteRow> = sqlx::query_as(crate::voting::SELECT_VOTES)
            .bind(crate::db_int(motion.0))
            .fetch_all(self.reader())
            .await?;
        Ok(rows.into_iter().map(crate::voting::vote).collect())
    }
}
