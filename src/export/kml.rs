//! KML 2.2 for Google Earth (and QGIS through GDAL's LIBKML driver), written element by element with
//! quick-xml in the order the OGC KML 2.2 and Google `gx` schemas require.
//!
//! One Document: shared Styles (an icon per place kind, a colour per actor, a fainter variant for planned
//! legs), one typed Schema per layer for ExtendedData, and Folders — Places, Events, and Tracks with a
//! sub-folder per actor. Events and legs carry a TimeSpan so that Google Earth's time slider plays the
//! story; each track is a `gx:Track` (all `when`, then all `gx:coord`) over its happened, timed legs,
//! beside one LineString placemark per leg for readers without `gx`. Balloons quote the source sentences
//! and link to the articles.
//!
//! Everything from an article is untrusted: element text is XML-escaped, balloon HTML is HTML-escaped
//! before it goes into CDATA (and CDATA is split around any `]]>`), characters XML 1.0 forbids are
//! dropped, and only http(s) links are made clickable.

use std::borrow::Cow;
use std::io::Write;

use anyhow::Result;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::antimeridian;
use super::features::{Feature, FieldType, Geometry, Index, Layer, Quote, Style, Value};
use super::track_time::{self, iso};
use super::xml::xml_text;
use super::Writer;
use crate::story::{Document, PlaceKind, Story, Track};

const KML_NS: &str = "http://www.opengis.net/kml/2.2";
const GX_NS: &str = "http://www.google.com/kml/ext/2.2";
const ICONS: &str = "http://maps.google.com/mapfiles/kml/shapes/";
/// Balloons quote at most this many sentences; the rest are counted.
const MAX_QUOTES: usize = 10;

/// Fields KML carries in its own elements (`<name>`, `<TimeSpan>`), left out of ExtendedData so that
/// GDAL does not see two fields of one name.
const NATIVE_FIELDS: &[&str] = &["name", "start", "end"];

/// Actor colours as KML `aabbggrr`, handed out in order of first appearance.
const ACTOR_COLOURS: &[&str] = &[
    "ff4b19e6", "ff4bb43c", "ffd86343", "ff3182f5", "ffb41e91", "fff4d442", "ffe632f0", "ff24639a",
];

pub struct Kml;

impl Writer for Kml {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        write_kml(story, out)
    }
}

type XmlWriter<'w> = quick_xml::Writer<&'w mut dyn Write>;

/// Write the story as one KML document.
pub fn write_kml(story: &Story, out: &mut dyn Write) -> Result<()> {
    let mut w = quick_xml::Writer::new_with_indent(out, b' ', 1);
    let index = Index::with_quotes(story);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let root = BytesStart::new("kml").with_attributes([("xmlns", KML_NS), ("xmlns:gx", GX_NS)]);
    w.write_event(Event::Start(root))?;
    start(&mut w, "Document", Some("mentionmap"))?;
    text(
        &mut w,
        "name",
        &format!("mentionmap: {} document(s)", story.documents.len()),
    )?;
    text(&mut w, "open", "1")?;
    cdata(&mut w, "description", &document_balloon(story))?;
    write_styles(&mut w, &index)?;
    write_document_data(&mut w, story)?;
    for layer in Layer::ALL {
        write_schema(&mut w, *layer)?;
    }
    write_track_schema(&mut w)?;

    let mut ids = IdCounter::default();
    for layer in [Layer::Places, Layer::Events] {
        start(&mut w, "Folder", None)?;
        text(&mut w, "name", layer.title())?;
        for feature in index.features(layer) {
            write_placemark(&mut w, &index, &feature, &ids.next(layer.name()))?;
        }
        end(&mut w, "Folder")?;
    }
    write_tracks(&mut w, &index, &mut ids)?;

    end(&mut w, "Document")?;
    end(&mut w, "kml")?;
    w.get_mut().write_all(b"\n")?;
    Ok(())
}

/// Placemark ids: the layer name and a running number, always a valid XML ID.
#[derive(Default)]
struct IdCounter {
    counts: std::collections::HashMap<&'static str, usize>,
}

impl IdCounter {
    fn next(&mut self, prefix: &'static str) -> String {
        let n = self.counts.entry(prefix).or_insert(0);
        *n += 1;
        format!("{prefix}-{n}")
    }
}

fn start(w: &mut XmlWriter, name: &str, id: Option<&str>) -> Result<()> {
    let mut element = BytesStart::new(name);
    if let Some(id) = id {
        element.push_attribute(("id", id));
    }
    w.write_event(Event::Start(element))?;
    Ok(())
}

