//! Cases: what a platform escalates, the fields an escalation must carry, and
//! the lifecycle every case follows.
//!
//! ```text
//! intake → accepted → deliberation → voting → decided → published
//!    ↘ declined        (and any open stage → withdrawn)
//! ```
//!
//! Declining and withdrawing always need a reason. Every stage has a
//! deadline; a case past it is overdue, and once published the record says by
//! how much.

use crate::members::Role;
use crate::time::Timestamp;

pub use crate::statement::CaseId;

crate::statement::id_type!(
    /// A bearer token the platform escalates cases with (only its hash is stored).
    IntakeTokenId
);
crate::statement::id_type!(
    /// A comment in a case's discussion.
    CommentId
);
use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares an enum of lower-case (snake_case) names with `ALL`, `as_str`,
/// `parse` and `Display`.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// The value named `text`, if any.
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// What the platform asks the council about.
    CaseKind {
        /// A post or other content the platform acted on.
        Content = "content",
        /// A banned or suspended account asking to come back.
        Reinstatement = "reinstatement",
        /// A question about the policy itself.
        Policy = "policy",
    }
);

named_enum!(
    /// How prominent the subject is. Recorded so that the public can check
    /// that prominence changed nothing: the same clause, the same outcome.
    Tier {
        Ordinary = "ordinary",
        Notable = "notable",
        Prominent = "prominent",
        VeryProminent = "very_prominent",
    }
);

impl Tier {
    /// The tier an audience of `followers` suggests (the platform may say
    /// otherwise, e.g. for a public office holder with a small account).
    pub fn for_audience(followers: u64) -> Self {
        match followers {
            0..10_000 => Self::Ordinary,
            10_000..1_000_000 => Self::Notable,
            1_000_000..10_000_000 => Self::Prominent,
            _ => Self::VeryProminent,
        }
    }
}

named_enum!(
    /// What the platform did before escalating.
    PlatformAction {
        Removed = "removed",
        Restricted = "restricted",
        Labelled = "labelled",
        AccountSuspended = "account_suspended",
        AccountBanned = "account_banned",
        NoAction = "no_action",
    }
);

named_enum!(
    /// Where a case is in its lifecycle.
    CaseStatus {
        Intake = "intake",
        Accepted = "accepted",
        Deliberation = "deliberation",
        Voting = "voting",
        Decided = "decided",
        Published = "published",
        Declined = "declined",
        Withdrawn = "withdrawn",
    }
);

/// The longest reason accepted for a transition.
pub const MAX_REASON_CHARS: usize = 2_000;

impl CaseStatus {
    /// Whether the case is still being worked on (members discuss open
    /// cases; closed ones are read-only).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Intake | Self::Accepted | Self::Deliberation | Self::Voting
        )
    }

    /// The stages a case may move to from this one.
    pub fn next(self) -> &'static [Self] {
        match self {
            Self::Intake => &[Self::Accepted, Self::Declined, Self::Withdrawn],
            Self::Accepted => &[Self::Deliberation, Self::Withdrawn],
            Self::Deliberation => &[Self::Voting, Self::Withdrawn],
            Self::Voting => &[Self::Decided, Self::Withdrawn],
            Self::Decided => &[Self::Published],
            Self::Published | Self::Declined | Self::Withdrawn => &[],
        }
    }

    /// Whether the public may comment on the case: from its acceptance to
    /// the opening of the vote.
    pub fn in_comment_period(self) -> bool {
        matches!(self, Self::Accepted | Self::Deliberation)
    }

    /// Whether entering this stage needs a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Declined | Self::Withdrawn)
    }

    /// How long a case may stay in this stage by default, in days (`None`
    /// for the end states).
    pub fn default_days(self) -> Option<u32> {
        match self {
            Self::Intake => Some(7),
            Self::Accepted => Some(7),
            Self::Deliberation => Some(30),
            Self::Voting => Some(7),
            Self::Decided => Some(14),
            Self::Published | Self::Declined | Self::Withdrawn => None,
        }
    }

    /// Who may move a case into this stage: the clerk screens the intake,
    /// the chair runs deliberation and voting; an admin may do either.
    pub fn may_enter(self, role: Role) -> bool {
        match self {
            Self::Accepted | Self::Declined | Self::Withdrawn => {
                matches!(role, Role::Clerk | Role::Chair | Role::Admin)
            }
            // Only by publishing the decision (see `crate::decisions`).
            Self::Published => false,
            Self::Deliberation | Self::Voting | Self::Decided => {
                matches!(role, Role::Chair | Role::Admin)
            }
            Self::Intake => false,
        }
    }
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a case cannot move from {from} to {to}")]
    Illegal { from: CaseStatus, to: CaseStatus },
    #[error("a case is published by publishing its decision, signed rationale and all")]
    PublishedByDecision,
    #[error("your role cannot move a case to {0}")]
    NotAllowed(CaseStatus),
    #[error("moving a case to {0} needs a reason")]
    ReasonRequired(CaseStatus),
    #[error("the reason is longer than {MAX_REASON_CHARS} characters")]
    ReasonTooLong,
}

