//! The signed-in member's account: who they are, their sessions (sign out
//! one or all), and their key backup.

use crate::browser;
use crate::functions::auth::{
    EndSession, SignOut, SignOutEverywhere, get_my_sessions, get_session,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let end_session = ServerAction::<EndSession>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let sign_out_everywhere = ServerAction::<SignOutEverywhere>::new();
    let session = Resource::new(|| (), |()| get_session());
    let sessions = Resource::new(move || end_session.version().get(), |_| get_my_sessions());

    view! {
        <Title text="Your account" />
        <Suspense fallback=|| view! { <p class="loading">"Loading your account…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(member)) => {
                        let list = sessions.await.unwrap_or_default();
                        view! {
                            <section aria-labelledby="account-title">
                                <h1 id="account-title">{member.name.clone()}</h1>
                                <p id="signed-in-as">
                                    "Signed in as member " {member.id.0} ", " {member.role.to_string()}
                                    " in " {member.group.to_string()} "."
                                </p>
                                <ActionForm action=sign_out>
                                    <button type="submit" id="sign-out">"Sign out"</button>
                                </ActionForm>
                                <Backup member=member.id.0 />
                                <h2>"Where you are signed in"</h2>
                                <table class="sessions">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Browser"</th>
                                            <th scope="col">"Since"</th>
                                            <th scope="col">"Until"</th>
                                            <th scope="col"><span class="visually-hidden">"Action"</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|s| {
                                                view! {
                                                    <tr>
                                                        <td>
                                                            {s.user_agent.clone()}
                                                            {s.current.then_some(" (this browser)")}
                                                        </td>
                                                        <td>{s.created_at.to_rfc3339()}</td>
                                                        <td>{s.expires_at.to_rfc3339()}</td>
                                                        <td>
                                                            <ActionForm action=end_session>
                                                                <input type="hidden" name="session" value=s.id.0 />
                                                                <button type="submit">"Sign out there"</button>
                                                            </ActionForm>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                                <ActionForm action=sign_out_everywhere>
                                    <button type="submit" id="sign-out-everywhere">"Sign out everywhere"</button>
                                </ActionForm>
                            </section>
                        }
                            .into_any()
                    }
                    Ok(None) => {
                        view! {
                            <section class="notice">
                                <h1>"You are not signed in"</h1>
                                <p><a href="/sign-in">"Sign in"</a> " with the key stored in your browser."</p>
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The backup download of this member's key, when this browser holds it.
#[component]
fn Backup(member: u64) -> impl IntoView {
    let key = RwSignal::new(None);
    Effect::new(move |_| {
        key.set(
            browser::stored_keys()
                .into_iter()
                .rev()
                .find(|k| k.member.0 == member),
        );
    });
    view! {
        {move || {
            key.get()
                .map(|k| {
                    view! {
                        <p>
                            <a class="button" id="download-backup" href=browser::backup_href(&k) download=k.file_name()>
                                "Download your key backup"
                            </a>
                        </p>
                    }
                })
        }}
    }
}
