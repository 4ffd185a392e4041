//! The web layer's errors: a stable snake_case code, an HTTP status and a
//! message fit for the page. The real cause is logged on the server, never
//! shown.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// On the wire (server function errors): `{"error": "snake_case_code",
/// "message": "…"}`, like every other error the server answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(into = "WireError", from = "WireError")]
pub enum AppError {
    #[error("The council's records cannot be reached right now. Please try again in a moment.")]
    Unavailable,
    #[error("Something went wrong on our side. It has been logged.")]
    Internal,
    #[error("The log is too large to check in a browser: use `tribune verify`.")]
    TooLarge,
    #[error("The request could not be completed: {0}")]
    Transport(String),
    /// The request's fields could not be read (missing, of the wrong type):
    /// the caller's mistake, answered 400.
    #[error("The request's fields could not be read: {0}")]
    BadRequest(String),
    #[error("Please sign in first.")]
    Unauthenticated,
    #[error("Your role does not allow this.")]
    Forbidden,
    /// Refused for this member in this situation; the message says why.
    #[error("{0}")]
    NotPermitted(String),
    #[error("Not found.")]
    NotFound,
    /// A field or request that cannot be accepted; the message says why.
    #[error("{0}")]
    Invalid(String),
    /// A form's invalid fields, each with the code of what is wrong
    /// (`{"error": "invalid_fields", "message": "…", "fields": [{"field":
    /// "audience", "code": "required"}, …], "shown": "…"}`): `message` is
    /// the English sentence, `shown` the same in the reader's language,
    /// which the server says from the codes (`i18n::field_errors`), so that
    /// the browser bundle carries neither the codes' reader nor their texts.
    /// In the browser `fields` is empty.
    #[error("{message}")]
    InvalidFields {
        fields: Vec<domain::cases::FieldError>,
        message: String,
        shown: String,
    },
    /// The request clashes with the current state; the message says how.
    #[error("{0}")]
    Conflict(String),
    #[error("The signature does not verify: nothing was changed.")]
    BadSignature,
    #[error("This sign-in attempt expired or was already used. Please try again.")]
    ChallengeUsed,
    #[error("This key does not belong to any active member of this council.")]
    UnknownKey,
    /// Refused by the log's rules (the domain's one rule engine): the
    /// rule's own stable code (`stale_sequence`, `not_on_roll`, …) and a
    /// sentence saying why, shown in the reader's language.
    #[error("{message}")]
    Refused { code: String, message: String },
}

impl AppError {
    /// The stable code clients can match on.
    pub fn code(&self) -> &str {
        match self {
            Self::Refused { code, .. } => code,
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
            Self::TooLarge => "too_large",
            Self::Transport(_) => "transport",
            Self::BadRequest(_) => "bad_request",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::NotPermitted(_) => "not_permitted",
            Self::NotFound => "not_found",
            Self::Invalid(_) => "invalid",
            Self::InvalidFields { .. } => "invalid_fields",
            Self::Conflict(_) => "conflict",
            Self::BadSignature => "bad_signature",
            Self::ChallengeUsed => "challenge_used",
            Self::UnknownKey => "unknown_key",
        }
    }

    /// The HTTP status a server function answers with this error.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unavailable => 503,
            Self::Internal => 500,
            Self::TooLarge => 413,
            Self::Transport(_) | Self::BadRequest(_) => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden | Self::UnknownKey | Self::NotPermitted(_) => 403,
            Self::NotFound => 404,
            Self::Invalid(_) | Self::InvalidFields { .. } | Self::BadSignature => 422,
            Self::Conflict(_) | Self::ChallengeUsed => 409,
            Self::Refused { code, .. } => refusal_status(code),
        }
    }
}

