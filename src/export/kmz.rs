//! KMZ: the KML zipped, as `doc.kml`, the first (and only) entry — Google Earth opens the first `.kml`
//! in the archive. The entry's time is the story's generation time, so the same story gives the same
//! bytes.

use std::io::{Cursor, Write};

use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, Timelike};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::kml::write_kml;
use super::Writer;
use crate::story::Story;

pub struct Kmz;

impl Writer for Kmz {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        let mut kml = Vec::new();
        write_kml(story, &mut kml)?;
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(entry_time(&story.generator.generated_at))
            .unix_permissions(0o644);
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("doc.kml", options)
            .context("cannot start doc.kml in the KMZ")?;
        zip.write_all(&kml)?;
        let bytes = zip.finish().context("cannot finish the KMZ")?.into_inner();
        out.write_all(&bytes)?;
        Ok(())
    }
}

/// The generation time as a zip entry time; zip times cannot say anything before 1980 or after 2107,
/// and then the format's own epoch (1980-01-01) is used.
fn entry_time(generated_at: &str) -> zip::DateTime {
    DateTime::parse_from_rfc3339(generated_at)
        .ok()
        .and_then(|t| {
            zip::DateTime::from_date_and_time(
                u16::try_from(t.year()).ok()?,
                t.month() as u8,
                t.day() as u8,
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
            )
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_time_follows_generation_time_and_falls_back_to_the_zip_epoch() {
        let t = entry_time("2023-07-20T10:30:00Z");
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2023, 7, 20, 10));
        assert_eq!(entry_time("not a time"), zip::DateTime::default());
        assert_eq!(entry_time("1970-01-01T00:00:00Z"), zip::DateTime::default());
    }
}
