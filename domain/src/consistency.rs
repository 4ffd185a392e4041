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
use crate::voting::Outcome;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// The clause's consistency report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyReport {
    /// One row per kind and tier that has decisions, by kind then tier.
    pub rows: Vec<TierRow>,
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

    let mut rows: BTreeMap<(CaseKind, Tier), [u32; 3]> = BTreeMap::new();
    // Per kind: the outcomes so far, and which cases had which.
    let mut so_far: BTreeMap<CaseKind, Earlier> = BTreeMap::new();
    let mut report = ConsistencyReport::default();
    for d in sorted {
        rows.entry((d.kind, d.tier)).or_default()[position(d.outcome)] += 1;
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
        .map(|((kind, tier), counts)| TierRow { kind, tier, counts })
        .collect();
    report
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
            precedents: Vec::new(),
        }
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
                    counts: [2, 0, 0]
                },
                TierRow {
                    kind: Content,
                    tier: Tier::Prominent,
                    counts: [0, 1, 0]
                },
                TierRow {
                    kind: Reinstatement,
                    tier: Tier::Ordinary,
                    counts: [0, 0, 1]
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
