//! Cases for members: the list, one case with its history, the clerk's
//! intake form and lifecycle transitions; for admins, the policy catalogue
//! and the platform's intake tokens. The rules are in `domain::cases`.

// The intake form's server function takes one argument per form field (the
// generated client function too).
#![allow(clippy::too_many_arguments, reason = "one argument per form field")]

use crate::error::AppError;
use domain::Timestamp;
use domain::cases::{CaseFields, CaseStatus};
#[cfg(feature = "ssr")]
use domain::cases::{FieldError, FieldProblem, ValueType};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Cases per page of the list.
pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseView {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: u64,
    pub kind: String,
    pub subject_handle: String,
    pub tier: String,
    pub status: CaseStatus,
    pub clauses: Vec<String>,
    pub created_at: Timestamp,
    pub stage_deadline: Option<Timestamp>,
}

#[cfg(feature = "ssr")]
impl From<storage::CaseSummary> for CaseRow {
    fn from(c: storage::CaseSummary) -> Self {
        Self {
            id: c.id.0,
            kind: c.kind.as_str().to_owned(),
            subject_handle: c.subject_handle,
            tier: c.tier.as_str().to_owned(),
            status: c.status,
            clauses: c.clauses.iter().map(|c| c.as_str().to_owned()).collect(),
            created_at: c.created_at,
            stage_deadline: c.stage_deadline,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseList {
    pub cases: Vec<CaseRow>,
    /// The `before` of the next page, if there is one.
    pub next: Option<u64>,
    pub clauses: Vec<ClauseView>,
    /// Whether the signed-in member may record a new case.
    pub may_intake: bool,
    pub now: Timestamp,
}

/// The filters of the case list, as the page's query string carries them
/// (empty: not filtered).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseQuery {
    pub kind: String,
    pub status: String,
    pub clause: String,
    pub tier: String,
    pub q: String,
    pub before: Option<u64>,
}

impl CaseQuery {
    /// The storage filter these filters ask for, pages of `limit`; a clear
    /// error naming the filter that is not understood (`status` named
    /// `status_word`: the public docket calls it the stage).
    #[cfg(feature = "ssr")]
    pub fn to_filter(
        &self,
        limit: u32,
        status_word: &str,
    ) -> Result<storage::CaseFilter, AppError> {
        use domain::cases::{CaseKind, ClauseCode, Tier};
        let invalid = |what: &str| AppError::Invalid(format!("Unknown {what} in the filter."));
        let pick = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_owned());
        Ok(storage::CaseFilter {
            kind: pick(&self.kind)
                .map(|k| CaseKind::parse(&k).ok_or_else(|| invalid("kind")))
                .transpose()?,
            status: pick(&self.status)
                .map(|s| CaseStatus::parse(&s).ok_or_else(|| invalid(status_word)))
                .transpose()?,
            clause: pick(&self.clause)
                .map(|c| ClauseCode::parse(&c).map_err(|_| invalid("clause")))
                .transpose()?,
            tier: pick(&self.tier)
                .map(|t| Tier::parse(&t).ok_or_else(|| invalid("tier")))
                .transpose()?,
            search: pick(&self.q).map(|q| q.chars().take(200).collect()),
            before: self.before.map(domain::cases::CaseId),
            limit,
        })
    }
}

#[server(endpoint = "cases")]
pub async fn get_cases(query: CaseQuery) -> Result<CaseList, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let filter = query.to_filter(PAGE_SIZE, "status")?;
            let storage = ssr::storage()?;
            let page = storage.cases(&filter).await?;
            Ok(CaseList {
                cases: page.cases.into_iter().map(CaseRow::from).collect(),
                next: page.next.map(|id| id.0),
                clauses: clause_views(&storage).await?,
                may_intake: member.role.may(Action::IntakeCases),
                now: storage::now(),
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn clause_views(storage: &storage::SharedStorage) -> Result<Vec<ClauseView>, AppError> {
    Ok(storage
        .clauses()
        .await?
        .into_iter()
        .map(|c| ClauseView {
            code: c.code.as_str().to_owned(),
            title: c.title,
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub from: Option<CaseStatus>,
    pub to: CaseStatus,
    pub actor: String,
    /// Whether the actor is the platform (through the API).
    pub by_platform: bool,
    pub reason: Option<String>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub id: u64,
    pub kind: String,
    pub title: String,
    pub text: Option<String>,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub size: Option<u64>,
    pub sha256: Option<String>,
    pub by: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: u64,
    pub fields: CaseFields,
    pub clause_titles: Vec<ClauseView>,
    pub status: CaseStatus,
    pub stage_entered_at: Timestamp,
    pub stage_deadline: Option<Timestamp>,
    pub created_at: Timestamp,
    pub events: Vec<EventView>,
    /// The stages the signed-in member may move the case to.
    pub moves: Vec<CaseStatus>,
    pub evidence: Vec<EvidenceView>,
    pub now: Timestamp,
}

#[server(endpoint = "case")]
pub async fn get_case(id: u64) -> Result<CaseView, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let storage = ssr::storage()?;
            let case = storage
                .case(domain::cases::CaseId(id))
                .await?
                .ok_or(AppError::NotFound)?;
            let catalogue = clause_views(&storage).await?;
            let evidence = storage
                .evidence(case.id)
                .await?
                .into_iter()
                .map(|e| EvidenceView {
                    id: e.id,
                    kind: e.kind,
                    title: e.title,
                    text: e.body,
                    url: e.url,
                    file_name: e.file_name,
                    size: e.size,
                    sha256: e.sha256.map(|h| domain::hex::encode(&h)),
                    by: e.member_name,
                    at: e.at,
                })
                .collect();
            Ok(CaseView {
                id: case.id.0,
                clause_titles: case
                    .fields
                    .clauses
                    .iter()
                    .map(|code| ClauseView {
                        code: code.as_str().to_owned(),
                        title: catalogue
                            .iter()
                            .find(|c| c.code == code.as_str())
                            .map(|c| c.title.clone())
                            .unwrap_or_default(),
                    })
                    .collect(),
                fields: case.fields,
                status: case.status,
                stage_entered_at: case.stage_entered_at,
                stage_deadline: case.stage_deadline,
                created_at: case.created_at,
                events: case
                    .events
                    .into_iter()
                    .map(|e| EventView {
                        from: e.from,
                        to: e.to,
                        by_platform: matches!(e.actor, storage::Actor::Token(_)),
                        actor: e.actor_name,
                        reason: e.reason,
                        at: e.at,
                    })
                    .collect(),
                moves: case
                    .status
                    .next()
                    .iter()
                    .copied()
                    .filter(|to| to.may_enter(member.role))
                    .collect(),
                evidence,
                now: storage::now(),
            })
        }
        .await,
    )
}

/// The clauses to choose from on the intake form.
#[server(endpoint = "clause_catalogue")]
pub async fn get_clauses() -> Result<Vec<ClauseView>, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            ssr::authorize(Action::ReadCases).await?;
            clause_views(&ssr::storage()?).await
        }
        .await,
    )
}

