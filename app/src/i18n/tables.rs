//! Where the French comes from.
//!
//! The server has the tables compiled in: the page texts ([`super::french`])
//! and the messages with the words that fill them ([`super::messages`]). The
//! browser bundle does not carry them (issue 8's size budget: with their
//! lookup code they were about 60 KB of it). Instead the server makes one script of them,
//! [`script`], served at an address that names its content's hash and cached
//! for good; a French page loads it (`defer`) before the bundle's own
//! script, which the HTML standard runs after it, so the tables are there
//! when the islands hydrate. An English page does not load it.

/// The global variable the script sets, which the bundle reads.
#[cfg(any(feature = "ssr", feature = "hydrate"))]
const GLOBAL: &str = "tribuneFrench";

#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
mod compiled {
    use std::collections::HashMap;
    use std::sync::LazyLock;

    static TEXTS: LazyLock<HashMap<&'static str, &'static str>> =
        LazyLock::new(|| super::super::french::TEXTS.iter().copied().collect());

    pub fn text(english: &str) -> Option<&'static str> {
        TEXTS.get(english).copied()
    }

    pub fn messages() -> &'static [(&'static str, &'static str)] {
        super::super::message_texts::MESSAGES
    }

    pub fn words() -> &'static [(&'static str, &'static str)] {
        super::super::message_texts::WORDS
    }
}
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
pub use compiled::{messages, text, words};

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
mod loaded {
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use leptos::web_sys::js_sys::{Array, Reflect, global};
    use std::sync::OnceLock;

    type Pairs = Vec<(&'static str, &'static str)>;

    struct Tables {
        /// Sorted by the English, for a binary search.
        texts: Pairs,
        messages: Pairs,
        words: Pairs,
    }

    static TABLES: OnceLock<Tables> = OnceLock::new();

    /// The tables the server's script left in the page, read once. Without
    /// the script (an English page, or the script failed to load) they are
    /// empty and every text stays English.
    fn tables() -> &'static Tables {
        TABLES.get_or_init(|| {
            let script = Reflect::get(&global(), &JsValue::from_str(super::GLOBAL)).ok();
            let pairs = |name: &str| -> Pairs {
                let Some(list) = script
                    .as_ref()
                    .and_then(|s| Reflect::get(s, &JsValue::from_str(name)).ok())
                    .and_then(|l| l.dyn_into::<Array>().ok())
                else {
                    return Vec::new();
                };
                list.iter()
                    .filter_map(|pair| {
                        let pair = pair.dyn_into::<Array>().ok()?;
                        let english = pair.get(0).as_string()?;
                        let french = pair.get(1).as_string()?;
                        // Read once per page and kept for its life.
                        Some((leak(english), leak(french)))
                    })
                    .collect()
            };
            let mut texts = pairs("texts");
            texts.sort_unstable_by_key(|(english, _)| *english);
            Tables {
                texts,
                messages: pairs("messages"),
                words: pairs("words"),
            }
        })
    }

    fn leak(text: String) -> &'static str {
        Box::leak(text.into_boxed_str())
    }

    pub fn text(english: &str) -> Option<&'static str> {
        let texts = &tables().texts;
        texts
            .binary_search_by(|(e, _)| (*e).cmp(english))
            .ok()
            .map(|i| texts[i].1)
    }

    pub fn messages() -> &'static [(&'static str, &'static str)] {
        &tables().messages
    }

    pub fn words() -> &'static [(&'static str, &'static str)] {
        &tables().words
    }
}
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub use loaded::{messages, text, words};

/// The script that carries the French tables to the browser.
#[cfg(feature = "ssr")]
pub struct Script {
    /// Where the server serves it: `/i18n/fr.<hash>.js`, the hash of
    /// `body`, so that it can be cached for good.
    pub path: String,
    pub body: String,
}

/// The French tables as a script (made once).
#[cfg(feature = "ssr")]
pub fn script() -> &'static Script {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    use std::sync::LazyLock;
    static SCRIPT: LazyLock<Script> = LazyLock::new(|| {
        let tables = serde_json::json!({
            "texts": super::french::TEXTS,
            "messages": messages(),
            "words": words(),
        });
        let body = format!("window.{GLOBAL} = {tables};\n");
        let digest = sha2::Sha256::digest(body.as_bytes());
        let mut hash = String::new();
        for byte in &digest[..8] {
            let _ = write!(hash, "{byte:02x}");
        }
        Script {
            path: format!("/i18n/fr.{hash}.js"),
            body,
        }
    });
    &SCRIPT
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_script_carries_every_table_and_its_address_names_its_content() {
        let script = script();
        assert!(script.path.starts_with("/i18n/fr.") && script.path.ends_with(".js"));
        let json = script
            .body
            .strip_prefix("window.tribuneFrench = ")
            .and_then(|b| b.strip_suffix(";\n"))
            .expect("one assignment");
        let tables: serde_json::Value = serde_json::from_str(json).expect("JSON");
        let count = |name: &str| tables[name].as_array().map_or(0, Vec::len);
        assert_eq!(count("texts"), super::super::french::TEXTS.len());
        assert_eq!(count("messages"), messages().len());
        assert_eq!(count("words"), words().len());
        assert_eq!(
            tables["texts"][0],
            serde_json::json!(["Skip to content", "Aller au contenu"])
        );
    }
}