fn end(w: &mut XmlWriter, name: &str) -> Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

fn text(w: &mut XmlWriter, name: &str, content: &str) -> Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_chars(content)))?;
    Ok(())
}

/// An element holding HTML in CDATA, split so that no `]]>` can end it early.
fn cdata(w: &mut XmlWriter, name: &str, html: &str) -> Result<()> {
    let html = xml_chars(html);
    w.write_event(Event::Start(BytesStart::new(name)))?;
    for piece in BytesCData::escaped(&html) {
        w.write_event(Event::CData(piece))?;
    }
    end(w, name)
}

/// Drop the characters XML 1.0 cannot carry at all, even escaped (most C0 controls, U+FFFE, U+FFFF).
fn xml_chars(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
    }
}

/// A number with at most 6 decimals and no trailing zeros.
fn number(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn lon_lat(p: [f64; 2]) -> String {
    format!("{},{}", number(p[0]), number(p[1]))
}

// ---- styles

fn kind_style_id(kind: PlaceKind) -> String {
    format!("kind-{}", kind.as_str())
}

fn actor_style_id(index: &Index, actor: &str, planned: bool) -> String {
    let n = index.actors().iter().position(|a| *a == actor).unwrap_or(0) + 1;
    if planned {
        format!("actor-{n}-planned")
    } else {
        format!("actor-{n}")
    }
}

fn style_url(index: &Index, style: &Style) -> String {
    match style {
        Style::Place(kind) => format!("#{}", kind_style_id(*kind)),
        Style::Actor { actor, planned } => format!("#{}", actor_style_id(index, actor, *planned)),
    }
}

/// Icon and colour (`aabbggrr`) of a place kind.
fn kind_look(kind: PlaceKind) -> (&'static str, &'static str) {
    match kind {
        PlaceKind::Country => ("flag.png", "ff7f7f7f"),
        PlaceKind::Admin1 | PlaceKind::Admin2 | PlaceKind::Region => {
            ("placemark_square.png", "ff9a9a9a")
        }
        PlaceKind::City => ("placemark_circle.png", "ff2b2bd6"),
        PlaceKind::Port => ("marina.png", "ff8c4a1f"),
        PlaceKind::Island => ("open-diamond.png", "ff2f8f2f"),
        PlaceKind::Landmark => ("star.png", "ff00a5ff"),
        PlaceKind::Sea
        | PlaceKind::Strait
        | PlaceKind::Channel
        | PlaceKind::Gulf
        | PlaceKind::Bay
        | PlaceKind::Sound
        | PlaceKind::Canal
        | PlaceKind::Ocean => ("water.png", "ffd6a04a"),
    }
}

fn write_styles(w: &mut XmlWriter, index: &Index) -> Result<()> {
    for kind in PlaceKind::ALL {
        if !index.story().places.iter().any(|p| p.kind == kind) {
            continue;
        }
        let (icon, colour) = kind_look(kind);
        write_style(w, &kind_style_id(kind), colour, icon, 1.0, None)?;
    }
    for (i, actor) in index.actors().iter().enumerate() {
        let colour = ACTOR_COLOURS[i % ACTOR_COLOURS.len()];
        write_style(
            w,
            &actor_style_id(index, actor, false),
            colour,
            "sailing.png",
            1.1,
            Some((colour, "4")),
        )?;
        // Planned: the same hue, half transparent and thinner.
        let faint = format!("80{}", &colour[2..]);
        write_style(
            w,
            &actor_style_id(index, actor, true),
            &faint,
            "sailing.png",
            0.8,
            Some((&faint, "2")),
        )?;
    }
    Ok(())
}

fn write_style(
    w: &mut XmlWriter,
    id: &str,
    colour: &str,
    icon: &str,
    scale: f64,
    line: Option<(&str, &str)>,
) -> Result<()> {
    start(w, "Style", Some(id))?;
    start(w, "IconStyle", None)?;
    text(w, "color", colour)?;
    text(w, "scale", &number(scale))?;
    start(w, "Icon", None)?;
    text(w, "href", &format!("{ICONS}{icon}"))?;
    end(w, "Icon")?;
    end(w, "IconStyle")?;
    if let Some((colour, width)) = line {
        start(w, "LineStyle", None)?;
        text(w, "color", colour)?;
        text(w, "width", width)?;
        end(w, "LineStyle")?;
    }
    end(w, "Style")
}

// ---- metadata and schemas

fn write_document_data(w: &mut XmlWriter, story: &Story) -> Result<()> {
    let g = &story.generator;
    let documents = story
        .documents
        .iter()
        .map(|d| d.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    start(w, "ExtendedData", None)?;
    for (name, value) in [
        ("tool", g.tool.as_str()),
        ("version", g.version.as_str()),
        ("generated_at", g.generated_at.as_str()),
        ("attribution", &g.attribution.join(". ")),
        ("documents", &documents),
    ] {
        w.create_element("Data")
            .with_attribute(("name", name))
            .write_inner_content(|w| {
                w.create_element("value")
                    .write_text_content(BytesText::new(&xml_chars(value)))?;
                Ok(())
            })?;
    }
    end(w, "ExtendedData")
}

fn schema_id(layer: Layer) -> String {
    format!("{}-fields", layer.name())
}

const TRACK_SCHEMA: &str = "track-paths";

fn write_schema(w: &mut XmlWriter, layer: Layer) -> Result<()> {
    let schema = BytesStart::new("Schema")
        .with_attributes([("name", layer.name()), ("id", schema_id(layer).as_str())]);
    w.write_event(Event::Start(schema))?;
    for field in layer.fields() {
        if NATIVE_FIELDS.contains(&field.name) {
            continue;
        }
        let kml_type = match field.kind {
            FieldType::Int => "int",
            FieldType::Real => "double",
            FieldType::Bool => "bool",
            FieldType::Text | FieldType::Date | FieldType::DateTime | FieldType::TextList => {
                "string"
            }
        };
        simple_field(w, field.name, kml_type, field.label)?;
    }
    end(w, "Schema")
}

fn simple_field(w: &mut XmlWriter, name: &str, kml_type: &str, label: &str) -> Result<()> {
    w.create_element("SimpleField")
        .with_attributes([("type", kml_type), ("name", name)])
        .write_inner_content(|w| {
            w.create_element("displayName")
                .write_text_content(BytesText::new(label))?;
            Ok(())
        })?;
    Ok(())
}

fn write_track_schema(w: &mut XmlWriter) -> Result<()> {
    let schema =
        BytesStart::new("Schema").with_attributes([("name", "track"), ("id", TRACK_SCHEMA)]);
    w.write_event(Event::Start(schema))?;
    simple_field(w, "layer", "string", "Layer")?;
    simple_field(w, "track_id", "string", "Track id")?;
    simple_field(w, "actor", "string", "Actor")?;
    simple_field(w, "route", "string", "Route")?;
    simple_field(w, "leg_count", "int", "Legs")?;
    end(w, "Schema")
}

fn schema_data(w: &mut XmlWriter, schema: &str, values: &[(&str, String)]) -> Result<()> {
    start(w, "ExtendedData", None)?;
    let data = BytesStart::new("SchemaData")
        .with_attributes([("schemaUrl", format!("#{schema}").as_str())]);
    w.write_event(Event::Start(data))?;
    for (name, value) in values {
        w.create_element("SimpleData")
            .with_attribute(("name", *name))
            .write_text_content(BytesText::new(&xml_chars(value)))?;
    }
    end(w, "SchemaData")?;
    end(w, "ExtendedData")
}

// ---- placemarks

fn write_placemark(w: &mut XmlWriter, index: &Index, feature: &Feature, id: &str) -> Result<()> {
    start(w, "Placemark", Some(id))?;
    text(w, "name", &feature.name)?;
    cdata(w, "description", &feature_balloon(feature))?;
    time_span(w, feature.text("start"), feature.text("end"))?;
    text(w, "styleUrl", &style_url(index, &feature.style))?;
    let values: Vec<(&str, String)> = feature
        .layer
        .fields()
        .iter()
        .zip(&feature.values)
        .filter(|(field, _)| !NATIVE_FIELDS.contains(&field.name))
        .filter_map(|(field, value)| Some((field.name, value_text(value)?)))
        .collect();
    schema_data(w, &schema_id(feature.layer), &values)?;
    match &feature.geometry {
        Geometry::Point(p) => {
            start(w, "Point", None)?;
            text(w, "coordinates", &lon_lat(*p))?;
            end(w, "Point")?;
        }
        Geometry::Line(parts) => {
            if parts.len() > 1 {
                start(w, "MultiGeometry", None)?;
            }
            for part in parts {
                start(w, "LineString", None)?;
                text(w, "tessellate", "1")?;
                let coordinates: Vec<String> = part.iter().map(|p| lon_lat(*p)).collect();
                text(w, "coordinates", &coordinates.join(" "))?;
                end(w, "LineString")?;
            }
            if parts.len() > 1 {
                end(w, "MultiGeometry")?;
            }
        }
    }
    end(w, "Placemark")
}

fn time_span(w: &mut XmlWriter, begin: Option<&str>, until: Option<&str>) -> Result<()> {
    if begin.is_none() && until.is_none() {
        return Ok(());
    }
    start(w, "TimeSpan", None)?;
    if let Some(b) = begin {
        text(w, "begin", b)?;
    }
    if let Some(e) = until {
        text(w, "end", e)?;
    }
    end(w, "TimeSpan")
}

/// A value as ExtendedData text; `None` for a null (the SimpleData is left out).
fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Text(s) => Some(s.clone()),
        Value::Int(n) => Some(n.to_string()),
        Value::Real(x) => Some(number(*x)),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        Value::List(items) => Some(items.join(", ")),
    }
}

