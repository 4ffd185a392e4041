use crate::error::AppError;
use crate::functions::council::{DecisionSummaryView, PublicCouncil, get_council};
use crate::i18n::{Locale, t, use_locale};
use crate::routes::public_decisions::DecisionItem;
use leptos::prelude::*;
use leptos_meta::Title;

/// The public home page: the council, its decision log, and
/// how to check the log without trusting this server.
#[component]
pub fn HomePage() -> impl IntoView {
    let council = Resource::new(|| (), |()| get_council());

    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the council…"</p> }>
            {move || Suspend::new(async move {
                match council.await {
                    Ok(Some(public)) => view! { <CouncilHome public /> }.into_any(),
                    Ok(None) => view! { <Uninitialised /> }.into_any(),
                    Err(error) => view! { <LoadFailed error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CouncilHome(public: PublicCouncil) -> impl IntoView {
    let PublicCouncil {
        council,
        log_key,
        log_size,
        decisions,
        demo,
    } = public;
    let locale = use_locale();
    let founded = locale.date(council.founded_at.date());
    let founded_iso = council.founded_at.to_rfc3339();
    let name = council.name.to_string();

    view! {
        <Title text=name.clone() />
        <section class="council-intro" aria-labelledby="council-name">
            <p class="eyebrow">{t(locale, "Content-moderation council")}</p>
            <h1 id="council-name">{name}</h1>
            <p class="lead">
                {t(locale, "Cases escalated by the platform are reviewed here by members from groups with opposing views. They vote with signatures made by keys only they hold, and every outcome is published in a public, append-only log that anyone can check.")}
            </p>
            <dl class="facts">
                <div>
                    <dt>{t(locale, "Log origin")}</dt>
                    <dd>
                        <code>{council.log_origin.to_string()}</code>
                    </dd>
                </div>
                <div>
                    <dt>{t(locale, "Founded")}</dt>
                    <dd>
                        <time datetime=founded_iso>{founded}</time>
                    </dd>
                </div>
                <div>
                    <dt>{t(locale, "Log entries")}</dt>
                    <dd>{locale.number(log_size)}</dd>
                </div>
                <div class="wide">
                    <dt>
                        {t(locale, "Log public key (")} <a href="/log/key">"C2SP vkey"</a> ")"
                    </dt>
                    <dd>
                        <code class="log-key">
                            {log_key.unwrap_or_else(|| t(locale, "not published").to_owned())}
                        </code>
                    </dd>
                </div>
            </dl>
        </section>
        {demo.then(|| view! {
            <p class="notice" id="demo-notice">
                {t(locale, "This is a demo council: its people, cases and votes are fictional, and its members' keys are public. ")}
                <a href="/sign-in">{t(locale, "Sign in as one of its members")}</a> {t(locale, " to look around.")}
            </p>
        })}
        <DecisionLog decisions />
        <CheckItYourself origin=council.log_origin.clone()><HowToCheck /></CheckItYourself>
    }
}

/// The decision log: the latest published decisions, or its empty state.
#[component]
fn DecisionLog(decisions: Vec<DecisionSummaryView>) -> impl IntoView {
    let locale = use_locale();
    if !decisions.is_empty() {
        return view! {
            <section id="decision-log" class="decision-log" aria-labelledby="decision-log-title">
                <h2 id="decision-log-title">{t(locale, "Decision log")}</h2>
                <ol class="decisions">
                    {decisions.into_iter().map(|d| view! { <DecisionItem d /> }).collect_view()}
                </ol>
                <p><a href="/decisions" id="all-decisions">{t(locale, "The whole decision log, with filters and search")}</a></p>
            </section>
        }
        .into_any();
    }
    view! {
        <section id="decision-log" class="decision-log" aria-labelledby="decision-log-title">
            <h2 id="decision-log-title">{t(locale, "Decision log")}</h2>
            <div class="empty-state" role="status">
                <p class="empty-title">{t(locale, "No decisions have been published yet.")}</p>
                <p>
                    {t(locale, "When the council decides a case, the decision appears here with its tallies per group, the majority's rationale and every signed dissent.")}
                </p>
            </div>
        </section>
    }
    .into_any()
}

/// How to verify the log. Without JavaScript the explanation is simply shown;
/// once the page is hydrated it folds behind a button. An island: the only
/// part of the home page compiled to WebAssembly; the explanation itself
/// ([`HowToCheck`]) is its children, rendered on the server.
#[island]
fn CheckItYourself(origin: domain::LogOrigin, children: Children) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let hydrated = RwSignal::new(false);
    let expanded = RwSignal::new(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| hydrated.set(true));

    view! {
        <section class="verify" aria-labelledby="verify-title">
            <div class="verify-heading">
                <h2 id="verify-title">{t(locale, "Check it yourself")}</h2>
                <button
                    type="button"
                    class="disclosure"
                    aria-controls="verify-panel"
                    aria-expanded=move || expanded.get().to_string()
                    hidden=move || !hydrated.get()
                    on:click=move |_| expanded.update(|open| *open = !*open)
                >
                    {move || t(locale, if expanded.get() { "Hide how" } else { "Show how" })}
                </button>
            </div>
            <div id="verify-panel" class="verify-panel" hidden=move || hydrated.get() && !expanded.get()>
                {children()}
            </div>
            <BrowserCheck origin hydrated />
        </section>
    }
}

/// The explanation of how to check the log, on the server only.
#[component]
fn HowToCheck() -> impl IntoView {
    let locale = use_locale();
    view! {
                <p>
                    {t(locale, "You do not have to trust the operator of this site. Every published statement (a vote, a dissent, a decision, a change of membership) is a leaf of a Merkle tree whose signed checkpoints independent witnesses cosign, so a vote cannot be forged, a dissent hidden or a past decision rewritten without it showing. ")}
                    {t(locale, "The witnesses whose cosignatures make a decision final are listed in the ")}
                    <a href="/log/witnesses">{t(locale, "witness policy")}</a> "."
                </p>
                <p>
                    {t(locale, "The log is identified by its origin line and public key above; its latest signed checkpoint is at ")}
                    <a href="/log/checkpoint">"/log/checkpoint"</a> ". "
                    {t(locale, "Once decisions are published, their signatures, the eligibility of every voter, the tallies and the consistency of every checkpoint can be re-checked offline with the ")}
                    <code>"tribune verify"</code> {t(locale, " command.")}
                </p>
    }
}

/// Fetches the whole log and verifies it here, in WebAssembly, with the same
/// code as `tribune verify`: the checkpoint's signature, every entry's
/// signature and the tree head. Hidden until the page is hydrated.
#[component]
fn BrowserCheck(origin: domain::LogOrigin, hydrated: RwSignal<bool>) -> impl IntoView {
    let locale = use_locale();
    // Entries checked so far, of how many.
    let progress = RwSignal::new(None::<(u64, u64)>);
    let check = Action::new(move |(): &()| {
        progress.set(None);
        verify_log(locale, origin.as_str().to_owned(), progress)
    });
    let running = check.pending();

    view! {
        <div class="browser-check" hidden=move || !hydrated.get()>
            <button
                type="button"
                class="disclosure"
                disabled=move || running.get()
                on:click=move |_| {
                    check.dispatch(());
                }
            >
                {move || match (running.get(), progress.get()) {
                    (true, Some((done, of))) => format!("{} {done} / {of}", t(locale, "Verifying…")),
                    (true, None) => t(locale, "Verifying…").to_owned(),
                    (false, _) => t(locale, "Verify the log in this browser").to_owned(),
                }}
            </button>
            <p class="check-result" role="status" aria-live="polite">
                {move || match check.value().get() {
                    Some(Ok(summary)) => summary,
                    Some(Err(problem)) => format!("{}{problem}", t(locale, "Verification failed: ")),
                    None => String::new(),
                }}
            </p>
        </div>
    }
}

/// Fetches the log chunk by chunk and verifies each as it arrives, telling
/// `progress`. Lazy: in the browser this and the verifier are a
/// WebAssembly module of their own, fetched the first time it runs (`cargo
/// leptos build --split`).
#[lazy]
async fn verify_log(
    locale: Locale,
    origin: String,
    progress: RwSignal<Option<(u64, u64)>>,
) -> Result<String, String> {
    use crate::functions::council::{CopyError, check_log_streamed};
    let origin = domain::LogOrigin::parse(&origin).map_err(|e| e.to_string())?;
    let keep = std::collections::BTreeSet::new();
    let checked = check_log_streamed(&origin, &keep, |done, of| {
        progress.set(Some((done, of)));
    })
    .await;
    let checked = match checked {
        Ok(Some(checked)) => checked,
        Ok(None) => {
            return Err(t(
                locale,
                "The log is empty: the council has not been founded.",
            )
            .to_owned());
        }
        Err(CopyError::Fetch(error)) => return Err(crate::i18n::message(locale, &error)),
        Err(error) => return Err(error.to_string()),
    };
    let summary = &checked.summary;
    let (entries, root, key) = (summary.entries, &summary.checkpoint.root, &checked.key_name);
    Ok(match (locale, entries) {
        (Locale::En, 1) => format!(
            "Verified in your browser: 1 entry, every signature valid, tree head {root}, checkpoint signed by {key}."
        ),
        (Locale::En, n) => format!(
            "Verified in your browser: {n} entries, every signature valid, tree head {root}, checkpoint signed by {key}."
        ),
        (Locale::Fr, n) => format!(
            "Vérifié dans votre navigateur : {n} entrée{}, toutes les signatures valides, racine de l'arbre {root}, point de contrôle signé par {key}.",
            if n == 1 { "" } else { "s" }
        ),
    })
}

#[component]
fn Uninitialised() -> impl IntoView {
    view! {
        <Title text="No council yet" />
        <section class="setup" aria-labelledby="setup-title">
            <h1 id="setup-title">"This Tribune has no council yet"</h1>
            <p>
                "The database is ready but no council has been founded in it. "
                "On the server, run:"
            </p>
            <pre><code>"tribune init --name \"Your council's name\""</code></pre>
            <p>
                "It records the council once (it refuses to run twice). Then reload this page. "
                "To try Tribune with demo data instead, run " <code>"make run"</code>
                " from a checkout of the source."
            </p>
        </section>
    }
}

#[component]
fn LoadFailed(error: AppError) -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(match error {
            AppError::Unavailable => http::StatusCode::SERVICE_UNAVAILABLE,
            _ => http::StatusCode::INTERNAL_SERVER_ERROR,
        });
    }
    view! {
        <Title text=t(locale, "Unavailable") />
        <section class="load-failed" role="alert" data-error-code=error.code().to_owned()>
            <h1>{t(locale, "The council's records could not be loaded")}</h1>
            <p>{crate::i18n::error_text(locale, &error)}</p>
        </section>
    }
}
