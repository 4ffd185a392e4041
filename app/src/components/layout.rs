use leptos::prelude::*;

/// The frame around every page: a skip link, the header, the main region and
/// the footer. `data-hydrated` on the main region turns `true` once the
/// WebAssembly app has taken over the server-rendered page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| hydrated.set(true));

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="/">
                "Tribune"
            </a>
            <nav aria-label="Site">
                <a href="/decisions">"Decision log"</a>
                <a href="/clauses">"Clauses"</a>
                <a href="/members">"Members"</a>
                <a href="/rules">"Rules"</a>
                <a href="/dashboard">"Dashboard"</a>
                <a href="/cases">"Cases"</a>
                <a href="/comment">"Comment"</a>
                <a href="/account">"Account"</a>
                <a href="/sign-in">"Sign in"</a>
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
