//! Cases in storage: the policy catalogue, intake tokens, cases, their
//! clauses and their history. Models, SQL and row conversions; the methods
//! are in `shared.rs`, the same on both backends.

use crate::StorageError;
use domain::Timestamp;
use domain::cases::{
    CaseFields, CaseId, CaseKind, CaseStatus, ClauseCode, IntakeTokenId, PlatformAction, Tier,
};
use domain::statement::MemberId;

/// A clause of the platform's policy, as the admin keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub code: ClauseCode,
    pub title: String,
}

/// A platform's intake token (its secret is never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeToken {
    pub id: IntakeTokenId,
    pub name: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// Who did something to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Member(MemberId),
    /// The platform, through the API with this token.
    Token(IntakeTokenId),
}

/// A retried escalation is recognised by its token and key; the hash of its
/// body tells a true retry from a different request reusing the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    pub token: IntakeTokenId,
    pub key: String,
    pub request_hash: [u8; 32],
}

/// What an escalation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intake {
    Created(CaseId),
    /// The same request was already made with this key: its case.
    Existing(CaseId),
}

impl Intake {
    pub fn case(self) -> CaseId {
        match self {
            Self::Created(id) | Self::Existing(id) => id,
        }
    }
}

/// A case as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub id: CaseId,
    pub kind: CaseKind,
    pub subject_handle: String,
    pub tier: Tier,
    pub status: CaseStatus,
    pub clauses: Vec<ClauseCode>,
    pub created_at: Timestamp,
    pub stage_deadline: Option<Timestamp>,
}

/// One transition in a case's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub from: Option<CaseStatus>,
    pub to: CaseStatus,
    pub actor: Actor,
    /// The member's display name or the token's name.
    pub actor_name: String,
    pub reason: Option<String>,
    pub at: Timestamp,
}

/// A whole case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub id: CaseId,
    pub fields: CaseFields,
    pub status: CaseStatus,
    pub stage_entered_at: Timestamp,
    pub stage_deadline: Option<Timestamp>,
    pub created_at: Timestamp,
    pub events: Vec<CaseEvent>,
}

/// Which cases to list: every filter is optional; `before` continues a list
/// (keyset pagination, newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub kind: Option<CaseKind>,
    pub status: Option<CaseStatus>,
    pub clause: Option<ClauseCode>,
    pub tier: Option<Tier>,
    /// Words to find in the subject, excerpt or reason (case-insensitive).
    pub search: Option<String>,
    pub before: Option<CaseId>,
    pub limit: u32,
}

/// A page of cases and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePage {
    pub cases: Vec<CaseSummary>,
    pub next: Option<CaseId>,
}

/// A transition to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub case: CaseId,
    /// The status the caller saw: if the case moved meanwhile, nothing changes.
    pub from: CaseStatus,
    pub to: CaseStatus,
    pub by: MemberId,
    pub reason: Option<String>,
}

// SQL (shared by both backends).

pub(crate) const INSERT_CLAUSE: &str = "INSERT INTO policy_clauses (code, title, created_at) \
     VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING";
pub(crate) const SELECT_CLAUSES: &str = "SELECT code, title FROM policy_clauses ORDER BY code";

pub(crate) const INSERT_TOKEN: &str = "INSERT INTO intake_tokens (name, token_hash, created_by, created_at) \
     VALUES ($1, $2, $3, $4) RETURNING id";
pub(crate) const SELECT_TOKENS: &str =
    "SELECT id, name, created_at, revoked_at FROM intake_tokens ORDER BY id";
pub(crate) const SELECT_LIVE_TOKEN: &str = "SELECT id, name, created_at, revoked_at \
     FROM intake_tokens WHERE token_hash = $1 AND revoked_at IS NULL";
pub(crate) const REVOKE_TOKEN: &str =
    "UPDATE intake_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";

pub(crate) const SELECT_IDEMPOTENT: &str =
    "SELECT id, request_hash FROM cases WHERE token_id = $1 AND idempotency_key = $2";
