//! Rules, motions, signed votes, sealed ballots and tallies: how the council
//! decides, in the one place that the server, the browser and `tribune
//! verify` all run.
//!
//! A motion is opened by a `motion-opening` statement signed by the chair's
//! own key: its text, its choices, the full rules it is voted
//! under and the eligible roll (every active member who may vote, minus
//! those recused from the case), fixed at opening. Members vote with
//! `vote` statements signed by their own key; each vote carries a sequence
//! number (1 for the first, then 2, 3… for replacements), so an old vote
//! cannot be replayed after it was replaced, and the last one counts.
//!
//! While a motion is sealed, the log holds only `vote-commitment`
//! statements: the SHA-256 of the signed vote's log entry, whose body
//! carries a random salt so that the handful of possible choices cannot be
//! guessed from the hash. At close every committed vote is appended as it
//! was signed and verifiers check each against its commitment. A
//! `motion-closing` statement (log key) then records the tally, which
//! verifiers recompute with [`tally`].

use crate::members::{MemberStatus, Role, Roll};
use crate::statement::{
    CaseId, MemberId, MotionId, SignedStatement, Statement, StatementKind, Subject,
};
use crate::{LogOrigin, hex};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// How many supports carry a motion. The base is the eligible roll minus
/// abstentions (the ArbCom rule: abstaining lowers the number of supports
/// needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Threshold {
    /// More than half of the base.
    SimpleMajority,
    /// At least `numerator / denominator` of the base (for example 2/3).
    Qualified { numerator: u32, denominator: u32 },
}

/// Agreement required across groups that usually disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Bridging {
    /// No cross-group requirement.
    None,
    /// In at least `groups` groups, more than half of the group's voters who
    /// did not abstain supported the leading choice.
    MajorityInGroups { groups: u32 },
    /// At least one supporter of the leading choice in every group on the roll.
    SupporterInEveryGroup,
}

/// The council's voting rules, versioned. A motion is voted under the rules
/// in force when it was opened, whatever changes later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub version: u64,
    /// Votes cast (abstentions included), as a percentage of the roll.
    pub quorum_percent: u32,
    pub threshold: Threshold,
    pub bridging: Bridging,
    /// How long voting stays open, in hours.
    pub window_hours: u32,
    /// Whether choices stay hidden (from the log too) until close.
    pub sealed: bool,
}

impl Rules {
    /// The rules a council starts with (version 1): half of the roll must
    /// vote, a simple majority of the roll minus abstentions carries, with
    /// at least one supporter in every group, votes sealed for three days.
    pub const fn initial() -> Self {
        Self {
            version: 1,
            quorum_percent: 50,
            threshold: Threshold::SimpleMajority,
            bridging: Bridging::SupporterInEveryGroup,
            window_hours: 72,
            sealed: true,
        }
    }

    /// Why these rules cannot be used, if they cannot.
    pub fn check(&self) -> Result<(), String> {
        if self.version == 0 {
            return Err("Rules versions start at 1.".to_owned());
        }
        if !(1..=100).contains(&self.quorum_percent) {
            return Err("The quorum is a percentage from 1 to 100.".to_owned());
        }
        if let Threshold::Qualified {
            numerator,
            denominator,
        } = self.threshold
            && (denominator == 0 || numerator == 0 || numerator > denominator)
        {
            return Err("A qualified majority is a fraction between 0 and 1.".to_owned());
        }
        if let Bridging::MajorityInGroups { groups: 0 } = self.bridging {
            return Err("Bridging over groups needs at least one group.".to_owned());
        }
        if !(1..=24 * 90).contains(&self.window_hours) {
            return Err("The voting window is from 1 hour to 90 days.".to_owned());
        }
        Ok(())
    }

    /// When voting opened at `now` for `minutes` closes: at most the rules'
    /// window, which is the default; at least one minute.
    pub fn closes_at(
        &self,
        now: crate::Timestamp,
        minutes: Option<u32>,
    ) -> Result<crate::Timestamp, String> {
        let longest = self.window_hours * 60;
        let minutes = minutes.unwrap_or(longest);
        if !(1..=longest).contains(&minutes) {
            return Err(format!(
                "The voting window is from 1 to {longest} minutes (the rules' window)."
            ));
        }
        Ok(crate::Timestamp(now.0 + i64::from(minutes) * 60))
    }

