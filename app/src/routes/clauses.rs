//! Same rules for everyone: the policy catalogue (`/clauses`) and a page
//! per clause (`/clauses/{code}`) with its decisions and its consistency
//! report — outcomes compared across prominence tiers for each kind of
//! case, and the decisions that departed from the clause's precedent
//! without distinguishing it. Server-rendered; no JavaScript needed.

use crate::components::charts::OutcomeChart;
use crate::error::AppError;
use crate::functions::public::{ClauseEntry, ClauseReportView, get_clause_report, get_clauses};
use crate::i18n::{self, t, use_locale};
use domain::consistency::{ClauseDecision, ConsistencyReport, Departure};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn failed(error: AppError) -> AnyView {
    crate::error::set_page_status(&error);
    let locale = use_locale();
    let message = match &error {
        AppError::NotFound => {
            t(locale, "There is no such clause in the policy catalogue.").to_owned()
        }
        other => other.to_string(),
    };
    view! { <p class="notice" role="alert" data-error-code=error.code().to_owned()>{message}</p> }
        .into_any()
}

fn clause_href(code: &str) -> String {
    format!("/clauses/{}", crate::url_encode(code))
}

#[component]
pub fn ClausesPage() -> impl IntoView {
    let locale = use_locale();
    let clauses = OnceResource::new(get_clauses());
    view! {
        <Title text=t(locale, "Policy clauses") />
        <section aria-labelledby="clauses-title" id="clauses-page">
            <h1 id="clauses-title">{t(locale, "Policy clauses")}</h1>
            <p class="lead">
                {t(locale, "The clauses of the platform's policy that cases are judged under. Each clause's page lists its decisions and compares their outcomes across prominence tiers, so anyone can check that famous accounts were treated like everyone else.")}
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the clauses…")}</p> }>
                {move || Suspend::new(async move {
                    match clauses.await {
                        Ok(list) if list.is_empty() => view! {
                            <div class="empty-state" role="status">
                                <p class="empty-title">{t(locale, "The policy catalogue is empty.")}</p>
                            </div>
                        }.into_any(),
                        Ok(list) => view! { <ClauseTable list /> }.into_any(),
                        Err(error) => failed(error),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ClauseTable(list: Vec<ClauseEntry>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="table-scroll" tabindex="0"><table class="clause-table">
            <caption class="visually-hidden">{t(locale, "Policy clauses and their published decisions")}</caption>
            <thead>
                <tr><th scope="col">{t(locale, "Clause")}</th><th scope="col">{t(locale, "Title")}</th><th scope="col">{t(locale, "Decisions")}</th></tr>
            </thead>
            <tbody>
                {list.into_iter().map(|c| view! {
                    <tr>
                        <th scope="row"><a href=clause_href(&c.code)><code>{c.code.clone()}</code></a></th>
                        <td>{c.title}</td>
                        <td class="number">{locale.number(c.decisions)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
}

#[component]
pub fn ClausePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let report = Resource::new(code, get_clause_report);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the clause…")}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(view) => view! { <ClauseReport view /> }.into_any(),
                    Err(error) => view! { <Title text="Clause not found" /> {failed(error)} }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ClauseReport(view: ClauseReportView) -> impl IntoView {
    let locale = use_locale();
    let ClauseReportView {
        clause,
        report,
        departures_total,
        latest,
        total,
    } = view;
    let heading = if clause.title.is_empty() {
        clause.code.clone()
    } else {
        format!("{} · {}", clause.code, clause.title)
    };
    let all_href = format!("/decisions?clause={}", crate::url_encode(&clause.code));
    view! {
        <Title text=format!("Clause {}", clause.code) />
        <article aria-labelledby="clause-title" id="clause-page" data-clause=clause.code.clone()>
            <p class="eyebrow"><a href="/clauses">{t(locale, "Policy clauses")}</a></p>
            <h1 id="clause-title">{heading}</h1>
            {if total == 0 {
                view! {
                    <div class="empty-state" role="status">
                        <p class="empty-title">{t(locale, "No published decision has applied this clause yet.")}</p>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p class="lead">
                        {i18n::decisions_applied(locale, total)}
                        <a href=all_href.clone()>{t(locale, "All of them in the decision log")}</a>
                    </p>
                    <Consistency report departures_total code=clause.code.clone() />
                    <Latest latest total all_href />
                }.into_any()
            }}
        </article>
    }
}

#[component]
fn Consistency(report: ConsistencyReport, departures_total: usize, code: String) -> impl IntoView {
    let locale = use_locale();
    let ConsistencyReport {
        rows,
        divergences,
        departures,
        distinguished,
    } = report;
    let chart_rows = rows.clone();
    view! {
        <section aria-labelledby="consistency-title" id="consistency">
            <h2 id="consistency-title">{t(locale, "Same rules for everyone?")}</h2>
            <p>
                {t(locale, "How this clause's decisions came out, for each kind of case and each prominence tier of the account concerned. A decision counts as carried if any of its motions carried.")}
            </p>
            <OutcomeChart rows=chart_rows id="outcomes-by-tier" />
            <div class="table-scroll" tabindex="0"><table class="consistency-table">
                <caption>{t(locale, "Outcomes by kind of case and prominence tier")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(locale, "Kind of case")}</th>
                        <th scope="col">{t(locale, "Tier")}</th>
                        <th scope="col">{t(locale, "Decisions")}</th>
                        <th scope="col">{t(locale, "Carried")}</th>
                        <th scope="col">{t(locale, "Not carried")}</th>
                        <th scope="col">{t(locale, "No decision")}</th>
                        <th scope="col">{t(locale, "Share carried")}</th>
                        <th scope="col">{i18n::rulings_column(locale)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{i18n::kind_name(locale, r.kind)}</th>
                            <td>{i18n::tier_name(locale, r.tier)}</td>
                            <td class="number">{locale.number(u64::from(r.total()))}</td>
                            <td class="number">{locale.number(u64::from(r.counts[0]))}</td>
                            <td class="number">{locale.number(u64::from(r.counts[1]))}</td>
                            <td class="number">{locale.number(u64::from(r.counts[2]))}</td>
                            <td class="number">{format!("{}\u{a0}%", r.carried_percent())}</td>
                            <td class="rulings">{i18n::rulings_cell(locale, &r.rulings)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>

            <h3 id="divergences-title">{i18n::divergence_title(locale)}</h3>
            <p class="muted">{i18n::divergence_intro(locale)}</p>
            {if divergences.is_empty() {
                view! { <p id="no-divergence" role="status">{i18n::no_divergence(locale)}</p> }.into_any()
            } else {
                view! {
                    <ul class="divergences" aria-labelledby="divergences-title">
                        {divergences.into_iter().map(|d| view! {
                            <li class="divergence" data-kind=d.kind.as_str()>
                                <p><strong class="overdue">{i18n::divergent(locale)}</strong> {i18n::divergence(locale, &d)}</p>
                                <ul class="pairs">
                                    {d.pairs.iter().map(|p| view! {
                                        <li class="pair" data-ordinary=p.ordinary.0 data-prominent=p.prominent.0>
                                            {i18n::compare(locale)}
                                            <a href=format!("/decisions/{}", p.ordinary.0)>{i18n::case_label(locale, p.ordinary.0)}</a>
                                            {i18n::pair_with(locale)}
                                            <a href=format!("/decisions/{}", p.prominent.0)>{i18n::case_label(locale, p.prominent.0)}</a>
                                            {i18n::pair_tier(locale, p.prominent_tier)}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}

            <h3 id="departures-title">{t(locale, "Departures from precedent")}</h3>
            <p class="muted">
                {t(locale, "A decision departs from precedent when the earlier decisions under this clause on the same kind of case mostly came out one way and it came out another, without naming one of them as a precedent it distinguishes.")}
                {(distinguished > 0).then(|| i18n::distinguished_note(locale, distinguished))}
            </p>
            {if departures.is_empty() {
                view! { <p id="no-departures" role="status">{t(locale, "None: every decision followed the prevailing outcome or distinguished it.")}</p> }.into_any()
            } else {
                let shown = departures.len();
                view! {
                    {(departures_total > shown).then(|| view! {
                        <p id="departures-shown">
                            {i18n::departures_shown(locale, shown, departures_total)}
                            <a href=format!("/api/v1/clauses/{}", crate::url_encode(&code)) rel="external">
                                {t(locale, "every departure in the JSON API")}
                            </a>
                            "."
                        </p>
                    })}
                    <ul class="departures" aria-labelledby="departures-title">
                        {departures.into_iter().map(|d| view! { <DepartureItem d /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn DepartureItem(d: Departure) -> impl IntoView {
    let locale = use_locale();
    let sentence = i18n::departure(locale, &d);
    view! {
        <li class="departure" data-case=d.case.0>
            <strong class="overdue">{t(locale, "Departed without distinguishing: ")}</strong>
            <a href=format!("/decisions/{}", d.case.0)>{format!("{} ({})", i18n::case_label(locale, d.case.0), d.subject)}</a>
            {sentence}
        </li>
    }
}

#[component]
fn Latest(latest: Vec<ClauseDecision>, total: usize, all_href: String) -> impl IntoView {
    let locale = use_locale();
    let shown = latest.len();
    view! {
        <section aria-labelledby="clause-decisions-title">
            <h2 id="clause-decisions-title">{t(locale, "Decisions under this clause")}</h2>
            <ol class="clause-decisions">
                {latest.into_iter().map(|d| {
                    let published = domain::Timestamp(d.published_at);
                    view! {
                        <li data-case=d.case.0 data-outcome=d.outcome.as_str()>
                            <a href=format!("/decisions/{}", d.case.0)>{format!("{}: {}", i18n::case_label(locale, d.case.0), d.subject)}</a>
                            {i18n::clause_item(locale, d.kind, d.tier, d.outcome)}
                            {d.ruling.map(|r| format!("{} · ", i18n::ruling_name(locale, r)))}
                            <time datetime=published.to_rfc3339()>{locale.date(published.date())}</time>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {(total > shown).then(|| view! {
                <p><a href=all_href>{i18n::others_in_log(locale, total - shown)}</a></p>
            })}
        </section>
    }
}
