//! The invitation page: the member creates their key pair here, in the
//! browser, protects it with a passphrase and joins the council by signing
//! their enrollment statement. The server only ever receives the public key
//! and the signature.

use crate::browser;
use crate::functions::members::{InvitationView, enroll, get_invitation};
use crate::i18n::{Locale, t, use_locale};
use crate::keystore::{self, EncryptedKey, MIN_PASSPHRASE_CHARS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, get_invitation);

    view! {
        <Title text=t(locale, "Invitation") />
        <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the invitation…")}</p> }>
            {move || Suspend::new(async move {
                match invitation.await {
                    Ok(view) if view.state == "open" => {
                        view! { <Invitation token=token() invitation=view /> }.into_any()
                    }
                    Ok(view) => view! { <Closed state=view.state /> }.into_any(),
                    Err(error) => {
                        // Answered with the error's status (404 for a link
                        // that names no invitation), so that failed guesses
                        // count against the client's limit.
                        #[cfg(feature = "ssr")]
                        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                            response.set_status(
                                http::StatusCode::from_u16(error.status())
                                    .unwrap_or(http::StatusCode::NOT_FOUND),
                            );
                        }
                        view! {
                            <section class="notice" role="alert">
                                <h1>{t(locale, "Invitation not found")}</h1>
                                <p>
                                    {t(locale, "This link is not a valid invitation (")} {crate::i18n::error_text(locale, &error)}
                                    {t(locale, "). Check that you copied the whole link, or ask an admin for a new one.")}
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Closed(state: String) -> impl IntoView {
    let locale = use_locale();
    let why = match state.as_str() {
        "used" => t(
            locale,
            "This invitation was already used. An invitation works once.",
        ),
        "revoked" => t(locale, "This invitation was revoked."),
        _ => t(locale, "This invitation has expired."),
    };
    view! {
        <section class="notice" role="alert" data-invitation-state=state>
            <h1>{t(locale, "This invitation cannot be used")}</h1>
            <p>{why} {t(locale, " Ask an admin of the council for a new invitation.")}</p>
        </section>
    }
}

/// An open invitation: what it is for, rendered on the server, and the
/// enrollment form ([`Enroll`]), an island.
#[component]
fn Invitation(token: String, invitation: InvitationView) -> impl IntoView {
    let locale = use_locale();
    let terms = invitation.terms.clone();
    let expires = terms.expires_at.to_rfc3339();
    view! {
        <section class="enroll" aria-labelledby="enroll-title">
            <p class="eyebrow">{invitation.council.clone()}</p>
            <h1 id="enroll-title">{t(locale, "Join the council")}</h1>
            <dl class="facts">
                <div>
                    <dt>{t(locale, "Name")}</dt>
                    <dd id="invited-name">{terms.name.to_string()}</dd>
                </div>
                <div>
                    <dt>{t(locale, "Group")}</dt>
                    <dd>{terms.group.to_string()}</dd>
                </div>
                <div>
                    <dt>{t(locale, "Role")}</dt>
                    <dd>{crate::i18n::role_name(locale, terms.role)}</dd>
                </div>
                <div>
                    <dt>{t(locale, "Valid until")}</dt>
                    <dd>
                        <time datetime=expires.clone()>{expires.clone()}</time>
                    </dd>
                </div>
            </dl>
            <Enroll token invitation />
        </section>
    }
}

/// The enrollment island: the key is made and encrypted in the browser.
#[island(lazy)]
fn Enroll(token: String, invitation: InvitationView) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let passphrase = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let enrolled = RwSignal::new(None::<EncryptedKey>);
    let working = RwSignal::new(false);

    let submit = {
        let invitation = invitation.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            problem.set(None);
            let (pass, again) = (passphrase.get_untracked(), confirm.get_untracked());
            if pass.chars().count() < MIN_PASSPHRASE_CHARS {
                problem.set(Some(crate::i18n::passphrase_too_short(
                    locale,
                    MIN_PASSPHRASE_CHARS,
                )));
                return;
            }
            if pass != again {
                problem.set(Some(t(locale, "The two passphrases differ.").to_owned()));
                return;
            }
            working.set(true);
            let (token, invitation) = (token.clone(), invitation.clone());
            leptos::task::spawn_local(async move {
                browser::yield_to_browser().await;
                match join(token, invitation, pass, locale).await {
                    Ok(key) => enrolled.set(Some(key)),
                    Err(message) => problem.set(Some(message)),
                }
                working.set(false);
            });
        }
    };

    view! {
            // Shown until the app has loaded: without JavaScript it stays.
            <p class="notice" hidden=move || hydrated.get()>
                {t(locale, "Joining needs JavaScript: your signing key is created in this browser and never leaves it. Please enable JavaScript for this site and reload the page.")}
            </p>
            <Show
                when=move || enrolled.get().is_none()
                fallback=move || {
                    let key = enrolled.get().unwrap_or_else(|| unreachable!());
                    view! { <Enrolled key /> }
                }
            >
                <form class="stack" on:submit=submit.clone() hidden=move || !hydrated.get()>
                    <p>
                        {t(locale, "Tribune will create your signing key in this browser. Choose a passphrase to protect it: it is needed to sign in and to vote, and nobody, not even an admin, can recover it.")}
                    </p>
                    <label for="passphrase">{t(locale, "Passphrase (at least 12 characters)")}</label>
                    <input
                        id="passphrase"
                        type="password"
                        autocomplete="new-password"
                        required
                        minlength=MIN_PASSPHRASE_CHARS.to_string()
                        aria-describedby="passphrase-hint"
                        prop:value=passphrase
                        on:input=move |ev| passphrase.set(event_target_value(&ev))
                    />
                    <p id="passphrase-hint" class="hint" aria-live="polite">
                        {move || crate::i18n::message(locale, keystore::strength_hint(&passphrase.get()))}
                    </p>
                    <label for="passphrase-again">{t(locale, "The same passphrase again")}</label>
                    <input
                        id="passphrase-again"
                        type="password"
                        autocomplete="new-password"
                        required
                        prop:value=confirm
                        on:input=move |ev| confirm.set(event_target_value(&ev))
                    />
                    <button type="submit" disabled=move || working.get()>
                        {move || {
                            if working.get() { t(locale, "Creating your key…") } else { t(locale, "Create my key and join") }
                        }}
                    </button>
                    <p class="error" role="alert">
                        {move || problem.get().map(|p| crate::i18n::message(locale, &p))}
                    </p>
                </form>
            </Show>
    }
}

/// Creates, stores and uses the member's key; returns the sealed key.
/// Lazy: in the browser the key's unlocking and signing are a WebAssembly
/// module of their own, fetched the first time it runs.
#[lazy]
async fn join(
    token: String,
    invitation: InvitationView,
    passphrase: String,
    locale: Locale,
) -> Result<EncryptedKey, String> {
    // The invitation must carry the log key's signature: the member checks
    // what they sign.
    let log_key = domain::note::NoteVerifier::from_vkey(&invitation.log_key)
        .map_err(|e| format!("The council's log key is invalid: {e}"))?;
    let signature = domain::hex::decode(&invitation.signature)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .ok_or(t(locale, "The invitation's signature is malformed."))?;
    if !invitation
        .terms
        .verify(&invitation.origin, log_key.public_key(), &signature)
    {
        return Err(t(
            locale,
            "This invitation is not signed by the council's log key: do not use it.",
        )
        .into());
    }
    let key = keystore::generate_key().map_err(|e| e.to_string())?;
    let sealed = EncryptedKey::seal(
        &key,
        &passphrase,
        invitation.origin.as_str(),
        invitation.terms.member,
        invitation.terms.name.as_str(),
    )
    .map_err(|e| e.to_string())?;
    let signed =
        domain::members::enrollment_statement(&invitation.origin, &invitation.terms, &signature)
            .sign(&key)
            .map_err(|e| e.to_string())?;
    // Stored before it is used: a key the council knows is never lost by
    // this browser.
    browser::store_key(&sealed)?;
    enroll(
        token,
        domain::hex::encode(&signed.signer),
        domain::hex::encode(&signed.signature),
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(sealed)
}

#[component]
fn Enrolled(key: EncryptedKey) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="success" role="status">
            <h2>{t(locale, "Welcome, ")} {key.name.clone()}</h2>
            <p>
                {t(locale, "You are enrolled as member ")} {key.member.0}
                {t(locale, ". Your key is stored, encrypted, in this browser, and you are signed in.")}
            </p>
            <p>
                {t(locale, "Download a backup of your encrypted key now, and keep it safe: it is the only way to use your key on another device or after clearing this browser.")}
            </p>
            <p>
                <a class="button" href=browser::backup_href(&key) download=key.file_name()>
                    {t(locale, "Download the key backup")}
                </a>
                " "
                <a href="/account">{t(locale, "Go to your account")}</a>
            </p>
        </div>
    }
}