    /// The rules in words, for pages and the protocol document.
    pub fn describe(&self) -> String {
        let threshold = match self.threshold {
            Threshold::SimpleMajority => "a simple majority".to_owned(),
            Threshold::Qualified {
                numerator,
                denominator,
            } => format!("a {numerator}/{denominator} majority"),
        };
        let bridging = match self.bridging {
            Bridging::None => String::new(),
            Bridging::MajorityInGroups { groups } => {
                format!(", and a majority of voters in at least {groups} groups")
            }
            Bridging::SupporterInEveryGroup => {
                ", and at least one supporter in every group".to_owned()
            }
        };
        format!(
            "Quorum {}% of the roll; {threshold} of the roll minus abstentions{bridging}; \
             voting open {} hours; {}.",
            self.quorum_percent,
            self.window_hours,
            if self.sealed {
                "votes sealed until close"
            } else {
                "votes public as they are cast"
            }
        )
    }
}

/// The body of a `rules-change` statement: the council's new rules (whose
/// version is the statement's `rules-version`, one more than the rules in
/// force), signed by an active admin's own key. Motions opened after it are
/// voted under it; motions already open keep the rules they opened under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesChangeBody {
    pub rules: Rules,
    pub reason: String,
}

/// The `rules-change` statement an admin signs.
pub fn rules_change_statement(origin: &LogOrigin, body: &RulesChangeBody) -> Statement {
    Statement {
        kind: StatementKind::RulesChange,
        origin: origin.clone(),
        subject: Subject {
            rules_version: Some(body.rules.version),
            ..Subject::default()
        },
        body: serde_json::to_value(body).unwrap_or_default(),
    }
}

/// A rules change's reason as it will be signed: trimmed, 1 to 2,000 characters.
pub fn rules_change_reason(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Give the reason for the change (it is published).".to_owned());
    }
    if text.chars().count() > MAX_VOTE_REASON_CHARS {
        return Err(format!(
            "The reason is longer than {MAX_VOTE_REASON_CHARS} characters."
        ));
    }
    Ok(text.to_owned())
}

/// What a motion decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MotionKind {
    /// A finding of fact or policy: support, oppose or abstain.
    Finding,
    /// A remedy: support, oppose or abstain.
    Remedy,
    /// A choice among named remedies (or abstain).
    Choice,
}

impl MotionKind {
    pub const ALL: [Self; 3] = [Self::Finding, Self::Remedy, Self::Choice];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Finding => "finding",
            Self::Remedy => "remedy",
            Self::Choice => "choice",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| format!("Unknown motion kind `{text}`: finding, remedy or choice."))
    }
}

impl fmt::Display for MotionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub const SUPPORT: &str = "support";
pub const OPPOSE: &str = "oppose";
pub const ABSTAIN: &str = "abstain";
pub const MAX_MOTION_CHARS: usize = 5_000;
pub const MAX_CHOICE_CHARS: usize = 200;
pub const MAX_REMEDIES: usize = 8;
pub const MAX_VOTE_REASON_CHARS: usize = 2_000;

/// What carrying a motion means for the case's subject, stated when the
/// motion is drafted and logged in its opening, so that the record can say
/// in plain words how a case ended ("ban upheld", "account reinstated")
/// rather than "motion 1 carried".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// The platform's action stands.
    Uphold,
    /// The platform's action is undone (the post restored, the sanction lifted).
    Overturn,
    /// A banned or suspended account comes back.
    Reinstate,
    /// A banned or suspended account stays out.
    RefuseReinstatement,
    /// The post comes back with a context label.
    RestoreWithLabel,
}

impl Effect {
    pub const ALL: [Self; 5] = [
        Self::Uphold,
        Self::Overturn,
        Self::Reinstate,
        Self::RefuseReinstatement,
        Self::RestoreWithLabel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uphold => "uphold",
            Self::Overturn => "overturn",
            Self::Reinstate => "reinstate",
            Self::RefuseReinstatement => "refuse-reinstatement",
            Self::RestoreWithLabel => "restore-with-label",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == text)
    }
}

/// A motion as the chair drafts it: checked text and choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MotionDraft {
    pub kind: MotionKind,
    pub text: String,
    /// The named remedies of a choice motion (empty otherwise).
    pub remedies: Vec<String>,
    /// What carrying it means, if the chair said (finding and remedy
    /// motions only: a choice motion's remedies say it themselves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
}

