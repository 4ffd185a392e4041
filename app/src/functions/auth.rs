//! Sign-in without passwords (the browser signs a fresh server nonce with
//! the member's key), sessions and sign-out.

use crate::error::AppError;
use domain::members::{GroupName, Role, SessionId};
use domain::statement::MemberId;
use domain::{LogOrigin, Timestamp};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in member, as pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionMember {
    pub id: MemberId,
    pub name: String,
    pub group: GroupName,
    pub role: Role,
}

#[cfg(feature = "ssr")]
impl From<&storage::Member> for SessionMember {
    fn from(member: &storage::Member) -> Self {
        Self {
            id: member.id,
            name: member.name.to_string(),
            group: member.group.clone(),
            role: member.role,
        }
    }
}

/// A challenge to sign: the nonce and the council's origin (part of the
/// signed bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub nonce: String,
    pub origin: LogOrigin,
}

/// How long a challenge may be answered.
pub const CHALLENGE_SECONDS: i64 = 120;

/// Who is signed in, if anyone.
#[server(endpoint = "session")]
pub async fn get_session() -> Result<Option<SessionMember>, AppError> {
    use super::ssr;
    ssr::finish(
        async {
            Ok(ssr::signed_in()
                .await?
                .map(|(_, member)| SessionMember::from(&member)))
        }
        .await,
    )
}

/// Issues a fresh single-use nonce to sign.
#[server(endpoint = "sign_in_challenge")]
pub async fn sign_in_challenge() -> Result<Challenge, AppError> {
    use super::ssr;
    ssr::finish(
        async {
            let storage = ssr::storage()?;
            let council = storage.council().await?.ok_or(AppError::NotFound)?;
            let (nonce, _) = ssr::random_token()?;
            let bytes = parse_hex::<32>(&nonce, "nonce")?;
            let now = storage::now();
            storage
                .create_challenge(&bytes, Timestamp(now.0 + CHALLENGE_SECONDS), now)
                .await?;
            Ok(Challenge {
                nonce,
                origin: council.log_origin,
            })
        }
        .await,
    )
}

/// Checks the signed challenge and starts a session (cookie).
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    nonce: String,
    public_key: String,
    signature: String,
) -> Result<SessionMember, AppError> {
    use super::ssr;
    ssr::finish(
        async {
            let nonce = parse_hex::<32>(&nonce, "nonce")?;
            let public_key = parse_hex::<32>(&public_key, "public key")?;
            let signature = parse_hex::<64>(&signature, "signature")?;
            let storage = ssr::storage()?;
            let council = storage.council().await?.ok_or(AppError::NotFound)?;
            let now = storage::now();
            // Used up whatever happens next: a challenge is answered once.
            if !storage.take_challenge(&nonce, now).await? {
                return Err(AppError::ChallengeUsed);
            }
            if !domain::signin::verify_challenge(
                &council.log_origin,
                &nonce,
                &public_key,
                &signature,
            ) {
                return Err(AppError::BadSignature);
            }
            let member = match storage.key_owner(&public_key).await? {
                Some(id) => storage.member(id).await?,
                None => None,
            }
            .filter(|m| {
                m.active_key() == Some(&public_key)
                    && m.status == domain::members::MemberStatus::Active
            })
            .ok_or(AppError::UnknownKey)?;
            start_session(&member).await?;
            tracing::info!(member = %member.id, "signed in");
            Ok(SessionMember::from(&member))
        }
        .await,
    )
}

/// Starts a session for `member` and sets its cookie.
#[cfg(feature = "ssr")]
pub(crate) async fn start_session(member: &storage::Member) -> Result<(), AppError> {
    use super::ssr;
    let settings = ssr::settings()?;
    let (token, hash) = ssr::random_token()?;
    let now = storage::now();
    ssr::storage()?
        .create_session(
            &hash,
            member.id,
            now,
            Timestamp(now.0 + settings.session_ttl_seconds),
            &ssr::user_agent().await?,
        )
        .await?;
    ssr::set_session_cookie(Some(&token))
}

/// Ends this browser's session. Works as a plain form (redirects home).
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::ssr;
    ssr::finish(
        async {
            let settings = ssr::settings()?;
            if let Some(token) = ssr::cookie(settings.cookie_name()).await? {
                ssr::storage()?
                    .end_session(&ssr::sha256(token.as_bytes()))
                    .await?;
            }
            ssr::set_session_cookie(None)?;
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// One of the member's sessions, as the account page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: SessionId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub user_agent: String,
    /// Whether this is the session making the request.
    pub current: bool,
}

#[server(endpoint = "my_sessions")]
pub async fn get_my_sessions() -> Result<Vec<SessionView>, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (current, member) = ssr::authorize(Action::UseAccount).await?;
            let sessions = ssr::storage()?.sessions(member.id, storage::now()).await?;
            Ok(sessions
                .into_iter()
                .map(|s| SessionView {
                    current: s.id == current,
                    id: s.id,
                    created_at: s.created_at,
                    expires_at: s.expires_at,
                    user_agent: s.user_agent,
                })
                .collect())
        }
        .await,
    )
}

/// Ends one of the member's own sessions.
#[server(endpoint = "end_session")]
pub async fn end_session(session: u64) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (current, member) = ssr::authorize(Action::UseAccount).await?;
            ssr::storage()?
                .end_member_session(member.id, SessionId(session))
                .await?;
            if SessionId(session) == current {
                ssr::set_session_cookie(None)?;
                leptos_axum::redirect("/");
            } else {
                leptos_axum::redirect("/account");
            }
            Ok(())
        }
        .await,
    )
}

/// Ends every session of the member, this one included.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::UseAccount).await?;
            let ended = ssr::storage()?.end_member_sessions(member.id).await?;
            tracing::info!(member = %member.id, ended, "signed out everywhere");
            ssr::set_session_cookie(None)?;
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Parses `N` bytes of hex, naming the field when it is not.
pub fn parse_hex<const N: usize>(text: &str, what: &str) -> Result<[u8; N], AppError> {
    domain::hex::decode(text.trim())
        .and_then(|bytes| <[u8; N]>::try_from(bytes).ok())
        .ok_or_else(|| AppError::Invalid(format!("The {what} must be {N} bytes of hexadecimal.")))
}

#[cfg(feature = "ssr")]
/// A chair's act as the browser sends it: the statement the server
/// prepared (JSON) and the chair's signature over it (hex), signed by the
/// signed-in member's valid key. Storage checks the signature and that the
/// statement is still the one it would prepare; the log's rules, that the
/// signer is the chair.
pub fn chair_signed(
    member: &storage::Member,
    statement: &str,
    signature: &str,
) -> Result<domain::statement::SignedStatement, AppError> {
    let statement: domain::statement::Statement = serde_json::from_str(statement)
        .map_err(|e| AppError::Invalid(format!("The statement is not well formed: {e}.")))?;
    Ok(domain::statement::SignedStatement {
        statement,
        signer: *member.active_key().ok_or(AppError::UnknownKey)?,
        signature: parse_hex::<64>(signature, "signature")?,
    })
}
