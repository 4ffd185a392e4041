use std::path::PathBuf;

/// What went wrong in the storage layer. `Display` texts are written for the
/// operator (they appear in start-up errors and logs), never for the public:
/// the web layer shows its own messages.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the council already exists: `tribune init` runs once per database")]
    CouncilExists,

    #[error("not found")]
    NotFound,

    /// The act breaks a rule of the log, decided by the domain's one rule
    /// engine (the same that every verifier replays); its code is stable.
    #[error("refused by the log's rules ({code}): {0}", code = .0.code())]
    Refused(domain::ledger::Refusal),

    #[error("the council has not been founded yet: run `tribune init`")]
    NoCouncil,

    #[error("a group named {0:?} already exists")]
    GroupNameTaken(String),

    #[error(
        "the group has enrolled members, whose signed enrollments name it: it can no longer be renamed"
    )]
    GroupHasMembers,

    #[error("the invitation is {}", .0.as_str())]
    InvitationUnusable(crate::members::InvitationState),

    #[error("the member already holds a valid key")]
    AlreadyEnrolled,

    #[error("the member has no valid key")]
    NoValidKey,

    #[error("the statement is not signed by the member's valid key")]
    NotSignedByValidKey,

    #[error("this idempotency key was already used for a different request")]
    IdempotencyKeyReused,

    #[error("the case has moved on since you looked at it: reload it and try again")]
    CaseMoved,

    #[error("the case is closed: its discussion is read-only")]
    CaseClosed,

    #[error("you recused yourself from this case")]
    Recused,

    #[error("only the author may edit a comment")]
    NotTheAuthor,

    #[error("the case is not in its public comment period")]
    CommentPeriodClosed,

    #[error("this public comment was already approved or rejected")]
    AlreadyDecided,

    #[error("the decision is published: its record, public comments included, is final")]
    RecordFinal,

    #[error("voting on this motion has closed")]
    VotingClosed,

    #[error("voting opens only while the case is in its voting stage")]
    CaseNotVoting,

    #[error("the vote is invalid: {0}")]
    InvalidVote(String),

    #[error("a motion on this case is still open for voting")]
    MotionsOpen,

    #[error("the case is not decided: its vote is not over, or its decision is already published")]
    NotDecided,

    #[error("only members who voted on this case may write or sign its opinions")]
    NotAVoter,

    #[error("only the rationale's assigned authors may edit or sign it")]
    NotAnAuthor,

    #[error("the rationale has been signed: its text and authors can no longer change")]
    RationaleSigned,

    #[error("the rationale has changed since you read it: reload it and sign again")]
    RationaleChanged,

    #[error("the case has changed since this act was prepared: reload the page and sign again")]
    ActChanged,

    #[error("the decision is invalid: {0}")]
    InvalidDecision(String),

    #[error("this case has no published decision")]
    NotPublished,

    #[error("the decision has no recommendation with this number")]
    NoSuchRecommendation,

    #[error("a case is published by publishing its decision")]
    PublishedByDecision,

    #[error("the signature does not verify")]
    BadSignature,

    #[error("the write failed and nothing was stored: {0}")]
    WriteFailed(String),

    #[error("the statement cannot be logged: {0}")]
    Statement(String),

    #[error(
        "unsupported database URL `{0}`: use sqlite://PATH, sqlite::memory: or postgres://USER@HOST/DB"
    )]
    UnsupportedUrl(String),

    #[error("cannot create the data directory {}: {cause}", path.display())]
    DataDirectory {
        path: PathBuf,
        cause: std::io::Error,
    },

    /// The database file cannot be opened for writing (a read-only file or
    /// file system): the server would serve pages and refuse every write.
    #[error("cannot write the database file {}: {cause}", path.display())]
    DatabaseFile {
        path: PathBuf,
        cause: std::io::Error,
    },

    #[error("cannot open the database {url}: {source}")]
    Connect {
        url: String,
        #[source]
        source: sqlx::Error,
    },

    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    #[error("the database holds invalid data: {0}")]
    Corrupt(String),

    #[error("database error: {0}")]
    Database(sqlx::Error),

    #[error("the database cannot be reached: {0}")]
    Unreachable(String),

    /// A commit that failed without saying whether it was made (the
    /// connection lost after COMMIT was sent).
    #[error("the commit's outcome is unknown: {0}")]
    CommitUnknown(String),

    #[error("no write transaction could begin within {0:?}: writes are blocked")]
    WriteLockTimeout(std::time::Duration),
}

impl StorageError {
    /// Whether the database could not be reached (down, its connections
    /// lost or exhausted, its writer blocked), rather than refusing what it
    /// was asked: the same request may go through later.
    pub fn is_unreachable(&self) -> bool {
        match self {
            Self::Connect { .. }
            | Self::WriteLockTimeout(_)
            | Self::Unreachable(_)
            | Self::CommitUnknown(_) => true,
            Self::Database(error) => matches!(
                error,
                sqlx::Error::Io(_)
                    | sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::WorkerCrashed
                    | sqlx::Error::Tls(_)
            ),
            _ => false,
        }
    }
}

impl From<sqlx::Error> for StorageError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => Self::NotFound,
            other => Self::Database(other),
        }
    }
}