impl MotionDraft {
    /// Checks a draft: text of 1 to 5,000 characters; a choice motion names 2
    /// to 8 distinct remedies (one per line), other kinds name none.
    pub fn new(kind: MotionKind, text: &str, remedies: &[String]) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("Write the motion's text.".to_owned());
        }
        if text.chars().count() > MAX_MOTION_CHARS {
            return Err(format!(
                "The motion is longer than {MAX_MOTION_CHARS} characters."
            ));
        }
        let remedies: Vec<String> = remedies
            .iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect();
        match kind {
            MotionKind::Choice => {
                if !(2..=MAX_REMEDIES).contains(&remedies.len()) {
                    return Err(format!(
                        "A choice motion names 2 to {MAX_REMEDIES} remedies, one per line."
                    ));
                }
                let mut seen = BTreeSet::new();
                for remedy in &remedies {
                    if remedy.chars().count() > MAX_CHOICE_CHARS {
                        return Err(format!(
                            "A remedy's name is longer than {MAX_CHOICE_CHARS} characters."
                        ));
                    }
                    if remedy.eq_ignore_ascii_case(ABSTAIN) || remedy.chars().any(char::is_control)
                    {
                        return Err(format!("`{remedy}` cannot name a remedy."));
                    }
                    if !seen.insert(remedy.to_lowercase()) {
                        return Err(format!("The remedy `{remedy}` is named twice."));
                    }
                }
            }
            MotionKind::Finding | MotionKind::Remedy => {
                if !remedies.is_empty() {
                    return Err("Only a choice motion names remedies.".to_owned());
                }
            }
        }
        Ok(Self {
            kind,
            text: text.to_owned(),
            remedies,
            effect: None,
        })
    }

    /// The draft saying what carrying it means: refused for a choice
    /// motion, whose named remedies say it themselves.
    pub fn with_effect(mut self, effect: Option<Effect>) -> Result<Self, String> {
        if effect.is_some() && self.kind == MotionKind::Choice {
            return Err(
                "A choice motion's remedies say what it means: it states no effect of its own."
                    .to_owned(),
            );
        }
        self.effect = effect;
        Ok(self)
    }

    /// Every choice a voter may make, abstain last.
    pub fn choices(&self) -> Vec<String> {
        choices(self.kind, &self.remedies)
    }
}

fn choices(kind: MotionKind, remedies: &[String]) -> Vec<String> {
    let mut all: Vec<String> = match kind {
        MotionKind::Choice => remedies.to_vec(),
        MotionKind::Finding | MotionKind::Remedy => vec![SUPPORT.to_owned(), OPPOSE.to_owned()],
    };
    all.push(ABSTAIN.to_owned());
    all
}

/// One member on a motion's eligible roll, with the group they vote in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollMember {
    pub member: MemberId,
    pub group: String,
}

pub use crate::members::role_votes;

/// The eligible roll now: every active member who votes and holds a valid
/// key, minus the members in `recused`; ordered by member id.
pub fn eligible_roll(roll: &Roll, recused: &BTreeSet<MemberId>) -> Vec<RollMember> {
    roll_of(
        roll.members().map(|m| Candidate {
            member: m.id,
            group: m.group.as_str(),
            role: m.role,
            status: m.status,
            holds_key: m.active_key().is_some(),
        }),
        recused,
    )
}

/// A member as the roll is drawn from them (from the log, or from the
/// database that mirrors it).
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub member: MemberId,
    pub group: &'a str,
    pub role: Role,
    pub status: MemberStatus,
    pub holds_key: bool,
}

/// The eligible roll drawn from `members`: see [`eligible_roll`].
pub fn roll_of<'a>(
    members: impl IntoIterator<Item = Candidate<'a>>,
    recused: &BTreeSet<MemberId>,
) -> Vec<RollMember> {
    let mut roll: Vec<RollMember> = members
        .into_iter()
        .filter(|m| {
            m.status == MemberStatus::Active
                && role_votes(m.role)
                && m.holds_key
                && !recused.contains(&m.member)
        })
        .map(|m| RollMember {
            member: m.member,
            group: m.group.to_owned(),
        })
        .collect();
    roll.sort();
    roll
}

/// The body of a `motion-opening` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotionBody {
    pub kind: MotionKind,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remedies: Vec<String>,
    pub rules: Rules,
    /// Unix seconds.
    pub opens_at: i64,
    pub closes_at: i64,
    pub roll: Vec<RollMember>,
    /// The chair who opened voting.
    pub by: MemberId,
    /// What carrying the motion means (finding and remedy motions; absent
    /// when the chair did not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
}

impl MotionBody {
    pub fn choices(&self) -> Vec<String> {
        choices(self.kind, &self.remedies)
    }

    pub fn on_roll(&self, member: MemberId) -> bool {
        self.roll.iter().any(|m| m.member == member)
    }
}

