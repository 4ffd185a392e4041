//! The public member registry: every member, their group, role and status,
//! and the history of their keys, each linked to the log entries that began
//! and ended it.

use crate::functions::members::get_members;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MembersPage() -> impl IntoView {
    let members = Resource::new(|| (), |()| get_members());
    let locale = use_locale();
    view! {
        <Title text=t(locale, "Members") />
        <section aria-labelledby="members-title">
            <h1 id="members-title">{t(locale, "Members")}</h1>
            <p class="lead">
                {t(locale, "Who may sign for the council, and with which keys. Each key is valid from the log entry that enrolled or rotated it until the entry that ended it, so anyone can check who could vote when.")}
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading the members…")}</p> }>
                {move || Suspend::new(async move {
                    match members.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty-state">{t(locale, "No member has enrolled yet.")}</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <div class="table-scroll" tabindex="0"><table class="registry">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(locale, "Member")}</th>
                                            <th scope="col">{t(locale, "Group")}</th>
                                            <th scope="col">{t(locale, "Role")}</th>
                                            <th scope="col">{t(locale, "Status")}</th>
                                            <th scope="col">{t(locale, "Keys")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|m| {
                                                view! {
                                                    <tr data-member=m.id.0>
                                                        <th scope="row">{m.name.clone()} " (" {m.id.0} ")"</th>
                                                        <td>{m.group.to_string()}</td>
                                                        <td>{crate::i18n::role_name(locale, m.role)}</td>
                                                        <td>{t(locale, m.status.as_str())}</td>
                                                        <td>
                                                            <ul class="keys">
                                                                {m.keys.into_iter().map(|k| view! {
                                                                    <li>
                                                                        <code title=k.public_key.clone()>{k.public_key[..16].to_owned()} "…"</code>
                                                                        {t(locale, " from entry ")}
                                                                        <a href=format!("/log/entry/{}", k.from_index)>{k.from_index}</a>
                                                                        {match k.until_index {
                                                                            Some(until) => view! {
                                                                                {t(locale, " until entry ")} <a href=format!("/log/entry/{until}")>{until}</a>
                                                                            }.into_any(),
                                                                            None => view! { {t(locale, " (valid)")} }.into_any(),
                                                                        }}
                                                                    </li>
                                                                }).collect_view()}
                                                            </ul>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table></div>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <p role="alert">{crate::i18n::error_text(locale, &error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
