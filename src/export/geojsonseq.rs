//! GeoJSON text sequences (RFC 8142) for large corpora: every record is one GeoJSON text, preceded by
//! the record separator (0x1E) and ended by a line feed, written as soon as it is built so that readers
//! (GDAL's GeoJSONSeq driver, tippecanoe, `jq --seq`) can stream it.
//!
//! The first record is an empty FeatureCollection carrying what `map.geojson` carries at its top (who
//! made the file, when, from which documents, with which attributions); then one Feature per record,
//! every layer, the same features as the GeoJSON files.

use std::io::Write;

use anyhow::Result;
use serde_json::Value as Json;

use super::features::{Index, Layer};
use super::geojson::{collection_members, FeatureJson};
use super::Writer;
use crate::story::Story;

const RECORD_SEPARATOR: u8 = 0x1e;

pub struct GeoJsonSeq;

impl Writer for GeoJsonSeq {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        let mut header = collection_members(story, "mentionmap");
        header.insert("features".into(), Json::Array(Vec::new()));
        let mut header_record = serde_json::Map::new();
        header_record.insert("type".into(), "FeatureCollection".into());
        header_record.append(&mut header);
        write_record(out, &Json::Object(header_record))?;
        let index = Index::new(story);
        let mut record = Vec::new();
        for layer in Layer::ALL {
            for feature in index.features(*layer) {
                record.clear();
                record.push(RECORD_SEPARATOR);
                FeatureJson(&feature).write(&mut record);
                record.push(b'\n');
                out.write_all(&record)?;
            }
        }
        Ok(())
    }
}

fn write_record(out: &mut dyn Write, record: &impl serde::Serialize) -> Result<()> {
    out.write_all(&[RECORD_SEPARATOR])?;
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")?;
    Ok(())
}
