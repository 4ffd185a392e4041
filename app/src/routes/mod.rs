//! One module per page.

pub mod account;
pub mod admin;
pub mod cases;
pub mod clauses;
pub mod dashboard;
pub mod decision;
pub mod discussion;
pub mod docket;
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
use leptos::server_fn::ServerFn;

/// The path of server function `F` (`/api/…`), as a plain form post of it
/// names it when it is refused (see [`form_refusal`]).
pub fn path_of<F: ServerFn>() -> &'static str {
    F::PATH
}

/// Why a plain form post was refused, as the server recorded it: the
/// server function's path and the error. Leptos sends the browser back to
/// the form's page with the error in the query string too (`__path`,
/// `__err`), but that is text anyone can put in a link, so it is never
/// shown: the refusal comes from a short-lived cookie that only the server
/// writes and reads (`ssr::remember_refusal`), taken once by the page's
/// layout and provided to the page.
#[derive(Clone, Debug, Default)]
pub struct PageRefusal(pub Option<(String, AppError)>);

impl PageRefusal {
    /// The refusal handed to this page, if any (the layout provides it).
    pub fn taken() -> Self {
        #[cfg(feature = "ssr")]
        {
            Self(crate::functions::ssr::take_refusal())
        }
        #[cfg(not(feature = "ssr"))]
        {
            Self(None)
        }
    }
}

/// Why a plain form post to one of `paths` was refused, in `locale`, shown
/// beside the form that was sent. A page rendered on the server only: the
/// refusal reaches the server alone. When no form on the page claims it (a
/// stale tab's form, refused because the role changed or the member signed
/// out), the layout's own notice shows it instead (`data-refusal` marks
/// the one beside a form; the style hides the layout's notice then).
pub fn form_refusal(locale: Locale, paths: &[&str]) -> Option<AnyView> {
    let refusal = use_context::<PageRefusal>()?;
    let (path, error) = refusal.0?;
    if !paths.contains(&path.as_str()) {
        return None;
    }
    let reason = crate::i18n::error_text(locale, &error);
    Some(view! { <span data-refusal="">{reason}</span> }.into_any())
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
