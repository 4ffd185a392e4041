//! Every `<textarea>` on a page. Leptos writes a textarea's children into the
//! server's HTML as they are (upstream escaped them once and reverted it, as
//! it broke hydration), so saved text holding `</textarea><meta …>` would end
//! the field and inject markup into the page of whoever edits it next. This
//! component writes the initial text itself, escaped for the textarea's
//! RCDATA content, which the browser decodes back to exactly the text.

use leptos::prelude::*;

/// `text` escaped as a textarea's content: `&` and `<` are all that could
/// end it or be read as an entity (`>` too, for readers of the raw HTML).
pub fn textarea_content(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 1);
    // The HTML parser drops one newline right after `<textarea>`: give it
    // one, so that a text that starts with a newline keeps it.
    if cfg!(feature = "ssr") {
        escaped.push('\n');
    }
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A form's multi-line field, holding `text` (saved earlier) when the page
/// arrives.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    name: &'static str,
    rows: u32,
    /// The field's limit in characters, if any.
    #[prop(optional)]
    maxlength: Option<usize>,
    #[prop(optional)] required: bool,
    /// What the field holds when the page arrives.
    #[prop(optional, into)]
    text: String,
) -> impl IntoView {
    view! {
        <textarea
            id=id
            name=name
            rows=rows.to_string()
            maxlength=maxlength.map(|limit| limit.to_string())
            required=required
            inner_html=textarea_content(&text)
        ></textarea>
    }
}

#[cfg(test)]
mod tests {
    use super::textarea_content;

    #[test]
    fn saved_text_cannot_close_the_field() {
        let content = textarea_content("a </textarea><b id=injected>&amp; </TEXTAREA >");
        assert!(!content.to_ascii_lowercase().contains("</textarea"));
        assert!(!content.contains('<'));
        assert!(content.contains("&lt;/textarea&gt;&lt;b id=injected&gt;&amp;amp; "));
    }

    #[test]
    fn plain_text_is_kept() {
        assert_eq!(
            textarea_content("line one\nline two").trim_start_matches('\n'),
            "line one\nline two"
        );
    }
}