/// Checks a transition and returns the reason as it will be recorded.
pub fn check_transition(
    from: CaseStatus,
    to: CaseStatus,
    role: Role,
    reason: &str,
) -> Result<Option<String>, TransitionError> {
    if !from.next().contains(&to) {
        return Err(TransitionError::Illegal { from, to });
    }
    if to == CaseStatus::Published {
        return Err(TransitionError::PublishedByDecision);
    }
    if !to.may_enter(role) {
        return Err(TransitionError::NotAllowed(to));
    }
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(TransitionError::ReasonTooLong);
    }
    if reason.is_empty() {
        if to.needs_reason() {
            return Err(TransitionError::ReasonRequired(to));
        }
        return Ok(None);
    }
    Ok(Some(reason.to_owned()))
}

/// The deadline of a stage entered at `entered`.
pub fn stage_deadline(status: CaseStatus, entered: Timestamp) -> Option<Timestamp> {
    status
        .default_days()
        .map(|days| Timestamp(entered.0 + i64::from(days) * 86_400))
}

/// How late something was, in whole days (0 when on time or early).
pub fn days_late(deadline: Timestamp, done: Timestamp) -> i64 {
    if done.0 <= deadline.0 {
        0
    } else {
        (done.0 - deadline.0 + 86_399) / 86_400
    }
}

/// A policy clause's code, such as `HS-2` or `VIOLENCE-1.3`: upper-case
/// letters, digits, `-` and `.`, 1–32 characters, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClauseCode(String);

impl ClauseCode {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let valid = !text.is_empty()
            && text.len() <= 32
            && text.starts_with(|c: char| c.is_ascii_uppercase())
            && text
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '.');
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!(
                "{text:?} is not a clause code: upper-case letters, digits, '-' and '.', \
                 1 to 32 characters, starting with a letter"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ClauseCode {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ClauseCode> for String {
    fn from(code: ClauseCode) -> Self {
        code.0
    }
}

impl fmt::Display for ClauseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An escalation as submitted (by the clerk's form or the platform's API),
/// before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaseDraft {
    pub kind: String,
    pub subject_handle: String,
    pub subject_link: String,
    pub excerpt: String,
    /// The subject's audience (followers); required.
    pub audience: Option<u64>,
    /// Empty: the tier the audience suggests.
    pub tier: String,
    pub original_action: String,
    pub clauses: Vec<String>,
    pub reason: String,
}

/// The fields of an escalation in JSON.
pub const DRAFT_FIELDS: [&str; 9] = [
    "kind",
    "subject_handle",
    "subject_link",
    "excerpt",
    "audience",
    "tier",
    "original_action",
    "clauses",
    "reason",
];

/// A valid escalation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFields {
    pub kind: CaseKind,
    pub subject_handle: String,
    pub subject_link: Option<String>,
    pub excerpt: Option<String>,
    pub audience: u64,
    pub tier: Tier,
    pub original_action: PlatformAction,
    pub clauses: Vec<ClauseCode>,
    pub reason: String,
}

/// One invalid field of a request and what is wrong with it. On the wire:
/// `{"field": "audience", "code": "wrong_type", "expected": "whole_number"}`
/// (the problem's code and what it needs to be explained; see
/// [`FieldProblem`]), shown in the reader's language from the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "FlatFieldError", try_from = "FlatFieldError")]
pub struct FieldError {
    pub field: String,
    pub problem: FieldProblem,
}

/// A [`FieldError`] on the wire: one flat object, every explanation
/// optional. (Not serde's `flatten` of a tagged enum, whose buffering code
/// cost the browser bundle about 16 KB gzipped.)
#[derive(Default, Serialize, Deserialize)]
struct FlatFieldError {
    field: String,
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    allowed: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected: Option<ValueType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    known: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    clause: Option<String>,
}

impl From<FieldError> for FlatFieldError {
    fn from(error: FieldError) -> Self {
        let mut flat = Self {
            field: error.field,
            code: error.problem.code().to_owned(),
            ..Self::default()
        };
        match error.problem {
            FieldProblem::Required => {}
            FieldProblem::TooLong { max }
            | FieldProblem::NotALink { max }
            | FieldProblem::TooMany { max } => flat.max = Some(max),
            FieldProblem::Length { min, max } | FieldProblem::OneLine { min, max } => {
                flat.min = Some(min);
                flat.max = Some(max);
            }
            FieldProblem::NotOneOf { allowed } => flat.allowed = Some(allowed),
            FieldProblem::WrongType { expected } => flat.expected = Some(expected),
            FieldProblem::UnknownField { known } => flat.known = Some(known),
            FieldProblem::NotInCatalogue { clause } | FieldProblem::NotAClause { clause } => {
                flat.clause = Some(clause);
            }
        }
        flat
    }
}

impl TryFrom<FlatFieldError> for FieldError {
    type Error = String;

