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
use super::story_json::{number, string};
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
    let mut line = Vec::new();
    let mut first = true;
    for layer in layers {
        for feature in index.features(*layer) {
            line.clear();
            line.extend_from_slice(if first { b"\n" } else { b",\n" });
            line.extend_from_slice(indent.as_bytes());
            FeatureJson(&feature).write(&mut line);
            out.write_all(&line)?;
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

/// One feature as a GeoJSON Feature object, compact, as serde_json would write it. Written by hand:
/// a place named across a corpus lists thousands of document ids, and through serde each id cost
/// several calls.
pub struct FeatureJson<'a>(pub &'a Feature<'a>);

impl FeatureJson<'_> {
    pub fn write(&self, out: &mut Vec<u8>) {
        let feature = self.0;
        out.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
        string(out, &feature.id);
        if let Some(bbox) = &feature.bbox {
            out.extend_from_slice(b",\"bbox\":");
            numbers(out, bbox);
        }
        out.extend_from_slice(b",\"geometry\":{\"type\":");
        match &feature.geometry {
            Geometry::Point(p) => {
                out.extend_from_slice(b"\"Point\",\"coordinates\":");
                numbers(out, p);
            }
            Geometry::Line(parts) => match parts.as_slice() {
                [one] => {
                    out.extend_from_slice(b"\"LineString\",\"coordinates\":");
                    list(out, one, |out, p| numbers(out, p));
                }
                parts => {
                    out.extend_from_slice(b"\"MultiLineString\",\"coordinates\":");
                    list(out, parts, |out, part| {
                        list(out, part, |out, p| numbers(out, p))
                    });
                }
            },
        }
        out.extend_from_slice(b"},\"properties\":{");
        let mut first = true;
        for (field, value) in feature.layer.fields().iter().zip(&feature.values) {
            if !std::mem::take(&mut first) {
                out.push(b',');
            }
            // names of our own, with nothing to escape
            out.push(b'"');
            out.extend_from_slice(field.name.as_bytes());
            out.extend_from_slice(b"\":");
            match value {
                Value::Null => out.extend_from_slice(b"null"),
                Value::Text(s) => string(out, s),
                Value::Int(n) => out.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
                Value::Real(x) => number(out, *x),
                Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
                Value::List(items) => list(out, items, |out, s| string(out, s)),
            }
        }
        // `{"times": [...]}`: one list for a line in one part, a list per part for a cut line
        if let Some(times) = &feature.vertex_times {
            if !first {
                out.push(b',');
            }
            out.extend_from_slice(b"\"coordinateProperties\":{\"times\":");
            match times.as_slice() {
                [one] => list(out, one, |out, s| string(out, s)),
                parts => list(out, parts, |out, part| {
                    list(out, part, |out, s| string(out, s))
                }),
            }
            out.push(b'}');
        }
        out.extend_from_slice(b"}}");
    }
}

/// `[a,b,...]`, each item written by `item`.
fn list<T>(out: &mut Vec<u8>, items: &[T], item: impl Fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x);
    }
    out.push(b']');
}

fn numbers(out: &mut Vec<u8>, xs: &[f64]) {
    list(out, xs, |out, x| number(out, *x));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::features::Style;
    use crate::story::PlaceKind;

    /// The feature as serde_json writes the same object built as a JSON value.
    fn through_serde(feature: &Feature) -> String {
        let mut object = Map::new();
        object.insert("type".into(), "Feature".into());
        object.insert("id".into(), feature.id.clone().into());
        if let Some(bbox) = feature.bbox {
            object.insert("bbox".into(), json!(bbox));
        }
        object.insert(
            "geometry".into(),
            match &feature.geometry {
                Geometry::Point(p) => json!({"type": "Point", "coordinates": p}),
                Geometry::Line(parts) if parts.len() == 1 => {
                    json!({"type": "LineString", "coordinates": parts[0]})
                }
                Geometry::Line(parts) => json!({"type": "MultiLineString", "coordinates": parts}),
            },
        );
        let mut properties = Map::new();
        for (field, value) in feature.layer.fields().iter().zip(&feature.values) {
            let value = match value {
                Value::Null => Json::Null,
                Value::Text(s) => json!(s),
                Value::Int(n) => json!(n),
                Value::Real(x) => json!(x),
                Value::Bool(b) => json!(b),
                Value::List(items) => json!(items),
            };
            properties.insert(field.name.into(), value);
        }
        if let Some(times) = &feature.vertex_times {
            let times = match times.as_slice() {
                [one] => json!(one),
                parts => json!(parts),
            };
            properties.insert("coordinateProperties".into(), json!({ "times": times }));
        }
        object.insert("properties".into(), Json::Object(properties));
        serde_json::to_string(&object).unwrap()
    }

    fn written(feature: &Feature) -> String {
        let mut out = Vec::new();
        FeatureJson(feature).write(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn features_are_written_as_serde_json_writes_them() {
        let odd_texts = [
            "Kiel \"Förde\"\n\t\\ 北京 \u{1}",
            "",
            "plain",
            "0123456789abcdef0123456789abcdef\u{7f}",
        ];
        let kinds = |i: usize| -> Value {
            match i % 7 {
                0 => Value::Null,
                1 => Value::Text(odd_texts[i % odd_texts.len()].to_string()),
                2 => Value::Int([0, -7, 12_345, i64::MAX, i64::MIN][i % 5]),
                3 => Value::Real([0.5, -0.0, 1e21, 1e-7, f64::NAN, 54.32133][i % 6]),
                4 => Value::Bool(i % 2 == 0),
                5 => Value::List(odd_texts[..i % 5].to_vec()),
                _ => Value::List(vec!["doc-1"; i]),
            }
        };
        let line = vec![[10.5, 54.25], [-179.999_999, f64::INFINITY], [0.0, -0.0]];
        let mut features = Vec::new();
        for layer in Layer::ALL {
            for (g, geometry) in [
                Geometry::Point([10.139444, 54.321_331]),
                Geometry::Line(vec![line.clone()]),
                Geometry::Line(vec![line.clone(), line[..1].to_vec(), Vec::new()]),
            ]
            .into_iter()
            .enumerate()
            {
                let times = [
                    None,
                    Some(vec![vec!["2026-01-01T00:00:00Z".to_string(); 3]]),
                    Some(vec![vec!["a\"b".to_string()], Vec::new()]),
                ];
                for (shift, count) in [(0, usize::MAX), (g + 3, usize::MAX), (1, 0), (2, 1)] {
                    features.push(Feature {
                        layer: *layer,
                        id: format!("{}/{g}\u{0}", layer.name()),
                        name: String::new(),
                        geometry: geometry.clone(),
                        bbox: (g == 0).then_some([-1.5, 2.0, 3.25, f64::NAN]),
                        values: (0..layer.fields().len().min(count))
                            .map(|i| kinds(i + shift))
                            .collect(),
                        vertex_times: times[(g + shift) % 3].clone(),
                        style: Style::Place(PlaceKind::City),
                        quotes: Vec::new(),
                    });
                }
            }
        }
        for feature in &features {
            assert_eq!(written(feature), through_serde(feature));
        }
        // with no properties but times, no comma opens the properties
        assert!(features
            .iter()
            .any(|f| f.values.is_empty() && f.vertex_times.is_some()));
    }
}
