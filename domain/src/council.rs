//! The council: one per deployment, with a name and the origin string that
//! names its public log (C2SP tlog-checkpoint "origin" line).

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a council's founding details were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CouncilError {
    #[error("the council name is empty")]
    EmptyName,
    #[error("the council name is longer than {max} characters")]
    NameTooLong { max: usize },
    #[error("the council name contains a control character")]
    NameHasControlCharacter,
    #[error(transparent)]
    Origin(#[from] crate::log::origin::OriginError),
}

/// The council's display name: trimmed, 1 to 120 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CouncilName(String);

impl CouncilName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, CouncilError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(CouncilError::EmptyName);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(CouncilError::NameTooLong {
                max: Self::MAX_CHARS,
            });
        }
        if name.chars().any(char::is_control) {
            return Err(CouncilError::NameHasControlCharacter);
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CouncilName {
    type Error = CouncilError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CouncilName> for String {
    fn from(value: CouncilName) -> Self {
        value.0
    }
}

impl fmt::Display for CouncilName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub use crate::log::origin::LogOrigin;

/// A default origin for a council that was not given one: `tribune/` and the
/// name in lower case with runs of other characters turned into `-`.
pub fn suggested_origin(name: &CouncilName) -> LogOrigin {
    let mut slug = String::new();
    for c in name.as_str().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "council" } else { slug };
    let mut origin = format!("tribune/{slug}");
    origin.truncate(LogOrigin::MAX_BYTES);
    // Lower-case ASCII letters, digits, `-` and `/`: always a valid origin.
    LogOrigin::parse(&origin).unwrap_or_else(|_| unreachable!("a slug is a valid origin"))
}

/// The council as founded by `tribune init`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Council {
    pub name: CouncilName,
    pub log_origin: LogOrigin,
    pub founded_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            CouncilName::parse("  Harbour Council ").map(|n| n.to_string()),
            Ok("Harbour Council".to_owned())
        );
        assert_eq!(CouncilName::parse("   "), Err(CouncilError::EmptyName));
        assert!(CouncilName::parse(&"é".repeat(120)).is_ok());
        assert_eq!(
            CouncilName::parse(&"é".repeat(121)),
            Err(CouncilError::NameTooLong { max: 120 })
        );
        assert_eq!(
            CouncilName::parse("Line\nbreak"),
            Err(CouncilError::NameHasControlCharacter)
        );
    }

    #[test]
    fn suggested_origins_are_valid_slugs() {
        let cases = [
            ("Harbour Content Council", "tribune/harbour-content-council"),
            ("  Trust & Safety -- 2026 ", "tribune/trust-safety-2026"),
            ("Conseil de modération", "tribune/conseil-de-mod-ration"),
            ("日本", "tribune/council"),
        ];
        for (name, expected) in cases {
            let name = CouncilName::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            let origin = suggested_origin(&name);
            assert_eq!(origin.as_str(), expected);
            assert_eq!(LogOrigin::parse(origin.as_str()), Ok(origin));
        }
    }

    #[test]
    fn deserialising_validates() {
        let bad: Result<CouncilName, _> = serde_json::from_str("\"\"");
        assert!(bad.is_err());
        let good: CouncilName =
            serde_json::from_str("\"Harbour\"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(good.as_str(), "Harbour");
    }
}