    fn try_from(flat: FlatFieldError) -> Result<Self, String> {
        let missing = || format!("the field error `{}` lacks what explains it", flat.code);
        let max = flat.max.ok_or_else(missing);
        let problem = match flat.code.as_str() {
            "required" => FieldProblem::Required,
            "too_long" => FieldProblem::TooLong { max: max? },
            "not_a_link" => FieldProblem::NotALink { max: max? },
            "too_many" => FieldProblem::TooMany { max: max? },
            "length" => FieldProblem::Length {
                min: flat.min.unwrap_or(0),
                max: max?,
            },
            "one_line" => FieldProblem::OneLine {
                min: flat.min.unwrap_or(0),
                max: max?,
            },
            "not_one_of" => FieldProblem::NotOneOf {
                allowed: flat.allowed.unwrap_or_default(),
            },
            "wrong_type" => FieldProblem::WrongType {
                expected: flat.expected.ok_or_else(missing)?,
            },
            "unknown_field" => FieldProblem::UnknownField {
                known: flat.known.unwrap_or_default(),
            },
            "not_in_catalogue" => FieldProblem::NotInCatalogue {
                clause: flat.clause.ok_or_else(missing)?,
            },
            "not_a_clause" => FieldProblem::NotAClause {
                clause: flat.clause.ok_or_else(missing)?,
            },
            other => return Err(format!("unknown field error code `{other}`")),
        };
        Ok(Self {
            field: flat.field,
            problem,
        })
    }
}

impl FieldError {
    pub fn new(field: &str, problem: FieldProblem) -> Self {
        Self {
            field: field.to_owned(),
            problem,
        }
    }
}

/// What is wrong with a field, by code (`snake_case` on the wire), with
/// what the reader needs to put it right. [`std::fmt::Display`] says it in
/// English, as a clause that follows the field's name ("is required").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// Missing or blank.
    Required,
    /// Longer than `max` characters.
    TooLong { max: u64 },
    /// Not `min` to `max` characters (`min` 0: at most `max`).
    Length { min: u64, max: u64 },
    /// Not one line of `min` to `max` characters (`min` 0: at most `max`).
    OneLine { min: u64, max: u64 },
    /// Not an `http://` or `https://` link of at most `max` characters.
    NotALink { max: u64 },
    /// Not one of `allowed`.
    NotOneOf { allowed: Vec<String> },
    /// A JSON value of another type than `expected`.
    WrongType { expected: ValueType },
    /// No such field in this request; `known` lists those there are.
    UnknownField { known: Vec<String> },
    /// More than `max` items.
    TooMany { max: u64 },
    /// `clause` is a clause code, but not in the council's catalogue.
    NotInCatalogue { clause: String },
    /// `clause` is not a clause code (upper-case letters, digits, `-` and
    /// `.`, 1 to 32 characters, starting with a letter).
    NotAClause { clause: String },
}

/// The type a JSON field must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    Object,
    String,
    WholeNumber,
    ClauseList,
}

impl FieldProblem {
    /// The problem's code on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong { .. } => "too_long",
            Self::Length { .. } => "length",
            Self::OneLine { .. } => "one_line",
            Self::NotALink { .. } => "not_a_link",
            Self::NotOneOf { .. } => "not_one_of",
            Self::WrongType { .. } => "wrong_type",
            Self::UnknownField { .. } => "unknown_field",
            Self::TooMany { .. } => "too_many",
            Self::NotInCatalogue { .. } => "not_in_catalogue",
            Self::NotAClause { .. } => "not_a_clause",
        }
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Required => f.write_str("is required"),
            Self::TooLong { max } => write!(f, "is longer than {max} characters"),
            Self::Length { min: 0, max } => write!(f, "must be at most {max} characters"),
            Self::Length { min, max } => write!(f, "must be {min} to {max} characters"),
            Self::OneLine { min: 0, max } => {
                write!(f, "must be one line of at most {max} characters")
            }
            Self::OneLine { min, max } => {
                write!(f, "must be one line of {min} to {max} characters")
            }
            Self::NotALink { max } => {
                write!(f, "must be an http(s) link of at most {max} characters")
            }
            Self::NotOneOf { allowed } => write!(f, "must be one of {}", names(allowed)),
            Self::WrongType { expected } => f.write_str(match expected {
                ValueType::Object => "must be a JSON object",
                ValueType::String => "must be a string",
                ValueType::WholeNumber => "must be a whole number, 0 or more",
                ValueType::ClauseList => "must be an array of clause codes",
            }),
            Self::UnknownField { known } => {
                write!(f, "is not a field of this request ({})", known.join(", "))
            }
            Self::TooMany { max } => write!(f, "must name at most {max}"),
            Self::NotInCatalogue { clause } => {
                write!(f, "{clause} is not in the council's policy catalogue")
            }
            Self::NotAClause { clause } => write!(
                f,
                "{clause:?} is not a clause code: upper-case letters, digits, '-' and '.', \
                 1 to 32 characters, starting with a letter"
            ),
        }
    }
}

/// Every value of `values`, listed.
fn allowed<'a>(values: impl Iterator<Item = &'a str>) -> FieldProblem {
    FieldProblem::NotOneOf {
        allowed: values.map(str::to_owned).collect(),
    }
}

/// `max` as the wire's number.
fn wide(max: usize) -> u64 {
    u64::try_from(max).unwrap_or(u64::MAX)
}

pub const MAX_HANDLE_CHARS: usize = 200;
pub const MAX_LINK_CHARS: usize = 2_000;
pub const MAX_EXCERPT_CHARS: usize = 10_000;
pub const MAX_CASE_REASON_CHARS: usize = 10_000;
pub const MAX_CLAUSES: usize = 20;

fn one_line(text: &str) -> bool {
    !text.chars().any(char::is_control)
}

