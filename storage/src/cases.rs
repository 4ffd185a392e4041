//! Cases in storage: the policy catalogue, intake tokens, cases, their
//! clauses and their history. Models, SQL and row conversions; the methods
//! are in `shared.rs`, the same on both backends.

use crate::StorageError;
use domain::Timestamp;
use domain::cases::{
    CaseFields, CaseId, CaseKind, CaseStatus, ClauseCode, IntakeTokenId, PlatformAction, Tier,
};
use domain::statement::MemberId;

pub(crate) const SELECT_CASE_STATUS: &str = "SELECT status FROM cases WHERE id = $1";

pub(crate) const SELECT_OPEN_MOTIONS_OF_CASE: &str = "SELECT COUNT(*) FROM motions \
     WHERE case_id = $1 AND opened_index IS NOT NULL AND closed_index IS NULL";

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

/// The case list's query for the filters in use, newest case first, with
/// only their conditions: each page starts at its cursor and walks one
/// index backwards (`cases_by_status`, `cases_by_kind`, `cases_by_tier`,
/// `case_clauses_by_code`, or the primary key), stopping after a page,
/// whatever the number of cases. (A condition written `$n IS NULL OR …`
/// would keep the planner from any index.) The binds, in this order: the
/// clause, kind, status, tier, search pattern and cursor of the filters in
/// use, then the page size plus one.
pub(crate) fn select_cases(filter: &CaseFilter, search: bool) -> String {
    let mut sql = String::from("SELECT ");
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    let mut conditions = Vec::new();
    if filter.clause.is_some() {
        // The clause's index is walked, and each case read by its id.
        sql.push_str(
            "c.id, c.kind, c.subject_handle, c.subject_link, c.excerpt, c.audience, c.tier, \
             c.original_action, c.reason, c.status, c.stage_entered_at, c.stage_deadline, \
             c.created_at FROM case_clauses k JOIN cases c ON c.id = k.case_id",
        );
        conditions.push(format!("k.code = ${}", next()));
    } else {
        sql.push_str(concat!(case_columns!(), " FROM cases c"));
    }
    for (used, column) in [
        (filter.kind.is_some(), "c.kind"),
        (filter.status.is_some(), "c.status"),
        (filter.tier.is_some(), "c.tier"),
    ] {
        if used {
            conditions.push(format!("{column} = ${}", next()));
        }
    }
    if search {
        let p = next();
        conditions.push(format!(
            "(lower(c.subject_handle) LIKE ${p} ESCAPE '\\' \
             OR lower(COALESCE(c.excerpt, '')) LIKE ${p} ESCAPE '\\' \
             OR lower(c.reason) LIKE ${p} ESCAPE '\\')"
        ));
    }
    let id = if filter.clause.is_some() {
        "k.case_id"
    } else {
        "c.id"
    };
    if filter.before.is_some() {
        conditions.push(format!("{id} < ${}", next()));
    }
    if !conditions.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conditions.join(" AND "));
    }
    sql.push_str(&format!(" ORDER BY {id} DESC LIMIT ${}", next()));
    sql
}

/// The clauses of `count` cases (a page of the list, `$1`…: one query
/// instead of one per case, reading only those cases' rows).
pub(crate) fn select_clauses_of(count: usize) -> String {
    let ids: Vec<String> = (1..=count).map(|n| format!("${n}")).collect();
    format!(
        "SELECT case_id, code FROM case_clauses WHERE case_id IN ({}) ORDER BY case_id, code",
        ids.join(", ")
    )
}

pub(crate) const SELECT_CASE_CLAUSES: &str =
    "SELECT code FROM case_clauses WHERE case_id = $1 ORDER BY code";
pub(crate) const SELECT_CASE_EVENTS: &str = "SELECT e.from_status, e.to_status, e.member_id, \
     e.token_id, COALESCE(m.display_name, t.name, '') AS actor_name, e.reason, e.at \
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

/// An intake token (`SELECT_TOKENS`, `SELECT_LIVE_TOKEN`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

