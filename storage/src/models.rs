//! What the storage layer hands out about members, invitations and sessions:
//! domain types, re-validated on the way out of the database.

use domain::Timestamp;
use domain::members::{
    DisplayName, GroupId, GroupName, InvitationId, InvitationTerms, MemberStatus, Role, SessionId,
};
use domain::statement::MemberId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: GroupId,
    pub name: GroupName,
    /// Members enrolled in the group (any status).
    pub members: u64,
}

/// An invitation to be created. `member` is set to re-enroll an existing
/// member (after a key revocation); otherwise a new member id is allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub token_hash: [u8; 32],
    pub member: Option<MemberId>,
    pub name: DisplayName,
    pub group: GroupId,
    pub role: Role,
    pub expires_at: Timestamp,
    pub created_by: Option<MemberId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationState {
    Open,
    Used,
    Revoked,
    Expired,
}

impl InvitationState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Used => "used",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: InvitationId,
    pub terms: InvitationTerms,
    /// The log key's signature on the terms.
    pub signature: [u8; 64],
    pub group_id: GroupId,
    pub created_by: Option<MemberId>,
    pub created_at: Timestamp,
    pub used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl Invitation {
    pub fn state(&self, now: Timestamp) -> InvitationState {
        if self.used_at.is_some() {
            InvitationState::Used
        } else if self.revoked_at.is_some() {
            InvitationState::Revoked
        } else if now >= self.terms.expires_at {
            InvitationState::Expired
        } else {
            InvitationState::Open
        }
    }
}

/// One key a member held and the log entries that began and ended it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberKey {
    pub public_key: [u8; 32],
    pub from_index: u64,
    pub until_index: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: MemberId,
    pub name: DisplayName,
    pub group_id: GroupId,
    pub group: GroupName,
    pub role: Role,
    pub status: MemberStatus,
    pub enrolled_at: Timestamp,
    /// Oldest first; the last one is valid while its `until_index` is `None`.
    pub keys: Vec<MemberKey>,
}

impl Member {
    pub fn active_key(&self) -> Option<&[u8; 32]> {
        self.keys
            .last()
            .filter(|key| key.until_index.is_none())
            .map(|key| &key.public_key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: SessionId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub user_agent: String,
}

/// A change of role or status made by an admin (or from the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChange {
    pub member: MemberId,
    pub role: Role,
    pub status: MemberStatus,
    pub by: Option<MemberId>,
    pub reason: String,
}

/// A witness's cosignature of one of the log's checkpoints, verified
/// against the council's witness policy when it was received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointCosignature {
    /// The size of the checkpoint it cosigns.
    pub size: u64,
    /// The witness key's name and ID.
    pub witness: String,
    pub key_id: u32,
    /// The cosignature's own timestamp (seconds since the Unix epoch).
    pub signed_at: u64,
    /// The note signature line, as appended to the checkpoint.
    pub line: String,
}