impl CaseDraft {
    /// Reads a JSON escalation, naming every field of the wrong type and
    /// every unknown field (then [`CaseDraft::validate`] checks the values).
    pub fn from_json(value: &serde_json::Value) -> Result<Self, Vec<FieldError>> {
        use serde_json::Value;
        let mut errors = Vec::new();
        let mut draft = Self::default();
        let Some(object) = value.as_object() else {
            return Err(vec![FieldError::new(
                "body",
                FieldProblem::WrongType {
                    expected: ValueType::Object,
                },
            )]);
        };
        for (field, value) in object {
            let mut wrong = |expected: ValueType| {
                errors.push(FieldError::new(field, FieldProblem::WrongType { expected }));
            };
            let text = |value: &Value| value.as_str().map(str::to_owned);
            match field.as_str() {
                "kind" | "subject_handle" | "subject_link" | "excerpt" | "tier"
                | "original_action" | "reason" => match (text(value), value.is_null()) {
                    (Some(text), _) => match field.as_str() {
                        "kind" => draft.kind = text,
                        "subject_handle" => draft.subject_handle = text,
                        "subject_link" => draft.subject_link = text,
                        "excerpt" => draft.excerpt = text,
                        "tier" => draft.tier = text,
                        "original_action" => draft.original_action = text,
                        _ => draft.reason = text,
                    },
                    (None, true) => {}
                    (None, false) => wrong(ValueType::String),
                },
                "audience" => match value.as_u64() {
                    Some(n) => draft.audience = Some(n),
                    None => wrong(ValueType::WholeNumber),
                },
                "clauses" => match value.as_array() {
                    Some(items) if items.iter().all(Value::is_string) => {
                        draft.clauses = items.iter().filter_map(text).collect();
                    }
                    _ => wrong(ValueType::ClauseList),
                },
                _ => errors.push(FieldError::new(
                    field,
                    FieldProblem::UnknownField {
                        known: DRAFT_FIELDS.iter().map(|f| (*f).to_owned()).collect(),
                    },
                )),
            }
        }
        if errors.is_empty() {
            Ok(draft)
        } else {
            Err(errors)
        }
    }

    /// Validates every field against the catalogue's clause codes (`known`),
    /// naming each invalid field.
    pub fn validate(&self, known: &[ClauseCode]) -> Result<CaseFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut error = |field: &str, problem: FieldProblem| {
            errors.push(FieldError::new(field, problem));
        };
        let kind = CaseKind::parse(self.kind.trim());
        if kind.is_none() {
            error("kind", allowed(CaseKind::ALL.iter().map(|k| k.as_str())));
        }
        let handle = self.subject_handle.trim();
        if handle.is_empty() {
            error("subject_handle", FieldProblem::Required);
        } else if handle.chars().count() > MAX_HANDLE_CHARS || !one_line(handle) {
            error(
                "subject_handle",
                FieldProblem::OneLine {
                    min: 0,
                    max: wide(MAX_HANDLE_CHARS),
                },
            );
        }
        let link = self.subject_link.trim();
        if !link.is_empty()
            && (!(link.starts_with("https://") || link.starts_with("http://"))
                || link.chars().count() > MAX_LINK_CHARS
                || link.contains(char::is_whitespace))
        {
            error(
                "subject_link",
                FieldProblem::NotALink {
                    max: wide(MAX_LINK_CHARS),
                },
            );
        }
        let excerpt = self.excerpt.trim();
        if excerpt.chars().count() > MAX_EXCERPT_CHARS {
            error(
                "excerpt",
                FieldProblem::TooLong {
                    max: wide(MAX_EXCERPT_CHARS),
                },
            );
        }
        if self.audience.is_none() {
            error("audience", FieldProblem::Required);
        }
        let audience = self.audience.unwrap_or_default();
        let tier = match self.tier.trim() {
            "" => Some(Tier::for_audience(audience)),
            text => Tier::parse(text),
        };
        if tier.is_none() {
            error("tier", allowed(Tier::ALL.iter().map(|t| t.as_str())));
        }
        let action = PlatformAction::parse(self.original_action.trim());
        if action.is_none() {
            error(
                "original_action",
                allowed(PlatformAction::ALL.iter().map(|a| a.as_str())),
            );
        }
        let mut clauses = Vec::new();
        if self.clauses.len() > MAX_CLAUSES {
            error(
                "clauses",
                FieldProblem::TooMany {
                    max: wide(MAX_CLAUSES),
                },
            );
        }
        for text in &self.clauses {
            match ClauseCode::parse(text) {
                Ok(code) if known.contains(&code) => {
                    if !clauses.contains(&code) {
                        clauses.push(code);
                    }
                }
                Ok(code) => error(
                    "clauses",
                    FieldProblem::NotInCatalogue {
                        clause: code.as_str().to_owned(),
                    },
                ),
                Err(_) => error(
                    "clauses",
                    FieldProblem::NotAClause {
                        clause: text.trim().to_owned(),
                    },
                ),
            }
        }
        if clauses.is_empty() && self.clauses.is_empty() {
            error("clauses", FieldProblem::Required);
        }
        let reason = self.reason.trim();
        if reason.is_empty() {
            error("reason", FieldProblem::Required);
        } else if reason.chars().count() > MAX_CASE_REASON_CHARS {
            error(
                "reason",
                FieldProblem::TooLong {
                    max: wide(MAX_CASE_REASON_CHARS),
                },
            );
        }
        match (kind, tier, action) {
            (Some(kind), Some(tier), Some(original_action)) if errors.is_empty() => {
                Ok(CaseFields {
                    kind,
                    subject_handle: handle.to_owned(),
                    subject_link: (!link.is_empty()).then(|| link.to_owned()),
                    excerpt: (!excerpt.is_empty()).then(|| excerpt.to_owned()),
                    audience,
                    tier,
                    original_action,
                    clauses,
                    reason: reason.to_owned(),
                })
            }
            _ => Err(errors),
        }
    }
}