// ---- tracks

fn write_tracks(w: &mut XmlWriter, index: &Index, ids: &mut IdCounter) -> Result<()> {
    start(w, "Folder", None)?;
    text(w, "name", Layer::Tracks.title())?;
    for actor in index.actors() {
        let tracks: Vec<&Track> = index
            .story()
            .tracks
            .iter()
            .filter(|t| t.actor == *actor)
            .collect();
        if tracks.is_empty() {
            continue;
        }
        start(w, "Folder", None)?;
        text(w, "name", actor)?;
        for track in tracks {
            write_track_path(w, index, track, &ids.next("track"))?;
            for leg in index.leg_features(track) {
                write_placemark(w, index, &leg, &ids.next("leg"))?;
            }
        }
        end(w, "Folder")?;
    }
    end(w, "Folder")
}

/// The timed path of a track: its happened legs with known times, joined where one ends at the
/// waypoint the next leaves from, cut at the antimeridian. Each part is `(position, Unix seconds)`s.
fn timed_path(track: &Track) -> Vec<Vec<([f64; 2], i64)>> {
    let stays = track_time::stays(track);
    let mut runs: Vec<Vec<antimeridian::Vertex>> = Vec::new();
    let mut last_to: Option<usize> = None;
    for leg in &track.legs {
        let Some(time) = track_time::leg_time(leg, &stays).filter(|_| !leg.planned) else {
            last_to = None;
            continue;
        };
        let (Some(from), Some(to)) = (track.waypoints.get(leg.from), track.waypoints.get(leg.to))
        else {
            continue;
        };
        let line =
            super::features::leg_line(&leg.coordinates, [from.lon, from.lat], [to.lon, to.lat]);
        let vertices = line
            .iter()
            .zip(track_time::fractions_along(&line))
            .map(|(p, f)| (*p, track_time::at_fraction(time, f) as f64));
        if last_to != Some(leg.from) || runs.is_empty() {
            runs.push(Vec::new());
        }
        runs.last_mut().unwrap().extend(vertices);
        last_to = Some(leg.to);
    }
    runs.iter()
        .flat_map(|run| antimeridian::split(run))
        .map(|part| {
            part.into_iter()
                .map(|(p, t)| (p, t.round() as i64))
                .collect()
        })
        .collect()
}

