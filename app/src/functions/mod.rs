//! Server functions: each one short — find the storage, check the session and
//! the permission, call storage or domain, map the error.

pub mod auth;
pub mod cases;
pub mod council;
pub mod decisions;
pub mod discussion;
pub mod docket;
pub mod members;
pub mod public;
pub mod public_comments;
pub mod voting;

#[cfg(feature = "ssr")]
pub mod ssr;

/// Reads a number given as a number or as text. A request taken as one
/// typed argument (`#[server(flatten)]`, so that its fields keep their plain
/// form names: `motion=3`, not `vote[motion]=3`) is read through serde's
/// flattening, which hands a form's values over as text.
pub(crate) fn number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr + serde::Deserialize<'de>,
    T::Err: std::fmt::Display,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum NumberOrText<T> {
        Number(T),
        Text(String),
    }
    match <NumberOrText<T> as serde::Deserialize>::deserialize(deserializer)? {
        NumberOrText::Number(value) => Ok(value),
        NumberOrText::Text(text) => text.trim().parse().map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Inner {
        #[serde(deserialize_with = "super::number")]
        motion: u64,
        choice: String,
        reason: Option<String>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Outer {
        #[serde(flatten)]
        inner: Inner,
    }

    #[test]
    fn a_flattened_request_reads_its_numbers_from_a_form_and_from_json() {
        let form: Outer = serde_qs::from_str("motion=3&choice=support").unwrap();
        let json: Outer = serde_json::from_str(r#"{"motion": 3, "choice": "support"}"#).unwrap();
        let expected = Inner {
            motion: 3,
            choice: "support".to_owned(),
            reason: None,
        };
        assert_eq!(form.inner, expected);
        assert_eq!(json.inner, expected);
        assert!(serde_qs::from_str::<Outer>("motion=three&choice=support").is_err());
        // What an island sends: the plain names, no `inner[…]`.
        assert_eq!(
            serde_qs::to_string(&Outer { inner: expected }).unwrap(),
            "motion=3&choice=support"
        );
    }
}
