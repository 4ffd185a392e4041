//! Tribune's storage: one [`Storage`] trait, made of one trait per aggregate
//! (the log, members, cases, deliberation, voting, decisions, the public
//! record, sessions), each in its module with its SQL, its rows and its
//! functions, written once. They run on sqlx's `Any` driver, so the same
//! code serves SQLite (the embedded default) and PostgreSQL (for several
//! `tribune serve` instances behind a load balancer); the backend's own
//! modules (`sqlite`, `postgres`) only open the pools, start a write
//! transaction and hold the migrations.
//!
//! SQL lives only in this crate. Both backends run the same test suite
//! (`tests/backends.rs`).

mod cases;
mod db;
mod decisions;
mod deliberation;
mod error;
mod index;
mod kept;
mod ledger;
mod log;
mod members;
mod postgres;
mod public;
mod sessions;
mod sqlite;
mod url;
mod voting;

use async_trait::async_trait;

use domain::Timestamp;
use std::sync::Arc;

pub use cases::{
    Actor, Case, CaseEvent, CaseFilter, CasePage, CaseStore, CaseSummary, Clause, Idempotency,
    Intake, IntakeToken, Transition,
};
pub use db::Store;
pub use decisions::{
    Answer, Answered, Decision, DecisionDraft, DecisionStore, DecisionSummary, Opinion,
};
pub use deliberation::{
    Comment, CommentId, CommentVersion, DeliberationStore, Evidence, EvidenceFile, MemberActivity,
    PublicComment, Recusal,
};
pub use error::StorageError;
pub use index::{clause_tag, group_tag, outcome_name, outcome_tag};
pub use log::{CheckpointCosignature, LogStore};
pub use members::{
    Group, Invitation, InvitationState, Member, MemberKey, MemberStore, NewInvitation, RoleChange,
};
pub use public::{ClauseReport, DecisionFilter, DecisionPage, PublicStore};
pub use sessions::{SessionStore, SessionSummary};
pub use url::{Backend, DatabaseUrl};
pub use voting::{CaseVote, Motion, RulesChange, RulesVersion, Vote, VotingStore};

/// Everything the server and the command line need from a database.
///
/// Writes are serialised per backend (one writer connection and `BEGIN
/// IMMEDIATE` on SQLite; transactions and constraints on PostgreSQL) and are
/// durable once a method returns `Ok`.
#[async_trait]
pub trait Storage:
    LogStore
    + MemberStore
    + CaseStore
    + VotingStore
    + DecisionStore
    + PublicStore
    + DeliberationStore
    + SessionStore
    + Send
    + Sync
    + 'static
{
    /// Which database this is.
    fn backend(&self) -> Backend;

    /// Applies every pending migration (idempotent; safe to run from several
    /// instances at once).
    async fn migrate(&self) -> Result<(), StorageError>;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StorageError>;

    /// Checks that a write could go through now: begins a write
    /// transaction, taking the council's write lock, within `within`, and
    /// rolls it back. Fails when writes are blocked (a connection the
    /// database left in a broken state, another instance holding the lock).
    async fn ping_writes(&self, within: std::time::Duration) -> Result<(), StorageError>;

    /// Replays the log, reading only, into the state that decides each
    /// write, so that the first write after a start does not replay it
    /// while holding the write lock. Call once at start, in the
    /// background; returns how many entries it replayed (0 if a write
    /// built the state first).
    async fn replay_log(&self) -> Result<u64, StorageError>;

    /// While `on`, SQLite commits without waiting for the disk
    /// (`synchronous = OFF`): for filling a new database that is deleted
    /// if the filling fails (`tribune demo`), never for a council's
    /// writes. A crash of the process still loses nothing committed; a
    /// power loss may. Off restores `FULL`. No effect on PostgreSQL.
    async fn bulk_load(&self, on: bool) -> Result<(), StorageError>;

    /// Checks the database file's structure (SQLite's `PRAGMA
    /// integrity_check`); `Corrupt` if it fails.
    async fn integrity_check(&self) -> Result<(), StorageError>;

    /// Closes every connection, letting SQLite checkpoint its WAL.
    async fn close(&self);
}

/// A shareable handle on whichever backend the URL named.
pub type SharedStorage = Arc<dyn Storage>;

/// Opens the database named by `url` (creating a SQLite file and its directory
/// if missing). Does not migrate: call [`Storage::migrate`].
pub async fn connect(url: &DatabaseUrl) -> Result<SharedStorage, StorageError> {
    match url.backend()? {
        Backend::Sqlite => Ok(Arc::new(sqlite::connect(url).await?)),
        Backend::Postgres => Ok(Arc::new(postgres::connect(url).await?)),
    }
}

/// An index or size as the databases store it (signed 64-bit).
pub(crate) fn db_int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A stored index, size or ID as Tribune uses it (never negative; a
/// negative one, which only a damaged database could hold, reads as 0).
pub(crate) fn db_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or_default()
}

/// The current time, as the storage layer stamps records.
pub fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Timestamp::from_unix_seconds(seconds)
}