fn names(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The longest reason of a recusal and the longest comment.
pub const MAX_RECUSAL_REASON_CHARS: usize = 2_000;
pub const MAX_COMMENT_CHARS: usize = 20_000;

/// The body of a `recusal` statement: a member declares a conflict on a
/// case. Signed by the member's own key; recused members neither discuss the
/// merits nor vote, and do not count toward quorum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecusalBody {
    pub reason: String,
}

/// The recusal statement the member signs (the browser builds it, the
/// server rebuilds it to check the signature).
pub fn recusal_statement(
    origin: &crate::LogOrigin,
    case: CaseId,
    member: crate::statement::MemberId,
    reason: &str,
) -> crate::statement::Statement {
    crate::statement::Statement {
        kind: crate::statement::StatementKind::Recusal,
        origin: origin.clone(),
        subject: crate::statement::Subject {
            case: Some(case),
            member: Some(member),
            ..crate::statement::Subject::default()
        },
        body: serde_json::to_value(RecusalBody {
            reason: reason.to_owned(),
        })
        .unwrap_or_default(),
    }
}

/// `text` trimmed, if it is 1 to `max` characters; otherwise why not.
fn bounded(text: &str, max: usize, empty: &str, what: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(empty.to_owned());
    }
    if text.chars().count() > max {
        return Err(format!("The {what} is longer than {max} characters."));
    }
    Ok(text.to_owned())
}

/// A recusal reason as it will be signed: trimmed, 1 to 2,000 characters.
pub fn recusal_reason(text: &str) -> Result<String, String> {
    bounded(
        text,
        MAX_RECUSAL_REASON_CHARS,
        "Say briefly why you recuse yourself: it is published.",
        "reason",
    )
}

/// A comment's text as it will be kept: trimmed, 1 to 20,000 characters.
pub fn comment_body(text: &str) -> Result<String, String> {
    bounded(text, MAX_COMMENT_CHARS, "The comment is empty.", "comment")
}

/// The clerk's decision on a public comment: `approve`, or `reject` with a
/// reason (up to 2,000 characters). Returns whether it is approved and the
/// reason to record.
pub fn screening(decision: &str, reason: &str) -> Result<(bool, Option<String>), String> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(format!(
            "The reason is longer than {MAX_REASON_CHARS} characters."
        ));
    }
    let reason = (!reason.is_empty()).then(|| reason.to_owned());
    match (decision, reason) {
        ("approve", reason) => Ok((true, reason)),
        ("reject", Some(reason)) => Ok((false, Some(reason))),
        ("reject", None) => Err("Give a reason for rejecting a public comment.".to_owned()),
        _ => Err("Approve or reject.".to_owned()),
    }
}

/// The largest evidence file accepted.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_EVIDENCE_TITLE_CHARS: usize = 200;
pub const MAX_EVIDENCE_TEXT_CHARS: usize = 20_000;

/// Evidence as submitted and checked: a text, a link or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceContent {
    Text(String),
    Link(String),
    File {
        name: String,
        content_type: &'static str,
        bytes: Vec<u8>,
    },
}

/// What a file is, by its first bytes (never by the name or the type the
/// browser claims): PDF, PNG, JPEG, or plain UTF-8 text. Anything else is
/// refused.
pub fn sniff_content_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if !bytes.is_empty()
        && std::str::from_utf8(bytes).is_ok_and(|text| {
            !text.contains(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                // A byte-order mark is no text: markup after it is markup.
                && !text
                    .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                    .starts_with('<')
        })
    {
        Some("text/plain; charset=utf-8")
    } else {
        None
    }
}

/// Characters that change how a name reads without being seen: the
/// bidirectional overrides and isolates (`report\u{202e}fdp.html` reads
/// as `reportlmth.pdf`), zero-width characters and the byte-order mark.
fn invisible(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
}

/// The file types accepted, for messages.
pub const EVIDENCE_TYPES: &str = "PDF, PNG, JPEG or plain text";

/// Why evidence is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("give the evidence a title of 1 to {MAX_EVIDENCE_TITLE_CHARS} characters")]
    Title,
    #[error("the text is empty or longer than {MAX_EVIDENCE_TEXT_CHARS} characters")]
    Text,
    #[error("the link must be an http(s) address of at most {MAX_LINK_CHARS} characters")]
    Link,
    #[error("the file is larger than {} MiB", MAX_EVIDENCE_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("this kind of file is not accepted: {EVIDENCE_TYPES} only")]
    FileType,
    #[error("choose a file")]
    NoFile,
}