pub(crate) const INSERT_CASE: &str = "INSERT INTO cases (kind, subject_handle, subject_link, \
     excerpt, audience, tier, original_action, reason, status, stage_entered_at, stage_deadline, \
     created_at, created_by, token_id, idempotency_key, request_hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'intake', $9, $10, $9, $11, $12, $13, $14) \
     RETURNING id";
pub(crate) const INSERT_CASE_CLAUSE: &str =
    "INSERT INTO case_clauses (case_id, code) VALUES ($1, $2)";
pub(crate) const INSERT_CASE_EVENT: &str = "INSERT INTO case_events \
     (case_id, from_status, to_status, member_id, token_id, reason, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub(crate) const MOVE_CASE: &str = "UPDATE cases SET status = $3, stage_entered_at = $4, \
     stage_deadline = $5 WHERE id = $1 AND status = $2";

macro_rules! case_columns {
    () => {
        "id, kind, subject_handle, subject_link, excerpt, audience, tier, original_action, \
         reason, status, stage_entered_at, stage_deadline, created_at"
    };
}

pub(crate) const SELECT_CASE: &str =
    concat!("SELECT ", case_columns!(), " FROM cases WHERE id = $1");

/// Filters are `NULL` when unused; `$7` is the page size plus one.
pub(crate) const SELECT_CASES: &str = concat!(
    "SELECT ",
    case_columns!(),
    " FROM cases \
     WHERE (CAST($1 AS TEXT) IS NULL OR kind = $1) \
     AND (CAST($2 AS TEXT) IS NULL OR status = $2) \
     AND (CAST($3 AS TEXT) IS NULL OR id IN (SELECT case_id FROM case_clauses WHERE code = $3)) \
     AND (CAST($4 AS TEXT) IS NULL OR tier = $4) \
     AND (CAST($5 AS TEXT) IS NULL OR lower(subject_handle) LIKE $5 ESCAPE '\\' \
          OR lower(COALESCE(excerpt, '')) LIKE $5 ESCAPE '\\' \
          OR lower(reason) LIKE $5 ESCAPE '\\') \
     AND (CAST($6 AS BIGINT) IS NULL OR id < $6) \
     ORDER BY id DESC LIMIT $7"
);

/// The clauses of the cases whose ids lie between `$1` and `$2` (a page of
/// the list: one query instead of one per case).
pub(crate) const SELECT_CLAUSES_IN_RANGE: &str = "SELECT case_id, code FROM case_clauses \
     WHERE case_id BETWEEN $1 AND $2 ORDER BY case_id, code";

pub(crate) const SELECT_CASE_CLAUSES: &str =
    "SELECT code FROM case_clauses WHERE case_id = $1 ORDER BY code";
pub(crate) const SELECT_CASE_EVENTS: &str = "SELECT e.from_status, e.to_status, e.member_id, \
     e.token_id, COALESCE(m.display_name, t.name, ''), e.reason, e.at \
     FROM case_events e LEFT JOIN members m ON m.id = e.member_id \
     LEFT JOIN intake_tokens t ON t.id = e.token_id WHERE e.case_id = $1 ORDER BY e.id";

/// `%words%` for LIKE, lower-case, with LIKE's wildcards escaped.
pub(crate) fn like_pattern(search: &str) -> String {
    let mut pattern = String::from("%");
    for c in search.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

// Rows.

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(format!("case: {what}"))
}

fn status(text: &str) -> Result<CaseStatus, StorageError> {
    CaseStatus::parse(text).ok_or_else(|| corrupt("status"))
}

pub(crate) fn clause((code, title): (String, String)) -> Result<Clause, StorageError> {
    Ok(Clause {
        code: ClauseCode::parse(&code).map_err(|e| corrupt(&e))?,
        title,
    })
}

pub(crate) type TokenRow = (i64, String, i64, Option<i64>);

