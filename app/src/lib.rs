//! Tribune's web interface: Leptos components and routes, rendered on the
//! server and hydrated in the browser, plus thin server functions
//! (`functions/`) that call the storage layer.

// Deeply nested view types (forms inside `Show` inside `Suspense`).
#![recursion_limit = "256"]

pub mod browser;
pub mod components;
pub mod error;
pub mod functions;
pub mod i18n;
pub mod keystore;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod routes;

use components::layout::Layout;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};
use routes::{
    account::AccountPage,
    admin::AdminPage,
    cases::{CasePage, CasesPage, NewCasePage},
    clauses::{ClausePage, ClausesPage},
    dashboard::DashboardPage,
    docket::{DocketCasePage, DocketPage},
    home::HomePage,
    invite::InvitePage,
    members::MembersPage,
    not_found::NotFound,
    public_comments::{CommentFormPage, OpenForCommentPage},
    public_decisions::{DecisionLogPage, PublicDecisionPage, RecommendationsPage},
    rules::RulesPage,
    sign_in::SignInPage,
};

/// The Content-Security-Policy of HTML pages: scripts only from this site
/// or carrying the page's nonce, WebAssembly allowed, nothing embedded.
/// (The server's security middleware makes the nonce and sets the header.)
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Query-string encoding of a value (unreserved characters kept, the rest
/// percent-encoded).
pub fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The query string of a page's filters: each one set, as `name=value`
/// (encoded), in the order given.
pub fn query_string(filters: &[(&str, &str)]) -> String {
    filters
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", url_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = i18n::provide_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                // Before the bundle's script, which the browser runs after it.
                {french_tables(locale).map(|src| view! { <script defer src=src></script> })}
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The address of the French tables a French page loads before the bundle
/// (see `i18n::tables`); none for an English page.
fn french_tables(locale: i18n::Locale) -> Option<String> {
    #[cfg(feature = "ssr")]
    return (locale == i18n::Locale::Fr).then(|| i18n::script().path.clone());
    #[cfg(not(feature = "ssr"))]
    {
        let _ = locale;
        None
    }
}

/// The document title as it must be written. On the server, leptos_meta
/// writes the title into the HTML without escaping it, so a council name such
/// as `</title><script>…` would inject markup: escape it there. In the
/// browser the title is set as text and must stay as it is.
fn title_markup(title: &str) -> String {
    if cfg!(feature = "ssr") {
        title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        title.to_owned()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    i18n::provide_locale();

    view! {
        <Stylesheet id="leptos" href="/pkg/tribune.css" />
        <Title formatter=|page: String| {
            title_markup(&if page.is_empty() { "Tribune".to_owned() } else { format!("{page} · Tribune") })
        } />
        <Router>
            <Layout>
                // Async rendering: the whole page, data included, arrives as
                // HTML, so it reads the same with JavaScript disabled.
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("decisions") view=DecisionLogPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("docket") view=DocketPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("docket"), ParamSegment("id"))
                        view=DocketCasePage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("recommendations") view=RecommendationsPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("decisions"), ParamSegment("id"))
                        view=PublicDecisionPage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("clauses") view=ClausesPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("clauses"), ParamSegment("code"))
                        view=ClausePage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("members") view=MembersPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("sign-in") view=SignInPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("cases") view=CasesPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("dashboard") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("rules") view=RulesPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("comment") view=OpenForCommentPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("comment"), ParamSegment("id"))
                        view=CommentFormPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("cases"), StaticSegment("new"))
                        view=NewCasePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("cases"), ParamSegment("id"))
                        view=CasePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("invite"), ParamSegment("token"))
                        view=InvitePage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Layout>
        </Router>
    }
}