/// A form's invalid fields, said in the reader's language too.
#[cfg(feature = "ssr")]
fn refused_fields(fields: Vec<FieldError>) -> AppError {
    let shown = crate::i18n::field_errors(crate::i18n::provide_locale(), &fields);
    AppError::invalid_fields(fields, shown)
}

/// The form's label for a field.
pub fn label(field: &str) -> &str {
    crate::i18n::field_label(field).unwrap_or(field)
}

/// The clerk's intake form, as it is sent: every field as typed, checked
/// together by `create_case`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRequest {
    pub kind: String,
    pub subject_handle: String,
    pub subject_link: String,
    pub excerpt: String,
    /// The subject's followers, a whole number (separators allowed).
    pub audience: String,
    pub tier: String,
    pub original_action: String,
    /// Clause codes separated by commas, spaces or lines.
    pub clauses: String,
    pub reason: String,
}

/// The clerk's intake form. Redirects to the new case.
#[server(endpoint = "create_case")]
pub async fn create_case(#[server(flatten)] request: CaseRequest) -> Result<u64, AppError> {
    use super::ssr;
    use domain::cases::CaseDraft;
    use domain::members::Action;
    ssr::finish(
        async {
            let CaseRequest {
                kind,
                subject_handle,
                subject_link,
                excerpt,
                audience,
                tier,
                original_action,
                clauses,
                reason,
            } = request;
            let (_, member) = ssr::authorize(Action::IntakeCases).await?;
            let audience = audience.trim();
            let parsed_audience = audience.replace(['_', ',', ' '], "").parse::<u64>().ok();
            let draft = CaseDraft {
                kind,
                subject_handle,
                subject_link,
                excerpt,
                audience: parsed_audience,
                tier,
                original_action,
                clauses: clauses
                    .split([',', ' ', '\n'])
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect(),
                reason,
            };
            let storage = ssr::storage()?;
            let known: Vec<_> = storage
                .clauses()
                .await?
                .into_iter()
                .map(|c| c.code)
                .collect();
            let mut errors = Vec::new();
            if parsed_audience.is_none() && !audience.is_empty() {
                errors.push(FieldError::new(
                    "audience",
                    FieldProblem::WrongType {
                        expected: ValueType::WholeNumber,
                    },
                ));
            }
            let fields = match draft.validate(&known) {
                Ok(fields) if errors.is_empty() => fields,
                Ok(_) => return Err(refused_fields(errors)),
                Err(found) => {
                    errors.extend(found.into_iter().filter(|e| {
                        !(e.field == "audience"
                            && parsed_audience.is_none()
                            && !audience.is_empty())
                    }));
                    return Err(refused_fields(errors));
                }
            };
            let id = storage
                .create_case(
                    &fields,
                    storage::Actor::Member(member.id),
                    None,
                    storage::now(),
                )
                .await?
                .case();
            tracing::info!(case = %id, member = %member.id, "case recorded");
            leptos_axum::redirect(&format!("/cases/{}", id.0));
            Ok(id.0)
        }
        .await,
    )
}

