//! The council's voting rules: every version, public at `/rules`; on the
//! admin page, the form an admin signs (in the browser) to change them.

use crate::browser;
use crate::error::AppError;
use crate::functions::voting::{RulesVersionView, change_rules, rules_history};
use crate::i18n::{self, t, use_locale};
use domain::voting::{Bridging, Rules, Threshold};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RulesPage() -> impl IntoView {
    let locale = use_locale();
    let history = Resource::new(|| (), |()| rules_history());
    view! {
        <Title text=t(locale, "Voting rules") />
        <section aria-labelledby="rules-title">
            <h1 id="rules-title">{t(locale, "Voting rules")}</h1>
            <p class="lead">
                {t(locale, "Every motion is voted under the rules in force when voting opened on it. ")}
                {t(locale, "Each change is signed by an admin and published in the log.")}
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the rules…")}</p> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(versions) => view! { <RulesHistory versions /> }.into_any(),
                        Err(error) => view! { <p class="notice" role="alert">{crate::i18n::error_text(locale, &error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RulesHistory(versions: Vec<RulesVersionView>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ol class="rules-history" reversed>
            {versions.into_iter().rev().map(|v| view! {
                <li data-version=v.rules.version>
                    <strong>{format!("Version {}", v.rules.version)}</strong> {i18n::colon(locale)} {i18n::rules_text(locale, &v.rules)}
                    <br />
                    {match v.change {
                        None => view! { <span class="muted">{t(locale, "The initial rules of every council.")}</span> }.into_any(),
                        Some((by, reason, index, at)) => view! {
                            <span class="muted">
                                {i18n::rules_adopted(locale, at.date(), &by)} <q>{reason}</q> " ("
                                <a href=format!("/log/entry/{index}")>{i18n::log_entry(locale, index)}</a> ")"
                            </span>
                        }.into_any(),
                    }}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// The admin's form: the next version of the rules, signed in the browser.
#[component]
pub fn RulesForm() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(
        || (),
        |_| async {
            let me = crate::functions::auth::get_session().await?;
            Ok::<_, AppError>((rules_history().await?, me))
        },
    );
    view! {
        <section aria-labelledby="rules-form-title">
            <h2 id="rules-form-title">{t(locale, "Voting rules")}</h2>
            <p>
                {t(locale, "Motions opened after a change are voted under the new rules; open motions keep theirs. ")}
                <a href="/rules">{t(locale, "Every version")}</a> "."
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    // Only an admin is shown the form (the server checks again).
                    data.await
                        .ok()
                        .filter(|(_, me)| me.as_ref().is_some_and(|m| m.role == domain::members::Role::Admin))
                        .and_then(|(versions, _)| versions.last().cloned())
                        .map(|current| view! { <RulesEditor rules=current.rules /> })
                })}
            </Suspense>
        </section>
    }
}

/// The next version of the rules, signed with the admin's key in the
/// browser; the page is loaded again once they are adopted. The fields are
/// read from the form when it is sent.
#[island(lazy)]
fn RulesEditor(rules: Rules) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let (qualified, numerator, denominator) = match rules.threshold {
        Threshold::SimpleMajority => (false, 2, 3),
        Threshold::Qualified {
            numerator,
            denominator,
        } => (true, numerator, denominator),
    };
    let threshold = RwSignal::new(if qualified { "qualified" } else { "simple" }.to_owned());
    let (bridging_kind, groups) = match rules.bridging {
        Bridging::None => ("none", 2),
        Bridging::MajorityInGroups { groups } => ("majority-in-groups", groups),
        Bridging::SupporterInEveryGroup => ("supporter-in-every-group", 2),
    };
    let bridging = RwSignal::new(bridging_kind.to_owned());
    let problem = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let number = move |text: String, what: &'static str| -> Result<u32, String> {
        text.trim()
            .parse::<u32>()
            .map_err(|_| crate::i18n::whole_number(locale, t(locale, what)))
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problem.set(None);
        let f = browser::FormFields::of(&event);
        let built = (|| -> Result<Rules, String> {
            let threshold = if f.get("threshold") == "qualified" {
                Threshold::Qualified {
                    numerator: number(f.get("numerator"), "numerator")?,
                    denominator: number(f.get("denominator"), "denominator")?,
                }
            } else {
                Threshold::SimpleMajority
            };
            let bridging = match f.get("bridging").as_str() {
                "majority-in-groups" => Bridging::MajorityInGroups {
                    groups: number(f.get("groups"), "number of groups")?,
                },
                "supporter-in-every-group" => Bridging::SupporterInEveryGroup,
                _ => Bridging::None,
            };
            let rules = Rules {
                version: rules.version + 1,
                quorum_percent: number(f.get("quorum"), "quorum")?,
                threshold,
                bridging,
                window_hours: number(f.get("window"), "voting window")?,
                sealed: !f.get("sealed").is_empty(),
            };
            rules.check()?;
            Ok(rules)
        })();
        let next = match built {
            Ok(next) => next,
            Err(message) => {
                problem.set(Some(message));
                return;
            }
        };
        working.set(true);
        let (why, pass) = (f.get("reason"), f.get("passphrase"));
        leptos::task::spawn_local(async move {
            browser::yield_to_browser().await;
            match sign_rules(next, why, pass).await {
                Ok(()) => browser::reload_page(),
                Err(message) => {
                    problem.set(Some(message));
                    working.set(false);
                }
            }
        });
    };
    view! {
        <p id="rules-current">{format!("{}{}. {}", t(locale, "In force: version "), rules.version, crate::i18n::rules_text(locale, &rules))}</p>
        <form class="stack" on:submit=submit aria-label=t(locale, "Change the voting rules")>
            <label for="rules-quorum">{t(locale, "Quorum (% of the roll who must vote)")}</label>
            <input id="rules-quorum" name="quorum" type="number" min="1" max="100" required value=rules.quorum_percent />
            <label for="rules-threshold">{t(locale, "Threshold (of the roll minus abstentions)")}</label>
            <select id="rules-threshold" name="threshold" on:change=move |ev| threshold.set(event_target_value(&ev))>
                <option value="simple" selected=!qualified>{t(locale, "Simple majority")}</option>
                <option value="qualified" selected=qualified>{t(locale, "Qualified majority")}</option>
            </select>
            <fieldset hidden=move || threshold.get() != "qualified">
                <legend>{t(locale, "Qualified majority (fraction)")}</legend>
                <label for="rules-numerator">{t(locale, "Numerator")}</label>
                <input id="rules-numerator" name="numerator" type="number" min="1" value=numerator />
                <label for="rules-denominator">{t(locale, "Denominator")}</label>
                <input id="rules-denominator" name="denominator" type="number" min="1" value=denominator />
            </fieldset>
            <label for="rules-bridging">{t(locale, "Agreement across groups")}</label>
            <select id="rules-bridging" name="bridging" on:change=move |ev| bridging.set(event_target_value(&ev))>
                <option value="none" selected=bridging_kind == "none">{t(locale, "None")}</option>
                <option value="supporter-in-every-group" selected=bridging_kind == "supporter-in-every-group">{t(locale, "At least one supporter in every group")}</option>
                <option value="majority-in-groups" selected=bridging_kind == "majority-in-groups">{t(locale, "A majority of voters in at least K groups")}</option>
            </select>
            <label for="rules-groups" hidden=move || bridging.get() != "majority-in-groups">{t(locale, "K (groups)")}</label>
            <input id="rules-groups" name="groups" type="number" min="1" hidden=move || bridging.get() != "majority-in-groups" value=groups />
            <label for="rules-window">{t(locale, "Voting window (hours)")}</label>
            <input id="rules-window" name="window" type="number" min="1" max="2160" required value=rules.window_hours />
            <label class="choice" for="rules-sealed">
                <input id="rules-sealed" name="sealed" type="checkbox" checked=rules.sealed />
                {t(locale, "Sealed: choices hidden, from the log too, until the close")}
            </label>
            <label for="rules-reason">{t(locale, "Reason (published)")}</label>
            <input id="rules-reason" name="reason" type="text" required />
            <p class="notice" hidden=move || hydrated.get()>{t(locale, "Signing a rules change needs JavaScript.")}</p>
            <label for="rules-passphrase">{t(locale, "Your passphrase")}</label>
            <input id="rules-passphrase" name="passphrase" type="password" autocomplete="current-password" required />
            <button type="submit" id="change-rules" disabled=move || working.get() || !hydrated.get()>
                {move || if working.get() { t(locale, "Signing…") } else { t(locale, "Sign and adopt these rules") }}
            </button>
            <p class="error" role="alert">{move || problem.get().map(|p| crate::i18n::message(locale, &p))}</p>
        </form>
    }
}

/// Signs the rules change with the signed-in admin's key in this browser.
/// Lazy: in the browser the key's unlocking and signing are a WebAssembly
/// module of their own, fetched the first time it runs.
#[lazy]
async fn sign_rules(rules: Rules, reason: String, passphrase: String) -> Result<(), String> {
    let reason = domain::voting::rules_change_reason(&reason)?;
    let me = crate::functions::auth::get_session()
        .await
        .map_err(|e: AppError| e.to_string())?
        .ok_or("Sign in first.")?;
    let (key, origin) = browser::unlock(me.id.0, &passphrase)?;
    let body = domain::voting::RulesChangeBody {
        rules,
        reason: reason.clone(),
    };
    let signed = domain::voting::rules_change_statement(&origin, &body)
        .sign(&key)
        .map_err(|e| e.to_string())?;
    let json = serde_json::to_string(&rules).map_err(|e| e.to_string())?;
    change_rules(json, reason, domain::hex::encode(&signed.signature))
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}
