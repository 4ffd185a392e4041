//! A log's origin: the first line of every checkpoint, naming the log
//! uniquely (C2SP tlog-checkpoint's "origin" line).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a log origin was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    #[error("the log origin is empty")]
    Empty,
    #[error("the log origin is longer than {max} bytes")]
    TooLong { max: usize },
    #[error(
        "the log origin may contain only visible ASCII characters (no spaces, no `+`), found {found:?}"
    )]
    InvalidCharacter { found: char },
}

/// The log origin (for example `tribune.example.org/log`). Signatures over
/// log statements include it, so they cannot be replayed on another log.
///
/// C2SP asks for a schema-less URL-like string; we accept 1 to 255 bytes of
/// visible ASCII other than `+` (which would clash with note key names).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LogOrigin(String);

impl LogOrigin {
    pub const MAX_BYTES: usize = 255;

    pub fn parse(raw: &str) -> Result<Self, OriginError> {
        if raw.is_empty() {
            return Err(OriginError::Empty);
        }
        if raw.len() > Self::MAX_BYTES {
            return Err(OriginError::TooLong {
                max: Self::MAX_BYTES,
            });
        }
        if let Some(found) = raw.chars().find(|c| !c.is_ascii_graphic() || *c == '+') {
            return Err(OriginError::InvalidCharacter { found });
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LogOrigin {
    type Error = OriginError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LogOrigin> for String {
    fn from(value: LogOrigin) -> Self {
        value.0
    }
}

impl fmt::Display for LogOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_refuse_spaces_plus_and_non_ascii() {
        assert!(LogOrigin::parse("tribune.example.org/log").is_ok());
        assert_eq!(LogOrigin::parse(""), Err(OriginError::Empty));
        for (text, found) in [("a b", ' '), ("a+b", '+'), ("café", 'é')] {
            assert_eq!(
                LogOrigin::parse(text),
                Err(OriginError::InvalidCharacter { found })
            );
        }
        assert_eq!(
            LogOrigin::parse(&"a".repeat(256)),
            Err(OriginError::TooLong { max: 255 })
        );
    }
}
