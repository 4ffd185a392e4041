//! Same rules for everyone: how one policy clause's decisions came out,
//! compared across prominence tiers for each kind of case, and which
//! decisions departed from the clause's precedent without distinguishing it.
//!
//! A decision's *outcome* here is its headline: carried if any of its
//! motions carried, otherwise not carried if any motion reached quorum,
//! otherwise no decision. A decision *departs from precedent* when the
//! earlier decisions under the same clause on the same kind of case mostly
//! came out one way (a strict plurality) and it came out another, and it
//! names none of those earlier decisions as one it distinguishes.

use crate::cases::{CaseId, CaseKind, Tier};
use crate::decisions::{MotionOutcome, Precedent, Relation};
use crate::voting::{Effect, Outcome};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a case ended for its subject, in the words a reader knows, derived
/// from what each motion said carrying it means ([`Effect`]) and how the
/// motions came out (see [`ruling`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ruling {
    /// The platform's action stands.
    Upheld,
    /// The platform's action was undone.
    Overturned,
    /// The account came back.
    Reinstated,
    /// The account stays out.
    ReinstatementRefused,
    /// The post came back with a context label.
    RestoredWithLabel,
    /// The motions stated effects but none was decided (no quorum, or a
    /// motion to uphold or to refuse that did not carry).
    NoRuling,
}

impl Ruling {
    pub const ALL: [Self; 6] = [
        Self::Upheld,
        Self::Overturned,
        Self::Reinstated,
        Self::ReinstatementRefused,
        Self::RestoredWithLabel,
        Self::NoRuling,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upheld => "upheld",
            Self::Overturned => "overturned",
            Self::Reinstated => "reinstated",
            Self::ReinstatementRefused => "reinstatement-refused",
            Self::RestoredWithLabel => "restored-with-label",
            Self::NoRuling => "no-ruling",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// What carrying a motion with this effect rules.
    pub fn of_carried(effect: Effect) -> Self {
        match effect {
            Effect::Uphold => Self::Upheld,
            Effect::Overturn => Self::Overturned,
            Effect::Reinstate => Self::Reinstated,
            Effect::RefuseReinstatement => Self::ReinstatementRefused,
            Effect::RestoreWithLabel => Self::RestoredWithLabel,
        }
    }

    /// What a motion with this effect that did not carry (quorum met, the
    /// threshold or bridging not) leaves in place: the platform's action
    /// when the motion would have undone it, the ban when it would have
    /// lifted it; nothing decided for a motion to uphold or to refuse.
    pub fn of_not_carried(effect: Effect) -> Option<Self> {
        match effect {
            Effect::Overturn | Effect::RestoreWithLabel => Some(Self::Upheld),
            Effect::Reinstate => Some(Self::ReinstatementRefused),
            Effect::Uphold | Effect::RefuseReinstatement => None,
        }
    }
}

/// The ruling of a decision whose motions, in order, stated these effects
/// and came out so: the first carried motion with an effect rules; failing
/// one, the first motion with an effect that did not carry and leaves
/// something in place ([`Ruling::of_not_carried`]); failing that
/// [`Ruling::NoRuling`]. `None` when no motion stated an effect (the record
/// then gives the motions' outcomes only).
pub fn ruling(motions: &[(Option<Effect>, Outcome)]) -> Option<Ruling> {
    let stated = || {
        motions
            .iter()
            .filter_map(|(effect, outcome)| effect.map(|e| (e, *outcome)))
    };
    stated().next()?;
    stated()
        .find(|(_, o)| *o == Outcome::Carried)
        .map(|(e, _)| Ruling::of_carried(e))
        .or_else(|| {
            stated()
                .filter(|(_, o)| *o == Outcome::NotCarried)
                .find_map(|(e, _)| Ruling::of_not_carried(e))
        })
        .or(Some(Ruling::NoRuling))
}

/// What the report needs of one published decision under the clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseDecision {
    pub case: CaseId,
    pub log_index: u64,
    /// Unix seconds.
    pub published_at: i64,
    pub kind: CaseKind,
    pub tier: Tier,
    /// The subject's handle, as the case names it.
    pub subject: String,
    pub outcome: Outcome,
    /// How it ended in plain words, when its motions said (see [`ruling`]).
    pub ruling: Option<Ruling>,
    pub precedents: Vec<Precedent>,
}

/// The headline outcome of a decision's motions (see the module's notes).
pub fn headline(motions: &[MotionOutcome]) -> Outcome {
    let any = |o: Outcome| motions.iter().any(|m| m.outcome == o);
    if any(Outcome::Carried) {
        Outcome::Carried
    } else if any(Outcome::NotCarried) {
        Outcome::NotCarried
    } else {
        Outcome::NoDecision
    }
}

