//! The public record in storage: the decision log's index (filters, search,
//! keyset pagination) and the assembly of one decision's public record
//! ([`domain::public::PublishedDecision`]) from the working tables.

use crate::Storage;
use crate::StorageError;
use crate::cases::case_on;
use crate::decisions::DecisionSummary;
use crate::decisions::answers_on;
use crate::decisions::decision_on;
use crate::decisions::opinions_on;
use crate::deliberation::public_comments_on;
use crate::index::index_decision_in;
use crate::voting::motions_on;
use crate::voting::{CaseVote, case_votes_on};
use crate::{Answer, Case, Motion, Opinion, PublicComment};
use domain::cases::{CaseKind, ClauseCode, Tier};
use domain::decisions::DecisionBody;
use domain::public::{
    PublishedAnswer, PublishedDecision, PublishedMotion, PublishedOpinion, PublishedVote,
};
use domain::statement::MemberId;
use domain::voting::Outcome;
use domain::{Timestamp, decisions::AnswerBody};

/// Which published decisions to list: every filter is optional; `before`
/// continues a list (keyset pagination on the log index, newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionFilter {
    pub kind: Option<CaseKind>,
    pub tier: Option<Tier>,
    /// A policy clause the decision applied.
    pub clause: Option<ClauseCode>,
    /// An outcome of any of its motions.
    pub outcome: Option<Outcome>,
    /// (group, choice): the group's most chosen option on any motion.
    pub group_vote: Option<(String, String)>,
    /// Published at or after.
    pub from: Option<Timestamp>,
    /// Published before.
    pub until: Option<Timestamp>,
    /// Words to find in the subject, excerpt, clauses or rationale: a
    /// decision matches when it holds every word, whole, in any order
    /// (full-text search; [`search_words`] says what a word is).
    pub search: Option<String>,
    /// Only decisions that made recommendations to the platform.
    pub with_recommendations: bool,
    /// The log index of the last decision of the previous page.
    pub before: Option<u64>,
    pub limit: u32,
}

/// A page of the decision log and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionPage {
    pub decisions: Vec<DecisionSummary>,
    pub next: Option<u64>,
}

/// The decision log's filters other than search and the cursor, `NULL`
/// when unused (`$1`–`$7`, `$10`), as a literal for `concat!`.
macro_rules! decision_filters {
    () => {
        "(CAST($1 AS TEXT) IS NULL OR x.kind = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR x.tier = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM decision_tags t \
              WHERE t.tag = $3 AND t.case_id = x.case_id)) \
         AND (CAST($4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM decision_tags t \
              WHERE t.tag = $4 AND t.case_id = x.case_id)) \
         AND (CAST($5 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM decision_tags t \
              WHERE t.tag = $5 AND t.case_id = x.case_id)) \
         AND (CAST($6 AS BIGINT) IS NULL OR x.published_at >= $6) \
         AND (CAST($7 AS BIGINT) IS NULL OR x.published_at < $7) \
         AND (CAST($10 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM decision_tags t \
              WHERE t.tag = $10 AND t.case_id = x.case_id)) "
    };
}

/// The decision log without a search. `$8` is unused (always `NULL`);
/// `$11` is the page size plus one. The cursor is a plain range on
/// `log_index` (no `IS NULL OR`), so the scan starts at the page rather
/// than skipping the decisions before it.
pub(crate) const SELECT_DECISION_LOG: &str = concat!(
    "SELECT d.case_id, c.subject_handle, c.kind, \
     c.tier, d.log_index, d.body, x.ruling FROM decision_index x \
     JOIN decisions d ON d.case_id = x.case_id JOIN cases c ON c.id = x.case_id \
     WHERE CAST($8 AS TEXT) IS NULL AND ",
    decision_filters!(),
    "AND x.log_index < COALESCE(CAST($9 AS BIGINT), 9223372036854775807) \
     ORDER BY x.log_index DESC LIMIT $11"
);