/// Checks a title.
pub fn evidence_title(title: &str) -> Result<String, EvidenceError> {
    let title = title.trim();
    if title.is_empty()
        || title.chars().count() > MAX_EVIDENCE_TITLE_CHARS
        || title.contains(char::is_control)
    {
        return Err(EvidenceError::Title);
    }
    Ok(title.to_owned())
}

impl EvidenceContent {
    pub fn text(text: &str) -> Result<Self, EvidenceError> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_EVIDENCE_TEXT_CHARS {
            return Err(EvidenceError::Text);
        }
        Ok(Self::Text(text.to_owned()))
    }

    pub fn link(url: &str) -> Result<Self, EvidenceError> {
        let url = url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.chars().count() > MAX_LINK_CHARS
            || url.contains(char::is_whitespace)
        {
            return Err(EvidenceError::Link);
        }
        Ok(Self::Link(url.to_owned()))
    }

    /// A file, typed by its content; the name is kept only as a label
    /// (path and control characters removed).
    pub fn file(name: &str, bytes: Vec<u8>) -> Result<Self, EvidenceError> {
        if bytes.is_empty() {
            return Err(EvidenceError::NoFile);
        }
        if bytes.len() > MAX_EVIDENCE_BYTES {
            return Err(EvidenceError::TooLarge);
        }
        let content_type = sniff_content_type(&bytes).ok_or(EvidenceError::FileType)?;
        let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
        let mut clean: String = base
            .chars()
            .filter(|c| !c.is_control() && !invisible(*c) && !matches!(c, '"' | ';'))
            .take(120)
            .collect();
        // The name ends with the extension of what the file is: never
        // `.html` or `.svg` on a file a browser might open by its name.
        let extension = match content_type {
            "application/pdf" => "pdf",
            "image/png" => "png",
            "image/jpeg" => "jpg",
            _ => "txt",
        };
        let (stem, matches) = match clean.rsplit_once('.') {
            Some((stem, ext)) => (
                stem,
                ext.eq_ignore_ascii_case(extension)
                    || (extension == "jpg" && ext.eq_ignore_ascii_case("jpeg")),
            ),
            None => (clean.as_str(), false),
        };
        let stem = stem.trim();
        clean = match (stem.is_empty(), matches) {
            (true, _) => format!("evidence.{extension}"),
            (false, true) => clean.trim().to_owned(),
            (false, false) => format!("{stem}.{extension}"),
        };
        Ok(Self::File {
            name: clean,
            content_type,
            bytes,
        })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Link(_) => "link",
            Self::File { .. } => "file",
        }
    }
}

pub const MAX_COMMENTER_NAME_CHARS: usize = 80;
pub const MAX_AFFILIATION_CHARS: usize = 120;
pub const MAX_PUBLIC_COMMENT_CHARS: usize = 5_000;

