//! Panels: the chair may give a case a panel, a subset of the council that
//! decides it. A panel must include at least one eligible member of every
//! group that has one (so no constituency is shut out) and no recused
//! member. It is a `panel-assignment` statement in the log (signed by the
//! chair's own key); motions opened afterwards have the panel,
//! minus later recusals, as their roll, which verifiers check.

use crate::LogOrigin;
use crate::statement::{CaseId, MemberId, Statement, StatementKind, Subject};
use crate::voting::RollMember;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The body of a `panel-assignment` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelBody {
    /// The panel, ascending by member id.
    pub members: Vec<MemberId>,
    /// The chair who assigned it.
    pub by: MemberId,
}

impl PanelBody {
    /// The panel `members` (in any order, once each) assigned by the chair `by`.
    pub fn new(members: &[MemberId], by: MemberId) -> Self {
        let mut members = members.to_vec();
        members.sort();
        members.dedup();
        Self { members, by }
    }
}

/// The `panel-assignment` statement (signed by the chair it names).
pub fn panel_statement(origin: &LogOrigin, case: CaseId, body: &PanelBody) -> Statement {
    Statement {
        kind: StatementKind::PanelAssignment,
        origin: origin.clone(),
        subject: Subject {
            case: Some(case),
            ..Subject::default()
        },
        body: serde_json::to_value(body).unwrap_or_default(),
    }
}

/// A proposed panel of (about) `size` members drawn from `eligible` (the
/// eligible roll: active voting members with a key, minus recusals): first
/// one member of each group, then more, group after group, until `size` is
/// reached; within a group, by member id. Never fewer than one per group.
pub fn propose_panel(eligible: &[RollMember], size: usize) -> Vec<MemberId> {
    let mut groups: BTreeMap<&str, Vec<MemberId>> = BTreeMap::new();
    for m in eligible {
        groups.entry(m.group.as_str()).or_default().push(m.member);
    }
    for members in groups.values_mut() {
        members.sort();
    }
    let target = size.max(groups.len()).min(eligible.len());
    let mut chosen = BTreeSet::new();
    let mut round = 0;
    while chosen.len() < target {
        let mut added = false;
        for members in groups.values() {
            if chosen.len() >= target && round > 0 {
                break;
            }
            if let Some(member) = members.get(round) {
                chosen.insert(*member);
                added = true;
            }
        }
        if !added {
            break;
        }
        round += 1;
    }
    chosen.into_iter().collect()
}

/// Checks a panel against the eligible roll at its assignment: every member
/// eligible (so none recused), no one twice, and every group with an
/// eligible member represented. Returns the panel, ascending.
pub fn check_panel(panel: &[MemberId], eligible: &[RollMember]) -> Result<Vec<MemberId>, String> {
    let members: BTreeSet<MemberId> = panel.iter().copied().collect();
    if members.len() != panel.len() {
        return Err("A member is named twice on the panel.".to_owned());
    }
    if members.is_empty() {
        return Err("A panel needs members.".to_owned());
    }
    if let Some(outside) = members
        .iter()
        .find(|m| !eligible.iter().any(|e| e.member == **m))
    {
        return Err(format!(
            "Member {outside} cannot sit on this panel: not an active voting member with a key, or recused."
        ));
    }
    let missing: Vec<&str> = eligible
        .iter()
        .map(|e| e.group.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|group| {
            !eligible
                .iter()
                .any(|e| e.group == *group && members.contains(&e.member))
        })
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "The panel must include a member of every group; missing: {}.",
            missing.join(", ")
        ));
    }
    Ok(members.into_iter().collect())
}

/// The roll of a motion opened now on a case with `panel` (if any): the
/// eligible roll, restricted to the panel.
pub fn panel_roll(eligible: Vec<RollMember>, panel: Option<&[MemberId]>) -> Vec<RollMember> {
    match panel {
        Some(panel) => eligible
            .into_iter()
            .filter(|m| panel.contains(&m.member))
            .collect(),
        None => eligible,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roll() -> Vec<RollMember> {
        [
            (1, "Civil Rights Coalition"),
            (2, "Free Expression Alliance"),
            (3, "Trust & Safety"),
            (4, "Independent Experts"),
            (5, "Civil Rights Coalition"),
            (6, "Free Expression Alliance"),
            (7, "Civil Rights Coalition"),
        ]
        .into_iter()
        .map(|(m, g)| RollMember {
            member: MemberId(m),
            group: g.to_owned(),
        })
        .collect()
    }

    fn ids(list: &[u64]) -> Vec<MemberId> {
        list.iter().copied().map(MemberId).collect()
    }

    #[test]
    fn a_proposal_covers_every_group_first() {
        assert_eq!(propose_panel(&roll(), 4), ids(&[1, 2, 3, 4]));
        assert_eq!(
            propose_panel(&roll(), 2),
            ids(&[1, 2, 3, 4]),
            "never fewer than one per group"
        );
        assert_eq!(propose_panel(&roll(), 6), ids(&[1, 2, 3, 4, 5, 6]));
        assert_eq!(propose_panel(&roll(), 50), ids(&[1, 2, 3, 4, 5, 6, 7]));
        for size in 0..10 {
            let proposal = propose_panel(&roll(), size);
            assert_eq!(
                check_panel(&proposal, &roll()),
                Ok(proposal.clone()),
                "size {size}"
            );
        }
    }

    #[test]
    fn a_panel_must_cover_every_group_and_hold_no_ineligible_member() {
        assert!(
            check_panel(&ids(&[1, 2, 3]), &roll())
                .unwrap_err()
                .contains("Independent Experts")
        );
        assert!(
            check_panel(&ids(&[1, 2, 3, 4, 9]), &roll())
                .unwrap_err()
                .contains("Member 9")
        );
        assert!(check_panel(&ids(&[1, 2, 3, 4, 4]), &roll()).is_err());
        assert!(check_panel(&[], &roll()).is_err());
        assert_eq!(
            check_panel(&ids(&[4, 3, 2, 5]), &roll()),
            Ok(ids(&[2, 3, 4, 5]))
        );
        let restricted = panel_roll(roll(), Some(&ids(&[2, 3, 4, 5])));
        assert_eq!(restricted.len(), 4);
        assert_eq!(panel_roll(roll(), None).len(), 7);
    }
}
