//! `story.json`: the story as it is, one record per line, so an analyst can read, correct and re-export it.
//!
//! The file is also a GeoJSON FeatureCollection: the story's members ride along as foreign members
//! (RFC 7946 §6.1) beside `type` and `features` (every layer, as in `map.geojson`), so geojson.io, QGIS
//! and the GeoJSON validators open it as a map too. Reading it back ignores `type` and `features`: the
//! story members are the source of truth and the features are made from them again on export.

use std::io::{self, Write};

use anyhow::{Context, Result};
use serde::{Serialize, Serializer};
use serde_json::ser::Formatter;

use super::features::{Index, Layer};
use super::geojson::feature_json;
use super::Writer;
use crate::story::Story;

pub struct StoryJson;

impl Writer for StoryJson {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        let file = StoryFile {
            kind: "FeatureCollection",
            story,
            features: Features(story),
        };
        let mut out = io::BufWriter::new(out);
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut out, RecordLines::default());
        file.serialize(&mut serializer)
            .context("cannot serialise the story")?;
        out.write_all(b"\n")?;
        out.flush()?;
        Ok(())
    }
}

/// The file: the GeoJSON members around the story's own.
#[derive(Serialize)]
struct StoryFile<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    story: &'a Story,
    features: Features<'a>,
}

/// Every layer's features, made one at a time as they are written.
struct Features<'a>(&'a Story);

impl Serialize for Features<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let index = Index::new(self.0);
        serializer.collect_seq(
            Layer::ALL
                .iter()
                .flat_map(|layer| index.features(*layer))
                .map(|feature| feature_json(&feature)),
        )
    }
}

/// JSON laid out one member and one record per line, each record compact: it reads and diffs line by
/// line like the pretty form, at a fraction of its size and writing time (a corpus gives hundreds of
/// thousands of mentions).
#[derive(Default)]
struct RecordLines {
    depth: usize,
    has_value: bool,
}

/// Objects and arrays at this depth or above put each member or element on its own line.
const LINE_DEPTH: usize = 2;

impl RecordLines {
    fn new_line<W: ?Sized + Write>(&self, w: &mut W, depth: usize) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Formatter for RecordLines {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.depth < LINE_DEPTH && self.has_value {
            self.new_line(w, self.depth)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.depth <= LINE_DEPTH {
            self.new_line(w, self.depth)?;
        }
        Ok(())
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.depth < LINE_DEPTH && self.has_value {
            self.new_line(w, self.depth)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.depth <= LINE_DEPTH {
            self.new_line(w, self.depth)?;
        }
        Ok(())
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.depth <= LINE_DEPTH {
            b": "
        } else {
            b":"
        })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
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