/// Moves a case to `to` (from the status the member saw, `from`).
#[server(endpoint = "move_case")]
pub async fn move_case(
    case: u64,
    from: String,
    to: String,
    reason: String,
) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let parse = |text: &str| {
                CaseStatus::parse(text.trim())
                    .ok_or_else(|| AppError::Invalid(format!("Unknown case status {text:?}.")))
            };
            let (from, to) = (parse(&from)?, parse(&to)?);
            let storage = ssr::storage()?;
            let current = storage
                .case(domain::cases::CaseId(case))
                .await?
                .ok_or(AppError::NotFound)?;
            if current.status != from {
                return Err(storage::StorageError::CaseMoved.into());
            }
            let reason = match domain::cases::check_transition(from, to, member.role, &reason) {
                Ok(reason) => reason,
                Err(domain::cases::TransitionError::NotAllowed(_)) => {
                    return Err(AppError::Forbidden);
                }
                Err(error) => return Err(AppError::Invalid(sentence(&error.to_string()))),
            };
            storage
                .move_case(
                    &storage::Transition {
                        case: current.id,
                        from,
                        to,
                        by: member.id,
                        reason,
                    },
                    storage::now(),
                )
                .await?;
            tracing::info!(case, member = %member.id, to = %to, "case moved");
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
use crate::error::sentence;

/// What the admin page shows of the catalogue and the intake tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: u64,
    pub name: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilSetup {
    pub clauses: Vec<ClauseView>,
    pub tokens: Vec<TokenView>,
}

#[server(endpoint = "council_setup")]
pub async fn get_council_setup() -> Result<CouncilSetup, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            ssr::authorize(Action::ManageCouncil).await?;
            let storage = ssr::storage()?;
            Ok(CouncilSetup {
                clauses: clause_views(&storage).await?,
                tokens: storage
                    .intake_tokens()
                    .await?
                    .into_iter()
                    .map(|t| TokenView {
                        id: t.id.0,
                        name: t.name,
                        created_at: t.created_at,
                        revoked_at: t.revoked_at,
                    })
                    .collect(),
            })
        }
        .await,
    )
}

/// The longest clause title and token name.
pub const MAX_CLAUSE_TITLE_CHARS: usize = 200;
pub const MAX_TOKEN_NAME_CHARS: usize = 80;

