//! Who may sign: members, their roles and their keys, as the log records them.
//!
//! Membership is replayed from the log in order ([`Roll::apply`]), so that
//! anyone holding the log can tell, for every entry, whether its signer held a
//! valid key at that position. The rules:
//!
//! - **Enrollment** (`member-enrollment`) is signed by the new member's own
//!   key (proof that they hold it) and carries the invitation that admitted
//!   them: display name, group, role and expiry, signed by the log key (the
//!   operator's authority over who joins, in the open for every group to see).
//!   A member whose key was revoked re-enrolls the same way, with a new key.
//! - **Key rotation** is signed by the member's current key and names the new
//!   one.
//! - **Key revocation** is signed by the log key (an admin acting for a lost
//!   key) or by the member's own current key.
//! - **Role change** (also suspension, reinstatement and removal) is signed
//!   by the log key and names the admin who made it.
//! - Closings and the platform's answers are the log key's; every other
//!   statement must be signed by the valid key of an active member (and,
//!   where the statement names a member, by that member; the chair's acts by
//!   a chair).
//!
//! A key is never used twice, by the same member or another.

use crate::council::LogOrigin;
use crate::hex;
use crate::note::NoteVerifier;
use crate::statement::{MemberId, SignedStatement, Statement, StatementKind, Subject};
use crate::time::Timestamp;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

crate::statement::id_type!(
    /// A group (constituency). Not itself in the log: enrollments name the group.
    GroupId
);
crate::statement::id_type!(
    /// An invitation (the app's record; the link's secret is never stored).
    InvitationId
);
crate::statement::id_type!(
    /// A signed-in session (the cookie's secret is never stored).
    SessionId
);

/// What a member may do in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Clerk,
    Chair,
    Admin,
}

impl Role {
    pub const ALL: [Self; 4] = [Self::Admin, Self::Chair, Self::Clerk, Self::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Chair => "chair",
            Self::Clerk => "clerk",
            Self::Member => "member",
        }
    }

    pub fn parse(text: &str) -> Result<Self, MemberError> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| MemberError::UnknownRole(text.to_owned()))
    }
}

/// What someone asks to do in the app; [`Role::may`] says who may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See one's own account and sessions, sign out.
    UseAccount,
    /// Groups, invitations, roles, suspensions, removals and key revocations.
    ManageMembers,
    /// The policy catalogue and the platform's intake tokens.
    ManageCouncil,
    /// Read cases, their evidence and discussion.
    ReadCases,
    /// Record a new case (the clerk's intake form).
    IntakeCases,
    /// Draft motions, open and close voting (the chair).
    RunVotes,
    /// Vote on the motions whose roll one is on (everyone but the clerk).
    Vote,
}

impl Role {
    /// The one permission rule: which roles may take `action`. (The public,
    /// not signed in, may take none of these.)
    pub fn may(self, action: Action) -> bool {
        match action {
            Action::UseAccount | Action::ReadCases => true,
            Action::ManageMembers | Action::ManageCouncil => self == Self::Admin,
            Action::IntakeCases => matches!(self, Self::Clerk | Self::Chair | Self::Admin),
            Action::RunVotes => self == Self::Chair,
            Action::Vote => role_votes(self),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a member currently takes part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    Active,
    Suspended,
    Removed,
}

impl MemberStatus {
    pub const ALL: [Self; 3] = [Self::Active, Self::Suspended, Self::Removed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Removed => "removed",
        }
    }

    pub fn parse(text: &str) -> Result<Self, MemberError> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .ok_or_else(|| MemberError::UnknownStatus(text.to_owned()))
    }
}