/// The HTTP status of a refusal by the log's rules, from its code: 403 when
/// the rule says who may act, 422 when the act itself is malformed, 404 for
/// what does not exist, 409 (a clash with the log's state) otherwise.
fn refusal_status(code: &str) -> u16 {
    match code {
        "not_on_roll"
        | "recused"
        | "not_admin"
        | "not_a_voter"
        | "not_an_author"
        | "not_the_author"
        | "not_chair"
        | "chair_act_by_log_key"
        | "by_not_signer" => 403,
        "invalid_body"
        | "unknown_choice"
        | "missing_salt"
        | "no_commitment"
        | "not_the_committed_vote"
        | "not_sealed"
        | "sealed"
        | "wrong_case"
        | "bad_new_key"
        | "bad_invitation" => 422,
        "unknown_recommendation" | "unknown_member" => 404,
        _ => 409,
    }
}

impl AppError {
    /// A form's invalid fields: the English sentence naming each by its
    /// name ("subject_handle: is required."), and `shown`, the same as the
    /// reader's page says it.
    #[cfg(feature = "ssr")]
    pub fn invalid_fields(fields: Vec<domain::cases::FieldError>, shown: String) -> Self {
        let message = fields
            .iter()
            .map(|e| format!("{}: {}.", e.field, e.problem))
            .collect::<Vec<_>>()
            .join(" ");
        Self::InvalidFields {
            fields,
            message,
            shown,
        }
    }
}

/// The JSON form of an [`AppError`].
#[derive(Serialize, Deserialize)]
struct WireError {
    error: String,
    message: String,
    /// The invalid fields of an `invalid_fields` error (read on the
    /// server only: the browser shows `shown`).
    #[cfg(feature = "ssr")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fields: Vec<domain::cases::FieldError>,
    /// An `invalid_fields` error's sentence in the reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shown: Option<String>,
}

impl From<AppError> for WireError {
    fn from(error: AppError) -> Self {
        let error_code = error.code().to_owned();
        let message = error.to_string();
        match error {
            AppError::InvalidFields {
                #[cfg(feature = "ssr")]
                fields,
                shown,
                ..
            } => Self {
                error: error_code,
                message,
                #[cfg(feature = "ssr")]
                fields,
                shown: Some(shown),
            },
            _ => Self {
                error: error_code,
                message,
                #[cfg(feature = "ssr")]
                fields: Vec::new(),
                shown: None,
            },
        }
    }
}