#[cfg(feature = "ssr")]
fn one_line(text: &str, max: usize, what: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max || text.contains(char::is_control) {
        return Err(AppError::Invalid(format!(
            "The {what} must be one line of 1 to {max} characters."
        )));
    }
    Ok(text.to_owned())
}

#[server(endpoint = "add_clause")]
pub async fn add_clause(code: String, title: String) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            ssr::authorize(Action::ManageCouncil).await?;
            let clause = storage::Clause {
                code: domain::cases::ClauseCode::parse(&code)
                    .map_err(|e| AppError::Invalid(sentence(&e)))?,
                title: one_line(&title, MAX_CLAUSE_TITLE_CHARS, "clause title")?,
            };
            if !ssr::storage()?.add_clause(&clause, storage::now()).await? {
                return Err(AppError::Conflict(format!(
                    "The catalogue already has a clause {}.",
                    clause.code
                )));
            }
            Ok(())
        }
        .await,
    )
}

pub use super::members::IssuedToken;

#[server(endpoint = "create_intake_token")]
pub async fn create_intake_token(name: String) -> Result<IssuedToken, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, admin) = ssr::authorize(Action::ManageCouncil).await?;
            let name = one_line(&name, MAX_TOKEN_NAME_CHARS, "token name")?;
            let (token, hash) = ssr::random_token()?;
            let id = ssr::storage()?
                .create_intake_token(&name, &hash, Some(admin.id), storage::now())
                .await?;
            tracing::info!(token = %id, admin = %admin.id, "intake token created");
            let issued = IssuedToken {
                id: id.0,
                name,
                token,
            };
            super::members::show_once(super::members::ShownOnce::Token(issued.clone()))?;
            Ok(issued)
        }
        .await,
    )
}

#[server(endpoint = "revoke_intake_token")]
pub async fn revoke_intake_token(token: u64) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            ssr::authorize(Action::ManageCouncil).await?;
            ssr::storage()?
                .revoke_intake_token(domain::cases::IntakeTokenId(token), storage::now())
                .await?;
            Ok(())
        }
        .await,
    )
}

/// A deadline as people say it: "due in 3 days", "overdue by 2 days".
pub fn countdown(locale: crate::i18n::Locale, deadline: Timestamp, now: Timestamp) -> String {
    use crate::i18n::Locale;
    let seconds = deadline.0 - now.0;
    let days = seconds.abs() / 86_400;
    let hours = (seconds.abs() % 86_400) / 3_600;
    let span = match (locale, days, hours) {
        (Locale::En, 0, 0) => "less than an hour".to_owned(),
        (Locale::En, 0, 1) => "1 hour".to_owned(),
        (Locale::En, 0, h) => format!("{h} hours"),
        (Locale::En, 1, _) => "1 day".to_owned(),
        (Locale::En, d, _) => format!("{d} days"),
        (Locale::Fr, 0, 0) => "moins d'une heure".to_owned(),
        (Locale::Fr, 0, 1) => "1 heure".to_owned(),
        (Locale::Fr, 0, h) => format!("{h} heures"),
        (Locale::Fr, 1, _) => "1 jour".to_owned(),
        (Locale::Fr, d, _) => format!("{d} jours"),
    };
    match (locale, seconds >= 0) {
        (Locale::En, true) => format!("due in {span}"),
        (Locale::En, false) => format!("overdue by {span}"),
        (Locale::Fr, true) => format!("échéance dans {span}"),
        (Locale::Fr, false) => format!("en retard de {span}"),
    }
}

