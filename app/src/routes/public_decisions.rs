//! The public record: the decision log (`/decisions`, filters in the query
//! string so it works without JavaScript) and a decision's page
//! (`/decisions/{id}`) with its tallies drawn, every vote and opinion, and a
//! "Verify" button that re-checks the page against the log in WebAssembly.

use crate::components::charts::{TallyChart, Timeline};
use crate::error::AppError;
use crate::functions::council::DecisionSummaryView;
use crate::functions::public::{
    DecisionLogView, DecisionQuery, Finality, PublicDecisionView, TrackerView, get_decision_log,
    get_public_decision, get_recommendations,
};
use crate::i18n::{self, Locale, t, use_locale};
use crate::routes::voting::TallyTable;
use domain::cases::{CaseKind, Tier};
use domain::decisions::{AnswerStatus, OpinionKind, Relation};
use domain::public::{CheckLine, Finding, PublishedDecision, PublishedMotion};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Sets the HTTP status of a failed page (on the server).
fn failed(error: AppError) -> AnyView {
    crate::error::set_page_status(&error);
    let message = match &error {
        AppError::NotFound => "There is no published decision here.".to_owned(),
        other => other.to_string(),
    };
    view! {
        <p class="notice" role="alert" data-error-code=error.code().to_owned()>{message}</p>
    }
    .into_any()
}

