//! The exporters, read back the way their users read them: GeoJSON with the `geojson` crate, KML with
//! the `kml` crate, and every file through the third-party readers of `../shared/tools/check-outputs`
//! (GDAL as in QGIS, togeojson as in geojson.io, the OGC KML schemas as Google Earth expects).

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use clap::ValueEnum;
use geojson::{FeatureCollection, GeoJson, GeometryValue};
use kml::types::{Element, Geometry as KmlGeometry, Placemark};
use kml::Kml;
use mentionmap::export::{writer_for, Format};
use mentionmap::story::{Story, GEONAMES_ATTRIBUTION};
use serde_json::Value as Json;

fn write(story: &Story, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    writer_for(format).write(story, &mut out).unwrap();
    out
}

fn text(story: &Story, format: Format) -> String {
    String::from_utf8(write(story, format)).unwrap()
}

/// The test story as an analyst would have it: written to story.json and read back.
fn story_from_json() -> Story {
    let json = text(&common::story(), Format::Story);
    mentionmap::export::read_story(&json, "story.json").unwrap()
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Every format whose files the third-party readers know (not story.json, which they would take for
/// GeoJSON, nor the HTML page).
fn map_formats() -> Vec<Format> {
    Format::value_variants()
        .iter()
        .copied()
        .filter(|f| {
            let name = f.default_file_name();
            [".geojson", ".geojsons", ".kml", ".kmz"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .collect()
}

fn write_files(story: &Story, dir: &Path) -> Vec<PathBuf> {
    map_formats()
        .into_iter()
        .map(|format| {
            let path = dir.join(format.default_file_name());
            mentionmap::export::write_file(story, writer_for(format).as_ref(), &path).unwrap();
            path
        })
        .collect()
}

fn feature_collection(text: &str) -> FeatureCollection {
    match GeoJson::from_str(text).unwrap() {
        GeoJson::FeatureCollection(fc) => fc,
        other => panic!("not a FeatureCollection: {other:?}"),
    }
}

fn props(f: &geojson::Feature) -> &serde_json::Map<String, Json> {
    f.properties.as_ref().unwrap()
}

fn feature_id(f: &geojson::Feature) -> String {
    match f.id.as_ref().unwrap() {
        geojson::feature::Id::String(s) => s.clone(),
        geojson::feature::Id::Number(n) => n.to_string(),
    }
}

/// The parts of a (Multi)LineString.
fn line_parts(f: &geojson::Feature) -> Vec<Vec<[f64; 2]>> {
    let to_pairs = |line: &Vec<geojson::Position>| line.iter().map(|p| [p[0], p[1]]).collect();
    match &f.geometry.as_ref().unwrap().value {
        GeometryValue::LineString { coordinates } => vec![to_pairs(coordinates)],
        GeometryValue::MultiLineString { coordinates } => {
            coordinates.iter().map(to_pairs).collect()
        }
        other => panic!("not a line: {other:?}"),
    }
}

/// The parts, once the vertices added at the antimeridian cuts are taken out, give back the story's
/// line rounded to 6 decimals; and no step within a part jumps across the map.
fn assert_same_line(story_line: &[[f64; 2]], parts: &[Vec<[f64; 2]>]) {
    let expected: Vec<[f64; 2]> = story_line
        .iter()
        .map(|c| [round6(c[0]), round6(c[1])])
        .collect();
    let mut kept = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        for w in part.windows(2) {
            assert!((w[1][0] - w[0][0]).abs() <= 180.0, "jump in {part:?}");
        }
        for (j, p) in part.iter().enumerate() {
            let cut = (i > 0 && j == 0) || (i + 1 < parts.len() && j + 1 == part.len());
            if cut && p[0].abs() == 180.0 && !expected.contains(p) {
                continue;
            }
            kept.push(*p);
        }
    }
    assert_eq!(kept, expected);
}

#[test]
fn every_format_passes_the_third_party_readers() {
    let Some(tool) = common::check_outputs_tool() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = write_files(&common::story(), dir.path());
    assert_eq!(files.len(), 7, "{files:?}");
    let Some((ok, report)) = common::run_check_outputs(&tool, &files) else {
        return;
    };
    assert!(ok, "{report}");
}

#[test]
fn fixture_corpus_through_the_pipeline_passes_the_readers() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let ingested = mentionmap::ingest::read_inputs(
        &[corpus.display().to_string()],
        &mentionmap::ingest::DateOverrides::default(),
    );
    assert_eq!(ingested.documents.len(), 4, "{:?}", ingested.problems);
    let gazetteer = mentionmap::gazetteer::Gazetteer::load_default().unwrap();
    let options = mentionmap::pipeline::ExtractOptions {
        generated_at: "2023-07-22T00:00:00Z".into(),
    };
    let story = mentionmap::pipeline::extract_story(&ingested.documents, &gazetteer, &options);
    assert!(
        story.places.iter().any(|p| p.name == "Vladivostok"),
        "{:?}",
        story.places
    );

    let Some(tool) = common::check_outputs_tool() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A layer with no feature has nothing for the readers to type, and the strict check asks for a
    // time field; such files are left out, with a note.
    let files: Vec<PathBuf> = write_files(&story, dir.path())
        .into_iter()
        .filter(|path| {
            let empty =
                std::fs::read_to_string(path).is_ok_and(|t| t.ends_with("\"features\":[\n]}\n"));
            if empty {
                eprintln!("note: {} has no feature; not checked", path.display());
            }
            !empty
        })
        .collect();
    let Some((ok, report)) = common::run_check_outputs(&tool, &files) else {
        return;
    };
    assert!(ok, "{report}");
}

#[test]
fn geojson_round_trip_gives_the_story_features() {
    let story = story_from_json();
    let fc = feature_collection(&text(&story, Format::Geojson));
    let by_layer = |layer: &str| -> Vec<&geojson::Feature> {
        fc.features
            .iter()
            .filter(|f| props(f)["layer"] == layer)
            .collect()
    };

    let places = by_layer("places");
    assert_eq!(places.len(), story.places.len());
    for (f, p) in places.iter().zip(&story.places) {
        assert_eq!(feature_id(f), p.id);
        assert_eq!(props(f)["name"], p.name.as_str());
        assert_eq!(props(f)["mentions"], p.mentions);
        let GeometryValue::Point { coordinates } = &f.geometry.as_ref().unwrap().value else {
            panic!("place is not a point");
        };
        assert_eq!(
            [coordinates[0], coordinates[1]],
            [round6(p.lon), round6(p.lat)]
        );
    }

    let events = by_layer("events");
    assert_eq!(events.len(), story.events.len());
    for (f, e) in events.iter().zip(&story.events) {
        assert_eq!(feature_id(f), e.id);
        assert_eq!(props(f)["actor"], e.actor.as_str());
        let start = e.start.as_ref().map(|d| format!("{d}T00:00:00Z"));
        let end = e.end.as_ref().map(|d| format!("{d}T23:59:59Z"));
        assert_eq!(props(f)["start"].as_str(), start.as_deref(), "{}", e.id);
        assert_eq!(props(f)["end"].as_str(), end.as_deref(), "{}", e.id);
        assert_eq!(props(f)["source_count"], e.sources.len());
    }

    let legs = by_layer("tracks");
    let story_legs: Vec<_> = story
        .tracks
        .iter()
        .flat_map(|t| t.legs.iter().map(move |l| (t, l)))
        .collect();
    assert_eq!(legs.len(), story_legs.len());
    for (f, (track, leg)) in legs.iter().zip(&story_legs) {
        let (from, to) = (&track.waypoints[leg.from], &track.waypoints[leg.to]);
        assert_eq!(props(f)["origin"], from.name.as_str());
        assert_eq!(props(f)["destination"], to.name.as_str());
        assert_eq!(props(f)["planned"], leg.planned);
        assert_same_line(&leg.coordinates, &line_parts(f));
    }
    // The first leg leaves Vladivostok on the 10th and reaches Kamchatka on the 14th, at noon.
    assert_eq!(props(legs[0])["start"], "2023-07-10T12:00:00Z");
    assert_eq!(props(legs[0])["end"], "2023-07-14T12:00:00Z");
    assert_eq!(props(legs[0])["interpolated"], false);
}

#[test]
fn leg_vertex_times_match_the_vertices_and_run_forward() {
    let story = common::story();
    let fc = feature_collection(&text(&story, Format::TracksGeojson));
    assert!(!fc.features.is_empty());
    for f in &fc.features {
        let parts = line_parts(f);
        let times = &props(f)["coordinateProperties"]["times"];
        let times: Vec<Vec<String>> = if parts.len() == 1 {
            vec![serde_json::from_value(times.clone()).unwrap()]
        } else {
            serde_json::from_value(times.clone()).unwrap()
        };
        let lengths: Vec<usize> = parts.iter().map(Vec::len).collect();
        assert_eq!(times.iter().map(Vec::len).collect::<Vec<_>>(), lengths);
        let flat: Vec<&String> = times.iter().flatten().collect();
        assert!(flat.windows(2).all(|w| w[0] <= w[1]), "{flat:?}");
        assert_eq!(flat[0].as_str(), props(f)["start"].as_str().unwrap());
        assert_eq!(
            flat.last().unwrap().as_str(),
            props(f)["end"].as_str().unwrap()
        );
    }
}

#[test]
fn lines_across_the_antimeridian_are_cut_at_180_degrees() {
    let story = common::story();
    let fc = feature_collection(&text(&story, Format::TracksGeojson));
    // Petropavlovsk-Kamchatsky (158.7°E) to the Bering Sea (179.5°W), and Dutch Harbor (166.5°W) to
    // the Sea of Japan (planned).
    let crossing: Vec<&geojson::Feature> = fc
        .features
        .iter()
        .filter(|f| line_parts(f).len() > 1)
        .collect();
    let names: Vec<&str> = crossing
        .iter()
        .map(|f| props(f)["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Russian warships: Petropavlovsk-Kamchatsky → Bering Sea",
            "Russian warships: Dutch Harbor → Sea of Japan (planned)"
        ]
    );
    for f in crossing {
        let parts = line_parts(f);
        let end_of_first = parts[0].last().unwrap();
        let start_of_second = parts[1][0];
        assert_eq!(end_of_first[0].abs(), 180.0);
        assert_eq!(start_of_second[0], -end_of_first[0]);
        assert_eq!(start_of_second[1], end_of_first[1]);
    }
}

#[test]
fn coarse_and_missing_dates_are_written_as_what_they_are() {
    let story = common::story();
    let fc = feature_collection(&text(&story, Format::EventsGeojson));
    let by_id: HashMap<String, &geojson::Feature> =
        fc.features.iter().map(|f| (feature_id(f), f)).collect();
    let month = props(by_id["e5"]);
    assert_eq!(month["start"], "2023-08-01T00:00:00Z");
    assert_eq!(month["end"], "2023-08-31T23:59:59Z");
    assert_eq!(month["timex"], "2023-08");
    assert_eq!(month["precision"], "month");
    assert_eq!(month["modality"], "planned");
    let week = props(by_id["e7"]);
    assert_eq!(week["start"], "2023-07-17T00:00:00Z");
    assert_eq!(week["end"], "2023-07-23T23:59:59Z");
    assert_eq!(week["precision"], "week");
    let undated = props(by_id["e3"]);
    assert_eq!(undated["start"], Json::Null);
    assert_eq!(undated["precision"], Json::Null);
    // Undated, but reported in two articles: when it was in the news is still known.
    assert_eq!(undated["first_reported"], "2023-07-15");
    assert_eq!(undated["last_reported"], "2023-07-21");
    assert_eq!(
        undated["documents"],
        serde_json::json!(["002_alaska", "001_pacific"])
    );

    // The undated Bering Sea waypoint lies between dated ones: its legs are timed, and say so.
    let legs = feature_collection(&text(&story, Format::TracksGeojson));
    let bering: Vec<&serde_json::Map<String, Json>> = legs
        .features
        .iter()
        .map(props)
        .filter(|p| p["origin"] == "Bering Sea" || p["destination"] == "Bering Sea")
        .collect();
    assert_eq!(bering.len(), 2);
    assert!(bering
        .iter()
        .all(|p| p["interpolated"] == true && p["start"].is_string()));
}

/// A placemark with the names of the folders it sits in.
struct Found {
    folders: Vec<String>,
    placemark: Placemark,
}

fn placemarks(kml: &Kml, folders: &mut Vec<String>, out: &mut Vec<Found>) {
    match kml {
        Kml::KmlDocument(d) => d.elements.iter().for_each(|e| placemarks(e, folders, out)),
        Kml::Document { elements, .. } => elements.iter().for_each(|e| placemarks(e, folders, out)),
        Kml::Folder(f) => {
            folders.push(f.name.clone().unwrap_or_default());
            f.elements.iter().for_each(|e| placemarks(e, folders, out));
            folders.pop();
        }
        Kml::Placemark(p) => out.push(Found {
            folders: folders.clone(),
            placemark: p.clone(),
        }),
        _ => {}
    }
}

fn read_kml(text: &str) -> Vec<Found> {
    let kml = Kml::<f64>::from_str(text).unwrap();
    let mut out = Vec::new();
    placemarks(&kml, &mut Vec::new(), &mut out);
    out
}

fn child<'a>(p: &'a Placemark, name: &str) -> Option<&'a Element> {
    p.children.iter().find(|c| c.name == name)
}

fn child_text<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.children
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.content.as_deref())
}

