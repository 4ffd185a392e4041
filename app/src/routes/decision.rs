//! The decision section of a case page, once its vote is over: the chair
//! assigns the rationale's authors and writes the clauses, precedents and
//! recommendations; the authors write and sign the rationale; voters sign
//! dissents and concurrences (in the browser, with their own key); the chair
//! publishes. After publication it shows the published decision and the
//! platform's answers.

use crate::browser;
use crate::components::choices::IdChoices;
use crate::components::text_area::TextArea;
use crate::functions::cases::countdown;
use crate::functions::decisions::{
    DecisionView, SaveDecisionRecord, SaveRationale, assign_authors, sign_opinion,
};
use crate::i18n::{Locale, t, use_locale};
use crate::routes::voting::{ChairAct, ChairActForm};
use domain::cases::CaseId;
use domain::decisions::{MAX_OPINION_CHARS, OpinionBody, OpinionKind, opinion_statement};
use domain::statement::MemberId;
use leptos::prelude::*;

/// The decision's plain forms on the case page.
#[derive(Clone, Copy)]
pub struct DecisionActions {
    pub rationale: ServerAction<SaveRationale>,
    pub record: ServerAction<SaveDecisionRecord>,
}

impl DecisionActions {
    pub fn new() -> Self {
        Self {
            rationale: ServerAction::new(),
            record: ServerAction::new(),
        }
    }
}

impl Default for DecisionActions {
    fn default() -> Self {
        Self::new()
    }
}

fn kind_label(locale: Locale, kind: OpinionKind) -> &'static str {
    match kind {
        OpinionKind::Majority => t(locale, "Majority rationale"),
        OpinionKind::Concurrence => t(locale, "Concurrence"),
        OpinionKind::Dissent => t(locale, "Dissent"),
    }
}

