//! Canonical JSON (RFC 8785, JCS) for the values Tribune signs: objects with
//! members sorted by the UTF-16 code units of their names, no insignificant
//! white space, strings escaped as ECMAScript's `JSON.stringify` does.
//!
//! Numbers are restricted to integers of magnitude below 2^53, which every
//! JSON implementation reads exactly; floating-point values are refused, so
//! the number serialisation rules of RFC 8785 reduce to plain decimal.

use serde_json::Value;

/// The largest integer every JSON implementation holds exactly (2^53 - 1).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// Nesting deeper than this is refused (statements are shallow).
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    #[error("numbers must be integers of magnitude below 2^53, found {0}")]
    UnsupportedNumber(String),
    #[error("the value is nested more than {MAX_DEPTH} levels deep")]
    TooDeep,
}

/// The canonical serialisation of `value`.
pub fn to_canonical_json(value: &Value) -> Result<String, CanonicalError> {
    let mut out = String::new();
    write(value, &mut out, 0)?;
    Ok(out)
}

fn write(value: &Value, out: &mut String, depth: usize) -> Result<(), CanonicalError> {
    if depth > MAX_DEPTH {
        return Err(CanonicalError::TooDeep);
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => {
            let safe = number
                .as_u64()
                .filter(|n| *n <= MAX_SAFE_INTEGER)
                .map(|n| n.to_string())
                .or_else(|| {
                    number
                        .as_i64()
                        .filter(|n| n.unsigned_abs() <= MAX_SAFE_INTEGER)
                        .map(|n| n.to_string())
                });
            match safe {
                Some(text) => out.push_str(&text),
                None => return Err(CanonicalError::UnsupportedNumber(number.to_string())),
            }
        }
        Value::String(text) => write_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out, depth + 1)?;
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut names: Vec<&String> = members.keys().collect();
            names.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, name) in names.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(name, out);
                out.push(':');
                if let Some(member) = members.get(name) {
                    write(member, out, depth + 1)?;
                }
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A JSON string as `JSON.stringify` writes it: `"` and `\` escaped, the
/// five short escapes for their control characters, `\u00xx` (lower-case)
/// for the other control characters, everything else as is.
fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_are_sorted_by_utf16_code_units() {
        // The example of RFC 8785 §3.2.3. In UTF-16 the emoji U+1F600 is the
        // surrogate pair D83D DE00, so it sorts before U+FB33, unlike in
        // UTF-8 byte order or by code point.
        let value = json!({
            "\u{20ac}": "Euro Sign",
            "\r": "Carriage Return",
            "\u{fb33}": "Hebrew Letter Dalet With Dagesh",
            "1": "One",
            "\u{1f600}": "Emoji: Grinning Face",
            "\u{0080}": "Control",
            "\u{00f6}": "Latin Small Letter O With Diaeresis"
        });
        let text = to_canonical_json(&value).unwrap();
        let order: Vec<_> = [
            "\\r",
            "1",
            "\u{0080}",
            "\u{00f6}",
            "\u{20ac}",
            "\u{1f600}",
            "\u{fb33}",
        ]
        .iter()
        .map(|k| text.find(&format!("\"{k}\":")).unwrap())
        .collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(order, sorted, "{text}");
    }

    #[test]
    fn output_has_no_white_space_and_escapes_like_json_stringify() {
        let value = json!({"b": [1, -2, true, null], "a": "quote \" back \\ tab \t nul \u{0} del \u{7f} é /"});
        assert_eq!(
            to_canonical_json(&value).unwrap(),
            "{\"a\":\"quote \\\" back \\\\ tab \\t nul \\u0000 del \u{7f} é /\",\"b\":[1,-2,true,null]}"
        );
    }

    #[test]
    fn unsafe_numbers_and_deep_nesting_are_refused() {
        assert!(to_canonical_json(&json!(1.5)).is_err());
        assert!(to_canonical_json(&json!(9_007_199_254_740_992_u64)).is_err());
        assert!(to_canonical_json(&json!(-9_007_199_254_740_992_i64)).is_err());
        assert_eq!(
            to_canonical_json(&json!(9_007_199_254_740_991_u64)).unwrap(),
            "9007199254740991"
        );
        let mut deep = json!(0);
        for _ in 0..40 {
            deep = json!([deep]);
        }
        assert_eq!(to_canonical_json(&deep), Err(CanonicalError::TooDeep));
    }

    #[test]
    fn reading_back_and_re_serialising_is_stable() {
        let value = json!({"z": {"y": [3, {"b": 1, "a": 2}]}, "a": "x"});
        let once = to_canonical_json(&value).unwrap();
        let again: Value = serde_json::from_str(&once).unwrap();
        assert_eq!(to_canonical_json(&again).unwrap(), once);
    }
}