fn kml_line_parts(p: &Placemark) -> Vec<Vec<[f64; 2]>> {
    let line = |g: &KmlGeometry| match g {
        KmlGeometry::LineString(l) => l.coords.iter().map(|c| [c.x, c.y]).collect::<Vec<_>>(),
        other => panic!("not a line: {other:?}"),
    };
    match p.geometry.as_ref().unwrap() {
        KmlGeometry::MultiGeometry(m) => m.geometries.iter().map(line).collect(),
        g => vec![line(g)],
    }
}

#[test]
fn kml_round_trip_gives_the_story_features() {
    let story = story_from_json();
    let found = read_kml(&text(&story, Format::Kml));
    let in_folder = |name: &str| -> Vec<&Placemark> {
        found
            .iter()
            .filter(|f| f.folders.first().map(String::as_str) == Some(name))
            .map(|f| &f.placemark)
            .collect()
    };

    let places = in_folder("Places");
    assert_eq!(places.len(), story.places.len());
    for (pm, p) in places.iter().zip(&story.places) {
        assert_eq!(pm.name.as_deref(), Some(p.name.as_str()));
        let Some(KmlGeometry::Point(point)) = &pm.geometry else {
            panic!("place is not a point");
        };
        assert_eq!(
            [point.coord.x, point.coord.y],
            [round6(p.lon), round6(p.lat)]
        );
        assert_eq!(
            pm.style_url.as_deref(),
            Some(format!("#kind-{}", p.kind.as_str()).as_str())
        );
    }

    let events = in_folder("Events");
    assert_eq!(events.len(), story.events.len());
    for (pm, e) in events.iter().zip(&story.events) {
        assert!(pm.name.as_deref().unwrap().starts_with(&e.actor));
        let span = child(pm, "TimeSpan");
        assert_eq!(
            span.and_then(|s| child_text(s, "begin")),
            e.start
                .as_ref()
                .map(|d| format!("{d}T00:00:00Z"))
                .as_deref()
        );
        assert_eq!(
            span.and_then(|s| child_text(s, "end")),
            e.end.as_ref().map(|d| format!("{d}T23:59:59Z")).as_deref()
        );
    }

    // Tracks by actor: a gx:Track placemark per track, then one LineString placemark per leg.
    for track in &story.tracks {
        let in_actor: Vec<&Placemark> = found
            .iter()
            .filter(|f| f.folders == ["Tracks".to_string(), track.actor.clone()])
            .map(|f| &f.placemark)
            .collect();
        assert_eq!(in_actor.len(), 1 + track.legs.len(), "{}", track.actor);
        assert_eq!(
            in_actor[0].name.as_deref(),
            Some(format!("{} (track)", track.actor).as_str())
        );
        for (pm, leg) in in_actor[1..].iter().zip(&track.legs) {
            let to = &track.waypoints[leg.to];
            assert!(pm.name.as_deref().unwrap().contains(&to.name));
            assert_same_line(&leg.coordinates, &kml_line_parts(pm));
            assert!(child(pm, "TimeSpan").is_some(), "every test leg is timed");
        }
        if track.id == "t1" {
            let span = child(in_actor[1], "TimeSpan").unwrap();
            assert_eq!(child_text(span, "begin"), Some("2023-07-10T12:00:00Z"));
            assert_eq!(child_text(span, "end"), Some("2023-07-14T12:00:00Z"));
            let planned = in_actor.last().unwrap();
            assert!(planned.name.as_deref().unwrap().ends_with("(planned)"));
            assert_eq!(planned.style_url.as_deref(), Some("#actor-1-planned"));
        }
    }
}