/// The `motion-opening` statement (signed by the chair it names).
pub fn opening_statement(
    origin: &LogOrigin,
    case: CaseId,
    motion: MotionId,
    body: &MotionBody,
) -> Statement {
    motion_statement(
        StatementKind::MotionOpening,
        origin,
        case,
        motion,
        None,
        body,
    )
}

/// The body of a `vote` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteBody {
    pub choice: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// 1 for the member's first vote on the motion, then one more for each
    /// replacement.
    pub sequence: u32,
    /// 32 random bytes (hex) on a sealed motion, so that the commitment
    /// cannot be guessed from the few possible choices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
}

/// A vote's reason as it will be signed: trimmed, empty meaning none.
pub fn vote_reason(text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.chars().count() > MAX_VOTE_REASON_CHARS {
        return Err(format!(
            "The reason is longer than {MAX_VOTE_REASON_CHARS} characters."
        ));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// The vote a member signs (the browser builds it; the server rebuilds it
/// from the same fields to check the signature).
pub fn vote_statement(
    origin: &LogOrigin,
    case: CaseId,
    motion: MotionId,
    member: MemberId,
    body: &VoteBody,
) -> Statement {
    motion_statement(
        StatementKind::Vote,
        origin,
        case,
        motion,
        Some(member),
        body,
    )
}

/// The body of a `vote-commitment` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentBody {
    /// SHA-256 (hex) of the signed vote's log entry.
    pub commitment: String,
    pub sequence: u32,
}

/// The commitment to a signed vote: SHA-256 of its log entry.
pub fn commitment(vote_entry: &[u8]) -> String {
    hex::encode(&Sha256::digest(vote_entry))
}

/// The `vote-commitment` statement the member signs alongside a sealed vote.
pub fn commitment_statement(
    origin: &LogOrigin,
    case: CaseId,
    motion: MotionId,
    member: MemberId,
    body: &CommitmentBody,
) -> Statement {
    motion_statement(
        StatementKind::VoteCommitment,
        origin,
        case,
        motion,
        Some(member),
        body,
    )
}

/// A statement about `motion` of `case` (and, for votes, `member`).
fn motion_statement(
    kind: StatementKind,
    origin: &LogOrigin,
    case: CaseId,
    motion: MotionId,
    member: Option<MemberId>,
    body: &impl Serialize,
) -> Statement {
    Statement {
        kind,
        origin: origin.clone(),
        subject: Subject {
            case: Some(case),
            motion: Some(motion),
            member,
            ..Subject::default()
        },
        body: serde_json::to_value(body).unwrap_or_default(),
    }
}

/// Votes for one choice, or the counts of one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupTally {
    pub group: String,
    pub eligible: u32,
    pub voted: u32,
    pub counts: BTreeMap<String, u32>,
    /// Whether this group met the bridging test for the leading choice.
    pub bridged: bool,
}

/// What a motion came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The leading choice met quorum, threshold and bridging.
    Carried,
    /// Quorum was met but the threshold or the bridging requirement was not.
    NotCarried,
    /// Quorum failed, or no choice led (a tie between remedies).
    NoDecision,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Carried => "carried",
            Self::NotCarried => "not carried",
            Self::NoDecision => "no decision",
        }
    }
}

/// A motion's tally, overall and per group, with every test's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    pub eligible: u32,
    pub voted: u32,
    pub counts: BTreeMap<String, u32>,
    pub groups: Vec<GroupTally>,
    pub quorum_needed: u32,
    pub quorum_met: bool,
    /// The choice with the most votes (support, or the leading remedy);
    /// none on a tie between remedies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leading: Option<String>,
    pub supports_needed: u32,
    pub threshold_met: bool,
    pub bridging_met: bool,
    pub outcome: Outcome,
}