impl fmt::Display for MemberStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemberError {
    #[error("the {what} is empty")]
    Empty { what: &'static str },
    #[error("the {what} is longer than {max} characters")]
    TooLong { what: &'static str, max: usize },
    #[error("the {what} contains a control character")]
    ControlCharacter { what: &'static str },
    #[error("unknown role {0:?}: use admin, chair, clerk or member")]
    UnknownRole(String),
    #[error("unknown member status {0:?}: use active, suspended or removed")]
    UnknownStatus(String),
}

fn parse_text(raw: &str, what: &'static str, max: usize) -> Result<String, MemberError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(MemberError::Empty { what });
    }
    if text.chars().count() > max {
        return Err(MemberError::TooLong { what, max });
    }
    if text.chars().any(char::is_control) {
        return Err(MemberError::ControlCharacter { what });
    }
    Ok(text.to_owned())
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, MemberError> {
                parse_text(raw, $what, $max).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = MemberError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// A member's public name: trimmed, 1 to 80 characters, no control characters.
    DisplayName,
    "display name",
    80
);
text_type!(
    /// A group (constituency) name: trimmed, 1 to 60 characters, no control characters.
    GroupName,
    "group name",
    60
);

/// The terms of an invitation, signed by the log key: who is admitted, in
/// which group, with which role, until when the invitation may be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationTerms {
    pub member: MemberId,
    pub name: DisplayName,
    pub group: GroupName,
    pub role: Role,
    pub expires_at: Timestamp,
}

/// The format line of invitation bytes.
pub const INVITATION_FORMAT: &str = "tribune-invitation/v1";

impl InvitationTerms {
    /// The bytes the log key signs: a header naming the format, the log
    /// origin and the member, a blank line, then the canonical JSON of the terms.
    pub fn signed_bytes(&self, origin: &LogOrigin) -> Vec<u8> {
        let body = serde_json::json!({
            "name": self.name.as_str(),
            "group": self.group.as_str(),
            "role": self.role.as_str(),
            "expires_at": self.expires_at.unix_seconds(),
        });
        // Strings and integers only: canonical encoding cannot fail.
        let json = crate::canonical::to_canonical_json(&body).unwrap_or_default();
        format!(
            "{INVITATION_FORMAT}\norigin {origin}\nmember {}\n\n{json}",
            self.member
        )
        .into_bytes()
    }

    /// Signs the terms with the log's signing key.
    pub fn sign(&self, origin: &LogOrigin, log_key: &SigningKey) -> [u8; 64] {
        log_key.sign(&self.signed_bytes(origin)).to_bytes()
    }

    /// Signs the terms with the log key as the operator holds it.
    pub fn sign_by(&self, origin: &LogOrigin, log_key: &crate::note::NoteSigner) -> [u8; 64] {
        self.sign(origin, log_key.signing_key())
    }

    /// Checks the log key's signature on the terms.
    pub fn verify(&self, origin: &LogOrigin, log_key: &[u8; 32], signature: &[u8; 64]) -> bool {
        VerifyingKey::from_bytes(log_key).is_ok_and(|key| {
            key.verify_strict(
                &self.signed_bytes(origin),
                &Signature::from_bytes(signature),
            )
            .is_ok()
        })
    }
}

/// The body of a `member-enrollment` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentBody {
    pub name: DisplayName,
    pub group: GroupName,
    pub role: Role,
    /// The invitation's expiry, part of the terms the log key signed.
    pub invitation_expires_at: Timestamp,
    /// The log key's signature on the invitation terms, lower-case hex.
    pub invitation_signature: String,
}

impl EnrollmentBody {
    pub fn new(terms: &InvitationTerms, signature: &[u8; 64]) -> Self {
        Self {
            name: terms.name.clone(),
            group: terms.group.clone(),
            role: terms.role,
            invitation_expires_at: terms.expires_at,
            invitation_signature: hex::encode(signature),
        }
    }

    pub fn terms(&self, member: MemberId) -> InvitationTerms {
        InvitationTerms {
            member,
            name: self.name.clone(),
            group: self.group.clone(),
            role: self.role,
            expires_at: self.invitation_expires_at,
        }
    }
}

/// The enrollment statement a member signs to accept an invitation: the
/// browser builds it from the invitation's terms and signature, the server
/// rebuilds it to check the member's signature.
pub fn enrollment_statement(
    origin: &LogOrigin,
    terms: &InvitationTerms,
    invitation_signature: &[u8; 64],
) -> Statement {
    Statement {
        kind: StatementKind::MemberEnrollment,
        origin: origin.clone(),
        subject: Subject {
            member: Some(terms.member),
            ..Subject::default()
        },
        // A struct of strings and integers always serialises.
        body: serde_json::to_value(EnrollmentBody::new(terms, invitation_signature))
            .unwrap_or_default(),
    }
}

/// The key-rotation statement a member signs with their current key to
/// replace it by `new_key`: the browser builds it, the server rebuilds it to
/// check the signature.
pub fn rotation_statement(origin: &LogOrigin, member: MemberId, new_key: &[u8; 32]) -> Statement {
    Statement {
        kind: StatementKind::KeyRotation,
        origin: origin.clone(),
        subject: Subject {
            member: Some(member),
            ..Subject::default()
        },
        body: serde_json::to_value(RotationBody {
            new_key: hex::encode(new_key),
        })
        .unwrap_or_default(),
    }
}

/// The body of the `council-founding` statement (entry 0, by the log key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FoundingBody {
    pub name: String,
    pub founded_at: i64,
    /// The log's verifier key (C2SP vkey).
    pub log_key: String,
}