/// The three outcomes in the order the report shows them.
pub const OUTCOMES: [Outcome; 3] = [Outcome::Carried, Outcome::NotCarried, Outcome::NoDecision];

/// How the decisions on one kind of case, at one tier, came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierRow {
    pub kind: CaseKind,
    pub tier: Tier,
    /// Decisions carried, not carried and without a decision ([`OUTCOMES`]).
    pub counts: [u32; 3],
    /// The decisions with a ruling, by ruling (those whose motions stated
    /// no effect are only in `counts`).
    pub rulings: BTreeMap<Ruling, u32>,
}

impl TierRow {
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// The share carried, in whole percent (0 with no decisions).
    pub fn carried_percent(&self) -> u32 {
        let total = self.total();
        (self.counts[0] * 100 + total / 2)
            .checked_div(total)
            .unwrap_or(0)
    }
}

/// A decision that departed from the clause's precedent without
/// distinguishing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Departure {
    pub case: CaseId,
    pub subject: String,
    pub kind: CaseKind,
    pub tier: Tier,
    pub log_index: u64,
    pub outcome: Outcome,
    /// How most earlier decisions (same clause, same kind) came out.
    pub prevailing: Outcome,
    /// How many earlier decisions that is, and how many there were.
    pub prevailing_count: u32,
    pub earlier: u32,
}

/// One side of a [`Divergence`]: the ordinary accounts, or the named
/// (notable, prominent and very prominent) ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    /// The ruling most of the side's decisions had (a strict plurality).
    pub ruling: Ruling,
    /// How many had it, of how many with a ruling.
    pub count: u32,
    pub of: u32,
}

/// Two decisions under the clause on the same kind of case, one on an
/// ordinary account and one on a more prominent one, that ended as their
/// sides mostly did: the pair a reader should compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub ordinary: CaseId,
    pub prominent: CaseId,
    pub prominent_tier: Tier,
}

/// Same clause, same kind of case, and the ordinary accounts' decisions
/// mostly ended one way while the more prominent accounts' mostly ended
/// another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Divergence {
    pub kind: CaseKind,
    pub ordinary: Side,
    pub prominent: Side,
    /// Pairs to compare, newest first (at most [`MAX_PAIRS`]): each
    /// prominent decision with the prominent side's ruling, beside the
    /// ordinary decision with the ordinary side's ruling nearest it in the
    /// log.
    pub pairs: Vec<Pair>,
}

/// The most pairs a divergence lists.
pub const MAX_PAIRS: usize = 10;

/// The clause's consistency report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyReport {
    /// One row per kind and tier that has decisions, by kind then tier.
    pub rows: Vec<TierRow>,
    /// Kinds of case where ordinary and more prominent accounts' rulings
    /// diverge, by kind.
    pub divergences: Vec<Divergence>,
    /// Departures not distinguished, in log order.
    pub departures: Vec<Departure>,
    /// Departures whose decision named an earlier one it distinguishes.
    pub distinguished: u32,
}

fn position(outcome: Outcome) -> usize {
    match outcome {
        Outcome::Carried => 0,
        Outcome::NotCarried => 1,
        Outcome::NoDecision => 2,
    }
}

/// A kind and tier's decisions by outcome ([`OUTCOMES`]) and by ruling.
type Counts = ([u32; 3], BTreeMap<Ruling, u32>);

/// The decisions seen so far on one kind of case: how many came out each
/// way, and which cases they were.
type Earlier = ([u32; 3], Vec<(CaseId, Outcome)>);

impl ConsistencyReport {
    /// Keeps only the latest `n` departures, newest first (for a page; the
    /// full list stays in the API). Returns how many there were in all.
    pub fn keep_latest_departures(&mut self, n: usize) -> usize {
        let total = self.departures.len();
        self.departures.reverse();
        self.departures.truncate(n);
        total
    }
}