/// When a vote closes, as people say it: "closes in 2 days", "was due to
/// close 1 hour ago" (the closer has not run yet).
pub fn closes_in(locale: crate::i18n::Locale, closes_at: Timestamp, now: Timestamp) -> String {
    use crate::i18n::Locale;
    let due = countdown(locale, closes_at, now);
    let ahead = closes_at.0 >= now.0;
    let span = due
        .trim_start_matches("due in ")
        .trim_start_matches("overdue by ")
        .trim_start_matches("échéance dans ")
        .trim_start_matches("en retard de ");
    match (locale, ahead) {
        (Locale::En, true) => format!("Voting closes in {span}"),
        (Locale::En, false) => format!("Voting was due to close {span} ago"),
        (Locale::Fr, true) => format!("Le vote se clôt dans {span}"),
        (Locale::Fr, false) => format!("Le vote aurait dû se clore il y a {span}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_votes_close_reads_as_a_sentence() {
        use crate::i18n::Locale::{En, Fr};
        let now = Timestamp(1_000_000);
        assert_eq!(
            closes_in(En, Timestamp(now.0 + 2 * 86_400 + 60), now),
            "Voting closes in 2 days"
        );
        assert_eq!(
            closes_in(Fr, Timestamp(now.0 + 2 * 86_400 + 60), now),
            "Le vote se clôt dans 2 jours"
        );
        assert_eq!(
            closes_in(En, Timestamp(now.0 - 3_700), now),
            "Voting was due to close 1 hour ago"
        );
    }

    #[test]
    fn countdowns_read_naturally() {
        use crate::i18n::Locale::{En, Fr};
        let now = Timestamp(1_800_000_000);
        assert_eq!(
            countdown(En, Timestamp(now.0 + 3 * 86_400 + 5), now),
            "due in 3 days"
        );
        assert_eq!(
            countdown(En, Timestamp(now.0 + 7_200), now),
            "due in 2 hours"
        );
        assert_eq!(
            countdown(En, Timestamp(now.0 - 86_400), now),
            "overdue by 1 day"
        );
        assert_eq!(countdown(En, now, now), "due in less than an hour");
        assert_eq!(
            countdown(Fr, Timestamp(now.0 + 3 * 86_400 + 5), now),
            "échéance dans 3 jours"
        );
        assert_eq!(
            countdown(Fr, Timestamp(now.0 - 7_200), now),
            "en retard de 2 heures"
        );
    }
}

/// The signed-in member's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub name: String,
    /// Open cases past their stage's deadline.
    pub overdue: Vec<CaseRow>,
    /// Cases with a motion open for voting whose roll the member is on and
    /// on which they have not voted yet.
    pub voting: Vec<CaseRow>,
    /// Cases accepted or in deliberation the member has not recused from:
    /// time to declare any conflict, before the vote.
    pub deliberating: Vec<CaseRow>,
    /// New escalations to screen (clerks, chairs, admins).
    pub intake: Vec<CaseRow>,
    /// Open cases with comments the member has not read, and how many.
    pub unread: Vec<(CaseRow, u64)>,
    pub now: Timestamp,
}

#[server(endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let storage = ssr::storage()?;
            let now = storage::now();
            let activity = storage.member_activity(member.id, now).await?;
            let recused = |id: u64| activity.recused.iter().any(|c| c.0 == id);
            let mut open = Vec::new();
            for status in [
                CaseStatus::Intake,
                CaseStatus::Accepted,
                CaseStatus::Deliberation,
                CaseStatus::Voting,
            ] {
                let page = storage
                    .cases(&storage::CaseFilter {
                        status: Some(status),
                        limit: 200,
                        ..storage::CaseFilter::default()
                    })
                    .await?;
                open.extend(page.cases.into_iter().map(CaseRow::from));
            }
            open.sort_by_key(|c| c.stage_deadline.map_or(i64::MAX, |d| d.0));
            let pick = |keep: &dyn Fn(&CaseRow) -> bool| -> Vec<CaseRow> {
                open.iter().filter(|c| keep(c)).cloned().collect()
            };
            let screens = member.role.may(Action::IntakeCases);
            Ok(Dashboard {
                name: member.name.to_string(),
                overdue: pick(&|c| c.stage_deadline.is_some_and(|d| d.0 < now.0)),
                voting: pick(&|c| activity.awaiting_vote.iter().any(|v| v.0 == c.id)),
                deliberating: pick(&|c| {
                    matches!(c.status, CaseStatus::Accepted | CaseStatus::Deliberation)
                        && !recused(c.id)
                }),
                intake: if screens {
                    pick(&|c| c.status == CaseStatus::Intake)
                } else {
                    Vec::new()
                },
                unread: activity
                    .unread
                    .iter()
                    .filter_map(|(case, n)| {
                        open.iter()
                            .find(|c| c.id == case.0)
                            .map(|c| (c.clone(), *n))
                    })
                    .collect(),
                now,
            })
        }
        .await,
    )
}