/// The decision log with a search, on SQLite: `$8` is an FTS5 query
/// ([`search_query`]). The walk starts from the full-text index (`CROSS
/// JOIN` keeps it the outer loop), newest match first along its rowid, the
/// log index, and stops after a page: a search that matches nothing reads
/// nothing, one that matches often reads about a page.
pub(crate) const SEARCH_DECISION_LOG_SQLITE: &str = concat!(
    "SELECT d.case_id, c.subject_handle, c.kind, \
     c.tier, d.log_index, d.body, x.ruling FROM decision_search \
     CROSS JOIN decision_index x ON x.log_index = decision_search.rowid \
     JOIN decisions d ON d.case_id = x.case_id JOIN cases c ON c.id = x.case_id \
     WHERE decision_search MATCH $8 \
     AND decision_search.rowid < COALESCE(CAST($9 AS BIGINT), 9223372036854775807) AND ",
    decision_filters!(),
    "ORDER BY decision_search.rowid DESC LIMIT $11"
);

/// The decision log with a search, on PostgreSQL: `$8` is a `tsquery`
/// ([`search_query`]) matched against each decision's stored words
/// (migration 0015), which a GIN index holds.
pub(crate) const SEARCH_DECISION_LOG_POSTGRES: &str = concat!(
    "SELECT d.case_id, c.subject_handle, c.kind, \
     c.tier, d.log_index, d.body, x.ruling FROM decision_index x \
     JOIN decisions d ON d.case_id = x.case_id JOIN cases c ON c.id = x.case_id \
     WHERE x.words @@ to_tsquery('simple', $8) AND ",
    decision_filters!(),
    "AND x.log_index < COALESCE(CAST($9 AS BIGINT), 9223372036854775807) \
     ORDER BY x.log_index DESC LIMIT $11"
);

/// At most this many words of a search count, each cut to at most
/// [`SEARCH_WORD_CHARS`] characters.
pub(crate) const SEARCH_WORDS: usize = 16;
pub(crate) const SEARCH_WORD_CHARS: usize = 64;

/// The words of a search as both full-text indexes cut text: runs of
/// letters and digits, lower-cased; everything else separates words.
pub(crate) fn search_words(search: &str) -> Vec<String> {
    search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(SEARCH_WORDS)
        .map(|w| {
            w.chars()
                .take(SEARCH_WORD_CHARS)
                .collect::<String>()
                .to_lowercase()
        })
        .collect()
}

/// The full-text query of `backend` that finds decisions holding every
/// word, whole. Words are letters and digits only ([`search_words`]), so
/// nothing in them is query syntax. Whole words rather than prefixes: an
/// index walks a common word's decisions one at a time, newest first, and
/// stops after a page, where a prefix has every word that starts with it
/// merged first (SQLite) or every match fetched and sorted (PostgreSQL).
pub(crate) fn search_query(backend: crate::Backend, words: &[String]) -> String {
    match backend {
        crate::Backend::Sqlite => words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" "),
        crate::Backend::Postgres => words.join(" & "),
    }
}

/// Published decisions the index does not hold yet.
pub(crate) const SELECT_UNINDEXED_DECISIONS: &str = "SELECT d.case_id FROM decisions d \
     LEFT JOIN decision_index x ON x.case_id = d.case_id WHERE x.case_id IS NULL \
     ORDER BY d.log_index";

/// Everything the public record of a decision is made of.
pub(crate) struct Parts {
    pub case: Case,
    pub log_index: u64,
    pub decision: DecisionBody,
    pub motions: Vec<Motion>,
    pub votes: Vec<CaseVote>,
    pub opinions: Vec<Opinion>,
    pub answers: Vec<Answer>,
    pub comments: Vec<PublicComment>,
}

