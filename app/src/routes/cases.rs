//! Cases for members: the filtered list, the clerk's intake form, and one
//! case with its lifecycle, deadline and history.

use crate::components::text_area::TextArea;
use crate::error::AppError;
use crate::functions::cases::{
    CaseList, CaseQuery, CaseView, ClauseView, CreateCase, MoveCase, countdown, get_case,
    get_cases, get_clauses, label,
};
use crate::functions::discussion::{
    DiscussionView, EditComment, PostComment, get_discussion, mark_read,
};
use crate::functions::public_comments::{PublicComments, ScreenPublicComment, get_public_comments};
use crate::i18n::{Locale, t, use_locale};
use crate::routes::not_found::{NotFound, NotFoundBody};
use domain::cases::{CaseKind, CaseStatus, PlatformAction, Tier};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// What a page shows when the visitor may not see cases.
fn refusal(error: AppError) -> AnyView {
    let locale = use_locale();
    crate::error::set_page_status(&error);
    match error {
        AppError::Unauthenticated => view! {
            <p class="notice" role="alert">
                {t(locale, "Cases are for council members. ")} <a href="/sign-in">{t(locale, "Sign in")}</a> {t(locale, " first.")}
            </p>
        }
        .into_any(),
        other => view! { <p class="notice" role="alert">{other.to_string()}</p> }.into_any(),
    }
}

fn status_label(locale: Locale, status: CaseStatus) -> &'static str {
    t(locale, crate::components::charts::stage_label(status))
}

/// A prominence tier as stored (`very_prominent`): as it is in English,
/// in words in French.
fn tier_text(locale: Locale, tier: &str) -> String {
    Tier::parse(tier).map_or_else(
        || tier.to_owned(),
        |tier| tier_word(locale, tier).to_owned(),
    )
}

fn tier_word(locale: Locale, tier: Tier) -> &'static str {
    match locale {
        Locale::En => tier.as_str(),
        Locale::Fr => crate::i18n::tier_name(locale, tier),
    }
}

