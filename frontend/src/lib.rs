//! The browser entry point. Tribune runs in Leptos's islands mode: the server
//! renders every page, and only the `#[island]` components (the parts where
//! the browser must act: unlocking the member's key and signing, verifying
//! the log) are compiled here and hydrated, each on its own.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Names the app crate so that it is linked: its islands export their
    // hydration functions, which nothing here calls.
    let _ = app::url_encode;
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