/// The `when`s and `gx:coord`s of every gx:Track under a placemark (in a gx:MultiTrack or not).
fn gx_tracks(e: &Element, out: &mut Vec<(Vec<String>, Vec<String>)>) {
    if e.name == "Track" {
        let all = |name: &str| {
            e.children
                .iter()
                .filter(|c| c.name == name)
                .map(|c| c.content.clone().unwrap_or_default())
                .collect::<Vec<_>>()
        };
        let order: Vec<&str> = e.children.iter().map(|c| c.name.as_str()).collect();
        let last_when = order.iter().rposition(|n| *n == "when").unwrap();
        let first_coord = order.iter().position(|n| *n == "coord").unwrap();
        assert!(
            last_when < first_coord,
            "when and coord interleaved: {order:?}"
        );
        out.push((all("when"), all("coord")));
    }
    e.children.iter().for_each(|c| gx_tracks(c, out));
}

#[test]
fn gx_track_moves_through_the_happened_legs_in_time() {
    let story = common::story();
    let found = read_kml(&text(&story, Format::Kml));
    let russian = found
        .iter()
        .find(|f| f.placemark.name.as_deref() == Some("Russian warships (track)"))
        .unwrap();
    let mut tracks = Vec::new();
    for c in &russian.placemark.children {
        gx_tracks(c, &mut tracks);
    }
    // Three happened legs, cut once at the antimeridian: two gx:Tracks in a gx:MultiTrack.
    assert!(child(&russian.placemark, "MultiTrack").is_some());
    assert_eq!(tracks.len(), 2);
    let whens: Vec<&String> = tracks.iter().flat_map(|t| &t.0).collect();
    assert!(whens.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(whens[0].as_str(), "2023-07-10T12:00:00Z");
    assert_eq!(whens.last().unwrap().as_str(), "2023-07-20T12:00:00Z");
    for (when, coord) in &tracks {
        assert_eq!(when.len(), coord.len());
        for c in coord {
            let numbers: Vec<f64> = c.split(' ').map(|n| n.parse().unwrap()).collect();
            assert_eq!(numbers.len(), 3, "{c}");
            assert!((-180.0..=180.0).contains(&numbers[0]));
        }
    }
    // The planned leg to the Sea of Japan is not part of what happened.
    let coords: Vec<&String> = tracks.iter().flat_map(|t| &t.1).collect();
    assert!(coords.last().unwrap().starts_with("-166.5422 53.8898"));
}

#[test]
fn article_text_cannot_break_out_of_any_format() {
    let mut story = common::story();
    // A control character XML cannot carry at all.
    story.events[7].sources[0].sentence.push('\u{1}');

    let kml = text(&story, Format::Kml);
    assert!(!kml.contains("<script"), "raw script tag in KML");
    assert!(!kml.contains("<img"), "raw img tag in KML");
    assert!(!kml.contains("href=\"javascript"));
    assert!(!kml.contains('\u{1}'));
    assert_eq!(kml.matches("<![CDATA[").count(), kml.matches("]]>").count());
    let found = read_kml(&kml);
    let pier = found
        .iter()
        .find(|f| {
            f.folders[0] == "Places" && f.placemark.name.as_deref() == Some(common::NASTY_PLACE)
        })
        .expect("the pier keeps its name");
    let balloon = pier.placemark.description.as_deref().unwrap();
    assert!(
        balloon.contains("Pier &quot;7&quot; &amp; &lt;Dock&gt; ]]&gt;"),
        "{balloon}"
    );
    let comments = found
        .iter()
        .find(|f| f.placemark.name.as_deref() == Some("Tokyo"))
        .unwrap();
    let balloon = comments.placemark.description.as_deref().unwrap();
    assert!(balloon.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!balloon.contains("<script"));
    let meeting = found
        .iter()
        .find(|f| {
            f.folders[0] == "Events" && f.placemark.name.as_deref().unwrap().contains("officials")
        })
        .unwrap();
    assert!(meeting
        .placemark
        .name
        .as_deref()
        .unwrap()
        .starts_with(common::NASTY_ACTOR));

    let fc = feature_collection(&text(&story, Format::Geojson));
    let names: Vec<&str> = fc
        .features
        .iter()
        .map(|f| props(f)["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&common::NASTY_PLACE));
    let meeting = fc
        .features
        .iter()
        .find(|f| props(f).get("actor") == Some(&Json::from(common::NASTY_ACTOR)))
        .unwrap();
    assert!(props(meeting)["sentence"]
        .as_str()
        .unwrap()
        .ends_with('\u{1}'));
    assert!(props(meeting)["sentence"]
        .as_str()
        .unwrap()
        .contains(common::NASTY_PLACE));
}

#[test]
fn story_json_keeps_every_sentence_and_candidate_written_once() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let ingested = mentionmap::ingest::read_inputs(
        &[corpus.display().to_string()],
        &mentionmap::ingest::DateOverrides::default(),
    );
    let gazetteer = mentionmap::gazetteer::Gazetteer::load_default().unwrap();
    let options = mentionmap::pipeline::ExtractOptions {
        generated_at: "2023-07-22T00:00:00Z".into(),
    };
    let story = mentionmap::pipeline::extract_story(&ingested.documents, &gazetteer, &options);
    assert!(story.mentions.len() > 10, "{}", story.mentions.len());
    let text = text(&story, Format::Story);
    let json: Json = serde_json::from_str(&text).unwrap();
    let sentences = json["sentences"].as_array().unwrap();
    let mut per_doc: HashMap<(&str, &str), u64> = HashMap::new();
    for m in json["mentions"].as_array().unwrap() {
        let index = m["sentence"].as_u64().unwrap();
        let sentence = sentences[index as usize].as_str().unwrap();
        let doc = m["doc"].as_str().unwrap();
        assert!(sentence.contains(m["text"].as_str().unwrap()), "{m}");
        // each sentence once per document
        assert_eq!(
            *per_doc.entry((doc, sentence)).or_insert(index),
            index,
            "{m}"
        );
        for c in m["candidates"].as_array().unwrap() {
            assert_eq!(c.as_object().unwrap().len(), 2, "not by reference: {c}");
        }
    }
    assert!(sentences.len() < story.mentions.len());
    let places = json["candidate_places"].as_array().unwrap();
    let ids: std::collections::HashSet<&str> =
        places.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), places.len());

    let back = mentionmap::export::read_story(&text, "story.json").unwrap();
    assert_eq!(back, story);
}

