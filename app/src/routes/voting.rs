//! Motions and votes on a case page. Drafting a motion and closing a vote
//! everyone has voted on are plain forms; the chair's acts (opening a vote,
//! assigning a panel; publishing, on the decision) are prepared by the
//! server and signed with the chair's own key in the browser
//! ([`ChairActForm`]), as a vote is signed with the member's key
//! (WebAssembly), together with its commitment when the motion is sealed.

use crate::browser;
use crate::components::choices::IdChoices;
use crate::components::text_area::TextArea;
use crate::functions::voting::{
    CloseVoting, DraftMotion, MotionView, VotingView, assign_panel, cast_vote, open_voting,
    prepare_opening, prepare_panel,
};
use crate::i18n::{Locale, t, use_locale};
use domain::cases::CaseId;
use domain::statement::{MemberId, MotionId};
use domain::voting::{MAX_MOTION_CHARS, MAX_VOTE_REASON_CHARS, MotionKind, Outcome, Tally};
use leptos::prelude::*;

/// A choice as the member reads it: the three standard ones translated,
/// named remedies as the chair wrote them.
fn choice_text(locale: Locale, choice: &str) -> String {
    match choice {
        "support" => t(locale, "support").to_owned(),
        "oppose" => t(locale, "oppose").to_owned(),
        "abstain" => t(locale, "abstain").to_owned(),
        other => other.to_owned(),
    }
}

/// The chair's plain voting forms on the case page.
#[derive(Clone, Copy)]
pub struct VotingActions {
    pub draft: ServerAction<DraftMotion>,
    pub close: ServerAction<CloseVoting>,
}

impl VotingActions {
    pub fn new() -> Self {
        Self {
            draft: ServerAction::new(),
            close: ServerAction::new(),
        }
    }
}

impl Default for VotingActions {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn Voting(case: u64, view: VotingView, actions: VotingActions) -> impl IntoView {
    let locale = use_locale();
    let VotingActions { draft, close } = actions;
    let now = view.now;
    let may_run = view.may_run;
    let voting_stage = view.voting_stage;
    let me = view.me;
    let rules_text = crate::i18n::rules_text(locale, &view.rules);
    let window_hours = view.rules.window_hours;
    view! {
        <section class="voting" aria-labelledby="voting-title">
            <h2 id="voting-title">{t(locale, "Motions and votes")}</h2>
            <p class="muted" id="rules-in-force">{t(locale, "Rules in force (version ")} {view.rules.version} "): " {rules_text}</p>
            <p class="error" role="alert">
                {crate::routes::form_refusal(locale, &[
                    crate::routes::path_of::<DraftMotion>(),
                    crate::routes::path_of::<CloseVoting>(),
                ])}
            </p>
            <Panel case me view=view.clone() />
            {view.motions.is_empty().then(|| view! {
                <p class="muted" id="no-motions">{t(locale, "No motion has been drafted on this case yet.")}</p>
            })}
            {view.motions.into_iter().map(|motion| view! {
                <Motion case motion me now may_run voting_stage window_hours close />
            }).collect_view()}
            {(may_run && view.open).then(|| view! { <DraftForm case draft /> })}
        </section>
    }
}

/// Who votes on the case: its panel, or the whole council; the chair may
/// assign a panel (proposed to cover every group) until voting opens.
#[component]
fn Panel(case: u64, me: u64, view: VotingView) -> impl IntoView {
    let locale = use_locale();
    let chosen: Vec<u64> = view
        .panel
        .as_ref()
        .map(|p| p.iter().map(|m| m.member).collect())
        .unwrap_or_else(|| view.proposal.clone());
    let summary = match &view.panel {
        Some(panel) => format!(
            "{}{}.",
            t(locale, "Panel: "),
            panel
                .iter()
                .map(|m| format!("{} ({})", m.name, m.group))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => t(
            locale,
            "No panel: every eligible member of the council votes.",
        )
        .to_owned(),
    };
    let assigned = view.panel.is_some();
    let eligible: Vec<(u64, String)> = view
        .eligible
        .iter()
        .map(|m| (m.member, format!("{} ({})", m.name, m.group)))
        .collect();
    view! {
        <p id="panel">{summary}</p>
        {(view.may_run && view.panel_open && !view.eligible.is_empty()).then(|| view! {
            <PanelForm case me eligible chosen assigned />
        })}
    }
}

/// The chair's panel form: the server prepares the `panel-assignment`
/// for the members ticked, the chair signs it with their own key here, and
/// the page is loaded again.
#[island]
fn PanelForm(
    case: u64,
    me: u64,
    eligible: Vec<(u64, String)>,
    chosen: Vec<u64>,
    assigned: bool,
) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let problem = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problem.set(None);
        let fields = browser::FormFields::of(&event);
        let (picked, pass) = (fields.ids("member"), fields.get("passphrase"));
        working.set(true);
        leptos::task::spawn_local(async move {
            let act = Prepared::Panel {
                case,
                members: picked,
            };
            match sign_chair_act(act, me, pass).await {
                Ok(_) => browser::reload_page(),
                Err(message) => {
                    problem.set(Some(message));
                    working.set(false);
                }
            }
        });
    };
    view! {
        <details class="panel-form">
            <summary>{if assigned { t(locale, "Change the panel") } else { t(locale, "Assign a panel") }}</summary>
            <form class="stack" id="panel-form" on:submit=submit>
                <fieldset disabled=move || !hydrated.get()>
                    <legend>{t(locale, "Panel members (at least one from every group; recused members cannot sit)")}</legend>
                    <IdChoices name="member" prefix="panel" options=eligible ticked=chosen />
                </fieldset>
                <p class="notice" hidden=move || hydrated.get()>{crate::i18n::chair_signs_with_js(locale)}</p>
                <label for="panel-passphrase">{t(locale, "Your passphrase")}</label>
                <input id="panel-passphrase" name="passphrase" type="password" autocomplete="current-password" required />
                <button type="submit" id="assign-panel" disabled=move || working.get() || !hydrated.get()>
                    {move || if working.get() { t(locale, "Signing…") } else { crate::i18n::sign_panel(locale) }}
                </button>
                <p class="error" role="alert">{move || problem.get().map(|p| crate::i18n::message(locale, &p))}</p>
            </form>
        </details>
    }
}

