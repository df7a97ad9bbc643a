//! JSON documents: JSON Lines (one object a line), a JSON array of objects, or one object. Each object
//! has `text` and optionally `id`, `published`, `title`, `url`, `source`. A broken line is reported with
//! its line number and the other lines are still read.

use serde::Deserialize;

use super::ParsedDoc;

#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default, alias = "date")]
    published: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

impl From<Record> for ParsedDoc {
    fn from(r: Record) -> ParsedDoc {
        let id = r.id.map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        });
        ParsedDoc {
            id,
            text: r.text,
            title: r.title,
            url: r.url,
            source: r.source,
            published: r.published,
        }
    }
}

/// Each record with the line it starts on, or the line and what is wrong with it.
pub(crate) fn read_json_records(text: &str) -> Vec<Result<(usize, ParsedDoc), (usize, String)>> {
    let trimmed = text.trim_start();
    let first_line = text[..text.len() - trimmed.len()].matches('\n').count() + 1;
    if trimmed.starts_with('[') {
        return match serde_json::from_str::<Vec<serde_json::Value>>(text) {
            Ok(values) => values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    serde_json::from_value::<Record>(v)
                        .map(|r| (i + 1, r.into()))
                        .map_err(|e| (first_line, format!("array element {}: {e}", i + 1)))
                })
                .collect(),
            Err(e) => vec![Err((
                e.line(),
                format!("invalid JSON at column {}: {e}", e.column()),
            ))],
        };
    }
    // A single pretty-printed object spans lines: try the whole text first.
    if let Ok(record) = serde_json::from_str::<Record>(text) {
        return vec![Ok((first_line, record.into()))];
    }
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str::<Record>(line)
                .map(|r| (i + 1, r.into()))
                .map_err(|e| (i + 1, format!("invalid JSON record: {e}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_line_is_reported_and_others_read() {
        let text = "{\"id\":\"a\",\"text\":\"Qingdao\"}\n{broken\n{\"id\":7,\"text\":\"Shanghai\",\"published\":\"2023-07-16\"}\n";
        let got = read_json_records(text);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].as_ref().unwrap().1.id.as_deref(), Some("a"));
        assert_eq!(got[1].as_ref().unwrap_err().0, 2);
        let third = &got[2].as_ref().unwrap().1;
        assert_eq!(third.id.as_deref(), Some("7"));
        assert_eq!(third.published.as_deref(), Some("2023-07-16"));
    }

    #[test]
    fn reads_arrays_and_single_objects() {
        let got = read_json_records("[{\"text\":\"one\"},{\"text\":\"two\"}]");
        assert_eq!(got.len(), 2);
        let single = read_json_records("{\n  \"text\": \"one\",\n  \"title\": \"T\"\n}\n");
        assert_eq!(single.len(), 1);
        assert_eq!(single[0].as_ref().unwrap().1.title.as_deref(), Some("T"));
        let missing_text = read_json_records("{\"id\":\"x\"}");
        assert!(missing_text[0].as_ref().unwrap_err().1.contains("text"));
    }
}
