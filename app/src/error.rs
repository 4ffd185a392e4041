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
    /// The request clashes with the current state; the message says how.
    #[error("{0}")]
    Conflict(String),
    #[error("The signature does not verify: nothing was changed.")]
    BadSignature,
    #[error("This sign-in attempt expired or was already used. Please try again.")]
    ChallengeUsed,
    #[error("This key does not belong to any active member of this council.")]
    UnknownKey,
}

impl AppError {
    /// The stable code clients can match on.
    pub fn code(&self) -> &'static str {
        match self {
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
            Self::Invalid(_) | Self::BadSignature => 422,
            Self::Conflict(_) | Self::ChallengeUsed => 409,
        }
    }
}

/// The JSON form of an [`AppError`].
#[derive(Serialize, Deserialize)]
struct WireError {
    error: String,
    message: String,
}

impl From<AppError> for WireError {
    fn from(error: AppError) -> Self {
        Self {
            error: error.code().to_owned(),
            message: error.to_string(),
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
            "conflict" => Self::Conflict(wire.message),
            "bad_request" => Self::BadRequest(wire.message),
            "bad_signature" => Self::BadSignature,
            "challenge_used" => Self::ChallengeUsed,
            "unknown_key" => Self::UnknownKey,
            _ => Self::Transport(wire.message),
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
            E::GroupNameTaken(_)
            | E::GroupHasMembers
            | E::KeyInUse
            | E::AlreadyEnrolled
            | E::NoValidKey
            | E::MemberRemoved
            | E::MemberInactive
            | E::NotSignedByValidKey
            | E::CaseMoved
            | E::CaseClosed
            | E::AlreadyRecused
            | E::IdempotencyKeyReused
            | E::CommentPeriodClosed
            | E::AlreadyDecided
            | E::RecordFinal
            | E::MotionNotDraft
            | E::MotionNotOpen
            | E::VotingClosed
            | E::CaseNotVoting
            | E::EmptyRoll
            | E::StaleVote { .. }
            | E::NotAllVoted
            | E::NotYetDue
            | E::MotionsOpen
            | E::RulesChanged
            | E::NotDecided
            | E::RationaleSigned
            | E::RationaleChanged
            | E::AlreadySigned
            | E::RationaleNotSigned
            | E::NotPublished
            | E::PublishedByDecision
            | E::DemoKey
            | E::PanelAfterVoting => Self::Conflict(sentence(&error.to_string())),
            E::Recused
            | E::NotTheAuthor
            | E::NotOnRoll
            | E::NotAdmin
            | E::NotAVoter
            | E::NotAnAuthor => Self::NotPermitted(sentence(&error.to_string())),
            E::NoSuchRecommendation => Self::NotFound,
            E::BadSignature => Self::BadSignature,
            E::InvalidDecision(why) | E::InvalidPanel(why) => Self::Invalid(why),
            E::InvalidVote(_) | E::InvalidRules(_) => Self::Invalid(sentence(&error.to_string())),
            E::NoCouncil => Self::Conflict(
                "The council has not been founded yet: run `tribune init`.".to_owned(),
            ),
            E::Connect { .. } | E::Database(_) => {
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
            E::KeyInUse,
            E::AlreadyEnrolled,
            E::NoValidKey,
            E::MemberRemoved,
            E::MemberInactive,
            E::NotSignedByValidKey,
            E::CaseMoved,
            E::CaseClosed,
            E::AlreadyRecused,
            E::IdempotencyKeyReused,
            E::CommentPeriodClosed,
            E::AlreadyDecided,
            E::RecordFinal,
            E::MotionNotDraft,
            E::MotionNotOpen,
            E::VotingClosed,
            E::CaseNotVoting,
            E::EmptyRoll,
            E::StaleVote { expected: 3 },
            E::NotAllVoted,
            E::NotYetDue,
            E::MotionsOpen,
            E::RulesChanged,
            E::NotDecided,
            E::RationaleSigned,
            E::RationaleChanged,
            E::AlreadySigned,
            E::RationaleNotSigned,
            E::NotPublished,
            E::PublishedByDecision,
            E::DemoKey,
            E::PanelAfterVoting,
            E::Recused,
            E::NotTheAuthor,
            E::NotOnRoll,
            E::NotAdmin,
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
}