/// A chair's act the server prepares and the chair signs in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ChairAct {
    /// Open voting on a drafted motion, for a window of at most
    /// `max_minutes` (the rules' window).
    Open { motion: u64, max_minutes: u32 },
    /// Publish the decided case's decision.
    Publish { case: u64 },
}

/// The form of a chair's act: the chair's passphrase (and, to open a vote,
/// its window); on submit the server prepares the statement, the chair's
/// key signs it here, and the server logs it.
#[island]
pub fn ChairActForm(act: ChairAct, me: u64) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let problem = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problem.set(None);
        let fields = browser::FormFields::of(&event);
        let (window, pass) = (fields.get("window_minutes"), fields.get("passphrase"));
        working.set(true);
        leptos::task::spawn_local(async move {
            let act = match act {
                ChairAct::Open { motion, .. } => Prepared::Open {
                    motion,
                    window: window.trim().parse::<u32>().ok(),
                },
                ChairAct::Publish { case } => Prepared::Publish { case },
            };
            match sign_chair_act(act, me, pass).await {
                Ok(_) => browser::reload_page(),
                Err(message) => {
                    problem.set(Some(message));
                    working.set(false);
                }
            }
        });
    };
    let (form_id, passphrase_id, button_id, label) = match act {
        ChairAct::Open { motion, .. } => (
            format!("open-{motion}"),
            format!("open-passphrase-{motion}"),
            format!("open-voting-{motion}"),
            crate::i18n::sign_opening(locale),
        ),
        ChairAct::Publish { .. } => (
            "publish-form".to_owned(),
            "publish-passphrase".to_owned(),
            "publish-decision".to_owned(),
            crate::i18n::sign_publication(locale),
        ),
    };
    let passphrase_for = passphrase_id.clone();
    view! {
        <form class="inline-form chair-act" id=form_id on:submit=submit>
            {match act {
                ChairAct::Open { motion, max_minutes } => Some(view! {
                    <label for=format!("window-{motion}")>{t(locale, "Voting window (minutes)")}</label>
                    <input id=format!("window-{motion}") name="window_minutes" type="number" min="1"
                        max=max_minutes.to_string() value=max_minutes.to_string() />
                }),
                ChairAct::Publish { .. } => None,
            }}
            <p class="notice" hidden=move || hydrated.get()>{crate::i18n::chair_signs_with_js(locale)}</p>
            <label for=passphrase_for>{t(locale, "Your passphrase")}</label>
            <input id=passphrase_id name="passphrase" type="password" autocomplete="current-password" required />
            <button type="submit" id=button_id disabled=move || working.get() || !hydrated.get()>
                {move || if working.get() { t(locale, "Signing…") } else { label }}
            </button>
            <p class="error" role="alert">{move || problem.get().map(|p| crate::i18n::message(locale, &p))}</p>
        </form>
    }
}

