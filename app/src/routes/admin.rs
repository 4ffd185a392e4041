//! The admin's page: groups, invitations and members. Every form is a
//! server function with one permission check; the changes that affect who
//! may sign (enrollment, role, status, key revocation) land in the public log.

use crate::error::AppError;
use crate::functions::cases::{
    AddClause, CouncilSetup, CreateIntakeToken, IssuedToken, RevokeIntakeToken, get_council_setup,
};
use crate::functions::members::{
    AdminOverview, ChangeRole, CreateGroup, GroupView, InvitationSummary, Invite, IssuedInvitation,
    MAX_REASON_CHARS, MemberView, RenameGroup, RevokeInvitation, RevokeKey, ShownOnce,
    get_admin_overview,
};
use crate::i18n::{t, use_locale};
use domain::members::{MemberStatus, Role};
use leptos::prelude::*;
use leptos_meta::Title;

/// The outcome of the last submission of the form that posts to `path`
/// (plain forms: the page is loaded again after each): a status line when
/// it was done, an alert with the reason when it was refused.
#[component]
fn Outcome(path: &'static str, success: &'static str) -> impl IntoView {
    let locale = use_locale();
    let refused = crate::routes::form_refusal(locale, &[path]);
    let done = refused.is_none() && crate::routes::form_done(path);
    view! {
        <p class="outcome" role="status">
            {refused.map(|reason| view! { <span class="error" role="alert">{reason}</span> })}
            {done.then(|| view! { <span class="success-text">{t(locale, success)}</span> })}
        </p>
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=t(locale, "Administration") />
        <Administration />
    }
}