/// The body of a `key-rotation` statement (signed by the old key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotationBody {
    /// The new public key, lower-case hex.
    pub new_key: String,
}

/// The body of a `key-revocation` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationBody {
    /// The revoked public key, lower-case hex.
    pub key: String,
    /// The admin who revoked it (absent when the member revoked their own key
    /// or the operator acted from the command line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<MemberId>,
    pub reason: String,
}

/// The body of a `role-change` statement (signed by the log key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleChangeBody {
    pub role: Role,
    pub status: MemberStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<MemberId>,
    pub reason: String,
}

/// One key a member held, from the entry that introduced it to the entry
/// that ended it (exclusive; `None` while it is still valid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPeriod {
    pub public_key: [u8; 32],
    pub from: u64,
    pub until: Option<u64>,
}

/// A member as the log has made them so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    pub id: MemberId,
    pub name: DisplayName,
    pub group: GroupName,
    pub role: Role,
    pub status: MemberStatus,
    pub keys: Vec<KeyPeriod>,
}

impl MemberRecord {
    /// The key the member may sign with now, if any.
    pub fn active_key(&self) -> Option<&[u8; 32]> {
        self.keys
            .last()
            .filter(|period| period.until.is_none())
            .map(|period| &period.public_key)
    }
}

/// Whether a member of this role votes (the clerk is staff and does not).
pub fn role_votes(role: Role) -> bool {
    role != Role::Clerk
}

/// Why an entry is refused by the membership rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EligibilityError {
    #[error("the founding statement must be entry 0, signed by the log key")]
    Founding,
    #[error("the {kind} body is invalid: {why}")]
    Body { kind: StatementKind, why: String },
    #[error("the invitation was not signed by the log key")]
    BadInvitation,
    #[error("member {0} already holds a valid key")]
    AlreadyEnrolled(MemberId),
    #[error("member {0} was removed")]
    Removed(MemberId),
    #[error("member {0} is not enrolled")]
    UnknownMember(MemberId),
    #[error("this key was already used")]
    KeyReused,
    #[error("a demo key (public, usable by anyone) is accepted only by a demo council")]
    DemoKey,
    #[error("the new key is malformed or weak")]
    BadNewKey,
    #[error("the signer did not hold a valid key for this statement at this position")]
    SignerNotEligible,
    #[error("member {0} is not active")]
    NotActive(MemberId),
    #[error("the acting admin {0} was not an active admin")]
    NotAdmin(MemberId),
    #[error(
        "member {0} is not the chair: only the chair opens votes, assigns panels and publishes decisions"
    )]
    NotChair(MemberId),
    #[error(
        "a chair's act (a motion's opening, a panel, a decision) is signed by the chair's own key, never by the log key"
    )]
    ChairActByLogKey,
}

impl EligibilityError {
    /// The refusal's stable code (snake_case), as [`crate::voting::BallotError::code`].
    pub fn code(&self) -> &'static str {
        match self {
            Self::Founding => "founding",
            Self::Body { .. } => "invalid_body",
            Self::BadInvitation => "bad_invitation",
            Self::AlreadyEnrolled(_) => "already_enrolled",
            Self::Removed(_) => "member_removed",
            Self::UnknownMember(_) => "unknown_member",
            Self::KeyReused => "key_in_use",
            Self::DemoKey => "demo_key",
            Self::BadNewKey => "bad_new_key",
            Self::SignerNotEligible => "not_signed_by_valid_key",
            Self::NotActive(_) => "member_inactive",
            Self::NotAdmin(_) => "not_admin",
            Self::NotChair(_) => "not_chair",
            Self::ChairActByLogKey => "chair_act_by_log_key",
        }
    }
}

/// The council's membership replayed from its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roll {
    origin: LogOrigin,
    log_key: [u8; 32],
    members: BTreeMap<MemberId, MemberRecord>,
    key_owners: HashMap<[u8; 32], MemberId>,
}

fn body<T: serde::de::DeserializeOwned>(
    statement: &SignedStatement,
) -> Result<T, EligibilityError> {
    serde_json::from_value(statement.statement.body.clone()).map_err(|e| EligibilityError::Body {
        kind: statement.statement.kind,
        why: e.to_string(),
    })
}

fn parse_key(kind: StatementKind, text: &str) -> Result<[u8; 32], EligibilityError> {
    hex::decode(text)
        .filter(|bytes| hex::encode(bytes) == text)
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| EligibilityError::Body {
            kind,
            why: "a key must be 32 bytes of lower-case hex".to_owned(),
        })
}

