//! Plain text and Markdown articles, with optional front matter between `---` lines:
//! `published:` (or `date:`), `title:`, `url:`, `source:`, `id:`.

use super::ParsedDoc;

pub(crate) fn read_text(raw: &str) -> Result<ParsedDoc, String> {
    let mut doc = ParsedDoc::default();
    let Some(body) = front_matter_body(raw) else {
        doc.text = raw.to_string();
        return Ok(doc);
    };
    let (header, text) = body;
    for line in header.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = unquote(value.trim());
        if value.is_empty() {
            continue;
        }
        match key.trim().to_ascii_lowercase().as_str() {
            "published" | "date" | "published_at" => doc.published = Some(value.to_string()),
            "title" => doc.title = Some(value.to_string()),
            "url" | "link" => doc.url = Some(value.to_string()),
            "source" | "outlet" => doc.source = Some(value.to_string()),
            "id" => doc.id = Some(value.to_string()),
            _ => {}
        }
    }
    doc.text = text.to_string();
    Ok(doc)
}

/// Splits `---\nheader\n---\ntext` into header and text; `None` when there is no front matter.
fn front_matter_body(raw: &str) -> Option<(&str, &str)> {
    let rest = raw.strip_prefix("---")?;
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_front_matter() {
        let doc = read_text("---\npublished: 2023-07-16\ntitle: \"Flotilla sails\"\nurl: https://example.org/a\n---\nShips left Qingdao.\n").unwrap();
        assert_eq!(doc.published.as_deref(), Some("2023-07-16"));
        assert_eq!(doc.title.as_deref(), Some("Flotilla sails"));
        assert_eq!(doc.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(doc.text, "Ships left Qingdao.\n");
    }

    #[test]
    fn text_without_front_matter_is_kept_whole() {
        let doc = read_text("--- not front matter\nShips.").unwrap();
        assert_eq!(doc.text, "--- not front matter\nShips.");
        assert!(doc.published.is_none());
        let unterminated = read_text("---\ntitle: x\nno end").unwrap();
        assert_eq!(unterminated.text, "---\ntitle: x\nno end");
    }
}
