//! Rows as the database returns them, and their conversion into domain types
//! (re-validated: the database is not trusted to hold only valid values).

use crate::StorageError;
use crate::models::{Group, Invitation, Member, MemberKey, SessionSummary};
use domain::members::{
    DisplayName, GroupId, GroupName, InvitationId, InvitationTerms, MemberStatus, Role, SessionId,
};
use domain::statement::MemberId;
use domain::{Council, CouncilName, LogOrigin, Timestamp};

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CouncilRow {
    pub name: String,
    pub log_origin: String,
    pub founded_at: i64,
}

impl TryFrom<CouncilRow> for Council {
    type Error = StorageError;
    fn try_from(row: CouncilRow) -> Result<Self, Self::Error> {
        let corrupt = |e: domain::CouncilError| StorageError::Corrupt(format!("council: {e}"));
        Ok(Council {
            name: CouncilName::parse(&row.name).map_err(corrupt)?,
            log_origin: LogOrigin::parse(&row.log_origin).map_err(corrupt)?,
            founded_at: Timestamp::from_unix_seconds(row.founded_at),
        })
    }
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

pub(crate) fn session(
    (session, created_at, expires_at, user_agent): (i64, i64, i64, String),
) -> SessionSummary {
    SessionSummary {
        id: SessionId(id(session)),
        created_at: Timestamp(created_at),
        expires_at: Timestamp(expires_at),
        user_agent,
    }
}

pub(crate) fn cosignature(
    (size, witness, key_id, signed_at, line): (i64, String, i64, i64, String),
) -> Result<crate::CheckpointCosignature, StorageError> {
    Ok(crate::CheckpointCosignature {
        size: id(size),
        witness,
        key_id: u32::try_from(key_id)
            .map_err(|_| StorageError::Corrupt("a cosignature's key ID".to_owned()))?,
        signed_at: id(signed_at),
        line,
    })
}
