//! Decisions: the majority rationale, dissents and concurrences, the
//! published decision and the platform's answers to its recommendations.
//!
//! Once every motion of a case is closed, its voters may sign **opinions**
//! (`opinion` statements, each signed by its author's own key): the majority
//! rationale (by the author or authors the chair assigned, each signing the
//! very same text), dissents and concurrences. The chair then publishes the
//! **decision** (`decision`, signed by the chair's own key),
//! which names the outcome of every motion and the log index of every vote,
//! vote commitment and opinion on the case: a verifier refuses a decision
//! that leaves one out, so a dissent cannot be hidden and a vote cannot be
//! dropped. The platform answers each recommendation with
//! `recommendation-answer` entries (log key), due within
//! [`ANSWER_DAYS`] days of publication.

use crate::LogOrigin;
use crate::cases::ClauseCode;
use crate::statement::{CaseId, MemberId, MotionId, Statement, StatementKind, Subject};
use crate::voting::Outcome;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

pub const MAX_OPINION_CHARS: usize = 50_000;
pub const MAX_PRECEDENTS: usize = 20;
pub const MAX_PRECEDENT_NOTE_CHARS: usize = 1_000;
pub const MAX_RECOMMENDATIONS: usize = 20;
pub const MAX_RECOMMENDATION_CHARS: usize = 2_000;
pub const MAX_ANSWER_CHARS: usize = 5_000;
pub const MAX_CLAUSES: usize = crate::cases::MAX_CLAUSES;
/// How long the platform has to answer a recommendation (as the Oversight
/// Board asks of Meta).
pub const ANSWER_DAYS: i64 = 60;

/// What an opinion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpinionKind {
    /// The majority rationale, by the author(s) the chair assigned.
    Majority,
    /// Agrees with the outcome for other reasons.
    Concurrence,
    /// Disagrees with the outcome.
    Dissent,
}

impl OpinionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Majority => "majority",
            Self::Concurrence => "concurrence",
            Self::Dissent => "dissent",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "majority" => Ok(Self::Majority),
            "concurrence" => Ok(Self::Concurrence),
            "dissent" => Ok(Self::Dissent),
            _ => Err(format!(
                "{text:?} is not an opinion: majority, concurrence or dissent"
            )),
        }
    }
}

impl fmt::Display for OpinionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of an `opinion` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpinionBody {
    pub opinion: OpinionKind,
    pub text: String,
    /// The majority rationale's authors, ordered by id (each signs this very
    /// body); empty for a dissent or concurrence, whose author is the signer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<MemberId>,
}

/// Checks an opinion's text: trimmed, 1 to [`MAX_OPINION_CHARS`] characters.
pub fn opinion_text(text: &str) -> Result<String, String> {
    bounded(
        text,
        MAX_OPINION_CHARS,
        "The opinion is empty.",
        "The opinion",
    )
}

fn bounded(text: &str, max: usize, empty: &str, what: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(empty.to_owned());
    }
    if text.chars().count() > max {
        return Err(format!("{what} is longer than {max} characters."));
    }
    Ok(text.to_owned())
}

impl OpinionBody {
    /// A well-formed opinion: checked text; authors (ordered, distinct) for
    /// the majority rationale only.
    pub fn new(opinion: OpinionKind, text: &str, authors: &[MemberId]) -> Result<Self, String> {
        let text = opinion_text(text)?;
        let authors: Vec<MemberId> = authors
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        match opinion {
            OpinionKind::Majority if authors.is_empty() => {
                Err("The majority rationale needs at least one author.".to_owned())
            }
            OpinionKind::Majority => Ok(Self {
                opinion,
                text,
                authors,
            }),
            _ => Ok(Self {
                opinion,
                text,
                authors: vec![],
            }),
        }
    }

    pub(crate) fn well_formed(&self) -> bool {
        Self::new(self.opinion, &self.text, &self.authors).as_ref() == Ok(self)
    }
}

/// The opinion a member signs (the browser builds it; the server rebuilds it
/// from the same fields to check the signature).
pub fn opinion_statement(
    origin: &LogOrigin,
    case: CaseId,
    member: MemberId,
    body: &OpinionBody,
) -> Statement {
    case_statement(StatementKind::Opinion, origin, case, Some(member), body)
}

