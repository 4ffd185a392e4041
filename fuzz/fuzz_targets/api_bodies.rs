//! Request bodies and form fields from anyone: a platform's escalation JSON,
//! a decision record's form fields, a vote's reason, a public comment, a
//! rules change. Never a panic; what validates, validates again the same.
#![no_main]

use domain::cases::{CaseDraft, ClauseCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let known: Vec<ClauseCode> = ["HS-2", "H-1", "P-3"]
        .iter()
        .filter_map(|c| ClauseCode::parse(c).ok())
        .collect();
    if let Ok(draft) = serde_json::from_slice::<CaseDraft>(data)
        && let Ok(fields) = draft.validate(&known)
    {
        assert_eq!(draft.validate(&known), Ok(fields));
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(4, '\u{1f}');
    let (clauses, precedents, recommendations) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let _ = domain::decisions::DecisionRecord::from_form(
        domain::cases::CaseId(7),
        clauses,
        precedents,
        recommendations,
    );
    let _ = domain::cases::comment_body(text);
    let _ = domain::voting::rules_change_reason(text);
    let _ = serde_json::from_slice::<domain::voting::Rules>(data).map(|r| r.check());
    let _ = serde_json::from_slice::<domain::voting::VoteBody>(data);
    let _ = domain::time::Date::parse_iso(text);
});
