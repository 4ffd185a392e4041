//! One module per page.

pub mod account;
pub mod admin;
pub mod cases;
pub mod clauses;
pub mod dashboard;
pub mod decision;
pub mod discussion;
pub mod home;
pub mod invite;
pub mod members;
pub mod not_found;
pub mod public_comments;
pub mod public_decisions;
pub mod rules;
pub mod sign_in;
pub mod voting;

use crate::error::AppError;
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos::server_fn::{ServerFn, error::ServerFnUrlError};

/// The path of server function `F` (`/api/…`), as a plain form post of it
/// names it when it is refused (see [`form_refusal`]).
pub fn path_of<F: ServerFn>() -> &'static str {
    F::PATH
}

/// Why a plain form post to one of `paths` was refused, in `locale`. The
/// server functions answer a refused form post (a browser without script, or
/// a page rendered on the server only) with a redirect back to the page, the
/// error in its query string (`__path`, `__err`); the page shows it beside
/// the form that was sent. A page rendered on the server only: in the browser
/// there is no router to read it from.
pub fn form_refusal(locale: Locale, paths: &[&str]) -> Option<String> {
    let query = leptos_router::hooks::use_query_map();
    let query = query.read_untracked();
    let path = query.get("__path")?;
    if !paths.contains(&path.as_str()) {
        return None;
    }
    let error: AppError = ServerFnUrlError::<AppError>::decode_err(&query.get("__err")?);
    Some(crate::i18n::message(locale, &error.to_string()))
}

/// Whether the page follows a plain form post to `path` that succeeded (the
/// server function sent the browser back with `done=` and its name).
pub fn form_done(path: &str) -> bool {
    let query = leptos_router::hooks::use_query_map();
    let query = query.read_untracked();
    query.get("__path").is_none()
        && query
            .get("done")
            .is_some_and(|done| Some(done.as_str()) == path.rsplit('/').next())
}