/// The admin page, rendered on the server: its forms are plain forms that
/// come back here with what was done or why it was refused; only the rules
/// editor, which signs in the browser, is an island.
#[component]
fn Administration() -> impl IntoView {
    let locale = use_locale();
    // A link or token issued by the form post this page follows, shown once.
    #[cfg(feature = "ssr")]
    let shown = crate::functions::members::take_shown_once();
    #[cfg(not(feature = "ssr"))]
    let shown: Option<ShownOnce> = None;
    let overview = Resource::new(|| (), |_| get_admin_overview());
    let actions = Actions {
        create_group: ServerAction::new(),
        rename_group: ServerAction::new(),
        invite: ServerAction::new(),
        revoke_invitation: ServerAction::new(),
        change_role: ServerAction::new(),
        revoke_key: ServerAction::new(),
    };
    let token = shown.clone().and_then(|s| match s {
        ShownOnce::Token(token) => Some(token),
        ShownOnce::Invitation(_) => None,
    });
    let invitation = shown.and_then(|s| match s {
        ShownOnce::Invitation(issued) => Some(issued),
        ShownOnce::Token(_) => None,
    });

    view! {
        <section aria-labelledby="admin-title" class="admin">
            <h1 id="admin-title">{t(locale, "Administration")}</h1>
            <p class="lead">
                {t(locale, "Groups, invitations and members. Enrollments, role changes, suspensions, removals and key revocations are signed statements in the public log, with the reason you give.")}
            </p>
            <IssuedLink issued=invitation />
            <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading…")}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(data) => view! { <Overview data actions /> }.into_any(),
                        Err(AppError::Unauthenticated) => {
                            crate::error::set_page_status(&AppError::Unauthenticated);
                            view! {
                                <p class="notice" role="alert">
                                    {t(locale, "This page is for the council's admins. ")} <a href="/sign-in">{t(locale, "Sign in")}</a> {t(locale, " first.")}
                                </p>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            crate::error::set_page_status(&error);
                            view! { <p class="notice" role="alert">{crate::i18n::error_text(locale, &error)}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
            <CouncilSetupPanel token />
            <crate::routes::rules::RulesForm />
        </section>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    create_group: ServerAction<CreateGroup>,
    rename_group: ServerAction<RenameGroup>,
    invite: ServerAction<Invite>,
    revoke_invitation: ServerAction<RevokeInvitation>,
    change_role: ServerAction<ChangeRole>,
    revoke_key: ServerAction<RevokeKey>,
}

/// The invitation link just issued, shown once (or why none was issued).
#[component]
fn IssuedLink(issued: Option<IssuedInvitation>) -> impl IntoView {
    let locale = use_locale();
    let refused = crate::routes::form_refusal(locale, &[crate::routes::path_of::<Invite>()]);
    view! {
        {issued.map(|issued| view! {
            <div class="success" role="status">
                <h2>{t(locale, "Invitation ready")}</h2>
                <p>
                    {t(locale, "Send this link to the new member through a channel you trust. It works once, until ")}
                    <crate::components::When at=issued.expires_at /> {t(locale, ", and is not shown again.")}
                </p>
                <label for="invitation-url">{t(locale, "Invitation link")}</label>
                <input id="invitation-url" type="text" readonly value=issued.url.clone() />
            </div>
        })}
        {refused.map(|reason| view! {
            <p class="notice error" role="alert" id="invite-error">{reason}</p>
        })}
    }
}

#[component]
fn Overview(data: AdminOverview, actions: Actions) -> impl IntoView {
    let AdminOverview {
        groups,
        invitations,
        members,
    } = data;
    view! {
        <Groups groups=groups.clone() actions />
        <InviteForm groups=groups.clone() action=actions.invite />
        <Invitations invitations action=actions.revoke_invitation />
        <Members members groups actions />
    }
}

#[component]
fn Groups(groups: Vec<GroupView>, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    view! {
        <h2 id="groups-title">{t(locale, "Groups")}</h2>
        {if groups.is_empty() {
            view! { <p class="empty-state">{t(locale, "No group yet: create the first one below.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0"><table class="admin-table" aria-labelledby="groups-title">
                    <thead>
                        <tr>
                            <th scope="col">{t(locale, "Group")}</th>
                            <th scope="col">{t(locale, "Members")}</th>
                            <th scope="col">{t(locale, "Rename")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {groups.into_iter().map(move |g| {
                            let label = format!("{}{}", t(locale, "New name for "), g.name);
                            view! {
                                <tr data-group=g.id.0>
                                    <th scope="row">{g.name.to_string()}</th>
                                    <td>{g.members}</td>
                                    <td>
                                        {if g.members == 0 {
                                            view! {
                                                <ActionForm action=actions.rename_group attr:class="inline">
                                                    <input type="hidden" name="group" value=g.id.0 />
                                                    <input type="text" name="name" required maxlength="60" aria-label=label value=g.name.to_string() />
                                                    <button type="submit">{t(locale, "Rename")}</button>
                                                </ActionForm>
                                            }.into_any()
                                        } else {
                                            view! { <span class="muted">{t(locale, "Named in signed enrollments")}</span> }.into_any()
                                        }}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        <Outcome path={crate::routes::path_of::<RenameGroup>()} success="Group renamed." />
        <ActionForm action=actions.create_group attr:class="inline" attr:aria-label=t(locale, "Create a group")>
            <label for="new-group">{t(locale, "New group")}</label>
            <input id="new-group" type="text" name="name" required maxlength="60" />
            <button type="submit" id="create-group">{t(locale, "Create group")}</button>
        </ActionForm>
        <Outcome path={crate::routes::path_of::<CreateGroup>()} success="Group created." />
    }
}

#[component]
fn InviteForm(groups: Vec<GroupView>, action: ServerAction<Invite>) -> impl IntoView {
    let locale = use_locale();
    if groups.is_empty() {
        return view! {
            <h2>{t(locale, "Invite a member")}</h2>
            <p class="empty-state">{t(locale, "Create a group first: every member belongs to one.")}</p>
        }
        .into_any();
    }
    view! {
        <h2 id="invite-title">{t(locale, "Invite a member")}</h2>
        <ActionForm action attr:class="stack" attr:aria-labelledby="invite-title">
            <label for="invite-name">{t(locale, "Display name (public)")}</label>
            <input id="invite-name" type="text" name="name" required maxlength="80" />
            <label for="invite-group">{t(locale, "Group")}</label>
            <select id="invite-group" name="group" required>
                {groups.into_iter().map(|g| view! { <option value=g.id.0>{g.name.to_string()}</option> }).collect_view()}
            </select>
            <label for="invite-role">{t(locale, "Role")}</label>
            <select id="invite-role" name="role">
                {Role::ALL.into_iter().rev().map(|r| view! { <option value=r.as_str()>{crate::i18n::role_name(locale, r)}</option> }).collect_view()}
            </select>
            <button type="submit" id="send-invitation">{t(locale, "Create the invitation link")}</button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn Invitations(
    invitations: Vec<InvitationSummary>,
    action: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <h2 id="invitations-title">{t(locale, "Invitations")}</h2>
        {if invitations.is_empty() {
            view! { <p class="empty-state">{t(locale, "No invitation yet.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0"><table class="admin-table" aria-labelledby="invitations-title">
                    <thead>
                        <tr>
                            <th scope="col">{t(locale, "Name")}</th>
                            <th scope="col">{t(locale, "Group")}</th>
                            <th scope="col">{t(locale, "Role")}</th>
                            <th scope="col">{t(locale, "State")}</th>
                            <th scope="col">{t(locale, "Expires")}</th>
                            <th scope="col"><span class="visually-hidden">{t(locale, "Action")}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {invitations.into_iter().map(move |i| {
                            let open = i.state == "open";
                            view! {
                                <tr data-invitation=i.id.0 data-state=i.state.clone()>
                                    <th scope="row">{i.terms.name.to_string()}</th>
                                    <td>{i.terms.group.to_string()}</td>
                                    <td>{crate::i18n::role_name(locale, i.terms.role)}</td>
                                    <td>{i.state.clone()}</td>
                                    <td><crate::components::When at=i.terms.expires_at /></td>
                                    <td>
                                        {open.then(|| view! {
                                            <ActionForm action>
                                                <input type="hidden" name="invitation" value=i.id.0 />
                                                <button type="submit">{t(locale, "Revoke")}</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        <Outcome path={crate::routes::path_of::<RevokeInvitation>()} success="Invitation revoked." />
    }
}

#[component]
fn Members(members: Vec<MemberView>, groups: Vec<GroupView>, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    view! {
        <h2 id="members-title">{t(locale, "Members")}</h2>
        <Outcome path={crate::routes::path_of::<ChangeRole>()} success="Change recorded in the log." />
        <Outcome path={crate::routes::path_of::<RevokeKey>()} success="Key revoked and recorded in the log." />
        {if members.is_empty() {
            view! { <p class="empty-state">{t(locale, "No member has enrolled yet.")}</p> }.into_any()
        } else {
            members.into_iter().map(|m| {
                let group = groups.iter().find(|g| g.name == m.group).map(|g| g.id.0);
                view! { <MemberCard member=m group actions /> }
            }).collect_view().into_any()
        }}
    }
}

#[component]
fn MemberCard(member: MemberView, group: Option<u64>, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let id = member.id.0;
    let has_key = member.keys.iter().any(|k| k.until_index.is_none());
    let removed = member.status == MemberStatus::Removed;
    let field = move |name: &str| format!("member-{id}-{name}");
    let name = member.name.clone();
    let invite_label = format!(
        "{}{name}{}",
        t(locale, "Invite "),
        t(locale, " to enroll a new key")
    );
    view! {
        <article class="member-card" data-member=id aria-labelledby=field("name")>
            <h3 id=field("name")>{member.name.clone()} " (" {id} ")"</h3>
            <p>
                {member.group.to_string()} " · " {crate::i18n::role_name(locale, member.role)} " · " {t(locale, member.status.as_str())}
                {(!has_key).then_some(t(locale, " · no valid key"))}
            </p>
            {(!removed).then(|| view! {
                <ActionForm action=actions.change_role attr:class="inline" attr:aria-label=format!("{}{}", t(locale, "Change the role or status of "), member.name)>
                    <input type="hidden" name="member" value=id />
                    <label for=field("role")>{t(locale, "Role")}</label>
                    <select id=field("role") name="role">
                        {Role::ALL.into_iter().rev().map(|r| view! {
                            <option value=r.as_str() selected=r == member.role>{crate::i18n::role_name(locale, r)}</option>
                        }).collect_view()}
                    </select>
                    <label for=field("status")>{t(locale, "Status")}</label>
                    <select id=field("status") name="status">
                        {MemberStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=s == member.status>{t(locale, s.as_str())}</option>
                        }).collect_view()}
                    </select>
                    <label for=field("reason")>{t(locale, "Reason (published)")}</label>
                    <input id=field("reason") type="text" name="reason" required maxlength=MAX_REASON_CHARS.to_string() />
                    <button type="submit">{t(locale, "Apply")}</button>
                </ActionForm>
            })}
            {(has_key && !removed).then(|| view! {
                <ActionForm action=actions.revoke_key attr:class="inline" attr:aria-label=format!("{}{}", t(locale, "Revoke the key of "), member.name)>
                    <input type="hidden" name="member" value=id />
                    <label for=field("revoke-reason")>{t(locale, "Reason for revoking the key (published)")}</label>
                    <input id=field("revoke-reason") type="text" name="reason" required maxlength=MAX_REASON_CHARS.to_string() />
                    <button type="submit" class="danger">{t(locale, "Revoke key")}</button>
                </ActionForm>
            })}
            {(!has_key && !removed).then(|| group.map(|group| view! {
                <ActionForm action=actions.invite attr:class="inline" attr:aria-label=invite_label.clone()>
                    <input type="hidden" name="member" value=id />
                    <input type="hidden" name="group" value=group />
                    <input type="hidden" name="role" value=member.role.as_str() />
                    <input type="hidden" name="name" value=name.clone() />
                    <button type="submit">{t(locale, "Invite to enroll a new key")}</button>
                </ActionForm>
            }))}
        </article>
    }
}

/// The policy catalogue and the platform's intake tokens.
#[component]
fn CouncilSetupPanel(token: Option<IssuedToken>) -> impl IntoView {
    let locale = use_locale();
    let add_clause = ServerAction::<AddClause>::new();
    let create_token = ServerAction::<CreateIntakeToken>::new();
    let revoke_token = ServerAction::<RevokeIntakeToken>::new();
    let setup = Resource::new(|| (), |_| get_council_setup());
    let refused =
        crate::routes::form_refusal(locale, &[crate::routes::path_of::<CreateIntakeToken>()]);
    view! {
        {token.map(|issued| view! {
            <div class="success" role="status">
                <h2>{t(locale, "Intake token ready")}</h2>
                <p>
                    {t(locale, "Give this token to “")} {issued.name.clone()} {t(locale, "” for ")}
                    <code>"Authorization: Bearer …"</code>
                    {t(locale, " on ")} <code>"POST /api/v1/cases"</code> {t(locale, ". It is not shown again.")}
                </p>
                <label for="intake-token">{t(locale, "Intake token")}</label>
                <input id="intake-token" type="text" readonly value=issued.token.clone() />
            </div>
        })}
        {refused.map(|reason| view! { <p class="notice error" role="alert">{reason}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                setup.await.ok().map(|data| view! {
                    <SetupTables data add_clause revoke_token create_token />
                })
            })}
        </Suspense>
    }
}

#[component]
fn SetupTables(
    data: CouncilSetup,
    add_clause: ServerAction<AddClause>,
    create_token: ServerAction<CreateIntakeToken>,
    revoke_token: ServerAction<RevokeIntakeToken>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <h2 id="catalogue-title">{t(locale, "Policy catalogue")}</h2>
        {if data.clauses.is_empty() {
            view! { <p class="empty-state">{t(locale, "No clause yet: cases name the clauses at stake, so add them first.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0"><table class="admin-table" aria-labelledby="catalogue-title">
                    <thead><tr><th scope="col">{t(locale, "Code")}</th><th scope="col">{t(locale, "Title")}</th></tr></thead>
                    <tbody>
                        {data.clauses.into_iter().map(|c| view! {
                            <tr><th scope="row"><code>{c.code}</code></th><td>{c.title}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        <ActionForm action=add_clause attr:class="inline" attr:aria-label=t(locale, "Add a clause")>
            <label for="clause-code">{t(locale, "Code")}</label>
            <input id="clause-code" type="text" name="code" required maxlength="32" placeholder="HS-2" />
            <label for="clause-title">{t(locale, "Title")}</label>
            <input id="clause-title" type="text" name="title" required maxlength="200" />
            <button type="submit">{t(locale, "Add the clause")}</button>
        </ActionForm>
        <Outcome path={crate::routes::path_of::<AddClause>()} success="Clause added." />

        <h2 id="tokens-title">{t(locale, "Intake tokens")}</h2>
        <p>{t(locale, "The platform escalates cases through ")} <code>"POST /api/v1/cases"</code> {t(locale, " with one of these tokens.")}</p>
        {if data.tokens.is_empty() {
            view! { <p class="empty-state">{t(locale, "No intake token yet.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0"><table class="admin-table" aria-labelledby="tokens-title">
                    <thead>
                        <tr>
                            <th scope="col">{t(locale, "Name")}</th>
                            <th scope="col">{t(locale, "Created")}</th>
                            <th scope="col">{t(locale, "State")}</th>
                            <th scope="col"><span class="visually-hidden">{t(locale, "Action")}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {data.tokens.into_iter().map(move |token| view! {
                            <tr data-token=token.id>
                                <th scope="row">{token.name.clone()}</th>
                                <td><crate::components::When at=token.created_at /></td>
                                <td>{token.revoked_at.map_or_else(|| t(locale, "live").to_owned(), |at| format!("{} {}", t(locale, "revoked"), at.to_rfc3339()))}</td>
                                <td>
                                    {token.revoked_at.is_none().then(|| view! {
                                        <ActionForm action=revoke_token>
                                            <input type="hidden" name="token" value=token.id />
                                            <button type="submit" class="danger">{t(locale, "Revoke")}</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        <ActionForm action=create_token attr:class="inline" attr:aria-label=t(locale, "Create an intake token")>
            <label for="token-name">{t(locale, "Used by")}</label>
            <input id="token-name" type="text" name="name" required maxlength="80" />
            <button type="submit">{t(locale, "Create a token")}</button>
        </ActionForm>
        <Outcome path={crate::routes::path_of::<RevokeIntakeToken>()} success="Token revoked." />
    }
}