/// The report over every published decision applying one clause (any order).
pub fn report(decisions: &[ClauseDecision]) -> ConsistencyReport {
    let mut sorted: Vec<&ClauseDecision> = decisions.iter().collect();
    sorted.sort_by_key(|d| d.log_index);

    let mut rows: BTreeMap<(CaseKind, Tier), Counts> = BTreeMap::new();
    // Per kind: the outcomes so far, and which cases had which.
    let mut so_far: BTreeMap<CaseKind, Earlier> = BTreeMap::new();
    let mut report = ConsistencyReport::default();
    for d in sorted {
        let (counts, rulings) = rows.entry((d.kind, d.tier)).or_default();
        counts[position(d.outcome)] += 1;
        if let Some(ruling) = d.ruling {
            *rulings.entry(ruling).or_default() += 1;
        }
        let (counts, earlier) = so_far.entry(d.kind).or_default();
        if let Some((prevailing, count)) = plurality(counts)
            && prevailing != d.outcome
        {
            let distinguishes = d.precedents.iter().any(|p| {
                p.relation == Relation::Distinguishes && earlier.iter().any(|(c, _)| *c == p.case)
            });
            if distinguishes {
                report.distinguished += 1;
            } else {
                report.departures.push(Departure {
                    case: d.case,
                    subject: d.subject.clone(),
                    kind: d.kind,
                    tier: d.tier,
                    log_index: d.log_index,
                    outcome: d.outcome,
                    prevailing,
                    prevailing_count: count,
                    earlier: counts.iter().sum(),
                });
            }
        }
        counts[position(d.outcome)] += 1;
        earlier.push((d.case, d.outcome));
    }
    report.rows = rows
        .into_iter()
        .map(|((kind, tier), (counts, rulings))| TierRow {
            kind,
            tier,
            counts,
            rulings,
        })
        .collect();
    report.divergences = CaseKind::ALL
        .iter()
        .filter_map(|kind| divergence(*kind, decisions))
        .collect();
    report
}

/// The ruling most of `decisions` had, if one strictly leads: (ruling,
/// how many, of how many with a ruling).
fn prevailing<'a>(decisions: impl Iterator<Item = &'a ClauseDecision>) -> Option<Side> {
    let mut counts: BTreeMap<Ruling, u32> = BTreeMap::new();
    for ruling in decisions.filter_map(|d| d.ruling) {
        *counts.entry(ruling).or_default() += 1;
    }
    let of = counts.values().sum();
    let most = *counts.values().max()?;
    let mut leaders = counts.iter().filter(|(_, n)| **n == most);
    let (ruling, _) = leaders.next()?;
    if leaders.next().is_some() {
        return None;
    }
    Some(Side {
        ruling: *ruling,
        count: most,
        of,
    })
}

/// Whether the ordinary and the more prominent accounts' decisions on
/// `kind` mostly ended differently, and the pairs that show it.
fn divergence(kind: CaseKind, decisions: &[ClauseDecision]) -> Option<Divergence> {
    let of_kind = || decisions.iter().filter(move |d| d.kind == kind);
    let ordinary = prevailing(of_kind().filter(|d| d.tier == Tier::Ordinary))?;
    let prominent = prevailing(of_kind().filter(|d| d.tier != Tier::Ordinary))?;
    if ordinary.ruling == prominent.ruling {
        return None;
    }
    let mut named: Vec<&ClauseDecision> = of_kind()
        .filter(|d| d.tier != Tier::Ordinary && d.ruling == Some(prominent.ruling))
        .collect();
    named.sort_by_key(|d| std::cmp::Reverse(d.log_index));
    let plain: Vec<&ClauseDecision> = of_kind()
        .filter(|d| d.tier == Tier::Ordinary && d.ruling == Some(ordinary.ruling))
        .collect();
    let pairs = named
        .into_iter()
        .take(MAX_PAIRS)
        .filter_map(|p| {
            plain
                .iter()
                .min_by_key(|o| (o.log_index.abs_diff(p.log_index), o.log_index))
                .map(|o| Pair {
                    ordinary: o.case,
                    prominent: p.case,
                    prominent_tier: p.tier,
                })
        })
        .collect();
    Some(Divergence {
        kind,
        ordinary,
        prominent,
        pairs,
    })
}

