//! Sign-in: the browser signs a fresh server nonce with a key stored here
//! (unlocked with its passphrase). Also where a key backup is imported.

use crate::browser;
use crate::functions::auth::{sign_in, sign_in_challenge};
use crate::functions::council::{DemoMember, demo_members};
use crate::i18n::{Locale, t, use_locale};
use crate::keystore::EncryptedKey;
use domain::demo::DEMO_PASSPHRASE;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = use_locale();
    let demo = Resource::new(|| (), |()| demo_members());
    view! {
        <Title text=t(locale, "Sign in") />
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{t(locale, "Sign in")}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match demo.await {
                        Ok(members) if !members.is_empty() => view! { <DemoSignIn members /> }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
            <SignIn />
        </section>
    }
}

/// The sign-in island: the key is unlocked and the challenge signed in the browser.
#[island(lazy)]
fn SignIn() -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let hydrated = RwSignal::new(false);
    let keys = RwSignal::new(Vec::<EncryptedKey>::new());
    Effect::new(move |_| {
        keys.set(browser::stored_keys());
        hydrated.set(true);
    });
    let chosen = RwSignal::new(String::new());
    let passphrase = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    // Enabled once the island runs in the browser (effects run only there):
    // a click before that would do nothing and say nothing.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let imported = RwSignal::new(None::<Result<String, String>>);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problem.set(None);
        let all = keys.get_untracked();
        let wanted = chosen.get_untracked();
        let Some(key) = all
            .iter()
            .find(|k| k.public_key == wanted)
            .or_else(|| all.first())
            .cloned()
        else {
            problem.set(Some(
                t(
                    locale,
                    "There is no key in this browser: import your backup first.",
                )
                .into(),
            ));
            return;
        };
        let pass = passphrase.get_untracked();
        working.set(true);
        leptos::task::spawn_local(async move {
            browser::yield_to_browser().await;
            match answer(key, pass, locale).await {
                Ok(()) => browser::go_to("/account"),
                Err(message) => problem.set(Some(message)),
            }
            working.set(false);
        });
    };

    let import = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        leptos::task::spawn_local(async move {
            let result = import_backup(locale).await;
            if result.is_ok() {
                keys.set(browser::stored_keys());
            }
            imported.set(Some(result));
        });
    };

    view! {
            // Shown until the app has loaded: without JavaScript it stays.
            <p class="notice" hidden=move || hydrated.get()>
                {t(locale, "Signing in needs JavaScript: your browser proves who you are by signing with your key, which never leaves it. Please enable JavaScript for this site and reload the page.")}
            </p>
            <div hidden=move || !hydrated.get()>
                <Show
                    when=move || !keys.get().is_empty()
                    fallback=move || {
                        view! {
                            <p class="empty-state" id="no-key">
                                {t(locale, "There is no council key in this browser yet. Import your key backup below, or open your invitation link to create one.")}
                            </p>
                        }
                    }
                >
                    <form class="stack" on:submit=submit>
                        <fieldset>
                            <legend>{t(locale, "Your key")}</legend>
                            <For
                                each=move || keys.get()
                                key=|k| k.public_key.clone()
                                children=move |k| {
                                    let value = k.public_key.clone();
                                    let id = format!("key-{}", &k.public_key[..16]);
                                    let first = keys.get_untracked().first().map(|f| f.public_key.clone())
                                        == Some(value.clone());
                                    if first && chosen.get_untracked().is_empty() {
                                        chosen.set(value.clone());
                                    }
                                    view! {
                                        <div class="choice">
                                            <input
                                                type="radio"
                                                name="key"
                                                id=id.clone()
                                                value=value.clone()
                                                prop:checked=move || chosen.get() == value
                                                on:change=move |ev| chosen.set(event_target_value(&ev))
                                            />
                                            <label for=id>
                                                {k.name.clone()} " (" {t(locale, "member ")} {k.member.0} ", " {k.origin.clone()} ")"
                                            </label>
                                        </div>
                                    }
                                }
                            />
                        </fieldset>
                        <label for="sign-in-passphrase">{t(locale, "Passphrase")}</label>
                        <input
                            id="sign-in-passphrase"
                            type="password"
                            autocomplete="current-password"
                            required
                            prop:value=passphrase
                            on:input=move |ev| passphrase.set(event_target_value(&ev))
                        />
                        <button type="submit" disabled=move || working.get() || !ready.get()>
                            {move || if working.get() { t(locale, "Signing in…") } else { t(locale, "Sign in") }}
                        </button>
                        <p class="error" role="alert">
                            {move || problem.get().map(|p| crate::i18n::message(locale, &p))}
                        </p>
                    </form>
                </Show>
                <form class="stack import" on:submit=import>
                    <h2>{t(locale, "Use your key on this device")}</h2>
                    <label for="backup-file">{t(locale, "Key backup file")}</label>
                    <input id="backup-file" type="file" accept="application/json,.json" />
                    <button type="submit" disabled=move || !ready.get()>{t(locale, "Import the key")}</button>
                    <p role="status" class="import-result">
                        {move || match imported.get() {
                            Some(Ok(message)) | Some(Err(message)) => message,
                            None => String::new(),
                        }}
                    </p>
                </form>
            </div>
    }
}

