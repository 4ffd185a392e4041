//! SQL text shared by both backends: both accept `$1` placeholders and
//! `ON CONFLICT`, so one statement serves SQLite and PostgreSQL alike.

pub(crate) const SELECT_COUNCIL: &str =
    "SELECT name, log_origin, founded_at FROM council WHERE id = 1";

/// Inserts the council, or nothing if there is one (0 rows affected).
pub(crate) const INSERT_COUNCIL: &str = "INSERT INTO council (id, name, log_origin, founded_at) VALUES (1, $1, $2, $3) \
     ON CONFLICT (id) DO NOTHING";

pub(crate) const INSERT_LOG_KEY: &str = "INSERT INTO log_key (id, vkey) VALUES (1, $1)";

pub(crate) const SELECT_LOG_KEY: &str = "SELECT vkey FROM log_key WHERE id = 1";

pub(crate) const INSERT_LOG_ENTRY: &str =
    "INSERT INTO log_entries (idx, entry, leaf_hash, appended_at) VALUES ($1, $2, $3, $4)";

pub(crate) const SELECT_LOG_SIZE: &str = "SELECT COUNT(*) FROM log_entries";

pub(crate) const SELECT_LOG_ENTRIES: &str =
    "SELECT entry FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx";

pub(crate) const INSERT_CHECKPOINT: &str = "INSERT INTO log_checkpoints (size, root, note, created_at, frontier) VALUES ($1, $2, $3, $4, $5)";

/// The latest checkpoint's size, root and right edge (NULL before migration 0014).
pub(crate) const SELECT_LATEST_FRONTIER: &str =
    "SELECT size, root, frontier FROM log_checkpoints ORDER BY size DESC LIMIT 1";

pub(crate) const SELECT_LATEST_CHECKPOINT: &str =
    "SELECT note FROM log_checkpoints ORDER BY size DESC LIMIT 1";

pub(crate) const SELECT_LEAF_HASHES: &str =
    "SELECT leaf_hash FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx";

pub(crate) const SELECT_LATEST_CHECKPOINT_SIZE: &str =
    "SELECT COALESCE(MAX(size), 0) FROM log_checkpoints";

pub(crate) const SELECT_CHECKPOINT_ROOT: &str = "SELECT root FROM log_checkpoints WHERE size = $1";

pub(crate) const SELECT_CHECKPOINT_NOTE: &str = "SELECT note FROM log_checkpoints WHERE size = $1";

pub(crate) const INSERT_COSIGNATURE: &str = "INSERT INTO log_cosignatures \
     (size, witness, key_id, signed_at, line, received_at) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT DO NOTHING";

pub(crate) const SELECT_COSIGNATURES: &str = "SELECT size, witness, key_id, signed_at, line \
     FROM log_cosignatures WHERE size = $1 ORDER BY witness, key_id";

pub(crate) const SELECT_RECENT_COSIGNATURES: &str = "SELECT size, witness, key_id, signed_at, line \
     FROM log_cosignatures ORDER BY size DESC, witness, key_id LIMIT $1";

pub(crate) const SELECT_LOG_ORIGIN: &str = "SELECT log_origin FROM council WHERE id = 1";

pub(crate) const SELECT_LEAF_HASHES_FROM: &str =
    "SELECT leaf_hash FROM log_entries WHERE idx >= $1 ORDER BY idx";

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

/// PostgreSQL only: the transaction-scoped lock every write takes (the
/// number is arbitrary but fixed: "TRIBUNE" in ASCII, truncated).
pub(crate) const LOCK_WRITES: &str = "SELECT pg_advisory_xact_lock(5486946383318853)";