#[test]
fn the_same_story_gives_the_same_bytes() {
    let story = common::story();
    let through_json: Story = serde_json::from_slice(&write(&story, Format::Story)).unwrap();
    for format in Format::value_variants() {
        let first = write(&story, *format);
        assert!(first == write(&story, *format), "{format:?} differs");
        assert!(
            first == write(&through_json, *format),
            "{format:?} differs after story.json"
        );
    }
}

#[test]
fn geojsonseq_streams_the_same_features_after_a_header() {
    let story = common::story();
    let seq = text(&story, Format::Geojsonseq);
    let records: Vec<&str> = seq.split_terminator('\n').collect();
    assert!(records.iter().all(|r| r.starts_with('\u{1e}')));
    let header: Json = serde_json::from_str(&records[0][1..]).unwrap();
    assert_eq!(header["type"], "FeatureCollection");
    assert_eq!(header["features"], serde_json::json!([]));
    let combined = feature_collection(&text(&story, Format::Geojson));
    assert_eq!(records.len() - 1, combined.features.len());
    for (record, feature) in records[1..].iter().zip(&combined.features) {
        let parsed: geojson::Feature = serde_json::from_str(&record[1..]).unwrap();
        assert_eq!(&parsed, feature);
    }
}

#[test]
fn kmz_holds_the_kml_as_its_first_entry() {
    let story = common::story();
    let kmz = write(&story, Format::Kmz);
    let mut zip = zip::ZipArchive::new(Cursor::new(kmz)).unwrap();
    assert_eq!(zip.len(), 1);
    let mut entry = zip.by_index(0).unwrap();
    assert_eq!(entry.name().unwrap(), "doc.kml");
    let mut inner = String::new();
    entry.read_to_string(&mut inner).unwrap();
    assert_eq!(inner, text(&story, Format::Kml));
}

