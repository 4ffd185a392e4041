use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

/// Shown for any path that is not a page. The server answers it with 404.
#[component]
pub fn NotFound() -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    let locale = use_locale();
    view! {
        <Title text=t(locale, "Page not found") />
        <NotFoundBody path />
    }
}

/// The 404 page's text, for `path`; also shown inside an island (the case
/// page), where neither the router nor the document's title is at hand.
#[component]
pub fn NotFoundBody(path: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let locale = use_locale();
    view! {
        <section class="not-found" aria-labelledby="not-found-title">
            <h1 id="not-found-title">{t(locale, "Page not found")}</h1>
            <p>{t(locale, "There is no page at ")} <code>{path}</code> "."</p>
            <p>
                <a href="/">{t(locale, "Go to the council's home page")}</a>
                {t(locale, " to read its decision log.")}
            </p>
        </section>
    }
}
