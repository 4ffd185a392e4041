//! Members' comments are written in Markdown and rendered to HTML on the
//! server, safely: raw HTML in the text is shown as text, links keep only
//! `http`, `https` and `mailto` addresses (and this site's own paths), and
//! images become links (no page loads anything a comment names).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// Whether a link target may be followed from a comment.
fn safe_url(url: &str) -> bool {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        || (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with('#')
}

/// The HTML of a comment.
pub fn render(text: &str) -> String {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    // Links and images whose address is refused lose their markup (their
    // text stays): remember which ends to drop.
    let mut dropped: Vec<bool> = Vec::new();
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }
            | Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            },
        ) => {
            // Images become links too.
            let safe = safe_url(&dest_url);
            dropped.push(!safe);
            safe.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link | TagEnd::Image) => {
            if dropped.pop().unwrap_or(true) {
                None
            } else {
                Some(Event::End(TagEnd::Link))
            }
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders() {
        assert_eq!(
            render("**bold** and *em*"),
            "<p><strong>bold</strong> and <em>em</em></p>\n"
        );
        assert!(render("- a\n- b").contains("<li>a</li>"));
        assert!(
            render("[docs](https://example.org/x)")
                .contains(r#"<a href="https://example.org/x">docs</a>"#)
        );
        assert!(render("see [case](/cases/4)").contains(r#"<a href="/cases/4">case</a>"#));
    }

    #[test]
    fn scripts_and_dangerous_links_are_neutralised() {
        let attacks = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "hello <a href=\"javascript:alert(1)\">x</a>",
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "![pic](javascript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<javascript:alert(1)>",
            "[x](//evil.example/steal)",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg onload=alert(1)>",
        ];
        for attack in attacks {
            let html = render(attack);
            let lower = html.to_ascii_lowercase();
            for bad in [
                "<script",
                "<img",
                "<a href=\"javascript",
                "<a href=\"data:",
                "<iframe",
                "<svg",
                "href=\"//",
                "onerror=\"",
                "onload=\"",
            ] {
                assert!(!lower.contains(bad), "{attack:?} rendered {html:?}");
            }
        }
        // The text of a refused link stays, as text.
        assert_eq!(render("[click](javascript:alert(1))"), "<p>click</p>\n");
        // Raw HTML is shown as text.
        assert_eq!(render("<b>hi</b>"), "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n");
        // Images become plain links.
        assert_eq!(
            render("![chart](https://example.org/c.png)"),
            "<p><a href=\"https://example.org/c.png\">chart</a></p>\n"
        );
    }
}