fn case_statement(
    kind: StatementKind,
    origin: &LogOrigin,
    case: CaseId,
    member: Option<MemberId>,
    body: &impl Serialize,
) -> Statement {
    Statement {
        kind,
        origin: origin.clone(),
        subject: Subject {
            case: Some(case),
            member,
            ..Subject::default()
        },
        body: serde_json::to_value(body).unwrap_or_default(),
    }
}

/// How a decision relates to an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    Follows,
    Distinguishes,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Follows => "follows",
            Self::Distinguishes => "distinguishes",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "follows" => Ok(Self::Follows),
            "distinguishes" => Ok(Self::Distinguishes),
            _ => Err(format!("{text:?} is not follows or distinguishes")),
        }
    }
}

/// An earlier published decision this one follows or distinguishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Precedent {
    pub case: CaseId,
    pub relation: Relation,
    /// Why; required when distinguishing (what makes this case different).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The outcome of one motion, as its closing recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotionOutcome {
    pub motion: MotionId,
    pub outcome: Outcome,
}

/// What the chair adds to the decision besides the votes and opinions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    /// The policy clauses applied, distinct.
    pub clauses: Vec<ClauseCode>,
    pub precedents: Vec<Precedent>,
    /// Recommendations to the platform, numbered from 1 in this order.
    pub recommendations: Vec<String>,
}

impl DecisionRecord {
    /// Checks and normalises what the chair wrote (texts trimmed, clauses
    /// deduplicated in order); `case` is the decision's own case.
    pub fn new(
        case: CaseId,
        clauses: &[ClauseCode],
        precedents: &[Precedent],
        recommendations: &[String],
    ) -> Result<Self, String> {
        let mut seen = BTreeSet::new();
        let clauses: Vec<ClauseCode> = clauses
            .iter()
            .filter(|c| seen.insert(c.as_str().to_owned()))
            .cloned()
            .collect();
        if clauses.len() > MAX_CLAUSES {
            return Err(format!("A decision applies at most {MAX_CLAUSES} clauses."));
        }
        if precedents.len() > MAX_PRECEDENTS {
            return Err(format!(
                "A decision cites at most {MAX_PRECEDENTS} precedents."
            ));
        }
        let mut cited = BTreeSet::new();
        let mut checked = Vec::with_capacity(precedents.len());
        for precedent in precedents {
            if precedent.case == case {
                return Err("A decision cannot cite its own case as a precedent.".to_owned());
            }
            if !cited.insert(precedent.case) {
                return Err(format!("Case {} is cited twice.", precedent.case));
            }
            let note = precedent.note.trim();
            if note.chars().count() > MAX_PRECEDENT_NOTE_CHARS {
                return Err(format!(
                    "The note on case {} is longer than {MAX_PRECEDENT_NOTE_CHARS} characters.",
                    precedent.case
                ));
            }
            if note.is_empty() && precedent.relation == Relation::Distinguishes {
                return Err(format!(
                    "Say what distinguishes this case from case {}.",
                    precedent.case
                ));
            }
            checked.push(Precedent {
                case: precedent.case,
                relation: precedent.relation,
                note: note.to_owned(),
            });
        }
        if recommendations.len() > MAX_RECOMMENDATIONS {
            return Err(format!(
                "A decision makes at most {MAX_RECOMMENDATIONS} recommendations."
            ));
        }
        let recommendations = recommendations
            .iter()
            .enumerate()
            .map(|(i, text)| {
                bounded(
                    text,
                    MAX_RECOMMENDATION_CHARS,
                    &format!("Recommendation {} is empty.", i + 1),
                    &format!("Recommendation {}", i + 1),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            clauses,
            precedents: checked,
            recommendations,
        })
    }
}

impl DecisionRecord {
    /// Reads the chair's form: clause codes separated by commas, one
    /// precedent per line (`12 follows` or `7 distinguishes: why`), one
    /// recommendation per line (blank lines ignored).
    pub fn from_form(
        case: CaseId,
        clauses: &str,
        precedents: &str,
        recommendations: &str,
    ) -> Result<Self, String> {
        let clauses = clauses
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(ClauseCode::parse)
            .collect::<Result<Vec<_>, _>>()?;
        let precedents = precedents
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(Precedent::parse_line)
            .collect::<Result<Vec<_>, _>>()?;
        let recommendations: Vec<String> = recommendations
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        Self::new(case, &clauses, &precedents, &recommendations)
    }
}

impl Precedent {
    /// `12 follows`, `case 12 follows`, `#7 distinguishes: why`.
    pub fn parse_line(line: &str) -> Result<Self, String> {
        let (head, note) = line.split_once(':').unwrap_or((line, ""));
        let words: Vec<&str> = head
            .split_whitespace()
            .filter(|w| !w.eq_ignore_ascii_case("case"))
            .collect();
        let invalid = || {
            format!(
                "{line:?} is not a precedent: write the case number, then follows or \
                 distinguishes, then optionally a colon and why (e.g. \"12 distinguishes: a parody\")"
            )
        };
        let [number, relation] = words.as_slice() else {
            return Err(invalid());
        };
        let case = number
            .trim_start_matches('#')
            .parse::<u64>()
            .map_err(|_| invalid())?;
        Ok(Self {
            case: CaseId(case),
            relation: Relation::parse(&relation.to_ascii_lowercase()).map_err(|_| invalid())?,
            note: note.trim().to_owned(),
        })
    }

