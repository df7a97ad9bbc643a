//! GeoJSON (RFC 7946): a FeatureCollection of one layer (`places.geojson`, `events.geojson`,
//! `tracks.geojson`) or of all of them (`map.geojson`).
//!
//! Positions are `[lon, lat]` with at most 6 decimals; there is no `crs` member; lines that cross the
//! antimeridian are MultiLineStrings cut at ±180°. Legs carry their per-vertex times in
//! `coordinateProperties.times` (read by togeojson and Leaflet.TimeDimension). The collection's foreign
//! members say who made it: `name` and `description` (which GDAL shows as layer name and description)
//! and `generator` (tool, version, generation time, attributions, input documents).
//!
//! Features are written one per line as they are built, so the file streams.

use std::io::Write;

use anyhow::Result;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value as Json};

use super::features::{Feature, Geometry, Index, Layer, Value};
use super::Writer;
use crate::story::Story;

/// A FeatureCollection of the given layers, in that order.
pub struct GeoJson {
    pub layers: &'static [Layer],
}

impl Writer for GeoJson {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        let name = match self.layers {
            [layer] => layer.name(),
            _ => "mentionmap",
        };
        write!(out, "{{\"type\":\"FeatureCollection\",")?;
        for (key, value) in collection_members(story, name) {
            write!(
                out,
                "{}:{},",
                Json::String(key),
                serde_json::to_string(&value)?
            )?;
        }
        write!(out, "\"features\":[")?;
        write_features(story, self.layers, "", out)?;
        out.write_all(b"\n]}\n")?;
        Ok(())
    }
}

/// The features of `layers`, one a line after `indent`, comma-separated, as they are built (so the
/// file streams); the caller writes the brackets around them.
pub fn write_features(
    story: &Story,
    layers: &[Layer],
    indent: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let index = Index::new(story);
    let mut first = true;
    for layer in layers {
        for feature in index.features(*layer) {
            out.write_all(if first { b"\n" } else { b",\n" })?;
            out.write_all(indent.as_bytes())?;
            serde_json::to_writer(&mut *out, &FeatureJson(&feature))?;
            first = false;
        }
    }
    Ok(())
}

/// The members a collection carries besides its features: who made it, when, from what.
pub fn collection_members(story: &Story, name: &str) -> Map<String, Json> {
    let g = &story.generator;
    let mut members = Map::new();
    members.insert("name".into(), name.into());
    members.insert(
        "description".into(),
        format!(
            "Made by {} {} at {} from {} document(s). {}",
            g.tool,
            g.version,
            g.generated_at,
            story.documents.len(),
            g.attribution.join(". ")
        )
        .into(),
    );
    let documents: Vec<Json> = story
        .documents
        .iter()
        .map(|d| {
            let mut doc = Map::new();
            doc.insert("id".into(), d.id.clone().into());
            for (key, value) in [
                ("title", &d.title),
                ("url", &d.url),
                ("published", &d.published),
            ] {
                if let Some(v) = value {
                    doc.insert(key.into(), v.clone().into());
                }
            }
            Json::Object(doc)
        })
        .collect();
    members.insert(
        "generator".into(),
        json!({
            "tool": g.tool,
            "version": g.version,
            "generated_at": g.generated_at,
            "attribution": g.attribution,
            "documents": documents,
        }),
    );
    members
}

/// One feature as a GeoJSON Feature object, serialised as it is written.
pub struct FeatureJson<'a>(pub &'a Feature<'a>);

impl Serialize for FeatureJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let feature = self.0;
        let mut object = serializer.serialize_map(None)?;
        object.serialize_entry("type", "Feature")?;
        object.serialize_entry("id", &feature.id)?;
        if let Some(bbox) = &feature.bbox {
            object.serialize_entry("bbox", bbox)?;
        }
        object.serialize_entry("geometry", &GeometryJson(&feature.geometry))?;
        object.serialize_entry("properties", &Properties(feature))?;
        object.end()
    }
}

struct GeometryJson<'a>(&'a Geometry);

impl Serialize for GeometryJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_map(Some(2))?;
        match self.0 {
            Geometry::Point(p) => {
                object.serialize_entry("type", "Point")?;
                object.serialize_entry("coordinates", p)?;
            }
            Geometry::Line(parts) => match parts.as_slice() {
                [one] => {
                    object.serialize_entry("type", "LineString")?;
                    object.serialize_entry("coordinates", one)?;
                }
                parts => {
                    object.serialize_entry("type", "MultiLineString")?;
                    object.serialize_entry("coordinates", parts)?;
                }
            },
        }
        object.end()
    }
}

/// The layer's fields in order, then a leg's per-vertex times.
struct Properties<'a>(&'a Feature<'a>);

impl Serialize for Properties<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let feature = self.0;
        let mut properties = serializer.serialize_map(None)?;
        for (field, value) in feature.layer.fields().iter().zip(&feature.values) {
            match value {
                Value::Null => properties.serialize_entry(field.name, &())?,
                Value::Text(s) => properties.serialize_entry(field.name, s)?,
                Value::Int(n) => properties.serialize_entry(field.name, n)?,
                Value::Real(x) => properties.serialize_entry(field.name, x)?,
                Value::Bool(b) => properties.serialize_entry(field.name, b)?,
                Value::List(items) => properties.serialize_entry(field.name, items)?,
            }
        }
        if let Some(times) = &feature.vertex_times {
            properties.serialize_entry("coordinateProperties", &VertexTimes(times))?;
        }
        properties.end()
    }
}

/// `{"times": [...]}`: one list for a line in one part, a list per part for a cut line.
struct VertexTimes<'a>(&'a [Vec<String>]);

impl Serialize for VertexTimes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_map(Some(1))?;
        match self.0 {
            [one] => object.serialize_entry("times", one)?,
            parts => object.serialize_entry("times", parts)?,
        }
        object.end()
    }
}
