//! The decision index: each published decision's row and filter tags,
//! written in the transaction that publishes it, which the decision log's
//! filters and search read.

use domain::cases::ClauseCode;
use domain::decisions::DecisionBody;
use domain::voting::{Outcome, Tally};

/// What the index needs of a case.
pub(crate) const SELECT_CASE_FOR_INDEX: &str = "SELECT kind, tier, subject_handle, \
     COALESCE(excerpt, '') AS excerpt FROM cases WHERE id = $1";

/// What the index needs of a case (`SELECT_CASE_FOR_INDEX`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CaseForIndexRow {
    pub kind: String,
    pub tier: String,
    pub subject_handle: String,
    pub excerpt: String,
}

pub(crate) const INSERT_DECISION_INDEX: &str = "INSERT INTO decision_index (case_id, \
     log_index, published_at, kind, tier, search, ruling) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub(crate) const INSERT_DECISION_TAG: &str =
    "INSERT INTO decision_tags (tag, case_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";

/// One more decision with tag `$1` (migration 0018).
pub(crate) const COUNT_DECISION_TAG: &str = "INSERT INTO tag_counts (tag, decisions) \
     VALUES ($1, 1) ON CONFLICT (tag) DO UPDATE SET decisions = tag_counts.decisions + 1";

/// The tag of a clause filter.
pub fn clause_tag(clause: &ClauseCode) -> String {
    format!("clause:{}", clause.as_str())
}

/// The tag of an outcome filter.
pub fn outcome_tag(outcome: Outcome) -> String {
    format!("outcome:{}", outcome_name(outcome))
}

/// An outcome as URLs and tags spell it.
pub fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Carried => "carried",
        Outcome::NotCarried => "not-carried",
        Outcome::NoDecision => "no-decision",
    }
}

/// The tag of a group-vote filter.
pub fn group_tag(group: &str, choice: &str) -> String {
    format!("group:{group}:{choice}")
}

/// The tag of decisions that made recommendations.
pub const RECOMMENDATIONS_TAG: &str = "recommendations";

/// The filter tags of a decision with these motion tallies.
pub(crate) fn tags(body: &DecisionBody, tallies: &[Tally]) -> Vec<String> {
    let mut tags: Vec<String> = body.record.clauses.iter().map(clause_tag).collect();
    if !body.record.recommendations.is_empty() {
        tags.push(RECOMMENDATIONS_TAG.to_owned());
    }
    tags.extend(body.motions.iter().map(|m| outcome_tag(m.outcome)));
    for tally in tallies {
        for group in &tally.groups {
            let most = group.counts.values().copied().max().unwrap_or(0);
            let leaders: Vec<&String> = group
                .counts
                .iter()
                .filter(|(_, n)| **n == most)
                .map(|(c, _)| c)
                .collect();
            if let [choice] = leaders.as_slice()
                && most > 0
            {
                tags.push(group_tag(&group.group, choice));
            }
        }
    }
    tags.sort();
    tags.dedup();
    tags
}

/// The words the decision log's search looks at, lower-cased.
pub(crate) fn search_text(
    handle: &str,
    excerpt: &str,
    body: &DecisionBody,
    rationale: &str,
) -> String {
    let clauses: Vec<&str> = body.record.clauses.iter().map(|c| c.as_str()).collect();
    format!("{handle}\n{excerpt}\n{}\n{rationale}", clauses.join(" ")).to_lowercase()
}

/// Writes the index row and filter tags of the published decision
/// of `case`, whose majority rationale is `rationale` (in the transaction
/// that publishes it, or when filling the index for older decisions).
pub(crate) async fn index_decision_in(
    tx: &mut crate::db::Tx,
    case: domain::cases::CaseId,
    log_index: u64,
    body: &domain::decisions::DecisionBody,
    rationale: &str,
) -> Result<(), crate::StorageError> {
    let case_row: crate::index::CaseForIndexRow =
        sqlx::query_as(crate::index::SELECT_CASE_FOR_INDEX)
            .bind(crate::db_int(case.0))
            .fetch_one(&mut **tx)
            .await?;
    let rows: Vec<crate::voting::MotionRow> = sqlx::query_as(crate::voting::SELECT_MOTIONS_OF_CASE)
        .bind(crate::db_int(case.0))
        .fetch_all(&mut **tx)
        .await?;
    let mut tallies = Vec::with_capacity(rows.len());
    let mut effects = std::collections::BTreeMap::new();
    for row in rows {
        let motion = crate::voting::motion(row)?;
        if let Some((_, opening)) = &motion.opened {
            effects.insert(motion.id, opening.effect);
        }
        if let Some((_, closing)) = motion.closed {
            tallies.push(closing.tally);
        }
    }
    let ruling = domain::consistency::ruling(
        &body
            .motions
            .iter()
            .map(|m| (effects.get(&m.motion).copied().flatten(), m.outcome))
            .collect::<Vec<_>>(),
    );
    sqlx::query(crate::index::INSERT_DECISION_INDEX)
        .bind(crate::db_int(case.0))
        .bind(crate::db_int(log_index))
        .bind(body.published_at)
        .bind(case_row.kind)
        .bind(case_row.tier)
        .bind(crate::index::search_text(
            &case_row.subject_handle,
            &case_row.excerpt,
            body,
            rationale,
        ))
        .bind(ruling.map(domain::consistency::Ruling::as_str))
        .execute(&mut **tx)
        .await?;
    for tag in crate::index::tags(body, &tallies) {
        let added = sqlx::query(crate::index::INSERT_DECISION_TAG)
            .bind(&tag)
            .bind(crate::db_int(case.0))
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if added == 1 {
            sqlx::query(crate::index::COUNT_DECISION_TAG)
                .bind(&tag)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_clauses_outcomes_and_each_groups_leading_choice() {
        let tally: Tally = serde_json::from_value(serde_json::json!({
            "eligible": 4, "voted": 4,
            "counts": {"support": 3, "oppose": 1, "abstain": 0},
            "groups": [
                {"group": "Trust & Safety", "eligible": 2, "voted": 2,
                 "counts": {"support": 2, "oppose": 0, "abstain": 0}, "bridged": true},
                {"group": "Free Expression Alliance", "eligible": 2, "voted": 2,
                 "counts": {"support": 1, "oppose": 1, "abstain": 0}, "bridged": true}
            ],
            "quorum_needed": 3, "quorum_met": true, "leading": "support",
            "supports_needed": 3, "threshold_met": true, "bridging_met": true,
            "outcome": "carried"
        }))
        .unwrap();
        let body: DecisionBody = serde_json::from_value(serde_json::json!({
            "motions": [{"motion": 1, "outcome": "carried"}],
            "votes": [], "opinions": [], "clauses": ["HS-2"], "precedents": [],
            "recommendations": [], "published_at": 0, "by": 1
        }))
        .unwrap();
        assert_eq!(
            tags(&body, &[tally]),
            vec![
                "clause:HS-2".to_owned(),
                "group:Trust & Safety:support".to_owned(),
                "outcome:carried".to_owned(),
            ]
        );
    }
}