/// The public record, from its parts. Motions never opened are left out
/// (they are not part of the decision).
pub(crate) fn assemble(parts: Parts) -> Result<PublishedDecision, crate::StorageError> {
    let Parts {
        case,
        log_index,
        decision,
        motions,
        votes,
        opinions,
        answers,
        comments,
    } = parts;
    let stages = crate::cases::stages_of(&case, None);
    let mut published_motions = Vec::new();
    for motion in motions {
        let (Some((opened_index, opening)), Some((closed_index, closing))) =
            (motion.opened, motion.closed)
        else {
            continue;
        };
        let group_of = |member: MemberId| {
            opening
                .roll
                .iter()
                .find(|r| r.member == member)
                .map(|r| r.group.clone())
                .unwrap_or_default()
        };
        let of_motion: Vec<&CaseVote> = votes.iter().filter(|v| v.motion == motion.id).collect();
        let mut published_votes = Vec::with_capacity(of_motion.len());
        for vote in &of_motion {
            let signed = domain::statement::SignedStatement::from_entry(&vote.entry)
                .map_err(|_| crate::StorageError::Corrupt("vote: entry".to_owned()))?;
            let last = of_motion
                .iter()
                .filter(|v| v.member == vote.member)
                .map(|v| v.sequence)
                .max();
            published_votes.push(PublishedVote {
                member: vote.member,
                member_name: vote.member_name.clone(),
                group: group_of(vote.member),
                sequence: vote.sequence,
                choice: vote.choice.clone(),
                reason: vote.reason.clone(),
                signature: domain::hex::encode(&signed.signature),
                log_index: vote.log_index,
                revealed_index: vote.revealed_index,
                cast_at: vote.cast_at.0,
                counted: last == Some(vote.sequence),
            });
        }
        published_motions.push(PublishedMotion {
            id: motion.id,
            opened_index,
            opening,
            closed_index,
            closing,
            votes: published_votes,
        });
    }
    Ok(PublishedDecision {
        case: case.id,
        log_index,
        fields: case.fields,
        stages,
        motions: published_motions,
        opinions: opinions
            .into_iter()
            .map(|o| PublishedOpinion {
                log_index: o.log_index,
                member: o.member,
                member_name: o.member_name,
                body: o.body,
            })
            .collect(),
        decision,
        answers: answers
            .into_iter()
            .map(|a| PublishedAnswer {
                log_index: a.log_index,
                body: AnswerBody {
                    recommendation: a.recommendation,
                    status: a.status,
                    text: a.text,
                    answered_at: a.answered_at.0,
                },
            })
            .collect(),
        comments: crate::deliberation::published_comments(comments),
    })
}

/// The decisions carrying tag `$1`, in log order, as the consistency
/// report reads them; `$cond` narrows them.
macro_rules! select_clause_decisions {
    ($cond:literal) => {
        concat!(
            "SELECT i.case_id, i.log_index, i.published_at, \
             i.kind, i.tier, c.subject_handle, d.body, i.ruling FROM decision_tags t \
             JOIN decision_index i ON i.case_id = t.case_id \
             JOIN decisions d ON d.case_id = t.case_id \
             JOIN cases c ON c.id = t.case_id \
             WHERE t.tag = $1",
            $cond,
            " ORDER BY i.log_index"
        )
    };
}
pub(crate) const SELECT_CLAUSE_DECISIONS: &str = select_clause_decisions!("");
/// Those after log index `$2`: the ones a kept report lacks.
pub(crate) const SELECT_CLAUSE_DECISIONS_AFTER: &str =
    select_clause_decisions!(" AND i.log_index > $2");

/// The clause tags' counts, kept as decisions are indexed: `tag_counts`
/// has a row per distinct tag (clauses, outcomes, groups' choices), however
/// many decisions there are.
pub(crate) const SELECT_CLAUSE_COUNTS: &str = "SELECT tag, decisions FROM tag_counts \
     WHERE tag LIKE 'clause:%' ORDER BY tag";

/// A published decision under a clause (`SELECT_CLAUSE_DECISIONS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ClauseDecisionRow {
    pub case_id: i64,
    pub log_index: i64,
    pub published_at: i64,
    pub kind: String,
    pub tier: String,
    pub subject_handle: String,
    pub body: String,
    pub ruling: Option<String>,
}

