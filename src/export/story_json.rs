//! `story.json`: the story as it is, pretty-printed so an analyst can read, correct and re-export it.

use std::io::Write;

use anyhow::{Context, Result};

use super::Writer;
use crate::story::Story;

pub struct StoryJson;

impl Writer for StoryJson {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        serde_json::to_writer_pretty(&mut *out, story).context("cannot serialise the story")?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

/// Read a story back, with the line and column of any error.
pub fn read_story(text: &str, origin: &str) -> Result<Story> {
    serde_json::from_str(text)
        .map_err(|e| anyhow::anyhow!("{origin}: line {}, column {}: {e}", e.line(), e.column()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reports_position_of_errors() {
        let story = Story::default();
        let mut bytes = Vec::new();
        StoryJson.write(&story, &mut bytes).unwrap();
        let back = read_story(std::str::from_utf8(&bytes).unwrap(), "story.json").unwrap();
        assert_eq!(back, story);
        let err = read_story("{\n  \"documents\": [,]\n}", "bad.json")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("bad.json: line 2, column"), "{err}");
    }
}
