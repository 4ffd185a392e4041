use leptos::prelude::*;

/// The frame around every page: a skip link, the header, the main region and
/// the footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="/">
                "Tribune"
            </a>
            <nav aria-label="Site">
                <a href="/#decision-log">"Decision log"</a>
            </nav>
        </header>
        <main id="main" tabindex="-1">
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
