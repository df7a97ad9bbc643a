//! `story.json`: the story as it is, pretty-printed so an analyst can read, correct and re-export it.
//!
//! The file is also a GeoJSON FeatureCollection: the story's members ride along as foreign members
//! (RFC 7946 §6.1) beside `type` and `features` (every layer, as in `map.geojson`), so geojson.io, QGIS
//! and the GeoJSON validators open it as a map too. Reading it back ignores `type` and `features`: the
//! story members are the source of truth and the features are made from them again on export.

use std::io::Write;

use anyhow::{Context, Result};

use super::features::Layer;
use super::geojson::write_features;
use super::Writer;
use crate::story::Story;

pub struct StoryJson;

impl Writer for StoryJson {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        out.write_all(b"{\n  \"type\": \"FeatureCollection\",")?;
        // `{\n  "generator": …\n}`: keep the members, wrap them with the GeoJSON ones; streamed, so
        // that a large story is never held whole as text
        let mut members = Members {
            out: &mut *out,
            started: false,
            held: Vec::with_capacity(64),
        };
        // serde writes a few bytes at a time: buffer them before the adapter
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut members);
        serde_json::to_writer_pretty(&mut buffered, story).context("cannot serialise the story")?;
        buffered.flush()?;
        drop(buffered);
        if members.held != b"\n}" {
            anyhow::bail!("story is not a JSON object");
        }
        out.write_all(b",\n  \"features\": [")?;
        write_features(story, Layer::ALL, "    ", out)?;
        out.write_all(b"\n  ]\n}\n")?;
        Ok(())
    }
}

/// Passes a pretty-printed JSON object through without its opening `{` and its closing `\n}` (held
/// back until the end, to be checked).
struct Members<'a> {
    out: &'a mut dyn Write,
    started: bool,
    held: Vec<u8>,
}

impl Write for Members<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        if !self.started && !rest.is_empty() {
            if rest[0] != b'{' {
                return Err(std::io::Error::other("story is not a JSON object"));
            }
            self.started = true;
            rest = &rest[1..];
        }
        self.held.extend_from_slice(rest);
        if self.held.len() > 2 {
            let cut = self.held.len() - 2;
            self.out.write_all(&self.held[..cut])?;
            self.held.drain(..cut);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
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
        let text = std::str::from_utf8(&bytes).unwrap();
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(json["type"], "FeatureCollection");
        assert!(json["features"].as_array().unwrap().is_empty());
        let back = read_story(text, "story.json").unwrap();
        assert_eq!(back, story);
        let err = read_story("{\n  \"documents\": [,]\n}", "bad.json")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("bad.json: line 2, column"), "{err}");
    }
}
