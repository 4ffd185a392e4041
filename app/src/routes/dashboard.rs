//! The member's dashboard: what needs them now.

use crate::error::AppError;
use crate::functions::cases::{CaseRow, countdown, get_dashboard};
use crate::i18n::{Locale, t, use_locale};
use domain::Timestamp;
use leptos::prelude::*;
use leptos_meta::Title;

fn case_list(
    id: &'static str,
    rows: Vec<CaseRow>,
    now: Timestamp,
    empty: &'static str,
    locale: Locale,
) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul class="dashboard-list" id=id>
            {rows.into_iter().map(|c| {
                let overdue = c.stage_deadline.is_some_and(|d| d.0 < now.0);
                view! {
                    <li data-case=c.id>
                        <a href=format!("/cases/{}", c.id)>{format!("#{} {}", c.id, c.subject_handle)}</a>
                        " · " {crate::i18n::status_name(locale, c.status)}
                        {c.stage_deadline.map(|d| view! {
                            " · " <span class:overdue=overdue>{countdown(locale, d, now)}</span>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |()| get_dashboard());
    view! {
        <Title text=t(locale, "Dashboard") />
        <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading your dashboard…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let now = d.now;
                        view! {
                            <section aria-labelledby="dashboard-title" class="dashboard">
                                <h1 id="dashboard-title">{format!("{}{}", t(locale, "Hello, "), d.name)}</h1>
                                <h2>{t(locale, "Overdue")}</h2>
                                {case_list("overdue", d.overdue, now, t(locale, "Nothing is overdue."), locale)}
                                <h2>{t(locale, "Awaiting your vote")}</h2>
                                {case_list("voting", d.voting, now, t(locale, "No vote is open for you."), locale)}
                                <h2>{t(locale, "In deliberation: declare any conflict before the vote")}</h2>
                                {case_list("deliberating", d.deliberating, now, t(locale, "No case is in deliberation."), locale)}
                                {(!d.intake.is_empty()).then(|| view! {
                                    <h2>{t(locale, "New escalations to screen")}</h2>
                                    {case_list("intake", d.intake, now, "", locale)}
                                })}
                                <h2>{t(locale, "Unread discussion")}</h2>
                                {if d.unread.is_empty() {
                                    view! { <p class="muted">{t(locale, "You are up to date.")}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="dashboard-list" id="unread">
                                            {d.unread.into_iter().map(|(c, n)| view! {
                                                <li data-case=c.id>
                                                    <a href=format!("/cases/{}#discussion-title", c.id)>{format!("#{} {}", c.id, c.subject_handle)}</a>
                                                    " · " {crate::i18n::new_comments(locale, n)}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <p><a href="/cases">{t(locale, "All cases")}</a></p>
                            </section>
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthenticated) => {
                        crate::error::set_page_status(&AppError::Unauthenticated);
                        view! {
                            <p class="notice" role="alert">{t(locale, "Your dashboard is for council members. ")} <a href="/sign-in">{t(locale, "Sign in")}</a> {t(locale, " first.")}</p>
                        }.into_any()
                    }
                    Err(error) => {
                        crate::error::set_page_status(&error);
                        view! { <p class="notice" role="alert">{crate::i18n::error_text(locale, &error)}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
