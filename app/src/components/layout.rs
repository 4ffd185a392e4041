use crate::i18n::{Locale, t, use_locale};
use leptos::prelude::*;

/// The frame around every page: a skip link, the header, the main region and
/// the footer, all rendered on the server only. `data-hydrated` on the main
/// region turns `true` once the page's islands are hydrated (see
/// [`HydrationMark`]).
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let locale = use_locale();
    // A plain form post's refusal, taken once for the whole page: beside its
    // form if the page still shows it, otherwise in the notice at the top.
    let refusal = crate::routes::PageRefusal::taken();
    provide_context(refusal.clone());
    let page_refusal = refusal.0.map(|(_, error)| {
        let reason = crate::i18n::error_text(locale, &error);
        view! { <p class="notice error page-refusal" role="alert" id="page-refusal">{reason}</p> }
    });
    let reader = Resource::new(|| (), |()| crate::functions::auth::get_session());
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
                <a href="/docket">{t(locale, "Docket")}</a>
                <a href="/clauses">{t(locale, "Clauses")}</a>
                <a href="/members">{t(locale, "Members")}</a>
                <a href="/rules">{t(locale, "Rules")}</a>
                <a href="/comment">{t(locale, "Comment")}</a>
                // Who is reading: a member's own pages and name, or the way in.
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match reader.await {
                            Ok(Some(me)) => view! {
                                <a href="/dashboard">{t(locale, "Dashboard")}</a>
                                <a href="/cases">{t(locale, "Cases")}</a>
                                <a href="/account" id="header-member" aria-label=crate::i18n::your_account(locale, &me.name)>
                                    {me.name.clone()}
                                </a>
                            }.into_any(),
                            _ => view! { <a href="/sign-in" id="sign-in-link">{t(locale, "Sign in")}</a> }.into_any(),
                        }
                    })}
                </Suspense>
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
        <main id="main" tabindex="-1" data-hydrated="false">
            {page_refusal}
            {children()}
            <HydrationMark />
        </main>
        <footer class="site-footer">
            <p>
                "Tribune " {env!("CARGO_PKG_VERSION")}
                {t(locale, " · a public, append-only record of a moderation council's decisions.")}
            </p>
        </footer>
    }
}

/// The last island of every page: once the WebAssembly has hydrated the
/// islands before it, marks the main region `data-hydrated="true"` (what the
/// browser tests wait for before they click).
#[island]
fn HydrationMark() -> impl IntoView {
    // Effects run only in the browser, after the islands are hydrated.
    Effect::new(move |_| {
        if let Some(main) = document().get_element_by_id("main") {
            let _ = main.set_attribute("data-hydrated", "true");
        }
    });
}