fn write_track_path(w: &mut XmlWriter, index: &Index, track: &Track, id: &str) -> Result<()> {
    let parts = timed_path(track);
    if parts.is_empty() {
        return Ok(());
    }
    let route = track
        .waypoints
        .iter()
        .map(|wp| wp.name.as_str())
        .collect::<Vec<_>>()
        .join(" → ");
    start(w, "Placemark", Some(id))?;
    text(w, "name", &format!("{} (track)", track.actor))?;
    cdata(w, "description", &track_balloon(track, &route))?;
    text(
        w,
        "styleUrl",
        &format!("#{}", actor_style_id(index, &track.actor, false)),
    )?;
    schema_data(
        w,
        TRACK_SCHEMA,
        &[
            ("layer", Layer::Tracks.name().to_string()),
            ("track_id", track.id.clone()),
            ("actor", track.actor.clone()),
            ("route", route),
            ("leg_count", track.legs.len().to_string()),
        ],
    )?;
    if parts.len() > 1 {
        start(w, "gx:MultiTrack", None)?;
        // The parts are separate stretches (or meet only at the antimeridian): never join them.
        text(w, "gx:interpolate", "0")?;
    }
    for part in &parts {
        start(w, "gx:Track", None)?;
        text(w, "tessellate", "1")?;
        for (_, t) in part {
            text(w, "when", &iso(*t))?;
        }
        for (p, _) in part {
            text(
                w,
                "gx:coord",
                &format!("{} {} 0", number(p[0]), number(p[1])),
            )?;
        }
        end(w, "gx:Track")?;
    }
    if parts.len() > 1 {
        end(w, "gx:MultiTrack")?;
    }
    end(w, "Placemark")
}

