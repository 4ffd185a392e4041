//! Invitations, enrollment, the public member registry and the admin's
//! member management. Every change that affects who may sign is appended to
//! the log by the storage layer, in the same transaction.

use super::auth::SessionMember;
#[cfg(feature = "ssr")]
use super::auth::parse_hex;
use crate::error::AppError;
use domain::members::{GroupId, GroupName, InvitationId, InvitationTerms, MemberStatus, Role};
use domain::statement::MemberId;
use domain::{LogOrigin, Timestamp};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An invitation as its page shows it, with what the browser needs to
/// build and check the enrollment statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub terms: InvitationTerms,
    /// The log key's signature on the terms, hex.
    pub signature: String,
    /// `open`, `used`, `revoked` or `expired`.
    pub state: String,
    pub origin: LogOrigin,
    /// The log's public key (C2SP vkey), to check the invitation's signature.
    pub log_key: String,
    pub council: String,
}

#[server(endpoint = "invitation")]
pub async fn get_invitation(token: String) -> Result<InvitationView, AppError> {
    use super::ssr;
    ssr::finish(
        async {
            let storage = ssr::storage()?;
            let council = storage.council().await?.ok_or(AppError::NotFound)?;
            let log_key = storage.log_key().await?.ok_or(AppError::NotFound)?;
            let invitation = storage
                .invitation_by_token(&ssr::sha256(token.trim().as_bytes()))
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(InvitationView {
                state: invitation.state(storage::now()).as_str().to_owned(),
                signature: domain::hex::encode(&invitation.signature),
                terms: invitation.terms,
                origin: council.log_origin,
                log_key,
                council: council.name.to_string(),
            })
        }
        .await,
    )
}

/// Accepts an invitation with the member's new public key and their
/// signature on the enrollment statement; starts a session.
#[server(endpoint = "enroll")]
pub async fn enroll(
    token: String,
    public_key: String,
    signature: String,
) -> Result<SessionMember, AppError> {
    use super::ssr;
    use domain::statement::SignedStatement;
    ssr::finish(
        async {
            let public_key = parse_hex::<32>(&public_key, "public key")?;
            let signature = parse_hex::<64>(&signature, "signature")?;
            let storage = ssr::storage()?;
            let council = storage.council().await?.ok_or(AppError::NotFound)?;
            let token_hash = ssr::sha256(token.trim().as_bytes());
            let invitation = storage
                .invitation_by_token(&token_hash)
                .await?
                .ok_or(AppError::NotFound)?;
            // The server rebuilds the statement from its own record of the
            // invitation: the member can only sign what they were offered.
            let signed = SignedStatement {
                statement: domain::members::enrollment_statement(
                    &council.log_origin,
                    &invitation.terms,
                    &invitation.signature,
                ),
                signer: public_key,
                signature,
            };
            signed
                .verify(&council.log_origin)
                .map_err(|_| AppError::BadSignature)?;
            let member = storage
                .enroll(&token_hash, &signed, &*ssr::log_key()?, storage::now())
                .await?;
            let member = storage.member(member).await?.ok_or(AppError::Internal)?;
            tracing::info!(member = %member.id, "enrolled");
            super::auth::start_session(&member).await?;
            Ok(SessionMember::from(&member))
        }
        .await,
    )
}

/// A key in the public registry, with the log entries that began and ended it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyView {
    pub public_key: String,
    pub from_index: u64,
    pub until_index: Option<u64>,
}

/// A member in the public registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: MemberId,
    pub name: String,
    pub group: GroupName,
    pub role: Role,
    pub status: MemberStatus,
    pub enrolled_at: Timestamp,
    pub keys: Vec<KeyView>,
}

#[cfg(feature = "ssr")]
impl From<storage::Member> for MemberView {
    fn from(member: storage::Member) -> Self {
        Self {
            id: member.id,
            name: member.name.to_string(),
            group: member.group,
            role: member.role,
            status: member.status,
            enrolled_at: member.enrolled_at,
            keys: member
                .keys
                .into_iter()
                .map(|key| KeyView {
                    public_key: domain::hex::encode(&key.public_key),
                    from_index: key.from_index,
                    until_index: key.until_index,
                })
                .collect(),
        }
    }
}

