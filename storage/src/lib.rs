//! Tribune's storage: one [`Storage`] trait with a SQLite implementation (the
//! embedded default) and a PostgreSQL one (for several `tribune serve`
//! instances behind a load balancer), picked from the database URL's scheme.
//!
//! SQL lives only in this crate. Both backends run the same test suite
//! (`tests/backends.rs`).

mod cases;
mod decisions;
mod deliberation;
mod error;
mod ledger;
mod log_nodes;
mod models;
mod postgres;
mod public;
mod rows;
mod shared;
mod sql;
mod sqlite;
mod url;
mod voting;

use async_trait::async_trait;
use domain::genesis::Genesis;
use domain::members::{GroupId, GroupName, InvitationId, SessionId};
use domain::merkle::MerkleHash;
use domain::note::NoteSigner;
use domain::statement::{MemberId, SignedStatement};
use domain::{Council, Timestamp};
use std::sync::Arc;

pub use cases::{
    Actor, Case, CaseEvent, CaseFilter, CasePage, CaseSummary, Clause, Idempotency, Intake,
    IntakeToken, Transition,
};
pub use decisions::{Answer, Decision, DecisionDraft, DecisionSummary, Opinion};
pub use deliberation::{
    Comment, CommentId, CommentVersion, Evidence, EvidenceFile, MemberActivity, PublicComment,
    Recusal,
};
pub use error::StorageError;
pub use models::{
    CheckpointCosignature, Group, Invitation, InvitationState, Member, MemberKey, NewInvitation,
    RoleChange, SessionSummary,
};
pub use postgres::PostgresStorage;
pub use public::{
    CaseVote, DecisionFilter, DecisionPage, clause_tag, group_tag, outcome_name, outcome_tag,
};
pub use sqlite::SqliteStorage;
pub use url::{Backend, DatabaseUrl};
pub use voting::{Motion, RulesChange, RulesVersion, Vote};