impl Roll {
    pub fn new(origin: &LogOrigin, log_key: &NoteVerifier) -> Self {
        Self {
            origin: origin.clone(),
            log_key: *log_key.public_key(),
            members: BTreeMap::new(),
            key_owners: HashMap::new(),
        }
    }

    pub fn member(&self, id: MemberId) -> Option<&MemberRecord> {
        self.members.get(&id)
    }

    pub fn members(&self) -> impl Iterator<Item = &MemberRecord> {
        self.members.values()
    }

    /// The member who ever held `key`, if anyone did.
    pub fn key_owner(&self, key: &[u8; 32]) -> Option<&MemberRecord> {
        self.key_owners.get(key).and_then(|id| self.members.get(id))
    }

    /// Whether `key` is the log's own key (which signs on the operator's behalf).
    pub fn is_log_key(&self, key: &[u8; 32]) -> bool {
        *key == self.log_key
    }

    /// Applies the entry at `index` (whose signature has already been
    /// checked) or says why its signer was not entitled to make it. A refused
    /// entry changes nothing.
    pub fn apply(
        &mut self,
        index: u64,
        statement: &SignedStatement,
    ) -> Result<(), EligibilityError> {
        let kind = statement.statement.kind;
        let by_log_key = statement.signer == self.log_key;
        let subject = statement.statement.subject.member;
        match kind {
            StatementKind::CouncilFounding => {
                if index != 0 || !by_log_key {
                    return Err(EligibilityError::Founding);
                }
                // A closed body, whose key is the log key it is signed by.
                let founding: FoundingBody = body(statement)?;
                let named = crate::note::NoteVerifier::from_vkey(&founding.log_key).ok();
                let this_key = named.as_ref().is_some_and(|key| {
                    key.public_key() == &self.log_key && key.name() == self.origin.as_str()
                });
                let name_ok = crate::council::CouncilName::parse(&founding.name)
                    .is_ok_and(|name| name.as_str() == founding.name);
                if !this_key || !name_ok {
                    return Err(EligibilityError::Body {
                        kind,
                        why: "the founding names another log key, or a council name that is not well formed".to_owned(),
                    });
                }
                Ok(())
            }
            _ if index == 0 => Err(EligibilityError::Founding),
            StatementKind::MemberEnrollment => {
                let member = subject.ok_or(EligibilityError::SignerNotEligible)?;
                self.enroll(index, member, statement)
            }
            StatementKind::KeyRotation => {
                let member = subject.ok_or(EligibilityError::SignerNotEligible)?;
                self.signing_member(member, statement)?;
                let rotation: RotationBody = body(statement)?;
                let new_key = parse_key(kind, &rotation.new_key)?;
                if VerifyingKey::from_bytes(&new_key).map_or(true, |key| key.is_weak()) {
                    return Err(EligibilityError::BadNewKey);
                }
                if self.key_owners.contains_key(&new_key) || new_key == self.log_key {
                    return Err(EligibilityError::KeyReused);
                }
                if !crate::demo::key_allowed(&self.origin, &new_key) {
                    return Err(EligibilityError::DemoKey);
                }
                self.end_key(member, index);
                self.start_key(member, new_key, index);
                Ok(())
            }
            StatementKind::KeyRevocation => {
                let member = subject.ok_or(EligibilityError::SignerNotEligible)?;
                let revocation: RevocationBody = body(statement)?;
                let key = parse_key(kind, &revocation.key)?;
                let record = self
                    .members
                    .get(&member)
                    .ok_or(EligibilityError::UnknownMember(member))?;
                let active = record.active_key().copied();
                if active != Some(key) {
                    return Err(EligibilityError::Body {
                        kind,
                        why: "the key is not the member's valid key".to_owned(),
                    });
                }
                if by_log_key {
                    self.check_admin(revocation.by)?;
                } else if Some(statement.signer) != active || revocation.by.is_some() {
                    return Err(EligibilityError::SignerNotEligible);
                }
                self.end_key(member, index);
                Ok(())
            }
            StatementKind::RoleChange => {
                let member = subject.ok_or(EligibilityError::SignerNotEligible)?;
                if !by_log_key {
                    return Err(EligibilityError::SignerNotEligible);
                }
                let change: RoleChangeBody = body(statement)?;
                self.check_admin(change.by)?;
                let record = self
                    .members
                    .get_mut(&member)
                    .ok_or(EligibilityError::UnknownMember(member))?;
                if record.status == MemberStatus::Removed {
                    return Err(EligibilityError::Removed(member));
                }
                record.role = change.role;
                record.status = change.status;
                if change.status == MemberStatus::Removed {
                    self.end_key(member, index);
                }
                Ok(())
            }
            // The operator's own statements; a member's statement (a vote, a
            // commitment, a recusal, an opinion) is never the log key's to make.
            // No statement of this kind is defined: cosignatures travel on
            // checkpoints (§5.3), never as log entries.
            StatementKind::WitnessCosignature => Err(EligibilityError::Body {
                kind,
                why: "no witness-cosignature statement is defined: cosignatures travel on checkpoints".to_owned(),
            }),
            // The chair's acts: signed by the own valid key of an active
            // chair (who the body's `by` names: the ballots check it).
            StatementKind::MotionOpening
            | StatementKind::Decision
            | StatementKind::PanelAssignment => {
                if by_log_key {
                    return Err(EligibilityError::ChairActByLogKey);
                }
                let signer = *self
                    .key_owners
                    .get(&statement.signer)
                    .ok_or(EligibilityError::SignerNotEligible)?;
                let record = self.signing_member(signer, statement)?;
                if record.role != Role::Chair {
                    return Err(EligibilityError::NotChair(signer));
                }
                Ok(())
            }
            // What no person decides: a closing the rules allow (its
            // reason checked by the ballots), and the platform's answers.
            StatementKind::MotionClosing | StatementKind::RecommendationAnswer if by_log_key => {
                Ok(())
            }
            _ if by_log_key => Err(EligibilityError::SignerNotEligible),
            _ => {
                let signer = *self
                    .key_owners
                    .get(&statement.signer)
                    .ok_or(EligibilityError::SignerNotEligible)?;
                if subject.is_some_and(|member| member != signer) {
                    return Err(EligibilityError::SignerNotEligible);
                }
                // A vote's key is the ballots' to check (`Ballots::apply`):
                // an unsealed vote's against the member's valid key now, a
                // sealed vote's reveal against the key that signed its
                // commitment, which the member may have replaced (or been
                // suspended) since, without that blocking the close.
                if kind == StatementKind::Vote {
                    return Ok(());
                }
                self.signing_member(signer, statement).map(|_| ())
            }
        }
    }