impl From<WireError> for AppError {
    fn from(wire: WireError) -> Self {
        match wire.error.as_str() {
            "unavailable" => Self::Unavailable,
            "internal" => Self::Internal,
            "too_large" => Self::TooLarge,
            "unauthenticated" => Self::Unauthenticated,
            "forbidden" => Self::Forbidden,
            "not_permitted" => Self::NotPermitted(wire.message),
            "not_found" => Self::NotFound,
            "invalid" => Self::Invalid(wire.message),
            "invalid_fields" => Self::InvalidFields {
                #[cfg(feature = "ssr")]
                fields: wire.fields,
                #[cfg(not(feature = "ssr"))]
                fields: Vec::new(),
                shown: wire.shown.unwrap_or_else(|| wire.message.clone()),
                message: wire.message,
            },
            "conflict" => Self::Conflict(wire.message),
            "bad_request" => Self::BadRequest(wire.message),
            "bad_signature" => Self::BadSignature,
            "challenge_used" => Self::ChallengeUsed,
            "unknown_key" => Self::UnknownKey,
            "transport" => Self::Transport(wire.message),
            // Every other code is a rule of the log's.
            _ => Self::Refused {
                code: wire.error,
                message: wire.message,
            },
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(why)
            | ServerFnErrorErr::MissingArg(why)
            | ServerFnErrorErr::Deserialization(why) => Self::BadRequest(why),
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<storage::StorageError> for AppError {
    fn from(error: storage::StorageError) -> Self {
        use storage::StorageError as E;
        match error {
            E::Refused(refusal) => refused(&refusal),
            E::NotFound => Self::NotFound,
            E::InvitationUnusable(state) => Self::Conflict(
                match state {
                    storage::InvitationState::Used => "This invitation was already used.",
                    storage::InvitationState::Revoked => {
                        "This invitation was revoked. Ask an admin for a new one."
                    }
                    storage::InvitationState::Expired => {
                        "This invitation has expired. Ask an admin for a new one."
                    }
                    storage::InvitationState::Open => "This invitation is still open.",
                }
                .to_owned(),
            ),
            // The storage's own refusals (what the log does not hold: a
            // case's stage, a draft, a comment, an invitation…), each with
            // its own code, as the log's rules have theirs.
            E::GroupNameTaken(_) => storage_refusal("group_name_taken", &error),
            E::GroupHasMembers => storage_refusal("group_has_members", &error),
            E::AlreadyEnrolled => storage_refusal("already_enrolled", &error),
            E::NoValidKey => storage_refusal("no_valid_key", &error),
            E::NotSignedByValidKey => storage_refusal("not_signed_by_valid_key", &error),
            E::CaseMoved => storage_refusal("case_moved", &error),
            E::CaseClosed => storage_refusal("case_closed", &error),
            E::IdempotencyKeyReused => storage_refusal("idempotency_key_reused", &error),
            E::CommentPeriodClosed => storage_refusal("comment_period_closed", &error),
            E::AlreadyDecided => storage_refusal("already_screened", &error),
            E::RecordFinal => storage_refusal("record_final", &error),
            E::VotingClosed => storage_refusal("voting_closed", &error),
            E::CaseNotVoting => storage_refusal("case_not_voting", &error),
            E::MotionsOpen => storage_refusal("motion_open", &error),
            E::NotDecided => storage_refusal("case_not_decided", &error),
            E::RationaleSigned => storage_refusal("rationale_signed", &error),
            E::RationaleChanged => storage_refusal("rationale_changed", &error),
            E::ActChanged => storage_refusal("act_changed", &error),
            E::NotPublished => storage_refusal("not_published", &error),
            E::PublishedByDecision => storage_refusal("published_by_decision", &error),
            E::Recused => storage_refusal("recused", &error),
            E::NotTheAuthor => storage_refusal("not_the_author", &error),
            E::NotAVoter => storage_refusal("not_a_voter", &error),
            E::NotAnAuthor => storage_refusal("not_an_author", &error),
            E::NoSuchRecommendation => Self::NotFound,
            E::BadSignature => Self::BadSignature,
            E::InvalidDecision(why) => Self::Invalid(why),
            E::InvalidVote(_) => Self::Invalid(sentence(&error.to_string())),
            E::NoCouncil => Self::Conflict(
                "The council has not been founded yet: run `tribune init`.".to_owned(),
            ),
            E::Connect { .. }
            | E::Database(_)
            | E::Unreachable(_)
            | E::CommitUnknown(_)
            | E::WriteLockTimeout(_) => {
                tracing::error!(%error, "storage error");
                Self::Unavailable
            }
            other => {
                tracing::error!(error = %other, "storage error");
                Self::Internal
            }
        }
    }
}

/// A refusal of the storage's own (not a rule of the log's) with its code
/// and its sentence.
#[cfg(feature = "ssr")]
fn storage_refusal(code: &str, error: &storage::StorageError) -> AppError {
    AppError::Refused {
        code: code.to_owned(),
        message: sentence(&error.to_string()),
    }
}

/// A refusal by the log's rules as the page shows it: its code, and the
/// sentence for it (in English on the wire, the reader's language on the
/// page; `i18n::messages` holds the French).
#[cfg(feature = "ssr")]
pub fn refused(refusal: &domain::ledger::Refusal) -> AppError {
    use domain::ledger::Refusal;
    use domain::members::EligibilityError as M;
    use domain::voting::BallotError as B;
    let invalid_vote = |why: &str| format!("the vote is invalid: {why}");
    let text = match refusal {
        Refusal::Ballot(error) => match error {
            B::MotionClosed(_) | B::WindowEnded { .. } => {
                "voting on this motion has closed".to_owned()
            }
            B::UnknownMotion(_) => "voting on this motion is not open".to_owned(),
            B::MotionReused(_) => "voting on this motion has already opened".to_owned(),
            B::NotOnRoll { .. } => {
                "you are not on this motion's roll (it was fixed when voting opened)".to_owned()
            }
            B::Sequence { expected, .. } => format!(
                "this vote is out of date: it was replaced, or another vote was cast meanwhile (vote number {expected} is due)"
            ),
            B::Recused { .. } => "you recused yourself from this case".to_owned(),
            B::AlreadyRecused { .. } => "you already recused yourself from this case".to_owned(),
            B::MemberInactive(_) => "the member is not active".to_owned(),
            B::NotSignedByValidKey(_) => {
                "the statement is not signed by the member's valid key".to_owned()
            }
            B::NotAllVoted { .. } => "not every member on the roll has voted yet".to_owned(),
            B::NotYetDue { .. } => "the voting window has not ended yet".to_owned(),
            B::WrongRules(_) | B::RulesVersion { .. } => {
                "the rules have changed since you looked at them: reload and try again".to_owned()
            }
            B::NotByAdmin => "only an active admin may change the rules".to_owned(),
            B::NotAVoter { .. } => {
                "only members who voted on this case may write or sign its opinions".to_owned()
            }
            B::NotAnAuthor(_) => {
                "only the rationale's assigned authors may edit or sign it".to_owned()
            }
            B::AlreadySigned { .. } => "you have already signed the rationale".to_owned(),
            B::RationaleUnsigned(_) | B::NoRationale(_) => {
                "the majority rationale must be signed by each of its authors before publication"
                    .to_owned()
            }
            B::MotionOpen(_) => "a motion on this case is still open for voting".to_owned(),
            B::NoMotions(_) => {
                "nothing was voted on this case: there is no decision to publish".to_owned()
            }
            B::NotDecided(_) => "this case has no published decision".to_owned(),
            B::UnknownRecommendation { .. } => {
                "the decision has no recommendation with this number".to_owned()
            }
            B::AlreadyDecided(_) => "the decision on this case is already published".to_owned(),
            B::PanelAfterVoting(_) => {
                "voting has opened on this case: its panel can no longer change".to_owned()
            }
            B::EmptyRoll(_) => {
                "nobody is eligible to vote: no active member holds a key and is not recused"
                    .to_owned()
            }
            B::UnknownChoice(_) => invalid_vote("this is not one of the motion's choices"),
            B::MissingSalt => invalid_vote("a sealed vote needs a 32-byte salt"),
            B::NoCommitment | B::NotTheCommittedVote => {
                invalid_vote("the commitment is not a commitment to this vote")
            }
            B::NotSealed(_) => invalid_vote("votes on an unsealed motion are logged directly"),
            B::Sealed(_) => {
                invalid_vote("a vote on a sealed motion comes with its signed commitment")
            }
            B::WrongCase(_) => invalid_vote("this motion belongs to another case"),
            B::Body {
                kind: domain::statement::StatementKind::Vote,
                why,
            } => invalid_vote(why),
            B::Body { why, .. } => why.clone(),
            // What the server itself builds (openings, closings, decisions):
            // refused, it is a fault of the server's, logged as such.
            other => {
                tracing::error!(error = %other, "the log's rules refused what the server built");
                other.to_string()
            }
        },
        Refusal::Eligibility(error) => match error {
            M::KeyReused => "this key is already registered".to_owned(),
            M::AlreadyEnrolled(_) => "the member already holds a valid key".to_owned(),
            M::Removed(_) => "the member was removed from the council".to_owned(),
            M::NotActive(_) => "the member is not active".to_owned(),
            M::SignerNotEligible => {
                "the statement is not signed by the member's valid key".to_owned()
            }
            M::DemoKey => {
                "this is a demo key (public, usable by anyone): only a demo council accepts it"
                    .to_owned()
            }
            M::Body { why, .. } => why.clone(),
            other => other.to_string(),
        },
    };
    AppError::Refused {
        code: refusal.code().to_owned(),
        message: sentence(&text),
    }
}

#[cfg(feature = "ssr")]
impl From<domain::members::MemberError> for AppError {
    fn from(error: domain::members::MemberError) -> Self {
        Self::Invalid(error.to_string())
    }
}

/// A storage message as a sentence: capitalised, with a full stop.
#[cfg(feature = "ssr")]
pub(crate) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    out.push('.');
    out
}

/// Gives the page being rendered on the server the HTTP status `error`
/// calls for (401 for a visitor who must sign in, 404, 503…), so that a
/// refusal is not served as a success; nothing in the browser.
pub fn set_page_status(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every refusal the storage can give a member reads in French too.
    #[cfg(feature = "ssr")]
    #[test]
    fn every_refusal_from_the_storage_has_its_french() {
        use crate::i18n::{Locale, message};
        use storage::{InvitationState, StorageError as E};
        let refusals = [
            E::GroupNameTaken("Harbour".to_owned()),
            E::GroupHasMembers,
            E::AlreadyEnrolled,
            E::NoValidKey,
            E::NotSignedByValidKey,
            E::CaseMoved,
            E::CaseClosed,
            E::IdempotencyKeyReused,
            E::CommentPeriodClosed,
            E::AlreadyDecided,
            E::RecordFinal,
            E::VotingClosed,
            E::CaseNotVoting,
            E::MotionsOpen,
            E::NotDecided,
            E::RationaleSigned,
            E::RationaleChanged,
            E::ActChanged,
            E::NotPublished,
            E::PublishedByDecision,
            E::Recused,
            E::NotTheAuthor,
            E::NotAVoter,
            E::NotAnAuthor,
            E::NoCouncil,
            E::BadSignature,
            E::NotFound,
            E::InvitationUnusable(InvitationState::Used),
            E::InvitationUnusable(InvitationState::Revoked),
            E::InvitationUnusable(InvitationState::Expired),
            E::InvitationUnusable(InvitationState::Open),
        ];
        for refusal in refusals {
            let english = AppError::from(refusal).to_string();
            let french = message(Locale::Fr, &english);
            assert_ne!(french, english, "no French for {english:?}");
            assert!(french.ends_with('.'), "{french}");
        }
    }

    /// Every refusal by the log's rules that a member can meet reaches the
    /// page as its code, and reads in French too.
    #[cfg(feature = "ssr")]
    #[test]
    fn every_refusal_of_the_log_rules_has_its_code_and_french() {
        use crate::i18n::{Locale, message};
        use domain::cases::CaseId;
        use domain::ledger::Refusal;
        use domain::members::EligibilityError as M;
        use domain::statement::{MemberId, MotionId, StatementKind};
        use domain::voting::BallotError as B;
        let (case, motion, member) = (CaseId(4), MotionId(7), MemberId(2));
        let refusals: Vec<Refusal> = vec![
            B::MotionClosed(motion).into(),
            B::WindowEnded {
                motion,
                closes_at: 9,
            }
            .into(),
            B::UnknownMotion(motion).into(),
            B::MotionReused(motion).into(),
            B::NotOnRoll { member, motion }.into(),
            B::Sequence {
                expected: 3,
                found: 2,
            }
            .into(),
            B::Recused { member, case }.into(),
            B::AlreadyRecused { member, case }.into(),
            B::MemberInactive(member).into(),
            B::NotSignedByValidKey(member).into(),
            B::NotAllVoted { motion, missing: 2 }.into(),
            B::NotYetDue {
                motion,
                closes_at: 9,
            }
            .into(),
            B::WrongRules(motion).into(),
            B::RulesVersion { expected: 3 }.into(),
            B::NotByAdmin.into(),
            B::NotAVoter { member, case }.into(),
            B::NotAnAuthor(member).into(),
            B::AlreadySigned { member, case }.into(),
            B::RationaleUnsigned(case).into(),
            B::NoRationale(case).into(),
            B::MotionOpen(motion).into(),
            B::NoMotions(case).into(),
            B::NotDecided(case).into(),
            B::UnknownRecommendation { case, number: 3 }.into(),
            B::AlreadyDecided(case).into(),
            B::PanelAfterVoting(case).into(),
            B::EmptyRoll(motion).into(),
            B::UnknownChoice("maybe".to_owned()).into(),
            B::MissingSalt.into(),
            B::NoCommitment.into(),
            B::NotTheCommittedVote.into(),
            B::NotSealed(motion).into(),
            B::Sealed(motion).into(),
            B::WrongCase(motion).into(),
            B::Body {
                kind: StatementKind::Vote,
                why: "the reason is not trimmed".to_owned(),
            }
            .into(),
            M::KeyReused.into(),
            M::AlreadyEnrolled(member).into(),
            M::Removed(member).into(),
            M::NotActive(member).into(),
            M::SignerNotEligible.into(),
            M::DemoKey.into(),
            M::NotChair(member).into(),
            M::ChairActByLogKey.into(),
            B::NotTheSigner.into(),
            B::StaleTime {
                at: 5,
                arrived: 900,
            }
            .into(),
        ];
        for refusal in refusals {
            let error = AppError::from(storage::StorageError::Refused(refusal.clone()));
            assert_eq!(error.code(), refusal.code());
            let english = error.to_string();
            let french = message(Locale::Fr, &english);
            assert_ne!(french, english, "no French for {english:?}");
            assert!(french.ends_with('.'), "{french}");
            // On the wire, the rule's own code travels, and comes back.
            let json = serde_json::to_string(&error).unwrap();
            assert!(
                json.starts_with(&format!("{{\"error\":\"{}\",", refusal.code())),
                "{json}"
            );
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
        }
    }

    /// The storage's own refusals travel with their own codes and statuses.
    #[cfg(feature = "ssr")]
    #[test]
    fn the_storages_refusals_have_their_own_codes() {
        use storage::StorageError as E;
        for (error, code, status) in [
            (E::CaseMoved, "case_moved", 409),
            (E::CommentPeriodClosed, "comment_period_closed", 409),
            (E::RationaleChanged, "rationale_changed", 409),
            (E::ActChanged, "act_changed", 409),
            (E::NotTheAuthor, "not_the_author", 403),
            (E::Recused, "recused", 403),
            // The database down while a batch of votes was written: try
            // again later, nothing was stored.
            (
                E::Unreachable("connection refused".to_owned()),
                "unavailable",
                503,
            ),
        ] {
            let error = AppError::from(error);
            assert_eq!((error.code(), error.status()), (code, status), "{error}");
        }
    }

    #[test]
    fn errors_travel_as_code_and_message_and_come_back_the_same() {
        let all = [
            AppError::Unavailable,
            AppError::Internal,
            AppError::TooLarge,
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotPermitted("You recused yourself from this case.".to_owned()),
            AppError::NotFound,
            AppError::Invalid("The display name is too long.".to_owned()),
            AppError::Conflict("This invitation was already used.".to_owned()),
            AppError::BadSignature,
            AppError::ChallengeUsed,
            AppError::UnknownKey,
        ];
        for error in all {
            let json = serde_json::to_string(&error).unwrap();
            assert!(
                json.starts_with(&format!("{{\"error\":\"{}\",\"message\":", error.code())),
                "{json}"
            );
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn invalid_fields_travel_with_their_codes() {
        use domain::cases::{FieldError, FieldProblem};
        let error = AppError::invalid_fields(
            vec![
                FieldError::new("subject_handle", FieldProblem::Required),
                FieldError::new("excerpt", FieldProblem::TooLong { max: 10_000 }),
            ],
            "Compte : obligatoire. Extrait : dépasse 10000 caractères.".to_owned(),
        );
        let json: serde_json::Value = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "error": "invalid_fields",
                "message": "subject_handle: is required. excerpt: is longer than 10000 characters.",
                "fields": [
                    {"field": "subject_handle", "code": "required"},
                    {"field": "excerpt", "code": "too_long", "max": 10_000},
                ],
                "shown": "Compte : obligatoire. Extrait : dépasse 10000 caractères.",
            })
        );
        assert_eq!(error.status(), 422);
        assert_eq!(serde_json::from_value::<AppError>(json).unwrap(), error);
        // Without its fields and its sentence shown, the message is shown.
        let bare =
            serde_json::json!({"error": "invalid_fields", "message": "reason: is required."});
        assert_eq!(
            serde_json::from_value::<AppError>(bare).unwrap(),
            AppError::InvalidFields {
                fields: Vec::new(),
                message: "reason: is required.".to_owned(),
                shown: "reason: is required.".to_owned(),
            }
        );
    }
}
