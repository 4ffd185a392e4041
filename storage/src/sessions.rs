//! Sign-in challenges and sessions.

use crate::StorageError;
use domain::Timestamp;
use domain::members::SessionId;
use domain::statement::MemberId;

// Sign-in challenges and sessions.

pub(crate) const DELETE_EXPIRED_CHALLENGES: &str =
    "DELETE FROM sign_in_challenges WHERE expires_at <= $1";

pub(crate) const INSERT_CHALLENGE: &str =
    "INSERT INTO sign_in_challenges (nonce, expires_at) VALUES ($1, $2)";

pub(crate) const TAKE_CHALLENGE: &str =
    "DELETE FROM sign_in_challenges WHERE nonce = $1 AND expires_at > $2";

pub(crate) const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";

pub(crate) const INSERT_SESSION: &str = "INSERT INTO sessions \
     (token_hash, member_id, created_at, expires_at, user_agent) VALUES ($1, $2, $3, $4, $5) RETURNING id";

pub(crate) const SELECT_SESSION_MEMBER: &str =
    "SELECT id, member_id FROM sessions WHERE token_hash = $1 AND expires_at > $2";

pub(crate) const SELECT_MEMBER_SESSIONS: &str = "SELECT id, created_at, expires_at, user_agent \
     FROM sessions WHERE member_id = $1 AND expires_at > $2 ORDER BY created_at DESC, id DESC";

pub(crate) const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";

pub(crate) const DELETE_MEMBER_SESSION: &str =
    "DELETE FROM sessions WHERE member_id = $1 AND id = $2";

pub(crate) const DELETE_MEMBER_SESSIONS: &str = "DELETE FROM sessions WHERE member_id = $1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: SessionId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub user_agent: String,
}

/// A member's session (`SELECT_MEMBER_SESSIONS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SessionRow {
    pub id: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub user_agent: String,
}

pub(crate) fn session(row: SessionRow) -> SessionSummary {
    SessionSummary {
        id: SessionId(crate::db_u64(row.id)),
        created_at: Timestamp(row.created_at),
        expires_at: Timestamp(row.expires_at),
        user_agent: row.user_agent,
    }
}

/// Sign-in challenges and sessions.
#[async_trait::async_trait]
pub trait SessionStore: Send + Sync {
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
}

#[async_trait::async_trait]
impl SessionStore for crate::db::Store {
    async fn create_challenge(
        &self,
        nonce: &[u8; 32],
        expires_at: domain::Timestamp,
        now: domain::Timestamp,
    ) -> Result<(), crate::StorageError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(crate::sessions::DELETE_EXPIRED_CHALLENGES)
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        sqlx::query(crate::sessions::INSERT_CHALLENGE)
            .bind(nonce.as_slice())
            .bind(expires_at.unix_seconds())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn take_challenge(
        &self,
        nonce: &[u8; 32],
        now: domain::Timestamp,
    ) -> Result<bool, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query(crate::sessions::TAKE_CHALLENGE)
            .bind(nonce.as_slice())
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(taken == 1)
    }

    async fn create_session(
        &self,
        token_hash: &[u8; 32],
        member: domain::statement::MemberId,
        now: domain::Timestamp,
        expires_at: domain::Timestamp,
        user_agent: &str,
    ) -> Result<domain::members::SessionId, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(crate::sessions::DELETE_EXPIRED_SESSIONS)
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar(crate::sessions::INSERT_SESSION)
            .bind(token_hash.as_slice())
            .bind(crate::db_int(member.0))
            .bind(now.unix_seconds())
            .bind(expires_at.unix_seconds())
            .bind(user_agent)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(domain::members::SessionId(id as u64))
    }

    async fn session(
        &self,
        token_hash: &[u8; 32],
        now: domain::Timestamp,
    ) -> Result<
        Option<(domain::members::SessionId, domain::statement::MemberId)>,
        crate::StorageError,
    > {
        let row: Option<(i64, i64)> = sqlx::query_as(crate::sessions::SELECT_SESSION_MEMBER)
            .bind(token_hash.as_slice())
            .bind(now.unix_seconds())
            .fetch_optional(self.reader())
            .await?;
        Ok(row.map(|(session, member)| {
            (
                domain::members::SessionId(session as u64),
                domain::statement::MemberId(member as u64),
            )
        }))
    }

    async fn sessions(
        &self,
        member: domain::statement::MemberId,
        now: domain::Timestamp,
    ) -> Result<Vec<crate::SessionSummary>, crate::StorageError> {
        let rows: Vec<crate::sessions::SessionRow> =
            sqlx::query_as(crate::sessions::SELECT_MEMBER_SESSIONS)
                .bind(crate::db_int(member.0))
                .bind(now.unix_seconds())
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().map(crate::sessions::session).collect())
    }

    async fn end_session(&self, token_hash: &[u8; 32]) -> Result<(), crate::StorageError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(crate::sessions::DELETE_SESSION)
            .bind(token_hash.as_slice())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn end_member_session(
        &self,
        member: domain::statement::MemberId,
        session: domain::members::SessionId,
    ) -> Result<(), crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let ended = sqlx::query(crate::sessions::DELETE_MEMBER_SESSION)
            .bind(crate::db_int(member.0))
            .bind(crate::db_int(session.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if ended == 0 {
            return Err(crate::StorageError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    async fn end_member_sessions(
        &self,
        member: domain::statement::MemberId,
    ) -> Result<u64, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let ended = sqlx::query(crate::sessions::DELETE_MEMBER_SESSIONS)
            .bind(crate::db_int(member.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(ended)
    }
}