/// The public member registry.
#[server(endpoint = "members")]
pub async fn get_members() -> Result<Vec<MemberView>, AppError> {
    use super::ssr;
    ssr::finish(
        async {
            let members = ssr::storage()?.members().await?;
            Ok(members.into_iter().map(MemberView::from).collect())
        }
        .await,
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: GroupId,
    pub name: GroupName,
    pub members: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSummary {
    pub id: InvitationId,
    pub terms: InvitationTerms,
    pub state: String,
    pub created_at: Timestamp,
}

/// What the admin page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub groups: Vec<GroupView>,
    pub invitations: Vec<InvitationSummary>,
    pub members: Vec<MemberView>,
}

#[server(endpoint = "admin_overview")]
pub async fn get_admin_overview() -> Result<AdminOverview, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            ssr::authorize(Action::ManageMembers).await?;
            let storage = ssr::storage()?;
            let now = storage::now();
            Ok(AdminOverview {
                groups: storage
                    .groups()
                    .await?
                    .into_iter()
                    .map(|g| GroupView {
                        id: g.id,
                        name: g.name,
                        members: g.members,
                    })
                    .collect(),
                invitations: storage
                    .invitations(100)
                    .await?
                    .into_iter()
                    .map(|i| InvitationSummary {
                        id: i.id,
                        state: i.state(now).as_str().to_owned(),
                        terms: i.terms,
                        created_at: i.created_at,
                    })
                    .collect(),
                members: storage
                    .members()
                    .await?
                    .into_iter()
                    .map(MemberView::from)
                    .collect(),
            })
        }
        .await,
    )
}

#[server(endpoint = "create_group")]
pub async fn create_group(name: String) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            ssr::authorize(Action::ManageMembers).await?;
            let name = GroupName::parse(&name)?;
            ssr::storage()?.create_group(&name).await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "rename_group")]
pub async fn rename_group(group: u64, name: String) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            ssr::authorize(Action::ManageMembers).await?;
            let name = GroupName::parse(&name)?;
            ssr::storage()?.rename_group(GroupId(group), &name).await?;
            Ok(())
        }
        .await,
    )
}

/// A new invitation link, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedInvitation {
    pub url: String,
    pub member: MemberId,
    pub expires_at: Timestamp,
}

/// A new intake token, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    pub id: u64,
    pub name: String,
    pub token: String,
}

/// A secret the admin page shows once after a plain form post (see
/// `ssr::show_once`): an invitation link or an intake token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShownOnce {
    Invitation(IssuedInvitation),
    Token(IssuedToken),
}

/// Hands `secret` to the admin page a plain form post returns to.
#[cfg(feature = "ssr")]
pub fn show_once(secret: ShownOnce) -> Result<(), AppError> {
    let json = serde_json::to_string(&secret).map_err(|_| AppError::Internal)?;
    super::ssr::show_once(&json)
}

/// The secret handed over by the plain form post this page follows, if any.
#[cfg(feature = "ssr")]
pub fn take_shown_once() -> Option<ShownOnce> {
    serde_json::from_str(&super::ssr::take_shown_once()?).ok()
}

/// Invites a member (or, with `member`, re-enrolls one whose key was revoked).
#[server(endpoint = "invite")]
pub async fn invite(
    group: u64,
    role: String,
    name: String,
    member: Option<u64>,
) -> Result<IssuedInvitation, AppError> {
    use super::ssr;
    use domain::members::{Action, DisplayName};
    ssr::finish(
        async {
            let (_, admin) = ssr::authorize(Action::ManageMembers).await?;
            let role = Role::parse(role.trim())?;
            let name = DisplayName::parse(&name)?;
            let settings = ssr::settings()?;
            let issued = issue_invitation(
                &ssr::storage()?,
                &*ssr::log_key()?,
                &settings,
                GroupId(group),
                role,
                name,
                member.map(MemberId),
                Some(admin.id),
            )
            .await?;
            show_once(ShownOnce::Invitation(issued.clone()))?;
            Ok(issued)
        }
        .await,
    )
}

