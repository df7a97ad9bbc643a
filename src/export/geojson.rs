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
            serde_json::to_writer(&mut *out, &feature_json(&feature))?;
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

/// One feature as a GeoJSON Feature object.
pub fn feature_json(feature: &Feature) -> Json {
    let mut properties = Map::new();
    for (field, value) in feature.layer.fields().iter().zip(&feature.values) {
        properties.insert(field.name.into(), value_json(value));
    }
    if let Some(times) = &feature.vertex_times {
        let times = match times.as_slice() {
            [one] => json!(one),
            parts => json!(parts),
        };
        properties.insert("coordinateProperties".into(), json!({ "times": times }));
    }
    let mut object = Map::new();
    object.insert("type".into(), "Feature".into());
    object.insert("id".into(), feature.id.clone().into());
    if let Some(bbox) = feature.bbox {
        object.insert("bbox".into(), json!(bbox));
    }
    object.insert("geometry".into(), geometry_json(&feature.geometry));
    object.insert("properties".into(), Json::Object(properties));
    Json::Object(object)
}

fn geometry_json(geometry: &Geometry) -> Json {
    match geometry {
        Geometry::Point(p) => json!({ "type": "Point", "coordinates": p }),
        Geometry::Line(parts) => match parts.as_slice() {
            [one] => json!({ "type": "LineString", "coordinates": one }),
            parts => json!({ "type": "MultiLineString", "coordinates": parts }),
        },
    }
}

fn value_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Text(s) => s.clone().into(),
        Value::Int(n) => (*n).into(),
        Value::Real(x) => json!(x),
        Value::Bool(b) => (*b).into(),
        Value::List(items) => json!(items),
    }
}
