//! HTML articles: the readable text of the article (paragraphs and headings of `<article>`, else
//! `<main>`, else `<body>`, without scripts, navigation or footers), its title, and its publication date
//! from `<meta property="article:published_time">` or the first `<time datetime>`.

use scraper::{ElementRef, Html, Node, Selector};

use super::ParsedDoc;

/// Elements whose text is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "svg",
    "iframe", "button",
];
/// Elements that end a block of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "br",
    "section",
    "article",
    "blockquote",
    "pre",
    "tr",
    "figcaption",
    "dd",
    "dt",
];

pub(crate) fn read_html(raw: &str) -> Result<ParsedDoc, String> {
    let html = Html::parse_document(raw);
    let sel = |s: &str| Selector::parse(s).expect("static selector");
    let mut doc = ParsedDoc {
        title: meta_content(&html, &sel("meta[property=\"og:title\"]"))
            .or_else(|| {
                html.select(&sel("title"))
                    .next()
                    .map(|t| collapse(&t.text().collect::<String>()))
            })
            .filter(|t| !t.is_empty()),
        url: meta_content(&html, &sel("meta[property=\"og:url\"]")).or_else(|| {
            html.select(&sel("link[rel=\"canonical\"]"))
                .next()
                .and_then(|l| l.value().attr("href").map(str::to_string))
        }),
        source: meta_content(&html, &sel("meta[property=\"og:site_name\"]")),
        published: meta_content(&html, &sel("meta[property=\"article:published_time\"]"))
            .or_else(|| meta_content(&html, &sel("meta[name=\"date\"]")))
            .or_else(|| {
                html.select(&sel("time[datetime]"))
                    .next()
                    .and_then(|t| t.value().attr("datetime").map(str::to_string))
            }),
        ..ParsedDoc::default()
    };
    let root = ["article", "main", "body"]
        .iter()
        .find_map(|s| html.select(&sel(s)).next())
        .unwrap_or_else(|| html.root_element());
    let mut text = String::new();
    collect_text(root, &mut text, 0);
    doc.text = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok(doc)
}

fn meta_content(html: &Html, selector: &Selector) -> Option<String> {
    html.select(selector)
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
}

/// Depth-limited so hostile, deeply nested pages cannot exhaust the stack.
fn collect_text(element: ElementRef, out: &mut String, depth: usize) {
    if depth > 256 {
        return;
    }
    for child in element.children() {
        match child.value() {
            Node::Text(t) => {
                let piece = collapse(t);
                if !piece.is_empty() {
                    if !out.is_empty()
                        && !out.ends_with(['\n', ' '])
                        && t.starts_with(char::is_whitespace)
                    {
                        out.push(' ');
                    }
                    out.push_str(&piece);
                    if t.ends_with(char::is_whitespace) {
                        out.push(' ');
                    }
                }
            }
            Node::Element(e) => {
                let name = e.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    out.push('\n');
                }
                if let Some(child) = ElementRef::wrap(child) {
                    collect_text(child, out, depth + 1);
                }
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_text_title_and_date() {
        let page = r#"<html><head><title>Ignored</title>
            <meta property="og:title" content="Flotilla leaves Qingdao">
            <meta property="article:published_time" content="2023-07-16T08:00:00Z"></head>
            <body><nav>Home | World</nav><article><h1>Flotilla leaves Qingdao</h1>
            <p>A flotilla left <b>Qingdao</b> on Sunday.</p><script>var x = "Moscow";</script>
            <p>It sails to the Sea of Japan.</p></article><footer>Contact</footer></body></html>"#;
        let doc = read_html(page).unwrap();
        assert_eq!(doc.title.as_deref(), Some("Flotilla leaves Qingdao"));
        assert_eq!(doc.published.as_deref(), Some("2023-07-16T08:00:00Z"));
        assert_eq!(doc.text, "Flotilla leaves Qingdao\n\nA flotilla left Qingdao on Sunday.\n\nIt sails to the Sea of Japan.");
    }

    #[test]
    fn time_element_gives_the_date() {
        let doc =
            read_html("<body><p>Text <time datetime=\"2023-07-20\">Thursday</time></p></body>")
                .unwrap();
        assert_eq!(doc.published.as_deref(), Some("2023-07-20"));
        assert_eq!(doc.text, "Text Thursday");
    }
}