/// Computes a motion's tally from the last vote of each member on its roll
/// (`votes`: member → choice; votes by members not on the roll are ignored).
pub fn tally(motion: &MotionBody, votes: &BTreeMap<MemberId, String>) -> Tally {
    let rules = motion.rules;
    let choices = motion.choices();
    let zero = || -> BTreeMap<String, u32> { choices.iter().map(|c| (c.clone(), 0)).collect() };
    let mut counts = zero();
    let mut groups: BTreeMap<&str, GroupTally> = BTreeMap::new();
    for entry in &motion.roll {
        let group = groups
            .entry(entry.group.as_str())
            .or_insert_with(|| GroupTally {
                group: entry.group.clone(),
                eligible: 0,
                voted: 0,
                counts: zero(),
                bridged: false,
            });
        group.eligible += 1;
        if let Some(choice) = votes.get(&entry.member)
            && let Some(n) = counts.get_mut(choice)
        {
            *n += 1;
            group.voted += 1;
            *group.counts.entry(choice.clone()).or_default() += 1;
        }
    }
    let eligible = motion.roll.len() as u32;
    let voted: u32 = counts.values().sum();
    let quorum_needed =
        (u64::from(eligible) * u64::from(rules.quorum_percent)).div_ceil(100) as u32;
    let quorum_needed = quorum_needed.max(1);
    let quorum_met = voted >= quorum_needed;
    let count = |c: &str| counts.get(c).copied().unwrap_or(0);
    let leading = match motion.kind {
        MotionKind::Finding | MotionKind::Remedy => Some(SUPPORT.to_owned()),
        MotionKind::Choice => {
            let best = motion.remedies.iter().map(|r| count(r)).max().unwrap_or(0);
            let mut top = motion.remedies.iter().filter(|r| count(r) == best);
            match (top.next(), top.next()) {
                (Some(one), None) if best > 0 => Some(one.clone()),
                _ => None,
            }
        }
    };
    let base = u64::from(eligible - count(ABSTAIN).min(eligible));
    let supports_needed = match rules.threshold {
        Threshold::SimpleMajority => base / 2 + 1,
        Threshold::Qualified {
            numerator,
            denominator,
        } => (base * u64::from(numerator))
            .div_ceil(u64::from(denominator.max(1)))
            .max(1),
    } as u32;
    let supports = leading.as_deref().map_or(0, count);
    let threshold_met = leading.is_some() && supports >= supports_needed;
    for group in groups.values_mut() {
        let backing = leading
            .as_deref()
            .map_or(0, |c| group.counts.get(c).copied().unwrap_or(0));
        let expressed = group.voted - group.counts.get(ABSTAIN).copied().unwrap_or(0);
        group.bridged = match rules.bridging {
            Bridging::SupporterInEveryGroup => backing > 0,
            Bridging::None | Bridging::MajorityInGroups { .. } => backing * 2 > expressed,
        };
    }
    let bridging_met = match rules.bridging {
        Bridging::None => true,
        Bridging::MajorityInGroups { groups: k } => {
            groups.values().filter(|g| g.bridged).count() as u32 >= k
        }
        Bridging::SupporterInEveryGroup => groups.values().all(|g| g.bridged),
    };
    let outcome = if !quorum_met || leading.is_none() {
        Outcome::NoDecision
    } else if threshold_met && bridging_met {
        Outcome::Carried
    } else {
        Outcome::NotCarried
    };
    Tally {
        eligible,
        voted,
        counts,
        groups: groups.into_values().collect(),
        quorum_needed,
        quorum_met,
        leading,
        supports_needed,
        threshold_met,
        bridging_met,
        outcome,
    }
}

/// What the server knows of an act that the log does not hold, and a rule
/// needs (docs/protocol.md, "Facts beyond the log"). Replay knows none of
/// them: `Facts::default()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    /// When the act reached the server (Unix seconds): a vote, or a sealed
    /// vote's commitment, that arrives once its motion's `closes_at` has
    /// come is refused.
    pub arrived_at: Option<i64>,
    /// With a sealed vote's commitment, the signed vote it commits to,
    /// which the server keeps until the close: it must be a vote that will
    /// be accepted when it is revealed then.
    pub sealed_vote: Option<&'a SignedStatement>,
}

/// Why a motion was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CloseReason {
    /// The voting window ended.
    Deadline,
    /// The chair closed it early once every member on the roll had voted.
    AllVoted,
}

/// The body of a `motion-closing` statement (log key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosingBody {
    pub closed_at: i64,
    pub reason: CloseReason,
    pub tally: Tally,
}

/// The `motion-closing` statement (signed by the log key).
pub fn closing_statement(
    origin: &LogOrigin,
    case: CaseId,
    motion: MotionId,
    body: &ClosingBody,
) -> Statement {
    motion_statement(
        StatementKind::MotionClosing,
        origin,
        case,
        motion,
        None,
        body,
    )
}

/// Whether a motion may be closed for `reason` at `closed_at` (Unix
/// seconds), given the members recused from its case and those whose vote
/// is in the log: at its deadline (`closed_at` ≥ `closes_at`), or early as
/// `all-voted` once every member on its roll who has not recused has voted.
/// Storage asks this before closing; replay asks it of every closing.
pub fn check_closing(
    motion_id: MotionId,
    motion: &MotionBody,
    recused: &BTreeSet<MemberId>,
    voted: impl Fn(MemberId) -> bool,
    reason: CloseReason,
    closed_at: i64,
) -> Result<(), BallotError> {
    match reason {
        CloseReason::Deadline if closed_at < motion.closes_at => Err(BallotError::NotYetDue {
            motion: motion_id,
            closes_at: motion.closes_at,
        }),
        CloseReason::Deadline => Ok(()),
        CloseReason::AllVoted => {
            let missing = motion
                .roll
                .iter()
                .filter(|m| !recused.contains(&m.member) && !voted(m.member))
                .count();
            if missing > 0 {
                return Err(BallotError::NotAllVoted {
                    motion: motion_id,
                    missing,
                });
            }
            Ok(())
        }
    }
}