    /// Whether `key` is the valid key of member `id`, who is active: who
    /// may sign a member's statement at this point of the log.
    pub fn signs_now(&self, id: MemberId, key: &[u8; 32]) -> bool {
        self.members.get(&id).is_some_and(|record| {
            record.active_key() == Some(key) && record.status == MemberStatus::Active
        })
    }

    /// The member `id`, if they are active and `statement` is signed by
    /// their valid key.
    fn signing_member(
        &self,
        id: MemberId,
        statement: &SignedStatement,
    ) -> Result<&MemberRecord, EligibilityError> {
        let record = self
            .members
            .get(&id)
            .ok_or(EligibilityError::UnknownMember(id))?;
        if record.active_key() != Some(&statement.signer) {
            return Err(EligibilityError::SignerNotEligible);
        }
        if record.status != MemberStatus::Active {
            return Err(EligibilityError::NotActive(id));
        }
        Ok(record)
    }

    fn check_admin(&self, by: Option<MemberId>) -> Result<(), EligibilityError> {
        match by {
            None => Ok(()),
            Some(admin) => self
                .members
                .get(&admin)
                .filter(|record| {
                    record.role == Role::Admin && record.status == MemberStatus::Active
                })
                .map(|_| ())
                .ok_or(EligibilityError::NotAdmin(admin)),
        }
    }

    fn enroll(
        &mut self,
        index: u64,
        member: MemberId,
        statement: &SignedStatement,
    ) -> Result<(), EligibilityError> {
        let enrollment: EnrollmentBody = body(statement)?;
        let signature = hex::decode(&enrollment.invitation_signature)
            .filter(|bytes| hex::encode(bytes) == enrollment.invitation_signature)
            .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
            .ok_or(EligibilityError::BadInvitation)?;
        if !enrollment
            .terms(member)
            .verify(&self.origin, &self.log_key, &signature)
        {
            return Err(EligibilityError::BadInvitation);
        }
        let key = statement.signer;
        if self.key_owners.contains_key(&key) || key == self.log_key {
            return Err(EligibilityError::KeyReused);
        }
        if !crate::demo::key_allowed(&self.origin, &key) {
            return Err(EligibilityError::DemoKey);
        }
        match self.members.get_mut(&member) {
            Some(record) => {
                if record.status == MemberStatus::Removed {
                    return Err(EligibilityError::Removed(member));
                }
                if record.active_key().is_some() {
                    return Err(EligibilityError::AlreadyEnrolled(member));
                }
                record.name = enrollment.name;
                record.group = enrollment.group;
                record.role = enrollment.role;
                record.status = MemberStatus::Active;
            }
            None => {
                self.members.insert(
                    member,
                    MemberRecord {
                        id: member,
                        name: enrollment.name,
                        group: enrollment.group,
                        role: enrollment.role,
                        status: MemberStatus::Active,
                        keys: Vec::new(),
                    },
                );
            }
        }
        self.start_key(member, key, index);
        Ok(())
    }

