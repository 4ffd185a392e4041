use crate::i18n::{Locale, t, use_locale};
use leptos::prelude::*;

/// The frame around every page: a skip link, the header, the main region and
/// the footer. `data-hydrated` on the main region turns `true` once the
/// WebAssembly app has taken over the server-rendered page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| hydrated.set(true));

    let locale = use_locale();
    let location = leptos_router::hooks::use_location();
    // The switch sends the reader back to this page (its path and query).
    let back = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        let here = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        crate::url_encode(&here)
    };
    view! {
        <a class="skip-link" href="#main">{t(locale, "Skip to content")}</a>
        <header class="site-header">
            <a class="brand" href="/">
                "Tribune"
            </a>
            <nav aria-label=t(locale, "Site")>
                <a href="/decisions">{t(locale, "Decision log")}</a>
                <a href="/clauses">{t(locale, "Clauses")}</a>
                <a href="/members">{t(locale, "Members")}</a>
                <a href="/rules">{t(locale, "Rules")}</a>
                <a href="/dashboard">{t(locale, "Dashboard")}</a>
                <a href="/cases">{t(locale, "Cases")}</a>
                <a href="/comment">{t(locale, "Comment")}</a>
                <a href="/account">{t(locale, "Account")}</a>
                <a href="/sign-in">{t(locale, "Sign in")}</a>
            </nav>
            <nav aria-label=t(locale, "Language") class="language">
                {Locale::ALL.into_iter().filter(|l| *l != locale).map(|other| view! {
                    <a
                        href=move || format!("/language/{}?back={}", other.tag(), back())
                        lang=other.tag()
                        hreflang=other.tag()
                        // A server route (it sets the cookie): not for the client-side router.
                        rel="external"
                        id="language-switch"
                    >
                        {other.name()}
                    </a>
                }).collect_view()}
            </nav>
        </header>
        <main id="main" tabindex="-1" data-hydrated=move || hydrated.get().to_string()>
            {children()}
        </main>
        <footer class="site-footer">
            <p>
                "Tribune " {env!("CARGO_PKG_VERSION")}
                " · a public, append-only record of a moderation council's decisions."
            </p>
        </footer>
    }
}