/// Why a vote, a motion or its closing breaks the voting rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("the {kind} body is invalid: {why}")]
    Body { kind: StatementKind, why: String },
    #[error("closings and the platform's answers are logged by the log key only")]
    NotByLogKey,
    #[error("this statement must name the member who signs it")]
    NotByMember,
    #[error("the act's `by` is not the member who signed it")]
    NotTheSigner,
    #[error("the act is dated {at}, which is not when it reached the server ({arrived})")]
    StaleTime { at: i64, arrived: i64 },
    #[error("member {member} did not vote on case {case}")]
    NotAVoter { member: MemberId, case: CaseId },
    #[error("member {0} is not one of the majority rationale's authors")]
    NotAnAuthor(MemberId),
    #[error("the decision on case {0} leaves out votes or commitments on its motions")]
    VotesLeftOut(CaseId),
    #[error("the decision on case {0} leaves out opinions (a dissent or concurrence) on it")]
    OpinionsLeftOut(CaseId),
    #[error("the decision on case {0} has no majority rationale")]
    NoRationale(CaseId),
    #[error(
        "the majority rationale of case {0} is not signed, identically, by each of its authors"
    )]
    RationaleUnsigned(CaseId),
    #[error("case {0} is cited as a precedent but has no published decision")]
    UnknownPrecedent(CaseId),
    #[error("case {0} has no published decision")]
    NotDecided(CaseId),
    #[error("case {case} has no recommendation {number}")]
    UnknownRecommendation { case: CaseId, number: u32 },
    #[error("case {0} is already decided")]
    AlreadyDecided(CaseId),
    #[error("case {0} has no motion")]
    NoMotions(CaseId),
    #[error("motion {0} is still open")]
    MotionOpen(MotionId),
    #[error("motion {0} was already opened")]
    MotionReused(MotionId),
    #[error("motion {0} was never opened")]
    UnknownMotion(MotionId),
    #[error("motion {0} belongs to another case")]
    WrongCase(MotionId),
    #[error("motion {0} is closed")]
    MotionClosed(MotionId),
    #[error("motion {motion}'s voting window ended at {closes_at}: the vote arrived too late")]
    WindowEnded { motion: MotionId, closes_at: i64 },
    #[error("the roll of motion {0} is not the eligible roll at its opening")]
    WrongRoll(MotionId),
    #[error("member {member} is not on the roll of motion {motion}")]
    NotOnRoll { member: MemberId, motion: MotionId },
    #[error("`{0}` is not one of the motion's choices")]
    UnknownChoice(String),
    #[error("vote sequence {found} where {expected} was due (a replayed or skipped vote)")]
    Sequence { expected: u32, found: u32 },
    #[error("motion {0} is sealed: votes must be committed first and revealed at close")]
    Sealed(MotionId),
    #[error("motion {0} is not sealed: votes are logged directly")]
    NotSealed(MotionId),
    #[error("a sealed vote needs a 32-byte salt")]
    MissingSalt,
    #[error("this vote matches no commitment of its member")]
    NoCommitment,
    #[error("the commitment is not a commitment to the vote it came with")]
    NotTheCommittedVote,
    #[error("motion {motion} is closed with {missing} committed votes never revealed")]
    MissingReveal { motion: MotionId, missing: usize },
    #[error("the published tally of motion {0} is not the tally of its votes")]
    TallyMismatch(MotionId),
    #[error("motion {motion} is closed at its deadline before the deadline ({closes_at})")]
    NotYetDue { motion: MotionId, closes_at: i64 },
    #[error(
        "motion {motion} is closed as all-voted while {missing} members on its roll have not voted"
    )]
    NotAllVoted { motion: MotionId, missing: usize },
    #[error("this vote of member {0} is not signed by their valid key, or they are not active")]
    NotSignedByValidKey(MemberId),
    #[error("member {0} is not active")]
    MemberInactive(MemberId),
    #[error("member {member} recused from case {case} and takes no further part in it")]
    Recused { member: MemberId, case: CaseId },
    #[error("motion {0} is not opened under the rules in force")]
    WrongRules(MotionId),
    #[error("rules are changed by an active admin's own key only")]
    NotByAdmin,
    #[error("motion {0} has nobody on its roll")]
    EmptyRoll(MotionId),
    #[error("case {0} has a motion opened already: its panel can no longer change")]
    PanelAfterVoting(CaseId),
    #[error("member {member} already recused from case {case}")]
    AlreadyRecused { member: MemberId, case: CaseId },
    #[error("member {member} already signed the majority rationale of case {case}")]
    AlreadySigned { member: MemberId, case: CaseId },
    #[error("the rules change must be version {expected}")]
    RulesVersion { expected: u64 },
}

