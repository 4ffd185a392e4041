//! Groups, invitations, members and their keys.

use crate::StorageError;
use crate::log::append_statement;
use domain::Timestamp;
use domain::members::{
    DisplayName, GroupId, GroupName, InvitationId, InvitationTerms, MemberStatus, Role,
};
use domain::note::NoteSigner;
use domain::statement::{MemberId, SignedStatement};

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

/// A change of role or status made by an admin (or from the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChange {
    pub member: MemberId,
    pub role: Role,
    pub status: MemberStatus,
    pub by: Option<MemberId>,
    pub reason: String,
}

fn corrupt(what: &str) -> impl Fn(domain::members::MemberError) -> StorageError + '_ {
    move |e| StorageError::Corrupt(format!("{what}: {e}"))
}

fn id(value: i64) -> u64 {
    u64::try_from(value).unwrap_or_default()
}

fn fixed<const N: usize>(bytes: Vec<u8>, what: &str) -> Result<[u8; N], StorageError> {
    <[u8; N]>::try_from(bytes)
        .map_err(|_| StorageError::Corrupt(format!("{what} is not {N} bytes")))
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct InvitationRow {
    pub id: i64,
    pub member_id: i64,
    pub display_name: String,
    pub group_id: i64,
    pub group_name: String,
    pub role: String,
    pub expires_at: i64,
    pub signature: Vec<u8>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = StorageError;
    fn try_from(row: InvitationRow) -> Result<Self, Self::Error> {
        Ok(Invitation {
            id: InvitationId(id(row.id)),
            terms: InvitationTerms {
                member: MemberId(id(row.member_id)),
                name: DisplayName::parse(&row.display_name).map_err(corrupt("invitation"))?,
                group: GroupName::parse(&row.group_name).map_err(corrupt("invitation"))?,
                role: Role::parse(&row.role).map_err(corrupt("invitation"))?,
                expires_at: Timestamp(row.expires_at),
            },
            signature: fixed(row.signature, "an invitation signature")?,
            group_id: GroupId(id(row.group_id)),
            created_by: row.created_by.map(|m| MemberId(id(m))),
            created_at: Timestamp(row.created_at),
            used_at: row.used_at.map(Timestamp),
            revoked_at: row.revoked_at.map(Timestamp),
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct MemberRow {
    pub id: i64,
    pub display_name: String,
    pub group_id: i64,
    pub name: String,
    pub role: String,
    pub status: String,
    pub enrolled_at: i64,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct KeyRow {
    pub member_id: i64,
    pub public_key: Vec<u8>,
    pub from_index: i64,
    pub until_index: Option<i64>,
}

impl TryFrom<KeyRow> for MemberKey {
    type Error = StorageError;
    fn try_from(row: KeyRow) -> Result<Self, Self::Error> {
        Ok(MemberKey {
            public_key: fixed(row.public_key, "a member key")?,
            from_index: id(row.from_index),
            until_index: row.until_index.map(id),
        })
    }
}

/// A member joined with one of their keys (`SELECT_MEMBER_WITH_KEYS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct MemberKeyRow {
    pub id: i64,
    pub display_name: String,
    pub group_id: i64,
    pub name: String,
    pub role: String,
    pub status: String,
    pub enrolled_at: i64,
    pub public_key: Option<Vec<u8>>,
    pub from_index: Option<i64>,
    pub until_index: Option<i64>,
}

/// The member of `SELECT_MEMBER_WITH_KEYS` rows, if any.
pub(crate) fn member_with_keys(rows: Vec<MemberKeyRow>) -> Result<Option<Member>, StorageError> {
    let mut keys = Vec::with_capacity(rows.len());
    let mut member = None;
    for row in rows {
        if let (Some(public_key), Some(from_index)) = (row.public_key, row.from_index) {
            keys.push(KeyRow {
                member_id: row.id,
                public_key,
                from_index,
                until_index: row.until_index,
            });
        }
        member.get_or_insert(MemberRow {
            id: row.id,
            display_name: row.display_name,
            group_id: row.group_id,
            name: row.name,
            role: row.role,
            status: row.status,
            enrolled_at: row.enrolled_at,
        });
    }
    match member {
        Some(row) => Ok(members(vec![row], keys)?.pop()),
        None => Ok(None),
    }
}

/// Members with their keys (`keys` in member order, then log order).
pub(crate) fn members(
    rows: Vec<MemberRow>,
    keys: Vec<KeyRow>,
) -> Result<Vec<Member>, StorageError> {
    let mut by_member: std::collections::HashMap<i64, Vec<MemberKey>> = Default::default();
    for key in keys {
        let member = key.member_id;
        by_member.entry(member).or_default().push(key.try_into()?);
    }
    rows.into_iter()
        .map(|row| {
            Ok(Member {
                id: MemberId(id(row.id)),
                name: DisplayName::parse(&row.display_name).map_err(corrupt("member"))?,
                group_id: GroupId(id(row.group_id)),
                group: GroupName::parse(&row.name).map_err(corrupt("group"))?,
                role: Role::parse(&row.role).map_err(corrupt("member"))?,
                status: MemberStatus::parse(&row.status).map_err(corrupt("member"))?,
                enrolled_at: Timestamp(row.enrolled_at),
                keys: by_member.remove(&row.id).unwrap_or_default(),
            })
        })
        .collect()
}

pub(crate) fn group((group_id, name, members): (i64, String, i64)) -> Result<Group, StorageError> {
    Ok(Group {
        id: GroupId(id(group_id)),
        name: GroupName::parse(&name).map_err(corrupt("group"))?,
        members: id(members),
    })
}

// Groups.

pub(crate) const SELECT_GROUPS: &str = "SELECT g.id, g.name, \
     (SELECT COUNT(*) FROM members m WHERE m.group_id = g.id) \
     FROM groups g ORDER BY g.name";

pub(crate) const SELECT_GROUP_NAME: &str = "SELECT name FROM groups WHERE id = $1";

pub(crate) const SELECT_GROUP_BY_NAME: &str = "SELECT id FROM groups WHERE name = $1";

/// Returns no row when the name is taken.
pub(crate) const INSERT_GROUP: &str = "INSERT INTO groups (name, created_at) VALUES ($1, $2) \
     ON CONFLICT (name) DO NOTHING RETURNING id";

pub(crate) const COUNT_GROUP_MEMBERS: &str = "SELECT COUNT(*) FROM members WHERE group_id = $1";

pub(crate) const RENAME_GROUP: &str = "UPDATE groups SET name = $2 WHERE id = $1";

// Invitations.

/// Member ids are allocated when an invitation is made, so that the member
/// can sign an enrollment naming their id.
pub(crate) const NEXT_MEMBER_ID: &str = "SELECT COALESCE(MAX(id), 0) + 1 FROM \
     (SELECT id FROM members UNION ALL SELECT member_id AS id FROM invitations) AS ids";

pub(crate) const INSERT_INVITATION: &str = "INSERT INTO invitations \
     (token_hash, member_id, display_name, group_id, group_name, role, expires_at, signature, created_by, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";

macro_rules! invitation_columns {
    () => {
        "SELECT id, member_id, display_name, group_id, group_name, role, expires_at, signature, \
         created_by, created_at, used_at, revoked_at FROM invitations "
    };
}

pub(crate) const SELECT_INVITATION_BY_TOKEN: &str =
    concat!(invitation_columns!(), "WHERE token_hash = $1");

pub(crate) const SELECT_INVITATION_BY_ID: &str = concat!(invitation_columns!(), "WHERE id = $1");

pub(crate) const SELECT_INVITATIONS: &str =
    concat!(invitation_columns!(), "ORDER BY id DESC LIMIT $1");

pub(crate) const REVOKE_INVITATION: &str = "UPDATE invitations SET revoked_at = $2 \
     WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL";

pub(crate) const USE_INVITATION: &str = "UPDATE invitations SET used_at = $2 \
     WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2";

// Members and keys.

macro_rules! member_columns {
    () => {
        "SELECT m.id, m.display_name, m.group_id, g.name, m.role, m.status, m.enrolled_at \
         FROM members m JOIN groups g ON g.id = m.group_id "
    };
}

pub(crate) const SELECT_MEMBERS: &str =
    concat!(member_columns!(), "ORDER BY g.name, m.display_name, m.id");

/// One member and their keys in one statement: a row per key (one row with
/// no key for a member who never held one), in log order.
pub(crate) const SELECT_MEMBER_WITH_KEYS: &str = "SELECT m.id, m.display_name, m.group_id, \
     g.name, m.role, m.status, m.enrolled_at, k.public_key, k.from_index, k.until_index \
     FROM members m JOIN groups g ON g.id = m.group_id \
     LEFT JOIN member_keys k ON k.member_id = m.id WHERE m.id = $1 ORDER BY k.from_index";

pub(crate) const SELECT_ALL_MEMBER_KEYS: &str = "SELECT member_id, public_key, from_index, until_index \
     FROM member_keys ORDER BY member_id, from_index";

pub(crate) const SELECT_KEY_OWNER: &str = "SELECT member_id FROM member_keys WHERE public_key = $1";

pub(crate) const INSERT_MEMBER: &str = "INSERT INTO members \
     (id, display_name, group_id, role, status, enrolled_at) VALUES ($1, $2, $3, $4, 'active', $5)";

pub(crate) const REENROLL_MEMBER: &str = "UPDATE members \
     SET display_name = $2, group_id = $3, role = $4, status = 'active' WHERE id = $1";

pub(crate) const INSERT_MEMBER_KEY: &str =
    "INSERT INTO member_keys (public_key, member_id, from_index) VALUES ($1, $2, $3)";

pub(crate) const END_MEMBER_KEY: &str =
    "UPDATE member_keys SET until_index = $2 WHERE member_id = $1 AND until_index IS NULL";

pub(crate) const UPDATE_MEMBER_ROLE: &str =
    "UPDATE members SET role = $2, status = $3 WHERE id = $1";

/// A statement about `member` signed by the log key (role changes
/// and revocations by an admin).
pub(crate) fn member_statement(
    kind: domain::statement::StatementKind,
    origin: domain::LogOrigin,
    member: domain::statement::MemberId,
    body: &impl serde::Serialize,
    log_key: &domain::note::NoteSigner,
) -> Result<domain::statement::SignedStatement, crate::StorageError> {
    let statement = domain::statement::Statement {
        kind,
        origin,
        subject: domain::statement::Subject {
            member: Some(member),
            ..Default::default()
        },
        body: serde_json::to_value(body)
            .map_err(|e| crate::StorageError::Statement(e.to_string()))?,
    };
    log_key
        .sign_statement(statement)
        .map_err(|e| crate::StorageError::Statement(e.to_string()))
}

pub(crate) async fn member_in(
    tx: &mut crate::db::Tx,
    id: domain::statement::MemberId,
) -> Result<Option<crate::Member>, crate::StorageError> {
    let rows: Vec<crate::members::MemberKeyRow> =
        sqlx::query_as(crate::members::SELECT_MEMBER_WITH_KEYS)
            .bind(crate::db_int(id.0))
            .fetch_all(&mut **tx)
            .await?;
    crate::members::member_with_keys(rows)
}

/// Groups, invitations, members and their keys.
#[async_trait::async_trait]
pub trait MemberStore: Send + Sync {
    /// Every group, by name.
    async fn groups(&self) -> Result<Vec<Group>, StorageError>;

    /// Creates a group; [`StorageError::GroupNameTaken`] if the name is in use.
    async fn create_group(&self, name: &GroupName) -> Result<GroupId, StorageError>;

    /// Renames a group that has no enrolled member yet (enrollments are
    /// signed with the group's name).
    async fn rename_group(&self, id: GroupId, name: &GroupName) -> Result<(), StorageError>;

    /// The group's id, by name.
    async fn group_by_name(&self, name: &GroupName) -> Result<Option<GroupId>, StorageError>;

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
}

#[async_trait::async_trait]
impl MemberStore for crate::db::Store {
    async fn groups(&self) -> Result<Vec<crate::Group>, crate::StorageError> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(crate::members::SELECT_GROUPS)
            .fetch_all(self.reader())
            .await?;
        rows.into_iter().map(crate::members::group).collect()
    }

    async fn create_group(
        &self,
        name: &domain::members::GroupName,
    ) -> Result<domain::members::GroupId, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let id: Option<i64> = sqlx::query_scalar(crate::members::INSERT_GROUP)
            .bind(name.as_str())
            .bind(crate::now().unix_seconds())
            .fetch_optional(&mut *tx)
            .await?;
        let id = id.ok_or_else(|| crate::StorageError::GroupNameTaken(name.to_string()))?;
        tx.commit().await?;
        Ok(domain::members::GroupId(id as u64))
    }

    async fn rename_group(
        &self,
        id: domain::members::GroupId,
        name: &domain::members::GroupName,
    ) -> Result<(), crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let current: Option<String> = sqlx::query_scalar(crate::members::SELECT_GROUP_NAME)
            .bind(crate::db_int(id.0))
            .fetch_optional(&mut *tx)
            .await?;
        if current.is_none() {
            return Err(crate::StorageError::NotFound);
        }
        let taken: Option<i64> = sqlx::query_scalar(crate::members::SELECT_GROUP_BY_NAME)
            .bind(name.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some_and(|other| other as u64 != id.0) {
            return Err(crate::StorageError::GroupNameTaken(name.to_string()));
        }
        let members: i64 = sqlx::query_scalar(crate::members::COUNT_GROUP_MEMBERS)
            .bind(crate::db_int(id.0))
            .fetch_one(&mut *tx)
            .await?;
        if members > 0 {
            return Err(crate::StorageError::GroupHasMembers);
        }
        sqlx::query(crate::members::RENAME_GROUP)
            .bind(crate::db_int(id.0))
            .bind(name.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn group_by_name(
        &self,
        name: &domain::members::GroupName,
    ) -> Result<Option<domain::members::GroupId>, crate::StorageError> {
        let id: Option<i64> = sqlx::query_scalar(crate::members::SELECT_GROUP_BY_NAME)
            .bind(name.as_str())
            .fetch_optional(self.reader())
            .await?;
        Ok(id.map(|id| domain::members::GroupId(id as u64)))
    }

    async fn create_invitation(
        &self,
        invitation: &crate::NewInvitation,
        log_key: &domain::note::NoteSigner,
    ) -> Result<crate::Invitation, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let origin = crate::log::kept_origin(&mut tx, &self.ledger).await?;
        let group: Option<String> = sqlx::query_scalar(crate::members::SELECT_GROUP_NAME)
            .bind(crate::db_int(invitation.group.0))
            .fetch_optional(&mut *tx)
            .await?;
        let group = group.ok_or(crate::StorageError::NotFound)?;
        let member = match invitation.member {
            Some(member) => {
                let existing = member_in(&mut tx, member)
                    .await?
                    .ok_or(crate::StorageError::NotFound)?;
                if existing.active_key().is_some() {
                    return Err(crate::StorageError::AlreadyEnrolled);
                }
                member
            }
            None => {
                let next: i64 = sqlx::query_scalar(crate::members::NEXT_MEMBER_ID)
                    .fetch_one(&mut *tx)
                    .await?;
                domain::statement::MemberId(next as u64)
            }
        };
        let terms = domain::members::InvitationTerms {
            member,
            name: invitation.name.clone(),
            group: domain::members::GroupName::parse(&group)
                .map_err(|e| crate::StorageError::Corrupt(format!("group: {e}")))?,
            role: invitation.role,
            expires_at: invitation.expires_at,
        };
        let signature = terms.sign_by(&origin, log_key);
        let now = crate::now();
        let id: i64 = sqlx::query_scalar(crate::members::INSERT_INVITATION)
            .bind(invitation.token_hash.as_slice())
            .bind(crate::db_int(member.0))
            .bind(terms.name.as_str())
            .bind(crate::db_int(invitation.group.0))
            .bind(terms.group.as_str())
            .bind(terms.role.as_str())
            .bind(terms.expires_at.unix_seconds())
            .bind(signature.as_slice())
            .bind(invitation.created_by.map(|m| crate::db_int(m.0)))
            .bind(now.unix_seconds())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(crate::Invitation {
            id: domain::members::InvitationId(id as u64),
            terms,
            signature,
            group_id: invitation.group,
            created_by: invitation.created_by,
            created_at: now,
            used_at: None,
            revoked_at: None,
        })
    }

    async fn invitation_by_token(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<crate::Invitation>, crate::StorageError> {
        let row: Option<crate::members::InvitationRow> =
            sqlx::query_as(crate::members::SELECT_INVITATION_BY_TOKEN)
                .bind(token_hash.as_slice())
                .fetch_optional(self.reader())
                .await?;
        row.map(crate::Invitation::try_from).transpose()
    }

    async fn invitations(&self, limit: u32) -> Result<Vec<crate::Invitation>, crate::StorageError> {
        let rows: Vec<crate::members::InvitationRow> =
            sqlx::query_as(crate::members::SELECT_INVITATIONS)
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await?;
        rows.into_iter().map(crate::Invitation::try_from).collect()
    }

    async fn revoke_invitation(
        &self,
        id: domain::members::InvitationId,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let row: Option<crate::members::InvitationRow> =
            sqlx::query_as(crate::members::SELECT_INVITATION_BY_ID)
                .bind(crate::db_int(id.0))
                .fetch_optional(&mut *tx)
                .await?;
        let invitation: crate::Invitation = row.ok_or(crate::StorageError::NotFound)?.try_into()?;
        match invitation.state(now) {
            crate::InvitationState::Open | crate::InvitationState::Expired => {}
            state => return Err(crate::StorageError::InvitationUnusable(state)),
        }
        sqlx::query(crate::members::REVOKE_INVITATION)
            .bind(crate::db_int(id.0))
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn enroll(
        &self,
        token_hash: &[u8; 32],
        enrollment: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<domain::statement::MemberId, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let row: Option<crate::members::InvitationRow> =
            sqlx::query_as(crate::members::SELECT_INVITATION_BY_TOKEN)
                .bind(token_hash.as_slice())
                .fetch_optional(&mut *tx)
                .await?;
        let invitation: crate::Invitation = row.ok_or(crate::StorageError::NotFound)?.try_into()?;
        let state = invitation.state(now);
        if state != crate::InvitationState::Open {
            return Err(crate::StorageError::InvitationUnusable(state));
        }
        let member = invitation.terms.member;
        if enrollment.statement.kind != domain::statement::StatementKind::MemberEnrollment
            || enrollment.statement.subject.member != Some(member)
        {
            return Err(crate::StorageError::Statement(
                "the enrollment is not for this invitation".to_owned(),
            ));
        }
        // A fresh key (never a member's, nor the log's), allowed in
        // this council, for a member without a valid key who was not
        // removed: the log's rules, asked as the enrollment is appended.
        let existing = member_in(&mut tx, member).await?;
        let index = append_statement(&mut tx, &self.ledger, enrollment, log_key, now).await?;
        let terms = &invitation.terms;
        let query = if existing.is_some() {
            sqlx::query(crate::members::REENROLL_MEMBER)
                .bind(crate::db_int(member.0))
                .bind(terms.name.as_str())
                .bind(crate::db_int(invitation.group_id.0))
                .bind(terms.role.as_str())
        } else {
            sqlx::query(crate::members::INSERT_MEMBER)
                .bind(crate::db_int(member.0))
                .bind(terms.name.as_str())
                .bind(crate::db_int(invitation.group_id.0))
                .bind(terms.role.as_str())
                .bind(now.unix_seconds())
        };
        query.execute(&mut *tx).await?;
        sqlx::query(crate::members::INSERT_MEMBER_KEY)
            .bind(enrollment.signer.as_slice())
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(index))
            .execute(&mut *tx)
            .await?;
        let used = sqlx::query(crate::members::USE_INVITATION)
            .bind(crate::db_int(invitation.id.0))
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if used != 1 {
            return Err(crate::StorageError::InvitationUnusable(
                crate::InvitationState::Used,
            ));
        }
        tx.commit().await?;
        Ok(member)
    }

    async fn members(&self) -> Result<Vec<crate::Member>, crate::StorageError> {
        let rows: Vec<crate::members::MemberRow> = sqlx::query_as(crate::members::SELECT_MEMBERS)
            .fetch_all(self.reader())
            .await?;
        let keys: Vec<crate::members::KeyRow> =
            sqlx::query_as(crate::members::SELECT_ALL_MEMBER_KEYS)
                .fetch_all(self.reader())
                .await?;
        crate::members::members(rows, keys)
    }

    async fn member(
        &self,
        id: domain::statement::MemberId,
    ) -> Result<Option<crate::Member>, crate::StorageError> {
        let rows: Vec<crate::members::MemberKeyRow> =
            sqlx::query_as(crate::members::SELECT_MEMBER_WITH_KEYS)
                .bind(crate::db_int(id.0))
                .fetch_all(self.reader())
                .await?;
        crate::members::member_with_keys(rows)
    }

    async fn key_owner(
        &self,
        public_key: &[u8; 32],
    ) -> Result<Option<domain::statement::MemberId>, crate::StorageError> {
        let owner: Option<i64> = sqlx::query_scalar(crate::members::SELECT_KEY_OWNER)
            .bind(public_key.as_slice())
            .fetch_optional(self.reader())
            .await?;
        Ok(owner.map(|id| domain::statement::MemberId(id as u64)))
    }

    async fn change_role(
        &self,
        change: &crate::RoleChange,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        use domain::members::MemberStatus;
        let mut tx = self.begin_write().await?;
        let origin = crate::log::kept_origin(&mut tx, &self.ledger).await?;
        // Whether the member may still change role or status, and the
        // acting admin's, are the log's rules.
        member_in(&mut tx, change.member)
            .await?
            .ok_or(crate::StorageError::NotFound)?;
        let body = domain::members::RoleChangeBody {
            role: change.role,
            status: change.status,
            by: change.by,
            reason: change.reason.clone(),
        };
        let signed = member_statement(
            domain::statement::StatementKind::RoleChange,
            origin,
            change.member,
            &body,
            log_key,
        )?;
        let index = append_statement(&mut tx, &self.ledger, &signed, log_key, now).await?;
        sqlx::query(crate::members::UPDATE_MEMBER_ROLE)
            .bind(crate::db_int(change.member.0))
            .bind(change.role.as_str())
            .bind(change.status.as_str())
            .execute(&mut *tx)
            .await?;
        if change.status == MemberStatus::Removed {
            sqlx::query(crate::members::END_MEMBER_KEY)
                .bind(crate::db_int(change.member.0))
                .bind(crate::db_int(index))
                .execute(&mut *tx)
                .await?;
        }
        if change.status != MemberStatus::Active {
            sqlx::query(crate::sessions::DELETE_MEMBER_SESSIONS)
                .bind(crate::db_int(change.member.0))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(index)
    }

    async fn revoke_key(
        &self,
        member: domain::statement::MemberId,
        by: Option<domain::statement::MemberId>,
        reason: &str,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let origin = crate::log::kept_origin(&mut tx, &self.ledger).await?;
        let record = member_in(&mut tx, member)
            .await?
            .ok_or(crate::StorageError::NotFound)?;
        let key = *record.active_key().ok_or(crate::StorageError::NoValidKey)?;
        let body = domain::members::RevocationBody {
            key: domain::hex::encode(&key),
            by,
            reason: reason.to_owned(),
        };
        let signed = member_statement(
            domain::statement::StatementKind::KeyRevocation,
            origin,
            member,
            &body,
            log_key,
        )?;
        let index = append_statement(&mut tx, &self.ledger, &signed, log_key, now).await?;
        sqlx::query(crate::members::END_MEMBER_KEY)
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(index))
            .execute(&mut *tx)
            .await?;
        sqlx::query(crate::sessions::DELETE_MEMBER_SESSIONS)
            .bind(crate::db_int(member.0))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(index)
    }

    async fn rotate_key(
        &self,
        rotation: &domain::statement::SignedStatement,
        log_key: &domain::note::NoteSigner,
        now: domain::Timestamp,
    ) -> Result<u64, crate::StorageError> {
        use domain::members::RotationBody;
        use domain::statement::StatementKind;
        let member = match (rotation.statement.kind, rotation.statement.subject.member) {
            (StatementKind::KeyRotation, Some(member)) => member,
            _ => {
                return Err(crate::StorageError::Statement(
                    "not a key rotation for a member".to_owned(),
                ));
            }
        };
        let body: RotationBody = serde_json::from_value(rotation.statement.body.clone())
            .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
        let new_key = domain::hex::decode(&body.new_key)
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .ok_or_else(|| {
                crate::StorageError::Statement("the new key is not 32 bytes of hex".to_owned())
            })?;
        let mut tx = self.begin_write().await?;
        // The signer's valid key and status, and a fresh new key allowed
        // in this council: the log's rules, asked as the rotation is
        // appended.
        member_in(&mut tx, member)
            .await?
            .ok_or(crate::StorageError::NotFound)?;
        let index = append_statement(&mut tx, &self.ledger, rotation, log_key, now).await?;
        sqlx::query(crate::members::END_MEMBER_KEY)
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(index))
            .execute(&mut *tx)
            .await?;
        sqlx::query(crate::members::INSERT_MEMBER_KEY)
            .bind(new_key.as_slice())
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(index))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(index)
    }
}