/// A public comment as it will be kept: the name (or pseudonym), an
/// optional affiliation, the statement; or every invalid field, named.
pub fn public_comment(
    name: &str,
    affiliation: &str,
    text: &str,
) -> Result<(String, Option<String>, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let (name, affiliation, text) = (name.trim(), affiliation.trim(), text.trim());
    if name.is_empty() || name.chars().count() > MAX_COMMENTER_NAME_CHARS || !one_line(name) {
        errors.push(FieldError::new(
            "name",
            FieldProblem::OneLine {
                min: 1,
                max: wide(MAX_COMMENTER_NAME_CHARS),
            },
        ));
    }
    if affiliation.chars().count() > MAX_AFFILIATION_CHARS || !one_line(affiliation) {
        errors.push(FieldError::new(
            "affiliation",
            FieldProblem::OneLine {
                min: 0,
                max: wide(MAX_AFFILIATION_CHARS),
            },
        ));
    }
    if text.is_empty() || text.chars().count() > MAX_PUBLIC_COMMENT_CHARS {
        errors.push(FieldError::new(
            "text",
            FieldProblem::Length {
                min: 1,
                max: wide(MAX_PUBLIC_COMMENT_CHARS),
            },
        ));
    }
    if errors.is_empty() {
        Ok((
            name.to_owned(),
            (!affiliation.is_empty()).then(|| affiliation.to_owned()),
            text.to_owned(),
        ))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Vec<ClauseCode> {
        vec![
            ClauseCode::parse("HS-2").unwrap(),
            ClauseCode::parse("V-1.3").unwrap(),
        ]
    }

    fn draft() -> CaseDraft {
        CaseDraft {
            kind: "content".to_owned(),
            subject_handle: "@harbour_news".to_owned(),
            subject_link: "https://social.example/p/1".to_owned(),
            excerpt: "the post".to_owned(),
            audience: Some(25_000),
            tier: String::new(),
            original_action: "removed".to_owned(),
            clauses: vec!["HS-2".to_owned()],
            reason: "appeal by the author".to_owned(),
        }
    }

    #[test]
    fn a_valid_draft_is_accepted_and_the_tier_follows_the_audience() {
        let fields = draft().validate(&catalogue()).unwrap();
        assert_eq!(fields.kind, CaseKind::Content);
        assert_eq!(fields.tier, Tier::Notable);
        assert_eq!(fields.original_action, PlatformAction::Removed);
        let explicit = CaseDraft {
            tier: "very_prominent".to_owned(),
            ..draft()
        };
        assert_eq!(
            explicit.validate(&catalogue()).unwrap().tier,
            Tier::VeryProminent
        );
    }

    #[test]
    fn every_invalid_field_is_named() {
        let bad = CaseDraft {
            kind: "meme".to_owned(),
            subject_handle: " ".to_owned(),
            subject_link: "javascript:alert(1)".to_owned(),
            excerpt: "x".repeat(MAX_EXCERPT_CHARS + 1),
            audience: None,
            tier: "famous".to_owned(),
            original_action: "nuked".to_owned(),
            clauses: vec!["HS-9".to_owned(), "lower".to_owned()],
            reason: String::new(),
        };
        let errors = bad.validate(&catalogue()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kind",
                "subject_handle",
                "subject_link",
                "excerpt",
                "audience",
                "tier",
                "original_action",
                "clauses",
                "clauses",
                "reason"
            ]
        );
        let none = CaseDraft {
            clauses: vec![],
            ..draft()
        };
        assert_eq!(none.validate(&catalogue()).unwrap_err()[0].field, "clauses");
    }

    #[test]
    fn a_field_error_travels_as_its_code_and_what_explains_it() {
        let error = FieldError::new(
            "audience",
            FieldProblem::WrongType {
                expected: ValueType::WholeNumber,
            },
        );
        let wire = serde_json::to_value(&error).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({"field": "audience", "code": "wrong_type", "expected": "whole_number"})
        );
        assert_eq!(serde_json::from_value::<FieldError>(wire).unwrap(), error);
        let required =
            serde_json::json!({"field": "reason", "code": "required", "message": "is required"});
        assert_eq!(
            serde_json::from_value::<FieldError>(required).unwrap(),
            FieldError::new("reason", FieldProblem::Required)
        );
        assert_eq!(
            error.problem.to_string(),
            "must be a whole number, 0 or more"
        );
        assert_eq!(
            FieldProblem::OneLine { min: 0, max: 200 }.to_string(),
            "must be one line of at most 200 characters"
        );
        assert_eq!(
            FieldProblem::OneLine { min: 1, max: 80 }.to_string(),
            "must be one line of 1 to 80 characters"
        );
    }

    #[test]
    fn each_invalid_field_says_what_is_wrong_by_code() {
        let bad = CaseDraft {
            kind: "meme".to_owned(),
            subject_handle: " ".to_owned(),
            subject_link: "javascript:alert(1)".to_owned(),
            excerpt: String::new(),
            audience: Some(3),
            tier: String::new(),
            original_action: "account_banned".to_owned(),
            clauses: vec!["HS-9".to_owned(), "lower".to_owned()],
            reason: "x".repeat(MAX_CASE_REASON_CHARS + 1),
        };
        let problems: Vec<FieldProblem> = bad
            .validate(&catalogue())
            .unwrap_err()
            .into_iter()
            .map(|e| e.problem)
            .collect();
        assert_eq!(
            problems,
            [
                FieldProblem::NotOneOf {
                    allowed: CaseKind::ALL
                        .iter()
                        .map(|k| k.as_str().to_owned())
                        .collect()
                },
                FieldProblem::Required,
                FieldProblem::NotALink { max: 2_000 },
                FieldProblem::NotInCatalogue {
                    clause: "HS-9".to_owned()
                },
                FieldProblem::NotAClause {
                    clause: "lower".to_owned()
                },
                FieldProblem::TooLong { max: 10_000 },
            ]
        );
    }

    #[test]
    fn json_escalations_name_fields_of_the_wrong_type() {
        let good = serde_json::to_value(draft()).unwrap();
        assert_eq!(CaseDraft::from_json(&good).unwrap(), draft());
        let bad = serde_json::json!({
            "kind": 3,
            "audience": -5,
            "clauses": "HS-2",
            "reason": null,
            "colour": "red",
        });
        let errors = CaseDraft::from_json(&bad).unwrap_err();
        let mut fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["audience", "clauses", "colour", "kind"]);
        assert_eq!(
            CaseDraft::from_json(&serde_json::json!([1])).unwrap_err()[0].field,
            "body"
        );
    }

    #[test]
    fn the_lifecycle_allows_only_its_own_steps() {
        use CaseStatus::*;
        let path = [Intake, Accepted, Deliberation, Voting, Decided];
        for pair in path.windows(2) {
            assert_eq!(
                check_transition(pair[0], pair[1], Role::Admin, ""),
                Ok(None)
            );
        }
        assert_eq!(
            check_transition(Decided, Published, Role::Admin, ""),
            Err(TransitionError::PublishedByDecision)
        );
        assert_eq!(
            check_transition(Intake, Voting, Role::Admin, ""),
            Err(TransitionError::Illegal {
                from: Intake,
                to: Voting
            })
        );
        assert!(check_transition(Published, Withdrawn, Role::Admin, "x").is_err());
        assert!(check_transition(Declined, Accepted, Role::Admin, "").is_err());
        for from in CaseStatus::ALL {
            assert!(!from.next().contains(&Intake));
            assert_eq!(from.is_open(), from.next().contains(&Withdrawn));
        }
    }

    #[test]
    fn declining_and_withdrawing_need_a_reason_and_roles_are_checked() {
        use CaseStatus::*;
        assert_eq!(
            check_transition(Intake, Declined, Role::Clerk, "  "),
            Err(TransitionError::ReasonRequired(Declined))
        );
        assert_eq!(
            check_transition(Intake, Declined, Role::Clerk, " out of scope "),
            Ok(Some("out of scope".to_owned()))
        );
        assert_eq!(
            check_transition(Intake, Accepted, Role::Member, ""),
            Err(TransitionError::NotAllowed(Accepted))
        );
        assert_eq!(
            check_transition(Accepted, Deliberation, Role::Clerk, ""),
            Err(TransitionError::NotAllowed(Deliberation))
        );
        assert_eq!(
            check_transition(
                Intake,
                Withdrawn,
                Role::Chair,
                &"r".repeat(MAX_REASON_CHARS + 1)
            ),
            Err(TransitionError::ReasonTooLong)
        );
    }

    #[test]
    fn deadlines_and_lateness() {
        let entered = Timestamp(1_800_000_000);
        let deadline = stage_deadline(CaseStatus::Intake, entered).unwrap();
        assert_eq!(deadline.0 - entered.0, 7 * 86_400);
        assert_eq!(stage_deadline(CaseStatus::Published, entered), None);
        assert_eq!(days_late(deadline, entered), 0);
        assert_eq!(days_late(deadline, Timestamp(deadline.0 + 1)), 1);
        assert_eq!(days_late(deadline, Timestamp(deadline.0 + 12 * 86_400)), 12);
    }

    #[test]
    fn evidence_files_are_typed_by_their_bytes() {
        assert_eq!(sniff_content_type(b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(
            sniff_content_type(b"\x89PNG\r\n\x1a\n...."),
            Some("image/png")
        );
        assert_eq!(
            sniff_content_type(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(
            sniff_content_type("notes, line 1\nline 2".as_bytes()),
            Some("text/plain; charset=utf-8")
        );
        // HTML, scripts, executables, archives: refused, whatever their name.
        for bad in [
            &b"<html><script>alert(1)</script>"[..],
            b"  <svg onload=alert(1)>",
            b"MZ\x90\x00\x03",
            b"PK\x03\x04zip",
            b"\x7fELF",
            b"",
        ] {
            assert_eq!(sniff_content_type(bad), None, "{bad:?}");
        }
        assert_eq!(
            EvidenceContent::file("x.pdf", vec![b'a'; MAX_EVIDENCE_BYTES + 1]),
            Err(EvidenceError::TooLarge)
        );
        assert_eq!(
            EvidenceContent::file("page.html", b"<html></html>".to_vec()),
            Err(EvidenceError::FileType)
        );
        let EvidenceContent::File { name, .. } =
            EvidenceContent::file("C:\\docs\\re\"port;.pdf", b"%PDF-1.4".to_vec()).unwrap()
        else {
            panic!("a file")
        };
        assert_eq!(name, "report.pdf");
        // Markup after a byte-order mark is still markup.
        assert_eq!(
            sniff_content_type("\u{feff}<html><script>".as_bytes()),
            None
        );
        assert_eq!(
            sniff_content_type("\u{feff} \n<svg onload=x>".as_bytes()),
            None
        );
        // The name ends as what the file is, and reads as it is.
        let named = |name: &str, bytes: &[u8]| match EvidenceContent::file(name, bytes.to_vec()) {
            Ok(EvidenceContent::File { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        assert_eq!(named("notes.html", b"just text"), "notes.txt");
        assert_eq!(named("logo.svg", b"\x89PNG\r\n\x1a\n...."), "logo.png");
        assert_eq!(named("photo.JPEG", &[0xFF, 0xD8, 0xFF, 0xE0]), "photo.JPEG");
        assert_eq!(
            named("report\u{202e}lmth.pdf", b"%PDF-1.4"),
            "reportlmth.pdf"
        );
        assert_eq!(named("\u{202e}.html", b"text"), "evidence.txt");
        assert_eq!(named("notes", b"text"), "notes.txt");
        assert!(EvidenceContent::link("javascript:alert(1)").is_err());
        assert!(EvidenceContent::link("https://example.org/a").is_ok());
        assert!(evidence_title("  ").is_err());
    }

    #[test]
    fn screening_a_public_comment() {
        assert_eq!(screening("approve", " "), Ok((true, None)));
        assert_eq!(
            screening("reject", " spam "),
            Ok((false, Some("spam".to_owned())))
        );
        assert!(screening("reject", "").is_err());
        assert!(screening("delete", "x").is_err());
        assert!(screening("approve", &"r".repeat(MAX_REASON_CHARS + 1)).is_err());
        assert_eq!(comment_body("  hi "), Ok("hi".to_owned()));
        assert!(comment_body(&"c".repeat(MAX_COMMENT_CHARS + 1)).is_err());
        assert!(recusal_reason(" ").is_err());
    }

    #[test]
    fn clause_codes() {
        assert!(ClauseCode::parse("HS-2").is_ok());
        assert!(ClauseCode::parse("V-1.3").is_ok());
        for bad in ["", "hs-2", "2HS", "HS 2", &"A".repeat(33)] {
            assert!(ClauseCode::parse(bad).is_err(), "{bad}");
        }
    }
}