/// A row of [`SELECT_CLAUSE_DECISIONS`] as the consistency report reads it.
pub(crate) fn clause_decision(
    row: ClauseDecisionRow,
) -> Result<domain::consistency::ClauseDecision, crate::StorageError> {
    let case = row.case_id;
    let corrupt =
        |what: &str| crate::StorageError::Corrupt(format!("decision of case {case}: {what}"));
    let body: DecisionBody = serde_json::from_str(&row.body).map_err(|_| corrupt("body"))?;
    Ok(domain::consistency::ClauseDecision {
        case: domain::cases::CaseId(case as u64),
        log_index: row.log_index as u64,
        published_at: row.published_at,
        kind: CaseKind::parse(&row.kind).ok_or_else(|| corrupt("kind"))?,
        tier: Tier::parse(&row.tier).ok_or_else(|| corrupt("tier"))?,
        subject: row.subject_handle,
        outcome: domain::consistency::headline(&body.motions),
        ruling: crate::decisions::ruling_of(row.ruling.as_deref())?,
        precedents: body.record.precedents,
    })
}

impl crate::db::Store {
    /// Indexes every published decision the index lacks (decisions
    /// published before the index existed); idempotent.
    pub(crate) async fn index_decisions(&self) -> Result<u64, crate::StorageError> {
        let cases: Vec<i64> = sqlx::query_scalar(crate::public::SELECT_UNINDEXED_DECISIONS)
            .fetch_all(self.reader())
            .await?;
        let mut indexed = 0;
        for case in cases {
            let mut tx = self.begin_write().await?;
            let row: Option<(i64, String)> = sqlx::query_as(crate::decisions::SELECT_DECISION)
                .bind(case)
                .fetch_optional(&mut *tx)
                .await?;
            let present: Option<i64> =
                sqlx::query_scalar("SELECT case_id FROM decision_index WHERE case_id = $1")
                    .bind(case)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let (Some((index, body)), None) = (row, present) {
                let body: domain::decisions::DecisionBody = serde_json::from_str(&body)
                    .map_err(|_| crate::StorageError::Corrupt("decision: body".to_owned()))?;
                let case = domain::cases::CaseId(case as u64);
                let rationale = crate::decisions::majority_rationale_in(&mut tx, case).await?;
                index_decision_in(&mut tx, case, index as u64, &body, &rationale).await?;
                indexed += 1;
            }
            tx.commit().await?;
        }
        if indexed > 0 {
            // The tags' counts, over the index as it now stands (a row
            // removed from the index behind the app's back was still
            // counted).
            let mut tx = self.begin_write().await?;
            sqlx::raw_sql(crate::public::RECOUNT_TAGS)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(indexed)
    }
}

/// Every tag's count, from the tags themselves (after re-indexing).
pub(crate) const RECOUNT_TAGS: &str = "DELETE FROM tag_counts; \
     INSERT INTO tag_counts (tag, decisions) SELECT tag, COUNT(*) FROM decision_tags GROUP BY tag;";

/// The public record: the decision log, its index and the consistency reports.
#[async_trait::async_trait]
pub trait PublicStore: Send + Sync {
    /// The latest published decisions, newest first.
    async fn recent_decisions(&self, limit: u32) -> Result<Vec<DecisionSummary>, StorageError>;

    /// A page of the public decision log, newest first (see
    /// [`DecisionFilter`]).
    async fn decision_log(&self, filter: &DecisionFilter) -> Result<DecisionPage, StorageError>;

    /// Every published decision that applied the clause `code`, in log
    /// order, as the consistency report reads them.
    async fn clause_decisions(
        &self,
        code: &domain::cases::ClauseCode,
    ) -> Result<Vec<domain::consistency::ClauseDecision>, StorageError>;

    /// The consistency report of the clause `code` with the decisions it
    /// folds, made once per decision published under the clause and kept
    /// until the next (a request reads one count to know it is current).
    async fn clause_report(
        &self,
        code: &domain::cases::ClauseCode,
    ) -> Result<std::sync::Arc<ClauseReport>, StorageError>;

    /// How many published decisions applied each clause, by code (clauses
    /// no decision applied are left out).
    async fn clause_decision_counts(&self) -> Result<Vec<(String, u64)>, StorageError>;

    /// Every vote on the motions of `case` (replaced ones too), by motion
    /// then in the order cast, with the signed entries. Secret while a
    /// motion is sealed: only for published decisions.
    async fn case_votes(&self, case: domain::cases::CaseId) -> Result<Vec<CaseVote>, StorageError>;