pub(crate) fn token((id, name, created_at, revoked_at): TokenRow) -> IntakeToken {
    IntakeToken {
        id: IntakeTokenId(id as u64),
        name,
        created_at: Timestamp(created_at),
        revoked_at: revoked_at.map(Timestamp),
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CaseRow {
    pub id: i64,
    pub kind: String,
    pub subject_handle: String,
    pub subject_link: Option<String>,
    pub excerpt: Option<String>,
    pub audience: i64,
    pub tier: String,
    pub original_action: String,
    pub reason: String,
    pub status: String,
    pub stage_entered_at: i64,
    pub stage_deadline: Option<i64>,
    pub created_at: i64,
}

impl CaseRow {
    pub(crate) fn summary(self, clauses: Vec<String>) -> Result<CaseSummary, StorageError> {
        Ok(CaseSummary {
            id: CaseId(self.id as u64),
            kind: CaseKind::parse(&self.kind).ok_or_else(|| corrupt("kind"))?,
            subject_handle: self.subject_handle,
            tier: Tier::parse(&self.tier).ok_or_else(|| corrupt("tier"))?,
            status: status(&self.status)?,
            clauses: codes(clauses)?,
            created_at: Timestamp(self.created_at),
            stage_deadline: self.stage_deadline.map(Timestamp),
        })
    }

    pub(crate) fn case(
        self,
        clauses: Vec<String>,
        events: Vec<EventRow>,
    ) -> Result<Case, StorageError> {
        Ok(Case {
            id: CaseId(self.id as u64),
            fields: CaseFields {
                kind: CaseKind::parse(&self.kind).ok_or_else(|| corrupt("kind"))?,
                subject_handle: self.subject_handle,
                subject_link: self.subject_link,
                excerpt: self.excerpt,
                audience: u64::try_from(self.audience).map_err(|_| corrupt("audience"))?,
                tier: Tier::parse(&self.tier).ok_or_else(|| corrupt("tier"))?,
                original_action: PlatformAction::parse(&self.original_action)
                    .ok_or_else(|| corrupt("original action"))?,
                clauses: codes(clauses)?,
                reason: self.reason,
            },
            status: status(&self.status)?,
            stage_entered_at: Timestamp(self.stage_entered_at),
            stage_deadline: self.stage_deadline.map(Timestamp),
            created_at: Timestamp(self.created_at),
            events: events.into_iter().map(event).collect::<Result<_, _>>()?,
        })
    }
}

fn codes(clauses: Vec<String>) -> Result<Vec<ClauseCode>, StorageError> {
    clauses
        .iter()
        .map(|c| ClauseCode::parse(c).map_err(|e| corrupt(&e)))
        .collect()
}

pub(crate) type EventRow = (
    Option<String>,
    String,
    Option<i64>,
    Option<i64>,
    String,
    Option<String>,
    i64,
);

fn event(
    (from, to, member, token, actor_name, reason, at): EventRow,
) -> Result<CaseEvent, StorageError> {
    let actor = match (member, token) {
        (Some(member), _) => Actor::Member(MemberId(member as u64)),
        (None, Some(token)) => Actor::Token(IntakeTokenId(token as u64)),
        (None, None) => return Err(corrupt("an event without an actor")),
    };
    Ok(CaseEvent {
        from: from.as_deref().map(status).transpose()?,
        to: status(&to)?,
        actor,
        actor_name,
        reason,
        at: Timestamp(at),
    })
}

/// A case's stages from its events, and then `publishing` (the moment of a
/// publication being written) when given.
pub(crate) fn stages_of(case: &Case, publishing: Option<i64>) -> Vec<domain::public::Stage> {
    let mut transitions: Vec<_> = case
        .events
        .iter()
        .map(|e| (e.to, e.at.0, e.reason.clone()))
        .collect();
    if let Some(at) = publishing {
        transitions.push((domain::cases::CaseStatus::Published, at, None));
    }
    domain::public::Stage::from_transitions(&transitions)
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn search_words_cannot_inject_wildcards() {
        assert_eq!(like_pattern(" Harbour "), "%harbour%");
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