impl BallotError {
    /// The refusal's stable code (snake_case), the same in storage, the
    /// JSON API and every verifier: what clients and the pages match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Body { .. } => "invalid_body",
            Self::NotByLogKey => "not_by_log_key",
            Self::NotByMember => "not_by_member",
            Self::NotTheSigner => "by_not_signer",
            Self::StaleTime { .. } => "stale_time",
            Self::NotAVoter { .. } => "not_a_voter",
            Self::NotAnAuthor(_) => "not_an_author",
            Self::VotesLeftOut(_) => "votes_left_out",
            Self::OpinionsLeftOut(_) => "opinions_left_out",
            Self::NoRationale(_) => "no_rationale",
            Self::RationaleUnsigned(_) => "rationale_unsigned",
            Self::UnknownPrecedent(_) => "unknown_precedent",
            Self::NotDecided(_) => "not_decided",
            Self::UnknownRecommendation { .. } => "unknown_recommendation",
            Self::AlreadyDecided(_) => "already_decided",
            Self::NoMotions(_) => "no_motions",
            Self::MotionOpen(_) => "motion_open",
            Self::MotionReused(_) => "motion_reused",
            Self::UnknownMotion(_) => "motion_not_open",
            Self::WrongCase(_) => "wrong_case",
            Self::MotionClosed(_) | Self::WindowEnded { .. } => "voting_closed",
            Self::WrongRoll(_) => "wrong_roll",
            Self::NotOnRoll { .. } => "not_on_roll",
            Self::UnknownChoice(_) => "unknown_choice",
            Self::Sequence { .. } => "stale_sequence",
            Self::Sealed(_) => "sealed",
            Self::NotSealed(_) => "not_sealed",
            Self::MissingSalt => "missing_salt",
            Self::NoCommitment => "no_commitment",
            Self::NotTheCommittedVote => "not_the_committed_vote",
            Self::MissingReveal { .. } => "missing_reveal",
            Self::TallyMismatch(_) => "tally_mismatch",
            Self::NotYetDue { .. } => "not_yet_due",
            Self::NotAllVoted { .. } => "not_all_voted",
            Self::NotSignedByValidKey(_) => "not_signed_by_valid_key",
            Self::MemberInactive(_) => "member_inactive",
            Self::Recused { .. } => "recused",
            Self::WrongRules(_) | Self::RulesVersion { .. } => "rules_changed",
            Self::NotByAdmin => "not_admin",
            Self::EmptyRoll(_) => "empty_roll",
            Self::PanelAfterVoting(_) => "panel_after_voting",
            Self::AlreadyRecused { .. } => "already_recused",
            Self::AlreadySigned { .. } => "already_signed",
        }
    }
}

/// A motion as the log has made it so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MotionRecord {
    pub id: MotionId,
    pub case: CaseId,
    pub body: MotionBody,
    /// Each member's last vote: (sequence, choice).
    pub votes: BTreeMap<MemberId, (u32, String)>,
    /// The last commitment sequence per member (sealed motions).
    pub committed: BTreeMap<MemberId, u32>,
    /// Commitments not yet revealed: hash → (member, sequence, the key
    /// that signed the commitment).
    pub(crate) pending: HashMap<String, (MemberId, u32, [u8; 32])>,
    pub closing: Option<ClosingBody>,
}

impl MotionRecord {
    /// A vote or commitment must reach the server before the voting
    /// window ends ([`Facts::arrived_at`]; replay does not know it).
    pub(crate) fn check_arrival(&self, facts: &Facts<'_>) -> Result<(), BallotError> {
        match facts.arrived_at {
            Some(at) if at >= self.body.closes_at => Err(BallotError::WindowEnded {
                motion: self.id,
                closes_at: self.body.closes_at,
            }),
            _ => Ok(()),
        }
    }