    /// The public record of the published decision of `case`: the case,
    /// its stages, every motion with its tally and votes, the signed
    /// opinions, the platform's answers and the approved public comments.
    /// `None` until the decision is published.
    async fn published_decision(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Option<domain::public::PublishedDecision>, StorageError>;
}

/// A clause's consistency report and the decisions it folds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseReport {
    /// Every published decision that applied the clause, in log order.
    pub decisions: Vec<domain::consistency::ClauseDecision>,
    pub report: domain::consistency::ConsistencyReport,
}

/// How many decisions carry tag `$1`.
pub(crate) const SELECT_TAG_COUNT: &str = "SELECT decisions FROM tag_counts WHERE tag = $1";

#[async_trait::async_trait]
impl PublicStore for crate::db::Store {
    async fn clause_report(
        &self,
        code: &domain::cases::ClauseCode,
    ) -> Result<std::sync::Arc<ClauseReport>, crate::StorageError> {
        let tag = crate::index::clause_tag(code);
        let count: Option<i64> = sqlx::query_scalar(crate::public::SELECT_TAG_COUNT)
            .bind(&tag)
            .fetch_optional(self.reader())
            .await?;
        let count = crate::db_u64(count.unwrap_or(0));
        if let Some(kept) = self.clause_reports.get(code.as_str(), count) {
            return Ok(kept);
        }
        // A decision once indexed stays as it is, and later ones come
        // after it in the log: the kept report's decisions plus those after
        // its last are every decision, unless the count says otherwise
        // (then every decision is read again).
        let decisions = match self.clause_reports.latest(code.as_str()) {
            Some(kept) if (kept.decisions.len() as u64) < count => {
                let after = kept
                    .decisions
                    .last()
                    .map_or(-1, |d| crate::db_int(d.log_index));
                let rows: Vec<crate::public::ClauseDecisionRow> =
                    sqlx::query_as(crate::public::SELECT_CLAUSE_DECISIONS_AFTER)
                        .bind(&tag)
                        .bind(after)
                        .fetch_all(self.reader())
                        .await?;
                let mut decisions = kept.decisions.clone();
                for row in rows {
                    decisions.push(crate::public::clause_decision(row)?);
                }
                if decisions.len() as u64 == count {
                    decisions
                } else {
                    self.clause_decisions(code).await?
                }
            }
            _ => self.clause_decisions(code).await?,
        };
        let report = domain::consistency::report(&decisions);
        let made = std::sync::Arc::new(ClauseReport { decisions, report });
        self.clause_reports.insert(code.as_str(), made.clone());
        Ok(made)
    }

    async fn clause_decisions(
        &self,
        code: &domain::cases::ClauseCode,
    ) -> Result<Vec<domain::consistency::ClauseDecision>, crate::StorageError> {
        let rows: Vec<crate::public::ClauseDecisionRow> =
            sqlx::query_as(crate::public::SELECT_CLAUSE_DECISIONS)
                .bind(crate::index::clause_tag(code))
                .fetch_all(self.reader())
                .await?;
        rows.into_iter()
            .map(crate::public::clause_decision)
            .collect()
    }