/// The outcome most decisions had, if one strictly leads.
fn plurality(counts: &[u32; 3]) -> Option<(Outcome, u32)> {
    let most = *counts.iter().max()?;
    if most == 0 || counts.iter().filter(|&&n| n == most).count() > 1 {
        return None;
    }
    let at = counts.iter().position(|&n| n == most)?;
    Some((OUTCOMES[at], most))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(case: u64, kind: CaseKind, tier: Tier, outcome: Outcome) -> ClauseDecision {
        ClauseDecision {
            case: CaseId(case),
            log_index: case * 10,
            published_at: 0,
            kind,
            tier,
            subject: format!("@subject{case}"),
            outcome,
            ruling: None,
            precedents: Vec::new(),
        }
    }

    fn ruled(case: u64, kind: CaseKind, tier: Tier, ruling: Ruling) -> ClauseDecision {
        ClauseDecision {
            ruling: Some(ruling),
            ..decision(case, kind, tier, Outcome::Carried)
        }
    }

    #[test]
    fn a_ruling_is_the_first_carried_effect_or_what_a_failed_one_leaves() {
        use Effect::*;
        use Outcome::*;
        assert_eq!(ruling(&[]), None);
        assert_eq!(ruling(&[(None, Carried)]), None, "no effect stated");
        assert_eq!(
            ruling(&[(Some(Overturn), Carried)]),
            Some(Ruling::Overturned)
        );
        assert_eq!(
            ruling(&[(Some(Overturn), NotCarried)]),
            Some(Ruling::Upheld)
        );
        assert_eq!(
            ruling(&[(Some(Reinstate), NotCarried)]),
            Some(Ruling::ReinstatementRefused)
        );
        assert_eq!(
            ruling(&[(Some(Reinstate), NoDecision)]),
            Some(Ruling::NoRuling)
        );
        assert_eq!(
            ruling(&[(Some(Uphold), NotCarried)]),
            Some(Ruling::NoRuling)
        );
        // A carried motion rules over an earlier one that failed.
        assert_eq!(
            ruling(&[
                (None, Carried),
                (Some(Overturn), NotCarried),
                (Some(RestoreWithLabel), Carried)
            ]),
            Some(Ruling::RestoredWithLabel)
        );
        for r in Ruling::ALL {
            assert_eq!(Ruling::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        for e in Effect::ALL {
            assert_eq!(Effect::parse(e.as_str()), Some(e));
            assert_eq!(serde_json::to_value(e).unwrap(), e.as_str());
        }
    }

    #[test]
    fn rulings_are_counted_per_tier_and_a_divergence_lists_pairs_to_compare() {
        use CaseKind::*;
        use Ruling::*;
        let decisions = [
            ruled(1, Reinstatement, Tier::Ordinary, ReinstatementRefused),
            ruled(2, Reinstatement, Tier::Ordinary, ReinstatementRefused),
            ruled(3, Reinstatement, Tier::Prominent, Reinstated),
            ruled(4, Reinstatement, Tier::Ordinary, Reinstated),
            ruled(5, Reinstatement, Tier::VeryProminent, Reinstated),
            ruled(6, Reinstatement, Tier::Ordinary, ReinstatementRefused),
            // Content: both sides mostly upheld, no divergence.
            ruled(7, Content, Tier::Ordinary, Upheld),
            ruled(8, Content, Tier::Notable, Upheld),
        ];
        let report = report(&decisions);
        let ordinary = report
            .rows
            .iter()
            .find(|r| r.kind == Reinstatement && r.tier == Tier::Ordinary)
            .unwrap();
        assert_eq!(
            ordinary.rulings,
            BTreeMap::from([(Reinstated, 1), (ReinstatementRefused, 3)])
        );
        assert_eq!(report.divergences.len(), 1);
        let d = &report.divergences[0];
        assert_eq!(d.kind, Reinstatement);
        assert_eq!(
            (d.ordinary.ruling, d.ordinary.count, d.ordinary.of),
            (ReinstatementRefused, 3, 4)
        );
        assert_eq!(
            (d.prominent.ruling, d.prominent.count, d.prominent.of),
            (Reinstated, 2, 2)
        );
        // Newest prominent first, each beside the nearest refused ordinary one.
        assert_eq!(
            d.pairs,
            vec![
                Pair {
                    ordinary: CaseId(6),
                    prominent: CaseId(5),
                    prominent_tier: Tier::VeryProminent
                },
                Pair {
                    ordinary: CaseId(2),
                    prominent: CaseId(3),
                    prominent_tier: Tier::Prominent
                },
            ]
        );
        // A tie on either side says nothing.
        let tied = super::report(&[
            ruled(1, Content, Tier::Ordinary, Upheld),
            ruled(2, Content, Tier::Ordinary, Overturned),
            ruled(3, Content, Tier::Prominent, Overturned),
        ]);
        assert!(tied.divergences.is_empty());
    }

    #[test]
    fn the_headline_is_carried_if_any_motion_carried() {
        let m = |outcome| MotionOutcome {
            motion: crate::statement::MotionId(1),
            outcome,
        };
        assert_eq!(
            headline(&[m(Outcome::NotCarried), m(Outcome::Carried)]),
            Outcome::Carried
        );
        assert_eq!(
            headline(&[m(Outcome::NoDecision), m(Outcome::NotCarried)]),
            Outcome::NotCarried
        );
        assert_eq!(headline(&[m(Outcome::NoDecision)]), Outcome::NoDecision);
        assert_eq!(headline(&[]), Outcome::NoDecision);
    }

    #[test]
    fn outcomes_are_counted_per_kind_and_tier() {
        use CaseKind::*;
        use Outcome::*;
        let report = report(&[
            decision(3, Content, Tier::Prominent, NotCarried),
            decision(1, Content, Tier::Ordinary, Carried),
            decision(2, Content, Tier::Ordinary, Carried),
            decision(4, Reinstatement, Tier::Ordinary, NoDecision),
        ]);
        assert_eq!(
            report.rows,
            vec![
                TierRow {
                    kind: Content,
                    tier: Tier::Ordinary,
                    counts: [2, 0, 0],
                    rulings: BTreeMap::new(),
                },
                TierRow {
                    kind: Content,
                    tier: Tier::Prominent,
                    counts: [0, 1, 0],
                    rulings: BTreeMap::new(),
                },
                TierRow {
                    kind: Reinstatement,
                    tier: Tier::Ordinary,
                    counts: [0, 0, 1],
                    rulings: BTreeMap::new(),
                },
            ]
        );
        assert_eq!(report.rows[0].carried_percent(), 100);
        // Case 3 (a prominent account) came out unlike the two before it.
        assert_eq!(report.departures.len(), 1);
        let departure = &report.departures[0];
        assert_eq!(
            (departure.case, departure.outcome, departure.prevailing),
            (CaseId(3), NotCarried, Carried)
        );
        assert_eq!((departure.prevailing_count, departure.earlier), (2, 2));
    }

    #[test]
    fn distinguishing_an_earlier_decision_is_not_a_departure_and_ties_set_no_precedent() {
        use CaseKind::Content;
        use Outcome::*;
        let mut third = decision(3, Content, Tier::VeryProminent, NotCarried);
        third.precedents.push(Precedent {
            case: CaseId(1),
            relation: Relation::Distinguishes,
            note: "a public office holder's statement".to_owned(),
        });
        let first = report(&[decision(1, Content, Tier::Ordinary, Carried), third.clone()]);
        assert!(first.departures.is_empty());
        assert_eq!(first.distinguished, 1);

        // Following instead of distinguishing does not excuse it.
        third.precedents[0].relation = Relation::Follows;
        assert_eq!(
            report_of(&[decision(1, Content, Tier::Ordinary, Carried), third]),
            1
        );

        // One carried, then one not (which departs): after them no outcome
        // prevails, so the third departs from nothing.
        let tied = report(&[
            decision(1, Content, Tier::Ordinary, Carried),
            decision(2, Content, Tier::Ordinary, NotCarried),
            decision(3, Content, Tier::Prominent, NoDecision),
        ]);
        let departed: Vec<CaseId> = tied.departures.iter().map(|d| d.case).collect();
        assert_eq!(departed, vec![CaseId(2)]);
        // Another kind of case is no precedent.
        assert_eq!(
            report_of(&[
                decision(1, CaseKind::Policy, Tier::Ordinary, Carried),
                decision(2, Content, Tier::Prominent, NotCarried),
            ]),
            0
        );
    }

    #[test]
    fn a_page_keeps_the_latest_departures_newest_first() {
        // Alternating outcomes after a run of "not carried": every carried
        // one departs.
        let decisions: Vec<ClauseDecision> = (1..=20)
            .map(|n| {
                let outcome = if n > 5 && n % 2 == 0 {
                    Outcome::Carried
                } else {
                    Outcome::NotCarried
                };
                decision(n, CaseKind::Content, Tier::Ordinary, outcome)
            })
            .collect();
        let mut full = report(&decisions);
        let all: Vec<CaseId> = full.departures.iter().map(|d| d.case).collect();
        assert!(all.len() > 3, "{all:?}");
        assert_eq!(full.keep_latest_departures(3), all.len());
        let kept: Vec<CaseId> = full.departures.iter().map(|d| d.case).collect();
        let newest: Vec<CaseId> = all.iter().rev().take(3).copied().collect();
        assert_eq!(kept, newest);
        // Fewer than the limit: all of them, still newest first.
        let mut short = report(&decisions[..8]);
        let total = short.departures.len();
        assert_eq!(short.keep_latest_departures(50), total);
        assert_eq!(short.departures.len(), total);
    }

    fn report_of(decisions: &[ClauseDecision]) -> usize {
        report(decisions).departures.len()
    }
}