    /// Whether `member` may commit `body` now: a sealed motion, the
    /// member's next sequence, 32 bytes of lower-case hex.
    pub(crate) fn check_commitment(
        &self,
        member: MemberId,
        body: &CommitmentBody,
    ) -> Result<(), BallotError> {
        if !self.body.rules.sealed {
            return Err(BallotError::NotSealed(self.id));
        }
        let expected = self.committed.get(&member).map_or(1, |n| n + 1);
        if body.sequence != expected {
            return Err(BallotError::Sequence {
                expected,
                found: body.sequence,
            });
        }
        let well_formed = hex::decode(&body.commitment)
            .is_some_and(|b| b.len() == 32 && hex::encode(&b) == body.commitment);
        if !well_formed {
            return Err(BallotError::Body {
                kind: StatementKind::VoteCommitment,
                why: "a commitment is 32 bytes of lower-case hex".to_owned(),
            });
        }
        Ok(())
    }

    /// A sealed vote's commitment by `member`, signed by `signer`
    /// ([`Self::check_commitment`]). Refused, it changes nothing.
    pub(crate) fn commit(
        &mut self,
        member: MemberId,
        signer: [u8; 32],
        body: CommitmentBody,
    ) -> Result<(), BallotError> {
        self.check_commitment(member, &body)?;
        self.committed.insert(member, body.sequence);
        self.pending
            .insert(body.commitment, (member, body.sequence, signer));
        Ok(())
    }

    /// What a vote's body must be on this motion, whenever it is logged:
    /// one of the motion's choices, a trimmed reason and, on a sealed
    /// motion, a 32-byte salt.
    pub(crate) fn check_ballot(&self, body: &VoteBody) -> Result<(), BallotError> {
        if !self.body.choices().contains(&body.choice) {
            return Err(BallotError::UnknownChoice(body.choice.clone()));
        }
        if vote_reason(body.reason.as_deref().unwrap_or_default())? != body.reason {
            return Err(BallotError::Body {
                kind: StatementKind::Vote,
                why: "the reason is not trimmed".to_owned(),
            });
        }
        // A salt is 32 bytes of lower-case hex (one vote, one encoding);
        // a sealed vote needs one, an unsealed vote's has no effect.
        let salt_well_formed = |salt: &str| {
            hex::decode(salt).is_some_and(|bytes| bytes.len() == 32 && hex::encode(&bytes) == salt)
        };
        match body.salt.as_deref() {
            Some(salt) if salt_well_formed(salt) => {}
            _ if self.body.rules.sealed => return Err(BallotError::MissingSalt),
            None => {}
            Some(_) => {
                return Err(BallotError::Body {
                    kind: StatementKind::Vote,
                    why: "a salt is 32 bytes of lower-case hex".to_owned(),
                });
            }
        }
        Ok(())
    }

    /// A vote by `member`, signed by `signer`, whose log entry is `entry`:
    /// one of the motion's choices with a trimmed reason; on a sealed motion
    /// the reveal of a pending commitment by the same key (in any order, the
    /// highest sequence counting), otherwise the member's next sequence.
    /// Refused, it changes nothing.
    pub(crate) fn cast(
        &mut self,
        member: MemberId,
        signer: [u8; 32],
        body: VoteBody,
        entry: &[u8],
    ) -> Result<(), BallotError> {
        self.check_ballot(&body)?;
        if self.body.rules.sealed {
            // The reveal is signed by the key that signed its commitment
            // (valid then; perhaps replaced since).
            let key = commitment(entry);
            match self.pending.get(&key) {
                Some((by, sequence, committed_by))
                    if *by == member && *sequence == body.sequence && *committed_by == signer =>
                {
                    self.pending.remove(&key);
                }
                _ => return Err(BallotError::NoCommitment),
            }
            let newer = self
                .votes
                .get(&member)
                .is_none_or(|(seen, _)| *seen < body.sequence);
            if newer {
                self.votes.insert(member, (body.sequence, body.choice));
            }
        } else {
            let expected = self.votes.get(&member).map_or(1, |(n, _)| n + 1);
            if body.sequence != expected {
                return Err(BallotError::Sequence {
                    expected,
                    found: body.sequence,
                });
            }
            self.votes.insert(member, (body.sequence, body.choice));
        }
        Ok(())
    }

    /// The last choice of each member.
    pub fn choices(&self) -> BTreeMap<MemberId, String> {
        self.votes
            .iter()
            .map(|(member, (_, choice))| (*member, choice.clone()))
            .collect()
    }
}

impl From<String> for BallotError {
    fn from(why: String) -> Self {
        Self::Body {
            kind: StatementKind::Vote,
            why,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