    async fn clause_decision_counts(&self) -> Result<Vec<(String, u64)>, crate::StorageError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(crate::public::SELECT_CLAUSE_COUNTS)
            .fetch_all(self.reader())
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(tag, n)| {
                tag.strip_prefix("clause:")
                    .map(|code| (code.to_owned(), n as u64))
            })
            .collect())
    }

    async fn published_decision(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Option<domain::public::PublishedDecision>, crate::StorageError> {
        // One connection for the record's nine small queries: a pooled
        // query each would check a connection out and back in nine
        // times, each a hand-off to SQLite's worker thread.
        let mut conn = self.reader().acquire().await?;
        let Some(decision) = decision_on(&mut conn, case).await? else {
            return Ok(None);
        };
        let Some(record) = case_on(&mut conn, case).await? else {
            return Ok(None);
        };
        crate::public::assemble(crate::public::Parts {
            case: record,
            log_index: decision.log_index,
            decision: decision.body,
            motions: motions_on(&mut conn, case).await?,
            votes: case_votes_on(&mut conn, case).await?,
            opinions: opinions_on(&mut conn, case).await?,
            answers: answers_on(&mut conn, case).await?,
            comments: public_comments_on(&mut conn, case).await?,
        })
        .map(Some)
    }

    async fn recent_decisions(
        &self,
        limit: u32,
    ) -> Result<Vec<crate::DecisionSummary>, crate::StorageError> {
        let rows: Vec<crate::decisions::SummaryRow> =
            sqlx::query_as(crate::decisions::SELECT_RECENT_DECISIONS)
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await?;
        rows.into_iter().map(crate::decisions::summary).collect()
    }

    async fn decision_log(
        &self,
        filter: &crate::DecisionFilter,
    ) -> Result<crate::DecisionPage, crate::StorageError> {
        let limit = filter.limit.clamp(1, 200);
        let words = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(crate::public::search_words);
        let (sql, search) = match words {
            None => (crate::public::SELECT_DECISION_LOG, None),
            // A search with no word in it (only punctuation) finds nothing.
            Some(words) if words.is_empty() => {
                return Ok(crate::DecisionPage {
                    decisions: Vec::new(),
                    next: None,
                });
            }
            Some(words) => (
                match self.backend() {
                    crate::Backend::Sqlite => crate::public::SEARCH_DECISION_LOG_SQLITE,
                    crate::Backend::Postgres => crate::public::SEARCH_DECISION_LOG_POSTGRES,
                },
                Some(crate::public::search_query(self.backend(), &words)),
            ),
        };
        let mut rows: Vec<crate::decisions::SummaryRow> = sqlx::query_as(sql)
            .bind(filter.kind.map(|k| k.as_str()))
            .bind(filter.tier.map(|t| t.as_str()))
            .bind(filter.clause.as_ref().map(crate::clause_tag))
            .bind(filter.outcome.map(crate::outcome_tag))
            .bind(
                filter
                    .group_vote
                    .as_ref()
                    .map(|(g, c)| crate::group_tag(g, c)),
            )
            .bind(filter.from.map(|t| t.0))
            .bind(filter.until.map(|t| t.0))
            .bind(search)
            .bind(filter.before.map(crate::db_int))
            .bind(
                filter
                    .with_recommendations
                    .then_some(crate::index::RECOMMENDATIONS_TAG),
            )
            .bind(i64::from(limit) + 1)
            .fetch_all(self.reader())
            .await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let decisions: Vec<crate::DecisionSummary> = rows
            .into_iter()
            .map(crate::decisions::summary)
            .collect::<Result<_, _>>()?;
        let next = if more {
            decisions.last().map(|d| d.log_index)
        } else {
            None
        };
        Ok(crate::DecisionPage { decisions, next })
    }

    async fn case_votes(
        &self,
        case: domain::cases::CaseId,
    ) -> Result<Vec<crate::CaseVote>, crate::StorageError> {
        case_votes_on(&mut *self.reader().acquire().await?, case).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_cut_into_words_of_letters_and_digits_and_nothing_else() {
        assert_eq!(
            search_words("  COUNTER-speech @harbour_news, example.org/x \"HS-2\" (100%) Décision "),
            [
                "counter",
                "speech",
                "harbour",
                "news",
                "example",
                "org",
                "x",
                "hs",
                "2",
                "100",
                "décision"
            ]
        );
        assert!(
            search_words("%_*\"' -- :: <script>")
                .iter()
                .all(|w| w == "script")
        );
        assert!(search_words("%%% ***").is_empty());
        let long = "w ".repeat(40) + &"a".repeat(500);
        let words = search_words(&long);
        assert_eq!(words.len(), SEARCH_WORDS);
        assert!(search_words(&"a".repeat(500))[0].chars().count() == SEARCH_WORD_CHARS);
    }

    #[test]
    fn search_queries_ask_for_every_word_whole_in_each_backends_syntax() {
        let words = search_words("harbour news");
        assert_eq!(
            search_query(crate::Backend::Sqlite, &words),
            "\"harbour\" \"news\""
        );
        assert_eq!(
            search_query(crate::Backend::Postgres, &words),
            "harbour & news"
        );
    }
}
