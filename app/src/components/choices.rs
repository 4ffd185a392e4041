//! A list of checkboxes that picks ids (the panel's members, the rationale's
//! authors), read by `browser::FormFields::ids` when the form is sent.

use leptos::prelude::*;

/// Checkboxes named `name`, one for each `(id, label)` of `options`, ticked
/// for the ids in `ticked`; their ids are `{prefix}-{id}`.
#[component]
pub fn IdChoices(
    name: &'static str,
    prefix: &'static str,
    options: Vec<(u64, String)>,
    ticked: Vec<u64>,
) -> impl IntoView {
    options
        .into_iter()
        .map(|(id, label)| {
            let input_id = format!("{prefix}-{id}");
            let label_for = input_id.clone();
            view! {
                <label for=label_for class="choice">
                    <input type="checkbox" id=input_id name=name value=id checked=ticked.contains(&id) />
                    {label}
                </label>
            }
        })
        .collect_view()
}