/// A chair's act with what the chair filled in.
enum Prepared {
    Open { motion: u64, window: Option<u32> },
    Panel { case: u64, members: Vec<u64> },
    Publish { case: u64 },
}

/// A chair's act, whole: the server prepares its statement, this browser's
/// key for `me` signs it (after checking it is for this council), the
/// server logs it. Lazy: the key's unlocking and signing, and the calls to
/// the server, are a WebAssembly module of their own, fetched the first
/// time it runs.
#[lazy]
async fn sign_chair_act(act: Prepared, me: u64, passphrase: String) -> Result<u64, String> {
    let text = |e: crate::error::AppError| e.to_string();
    let statement = match &act {
        Prepared::Open { motion, window } => prepare_opening(*motion, *window).await,
        Prepared::Panel { case, members } => prepare_panel(*case, members.clone()).await,
        Prepared::Publish { case } => crate::functions::decisions::prepare_decision(*case).await,
    }
    .map_err(text)?;
    let (key, origin) = browser::unlock(me, &passphrase)?;
    let parsed: domain::statement::Statement =
        serde_json::from_str(&statement).map_err(|e| e.to_string())?;
    if parsed.origin != origin {
        return Err("The statement to sign is for another council.".to_owned());
    }
    let signed = parsed.sign(&key).map_err(|e| e.to_string())?;
    let signature = domain::hex::encode(&signed.signature);
    match act {
        Prepared::Open { .. } => open_voting(statement, signature).await,
        Prepared::Panel { .. } => assign_panel(statement, signature).await,
        Prepared::Publish { .. } => {
            crate::functions::decisions::publish_decision(statement, signature).await
        }
    }
    .map_err(text)
}

#[component]
fn DraftForm(case: u64, draft: ServerAction<DraftMotion>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ActionForm action=draft attr:class="stack" attr:id="draft-motion" attr:aria-labelledby="draft-title">
            <h3 id="draft-title">{t(locale, "Draft a motion")}</h3>
            <input type="hidden" name="case" value=case />
            <label for="motion-kind">{t(locale, "Kind of motion")}</label>
            <select id="motion-kind" name="kind">
                <option value="finding">{t(locale, "Finding (support, oppose, abstain)")}</option>
                <option value="remedy">{t(locale, "Remedy (support, oppose, abstain)")}</option>
                <option value="choice">{t(locale, "Choice among named remedies")}</option>
            </select>
            <label for="motion-text">{t(locale, "Text of the motion")}</label>
            <TextArea id="motion-text" name="text" required=true rows=3 maxlength=MAX_MOTION_CHARS />
            <label for="motion-effect">{crate::i18n::effect_question(locale)}</label>
            <select id="motion-effect" name="effect" aria-describedby="motion-effect-hint">
                <option value="">{crate::i18n::effect_unsaid(locale)}</option>
                {domain::voting::Effect::ALL.iter().map(|e| view! {
                    <option value=e.as_str()>{crate::i18n::effect_name(locale, *e)}</option>
                }).collect_view()}
            </select>
            <p class="hint" id="motion-effect-hint">{crate::i18n::effect_hint(locale)}</p>
            <label for="motion-remedies">{t(locale, "Remedies, one per line (choice motions only)")}</label>
            <TextArea id="motion-remedies" name="remedies" rows=3 />
            <button type="submit" id="save-motion">{t(locale, "Save the draft")}</button>
        </ActionForm>
    }
}

