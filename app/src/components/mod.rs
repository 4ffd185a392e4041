//! Pieces shared by several pages.

pub mod charts;
pub mod choices;
pub mod layout;
pub mod text_area;

/// A moment as people read it (date and time, UTC, in the reader's
/// language), with the exact instant in the `<time>` element and on hover.
#[leptos::component]
pub fn When(at: domain::Timestamp) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let locale = crate::i18n::use_locale();
    let exact = at.to_rfc3339();
    view! { <time datetime=exact.clone() title=exact>{locale.date_time(at)}</time> }
}
