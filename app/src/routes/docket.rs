//! The public docket (`/docket`, filters in the query string so it works
//! without JavaScript) and each case's docket page (`/docket/{id}`): every
//! escalation from the day it arrives, its stage against its deadline, and
//! each move with who made it and why, up to its end.

use crate::components::charts::Timeline;
use crate::error::AppError;
use crate::functions::cases::ClauseView;
use crate::functions::docket::{
    DocketCaseView, DocketEntry, DocketQuery, DocketView, get_docket, get_docket_case,
};
use crate::i18n::{self, Locale, t, use_locale};
use crate::routes::public_decisions::{
    clause_choices, kind_choices, options, tier_choices, with_any,
};
use domain::cases::{CaseKind, CaseStatus, Tier};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The notice of a page that failed, with its HTTP status (on the server).
fn failed(locale: Locale, error: AppError) -> AnyView {
    crate::error::set_page_status(&error);
    let message = match &error {
        AppError::NotFound => t(locale, "There is no case with this number.").to_owned(),
        other => other.to_string(),
    };
    view! {
        <p class="notice" role="alert" data-error-code=error.code().to_owned()>{message}</p>
    }
    .into_any()
}

#[component]
pub fn DocketPage() -> impl IntoView {
    let query = use_query_map();
    let current = move || {
        let q = query.read();
        let get = |key: &str| q.get(key).unwrap_or_default();
        DocketQuery {
            kind: get("kind"),
            stage: get("stage"),
            tier: get("tier"),
            clause: get("clause"),
            before: q.get("before").and_then(|b| b.parse().ok()),
        }
    };
    let list = Resource::new(current, get_docket);
    let locale = use_locale();
    view! {
        <Title text=t(locale, "Docket") />
        <section aria-labelledby="docket-title" id="docket-page">
            <h1 id="docket-title">{t(locale, "Docket")}</h1>
            <p class="lead">
                {t(locale, "Every case the platform has escalated, newest first, from the day it arrived: its stage, its deadline, and each move with its reason, whether it ends in a decision or not. Private individuals are not named.")}
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the docket…")}</p> }>
                {move || Suspend::new(async move {
                    let query = current();
                    match list.await {
                        Ok(list) => view! { <DocketList list query /> }.into_any(),
                        Err(error) => view! {
                            <DocketFilters query clauses=vec![] />
                            {failed(locale, error)}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DocketFilters(query: DocketQuery, clauses: Vec<ClauseView>) -> impl IntoView {
    let locale = use_locale();
    let kinds = kind_choices(locale);
    let stages = with_any(
        t(locale, "Any stage"),
        CaseStatus::ALL.iter().map(|s| {
            (
                s.as_str().to_owned(),
                i18n::status_name(locale, *s).to_owned(),
            )
        }),
    );
    let tiers = tier_choices(locale);
    let clauses = clause_choices(locale, clauses);
    let filtered = query.is_filtered();
    view! {
        <form method="get" action="/docket" class="inline filters" role="search" aria-label=t(locale, "Filter the docket")>
            <label for="docket-kind">{t(locale, "Kind")}</label>
            <select id="docket-kind" name="kind">{options(&kinds, &query.kind)}</select>
            <label for="docket-stage">{t(locale, "Stage")}</label>
            <select id="docket-stage" name="stage">{options(&stages, &query.stage)}</select>
            <label for="docket-tier">{t(locale, "Prominence")}</label>
            <select id="docket-tier" name="tier">{options(&tiers, &query.tier)}</select>
            <label for="docket-clause">{t(locale, "Clause")}</label>
            <select id="docket-clause" name="clause">{options(&clauses, &query.clause)}</select>
            <button type="submit">{t(locale, "Filter")}</button>
            {filtered.then(|| view! { <a href="/docket">{t(locale, "Clear")}</a> })}
        </form>
    }
}

#[component]
fn DocketList(list: DocketView, query: DocketQuery) -> impl IntoView {
    let locale = use_locale();
    let filters = query.to_query_string();
    let with_filters = |extra: Option<String>| {
        let parts: Vec<String> = [Some(filters.clone()).filter(|f| !f.is_empty()), extra]
            .into_iter()
            .flatten()
            .collect();
        if parts.is_empty() {
            "/docket".to_owned()
        } else {
            format!("/docket?{}", parts.join("&"))
        }
    };
    let next_href = list
        .next
        .map(|before| with_filters(Some(format!("before={before}"))));
    let newest_href = query.before.is_some().then(|| with_filters(None));
    let filtered = query.is_filtered();
    view! {
        <DocketFilters query=query.clone() clauses=list.clauses />
        {if list.entries.is_empty() {
            view! {
                <div class="empty-state" role="status">
                    <p class="empty-title">
                        {t(locale, if filtered { "No case matches these filters." } else { "No case has been escalated yet." })}
                    </p>
                </div>
            }.into_any()
        } else {
            view! {
                <ol class="docket" id="docket-results">
                    {list.entries.into_iter().map(|entry| view! { <DocketLine entry /> }).collect_view()}
                </ol>
            }.into_any()
        }}
        <nav class="pager" aria-label=t(locale, "Pages of the docket")>
            {newest_href.map(|href| view! { <a href=href>{t(locale, "Newest cases")}</a> })}
            {next_href.map(|href| view! { <a href=href rel="next" id="next-page">{t(locale, "Older cases")}</a> })}
        </nav>
    }
}

/// The subject as the docket may show it.
fn subject(locale: Locale, entry: &DocketEntry) -> String {
    entry
        .subject
        .clone()
        .unwrap_or_else(|| t(locale, "a private account (not named)").to_owned())
}

fn kind_text(locale: Locale, kind: &str) -> String {
    CaseKind::parse(kind).map_or(kind.to_owned(), |k| i18n::kind_name(locale, k).to_owned())
}

fn tier_text(locale: Locale, tier: &str) -> String {
    Tier::parse(tier).map_or(tier.replace('_', " "), |k| {
        i18n::tier_name(locale, k).to_owned()
    })
}

fn stage_text(locale: Locale, stage: &str) -> String {
    CaseStatus::parse(stage).map_or(stage.to_owned(), |s| {
        i18n::status_name(locale, s).to_owned()
    })
}

/// The deadline line: due when, or how late it is.
fn deadline_text(locale: Locale, entry: &DocketEntry) -> Option<AnyView> {
    let deadline = entry.deadline?;
    let date = locale.date(deadline.date());
    Some(if entry.days_late > 0 {
        view! {
            <span class="late">
                {i18n::days_past_deadline(locale, entry.days_late)} " ("
                <time datetime=deadline.to_rfc3339()>{date}</time> ")"
            </span>
        }
        .into_any()
    } else {
        view! {
            <span>
                {t(locale, "due by ")} <time datetime=deadline.to_rfc3339()>{date}</time>
            </span>
        }
        .into_any()
    })
}

#[component]
fn DocketLine(entry: DocketEntry) -> impl IntoView {
    let locale = use_locale();
    let heading = format!(
        "{} · {}",
        i18n::case_label(locale, entry.case),
        subject(locale, &entry)
    );
    let facts = format!(
        "{} · {} · {}{}",
        kind_text(locale, &entry.kind),
        tier_text(locale, &entry.tier),
        stage_text(locale, &entry.stage),
        if entry.clauses.is_empty() {
            String::new()
        } else {
            format!("{}{}", t(locale, " · clauses "), entry.clauses.join(", "))
        }
    );
    let deadline = deadline_text(locale, &entry);
    view! {
        <li class="docket-line" data-case=entry.case data-stage=entry.stage.clone()>
            <p><a href=format!("/docket/{}", entry.case)><strong>{heading}</strong></a></p>
            <p>{facts}</p>
            <p class="muted">
                {t(locale, "Arrived ")} <time datetime=entry.arrived_at.to_rfc3339()>{locale.date(entry.arrived_at.date())}</time>
                {deadline.map(|d| view! { " · " {d} })}
            </p>
        </li>
    }
}

#[component]
pub fn DocketCasePage() -> impl IntoView {
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
            Some(case) => get_docket_case(case).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the case…")}</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(view) => view! { <DocketCase view /> }.into_any(),
                    Err(error) => view! { <Title text=t(locale, "Case not found") /> {failed(locale, error)} }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DocketCase(view: DocketCaseView) -> impl IntoView {
    let locale = use_locale();
    let entry = view.entry;
    let title = format!(
        "{} · {}",
        i18n::case_label(locale, entry.case),
        subject(locale, &entry)
    );
    let published = entry.stage == CaseStatus::Published.as_str();
    let ended = CaseStatus::parse(&entry.stage).is_some_and(|s| s.next().is_empty());
    let deadline = deadline_text(locale, &entry);
    let moves = view.moves;
    view! {
        <Title text=title.clone() />
        <article aria-labelledby="docket-case-title" id="docket-case" data-stage=entry.stage.clone()>
            <p><a href="/docket">{t(locale, "← The docket")}</a></p>
            <h1 id="docket-case-title">{title}</h1>
            <dl class="facts">
                <div><dt>{t(locale, "Kind")}</dt><dd>{kind_text(locale, &entry.kind)}</dd></div>
                <div><dt>{t(locale, "Prominence")}</dt><dd>{tier_text(locale, &entry.tier)}</dd></div>
                <div><dt>{t(locale, "Clauses")}</dt><dd>{entry.clauses.join(", ")}</dd></div>
                <div><dt>{t(locale, "Platform's action")}</dt><dd>{domain::cases::PlatformAction::parse(&view.original_action).map_or_else(|| view.original_action.replace('_', " "), |a| crate::i18n::action_name(locale, a).to_owned())}</dd></div>
                <div>
                    <dt>{t(locale, "Arrived")}</dt>
                    <dd><time datetime=entry.arrived_at.to_rfc3339()>{locale.date(entry.arrived_at.date())}</time></dd>
                </div>
                <div class="wide">
                    <dt>{t(locale, "Stage")}</dt>
                    <dd id="docket-stage">
                        {stage_text(locale, &entry.stage)}
                        {deadline.map(|d| view! { " · " {d} })}
                    </dd>
                </div>
            </dl>
            <h2>{t(locale, "The question")}</h2>
            <p class="question">{view.question}</p>
            {published.then(|| view! {
                <p><a href=format!("/decisions/{}", entry.case) id="docket-decision">{t(locale, "Read the decision")}</a></p>
            })}
            {(ended && !published).then(|| view! {
                <p class="notice" role="status">{t(locale, "This case ended without a decision: the reason is in its last move below.")}</p>
            })}
            <h2>{t(locale, "Every move")}</h2>
            <ol class="moves" id="docket-moves">
                {moves.into_iter().map(|m| {
                    let to = stage_text(locale, &m.to);
                    let by = if m.by_platform {
                        format!("{}{}", t(locale, "the platform, through "), m.by)
                    } else {
                        m.by
                    };
                    view! {
                        <li data-to=m.to.clone()>
                            <time datetime=m.at.to_rfc3339()>{locale.date(m.at.date())}</time>
                            " · " <strong>{to}</strong> " · " {by}
                            {m.reason.map(|r| view! { <p class="reason">{r}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <Timeline stages=view.stages />
            <p class="muted">
                {t(locale, "These moves are recorded by the server; they are not yet signed entries of the public log.")}
            </p>
        </article>
    }
}
