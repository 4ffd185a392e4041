//! Public comment pages (no account, no JavaScript needed): the cases open
//! for comment and each one's form; and, on the case page, the clerk's
//! screening of what came in.

use crate::components::text_area::TextArea;
use crate::functions::public_comments::{
    OpenCase, PublicComments, ScreenPublicComment, get_comment_case, get_open_for_comment,
};
use crate::i18n::{self, Locale, t, use_locale};
use crate::routes::not_found::NotFound;
use domain::cases::{MAX_AFFILIATION_CHARS, MAX_COMMENTER_NAME_CHARS, MAX_PUBLIC_COMMENT_CHARS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OpenForCommentPage() -> impl IntoView {
    let locale = use_locale();
    let cases = Resource::new(|| (), |()| get_open_for_comment());
    view! {
        <Title text=t(locale, "Comment on a case") />
        <section aria-labelledby="open-title">
            <h1 id="open-title">{t(locale, "Comment on a case")}</h1>
            <p class="lead">
                {t(locale, "While a case is open for comment, anyone (the person concerned, people affected, experts) may send the council a statement. The clerk reads each one; approved statements go to the members and are published with the decision.")}
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading…")}</p> }>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty-state">{t(locale, "No case is open for comment right now.")}</p> }.into_any()
                        }
                        Ok(list) => view! {
                            <ul class="open-cases">
                                {list.into_iter().map(|c| view! {
                                    <li>
                                        <a href=format!("/comment/{}", c.id)>{i18n::case_heading(locale, c.id, &subject(locale, &c))}</a>
                                        " (" {i18n::kind_label(locale, &c.kind)} "; "
                                        {c.clauses.iter().map(|(code, _)| code.clone()).collect::<Vec<_>>().join(", ")} ")"
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <p role="alert">{crate::i18n::error_text(locale, &error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The case's subject as the public may see it (as on the docket).
fn subject(locale: Locale, case: &OpenCase) -> String {
    case.subject
        .clone()
        .unwrap_or_else(|| t(locale, "a private account (not named)").to_owned())
}

/// What the form's result code (from the submission's redirect) means.
fn result_message(code: &str) -> (bool, &'static str) {
    match code {
        "received" => (
            true,
            "Thank you: your statement was received. The clerk will read it before it goes to the members.",
        ),
        "closed" => (
            false,
            "This case is no longer open for comment: nothing was recorded.",
        ),
        "invalid_name" => (
            false,
            "Give a name or pseudonym (up to 80 characters): nothing was recorded.",
        ),
        "invalid_affiliation" => (
            false,
            "The affiliation is too long (up to 120 characters): nothing was recorded.",
        ),
        "invalid_text" => (
            false,
            "Write a statement of up to 5,000 characters: nothing was recorded.",
        ),
        _ => (false, "The statement could not be recorded."),
    }
}

/// The French for [`result_message`]'s texts live in `i18n`.
fn result_text(locale: Locale, code: &str) -> (bool, &'static str) {
    let (ok, english) = result_message(code);
    (ok, t(locale, english))
}

#[component]
pub fn CommentFormPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<u64>().ok())
    };
    let case = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_comment_case(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    let locale = use_locale();
    view! {
        <Title text=t(locale, "Comment on a case") />
        <Suspense fallback=move || view! { <p class="loading">{t(locale, "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(case) => {
                        let result = query.read_untracked().get("result");
                        view! { <CommentForm case result /> }.into_any()
                    }
                    Err(_) => view! { <NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CommentForm(case: OpenCase, result: Option<String>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section aria-labelledby="comment-title">
            <p class="eyebrow">{format!("{} · {}", i18n::case_number(locale, case.id), i18n::kind_label(locale, &case.kind))}</p>
            <h1 id="comment-title">{i18n::comment_on(locale, &subject(locale, &case))}</h1>
            {case.excerpt.clone().map(|e| view! { <blockquote class="excerpt">{e}</blockquote> })}
            <h2>{t(locale, "The question")}</h2>
            <p class="question" id="comment-question">{case.question.clone()}</p>
            <p>{t(locale, "Platform's action")} {i18n::colon(locale)} {domain::cases::PlatformAction::parse(&case.original_action).map_or_else(|| case.original_action.replace('_', " "), |a| i18n::action_name(locale, a).to_owned())}</p>
            <h2>{t(locale, "Policy clauses at stake")}</h2>
            <ul class="clauses">
                {case.clauses.iter().map(|(code, title)| view! { <li><code>{code.clone()}</code> " " {title.clone()}</li> }).collect_view()}
            </ul>
            <p id="comment-counts">
                {i18n::screened_statements(locale, case.approved, case.rejected)} " "
                <a href=format!("/docket/{}", case.id)>{t(locale, "The case on the docket")}</a>
            </p>
            {result.map(|code| {
                let (ok, message) = result_text(locale, &code);
                if ok {
                    view! { <p class="success" role="status" id="comment-result">{message}</p> }.into_any()
                } else {
                    view! { <p class="notice error" role="alert" id="comment-result">{message}</p> }.into_any()
                }
            })}
            <form id="comment-form" class="stack" method="post" action="/public-comments" aria-label=t(locale, "Your statement")>
                <input type="hidden" name="case" value=case.id />
                <label for="commenter-name">{t(locale, "Your name or a pseudonym (published)")}</label>
                <input id="commenter-name" type="text" name="name" required maxlength=MAX_COMMENTER_NAME_CHARS.to_string() />
                <label for="commenter-affiliation">{t(locale, "Affiliation (optional, published)")}</label>
                <input id="commenter-affiliation" type="text" name="affiliation" maxlength=MAX_AFFILIATION_CHARS.to_string() />
                <label for="commenter-text">{t(locale, "Your statement (up to 5,000 characters)")}</label>
                <TextArea id="commenter-text" name="text" rows=8 required=true maxlength=MAX_PUBLIC_COMMENT_CHARS />
                <button type="submit" id="send-comment">{t(locale, "Send the statement")}</button>
            </form>
            {case.deadline.map(|d| view! {
                <p class="hint">{t(locale, "This stage of the case ends on ")} <time datetime=d.to_rfc3339()>{locale.date(d.date())}</time> "."</p>
            })}
        </section>
    }
}

/// A public comment's screening status, as shown (`pending`, `approved`,
/// `rejected`).
fn comment_status(status: &str) -> &'static str {
    match status {
        "pending" => "pending",
        "approved" => "approved",
        _ => "rejected",
    }
}

/// On the case page: approved public comments for members; the clerk also
/// sees pending and rejected ones and screens them.
#[component]
pub fn PublicCommentsPanel(
    case: u64,
    open_for_comment: bool,
    data: PublicComments,
    screen: ServerAction<ScreenPublicComment>,
) -> impl IntoView {
    let locale = use_locale();
    let may_screen = data.may_screen;
    let screening_closed =
        data.screener && !may_screen && data.comments.iter().any(|c| c.status == "pending");
    view! {
        <section aria-labelledby="public-comments-title">
            <h2 id="public-comments-title">{t(locale, "Public comments")}</h2>
            <p class="hint" hidden=!open_for_comment>
                {t(locale, "Open for public comment at ")} <a href=format!("/comment/{case}")>{format!("/comment/{case}")}</a> "."
            </p>
            <p class="hint" hidden=!screening_closed>
                {t(locale, "The decision is published and commits to the comments approved before it: pending comments can no longer be approved or rejected.")}
            </p>
            <p class="error" role="alert">
                {crate::routes::form_refusal(locale, &[crate::routes::path_of::<ScreenPublicComment>()])}
            </p>
            {if data.comments.is_empty() {
                view! { <p class="empty-state">{t(locale, "No public comment.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="public-comments">
                        {data.comments.into_iter().map(move |c| {
                            let pending = c.status == "pending";
                            let field = format!("screen-reason-{}", c.id);
                            view! {
                                <li data-public-comment=c.id data-status=c.status.clone()>
                                    <p class="comment-meta">
                                        <strong>{c.name.clone()}</strong>
                                        {c.affiliation.clone().map(|a| view! { " (" {a} ")" })}
                                        " · " {t(locale, comment_status(&c.status))}
                                        {c.reason.clone().map(|r| view! { ": " {r} })}
                                    </p>
                                    <p class="prose">{c.body.clone()}</p>
                                    {(may_screen && pending).then(|| view! {
                                        <ActionForm action=screen attr:class="inline" attr:aria-label=format!("{}{}", t(locale, "Approve the comment by "), c.name)>
                                            <input type="hidden" name="comment" value=c.id />
                                            <input type="hidden" name="decision" value="approve" />
                                            <input type="hidden" name="reason" value="" />
                                            <button type="submit">{t(locale, "Approve")}</button>
                                        </ActionForm>
                                        <ActionForm action=screen attr:class="inline" attr:aria-label=format!("{}{}", t(locale, "Reject the comment by "), c.name)>
                                            <input type="hidden" name="comment" value=c.id />
                                            <input type="hidden" name="decision" value="reject" />
                                            <label for=field.clone()>{t(locale, "Reason for rejecting")}</label>
                                            <input id=field type="text" name="reason" required maxlength="2000" />
                                            <button type="submit" class="danger">{t(locale, "Reject")}</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_result_code_has_a_message() {
        for code in [
            "received",
            "closed",
            "invalid_name",
            "invalid_affiliation",
            "invalid_text",
        ] {
            assert!(!super::result_message(code).1.is_empty());
        }
        assert!(super::result_message("received").0);
    }
}