#[component]
pub fn Decision(case: u64, view: DecisionView, actions: DecisionActions) -> impl IntoView {
    let locale = use_locale();
    if !view.preparing && view.published_index.is_none() {
        return ().into_any();
    }
    let DecisionActions { rationale, record } = actions;
    let preparing = view.preparing;
    let fixed = view.rationale_fixed();
    let author_names: Vec<String> = view.authors.iter().map(|(_, n)| n.clone()).collect();
    let all_signed = !view.authors.is_empty()
        && view
            .authors
            .iter()
            .all(|(id, _)| view.signed_by.contains(id));
    let me = view.me;
    let i_may_sign_rationale = preparing
        && view.i_am_author()
        && !view.signed_by.contains(&me)
        && !view.rationale.is_empty();
    let author_ids: Vec<u64> = view.authors.iter().map(|(id, _)| *id).collect();
    let (i_am_author, i_voted, may_run) = (view.i_am_author(), view.i_voted(), view.may_run);
    let show_rationale = !view.rationale.is_empty() && (fixed || !i_am_author || !preparing);
    let (rationale_edit, rationale_shown, rationale_sign) = (
        view.rationale.clone(),
        view.rationale.clone(),
        view.rationale.clone(),
    );
    let (clauses_edit, precedents_edit) = (view.clauses.clone(), view.precedents.clone());
    let recommendations_edit = view
        .recommendations
        .iter()
        .map(|r| r.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    let voters = view.voters.clone();
    let signed_count = view.signed_by.len();
    let author_count = view.authors.len();
    let listing = view.clone();
    view! {
        <section class="decision" aria-labelledby="decision-title" id="decision">
            <h2 id="decision-title">{if preparing { t(locale, "Decision (in preparation)") } else { t(locale, "Decision") }}</h2>
            <p class="error" role="alert">
                {crate::routes::form_refusal(locale, &[
                    crate::routes::path_of::<SaveRationale>(),
                    crate::routes::path_of::<SaveDecisionRecord>(),
                ])}
            </p>
            {view.published_index.map(|index| view! {
                <p id="decision-published" class="status-line">
                    {t(locale, "Published in ")} <a href=format!("/log/entry/{index}")>{crate::i18n::log_entry(locale, index)}</a>
                    {view.published_at.map(|at| view! { {t(locale, " on ")} <crate::components::When at=at /> })}
                    {t(locale, ", naming every vote and opinion on this case.")}
                </p>
            })}

            <h3>{t(locale, "Majority rationale")}</h3>
            <p id="rationale-authors">
                {if author_names.is_empty() {
                    t(locale, "No author assigned yet.").to_owned()
                } else {
                    crate::i18n::rationale_authors(locale, &author_names.join(", "), signed_count, author_count)
                }}
            </p>
            {(preparing && may_run && !fixed).then(|| view! {
                <AuthorsForm case voters authors=author_ids.clone() />
            })}
            {(preparing && i_am_author && !fixed).then(|| view! {
                <ActionForm action=rationale attr:class="stack" attr:id="rationale-form">
                    <input type="hidden" name="case" value=case />
                    <label for="rationale-text">{t(locale, "The rationale (you and your co-authors sign this exact text)")}</label>
                    <TextArea id="rationale-text" name="text" rows=8 maxlength=MAX_OPINION_CHARS text=rationale_edit.clone() />
                    <button type="submit" id="save-rationale">{t(locale, "Save the rationale")}</button>
                </ActionForm>
            })}
            {show_rationale.then(|| view! {
                <blockquote class="prose rationale" id="rationale-text-shown">{rationale_shown}</blockquote>
            })}
            {i_may_sign_rationale.then(|| view! {
                <SignOpinion case me kind=Some(OpinionKind::Majority) text=rationale_sign authors=author_ids.clone() />
            })}

            <h3>{t(locale, "Clauses, precedents and recommendations")}</h3>
            {if preparing && may_run {
                view! {
                    <ActionForm action=record attr:class="stack" attr:id="decision-record">
                        <input type="hidden" name="case" value=case />
                        <label for="decision-clauses">{t(locale, "Policy clauses applied (codes, separated by commas)")}</label>
                        <input id="decision-clauses" name="clauses" type="text" value=clauses_edit />
                        <label for="decision-precedents">{t(locale, "Precedents, one per line: “12 follows” or “7 distinguishes: why”")}</label>
                        <TextArea id="decision-precedents" name="precedents" rows=3 text=precedents_edit.clone() />
                        <label for="decision-recommendations">{t(locale, "Recommendations to the platform, one per line")}</label>
                        <TextArea id="decision-recommendations" name="recommendations" rows=4 text=recommendations_edit.clone() />
                        <button type="submit" id="save-decision-record">{t(locale, "Save")}</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <dl class="facts">
                        <div class="wide"><dt>{t(locale, "Clauses applied")}</dt><dd>{if view.clauses.is_empty() { t(locale, "none").to_owned() } else { view.clauses.clone() }}</dd></div>
                        <div class="wide"><dt>{t(locale, "Precedents")}</dt><dd class="prose">{if view.precedents.is_empty() { t(locale, "none").to_owned() } else { view.precedents.clone() }}</dd></div>
                    </dl>
                }.into_any()
            }}
            <Recommendations view=listing />

            <h3>{t(locale, "Opinions")}</h3>
            {view.opinions.is_empty().then(|| view! { <p class="muted">{t(locale, "No opinion signed yet.")}</p> })}
            <ul class="opinions">
                {view.opinions.iter().map(move |o| view! {
                    <li class=format!("opinion {}", o.kind.as_str())>
                        <p><strong>{kind_label(locale, o.kind)}</strong> " · " {o.member.clone()} " · "
                            <a href=format!("/log/entry/{}", o.log_index)>{crate::i18n::log_entry(locale, o.log_index)}</a></p>
                        <p class="prose">{o.text.clone()}</p>
                    </li>
                }).collect_view()}
            </ul>
            {(preparing && i_voted).then(|| view! {
                <SignOpinion case me kind=None text=String::new() authors=vec![] />
            })}
            {(preparing && may_run).then(|| view! {
                {(!all_signed).then(|| view! {
                    <p class="muted">{t(locale, "Publishing needs the rationale signed by each of its authors.")}</p>
                })}
                <ChairActForm act=ChairAct::Publish { case } me />
            })}
        </section>
    }
    .into_any()
}

#[component]
fn Recommendations(view: DecisionView) -> impl IntoView {
    let locale = use_locale();
    if view.recommendations.is_empty() {
        return view! { <p class="muted">{t(locale, "No recommendation to the platform.")}</p> }
            .into_any();
    }
    let now = view.now;
    let due = view.answers_due;
    view! {
        <ol class="recommendations" id="recommendations">
            {view.recommendations.into_iter().map(move |r| {
                let overdue = r.answers.is_empty() && due.is_some_and(|d| d.0 < now.0);
                view! {
                    <li>
                        <p>{r.text}</p>
                        {due.filter(|_| r.answers.is_empty()).map(|d| view! {
                            <p class="status-line" class:overdue=overdue>
                                {if overdue { t(locale, "Answer overdue: ") } else { t(locale, "Answer due ") }}
                                <time datetime=d.to_rfc3339()>{countdown(locale, d, now)}</time>
                            </p>
                        })}
                        <ul class="answers">
                            {r.answers.into_iter().map(move |a| view! {
                                <li>
                                    <strong>{format!("{}{}", t(locale, "The platform: "), t(locale, a.status.as_str()))}</strong>
                                    " · " <a href=format!("/log/entry/{}", a.log_index)>{crate::i18n::log_entry(locale, a.log_index)}</a>
                                    <p class="prose">{a.text}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// The chair picks the rationale's authors among the members who voted
/// (from the browser: the authors go as a list), then the page is loaded again.
#[island]
fn AuthorsForm(case: u64, voters: Vec<(u64, String)>, authors: Vec<u64>) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let problem = RwSignal::new(None::<String>);
    // Assigning runs in the browser: until the island is hydrated the form
    // is disabled.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let picked = browser::FormFields::of(&event).ids("author");
        leptos::task::spawn_local(async move {
            match assign_authors(case, picked).await {
                Ok(()) => browser::reload_page(),
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <form class="stack" id="authors-form" on:submit=submit>
            <fieldset disabled=move || !hydrated.get()>
                <legend>{t(locale, "Assign the rationale's author(s) (members who voted)")}</legend>
                <IdChoices name="author" prefix="author" options=voters ticked=authors />
            </fieldset>
            <button type="submit" id="assign-authors" disabled=move || !hydrated.get()>{t(locale, "Assign")}</button>
            <p class="error" role="alert">{move || problem.get().map(|p| crate::i18n::message(locale, &p))}</p>
        </form>
    }
}

/// Signs an opinion with this browser's key: the rationale (`kind` given,
/// its fixed text) or a dissent or concurrence the member writes; the page
/// is loaded again once it is signed.
#[island]
fn SignOpinion(
    case: u64,
    me: u64,
    kind: Option<OpinionKind>,
    text: String,
    authors: Vec<u64>,
) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let problem = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let rationale = kind == Some(OpinionKind::Majority);
    let prefix = if rationale { "rationale" } else { "opinion" };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problem.set(None);
        let fields = browser::FormFields::of(&event);
        // The rationale is the fixed text its authors sign; a separate
        // opinion is what the member wrote.
        let (kind, text) = match kind {
            Some(kind) => (kind, text.clone()),
            None => (
                OpinionKind::parse(&fields.get("kind")).unwrap_or(OpinionKind::Dissent),
                fields.get("text"),
            ),
        };
        let (pass, authors) = (fields.get("passphrase"), authors.clone());
        working.set(true);
        leptos::task::spawn_local(async move {
            browser::yield_to_browser().await;
            match sign(case, me, kind, text, authors, pass).await {
                Ok(()) => browser::reload_page(),
                Err(message) => {
                    problem.set(Some(message));
                    working.set(false);
                }
            }
        });
    };
    view! {
        <form class="stack sign-opinion" id=format!("{prefix}-sign") on:submit=submit>
            {if rationale {
                view! { <h4>{t(locale, "Sign the rationale")}</h4> }.into_any()
            } else {
                view! {
                    <h4>{t(locale, "Write a separate opinion")}</h4>
                    <label for="opinion-kind">{t(locale, "Kind")}</label>
                    <select id="opinion-kind" name="kind">
                        <option value="dissent">{t(locale, "Dissent")}</option>
                        <option value="concurrence">{t(locale, "Concurrence")}</option>
                    </select>
                    <label for="opinion-text">{t(locale, "Your opinion (signed and published)")}</label>
                    <TextArea id="opinion-text" name="text" rows=5 maxlength=MAX_OPINION_CHARS />
                }.into_any()
            }}
            <p class="notice" hidden=move || hydrated.get()>{t(locale, "Signing needs JavaScript.")}</p>
            <label for=format!("{prefix}-passphrase")>{t(locale, "Your passphrase")}</label>
            <input id=format!("{prefix}-passphrase") name="passphrase" type="password" autocomplete="current-password" required />
            <button type="submit" id=format!("{prefix}-sign-button") disabled=move || working.get() || !hydrated.get()>
                {move || if working.get() { t(locale, "Signing…") } else if rationale { t(locale, "Sign the rationale") } else { t(locale, "Sign and publish my opinion") }}
            </button>
            <p class="error" role="alert">{move || problem.get().map(|p| crate::i18n::message(locale, &p))}</p>
        </form>
    }
}

/// Lazy: in the browser the key's unlocking and signing are a WebAssembly
/// module of their own, fetched the first time it runs.
#[lazy]
async fn sign(
    case: u64,
    me: u64,
    kind: OpinionKind,
    text: String,
    authors: Vec<u64>,
    passphrase: String,
) -> Result<(), String> {
    let authors: Vec<MemberId> = authors.iter().copied().map(MemberId).collect();
    let body = OpinionBody::new(kind, &text, &authors)?;
    let (key, origin) = browser::unlock(me, &passphrase)?;
    let signed = opinion_statement(&origin, CaseId(case), MemberId(me), &body)
        .sign(&key)
        .map_err(|e| e.to_string())?;
    let authors = (!body.authors.is_empty()).then(|| {
        body.authors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    });
    sign_opinion(crate::functions::decisions::OpinionRequest {
        case,
        opinion: kind.as_str().to_owned(),
        text: body.text,
        authors,
        signature: domain::hex::encode(&signed.signature),
    })
    .await
    .map(|_| ())
    .map_err(|e| e.to_string())
}
