//! Groups, invitations, members and their keys.

use crate::StorageError;
use crate::log::append_statement;
use crate::log::log_origin_in;
use crate::models::Group;
use crate::models::Invitation;
use crate::models::Member;
use crate::models::NewInvitation;
use crate::models::RoleChange;
use domain::Timestamp;
use domain::members::GroupId;
use domain::members::GroupName;
use domain::members::InvitationId;
use domain::note::NoteSigner;
use domain::statement::MemberId;
use domain::statement::SignedStatement;
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
    let rows: Vec<crate::rows::MemberKeyRow> = sqlx::query_as(crate::sql::SELECT_MEMBER_WITH_KEYS)
        .bind(crate::db_int(id.0))
        .fetch_all(&mut **tx)
        .await?;
    crate::rows::member_with_keys(rows)
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
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(crate::sql::SELECT_GROUPS)
            .fetch_all(self.reader())
            .await?;
        rows.into_iter().map(crate::rows::group).collect()
    }

    async fn create_group(
        &self,
        name: &domain::members::GroupName,
    ) -> Result<domain::members::GroupId, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let id: Option<i64> = sqlx::query_scalar(crate::sql::INSERT_GROUP)
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
        let current: Option<String> = sqlx::query_scalar(crate::sql::SELECT_GROUP_NAME)
            .bind(crate::db_int(id.0))
            .fetch_optional(&mut *tx)
            .await?;
        if current.is_none() {
            return Err(crate::StorageError::NotFound);
        }
        let taken: Option<i64> = sqlx::query_scalar(crate::sql::SELECT_GROUP_BY_NAME)
            .bind(name.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some_and(|other| other as u64 != id.0) {
            return Err(crate::StorageError::GroupNameTaken(name.to_string()));
        }
        let members: i64 = sqlx::query_scalar(crate::sql::COUNT_GROUP_MEMBERS)
            .bind(crate::db_int(id.0))
            .fetch_one(&mut *tx)
            .await?;
        if members > 0 {
            return Err(crate::StorageError::GroupHasMembers);
        }
        sqlx::query(crate::sql::RENAME_GROUP)
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
        let id: Option<i64> = sqlx::query_scalar(crate::sql::SELECT_GROUP_BY_NAME)
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
        let origin = log_origin_in(&mut tx).await?;
        let group: Option<String> = sqlx::query_scalar(crate::sql::SELECT_GROUP_NAME)
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
                let next: i64 = sqlx::query_scalar(crate::sql::NEXT_MEMBER_ID)
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
        let id: i64 = sqlx::query_scalar(crate::sql::INSERT_INVITATION)
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
        let row: Option<crate::rows::InvitationRow> =
            sqlx::query_as(crate::sql::SELECT_INVITATION_BY_TOKEN)
                .bind(token_hash.as_slice())
                .fetch_optional(self.reader())
                .await?;
        row.map(crate::Invitation::try_from).transpose()
    }

    async fn invitations(&self, limit: u32) -> Result<Vec<crate::Invitation>, crate::StorageError> {
        let rows: Vec<crate::rows::InvitationRow> = sqlx::query_as(crate::sql::SELECT_INVITATIONS)
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
        let row: Option<crate::rows::InvitationRow> =
            sqlx::query_as(crate::sql::SELECT_INVITATION_BY_ID)
                .bind(crate::db_int(id.0))
                .fetch_optional(&mut *tx)
                .await?;
        let invitation: crate::Invitation = row.ok_or(crate::StorageError::NotFound)?.try_into()?;
        match invitation.state(now) {
            crate::InvitationState::Open | crate::InvitationState::Expired => {}
            state => return Err(crate::StorageError::InvitationUnusable(state)),
        }
        sqlx::query(crate::sql::REVOKE_INVITATION)
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
        let row: Option<crate::rows::InvitationRow> =
            sqlx::query_as(crate::sql::SELECT_INVITATION_BY_TOKEN)
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
            sqlx::query(crate::sql::REENROLL_MEMBER)
                .bind(crate::db_int(member.0))
                .bind(terms.name.as_str())
                .bind(crate::db_int(invitation.group_id.0))
                .bind(terms.role.as_str())
        } else {
            sqlx::query(crate::sql::INSERT_MEMBER)
                .bind(crate::db_int(member.0))
                .bind(terms.name.as_str())
                .bind(crate::db_int(invitation.group_id.0))
                .bind(terms.role.as_str())
                .bind(now.unix_seconds())
        };
        query.execute(&mut *tx).await?;
        sqlx::query(crate::sql::INSERT_MEMBER_KEY)
            .bind(enrollment.signer.as_slice())
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(index))
            .execute(&mut *tx)
            .await?;
        let used = sqlx::query(crate::sql::USE_INVITATION)
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
        let rows: Vec<crate::rows::MemberRow> = sqlx::query_as(crate::sql::SELECT_MEMBERS)
            .fetch_all(self.reader())
            .await?;
        let keys: Vec<crate::rows::KeyRow> = sqlx::query_as(crate::sql::SELECT_ALL_MEMBER_KEYS)
            .fetch_all(self.reader())
            .await?;
        crate::rows::members(rows, keys)
    }

    async fn member(
        &self,
        id: domain::statement::MemberId,
    ) -> Result<Option<crate::Member>, crate::StorageError> {
        let rows: Vec<crate::rows::MemberKeyRow> =
            sqlx::query_as(crate::sql::SELECT_MEMBER_WITH_KEYS)
                .bind(crate::db_int(id.0))
                .fetch_all(self.reader())
                .await?;
        crate::rows::member_with_keys(rows)
    }

    async fn key_owner(
        &self,
        public_key: &[u8; 32],
    ) -> Result<Option<domain::statement::MemberId>, crate::StorageError> {
        let owner: Option<i64> = sqlx::query_scalar(crate::sql::SELECT_KEY_OWNER)
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
        let origin = log_origin_in(&mut tx).await?;
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
        sqlx::query(crate::sql::UPDATE_MEMBER_ROLE)
            .bind(crate::db_int(change.member.0))
            .bind(change.role.as_str())
            .bind(change.status.as_str())
            .execute(&mut *tx)
            .await?;
        if change.status == MemberStatus::Removed {
            sqlx::query(crate::sql::END_MEMBER_KEY)
                .bind(crate::db_int(change.member.0))
                .bind(crate::db_int(index))
                .execute(&mut *tx)
                .await?;
        }
        if change.status != MemberStatus::Active {
            sqlx::query(crate::sql::DELETE_MEMBER_SESSIONS)
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
        let origin = log_origin_in(&mut tx).await?;
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
        sqlx::query(crate::sql::END_MEMBER_KEY)
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(index))
            .execute(&mut *tx)
            .await?;
        sqlx::query(crate::sql::DELETE_MEMBER_SESSIONS)
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
        sqlx::query(crate::sql::END_MEMBER_KEY)
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(index))
            .execute(&mut *tx)
            .await?;
        sqlx::query(crate::sql::INSERT_MEMBER_KEY)
            .bind(new_key.as_slice())
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(index))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(index)
    }
}
