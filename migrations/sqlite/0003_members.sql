-- Groups, members, their keys, invitations, sign-in challenges and sessions.
-- The log is the record of who may sign; these tables are the app's working
-- copy of it (keys and roles change only together with a log entry) plus the
-- secrets-free state of invitations and sessions: tokens are stored as
-- SHA-256 hashes, never as issued.

CREATE TABLE groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 60),
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE members (
    id            INTEGER PRIMARY KEY CHECK (id > 0),
    display_name  TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
    group_id      INTEGER NOT NULL REFERENCES groups (id),
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'chair', 'clerk', 'member')),
    status        TEXT    NOT NULL CHECK (status IN ('active', 'suspended', 'removed')),
    enrolled_at   INTEGER NOT NULL
) STRICT;

-- Every key a member ever held; `until_index` is set once, when the key ends.
CREATE TABLE member_keys (
    public_key   BLOB    PRIMARY KEY CHECK (length(public_key) = 32),
    member_id    INTEGER NOT NULL REFERENCES members (id),
    from_index   INTEGER NOT NULL REFERENCES log_entries (idx),
    until_index  INTEGER REFERENCES log_entries (idx)
) STRICT;

CREATE INDEX member_keys_by_member ON member_keys (member_id, from_index);

CREATE TABLE invitations (
    id            INTEGER PRIMARY KEY,
    token_hash    BLOB    NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    member_id     INTEGER NOT NULL CHECK (member_id > 0),
    display_name  TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
    group_id      INTEGER NOT NULL REFERENCES groups (id),
    group_name    TEXT    NOT NULL, -- as signed in the invitation terms
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'chair', 'clerk', 'member')),
    expires_at    INTEGER NOT NULL,
    signature     BLOB    NOT NULL CHECK (length(signature) = 64), -- log key, on the terms
    created_by    INTEGER REFERENCES members (id), -- NULL: the command line
    created_at    INTEGER NOT NULL,
    used_at       INTEGER,
    revoked_at    INTEGER
) STRICT;

CREATE TABLE sign_in_challenges (
    nonce       BLOB    PRIMARY KEY CHECK (length(nonce) = 32),
    expires_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    token_hash    BLOB    NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    member_id     INTEGER NOT NULL REFERENCES members (id),
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    user_agent    TEXT    NOT NULL
) STRICT;

CREATE INDEX sessions_by_member ON sessions (member_id);