    fn start_key(&mut self, member: MemberId, key: [u8; 32], index: u64) {
        if let Some(record) = self.members.get_mut(&member) {
            record.keys.push(KeyPeriod {
                public_key: key,
                from: index,
                until: None,
            });
            self.key_owners.insert(key, member);
        }
    }

    fn end_key(&mut self, member: MemberId, index: u64) {
        if let Some(period) = self
            .members
            .get_mut(&member)
            .and_then(|record| record.keys.last_mut())
            .filter(|period| period.until.is_none())
        {
            period.until = Some(index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::NoteSigner;
    use crate::statement::{CaseId, MotionId};
    use serde_json::json;

    fn origin() -> LogOrigin {
        LogOrigin::parse("tribune.example/harbour").unwrap()
    }

    fn log_seed() -> [u8; 32] {
        [1; 32]
    }

    fn log_key() -> NoteSigner {
        NoteSigner::from_seed(origin().as_str(), &log_seed()).unwrap()
    }

    fn log_signing_key() -> SigningKey {
        SigningKey::from_bytes(&log_seed())
    }

    fn statement(kind: StatementKind, member: u64, body: serde_json::Value) -> Statement {
        Statement {
            kind,
            origin: origin(),
            subject: Subject {
                member: Some(MemberId(member)),
                ..Subject::default()
            },
            body,
        }
    }

    fn enrollment(member: u64, role: Role, key: &SigningKey) -> SignedStatement {
        let terms = InvitationTerms {
            member: MemberId(member),
            name: DisplayName::parse("Ada Moreau").unwrap(),
            group: GroupName::parse("Independent Experts").unwrap(),
            role,
            expires_at: Timestamp(1_900_000_000),
        };
        let signature = terms.sign(&origin(), &log_signing_key());
        let body = serde_json::to_value(EnrollmentBody::new(&terms, &signature)).unwrap();
        statement(StatementKind::MemberEnrollment, member, body)
            .sign(key)
            .unwrap()
    }

    fn founding(body: serde_json::Value) -> SignedStatement {
        let founding = Statement {
            kind: StatementKind::CouncilFounding,
            origin: origin(),
            subject: Subject::default(),
            body,
        };
        log_key().sign_statement(founding).unwrap()
    }

    fn founding_body() -> serde_json::Value {
        json!({"name": "Harbour Council", "founded_at": 1_800_000_000, "log_key": log_key().verifier().to_vkey()})
    }

    fn founded() -> Roll {
        let mut roll = Roll::new(&origin(), &log_key().verifier());
        roll.apply(0, &founding(founding_body())).unwrap();
        roll
    }

    #[test]
    fn the_founding_names_its_own_log_key_and_no_statement_is_a_cosignature() {
        let other = NoteSigner::from_seed(origin().as_str(), &[77; 32]).unwrap();
        let mut bodies = vec![
            json!({}),
            json!({"name": "Harbour Council", "founded_at": 1, "log_key": other.verifier().to_vkey()}),
            json!({"name": " Harbour Council", "founded_at": 1, "log_key": log_key().verifier().to_vkey()}),
        ];
        let mut extra = founding_body();
        extra["chair"] = json!(3);
        bodies.push(extra);
        for body in bodies {
            let mut roll = Roll::new(&origin(), &log_key().verifier());
            assert!(
                matches!(
                    roll.apply(0, &founding(body.clone())),
                    Err(EligibilityError::Body { .. })
                ),
                "{body}"
            );
        }
        // A cosignature is never a log entry, whoever signs it.
        let mut roll = founded();
        let key = SigningKey::from_bytes(&[7; 32]);
        roll.apply(1, &enrollment(7, Role::Member, &key)).unwrap();
        let cosignature = Statement {
            kind: StatementKind::WitnessCosignature,
            origin: origin(),
            subject: Subject {
                tree_size: Some(1),
                ..Subject::default()
            },
            body: json!({"witness": "anyone"}),
        };
        for signed in [
            log_key().sign_statement(cosignature.clone()).unwrap(),
            cosignature.sign(&key).unwrap(),
        ] {
            assert!(matches!(
                roll.apply(2, &signed),
                Err(EligibilityError::Body { .. })
            ));
        }
    }

    /// A member's own statement that the roll checks: a recusal. (A vote's
    /// key is checked by the ballots, which know whether it reveals a sealed
    /// vote: `voting::tests`.)
    fn vote(member: u64, key: &SigningKey) -> SignedStatement {
        Statement {
            kind: StatementKind::Recusal,
            origin: origin(),
            subject: Subject {
                case: Some(CaseId(1)),
                member: Some(MemberId(member)),
                ..Subject::default()
            },
            body: json!({"reason": "A conflict."}),
        }
        .sign(key)
        .unwrap()
    }

    #[test]
    fn a_demo_key_is_refused_outside_a_demo_council() {
        let mut roll = founded();
        let demo = crate::demo::demo_key(3);
        assert_eq!(
            roll.apply(1, &enrollment(7, Role::Member, &demo)),
            Err(EligibilityError::DemoKey)
        );
        let key = SigningKey::from_bytes(&[7; 32]);
        roll.apply(1, &enrollment(7, Role::Member, &key)).unwrap();
        let rotation = crate::members::rotation_statement(
            &origin(),
            MemberId(7),
            demo.verifying_key().as_bytes(),
        )
        .sign(&key)
        .unwrap();
        assert_eq!(roll.apply(2, &rotation), Err(EligibilityError::DemoKey));
    }

    #[test]
    fn the_log_key_cannot_make_a_members_statement() {
        let mut roll = founded();
        let key = SigningKey::from_bytes(&[7; 32]);
        roll.apply(1, &enrollment(7, Role::Member, &key)).unwrap();
        for kind in [
            StatementKind::Vote,
            StatementKind::VoteCommitment,
            StatementKind::Recusal,
            StatementKind::Opinion,
        ] {
            let mut forged = vote(7, &key).statement;
            forged.kind = kind;
            if kind == StatementKind::Vote || kind == StatementKind::VoteCommitment {
                forged.subject.motion = Some(MotionId(1));
            }
            let forged = log_key().sign_statement(forged).unwrap();
            assert_eq!(
                roll.apply(2, &forged),
                Err(EligibilityError::SignerNotEligible),
                "{kind}"
            );
        }
    }

    #[test]
    fn an_invited_member_enrolls_and_may_then_vote() {
        let mut roll = founded();
        let key = SigningKey::from_bytes(&[7; 32]);
        roll.apply(1, &enrollment(7, Role::Member, &key)).unwrap();
        roll.apply(2, &vote(7, &key)).unwrap();
        let record = roll.member(MemberId(7)).unwrap();
        assert_eq!(record.active_key(), Some(&key.verifying_key().to_bytes()));
        assert_eq!(record.keys[0].from, 1);
    }

    #[test]
    fn an_enrollment_without_the_log_keys_invitation_is_refused() {
        let mut roll = founded();
        let key = SigningKey::from_bytes(&[7; 32]);
        let mut forged = enrollment(7, Role::Member, &key);
        // The member promotes themselves: the invitation no longer matches.
        forged.statement.body["role"] = json!("admin");
        let forged = forged.statement.sign(&key).unwrap();
        assert_eq!(roll.apply(1, &forged), Err(EligibilityError::BadInvitation));
        assert!(roll.member(MemberId(7)).is_none());
        // Nor may the invitation for member 7 enroll member 8.
        let mut other = enrollment(7, Role::Member, &key);
        other.statement.subject.member = Some(MemberId(8));
        let other = other.statement.sign(&key).unwrap();
        assert_eq!(roll.apply(1, &other), Err(EligibilityError::BadInvitation));
    }

    #[test]
    fn a_vote_by_an_unknown_key_or_for_another_member_is_refused() {
        let mut roll = founded();
        let key = SigningKey::from_bytes(&[7; 32]);
        let stranger = SigningKey::from_bytes(&[9; 32]);
        roll.apply(1, &enrollment(7, Role::Member, &key)).unwrap();
        assert_eq!(
            roll.apply(2, &vote(7, &stranger)),
            Err(EligibilityError::SignerNotEligible)
        );
        assert_eq!(
            roll.apply(2, &vote(8, &key)),
            Err(EligibilityError::SignerNotEligible)
        );
    }

    #[test]
    fn a_rotated_key_signs_no_more_and_the_new_one_does() {
        let mut roll = founded();
        let old = SigningKey::from_bytes(&[7; 32]);
        let new = SigningKey::from_bytes(&[8; 32]);
        roll.apply(1, &enrollment(7, Role::Member, &old)).unwrap();
        let rotation = rotation_statement(&origin(), MemberId(7), new.verifying_key().as_bytes());
        assert_eq!(
            rotation,
            statement(
                StatementKind::KeyRotation,
                7,
                json!({"new_key": hex::encode(new.verifying_key().as_bytes())}),
            )
        );
        let rotation = rotation.sign(&old).unwrap();
        roll.apply(2, &rotation).unwrap();
        assert_eq!(
            roll.apply(3, &vote(7, &old)),
            Err(EligibilityError::SignerNotEligible)
        );
        roll.apply(3, &vote(7, &new)).unwrap();
        let keys = &roll.member(MemberId(7)).unwrap().keys;
        assert_eq!(keys[0].until, Some(2));
        assert_eq!(keys[1].from, 2);
        // The old key cannot come back, for anyone.
        let back = statement(
            StatementKind::KeyRotation,
            7,
            json!({"new_key": hex::encode(old.verifying_key().as_bytes())}),
        )
        .sign(&new)
        .unwrap();
        assert_eq!(roll.apply(4, &back), Err(EligibilityError::KeyReused));
    }

    #[test]
    fn a_revoked_member_re_enrolls_with_a_new_invitation_and_key() {
        let mut roll = founded();
        let lost = SigningKey::from_bytes(&[7; 32]);
        roll.apply(1, &enrollment(7, Role::Member, &lost)).unwrap();
        let revocation = log_key()
            .sign_statement(statement(
                StatementKind::KeyRevocation,
                7,
                json!({"key": hex::encode(lost.verifying_key().as_bytes()), "reason": "lost laptop"}),
            ))
            .unwrap();
        roll.apply(2, &revocation).unwrap();
        assert_eq!(
            roll.apply(3, &vote(7, &lost)),
            Err(EligibilityError::SignerNotEligible)
        );
        // Re-enrolling with the lost key is refused; with a new key it works.
        assert_eq!(
            roll.apply(3, &enrollment(7, Role::Member, &lost)),
            Err(EligibilityError::KeyReused)
        );
        let fresh = SigningKey::from_bytes(&[8; 32]);
        roll.apply(3, &enrollment(7, Role::Member, &fresh)).unwrap();
        roll.apply(4, &vote(7, &fresh)).unwrap();
        // An enrolled member cannot enroll again while their key is valid.
        let third = SigningKey::from_bytes(&[10; 32]);
        assert_eq!(
            roll.apply(5, &enrollment(7, Role::Member, &third)),
            Err(EligibilityError::AlreadyEnrolled(MemberId(7)))
        );
    }

    #[test]
    fn only_the_log_key_changes_roles_and_a_suspended_member_cannot_vote() {
        let mut roll = founded();
        let admin = SigningKey::from_bytes(&[5; 32]);
        let key = SigningKey::from_bytes(&[7; 32]);
        roll.apply(1, &enrollment(5, Role::Admin, &admin)).unwrap();
        roll.apply(2, &enrollment(7, Role::Member, &key)).unwrap();
        let suspend = statement(
            StatementKind::RoleChange,
            7,
            json!({"role": "member", "status": "suspended", "by": 5, "reason": "conduct review"}),
        );
        assert_eq!(
            roll.apply(3, &suspend.clone().sign(&admin).unwrap()),
            Err(EligibilityError::SignerNotEligible)
        );
        let by_member = {
            let mut s = suspend.clone();
            s.body["by"] = json!(7);
            log_key().sign_statement(s).unwrap()
        };
        assert_eq!(
            roll.apply(3, &by_member),
            Err(EligibilityError::NotAdmin(MemberId(7)))
        );
        roll.apply(3, &log_key().sign_statement(suspend).unwrap())
            .unwrap();
        assert_eq!(
            roll.apply(4, &vote(7, &key)),
            Err(EligibilityError::NotActive(MemberId(7)))
        );
    }

    #[test]
    fn names_and_roles_are_validated() {
        assert!(DisplayName::parse("  ").is_err());
        assert!(DisplayName::parse(&"x".repeat(81)).is_err());
        assert!(DisplayName::parse("a\u{7}b").is_err());
        assert_eq!(DisplayName::parse(" Ada ").unwrap().as_str(), "Ada");
        assert_eq!(Role::parse("chair").unwrap(), Role::Chair);
        assert!(Role::parse("owner").is_err());
        assert!(serde_json::from_value::<GroupName>(json!("")).is_err());
    }
}
