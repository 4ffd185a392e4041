//! The web layer's errors: a stable snake_case code and a message fit for
//! the page. The real cause is logged on the server, never shown.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("The council's records cannot be reached right now. Please try again in a moment.")]
    Unavailable,
    #[error("Something went wrong on our side. It has been logged.")]
    Internal,
    #[error("The log is too large to check in a browser: use `tribune verify`.")]
    TooLarge,
    #[error("The request could not be completed: {0}")]
    Transport(String),
}

impl AppError {
    /// The stable code clients can match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
            Self::TooLarge => "too_large",
            Self::Transport(_) => "transport",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<storage::StorageError> for AppError {
    fn from(error: storage::StorageError) -> Self {
        use storage::StorageError as E;
        tracing::error!(%error, "storage error");
        match error {
            E::Connect { .. } | E::Database(_) => Self::Unavailable,
            _ => Self::Internal,
        }
    }
}