/// Creates an invitation and its link (shared by the admin page and the
/// command line).
#[cfg(feature = "ssr")]
#[expect(
    clippy::too_many_arguments,
    reason = "each is a distinct part of the invitation"
)]
pub async fn issue_invitation(
    storage: &storage::SharedStorage,
    log_key: &domain::note::NoteSigner,
    settings: &super::ssr::Settings,
    group: GroupId,
    role: Role,
    name: domain::members::DisplayName,
    member: Option<MemberId>,
    created_by: Option<MemberId>,
) -> Result<IssuedInvitation, AppError> {
    let (token, token_hash) = super::ssr::random_token()?;
    let expires_at = Timestamp(storage::now().0 + settings.invitation_ttl_seconds);
    let invitation = storage
        .create_invitation(
            &storage::NewInvitation {
                token_hash,
                member,
                name,
                group,
                role,
                expires_at,
                created_by,
            },
            log_key,
        )
        .await?;
    Ok(IssuedInvitation {
        url: format!(
            "{}/invite/{token}",
            settings.public_url.trim_end_matches('/')
        ),
        member: invitation.terms.member,
        expires_at,
    })
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(invitation: u64) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            ssr::authorize(Action::ManageMembers).await?;
            ssr::storage()?
                .revoke_invitation(InvitationId(invitation), storage::now())
                .await?;
            Ok(())
        }
        .await,
    )
}

/// The longest reason accepted for a change to a member.
pub const MAX_REASON_CHARS: usize = 500;

#[cfg(feature = "ssr")]
fn reason(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::Invalid(
            "Please give a reason: it is published in the log.".to_owned(),
        ));
    }
    if text.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::Invalid(format!(
            "The reason is longer than {MAX_REASON_CHARS} characters."
        )));
    }
    Ok(text.to_owned())
}

/// Changes a member's role or status (suspend, reinstate, remove).
#[server(endpoint = "change_role")]
pub async fn change_role(
    member: u64,
    role: String,
    status: String,
    reason: String,
) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, admin) = ssr::authorize(Action::ManageMembers).await?;
            let change = storage::RoleChange {
                member: MemberId(member),
                role: Role::parse(role.trim())?,
                status: MemberStatus::parse(status.trim())?,
                by: Some(admin.id),
                reason: self::reason(&reason)?,
            };
            ssr::storage()?
                .change_role(&change, &*ssr::log_key()?, storage::now())
                .await?;
            Ok(())
        }
        .await,
    )
}

/// Revokes a member's key (a lost key): they re-enroll through a new invitation.
#[server(endpoint = "revoke_key")]
pub async fn revoke_key(member: u64, reason: String) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, admin) = ssr::authorize(Action::ManageMembers).await?;
            ssr::storage()?
                .revoke_key(
                    MemberId(member),
                    Some(admin.id),
                    &self::reason(&reason)?,
                    &*ssr::log_key()?,
                    storage::now(),
                )
                .await?;
            Ok(())
        }
        .await,
    )
}

/// Replaces the signed-in member's key: `signature` is their current key's
/// signature on the key-rotation statement naming `new_key`. The server
/// rebuilds the statement, so the member can only sign a rotation of their
/// own key for this council.
#[server(endpoint = "rotate_key")]
pub async fn rotate_key(new_key: String, signature: String) -> Result<u64, AppError> {
    use super::ssr;
    use domain::members::Action;
    use domain::statement::SignedStatement;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::UseAccount).await?;
            let new_key = parse_hex::<32>(&new_key, "new key")?;
            if ed25519_dalek::VerifyingKey::from_bytes(&new_key).map_or(true, |key| key.is_weak()) {
                return Err(AppError::Invalid(
                    "The new key is not a usable Ed25519 public key.".to_owned(),
                ));
            }
            let signature = parse_hex::<64>(&signature, "signature")?;
            let storage = ssr::storage()?;
            let council = storage.council().await?.ok_or(AppError::NotFound)?;
            let signer = *member.active_key().ok_or(AppError::UnknownKey)?;
            let signed = SignedStatement {
                statement: domain::members::rotation_statement(
                    &council.log_origin,
                    member.id,
                    &new_key,
                ),
                signer,
                signature,
            };
            signed
                .verify(&council.log_origin)
                .map_err(|_| AppError::BadSignature)?;
            let index = storage
                .rotate_key(&signed, &*ssr::log_key()?, storage::now())
                .await?;
            tracing::info!(member = %member.id, index, "key rotated");
            Ok(index)
        }
        .await,
    )
}