/// Everything the server and the command line need from a database.
///
/// Writes are serialised per backend (one writer connection and `BEGIN
/// IMMEDIATE` on SQLite; transactions and constraints on PostgreSQL) and are
/// durable once a method returns `Ok`.
#[async_trait]
pub trait Storage: Send + Sync + 'static {
    /// Which database this is.
    fn backend(&self) -> Backend;

    /// Applies every pending migration (idempotent; safe to run from several
    /// instances at once).
    async fn migrate(&self) -> Result<(), StorageError>;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StorageError>;

    /// Checks the database file's structure (SQLite's `PRAGMA
    /// integrity_check`); `Corrupt` if it fails.
    async fn integrity_check(&self) -> Result<(), StorageError>;

    /// The council, or `None` while `tribune init` has not been run.
    async fn council(&self) -> Result<Option<Council>, StorageError>;

    /// Records the council's founding in one transaction: the council, the
    /// log's public key, entry 0 (the founding statement) and the first
    /// checkpoint. Fails with [`StorageError::CouncilExists`] (and changes
    /// nothing) if there already is a council.
    async fn found_council(&self, genesis: &Genesis) -> Result<(), StorageError>;

    /// The log's public key (C2SP vkey), once the council is founded.
    async fn log_key(&self) -> Result<Option<String>, StorageError>;

    /// How many entries the log holds.
    async fn log_size(&self) -> Result<u64, StorageError>;

    /// The entries with indexes `start..end`, in order.
    async fn log_entries(&self, start: u64, end: u64) -> Result<Vec<Vec<u8>>, StorageError>;

    /// The leaf hashes of the entries `start..end`, in order.
    async fn log_leaf_hashes(&self, start: u64, end: u64) -> Result<Vec<MerkleHash>, StorageError>;

    /// The heads of the perfect subtrees `wanted` (level 0: leaf hashes),
    /// as far as the log has them: what a proof or a hash tile needs
    /// ([`domain::merkle::StoredProof::subtrees`]), O(log n) rows.
    async fn subtree_heads(
        &self,
        wanted: &[domain::merkle::Subtree],
    ) -> Result<std::collections::HashMap<domain::merkle::Subtree, MerkleHash>, StorageError>;

    /// The size of the most recent checkpoint (0 before the founding): how
    /// much of the log is published.
    async fn latest_checkpoint_size(&self) -> Result<u64, StorageError>;

    /// The most recent signed checkpoint, as published.
    async fn latest_checkpoint(&self) -> Result<Option<String>, StorageError>;

    /// The signed checkpoint of `size`, as published (without cosignatures),
    /// or `None` if the log never published one of that size.
    async fn checkpoint_note(&self, size: u64) -> Result<Option<String>, StorageError>;

    /// Records witness cosignatures (already verified) of published
    /// checkpoints; one already recorded for the same checkpoint and
    /// witness key is left as it is. Returns how many were new.
    async fn add_cosignatures(
        &self,
        cosignatures: &[CheckpointCosignature],
    ) -> Result<u64, StorageError>;

    /// The cosignatures of the checkpoint of `size`, by witness name.
    async fn cosignatures(&self, size: u64) -> Result<Vec<CheckpointCosignature>, StorageError>;

    /// The most recent cosignatures (largest checkpoints first), at most
    /// `limit`: enough to find the last final checkpoint.
    async fn recent_cosignatures(
        &self,
        limit: u32,
    ) -> Result<Vec<CheckpointCosignature>, StorageError>;

    // Groups.

    /// Every group, by name.
    async fn groups(&self) -> Result<Vec<Group>, StorageError>;

    /// Creates a group; [`StorageError::GroupNameTaken`] if the name is in use.
    async fn create_group(&self, name: &GroupName) -> Result<GroupId, StorageError>;

    /// Renames a group that has no enrolled member yet (enrollments are
    /// signed with the group's name).
    async fn rename_group(&self, id: GroupId, name: &GroupName) -> Result<(), StorageError>;

    /// The group's id, by name.
    async fn group_by_name(&self, name: &GroupName) -> Result<Option<GroupId>, StorageError>;

    // Invitations.

    /// Records an invitation whose terms the log key signs here (allocating
    /// a member id unless `member` re-enrolls an existing one).
    async fn create_invitation(
        &self,
        invitation: &NewInvitation,
        log_key: &NoteSigner,
    ) -> Result<Invitation, StorageError>;

    /// The invitation whose link secret hashes to `token_hash`.
    async fn invitation_by_token(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<Invitation>, StorageError>;

    /// The most recent invitations, newest first.
    async fn invitations(&self, limit: u32) -> Result<Vec<Invitation>, StorageError>;

    /// Revokes an invitation that has not been used.
    async fn revoke_invitation(&self, id: InvitationId, now: Timestamp)
    -> Result<(), StorageError>;

    /// Accepts an invitation: in one transaction, checks it is still open and
    /// that `enrollment` (already verified against its terms) is for its
    /// member, appends the enrollment to the log with a new checkpoint signed
    /// by `log_key`, records the member and their key and uses up the invitation.
    async fn enroll(
        &self,
        token_hash: &[u8; 32],
        enrollment: &SignedStatement,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<MemberId, StorageError>;

    // Members.

    /// Every member (any status) with their key history.
    async fn members(&self) -> Result<Vec<Member>, StorageError>;

    async fn member(&self, id: MemberId) -> Result<Option<Member>, StorageError>;

    /// The member who holds or held `public_key`.
    async fn key_owner(&self, public_key: &[u8; 32]) -> Result<Option<MemberId>, StorageError>;

    /// Appends a role change (signed by the log key) and applies it; removing
    /// a member also ends their key. Ends the member's sessions unless the
    /// member stays active.
    async fn change_role(
        &self,
        change: &RoleChange,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// Appends the revocation of the member's valid key (signed by the log
    /// key), ends the key and the member's sessions.
    async fn revoke_key(
        &self,
        member: MemberId,
        by: Option<MemberId>,
        reason: &str,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// Appends a key rotation signed by the member's valid key (the
    /// statement's subject) and replaces that key by the one the statement
    /// names. The caller has checked the signature.
    async fn rotate_key(
        &self,
        rotation: &domain::statement::SignedStatement,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    // Cases.

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

    /// A page of cases, newest first.
    async fn cases(&self, filter: &CaseFilter) -> Result<CasePage, StorageError>;

    /// Moves a case (the caller has checked the transition with the domain
    /// rules) and records the event; `CaseMoved` if its status is no longer
    /// `transition.from`.
    async fn move_case(&self, transition: &Transition, now: Timestamp) -> Result<(), StorageError>;

    // Voting.

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

    /// Assigns a panel to an open case before any motion is opened on it:
    /// eligible members covering every group (`InvalidPanel` says what is
    /// wrong). Logs the `panel-assignment`; motions opened afterwards are
    /// voted by the panel. Returns the log index.
    async fn assign_panel(
        &self,
        case: domain::cases::CaseId,
        members: &[MemberId],
        by: MemberId,
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

    /// Opens voting on a drafted motion of a case in its voting stage: fixes
    /// the eligible roll (active voting members with a key, minus
    /// recusals), logs the `motion-opening` statement under `rules` (which
    /// must be the rules in force, else `RulesChanged`) and records it, in
    /// one transaction. Returns the log index.
    async fn open_motion(
        &self,
        id: domain::statement::MotionId,
        by: MemberId,
        closes_at: Timestamp,
        rules: &domain::voting::Rules,
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

    // Decisions.

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

    /// Publishes the decision of a decided case whose motions are closed and
    /// whose rationale every author signed: logs the `decision` statement
    /// naming every vote and opinion entry, and moves the case to
    /// `published`, in one transaction. Returns the log index.
    async fn publish_decision(
        &self,
        case: domain::cases::CaseId,
        by: MemberId,
        log_key: &NoteSigner,
        now: Timestamp,
    ) -> Result<u64, StorageError>;

    /// The published decision of a case, if any.
    async fn decision(&self, case: domain::cases::CaseId)
    -> Result<Option<Decision>, StorageError>;

    /// The latest published decisions, newest first.
    async fn recent_decisions(&self, limit: u32) -> Result<Vec<DecisionSummary>, StorageError>;

    /// A page of the public decision log, newest first (see
    /// [`DecisionFilter`]).
    async fn decision_log(&self, filter: &DecisionFilter) -> Result<DecisionPage, StorageError>;

    /// Every published decision that applied the clause `code`, in log
    /// order, as the consistency report reads them.
    async fn clause_decisions(
        &self,
        code: &domain::cases::ClauseCode,
    ) -> Result<Vec<domain::consistency::ClauseDecision>, StorageError>;

    /// How many published decisions applied each clause, by code (clauses
    /// no decision applied are left out).
    async fn clause_decision_counts(&self) -> Result<Vec<(String, u64)>, StorageError>;

    /// Every vote on the motions of `case` (replaced ones too), by motion
    /// then in the order cast, with the signed entries. Secret while a
    /// motion is sealed: only for published decisions.
    async fn case_votes(&self, case: domain::cases::CaseId) -> Result<Vec<CaseVote>, StorageError>;

    /// The public record of the published decision of `case`: the case,
    /// its stages, every motion with its tally and votes, the signed
    /// opinions, the platform's answers and the approved public comments.
    /// `None` until the decision is published.
    async fn published_decision(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Option<domain::public::PublishedDecision>, StorageError>;

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

    /// The platform's answers on a case, in log order.
    async fn answers(&self, case: domain::cases::CaseId) -> Result<Vec<Answer>, StorageError>;

    // Deliberation.

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

    // Sign-in.

    /// Stores a fresh sign-in nonce (and forgets expired ones).
    async fn create_challenge(
        &self,
        nonce: &[u8; 32],
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StorageError>;

    /// Uses up a nonce: `true` once if it was issued and has not expired.
    async fn take_challenge(&self, nonce: &[u8; 32], now: Timestamp) -> Result<bool, StorageError>;

    /// Starts a session whose cookie secret hashes to `token_hash`.
    async fn create_session(
        &self,
        token_hash: &[u8; 32],
        member: MemberId,
        now: Timestamp,
        expires_at: Timestamp,
        user_agent: &str,
    ) -> Result<SessionId, StorageError>;

    /// The session and its member, while the session has not expired.
    async fn session(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
    ) -> Result<Option<(SessionId, MemberId)>, StorageError>;

    /// A member's unexpired sessions, newest first.
    async fn sessions(
        &self,
        member: MemberId,
        now: Timestamp,
    ) -> Result<Vec<SessionSummary>, StorageError>;

    async fn end_session(&self, token_hash: &[u8; 32]) -> Result<(), StorageError>;

    /// Ends one of the member's sessions; [`StorageError::NotFound`] if it is not theirs.
    async fn end_member_session(
        &self,
        member: MemberId,
        session: SessionId,
    ) -> Result<(), StorageError>;

    /// Ends every session of the member ("sign out everywhere").
    async fn end_member_sessions(&self, member: MemberId) -> Result<u64, StorageError>;

    /// Closes every connection, letting SQLite checkpoint its WAL.
    async fn close(&self);
}

/// A shareable handle on whichever backend the URL named.
pub type SharedStorage = Arc<dyn Storage>;

/// Opens the database named by `url` (creating a SQLite file and its directory
/// if missing). Does not migrate: call [`Storage::migrate`].
pub async fn connect(url: &DatabaseUrl) -> Result<SharedStorage, StorageError> {
    match url.backend()? {
        Backend::Sqlite => Ok(Arc::new(SqliteStorage::connect(url).await?)),
        Backend::Postgres => Ok(Arc::new(PostgresStorage::connect(url).await?)),
    }
}

/// An index or size as the databases store it (signed 64-bit).
pub(crate) fn db_int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// The current time, as the storage layer stamps records.
pub fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Timestamp::from_unix_seconds(seconds)
}