#[component]
#[expect(
    clippy::too_many_arguments,
    reason = "one motion and the page's actions"
)]
fn Motion(
    case: u64,
    motion: MotionView,
    me: u64,
    now: domain::Timestamp,
    may_run: bool,
    voting_stage: bool,
    window_hours: u32,
    close: ServerAction<CloseVoting>,
) -> impl IntoView {
    let locale = use_locale();
    let id = motion.id;
    let state_label = t(
        locale,
        match motion.state.as_str() {
            "draft" => "Draft",
            "open" => "Voting open",
            _ => "Closed",
        },
    );
    let everyone_voted = !motion.roll.is_empty() && motion.roll.iter().all(|m| m.voted);
    let heading = format!(
        "{} {id} · {} · {state_label}",
        t(locale, "Motion"),
        t(locale, motion.kind.as_str())
    );
    let label = heading.clone();
    view! {
        <article class="motion" id=format!("motion-{id}") data-state=motion.state.clone() aria-label=label>
            <h3>{heading}</h3>
            <p class="motion-text">{motion.text.clone()}</p>
            {motion.effect.map(|e| view! {
                <p class="motion-effect">{crate::i18n::if_carried(locale)} {crate::i18n::effect_name(locale, e)}</p>
            })}
            {(motion.kind == MotionKind::Choice).then(|| view! {
                <p>{t(locale, "Remedies: ")} {motion.choices.iter().filter(|c| *c != "abstain").cloned().collect::<Vec<_>>().join(" · ")}</p>
            })}
            {motion.closes_at.filter(|_| motion.state == "open").map(|d| view! {
                <p class="status-line">
                    <time datetime=d.to_rfc3339() title=d.to_rfc3339()>{crate::functions::cases::closes_in(locale, d, now)}</time>
                    {motion.sealed.then_some(t(locale, " · sealed: choices stay hidden from everyone until the close"))}
                </p>
            })}
            {motion.opened_index.map(|index| view! {
                <p class="muted">
                    {t(locale, "Opened in ")} <a href=format!("/log/entry/{index}")>{crate::i18n::log_entry(locale, index)}</a>
                    {motion.rules.map(|r| format!("{}{}", t(locale, " under rules version "), r.version))}
                    {motion.closed_index.map(|c| view! {
                        {t(locale, "; closed in ")} <a href=format!("/log/entry/{c}")>{crate::i18n::log_entry(locale, c)}</a>
                    })}
                </p>
            })}
            {(!motion.roll.is_empty()).then(|| view! {
                <details class="roll">
                    <summary>{crate::i18n::eligible_roll(locale, motion.roll.len(), motion.roll.iter().filter(|m| m.voted).count())}</summary>
                    <ul>
                        {motion.roll.iter().map(move |m| view! {
                            <li data-member=m.member>{m.name.clone()} " (" {m.group.clone()} ")" {m.voted.then_some(t(locale, " · voted"))}</li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
            {motion.tally.clone().map(|tally| view! { <TallyTable tally /> })}
            <Votes motion=motion.clone() />
            {motion.my_next.map(|next| view! {
                <VoteForm case motion=id me next sealed=motion.sealed choices=motion.choices.clone() />
            })}
            {(may_run && motion.state == "draft").then(|| {
                if voting_stage {
                    view! {
                        <ChairActForm act=ChairAct::Open { motion: id, max_minutes: window_hours * 60 } me />
                    }.into_any()
                } else {
                    view! { <p class="muted">{t(locale, "Voting opens once the case is moved to its voting stage.")}</p> }.into_any()
                }
            })}
            {(may_run && motion.state == "open" && everyone_voted).then(|| view! {
                <ActionForm action=close attr:class="inline-form">
                    <input type="hidden" name="motion" value=id />
                    <button type="submit" id=format!("close-voting-{id}")>{t(locale, "Everyone voted: close voting now")}</button>
                </ActionForm>
            })}
        </article>
    }
}

#[component]
fn Votes(motion: MotionView) -> impl IntoView {
    let locale = use_locale();
    if motion.votes.is_empty() {
        return (motion.state != "draft")
            .then(|| view! { <p class="muted">{t(locale, "No vote yet.")}</p> })
            .into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0"><table class="votes">
            <caption>{if motion.sealed { t(locale, "Who voted and when (choices sealed until the close)") } else { t(locale, "Votes, in the order cast") }}</caption>
            <thead><tr><th scope="col">{t(locale, "Member")}</th><th scope="col">{t(locale, "Group")}</th><th scope="col">{t(locale, "Choice")}</th><th scope="col">{t(locale, "Reason")}</th><th scope="col">{t(locale, "Log")}</th></tr></thead>
            <tbody>
                {motion.votes.into_iter().map(move |v| view! {
                    <tr class:replaced=v.replaced>
                        <td>{v.member}</td>
                        <td>{v.group}</td>
                        <td>
                            {v.choice.map_or_else(|| t(locale, "sealed").to_owned(), |c| choice_text(locale, &c))}
                            {v.replaced.then_some(t(locale, " (replaced)"))}
                        </td>
                        <td>{v.reason.unwrap_or_default()}</td>
                        <td><a href=format!("/log/entry/{}", v.log_index)>{v.log_index}</a></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

#[component]
pub fn TallyTable(tally: Tally) -> impl IntoView {
    let locale = use_locale();
    let outcome = match tally.outcome {
        Outcome::Carried => format!(
            "{}{}",
            t(locale, "Carried: "),
            choice_text(locale, &tally.leading.clone().unwrap_or_default())
        ),
        Outcome::NotCarried => t(locale, "Not carried").to_owned(),
        Outcome::NoDecision => t(locale, "No decision").to_owned(),
    };
    let yes_no = move |met: bool| t(locale, if met { "met" } else { "not met" });
    let choices: Vec<String> = tally.counts.keys().cloned().collect();
    view! {
        <div class="tally">
            <p class="outcome" data-outcome=tally.outcome.as_str()><strong>{outcome}</strong></p>
            <ul class="tests">
                <li>{crate::i18n::quorum_line(locale, yes_no(tally.quorum_met), tally.voted, tally.eligible, tally.quorum_needed)}</li>
                <li>{crate::i18n::threshold_line(locale, yes_no(tally.threshold_met), tally.supports_needed)}</li>
                <li class="bridging-result">{format!("{} {}", t(locale, "Bridging"), yes_no(tally.bridging_met))}</li>
            </ul>
            <div class="table-scroll" tabindex="0"><table class="tally-table">
                <caption>{t(locale, "Tally, overall and per group")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(locale, "Group")}</th>
                        {choices.iter().map(|c| view! { <th scope="col">{choice_text(locale, c)}</th> }).collect_view()}
                        <th scope="col">{t(locale, "Voted / eligible")}</th>
                    </tr>
                </thead>
                <tbody>
                    {tally.groups.iter().map(|g| view! {
                        <tr>
                            <th scope="row">{g.group.clone()}</th>
                            {choices.iter().map(|c| view! { <td>{g.counts.get(c).copied().unwrap_or(0)}</td> }).collect_view()}
                            <td>{format!("{} / {}", g.voted, g.eligible)}</td>
                        </tr>
                    }).collect_view()}
                    <tr class="total">
                        <th scope="row">{t(locale, "All")}</th>
                        {choices.iter().map(|c| view! { <td>{tally.counts.get(c).copied().unwrap_or(0)}</td> }).collect_view()}
                        <td>{format!("{} / {}", tally.voted, tally.eligible)}</td>
                    </tr>
                </tbody>
            </table></div>
        </div>
    }
}

/// The member's vote on a motion, signed with their key in the browser;
/// the page is loaded again once it is cast.
#[island]
fn VoteForm(
    case: u64,
    motion: u64,
    me: u64,
    next: u32,
    sealed: bool,
    choices: Vec<String>,
) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let id = motion;
    let problem = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problem.set(None);
        let fields = browser::FormFields::of(&event);
        let picked = fields.get("choice");
        if picked.is_empty() {
            problem.set(Some(t(locale, "Pick a choice first.").to_owned()));
            return;
        }
        working.set(true);
        let (why, pass) = (fields.get("reason"), fields.get("passphrase"));
        leptos::task::spawn_local(async move {
            browser::yield_to_browser().await;
            let vote = VoteToSign {
                case,
                motion: id,
                me,
                sequence: next,
                sealed,
                choice: picked,
                reason: why,
            };
            match sign_vote(vote, pass).await {
                Ok(()) => browser::reload_page(),
                Err(message) => {
                    problem.set(Some(message));
                    working.set(false);
                }
            }
        });
    };
    let legend = if next > 1 {
        crate::i18n::replace_vote(locale, next - 1)
    } else {
        t(locale, "Your vote").to_owned()
    };
    view! {
        <form class="stack vote-form" on:submit=submit id=format!("vote-{id}")>
            <fieldset>
                <legend>{legend}</legend>
                {choices.iter().map(move |c| {
                    let input_id = format!("choice-{id}-{}", c.replace(' ', "-"));
                    let label_for = input_id.clone();
                    view! {
                        <label for=label_for class="choice">
                            <input type="radio" id=input_id name="choice" value=c.clone() />
                            {choice_text(locale, c)}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label for=format!("vote-reason-{id}")>{if sealed { t(locale, "Reason (optional; published at the close)") } else { t(locale, "Reason (optional; published)") }}</label>
            <TextArea id=format!("vote-reason-{id}") name="reason" rows=2 maxlength=MAX_VOTE_REASON_CHARS />
            <p class="notice" hidden=move || hydrated.get()>{t(locale, "Signing a vote needs JavaScript.")}</p>
            <label for=format!("vote-passphrase-{id}")>{t(locale, "Your passphrase")}</label>
            <input id=format!("vote-passphrase-{id}") name="passphrase" type="password" autocomplete="current-password" required />
            <button type="submit" id=format!("cast-{id}") disabled=move || working.get() || !hydrated.get()>
                {move || if working.get() { t(locale, "Signing…") } else { t(locale, "Sign and cast my vote") }}
            </button>
            <p class="error" role="alert">{move || problem.get().map(|p| crate::i18n::message(locale, &p))}</p>
        </form>
    }
}

/// What a member's vote says, before it is signed.
struct VoteToSign {
    case: u64,
    motion: u64,
    me: u64,
    sequence: u32,
    sealed: bool,
    choice: String,
    reason: String,
}

/// Signs the vote (and, on a sealed motion, its commitment, with a fresh
/// random salt) with this browser's key for `me`, and sends it.
/// Lazy: in the browser the key's unlocking and signing are a WebAssembly
/// module of their own, fetched the first time it runs.
#[lazy]
async fn sign_vote(vote: VoteToSign, passphrase: String) -> Result<(), String> {
    let VoteToSign {
        case,
        motion,
        me,
        sequence,
        sealed,
        choice,
        reason,
    } = vote;
    let reason = domain::voting::vote_reason(&reason)?;
    let (key, origin) = browser::unlock(me, &passphrase)?;
    let salt = if sealed {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| "The browser could not provide random numbers.")?;
        Some(domain::hex::encode(&bytes))
    } else {
        None
    };
    let body = domain::voting::VoteBody {
        choice: choice.to_owned(),
        reason: reason.clone(),
        sequence,
        salt: salt.clone(),
    };
    let (case_id, motion_id, member) = (CaseId(case), MotionId(motion), MemberId(me));
    let vote = domain::voting::vote_statement(&origin, case_id, motion_id, member, &body)
        .sign(&key)
        .map_err(|e| e.to_string())?;
    let commitment = if sealed {
        let entry = vote.to_entry().map_err(|e| e.to_string())?;
        let signed = domain::voting::commitment_statement(
            &origin,
            case_id,
            motion_id,
            member,
            &domain::voting::CommitmentBody {
                commitment: domain::voting::commitment(&entry),
                sequence,
            },
        )
        .sign(&key)
        .map_err(|e| e.to_string())?;
        Some(domain::hex::encode(&signed.signature))
    } else {
        None
    };
    cast_vote(crate::functions::voting::VoteRequest {
        motion,
        choice: choice.to_owned(),
        reason,
        sequence,
        salt,
        signature: domain::hex::encode(&vote.signature),
        commitment_signature: commitment,
    })
    .await
    .map(|_| ())
    .map_err(|e| e.to_string())
}