pub(crate) fn token(row: TokenRow) -> IntakeToken {
    IntakeToken {
        id: IntakeTokenId(row.id as u64),
        name: row.name,
        created_at: Timestamp(row.created_at),
        revoked_at: row.revoked_at.map(Timestamp),
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

/// A case event with its actor's name (`SELECT_CASE_EVENTS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EventRow {
    pub from_status: Option<String>,
    pub to_status: String,
    pub member_id: Option<i64>,
    pub token_id: Option<i64>,
    pub actor_name: String,
    pub reason: Option<String>,
    pub at: i64,
}

fn event(row: EventRow) -> Result<CaseEvent, StorageError> {
    let actor = match (row.member_id, row.token_id) {
        (Some(member), _) => Actor::Member(MemberId(member as u64)),
        (None, Some(token)) => Actor::Token(IntakeTokenId(token as u64)),
        (None, None) => return Err(corrupt("an event without an actor")),
    };
    Ok(CaseEvent {
        from: row.from_status.as_deref().map(status).transpose()?,
        to: status(&row.to_status)?,
        actor,
        actor_name: row.actor_name,
        reason: row.reason,
        at: Timestamp(row.at),
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

/// The case `case` with its clauses and events, inside `tx`.
pub(crate) async fn case_in(
    tx: &mut crate::db::Tx,
    case: domain::cases::CaseId,
) -> Result<crate::Case, crate::StorageError> {
    let row: Option<crate::cases::CaseRow> = sqlx::query_as(crate::cases::SELECT_CASE)
        .bind(crate::db_int(case.0))
        .fetch_optional(&mut **tx)
        .await?;
    let row = row.ok_or(crate::StorageError::NotFound)?;
    let clauses: Vec<String> = sqlx::query_scalar(crate::cases::SELECT_CASE_CLAUSES)
        .bind(crate::db_int(case.0))
        .fetch_all(&mut **tx)
        .await?;
    let events: Vec<crate::cases::EventRow> = sqlx::query_as(crate::cases::SELECT_CASE_EVENTS)
        .bind(crate::db_int(case.0))
        .fetch_all(&mut **tx)
        .await?;
    row.case(clauses, events)
}

/// The status of `case` (`NotFound` if there is no such case).
pub(crate) async fn case_status_in(
    tx: &mut crate::db::Tx,
    case: i64,
) -> Result<domain::cases::CaseStatus, crate::StorageError> {
    let status: Option<String> = sqlx::query_scalar(crate::cases::SELECT_CASE_STATUS)
        .bind(case)
        .fetch_optional(&mut **tx)
        .await?;
    status_of(&status.ok_or(crate::StorageError::NotFound)?)
}

/// A case's stored stage.
fn status_of(status: &str) -> Result<domain::cases::CaseStatus, crate::StorageError> {
    domain::cases::CaseStatus::parse(status)
        .ok_or_else(|| crate::StorageError::Corrupt("case: status".to_owned()))
}

/// The case with its clauses and lifecycle events.
pub(crate) async fn case_on(
    conn: &mut sqlx::AnyConnection,
    id: domain::cases::CaseId,
) -> Result<Option<crate::Case>, crate::StorageError> {
    let row: Option<crate::cases::CaseRow> = sqlx::query_as(crate::cases::SELECT_CASE)
        .bind(crate::db_int(id.0))
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let clauses: Vec<String> = sqlx::query_scalar(crate::cases::SELECT_CASE_CLAUSES)
        .bind(crate::db_int(id.0))
        .fetch_all(&mut *conn)
        .await?;
    let events: Vec<crate::cases::EventRow> = sqlx::query_as(crate::cases::SELECT_CASE_EVENTS)
        .bind(crate::db_int(id.0))
        .fetch_all(&mut *conn)
        .await?;
    row.case(clauses, events).map(Some)
}

/// Policy clauses, intake tokens and cases with their lifecycle.
#[async_trait::async_trait]
pub trait CaseStore: Send + Sync {
    /// Adds a clause to the policy catalogue; `false` if the code exists.
    async fn add_clause(&self, clause: &Clause, now: Timestamp) -> Result<bool, StorageError>;

    /// The policy catalogue, by code.
    async fn clauses(&self) -> Result<Vec<Clause>, StorageError>;

    /// Stores a new intake token (its hash only).
    async fn create_intake_token(
        &self,
        name: &str,
        token_hash: &[u8; 32],
        created_by: Option<MemberId>,
        now: Timestamp,
    ) -> Result<domain::cases::IntakeTokenId, StorageError>;

    /// Every intake token, revoked ones included.
    async fn intake_tokens(&self) -> Result<Vec<IntakeToken>, StorageError>;

    /// The live (not revoked) token with this hash.
    async fn intake_token(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<IntakeToken>, StorageError>;

    /// Revokes a live token (`NotFound` if there is none with this id).
    async fn revoke_intake_token(
        &self,
        id: domain::cases::IntakeTokenId,
        now: Timestamp,
    ) -> Result<(), StorageError>;

    /// Records an escalation in `intake`, with its clauses and first event,
    /// in one transaction. With an idempotency key already used for the same
    /// request, returns that case; for a different request,
    /// `IdempotencyKeyReused`.
    async fn create_case(
        &self,
        fields: &domain::cases::CaseFields,
        actor: Actor,
        idempotency: Option<&Idempotency>,
        now: Timestamp,
    ) -> Result<Intake, StorageError>;

    async fn case(&self, id: domain::cases::CaseId) -> Result<Option<Case>, StorageError>;

    /// The stage of case `id`, if there is such a case: one query, for the
    /// checks that need no more than the stage.
    async fn case_status(
        &self,
        id: domain::cases::CaseId,
    ) -> Result<Option<domain::cases::CaseStatus>, StorageError>;

    /// A page of cases, newest first.
    async fn cases(&self, filter: &CaseFilter) -> Result<CasePage, StorageError>;

    /// Moves a case (the caller has checked the transition with the domain
    /// rules) and records the event; `CaseMoved` if its status is no longer
    /// `transition.from`.
    async fn move_case(&self, transition: &Transition, now: Timestamp) -> Result<(), StorageError>;
}

#[async_trait::async_trait]
impl CaseStore for crate::db::Store {
    async fn add_clause(
        &self,
        clause: &crate::Clause,
        now: domain::Timestamp,
    ) -> Result<bool, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let added = sqlx::query(crate::cases::INSERT_CLAUSE)
            .bind(clause.code.as_str())
            .bind(&clause.title)
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(added == 1)
    }

    async fn clauses(&self) -> Result<Vec<crate::Clause>, crate::StorageError> {
        let rows: Vec<(String, String)> = sqlx::query_as(crate::cases::SELECT_CLAUSES)
            .fetch_all(self.reader())
            .await?;
        rows.into_iter().map(crate::cases::clause).collect()
    }

    async fn create_intake_token(
        &self,
        name: &str,
        token_hash: &[u8; 32],
        created_by: Option<domain::statement::MemberId>,
        now: domain::Timestamp,
    ) -> Result<domain::cases::IntakeTokenId, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(crate::cases::INSERT_TOKEN)
            .bind(name)
            .bind(token_hash.as_slice())
            .bind(created_by.map(|m| crate::db_int(m.0)))
            .bind(now.unix_seconds())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(domain::cases::IntakeTokenId(id as u64))
    }

    async fn intake_tokens(&self) -> Result<Vec<crate::IntakeToken>, crate::StorageError> {
        let rows: Vec<crate::cases::TokenRow> = sqlx::query_as(crate::cases::SELECT_TOKENS)
            .fetch_all(self.reader())
            .await?;
        Ok(rows.into_iter().map(crate::cases::token).collect())
    }

    async fn intake_token(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<crate::IntakeToken>, crate::StorageError> {
        let row: Option<crate::cases::TokenRow> = sqlx::query_as(crate::cases::SELECT_LIVE_TOKEN)
            .bind(token_hash.as_slice())
            .fetch_optional(self.reader())
            .await?;
        Ok(row.map(crate::cases::token))
    }

    async fn revoke_intake_token(
        &self,
        id: domain::cases::IntakeTokenId,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let revoked = sqlx::query(crate::cases::REVOKE_TOKEN)
            .bind(crate::db_int(id.0))
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if revoked != 1 {
            return Err(crate::StorageError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    async fn create_case(
        &self,
        fields: &domain::cases::CaseFields,
        actor: crate::Actor,
        idempotency: Option<&crate::Idempotency>,
        now: domain::Timestamp,
    ) -> Result<crate::Intake, crate::StorageError> {
        use domain::cases::{CaseId, CaseStatus};
        let mut tx = self.begin_write().await?;
        if let Some(idempotency) = idempotency {
            let existing: Option<(i64, Option<Vec<u8>>)> =
                sqlx::query_as(crate::cases::SELECT_IDEMPOTENT)
                    .bind(crate::db_int(idempotency.token.0))
                    .bind(&idempotency.key)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some((id, hash)) = existing {
                return if hash.as_deref() == Some(idempotency.request_hash.as_slice()) {
                    Ok(crate::Intake::Existing(CaseId(id as u64)))
                } else {
                    Err(crate::StorageError::IdempotencyKeyReused)
                };
            }
        }
        let (member, token) = match actor {
            crate::Actor::Member(m) => (Some(crate::db_int(m.0)), None),
            crate::Actor::Token(t) => (None, Some(crate::db_int(t.0))),
        };
        let deadline = domain::cases::stage_deadline(CaseStatus::Intake, now);
        let id: i64 = sqlx::query_scalar(crate::cases::INSERT_CASE)
            .bind(fields.kind.as_str())
            .bind(&fields.subject_handle)
            .bind(fields.subject_link.as_deref())
            .bind(fields.excerpt.as_deref())
            .bind(crate::db_int(fields.audience))
            .bind(fields.tier.as_str())
            .bind(fields.original_action.as_str())
            .bind(&fields.reason)
            .bind(now.unix_seconds())
            .bind(deadline.map(|d| d.unix_seconds()))
            .bind(member)
            .bind(token)
            .bind(idempotency.map(|i| i.key.clone()))
            .bind(idempotency.map(|i| i.request_hash.to_vec()))
            .fetch_one(&mut *tx)
            .await?;
        for code in &fields.clauses {
            sqlx::query(crate::cases::INSERT_CASE_CLAUSE)
                .bind(id)
                .bind(code.as_str())
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(crate::cases::INSERT_CASE_EVENT)
            .bind(id)
            .bind(None::<String>)
            .bind(CaseStatus::Intake.as_str())
            .bind(member)
            .bind(token)
            .bind(None::<String>)
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(crate::Intake::Created(CaseId(id as u64)))
    }

    async fn case(
        &self,
        id: domain::cases::CaseId,
    ) -> Result<Option<crate::Case>, crate::StorageError> {
        case_on(&mut *self.reader().acquire().await?, id).await
    }

    async fn case_status(
        &self,
        id: domain::cases::CaseId,
    ) -> Result<Option<domain::cases::CaseStatus>, crate::StorageError> {
        let status: Option<String> = sqlx::query_scalar(crate::cases::SELECT_CASE_STATUS)
            .bind(crate::db_int(id.0))
            .fetch_optional(self.reader())
            .await?;
        status.as_deref().map(status_of).transpose()
    }

    async fn cases(
        &self,
        filter: &crate::CaseFilter,
    ) -> Result<crate::CasePage, crate::StorageError> {
        let limit = filter.limit.clamp(1, 200);
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(crate::cases::like_pattern);
        let sql = crate::cases::select_cases(filter, search.is_some());
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        if let Some(clause) = &filter.clause {
            query = query.bind(clause.as_str().to_owned());
        }
        for value in [
            filter.kind.map(|k| k.as_str()),
            filter.status.map(|s| s.as_str()),
            filter.tier.map(|t| t.as_str()),
        ]
        .into_iter()
        .flatten()
        {
            query = query.bind(value);
        }
        if let Some(search) = search {
            query = query.bind(search);
        }
        if let Some(before) = filter.before {
            query = query.bind(crate::db_int(before.0));
        }
        let mut rows: Vec<crate::cases::CaseRow> = query
            .bind(i64::from(limit) + 1)
            .fetch_all(self.reader())
            .await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let mut clauses: std::collections::HashMap<i64, Vec<String>> =
            std::collections::HashMap::new();
        if !rows.is_empty() {
            let sql = crate::cases::select_clauses_of(rows.len());
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for row in &rows {
                query = query.bind(row.id);
            }
            let pairs: Vec<(i64, String)> = query.fetch_all(self.reader()).await?;
            for (case, code) in pairs {
                clauses.entry(case).or_default().push(code);
            }
        }
        let mut cases = Vec::with_capacity(rows.len());
        for row in rows {
            let codes = clauses.remove(&row.id).unwrap_or_default();
            cases.push(row.summary(codes)?);
        }
        let next = if more {
            cases.last().map(|c| c.id)
        } else {
            None
        };
        Ok(crate::CasePage { cases, next })
    }

    async fn move_case(
        &self,
        transition: &crate::Transition,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        if transition.to == domain::cases::CaseStatus::Published {
            return Err(crate::StorageError::PublishedByDecision);
        }
        let mut tx = self.begin_write().await?;
        let moved = sqlx::query(crate::cases::MOVE_CASE)
            .bind(crate::db_int(transition.case.0))
            .bind(transition.from.as_str())
            .bind(transition.to.as_str())
            .bind(now.unix_seconds())
            .bind(domain::cases::stage_deadline(transition.to, now).map(|d| d.unix_seconds()))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if moved != 1 {
            return Err(crate::StorageError::CaseMoved);
        }
        // A case leaves its voting stage only once every motion closed.
        if transition.from == domain::cases::CaseStatus::Voting {
            let open: i64 = sqlx::query_scalar(crate::cases::SELECT_OPEN_MOTIONS_OF_CASE)
                .bind(crate::db_int(transition.case.0))
                .fetch_one(&mut *tx)
                .await?;
            if open > 0 {
                return Err(crate::StorageError::MotionsOpen);
            }
        }
        sqlx::query(crate::cases::INSERT_CASE_EVENT)
            .bind(crate::db_int(transition.case.0))
            .bind(Some(transition.from.as_str()))
            .bind(transition.to.as_str())
            .bind(Some(crate::db_int(transition.by.0)))
            .bind(None::<i64>)
            .bind(transition.reason.as_deref())
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
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
