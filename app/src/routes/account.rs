//! The signed-in member's account: who they are, their sessions (sign out
//! one or all), and their key backup.

use crate::browser;
use crate::functions::auth::{
    EndSession, SignOut, SignOutEverywhere, get_my_sessions, get_session,
};
use crate::functions::members::rotate_key;
use crate::i18n::{t, use_locale};
use crate::keystore::{self, EncryptedKey};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=t(locale, "Your account") />
        <Account />
    }
}

/// The account itself, rendered on the server: its sign-out buttons are
/// plain forms (they need no script); only the key's backup and rotation
/// ([`Backup`]) is an island.
#[component]
fn Account() -> impl IntoView {
    let locale = use_locale();
    let end_session = ServerAction::<EndSession>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let sign_out_everywhere = ServerAction::<SignOutEverywhere>::new();
    let session = Resource::new(|| (), |()| get_session());
    let sessions = Resource::new(move || end_session.version().get(), |_| get_my_sessions());

    view! {
        <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading your account…")}</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(member)) => {
                        let list = sessions.await.unwrap_or_default();
                        view! {
                            <section aria-labelledby="account-title">
                                <h1 id="account-title">{member.name.clone()}</h1>
                                <p id="signed-in-as">
                                    {t(locale, "Signed in as member ")} {member.id.0} ", " {crate::i18n::role_name(locale, member.role)}
                                    {t(locale, " in ")} {member.group.to_string()} "."
                                </p>
                                {(member.role == domain::members::Role::Admin).then(|| view! {
                                    <p><a href="/admin" id="admin-link">{t(locale, "Administration: groups, invitations and members")}</a></p>
                                })}
                                <ActionForm action=sign_out>
                                    <button type="submit" id="sign-out">{t(locale, "Sign out")}</button>
                                </ActionForm>
                                <Backup member=member.id.0 />
                                <h2>{t(locale, "Where you are signed in")}</h2>
                                <div class="table-scroll" tabindex="0"><table class="sessions">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(locale, "Browser")}</th>
                                            <th scope="col">{t(locale, "Since")}</th>
                                            <th scope="col">{t(locale, "Until")}</th>
                                            <th scope="col"><span class="visually-hidden">{t(locale, "Action")}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(move |s| {
                                                view! {
                                                    <tr>
                                                        <td title=s.user_agent.clone()>
                                                            {crate::i18n::browser_name(locale, &s.user_agent)}
                                                            {s.current.then_some(t(locale, " (this browser)"))}
                                                        </td>
                                                        <td><crate::components::When at=s.created_at /></td>
                                                        <td><crate::components::When at=s.expires_at /></td>
                                                        <td>
                                                            <ActionForm action=end_session>
                                                                <input type="hidden" name="session" value=s.id.0 />
                                                                <button type="submit">{t(locale, "Sign out there")}</button>
                                                            </ActionForm>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table></div>
                                <ActionForm action=sign_out_everywhere>
                                    <button type="submit" id="sign-out-everywhere">{t(locale, "Sign out everywhere")}</button>
                                </ActionForm>
                            </section>
                        }
                            .into_any()
                    }
                    Ok(None) => {
                        view! {
                            <section class="notice">
                                <h1>{t(locale, "You are not signed in")}</h1>
                                <p><a href="/sign-in">{t(locale, "Sign in")}</a> {t(locale, " with the key stored in your browser.")}</p>
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <p role="alert">{crate::i18n::error_text(locale, &error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// This browser's copy of the member's key: the backup download, and
/// replacing the key (a rotation signed by the current key, in the log).
#[island(lazy)]
fn Backup(member: u64) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let key = RwSignal::new(None::<EncryptedKey>);
    let passphrase = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<u64>);
    let working = RwSignal::new(false);
    Effect::new(move |_| {
        key.set(browser::key_of(member));
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(current) = key.get_untracked() else {
            return;
        };
        problem.set(None);
        done.set(None);
        working.set(true);
        let pass = passphrase.get_untracked();
        leptos::task::spawn_local(async move {
            browser::yield_to_browser().await;
            match rotate(current, pass).await {
                Ok((sealed, index)) => {
                    key.set(Some(sealed));
                    done.set(Some(index));
                    passphrase.set(String::new());
                }
                Err(message) => problem.set(Some(message)),
            }
            working.set(false);
        });
    };
    view! {
        {move || {
            key.get()
                .map(|k| {
                    view! {
                        <h2>{t(locale, "Your key")}</h2>
                        <p>
                            {t(locale, "This browser holds your encrypted key ")}
                            <code id="current-key" title=k.public_key.clone()>{k.public_key[..16].to_owned()} "…"</code>
                            ". "
                            <a class="button" id="download-backup" href=browser::backup_href(&k) download=k.file_name()>
                                {t(locale, "Download your key backup")}
                            </a>
                        </p>
                        <p role="status" id="rotated">
                            {move || done.get().map(|index| crate::i18n::key_replaced(locale, index))}
                        </p>
                        <form class="stack" on:submit=submit aria-labelledby="rotate-title">
                            <h3 id="rotate-title">{t(locale, "Replace your key")}</h3>
                            <p>
                                {t(locale, "A new key is created in this browser and your current key signs it over, in the public log. Do this if you think your key or its backup was exposed. The new key is protected by the same passphrase.")}
                            </p>
                            <label for="rotate-passphrase">{t(locale, "Your passphrase")}</label>
                            <input
                                id="rotate-passphrase"
                                type="password"
                                autocomplete="current-password"
                                required
                                prop:value=passphrase
                                on:input=move |ev| passphrase.set(event_target_value(&ev))
                            />
                            <button type="submit" id="rotate-key" disabled=move || working.get()>
                                {move || if working.get() { t(locale, "Replacing your key…") } else { t(locale, "Replace my key") }}
                            </button>
                            <p class="error" role="alert">{move || problem.get().map(|p| crate::i18n::message(locale, &p))}</p>
                        </form>
                    }
                })
        }}
    }
}

/// Opens the current key, creates and seals a new one, has the current key
/// sign the rotation, and swaps the keys in this browser once the server
/// has logged it.
/// Lazy: in the browser the key's unlocking and signing are a WebAssembly
/// module of their own, fetched the first time it runs.
#[lazy]
async fn rotate(current: EncryptedKey, passphrase: String) -> Result<(EncryptedKey, u64), String> {
    let passphrase = passphrase.as_str();
    let old = current.open(passphrase).map_err(|e| e.to_string())?;
    let origin = domain::LogOrigin::parse(&current.origin).map_err(|e| e.to_string())?;
    let new = keystore::generate_key().map_err(|e| e.to_string())?;
    let sealed = EncryptedKey::seal(
        &new,
        passphrase,
        &current.origin,
        current.member,
        &current.name,
    )
    .map_err(|e| e.to_string())?;
    let signed = domain::members::rotation_statement(
        &origin,
        current.member,
        new.verifying_key().as_bytes(),
    )
    .sign(&old)
    .map_err(|e| e.to_string())?;
    // Stored before it is used, like a new member's key.
    browser::store_key(&sealed)?;
    match rotate_key(
        sealed.public_key.clone(),
        domain::hex::encode(&signed.signature),
    )
    .await
    {
        Ok(index) => {
            browser::forget_key(&current.public_key)?;
            Ok((sealed, index))
        }
        Err(error) => {
            browser::forget_key(&sealed.public_key)?;
            Err(error.to_string())
        }
    }
}