/// A demo council: sign in as one of its members with their public demo
/// key, which is then kept in this browser (under the public demo
/// passphrase) so that votes and opinions can be signed too. An island of
/// its own; the members come from the server with the page.
#[island(lazy)]
fn DemoSignIn(members: Vec<DemoMember>) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let problem = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    // Enabled once the island runs in the browser (effects run only there):
    // a click before that would do nothing and say nothing.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        <section class="demo-sign-in" aria-labelledby="demo-title">
            <h2 id="demo-title">{t(locale, "Demo council: sign in as a member")}</h2>
            <p>
                {t(locale, "The keys of this demo council's members are public, so anyone may use them. Signing votes and opinions asks for the key's passphrase: ")}
                <code id="demo-passphrase">{DEMO_PASSPHRASE}</code> "."
            </p>
            <ul class="demo-members">
                {members.into_iter().map(|m| {
                    let label = format!("{}{} ({}, {})", t(locale, "Sign in as "), m.name, m.role, m.group);
                    view! {
                        <li>
                            <button type="button" disabled=move || working.get() || !ready.get() on:click=move |_| {
                                let m = m.clone();
                                working.set(true);
                                problem.set(None);
                                leptos::task::spawn_local(async move {
                                    browser::yield_to_browser().await;
                                    match demo_sign_in(m, locale).await {
                                        Ok(()) => browser::go_to("/dashboard"),
                                        Err(message) => problem.set(Some(message)),
                                    }
                                    working.set(false);
                                });
                            }>{label}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="error" role="alert">{move || problem.get().map(|p| crate::i18n::message(locale, &p))}</p>
        </section>
    }
}

/// Lazy: in the browser the key's sealing and signing are a WebAssembly
/// module of their own, fetched the first time it runs.
#[lazy]
async fn demo_sign_in(member: DemoMember, locale: Locale) -> Result<(), String> {
    let challenge = sign_in_challenge().await.map_err(|e| e.to_string())?;
    let key = domain::demo::demo_key(member.key_index);
    let stored = EncryptedKey::seal(
        &key,
        DEMO_PASSPHRASE,
        challenge.origin.as_str(),
        domain::statement::MemberId(member.member),
        &member.name,
    )
    .map_err(|e| e.to_string())?;
    browser::store_key(&stored)?;
    let nonce = domain::hex::decode(&challenge.nonce)
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or(t(locale, "The server sent a malformed challenge."))?;
    let signature = domain::signin::sign_challenge(&challenge.origin, &nonce, &key);
    sign_in(
        challenge.nonce,
        stored.public_key,
        domain::hex::encode(&signature),
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}

/// Fetches a challenge, unlocks the key and answers.
/// Lazy: in the browser the key's unlocking and signing are a WebAssembly
/// module of their own, fetched the first time it runs.
#[lazy]
async fn answer(key: EncryptedKey, passphrase: String, locale: Locale) -> Result<(), String> {
    let challenge = sign_in_challenge().await.map_err(|e| e.to_string())?;
    if challenge.origin.as_str() != key.origin {
        return Err(crate::i18n::key_of_other_council(locale, &key.origin));
    }
    let nonce = domain::hex::decode(&challenge.nonce)
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or(t(locale, "The server sent a malformed challenge."))?;
    let signing = key.open(&passphrase).map_err(|e| e.to_string())?;
    let signature = domain::signin::sign_challenge(&challenge.origin, &nonce, &signing);
    sign_in(
        challenge.nonce,
        key.public_key.clone(),
        domain::hex::encode(&signature),
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}

async fn import_backup(locale: Locale) -> Result<String, String> {
    #[cfg(feature = "hydrate")]
    {
        let text = browser::read_chosen_file("backup-file").await?;
        let key = EncryptedKey::from_json(&text).map_err(|e| e.to_string())?;
        browser::store_key(&key)?;
        Ok(crate::i18n::key_imported(locale, &key.name, key.member.0))
    }
    #[cfg(not(feature = "hydrate"))]
    Err(t(locale, "Importing needs JavaScript.").to_owned())
}