    /// The line [`Precedent::parse_line`] reads back.
    pub fn to_line(&self) -> String {
        if self.note.is_empty() {
            format!("{} {}", self.case, self.relation.as_str())
        } else {
            format!("{} {}: {}", self.case, self.relation.as_str(), self.note)
        }
    }
}

/// The body of a `decision` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// Every motion of the case, ordered by id.
    pub motions: Vec<MotionOutcome>,
    /// The log index of every vote and vote commitment on those motions,
    /// ascending (replaced votes included).
    pub votes: Vec<u64>,
    /// The log index of every opinion on the case, ascending.
    pub opinions: Vec<u64>,
    #[serde(flatten)]
    pub record: DecisionRecord,
    /// Unix seconds.
    pub published_at: i64,
    /// When the platform's answers to the recommendations are due (Unix
    /// seconds); present exactly when there are recommendations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers_due: Option<i64>,
    /// The chair who published.
    pub by: MemberId,
    /// The digest of the case as the public record shows it: its fields,
    /// its lifecycle up to publication and its approved public comments
    /// ([`crate::public::case_digest`]): 32 bytes of lower-case hex,
    /// required (replay refuses a decision without it, so the case's
    /// details cannot silently become the server's word again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_digest: Option<String>,
}

/// When answers to recommendations published at `published_at` are due.
pub fn answers_due(published_at: i64) -> i64 {
    published_at + ANSWER_DAYS * 86_400
}

/// The `decision` statement (signed by the chair's own key).
pub fn decision_statement(origin: &LogOrigin, case: CaseId, body: &DecisionBody) -> Statement {
    case_statement(StatementKind::Decision, origin, case, None, body)
}

/// How the platform has acted on a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerStatus {
    Implemented,
    Partly,
    Declined,
    Assessing,
}

impl AnswerStatus {
    pub const ALL: [Self; 4] = [
        Self::Implemented,
        Self::Partly,
        Self::Declined,
        Self::Assessing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Implemented => "implemented",
            Self::Partly => "partly",
            Self::Declined => "declined",
            Self::Assessing => "assessing",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| format!("{text:?} is not implemented, partly, declined or assessing"))
    }
}

/// The body of a `recommendation-answer` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The recommendation's number (from 1) in the decision.
    pub recommendation: u32,
    pub status: AnswerStatus,
    pub text: String,
    /// Unix seconds.
    pub answered_at: i64,
}

/// Checks an answer's text: trimmed, 1 to [`MAX_ANSWER_CHARS`] characters.
pub fn answer_text(text: &str) -> Result<String, String> {
    bounded(text, MAX_ANSWER_CHARS, "The answer is empty.", "The answer")
}

/// The `recommendation-answer` statement (signed by the log key on the
/// platform's behalf).
pub fn answer_statement(origin: &LogOrigin, case: CaseId, body: &AnswerBody) -> Statement {
    case_statement(
        StatementKind::RecommendationAnswer,
        origin,
        case,
        None,
        body,
    )
}

/// What the log says about one case's decision so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseRecord {
    /// The case's motions.
    pub motions: BTreeSet<MotionId>,
    /// Log indices of every vote and commitment on them.
    pub votes: BTreeSet<u64>,
    /// Log index, signer and body of every opinion.
    pub opinions: Vec<(u64, MemberId, OpinionBody)>,
    pub decision: Option<DecisionBody>,
    /// Log index and body of every answer.
    pub answers: Vec<(u64, AnswerBody)>,
}

#[cfg(test)]
pub(crate) mod tests;
