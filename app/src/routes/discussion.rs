//! The discussion and recusals on a case page. Comments, replies and edits
//! are plain forms (they work without JavaScript); a recusal is signed with
//! the member's key in the browser.

use crate::browser;
use crate::components::text_area::TextArea;
use crate::functions::discussion::{CommentView, DiscussionView, EditComment, PostComment, recuse};
use crate::i18n::{t, use_locale};
use domain::cases::{CaseId, MAX_COMMENT_CHARS, MAX_RECUSAL_REASON_CHARS};
use domain::statement::MemberId;
use leptos::prelude::*;

#[component]
pub fn Discussion(
    case: u64,
    view: DiscussionView,
    post: ServerAction<PostComment>,
    edit: ServerAction<EditComment>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="discussion" aria-labelledby="discussion-title">
            <h2 id="discussion-title">{t(locale, "Discussion")}</h2>
            <p class="error" role="alert">
                {crate::routes::form_refusal(locale, &[
                    crate::routes::path_of::<PostComment>(),
                    crate::routes::path_of::<EditComment>(),
                ])}
            </p>
            <Thread case view post edit />
        </section>
    }
}

#[component]
fn Thread(
    case: u64,
    view: DiscussionView,
    post: ServerAction<PostComment>,
    edit: ServerAction<EditComment>,
) -> impl IntoView {
    let locale = use_locale();
    let may_speak = view.open && !view.recused;
    let me = view.me;
    view! {
        {(view.unread > 0).then(|| view! {
            <p class="unread-summary" role="status">
                {crate::i18n::new_comments(locale, view.unread as u64)}
                {t(locale, " since you last read this discussion.")}
            </p>
        })}
        {(!view.open).then(|| view! {
            <p class="notice" id="discussion-closed">{t(locale, "This case is closed: its discussion is read-only.")}</p>
        })}
        {(view.open && view.recused).then(|| view! {
            <p class="notice" id="you-recused">
                {t(locale, "You recused yourself from this case: you may read the discussion, but not take part in it or vote.")}
            </p>
        })}
        {if view.comments.is_empty() {
            view! { <p class="empty-state">{t(locale, "No comment yet.")}</p> }.into_any()
        } else {
            view! {
                <ol class="comments">
                    {view.comments.into_iter().map(|c| view! {
                        <CommentItem case comment=c may_speak post edit />
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {may_speak.then(|| view! {
            <ActionForm action=post attr:class="stack" attr:aria-label=t(locale, "Add to the discussion")>
                <input type="hidden" name="case" value=case />
                <label for="new-comment">{t(locale, "Add to the discussion (Markdown)")}</label>
                <TextArea id="new-comment" name="body" rows=5 required=true maxlength=MAX_COMMENT_CHARS />
                <button type="submit" id="post-comment">{t(locale, "Post the comment")}</button>
            </ActionForm>
        })}
        <Recusals case me recusals=view.recusals may_recuse=may_speak />
    }
}

#[component]
fn CommentItem(
    case: u64,
    comment: CommentView,
    may_speak: bool,
    post: ServerAction<PostComment>,
    edit: ServerAction<EditComment>,
) -> impl IntoView {
    let locale = use_locale();
    let id = comment.id;
    let reply_field = format!("reply-{id}");
    let edit_field = format!("edit-{id}");
    view! {
        <li
            class=format!("comment depth-{}", comment.depth)
            class:unread=comment.unread
            data-comment=id
            aria-label=format!("{}{}", t(locale, "Comment by "), comment.author)
        >
            <p class="comment-meta">
                <strong>{comment.author.clone()}</strong>
                " · "
                <crate::components::When at=comment.created_at />
                {comment.unread.then(|| view! { " " <span class="badge">{t(locale, "New")}</span> })}
                {comment.edited_at.map(|at| view! {
                    " · " <span class="edited">{t(locale, "edited ")} <crate::components::When at=at /></span>
                })}
            </p>
            <div class="comment-body" inner_html=comment.html.clone()></div>
            {(!comment.history.is_empty()).then(|| view! {
                <details class="history-versions">
                    <summary>{format!("{} ({})", t(locale, "Earlier versions"), comment.history.len())}</summary>
                    <ol>
                        {comment.history.iter().map(|v| view! {
                            <li>
                                <crate::components::When at=v.at />
                                <div class="comment-body" inner_html=v.html.clone()></div>
                            </li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
            {may_speak.then(|| view! {
                <details class="reply">
                    <summary>{t(locale, "Reply")}</summary>
                    <ActionForm action=post attr:class="stack" attr:aria-label=format!("{}{}", t(locale, "Reply to "), comment.author)>
                        <input type="hidden" name="case" value=case />
                        <input type="hidden" name="parent" value=id />
                        <label for=reply_field.clone()>{t(locale, "Your reply (Markdown)")}</label>
                        <TextArea id=reply_field name="body" rows=3 required=true maxlength=MAX_COMMENT_CHARS />
                        <button type="submit">{t(locale, "Post the reply")}</button>
                    </ActionForm>
                </details>
            })}
            {(may_speak && comment.source.is_some()).then(|| view! {
                <details class="edit">
                    <summary>{t(locale, "Edit")}</summary>
                    <ActionForm action=edit attr:class="stack" attr:aria-label=t(locale, "Edit your comment")>
                        <input type="hidden" name="comment" value=id />
                        <label for=edit_field.clone()>{t(locale, "Your comment (the earlier version stays visible)")}</label>
                        <TextArea id=edit_field name="body" rows=4 required=true maxlength=MAX_COMMENT_CHARS text=comment.source.clone().unwrap_or_default() />
                        <button type="submit">{t(locale, "Save the new version")}</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}

#[component]
fn Recusals(
    case: u64,
    me: u64,
    recusals: Vec<crate::functions::discussion::RecusalView>,
    may_recuse: bool,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <h2 id="recusals-title">{t(locale, "Recusals")}</h2>
        {if recusals.is_empty() {
            view! { <p class="muted">{t(locale, "Nobody has recused from this case.")}</p> }.into_any()
        } else {
            view! {
                <ul class="recusals" aria-labelledby="recusals-title">
                    {recusals.into_iter().map(|r| view! {
                        <li data-member=r.member>
                            <strong>{r.name}</strong> ": " {r.reason} " ("
                            <a href=format!("/log/entry/{}", r.log_index)>{crate::i18n::log_entry(locale, r.log_index)}</a> ")"
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {may_recuse.then(|| view! { <RecuseForm case me /> })}
    }
}

/// A recusal, signed with the member's key in the browser; the page is
/// loaded again once it is recorded.
#[island]
fn RecuseForm(case: u64, me: u64) -> impl IntoView {
    let locale = crate::i18n::provide_locale();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let problem = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problem.set(None);
        working.set(true);
        let fields = browser::FormFields::of(&event);
        let (why, pass) = (fields.get("reason"), fields.get("passphrase"));
        leptos::task::spawn_local(async move {
            browser::yield_to_browser().await;
            match sign_recusal(case, me, why, pass).await {
                Ok(()) => browser::reload_page(),
                Err(message) => {
                    problem.set(Some(message));
                    working.set(false);
                }
            }
        });
    };
    view! {
        <form class="stack" on:submit=submit aria-labelledby="recuse-title">
            <h3 id="recuse-title">{t(locale, "Declare a conflict of interest")}</h3>
            <p>
                {t(locale, "You will no longer take part in this case's discussion or vote, and you will not count toward its quorum. Your recusal and its reason are signed with your key and published in the log.")}
            </p>
            <p class="notice" hidden=move || hydrated.get()>{t(locale, "Signing a recusal needs JavaScript.")}</p>
            <label for="recusal-reason">{t(locale, "Reason (published)")}</label>
            <input id="recusal-reason" name="reason" type="text" required maxlength=MAX_RECUSAL_REASON_CHARS.to_string() />
            <label for="recusal-passphrase">{t(locale, "Your passphrase")}</label>
            <input id="recusal-passphrase" name="passphrase" type="password" autocomplete="current-password" required />
            <button type="submit" id="recuse" disabled=move || working.get() || !hydrated.get()>
                {move || if working.get() { t(locale, "Signing…") } else { t(locale, "Sign and recuse") }}
            </button>
            <p class="error" role="alert">{move || problem.get().map(|p| crate::i18n::message(locale, &p))}</p>
        </form>
    }
}

/// Signs the recusal with this browser's key for `me` and sends it.
/// Lazy: in the browser the key's unlocking and signing are a WebAssembly
/// module of their own, fetched the first time it runs.
#[lazy]
async fn sign_recusal(
    case: u64,
    me: u64,
    reason: String,
    passphrase: String,
) -> Result<(), String> {
    let reason = domain::cases::recusal_reason(&reason)?;
    let (key, origin) = browser::unlock(me, &passphrase)?;
    let signed = domain::cases::recusal_statement(&origin, CaseId(case), MemberId(me), &reason)
        .sign(&key)
        .map_err(|e| e.to_string())?;
    recuse(case, reason, domain::hex::encode(&signed.signature))
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}