#[component]
pub fn DecisionLogPage() -> impl IntoView {
    let query = use_query_map();
    let current = move || {
        let q = query.read();
        let get = |key: &str| q.get(key).unwrap_or_default();
        DecisionQuery {
            kind: get("kind"),
            tier: get("tier"),
            clause: get("clause"),
            outcome: get("outcome"),
            group: get("group"),
            choice: get("choice"),
            from: get("from"),
            until: get("until"),
            q: get("q"),
            before: q.get("before").and_then(|b| b.parse().ok()),
        }
    };
    let list = Resource::new(current, get_decision_log);
    let locale = use_locale();
    view! {
        <Title text=t(locale, "Decision log") />
        <section aria-labelledby="decisions-title" id="decision-log-page">
            <h1 id="decisions-title">{t(locale, "Decision log")}</h1>
            <p class="lead">
                {t(locale, "Every decision the council has published, newest first, with how each group voted. ")}
                {t(locale, "Also as ")} <a href=feed_address(locale, "atom")>"Atom"</a> {t(locale, " and ")} <a href=feed_address(locale, "json")>"JSON Feed"</a> {t(locale, "; ")}
                {t(locale, "the platform's answers to the council's recommendations are tracked ")} <a href="/recommendations">{t(locale, "here")}</a> "."
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the decisions…")}</p> }>
                {move || Suspend::new(async move {
                    let query = current();
                    match list.await {
                        Ok(list) => view! { <DecisionList list query /> }.into_any(),
                        Err(error) => view! {
                            <FilterForm query groups=vec![] clauses=vec![] />
                            {failed(error)}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The `<option>`s of a filter, `selected` chosen.
pub(crate) fn options(values: &[(String, String)], selected: &str) -> Vec<AnyView> {
    values
        .iter()
        .map(|(value, text)| {
            let chosen = value == selected;
            view! { <option value=value.clone() selected=chosen>{text.clone()}</option> }.into_any()
        })
        .collect()
}

/// The decisions' feed (`atom` or `json`) in the reader's language.
fn feed_address(locale: Locale, format: &str) -> String {
    match locale {
        Locale::En => format!("/decisions.{format}"),
        Locale::Fr => format!("/decisions.{format}?lang=fr"),
    }
}

/// A filter's values after its "any" choice (the empty value).
pub(crate) fn with_any(
    any: &str,
    values: impl IntoIterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), any.to_owned()))
        .chain(values)
        .collect()
}

/// A kind-of-case filter's choices, "any kind" first.
pub(crate) fn kind_choices(locale: Locale) -> Vec<(String, String)> {
    with_any(
        t(locale, "Any kind"),
        CaseKind::ALL.iter().map(|k| {
            (
                k.as_str().to_owned(),
                i18n::kind_name(locale, *k).to_owned(),
            )
        }),
    )
}

/// A prominence filter's choices, "any tier" first.
pub(crate) fn tier_choices(locale: Locale) -> Vec<(String, String)> {
    with_any(
        t(locale, "Any tier"),
        Tier::ALL.iter().map(|tier| {
            (
                tier.as_str().to_owned(),
                i18n::tier_name(locale, *tier).to_owned(),
            )
        }),
    )
}

/// A clause filter's choices (code and title), "any clause" first.
pub(crate) fn clause_choices(
    locale: Locale,
    clauses: Vec<crate::functions::cases::ClauseView>,
) -> Vec<(String, String)> {
    with_any(
        t(locale, "Any clause"),
        clauses
            .into_iter()
            .map(|c| (c.code.clone(), format!("{} {}", c.code, c.title))),
    )
}

#[component]
fn FilterForm(
    query: DecisionQuery,
    groups: Vec<String>,
    clauses: Vec<crate::functions::cases::ClauseView>,
) -> impl IntoView {
    let locale = use_locale();
    let kinds = kind_choices(locale);
    let tiers = tier_choices(locale);
    let outcomes = with_any(
        t(locale, "Any outcome"),
        [
            ("carried", "carried"),
            ("not-carried", "not carried"),
            ("no-decision", "no decision"),
        ]
        .map(|(v, text)| (v.to_owned(), t(locale, text).to_owned())),
    );
    let groups = with_any(
        t(locale, "Any group"),
        groups.into_iter().map(|g| (g.clone(), g)),
    );
    let choices = with_any(
        t(locale, "Any vote"),
        ["support", "oppose", "abstain"].map(|c| (c.to_owned(), i18n::mostly(locale, c))),
    );
    let clauses = clause_choices(locale, clauses);
    let filtered = query.is_filtered();
    view! {
        <form method="get" action="/decisions" class="inline filters" role="search" aria-label=t(locale, "Filter the decisions")>
            <label for="filter-q">{t(locale, "Search")}</label>
            <input id="filter-q" type="search" name="q" value=query.q.clone() maxlength="200" />
            <label for="filter-kind">{t(locale, "Kind")}</label>
            <select id="filter-kind" name="kind">{options(&kinds, &query.kind)}</select>
            <label for="filter-clause">{t(locale, "Clause")}</label>
            <select id="filter-clause" name="clause">{options(&clauses, &query.clause)}</select>
            <label for="filter-outcome">{t(locale, "Outcome")}</label>
            <select id="filter-outcome" name="outcome">{options(&outcomes, &query.outcome)}</select>
            <label for="filter-tier">{t(locale, "Prominence")}</label>
            <select id="filter-tier" name="tier">{options(&tiers, &query.tier)}</select>
            <label for="filter-group">{t(locale, "Group")}</label>
            <select id="filter-group" name="group">{options(&groups, &query.group)}</select>
            <label for="filter-choice">{t(locale, "voted")}</label>
            <select id="filter-choice" name="choice">{options(&choices, &query.choice)}</select>
            <label for="filter-from">{t(locale, "From")}</label>
            <input id="filter-from" type="date" name="from" value=query.from.clone() />
            <label for="filter-until">{t(locale, "Until")}</label>
            <input id="filter-until" type="date" name="until" value=query.until.clone() />
            <button type="submit">{t(locale, "Filter")}</button>
            {filtered.then(|| view! { <a href="/decisions">{t(locale, "Clear")}</a> })}
        </form>
    }
}

#[component]
fn DecisionList(list: DecisionLogView, query: DecisionQuery) -> impl IntoView {
    let locale = use_locale();
    let filtered = query.is_filtered();
    let next_href = list.next.map(|before| {
        let filters = query.to_query_string();
        if filters.is_empty() {
            format!("/decisions?before={before}")
        } else {
            format!("/decisions?{filters}&before={before}")
        }
    });
    let first_page = query.before.is_none();
    view! {
        <FilterForm query=query.clone() groups=list.groups clauses=list.clauses />
        {if list.decisions.is_empty() {
            view! {
                <div class="empty-state" role="status">
                    <p class="empty-title">
                        {t(locale, if filtered { "No decision matches these filters." } else { "No decisions have been published yet." })}
                    </p>
                </div>
            }.into_any()
        } else {
            view! {
                <ol class="decisions" id="decision-results">
                    {list.decisions.into_iter().map(|d| view! { <DecisionItem d /> }).collect_view()}
                </ol>
            }.into_any()
        }}
        <nav class="pager" aria-label=t(locale, "Pages of the decision log")>
            {(!first_page).then(|| {
                let filters = query.to_query_string();
                let href = if filters.is_empty() { "/decisions".to_owned() } else { format!("/decisions?{filters}") };
                view! { <a href=href>{t(locale, "Newest decisions")}</a> }
            })}
            {next_href.map(|href| view! { <a href=href rel="next" id="next-page">{t(locale, "Older decisions")}</a> })}
        </nav>
    }
}

/// One decision in a list (the log, the home page).
#[component]
pub fn DecisionItem(d: DecisionSummaryView) -> impl IntoView {
    let locale = use_locale();
    let kind =
        CaseKind::parse(&d.kind).map_or(d.kind.clone(), |k| i18n::kind_name(locale, k).to_owned());
    let tier = Tier::parse(&d.tier).map_or(d.tier.replace('_', " "), |k| {
        i18n::tier_name(locale, k).to_owned()
    });
    let outcomes: Vec<&str> = d
        .outcomes
        .iter()
        .map(|o| t(locale, i18n::outcome_text(o)))
        .collect();
    view! {
        <li class="decision-summary" data-case=d.case>
            <p>
                <a href=format!("/decisions/{}", d.case)><strong>{d.subject_handle}</strong></a>
                {format!(" · {kind} · {tier} · {}", i18n::case_label(locale, d.case))}
            </p>
            {d.ruling.map(|r| view! {
                <p class="ruling"><strong>{i18n::ruling_label(locale)} {i18n::ruling_name(locale, r)}</strong></p>
            })}
            <p>
                {format!("{}{}", t(locale, "Outcome: "), outcomes.join(", "))}
                {(!d.clauses.is_empty()).then(|| format!("{}{}", t(locale, " · clauses "), d.clauses.join(", ")))}
                {i18n::signed_opinions(locale, d.opinions)}
            </p>
            <p class="muted">
                {t(locale, "Published ")} <time datetime=d.published_at.to_rfc3339()>{locale.date(d.published_at.date())}</time>
                {t(locale, " in ")} <a href=format!("/log/entry/{}", d.log_index)>{i18n::log_entry(locale, d.log_index)}</a>
            </p>
        </li>
    }
}

#[component]
pub fn PublicDecisionPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let case = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<u64>().ok())
    };
    let record = Resource::new(case, |case| async move {
        match case {
            Some(case) => get_public_decision(case).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the decision…")}</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(view) => view! { <DecisionRecord view /> }.into_any(),
                    Err(error) => view! { <Title text=t(locale, "Decision not found") /> {failed(error)} }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn outcome_words(locale: Locale, motion: &PublishedMotion) -> String {
    use domain::voting::Outcome;
    let tally = &motion.closing.tally;
    match tally.outcome {
        Outcome::Carried => format!(
            "{}{}",
            t(locale, "Carried: "),
            tally.leading.clone().unwrap_or_default()
        ),
        Outcome::NotCarried => t(locale, "Not carried").to_owned(),
        Outcome::NoDecision => t(locale, "No decision").to_owned(),
    }
}

#[component]
fn DecisionRecord(view: PublicDecisionView) -> impl IntoView {
    let PublicDecisionView {
        record,
        origin,
        now,
        finality,
    } = view;
    // The island is handed the record as the JSON it came in: it is read
    // only by the verifier, which the browser loads when Verify is pressed.
    let shown = serde_json::to_string(&record).unwrap_or_default();
    let origin_text = origin.as_str().to_owned();
    let PublishedDecision {
        case,
        log_index,
        fields,
        stages,
        motions,
        opinions,
        decision,
        answers,
        comments,
    } = record;
    let locale = use_locale();
    let published = domain::Timestamp(decision.published_at);
    let title = format!("{}{}", t(locale, "Decision on "), fields.subject_handle);
    let rationale: Vec<_> = opinions
        .iter()
        .filter(|o| o.body.opinion == OpinionKind::Majority)
        .cloned()
        .collect();
    let separate: Vec<_> = opinions
        .iter()
        .filter(|o| o.body.opinion != OpinionKind::Majority)
        .cloned()
        .collect();
    let late_days: i64 = stages.iter().map(|s| s.days_late).max().unwrap_or(0);
    // How the case ended in plain words, recomputed from the openings'
    // stated effects and the decision's outcomes (protocol §6c).
    let ruling = domain::consistency::ruling(
        &decision
            .motions
            .iter()
            .map(|o| {
                let effect = motions
                    .iter()
                    .find(|m| m.id == o.motion)
                    .and_then(|m| m.opening.effect);
                (effect, o.outcome)
            })
            .collect::<Vec<_>>(),
    );
    view! {
        <Title text=title />
        <article id="public-decision" data-case=case.0>
            <header>
                <p class="eyebrow">{format!("{} · {}", t(locale, "Decision"), i18n::case_label(locale, case.0))}</p>
                <h1>{fields.subject_handle.clone()}</h1>
                <p class="lead">
                    {i18n::case_lead(
                        locale,
                        fields.kind,
                        fields.tier,
                        fields.audience,
                        i18n::action_name(locale, fields.original_action),
                    )}
                </p>
                {ruling.map(|r| view! {
                    <p class="ruling" id="ruling" data-ruling=r.as_str()><strong>{i18n::ruling_label(locale)} {i18n::ruling_name(locale, r)}</strong></p>
                })}
                <ul class="outcomes">
                    {motions.iter().map(|m| view! {
                        <li class="outcome" data-outcome=m.closing.tally.outcome.as_str()>
                            <strong>{format!("{} {}{}{}", t(locale, "Motion"), m.id.0, i18n::colon(locale), outcome_words(locale, m))}</strong>
                            {m.opening.effect.map(|e| format!(" ({}{})", i18n::if_carried(locale), i18n::effect_name(locale, e)))}
                        </li>
                    }).collect_view()}
                </ul>
                <p class="muted">
                    {t(locale, "Published ")} <time datetime=published.to_rfc3339()>{locale.date(published.date())}</time>
                    {t(locale, " in ")} <a href=format!("/log/entry/{log_index}")>{i18n::log_entry(locale, log_index)}</a>
                    {(late_days > 0).then(|| view! {
                        " · " <span class="overdue" id="lateness">{i18n::late(locale, late_days)}</span>
                    })}
                </p>
                <FinalityLine finality />
            </header>

            <section aria-labelledby="case-title">
                <h2 id="case-title">{t(locale, "The case")}</h2>
                <p class="prose">{fields.reason.clone()}</p>
                {fields.excerpt.clone().map(|e| view! { <blockquote class="excerpt">{e}</blockquote> })}
                {fields.subject_link.clone().map(|l| view! {
                    <p><a href=l.clone() rel="noopener noreferrer nofollow">{l.clone()}</a></p>
                })}
                {(!fields.clauses.is_empty()).then(|| view! {
                    <p>{t(locale, "Policy clauses at stake: ")}
                        {fields.clauses.iter().enumerate().map(|(i, c)| view! {
                            {(i > 0).then_some(", ")}
                            <a href=format!("/clauses/{}", crate::url_encode(c.as_str()))>{c.as_str().to_owned()}</a>
                        }).collect_view()}
                    </p>
                })}
            </section>

            <section aria-labelledby="timeline-title">
                <h2 id="timeline-title">{t(locale, "Timeline")}</h2>
                <Timeline stages />
            </section>

            <section aria-labelledby="motions-title">
                <h2 id="motions-title">{t(locale, "Motions and votes")}</h2>
                {motions.into_iter().map(|m| view! { <MotionRecord m /> }).collect_view()}
            </section>

            <section aria-labelledby="rationale-title" id="rationale">
                <h2 id="rationale-title">{t(locale, "The majority's rationale")}</h2>
                {rationale.into_iter().next().map(|o| {
                    let authors = o.body.authors.len();
                    view! {
                        <div class="prose">{o.body.text.clone()}</div>
                        <p class="muted">{i18n::signed_by_authors(locale, authors.max(1), o.log_index)}</p>
                    }
                })}
                {decision.record.clauses.is_empty().not_then(|| view! {
                    <p>{t(locale, "Clauses applied: ")} {decision.record.clauses.iter().map(|c| c.as_str().to_owned()).collect::<Vec<_>>().join(", ")}</p>
                })}
            </section>

            <section aria-labelledby="opinions-title" id="separate-opinions">
                <h2 id="opinions-title">{t(locale, "Dissents and concurrences")}</h2>
                {if separate.is_empty() {
                    view! { <p class="empty-state">{t(locale, "No member wrote a separate opinion.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="comments">
                            {separate.into_iter().map(|o| view! {
                                <li class="comment" data-opinion=o.body.opinion.as_str()>
                                    <p class="comment-meta">
                                        <strong>{o.member_name.clone()}</strong>
                                        {format!(" · {} · {}", t(locale, o.body.opinion.as_str()), i18n::log_entry(locale, o.log_index))}
                                    </p>
                                    <div class="prose">{o.body.text.clone()}</div>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>

            <section aria-labelledby="comments-title" id="public-comments">
                <h2 id="comments-title">{t(locale, "Public comments")}</h2>
                {if comments.is_empty() {
                    view! { <p class="empty-state">{t(locale, "No public comment was published with this case.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="comments">
                            {comments.into_iter().map(|c| view! {
                                <li class="comment">
                                    <p class="comment-meta">
                                        <strong>{c.name.clone()}</strong>
                                        {c.affiliation.clone().map(|a| format!(" · {a}"))}
                                    </p>
                                    <div class="prose">{c.text.clone()}</div>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>

            <section aria-labelledby="precedents-title">
                <h2 id="precedents-title">{t(locale, "Precedents")}</h2>
                {if decision.record.precedents.is_empty() {
                    view! { <p class="empty-state">{t(locale, "This decision cites no earlier decision.")}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {decision.record.precedents.iter().map(|p| view! {
                                <li>
                                    {t(locale, match p.relation { Relation::Follows => "Follows ", Relation::Distinguishes => "Distinguishes " })}
                                    <a href=format!("/decisions/{}", p.case.0)>{format!("{}{}", t(locale, "the decision on "), i18n::case_label(locale, p.case.0))}</a>
                                    {(!p.note.is_empty()).then(|| format!(": {}", p.note))}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>

            <section aria-labelledby="recommendations-title" id="recommendations">
                <h2 id="recommendations-title">{t(locale, "Recommendations to the platform")}</h2>
                {if decision.record.recommendations.is_empty() {
                    view! { <p class="empty-state">{t(locale, "No recommendation.")}</p> }.into_any()
                } else {
                    let due = decision.answers_due.map(domain::Timestamp);
                    view! {
                        <ol>
                            {(1u32..).zip(decision.record.recommendations.clone()).map(|(n, text)| {
                                let mine: Vec<_> = answers.iter().filter(|a| a.body.recommendation == n).cloned().collect();
                                let overdue = mine.is_empty() && due.is_some_and(|d| d.0 < now.0);
                                view! {
                                    <li data-recommendation=n>
                                        <p>{text}</p>
                                        {if mine.is_empty() {
                                            view! {
                                                <p class:overdue=overdue>
                                                    {match (overdue, due) {
                                                        (true, Some(d)) => format!("{}{}.", t(locale, "No answer yet: it was due on "), locale.date(d.date())),
                                                        (false, Some(d)) => format!("{}{}.", t(locale, "Answer due by "), locale.date(d.date())),
                                                        _ => t(locale, "No answer yet.").to_owned(),
                                                    }}
                                                </p>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <ul>
                                                    {mine.into_iter().map(|a| view! {
                                                        <li>
                                                            <strong>{t(locale, answer_label(a.body.status))}</strong>
                                                            {format!(" ({}, {}){}{}", locale.date(domain::Timestamp(a.body.answered_at).date()), i18n::log_entry(locale, a.log_index), i18n::colon(locale), a.body.text)}
                                                        </li>
                                                    }).collect_view()}
                                                </ul>
                                            }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>

            <VerifyDecision shown origin=origin_text><VerifyExplained /></VerifyDecision>
        </article>
    }
}

/// `bool::then` for the empty case, read aloud.
trait NotThen {
    fn not_then<T>(self, f: impl FnOnce() -> T) -> Option<T>;
}

impl NotThen for bool {
    fn not_then<T>(self, f: impl FnOnce() -> T) -> Option<T> {
        (!self).then(f)
    }
}

fn answer_label(status: AnswerStatus) -> &'static str {
    match status {
        AnswerStatus::Implemented => "Implemented",
        AnswerStatus::Partly => "Partly implemented",
        AnswerStatus::Declined => "Declined",
        AnswerStatus::Assessing => "Assessing",
    }
}

#[component]
fn MotionRecord(m: PublishedMotion) -> impl IntoView {
    let locale = use_locale();
    let id = m.id.0;
    let tally = m.closing.tally.clone();
    let rules = m.opening.rules.describe();
    view! {
        <section class="motion" aria-labelledby=format!("motion-{id}-title") id=format!("motion-{id}")>
            <h3 id=format!("motion-{id}-title")>{format!("{} {id} ({}){}{}", t(locale, "Motion"), t(locale, m.opening.kind.as_str()), i18n::colon(locale), outcome_words(locale, &m))}</h3>
            <p class="prose">{m.opening.text.clone()}</p>
            <p class="muted">{format!("{} {rules}", i18n::motion_entries(locale, m.opened_index, m.closed_index, m.opening.rules.version))}</p>
            <TallyChart tally=tally.clone() id=format!("tally-{id}") />
            <TallyTable tally />
            <div class="table-scroll" tabindex="0"><table class="votes">
                <caption>{i18n::every_vote(locale, id)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(locale, "Member")}</th>
                        <th scope="col">{t(locale, "Group")}</th>
                        <th scope="col">{t(locale, "Vote")}</th>
                        <th scope="col">{t(locale, "Reason")}</th>
                        <th scope="col">{t(locale, "Log entry")}</th>
                        <th scope="col">{t(locale, "Signature")}</th>
                    </tr>
                </thead>
                <tbody>
                    {m.votes.into_iter().map(|v| {
                        let entry = v.vote_index();
                        view! {
                            <tr class:replaced=!v.counted data-entry=entry>
                                <th scope="row">{v.member_name.clone()}</th>
                                <td>{v.group.clone()}</td>
                                <td>
                                    {crate::i18n::choice_word(locale, &v.choice)}
                                    {(!v.counted).then(|| view! { <span class="muted">{t(locale, " (replaced)")}</span> })}
                                </td>
                                <td>{v.reason.clone().unwrap_or_default()}</td>
                                <td>
                                    <a href=format!("/log/entry/{entry}")>{entry}</a>
                                    {v.revealed_index.map(|_| crate::i18n::commitment_entry(locale, v.log_index))}
                                </td>
                                <td>
                                    <details class="signature">
                                        <summary><code>{format!("{}…", v.signature.chars().take(12).collect::<String>())}</code></summary>
                                        <code>{v.signature.clone()}</code>
                                    </details>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
    }
}

/// Re-checks this page against the log, in this browser: fetches the whole
/// log, verifies it with the code of `tribune verify`, then compares every
/// vote, opinion, tally and the decision shown with it. An island: the only
/// part of the public record compiled to WebAssembly; the verifier itself is
/// a part of the bundle of its own, loaded when Verify is pressed.
#[island]
fn VerifyDecision(shown: String, origin: String, children: Children) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let check = Action::new(move |(): &()| {
        let (shown, origin) = (shown.clone(), origin.clone());
        verify_decision(origin, shown)
    });
    let running = check.pending();
    view! {
        <section aria-labelledby="verify-title" id="verify-decision" class="verify">
            {children()}
            <div hidden=move || !hydrated.get()>
                <button
                    type="button"
                    id="verify-button"
                    disabled=move || running.get()
                    on:click=move |_| {
                        check.dispatch(());
                    }
                >
                    {move || t(locale, if running.get() { "Verifying…" } else { "Verify" })}
                </button>
            </div>
            <div role="status" aria-live="polite" id="verify-result">
                {move || check.value().get().map(|result| match result {
                    Ok(lines) => {
                        let failed = lines.iter().filter(|l| !l.ok).count();
                        let total = lines.len();
                        view! {
                            <p class=if failed == 0 { "success" } else { "error" } id="verify-summary">
                                {i18n::verify_summary(locale, failed, total)}
                            </p>
                            <ol class="check-lines">
                                {lines.into_iter().map(|l| view! {
                                    <li class=if l.ok { "check-ok" } else { "check-failed" }>
                                        <span aria-hidden="true">{if l.ok { "✓ " } else { "✗ " }}</span>
                                        <span class="visually-hidden">{t(locale, if l.ok { "Passed: " } else { "Failed: " })}</span>
                                        {i18n::finding(locale, &l)}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                    Err(problem) => view! {
                        <p class="error" id="verify-summary">{format!("{}{}", t(locale, "Verification failed: "), i18n::message(locale, &problem))}</p>
                    }.into_any(),
                })}
            </div>
        </section>
    }
}

/// What Verify checks, on the server only (the children of [`VerifyDecision`]).
#[component]
fn VerifyExplained() -> impl IntoView {
    let locale = use_locale();
    view! {
        <h2 id="verify-title">{t(locale, "Verify this decision")}</h2>
        <p>
            {t(locale, "This page is what the server says. The button below checks it against the council's signed log, here in your browser, with the same code as the ")}
            <code>"tribune verify"</code>
            {t(locale, " command: every signature, that each signer held a valid key at that point, each tally recomputed from the votes, that no vote or opinion is left off the page, and that the decision is included in the latest signed checkpoint.")}
        </p>
    }
}

/// Fetches the log chunk by chunk, verifies it, and checks the decision
/// `shown` (its JSON) against it; keeps only the entries the check reads
/// (the decision, its votes, opinions and answers). Lazy: in the browser this and
/// the whole verifier are a WebAssembly module of their own, fetched the
/// first time it runs (`cargo leptos build --split`).
#[lazy]
async fn verify_decision(origin: String, shown: String) -> Result<Vec<CheckLine>, String> {
    use crate::functions::council::{CopyError, check_log_streamed};
    let origin = domain::LogOrigin::parse(&origin).map_err(|e| e.to_string())?;
    let shown: PublishedDecision = serde_json::from_str(&shown).map_err(|e| e.to_string())?;
    let keep = domain::public::entries_read(&shown);
    let checked = match check_log_streamed(&origin, &keep, |_, _| {}).await {
        Ok(Some(checked)) => checked,
        Ok(None) => return Err("The log is empty.".to_owned()),
        Err(CopyError::Log(error)) => {
            return Ok(vec![CheckLine::new(
                false,
                error.index(),
                Finding::LogFailed {
                    problem: error.to_string(),
                },
            )]);
        }
        Err(error) => return Err(error.to_string()),
    };
    let summary = &checked.summary;
    let mut lines = vec![CheckLine::new(
        true,
        None,
        Finding::LogVerified {
            entries: summary.entries,
            signer: checked.key_name.clone(),
        },
    )];
    lines.extend(domain::public::check_published(
        summary,
        &checked.kept,
        Some(&checked.leaves),
        &shown,
    ));
    Ok(lines)
}

/// The recommendations tracker (`/recommendations`): every recommendation the
/// council made, with the platform's latest answer, or how long it is overdue.
#[component]
pub fn RecommendationsPage() -> impl IntoView {
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|b| b.parse::<u64>().ok())
    };
    let tracker = Resource::new(before, get_recommendations);
    let locale = use_locale();
    view! {
        <Title text=t(locale, "Recommendations") />
        <section aria-labelledby="recommendations-title" id="recommendations-tracker">
            <h1 id="recommendations-title">{t(locale, "Recommendations to the platform")}</h1>
            <p class="lead">
                {t(locale, "Each decision may recommend changes to the platform, which must answer within 60 days: implemented, partly, declined, or still assessing. Every answer is an entry in the public log.")}
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the recommendations…")}</p> }>
                {move || Suspend::new(async move {
                    match tracker.await {
                        Ok(view) => view! { <Tracker view first=before().is_none() /> }.into_any(),
                        Err(error) => failed(error),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Tracker(view: TrackerView, first: bool) -> impl IntoView {
    let locale = use_locale();
    let TrackerView {
        decisions,
        next,
        now,
    } = view;
    if decisions.is_empty() && first {
        return view! {
            <div class="empty-state" role="status">
                <p class="empty-title">{t(locale, "No decision has made a recommendation yet.")}</p>
            </div>
        }
        .into_any();
    }
    view! {
        <ul class="tracker">
            {decisions.into_iter().map(|d| {
                let due = d.answers_due;
                view! {
                    <li class="tracked" data-case=d.case>
                        <h2>
                            <a href=format!("/decisions/{}", d.case)>{format!("{}{}{}", i18n::capitalised(&i18n::case_label(locale, d.case)), i18n::colon(locale), d.subject_handle)}</a>
                        </h2>
                        <p class="muted">
                            {t(locale, "Published ")} <time datetime=d.published_at.to_rfc3339()>{locale.date(d.published_at.date())}</time>
                            {due.map(|due| format!("{}{}", t(locale, " · answers due "), locale.date(due.date())))}
                        </p>
                        <ol>
                            {d.recommendations.into_iter().map(|r| {
                                let standing = r.answers.last().cloned();
                                let overdue = standing.is_none() && due.is_some_and(|due| due.0 < now.0);
                                view! {
                                    <li data-recommendation=r.number>
                                        <p>{r.text}</p>
                                        <p class:overdue=overdue class="standing">
                                            {match (standing, due) {
                                                (Some(a), _) => format!(
                                                    "{} — {} ({}, {})",
                                                    t(locale, answer_label(a.status)),
                                                    a.text,
                                                    locale.date(a.at.date()),
                                                    i18n::log_entry(locale, a.log_index)
                                                ),
                                                (None, Some(due)) if overdue => format!("{}{}.", t(locale, "Overdue: no answer; it was due on "), locale.date(due.date())),
                                                (None, Some(due)) => format!("{}{}.", t(locale, "Awaiting an answer, due by "), locale.date(due.date())),
                                                (None, None) => t(locale, "Awaiting an answer.").to_owned(),
                                            }}
                                        </p>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    </li>
                }
            }).collect_view()}
        </ul>
        <nav class="pager" aria-label=t(locale, "Pages of the recommendations")>
            {(!first).then(|| view! { <a href="/recommendations">{t(locale, "Newest")}</a> })}
            {next.map(|before| view! { <a href=format!("/recommendations?before={before}") rel="next">{t(locale, "Older decisions")}</a> })}
        </nav>
    }
    .into_any()
}

/// Whether the decision is final: its log entry is covered by a checkpoint
/// that the witnesses of the council's policy cosigned.
#[component]
fn FinalityLine(finality: Finality) -> impl IntoView {
    let locale = use_locale();
    match finality {
        Finality::NoPolicy => view! {
            <p class="finality muted" id="finality" data-final="false">
                {t(locale, "The council names no witnesses: nobody outside it has cosigned the log that holds this decision.")}
            </p>
        }
        .into_any(),
        Finality::Pending { quorum, witnesses } => view! {
            <p class="finality muted" id="finality" data-final="false">
                {i18n::pending_finality(locale, quorum, witnesses)}
                " " <a href="/log/witnesses">{t(locale, "Witness policy")}</a>
            </p>
        }
        .into_any(),
        Finality::Final { size, witnesses } => view! {
            <p class="finality" id="finality" data-final="true">
                <strong>{t(locale, "Final")}</strong>
                {i18n::final_checkpoint(locale, size, &witnesses.join(", "))}
                " " <a href="/log/witnesses">{t(locale, "Witness policy")}</a>
            </p>
        }
        .into_any(),
    }
}