/// The verb of the button that moves a case to `to`.
fn move_label(locale: Locale, to: CaseStatus) -> &'static str {
    t(
        locale,
        match to {
            CaseStatus::Accepted => "Accept the case",
            CaseStatus::Declined => "Decline the case",
            CaseStatus::Deliberation => "Open deliberation",
            CaseStatus::Voting => "Open voting",
            CaseStatus::Decided => "Record as decided",
            CaseStatus::Published => "Publish",
            CaseStatus::Withdrawn => "Withdraw the case",
            CaseStatus::Intake => "Back to intake",
        },
    )
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let current = move || {
        let q = query.read();
        let get = |key: &str| q.get(key).unwrap_or_default();
        CaseQuery {
            kind: get("kind"),
            status: get("status"),
            clause: get("clause"),
            tier: get("tier"),
            q: get("q"),
            before: q.get("before").and_then(|b| b.parse().ok()),
        }
    };
    let list = Resource::new(current, get_cases);
    view! {
        <Title text=t(locale, "Cases") />
        <section aria-labelledby="cases-title">
            <h1 id="cases-title">{t(locale, "Cases")}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the cases…")}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <CaseTable list query=current() /> }.into_any(),
                        Err(error) => refusal(error),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn options(values: &[(&'static str, &'static str)], selected: &str) -> Vec<AnyView> {
    values
        .iter()
        .map(|&(value, text)| {
            let chosen = value == selected;
            view! { <option value=value selected=chosen>{text}</option> }.into_any()
        })
        .collect()
}

#[component]
fn CaseTable(list: CaseList, query: CaseQuery) -> impl IntoView {
    let locale = use_locale();
    let kinds: Vec<(&str, &str)> = std::iter::once(("", t(locale, "Any kind")))
        .chain(
            CaseKind::ALL
                .iter()
                .map(|k| (k.as_str(), crate::i18n::kind_name(locale, *k))),
        )
        .collect();
    let statuses: Vec<(&str, &str)> = std::iter::once(("", t(locale, "Any status")))
        .chain(
            CaseStatus::ALL
                .iter()
                .map(|s| (s.as_str(), status_label(locale, *s))),
        )
        .collect();
    let tiers: Vec<(&str, &str)> = std::iter::once(("", t(locale, "Any tier")))
        .chain(
            Tier::ALL
                .iter()
                .map(|tier| (tier.as_str(), tier_word(locale, *tier))),
        )
        .collect();
    let filtered = query != CaseQuery::default();
    let next_href = list.next.map(|before| {
        let mut pairs = vec![
            ("kind", query.kind.clone()),
            ("status", query.status.clone()),
            ("clause", query.clause.clone()),
            ("tier", query.tier.clone()),
            ("q", query.q.clone()),
        ];
        pairs.retain(|(_, v)| !v.is_empty());
        pairs.push(("before", before.to_string()));
        let encoded: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::url_encode(&v)))
            .collect();
        format!("/cases?{}", encoded.join("&"))
    });
    let now = list.now;
    view! {
        {list.may_intake.then(|| view! {
            <p><a class="button" href="/cases/new" id="new-case">{t(locale, "Record a new case")}</a></p>
        })}
        <form method="get" action="/cases" class="inline filters" role="search" aria-label=t(locale, "Filter the cases")>
            <label for="filter-q">{t(locale, "Search")}</label>
            <input id="filter-q" type="search" name="q" value=query.q.clone() maxlength="200" />
            <label for="filter-kind">{t(locale, "Kind")}</label>
            <select id="filter-kind" name="kind">{options(&kinds, &query.kind)}</select>
            <label for="filter-status">{t(locale, "Status")}</label>
            <select id="filter-status" name="status">{options(&statuses, &query.status)}</select>
            <label for="filter-clause">{t(locale, "Clause")}</label>
            <select id="filter-clause" name="clause">
                <option value="">{t(locale, "Any clause")}</option>
                {list.clauses.iter().map(|c| view! {
                    <option value=c.code.clone() selected=c.code == query.clause>{format!("{} {}", c.code, c.title)}</option>
                }).collect_view()}
            </select>
            <label for="filter-tier">{t(locale, "Tier")}</label>
            <select id="filter-tier" name="tier">{options(&tiers, &query.tier)}</select>
            <button type="submit">{t(locale, "Filter")}</button>
            {filtered.then(|| view! { <a href="/cases">{t(locale, "Clear")}</a> })}
        </form>
        {if list.cases.is_empty() {
            view! {
                <p class="empty-state">
                    {if filtered { t(locale, "No case matches these filters.") } else { t(locale, "No case has been escalated yet.") }}
                </p>
            }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0"><table class="case-list">
                    <thead>
                        <tr>
                            <th scope="col">{t(locale, "Case")}</th>
                            <th scope="col">{t(locale, "Subject")}</th>
                            <th scope="col">{t(locale, "Kind")}</th>
                            <th scope="col">{t(locale, "Tier")}</th>
                            <th scope="col">{t(locale, "Clauses")}</th>
                            <th scope="col">{t(locale, "Status")}</th>
                            <th scope="col">{t(locale, "Deadline")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.cases.into_iter().map(move |c| {
                            let overdue = c.stage_deadline.is_some_and(|d| d.0 < now.0);
                            view! {
                                <tr data-case=c.id class:overdue=overdue>
                                    <th scope="row"><a href=format!("/cases/{}", c.id)>{format!("#{}", c.id)}</a></th>
                                    <td>{c.subject_handle.clone()}</td>
                                    <td>{crate::i18n::kind_label(locale, &c.kind)}</td>
                                    <td>{tier_text(locale, &c.tier)}</td>
                                    <td>{c.clauses.join(", ")}</td>
                                    <td>{status_label(locale, c.status)}</td>
                                    <td>{c.stage_deadline.map(|d| countdown(locale, d, now)).unwrap_or_else(|| "—".to_owned())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        {next_href.map(|href| view! { <p><a href=href rel="next" id="next-page">{t(locale, "Older cases")}</a></p> })}
    }
}

#[component]
pub fn NewCasePage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=t(locale, "Record a case") />
        <NewCase />
    }
}

/// The intake form, rendered on the server: a plain form that works
/// without JavaScript; [`KeepTyped`] sends it from the browser when it can,
/// so that a refused case keeps what the clerk typed.
#[component]
fn NewCase() -> impl IntoView {
    let locale = use_locale();
    let clauses = Resource::new(|| (), |()| get_clauses());
    view! {
        <section aria-labelledby="new-case-title">
            <h1 id="new-case-title">{t(locale, "Record a case")}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading…")}</p> }>
                {move || Suspend::new(async move {
                    match clauses.await {
                        Ok(clauses) => view! { <KeepTyped><IntakeForm clauses /></KeepTyped> }.into_any(),
                        Err(error) => refusal(error),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Sends the intake form inside it from the browser (its submit event
/// bubbles here): a refusal is shown beside the form, which keeps what was
/// typed; a recorded case opens. The form itself is rendered on the server.
#[island]
fn KeepTyped(children: Children) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let problem = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let f = crate::browser::FormFields::of(&event);
        leptos::task::spawn_local(async move {
            let created =
                crate::functions::cases::create_case(crate::functions::cases::CaseRequest {
                    kind: f.get("kind"),
                    subject_handle: f.get("subject_handle"),
                    subject_link: f.get("subject_link"),
                    excerpt: f.get("excerpt"),
                    audience: f.get("audience"),
                    tier: f.get("tier"),
                    original_action: f.get("original_action"),
                    clauses: f.get("clauses"),
                    reason: f.get("reason"),
                })
                .await;
            match created {
                Ok(id) => crate::browser::go_to(&format!("/cases/{id}")),
                Err(error) => problem.set(Some(crate::i18n::error_text(locale, &error))),
            }
        });
    };
    view! {
        <div on:submit=submit>
            {children()}
            <p class="error" role="alert">{move || problem.get()}</p>
        </div>
    }
}

#[component]
fn IntakeForm(clauses: Vec<ClauseView>) -> impl IntoView {
    let locale = use_locale();
    let create = ServerAction::<CreateCase>::new();
    let kinds: Vec<(&str, &str)> = CaseKind::ALL
        .iter()
        .map(|k| (k.as_str(), crate::i18n::kind_name(locale, *k)))
        .collect();
    let tiers: Vec<(&str, &str)> = std::iter::once(("", t(locale, "From the audience")))
        .chain(
            Tier::ALL
                .iter()
                .map(|tier| (tier.as_str(), tier_word(locale, *tier))),
        )
        .collect();
    let actions: Vec<(&str, &str)> = PlatformAction::ALL
        .iter()
        .map(|a| (a.as_str(), crate::i18n::action_name(locale, *a)))
        .collect();
    view! {
        <ActionForm action=create attr:class="stack" attr:aria-labelledby="new-case-title">
            <label for="case-kind">{t(locale, label("kind"))}</label>
            <select id="case-kind" name="kind">{options(&kinds, "content")}</select>
            <label for="case-handle">{t(locale, label("subject_handle"))} {t(locale, " (handle)")}</label>
            <input id="case-handle" type="text" name="subject_handle" required maxlength="200" />
            <label for="case-link">{t(locale, label("subject_link"))} {t(locale, " (optional)")}</label>
            <input id="case-link" type="url" name="subject_link" maxlength="2000" />
            <label for="case-excerpt">{t(locale, label("excerpt"))} {t(locale, " (optional)")}</label>
            <TextArea id="case-excerpt" name="excerpt" rows=4 maxlength=10000 />
            <label for="case-audience">{t(locale, label("audience"))} {t(locale, " (followers)")}</label>
            <input id="case-audience" type="text" inputmode="numeric" name="audience" required />
            <label for="case-tier">{t(locale, label("tier"))}</label>
            <select id="case-tier" name="tier">{options(&tiers, "")}</select>
            <label for="case-action">{t(locale, label("original_action"))}</label>
            <select id="case-action" name="original_action">{options(&actions, "removed")}</select>
            <label for="case-clauses">{t(locale, label("clauses"))} {t(locale, " (codes, separated by commas)")}</label>
            <input id="case-clauses" type="text" name="clauses" required aria-describedby="catalogue" />
            <ul id="catalogue" class="hint">
                {clauses.into_iter().map(|c| view! { <li><code>{c.code}</code> " " {c.title}</li> }).collect_view()}
            </ul>
            <label for="case-reason">{t(locale, label("reason"))}</label>
            <TextArea id="case-reason" name="reason" rows=4 required=true maxlength=10000 />
            <button type="submit" id="record-case">{t(locale, "Record the case")}</button>
            <p class="error" role="alert">
                {crate::routes::form_refusal(locale, &[crate::routes::path_of::<CreateCase>()])}
            </p>
        </ActionForm>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse::<u64>().ok());
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    // Set by the evidence upload when it refuses a file (a plain form post).
    let evidence_error = use_query_map().read_untracked().get("evidence_error");
    match id {
        Some(id) => view! {
            <Title text=t(locale, "Case") />
            <Case id path evidence_error />
        }
        .into_any(),
        // Not a case number: the 404 page, with its title.
        None => view! { <NotFound /> }.into_any(),
    }
}

/// The case page, rendered on the server only: its plain forms post to the
/// server functions and come back here (with the reason when refused); the
/// parts that sign with the member's key are islands of their own.
#[component]
fn Case(id: u64, path: String, evidence_error: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let actions = CaseActions {
        moved: ServerAction::<MoveCase>::new(),
        post: ServerAction::<PostComment>::new(),
        edit: ServerAction::<EditComment>::new(),
        screen: ServerAction::<ScreenPublicComment>::new(),
        voting: crate::routes::voting::VotingActions::new(),
        decision: crate::routes::decision::DecisionActions::new(),
    };
    // Everything the page shows comes in one resource.
    let page = Resource::new(
        move || id,
        |id| async move {
            let case = get_case(id).await?;
            let discussion = get_discussion(id).await?;
            let public_comments = get_public_comments(id).await?;
            let voting = crate::functions::voting::get_voting(id).await?;
            let decision = crate::functions::decisions::get_decision(id).await?;
            Ok((case, discussion, public_comments, voting, decision))
        },
    );
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the case…")}</p> }>
            {move || {
                let path = path.clone();
                let evidence_error = evidence_error.clone();
                Suspend::new(async move {
                match page.await {
                    Ok((case, discussion, public_comments, voting, decision)) => {
                        // Once the discussion has been shown in the browser, it counts as read.
                        let last = discussion.comments.iter().map(|c| c.id).max();
                        view! {
                            <CaseDetails case discussion public_comments voting decision actions evidence_error />
                            {last.map(|last| view! { <MarkRead case=id last /> })}
                        }.into_any()
                    }
                    // No such case (or not a case number): the 404 page, with its status.
                    Err(AppError::NotFound) => view! { <NotFoundBody path /> }.into_any(),
                    Err(error) => refusal(error),
                }
                })
            }}
        </Suspense>
    }
}

/// Marks the discussion read up to comment `last` once the page is shown in
/// a browser (an effect: it runs only there).
#[island]
fn MarkRead(case: u64, last: u64) -> impl IntoView {
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let _ = mark_read(case, last).await;
        });
    });
}

/// The forms of the case page. They post to the server functions as plain
/// forms; a refusal comes back in the page's query string.
#[derive(Clone, Copy)]
pub struct CaseActions {
    pub moved: ServerAction<MoveCase>,
    pub post: ServerAction<PostComment>,
    pub edit: ServerAction<EditComment>,
    pub screen: ServerAction<ScreenPublicComment>,
    pub voting: crate::routes::voting::VotingActions,
    pub decision: crate::routes::decision::DecisionActions,
}

#[component]
fn CaseDetails(
    case: CaseView,
    discussion: DiscussionView,
    public_comments: PublicComments,
    voting: crate::functions::voting::VotingView,
    decision: crate::functions::decisions::DecisionView,
    actions: CaseActions,
    evidence_error: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let moved = actions.moved;
    let fields = case.fields.clone();
    let now = case.now;
    let id = case.id;
    let status = case.status;
    view! {
        <article class="case" aria-labelledby="case-title" data-status=status.as_str()>
            <p class="eyebrow">{format!("{} · {}", crate::i18n::case_number(locale, id), crate::i18n::kind_name(locale, fields.kind))}</p>
            <h1 id="case-title">{fields.subject_handle.clone()}</h1>
            <p id="case-status" class="status-line">
                <strong>{status_label(locale, status)}</strong>
                {case.stage_deadline.map(|d| view! {
                    " · " <time datetime=d.to_rfc3339() class:overdue=d.0 < now.0>{countdown(locale, d, now)}</time>
                })}
            </p>
            <dl class="facts">
                <div><dt>{t(locale, "Prominence")}</dt><dd>{tier_text(locale, fields.tier.as_str())} " (" {fields.audience} {t(locale, " followers)")}</dd></div>
                <div><dt>{t(locale, "Platform's action")}</dt><dd>{crate::i18n::action_name(locale, fields.original_action)}</dd></div>
                {fields.subject_link.clone().map(|link| view! {
                    <div class="wide"><dt>{t(locale, "Link")}</dt><dd><a href=link.clone() rel="noopener noreferrer nofollow">{link.clone()}</a></dd></div>
                })}
                <div class="wide">
                    <dt>{t(locale, "Policy clauses")}</dt>
                    <dd>
                        <ul class="clauses">
                            {case.clause_titles.iter().map(|c| view! { <li><code>{c.code.clone()}</code> " " {c.title.clone()}</li> }).collect_view()}
                        </ul>
                    </dd>
                </div>
            </dl>
            {fields.excerpt.clone().map(|excerpt| view! {
                <h2>{t(locale, "Excerpt")}</h2>
                <blockquote class="excerpt">{excerpt}</blockquote>
            })}
            <h2>{t(locale, "Why it was escalated")}</h2>
            <p class="prose">{fields.reason.clone()}</p>
            {(!case.moves.is_empty()).then(|| view! {
                <h2 id="moves-title">{t(locale, "Move the case")}</h2>
                <p class="error" role="alert">
                    {crate::routes::form_refusal(locale, &[crate::routes::path_of::<MoveCase>()])}
                </p>
                {case.moves.iter().map(|to| {
                    let to = *to;
                    let field = format!("reason-{}", to.as_str());
                    let needs = to.needs_reason();
                    view! {
                        <ActionForm action=moved attr:class="inline move" attr:aria-label=move_label(locale, to)>
                            <input type="hidden" name="case" value=id />
                            <input type="hidden" name="from" value=status.as_str() />
                            <input type="hidden" name="to" value=to.as_str() />
                            <label for=field.clone()>{if needs { t(locale, "Reason (required)") } else { t(locale, "Reason (optional)") }}</label>
                            <input id=field type="text" name="reason" maxlength="2000" required=needs />
                            <button type="submit" class:danger=matches!(to, CaseStatus::Declined | CaseStatus::Withdrawn)>{move_label(locale, to)}</button>
                        </ActionForm>
                    }
                }).collect_view()}
            })}
            <h2>{t(locale, "History")}</h2>
            <ol class="history">
                {case.events.iter().map(move |e| view! {
                    <li>
                        <crate::components::When at=e.at />
                        " · "
                        {match e.from {
                            Some(from) => format!("{} → {}", status_label(locale, from), status_label(locale, e.to)),
                            None => format!("{} ({})", t(locale, "Escalated"), status_label(locale, e.to)),
                        }}
                        " · "
                        {if e.by_platform { format!("{} ({})", t(locale, "the platform"), e.actor) } else { e.actor.clone() }}
                        {e.reason.clone().map(|r| view! { ": " <q>{r}</q> })}
                    </li>
                }).collect_view()}
            </ol>
            <Evidence case=id items=case.evidence.clone() open=status.is_open() error=evidence_error />
            <crate::routes::public_comments::PublicCommentsPanel
                case=id
                open_for_comment=status.in_comment_period()
                data=public_comments
                screen=actions.screen
            />
            <crate::routes::voting::Voting case=id view=voting actions=actions.voting />
            <crate::routes::decision::Decision case=id view=decision actions=actions.decision />
            <crate::routes::discussion::Discussion
                case=id
                view=discussion
                post=actions.post
                edit=actions.edit
            />
            <p><a href="/cases">{t(locale, "All cases")}</a></p>
        </article>
    }
}

/// What an evidence refusal code (from the upload's redirect) means.
fn evidence_problem(locale: Locale, code: &str) -> &'static str {
    t(
        locale,
        match code {
            "too_large" => "The file is larger than 5 MiB: nothing was added.",
            "file_type" => {
                "This kind of file is not accepted (PDF, PNG, JPEG or plain text only): nothing was added."
            }
            "title" => "Give the evidence a title of 1 to 200 characters: nothing was added.",
            "text" => "The text is empty or too long: nothing was added.",
            "link" => "The link must be an http(s) address: nothing was added.",
            "no_file" => "Choose a file: nothing was added.",
            "case_closed" => "The case is closed: no more evidence.",
            _ => "The evidence could not be added.",
        },
    )
}

fn size_label(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / 1024.0 / 1024.0)
    } else if bytes >= 1024 {
        format!("{} KiB", bytes.div_ceil(1024))
    } else {
        format!("{bytes} bytes")
    }
}

#[component]
fn Evidence(
    case: u64,
    items: Vec<crate::functions::cases::EvidenceView>,
    open: bool,
    error: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let problem = error.map(|code| evidence_problem(locale, &code));
    view! {
        <section id="evidence" aria-labelledby="evidence-title">
            <h2 id="evidence-title">{t(locale, "Evidence")}</h2>
            <p class="error" role="alert">{problem}</p>
            {if items.is_empty() {
                view! { <p class="empty-state">{t(locale, "No evidence yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="evidence">
                        {items.into_iter().map(|e| view! {
                            <li data-evidence=e.id>
                                <strong>{e.title.clone()}</strong>
                                " · " {e.by.clone()} " · "
                                <crate::components::When at=e.at />
                                {e.text.clone().map(|text| view! { <p class="prose">{text}</p> })}
                                {e.url.clone().map(|url| view! {
                                    <p><a href=url.clone() rel="noopener noreferrer nofollow">{url.clone()}</a></p>
                                })}
                                {e.file_name.clone().map(|name| view! {
                                    <p>
                                        <a href=format!("/cases/{case}/evidence/{}", e.id) download=name.clone()>{name.clone()}</a>
                                        " (" {size_label(e.size.unwrap_or_default())} ", SHA-256 "
                                        <code title=e.sha256.clone().unwrap_or_default()>
                                            {e.sha256.clone().unwrap_or_default().chars().take(16).collect::<String>()} "…"
                                        </code> ")"
                                    </p>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {open.then(|| view! {
                <form
                    class="stack"
                    method="post"
                    enctype="multipart/form-data"
                    action=format!("/cases/{case}/evidence")
                    aria-label=t(locale, "Add evidence")
                >
                    <label for="evidence-kind">{t(locale, "Kind of evidence")}</label>
                    <select id="evidence-kind" name="kind">
                        <option value="file">{t(locale, "A file (PDF, PNG, JPEG or plain text, up to 5 MiB)")}</option>
                        <option value="link">{t(locale, "A link")}</option>
                        <option value="text">{t(locale, "A text")}</option>
                    </select>
                    <label for="evidence-name">{t(locale, "Title")}</label>
                    <input id="evidence-name" type="text" name="title" required maxlength="200" />
                    <label for="evidence-file">{t(locale, "File")}</label>
                    <input id="evidence-file" type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain" />
                    <label for="evidence-url">{t(locale, "Link")}</label>
                    <input id="evidence-url" type="url" name="url" maxlength="2000" />
                    <label for="evidence-text">{t(locale, "Text")}</label>
                    <TextArea id="evidence-text" name="text" rows=3 maxlength=20000 />
                    <button type="submit" id="add-evidence">{t(locale, "Add the evidence")}</button>
                </form>
            })}
        </section>
    }
}