#[test]
fn every_format_says_who_made_it_from_what_and_when() {
    let story = common::story();
    let version = env!("CARGO_PKG_VERSION");
    for format in [Format::Geojson, Format::PlacesGeojson, Format::Geojsonseq] {
        let text = text(&story, format);
        let first = text
            .split('\n')
            .next()
            .unwrap()
            .trim_start_matches('\u{1e}');
        let header: Json = if format == Format::Geojsonseq {
            serde_json::from_str(first).unwrap()
        } else {
            serde_json::from_str(&text).unwrap()
        };
        let g = &header["generator"];
        assert_eq!(g["tool"], "mentionmap");
        assert_eq!(g["version"], version);
        assert_eq!(g["generated_at"], "2023-07-22T08:00:00Z");
        assert_eq!(g["attribution"][0], GEONAMES_ATTRIBUTION);
        let ids: Vec<&str> = g["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            ["001_pacific", "002_alaska", "101_china", "102_comments"]
        );
        assert!(header["description"]
            .as_str()
            .unwrap()
            .contains(GEONAMES_ATTRIBUTION));
    }
    let kml = Kml::<f64>::from_str(&text(&story, Format::Kml)).unwrap();
    let Kml::KmlDocument(doc) = kml else {
        panic!("no kml root")
    };
    let Kml::Document { elements, .. } = &doc.elements[0] else {
        panic!("no Document")
    };
    let data: HashMap<String, String> = elements
        .iter()
        .filter_map(|e| match e {
            Kml::Element(e) if e.name == "ExtendedData" => Some(e),
            _ => None,
        })
        .flat_map(|e| &e.children)
        .map(|d| {
            let value = d.children[0].content.clone().unwrap_or_default();
            (d.attrs["name"].clone(), value)
        })
        .collect();
    assert_eq!(data["tool"], "mentionmap");
    assert_eq!(data["version"], version);
    assert_eq!(data["generated_at"], "2023-07-22T08:00:00Z");
    assert!(data["attribution"].contains(GEONAMES_ATTRIBUTION));
    assert_eq!(
        data["documents"],
        "001_pacific, 002_alaska, 101_china, 102_comments"
    );
}

#[test]
fn gdal_reads_start_and_end_as_datetime() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_files(&common::story(), dir.path());
    for name in ["events.geojson", "tracks.geojson", "map.geojsons"] {
        let path = files.iter().find(|p| p.ends_with(name)).unwrap();
        let Ok(output) = std::process::Command::new("ogrinfo")
            .args(["-al", "-so", "-ro"])
            .arg(path)
            .output()
        else {
            eprintln!("skipping: ogrinfo (GDAL) is not installed");
            return;
        };
        let info = String::from_utf8_lossy(&output.stdout);
        assert!(info.contains("start: DateTime"), "{name}:\n{info}");
        assert!(info.contains("end: DateTime"), "{name}:\n{info}");
        assert!(
            info.contains("source_count: Integer") || name == "tracks.geojson",
            "{info}"
        );
        assert!(
            info.contains("km: Real") || name == "events.geojson",
            "{info}"
        );
    }
}