// ---- balloons

/// A link to the document when it has an http(s) address (never `javascript:` or the like), else its
/// title or id as text.
fn document_html(doc_id: &str, document: Option<&Document>) -> String {
    let label = document.and_then(|d| d.title.as_deref()).unwrap_or(doc_id);
    let mut html = match document.and_then(|d| d.url.as_deref()) {
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            format!("<a href=\"{}\">{}</a>", xml_text(url), xml_text(label))
        }
        _ => xml_text(label),
    };
    if let Some(date) = document.and_then(|d| d.published.as_deref()) {
        html.push_str(&format!(", {}", xml_text(date)));
    }
    html
}

fn quotes_html(quotes: &[Quote]) -> String {
    let mut html = String::new();
    for q in quotes.iter().take(MAX_QUOTES) {
        html.push_str(&format!(
            "<blockquote>“{}”<br/>— {}</blockquote>",
            xml_text(q.sentence),
            document_html(q.doc, q.document)
        ));
    }
    if quotes.len() > MAX_QUOTES {
        html.push_str(&format!("<p>… and {} more.</p>", quotes.len() - MAX_QUOTES));
    }
    html
}

fn feature_balloon(feature: &Feature) -> String {
    let mut html = String::from("<table>");
    for (field, value) in feature.layer.fields().iter().zip(&feature.values) {
        if matches!(
            field.name,
            "layer" | "name" | "sources" | "sentence" | "documents"
        ) {
            continue;
        }
        if let Some(v) = value_text(value) {
            html.push_str(&format!(
                "<tr><th align=\"left\">{}</th><td>{}</td></tr>",
                xml_text(field.label),
                xml_text(&v)
            ));
        }
    }
    html.push_str("</table>");
    html.push_str(&quotes_html(&feature.quotes));
    html
}

fn track_balloon(track: &Track, route: &str) -> String {
    let stays = track_time::stays(track);
    let mut html = format!("<p>{}</p><ol>", xml_text(route));
    for (wp, stay) in track.waypoints.iter().zip(&stays) {
        let when = match stay {
            Some(s) if s.interpolated => format!("about {}", iso(s.arrive)),
            Some(s) => iso(s.arrive),
            None => "time unknown".to_string(),
        };
        html.push_str(&format!(
            "<li>{}{}: {}</li>",
            xml_text(&wp.name),
            if wp.planned { " (planned)" } else { "" },
            xml_text(&when)
        ));
    }
    html.push_str("</ol>");
    html
}

fn document_balloon(story: &Story) -> String {
    let g = &story.generator;
    let mut html = format!(
        "<p>Made by {} {} at {}.</p><p>{}</p><ul>",
        xml_text(&g.tool),
        xml_text(&g.version),
        xml_text(&g.generated_at),
        g.attribution
            .iter()
            .map(|a| xml_text(a))
            .collect::<Vec<_>>()
            .join("<br/>")
    );
    for d in &story.documents {
        html.push_str(&format!("<li>{}</li>", document_html(&d.id, Some(d))));
    }
    html.push_str("</ul>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_six_decimals_and_no_trailing_zeros() {
        assert_eq!(number(135.0), "135");
        assert_eq!(number(-0.0000001), "0");
        assert_eq!(number(36.06490000001), "36.0649");
        assert_eq!(number(-179.1234567), "-179.123457");
    }

    #[test]
    fn forbidden_xml_characters_are_dropped() {
        assert_eq!(xml_chars("a\u{1}b\u{FFFE}c\td"), "abc\td");
    }

    #[test]
    fn only_web_links_are_clickable() {
        let doc = Document {
            id: "d1".into(),
            url: Some("javascript:alert(1)".into()),
            title: Some("T".into()),
            ..Document::default()
        };
        assert_eq!(document_html("d1", Some(&doc)), "T");
        let doc = Document {
            url: Some("https://example.org/a?b=1&c=\"2\"".into()),
            ..doc
        };
        assert_eq!(
            document_html("d1", Some(&doc)),
            "<a href=\"https://example.org/a?b=1&amp;c=&quot;2&quot;\">T</a>"
        );
    }
}
