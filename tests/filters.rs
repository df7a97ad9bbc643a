//! One test per filter: what should go goes and what should stay stays, on the test story
//! (see `common`). The story's contents, for reading the expectations:
//! - Russian warships (track t1): Vladivostok 07-10 → Petropavlovsk-Kamchatsky 07-14..15 → Bering Sea
//!   (undated) → Dutch Harbor 07-20 → Sea of Japan (planned, August); events e1–e5.
//! - Chinese flotilla (track t2): Qingdao 07-16 → Sea of Japan (week 29); events e6, e7.
//! - Officials meeting at a pier in Japan, undated: e8. Tokyo is only mentioned, with confidence 0.3.
//! - Documents 001_pacific and 002_alaska (Russian voyage), 101_china, 102_comments.

mod common;

use std::process::Command;

use mentionmap::export::filter::{apply, Counts, Filter};
use mentionmap::story::{PlaceKind, Story};

fn select(filter: Filter) -> Story {
    let (story, _) = apply(&common::story(), &filter);
    assert_consistent(&story);
    story
}

/// What every selection must keep true: events stand at kept places, legs join kept waypoints, and
/// the places' mention counts are the kept mentions.
fn assert_consistent(story: &Story) {
    for e in &story.events {
        assert!(
            story.place(e.place().unwrap()).is_some(),
            "{} lost its place",
            e.id
        );
    }
    for t in &story.tracks {
        assert!(!t.legs.is_empty());
        for l in &t.legs {
            assert!(l.from < t.waypoints.len() && l.to < t.waypoints.len());
        }
    }
    for p in &story.places {
        let n = story
            .mentions
            .iter()
            .filter(|m| m.place.as_deref() == Some(&p.id))
            .count();
        assert_eq!(p.mentions, n, "{}", p.name);
    }
}

fn event_ids(story: &Story) -> Vec<&str> {
    story.events.iter().map(|e| e.id.as_str()).collect()
}

fn place_names(story: &Story) -> Vec<&str> {
    story.places.iter().map(|p| p.name.as_str()).collect()
}

/// Each kept track as its actor and the names along each kept leg.
fn legs(story: &Story) -> Vec<(String, Vec<String>)> {
    story
        .tracks
        .iter()
        .map(|t| {
            let names = t
                .legs
                .iter()
                .map(|l| format!("{} → {}", t.waypoints[l.from].name, t.waypoints[l.to].name))
                .collect();
            (t.actor.clone(), names)
        })
        .collect()
}

fn leg(a: &str, b: &str) -> String {
    format!("{a} → {b}")
}

#[test]
fn no_filter_keeps_everything() {
    let full = common::story();
    let filter = Filter::default();
    assert!(!filter.is_active());
    let (story, report) = apply(&full, &filter);
    assert_eq!(story, full);
    assert_eq!(report.before, report.after);
}

#[test]
fn date_range_keeps_what_overlaps_it() {
    let story = select(Filter {
        from: Some("2023-07-16".into()),
        to: Some("2023-07-20".into()),
        ..Filter::default()
    });
    // Undated events (e3, e8) cannot be shown to overlap and go; so do e1, e2 (before) and e5 (after).
    assert_eq!(event_ids(&story), ["e4", "e6", "e7"]);
    assert_eq!(
        place_names(&story),
        ["Dutch Harbor", "Sea of Japan", "Qingdao"]
    );
    // Dutch Harbor stays with the one mention in the sentence of the kept port call.
    assert_eq!(story.place("port:USDUT").unwrap().mentions, 1);
    // Of the Russian track only Dutch Harbor is in range: no leg is left, so the track goes.
    assert_eq!(
        legs(&story),
        [(
            "Chinese flotilla".to_string(),
            vec![leg("Qingdao", "Sea of Japan")]
        )]
    );
}

#[test]
fn coarse_from_and_to_take_the_first_and_last_day() {
    let august = select(Filter {
        from: Some("2023-08-01".into()),
        ..Filter::default()
    });
    assert_eq!(event_ids(&august), ["e5"]);
    let to_july_10 = select(Filter {
        to: Some("2023-07-10".into()),
        ..Filter::default()
    });
    assert_eq!(event_ids(&to_july_10), ["e1"]);
    assert!(to_july_10.tracks.is_empty());
}

#[test]
fn actor_keeps_that_actors_events_tracks_and_places() {
    let story = select(Filter {
        actor: vec!["RUSSIAN".into()],
        ..Filter::default()
    });
    assert_eq!(event_ids(&story), ["e1", "e2", "e3", "e4", "e5"]);
    assert_eq!(
        place_names(&story),
        [
            "Vladivostok",
            "Petropavlovsk-Kamchatsky",
            "Bering Sea",
            "Dutch Harbor",
            "Sea of Japan"
        ]
    );
    // The Sea of Japan is kept for the planned Russian arrival only, not for the Chinese drills.
    assert_eq!(story.place("marine:sea_of_japan").unwrap().mentions, 1);
    assert_eq!(legs(&story).len(), 1);
    assert_eq!(legs(&story)[0].1.len(), 4);
}

#[test]
fn place_by_name_or_id_keeps_what_is_there() {
    let by_name = select(Filter {
        place: vec!["dutch harbor".into()],
        ..Filter::default()
    });
    let by_id = select(Filter {
        place: vec!["port:USDUT".into()],
        ..Filter::default()
    });
    assert_eq!(by_name, by_id);
    assert_eq!(place_names(&by_name), ["Dutch Harbor"]);
    assert_eq!(event_ids(&by_name), ["e4"]);
    assert!(by_name.tracks.is_empty(), "one waypoint makes no leg");

    let two = select(Filter {
        place: vec!["Vladivostok".into(), "gn:2122104".into()],
        ..Filter::default()
    });
    assert_eq!(event_ids(&two), ["e1", "e2"]);
    assert_eq!(
        legs(&two),
        [(
            "Russian warships".to_string(),
            vec![leg("Vladivostok", "Petropavlovsk-Kamchatsky")]
        )]
    );
}

#[test]
fn kind_keeps_places_of_that_kind() {
    let seas = select(Filter {
        kind: vec![PlaceKind::Sea],
        ..Filter::default()
    });
    assert_eq!(place_names(&seas), ["Bering Sea", "Sea of Japan"]);
    assert_eq!(event_ids(&seas), ["e3", "e5", "e7"]);
    // The Bering Sea and the Sea of Japan are not next to each other on the Russian track.
    assert!(seas.tracks.is_empty());

    let harbours = select(Filter {
        kind: vec![PlaceKind::City, PlaceKind::Port],
        ..Filter::default()
    });
    assert_eq!(
        place_names(&harbours),
        [
            "Vladivostok",
            "Petropavlovsk-Kamchatsky",
            "Dutch Harbor",
            "Qingdao",
            "Tokyo"
        ]
    );
    assert_eq!(
        legs(&harbours)[0].1,
        [leg("Vladivostok", "Petropavlovsk-Kamchatsky")]
    );
}

#[test]
fn country_keeps_places_in_that_country() {
    let story = select(Filter {
        country: vec!["jp".into()],
        ..Filter::default()
    });
    assert_eq!(
        place_names(&story),
        ["Sea of Japan", "Tokyo", common::NASTY_PLACE]
    );
    assert_eq!(event_ids(&story), ["e5", "e7", "e8"]);
}

#[test]
fn bbox_across_the_antimeridian_keeps_what_lies_inside() {
    // From Kamchatka (150°E) across 180° to the Aleutians (160°W).
    let story = select(Filter {
        bbox: Some([150.0, 45.0, -160.0, 60.0]),
        ..Filter::default()
    });
    assert_eq!(
        place_names(&story),
        ["Petropavlovsk-Kamchatsky", "Bering Sea", "Dutch Harbor"]
    );
    assert_eq!(event_ids(&story), ["e2", "e3", "e4"]);
    assert_eq!(
        legs(&story),
        [(
            "Russian warships".to_string(),
            vec![
                leg("Petropavlovsk-Kamchatsky", "Bering Sea"),
                leg("Bering Sea", "Dutch Harbor")
            ]
        )]
    );
    // Legs are renumbered against the kept waypoints.
    assert_eq!(story.tracks[0].waypoints.len(), 3);
    assert_eq!(
        (story.tracks[0].legs[1].from, story.tracks[0].legs[1].to),
        (1, 2)
    );
}

#[test]
fn source_keeps_what_those_documents_say() {
    let story = select(Filter {
        source: vec!["00*".into()],
        ..Filter::default()
    });
    let docs: Vec<&str> = story.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(docs, ["001_pacific", "002_alaska"]);
    assert_eq!(event_ids(&story), ["e1", "e2", "e3", "e4", "e5"]);
    assert!(!place_names(&story).contains(&"Qingdao"));
    assert_eq!(
        legs(&story).len(),
        1,
        "the Chinese track is told by 101_china only"
    );

    let one = select(Filter {
        source: vec!["002_alaska".into()],
        ..Filter::default()
    });
    assert_eq!(event_ids(&one), ["e3", "e4", "e5"]);
    // e3 was told by both Russian articles; it keeps the report from the kept one.
    let e3 = one.events.iter().find(|e| e.id == "e3").unwrap();
    assert_eq!(e3.sources.len(), 1);
    assert_eq!(e3.sources[0].doc, "002_alaska");
    assert!(one.mentions.iter().all(|m| &*m.doc == "002_alaska"));
}

#[test]
fn min_confidence_drops_weak_mentions_and_what_rests_on_them() {
    let story = select(Filter {
        min_confidence: Some(0.8),
        ..Filter::default()
    });
    // Tokyo (0.3) and the pier (0.6) lose their only mentions.
    assert!(!place_names(&story).contains(&"Tokyo"));
    assert!(!place_names(&story).contains(&common::NASTY_PLACE));
    assert!(story.mentions.iter().all(|m| m.confidence >= 0.8));
    // The planned arrival in the Sea of Japan rests on a 0.7 mention and goes; the sea stays, named
    // with 0.9 in the Chinese report.
    assert_eq!(event_ids(&story), ["e1", "e2", "e3", "e4", "e6", "e7"]);
    assert_eq!(story.place("marine:sea_of_japan").unwrap().mentions, 1);
    let russian = &legs(&story)[0];
    assert_eq!(
        russian.1.last().unwrap(),
        &leg("Bering Sea", "Dutch Harbor")
    );
}

#[test]
fn criteria_combine_and_the_report_counts_each() {
    let full = common::story();
    let filter = Filter {
        actor: vec!["Russian".into()],
        min_confidence: Some(0.8),
        ..Filter::default()
    };
    let (story, report) = apply(&full, &filter);
    assert_eq!(event_ids(&story), ["e1", "e2", "e3", "e4"]);
    assert_eq!(report.before, Counts::of(&full));
    assert_eq!(
        report.after,
        Counts {
            places: 4,
            events: 4,
            legs: 3
        }
    );
    let line = report.to_string();
    assert_eq!(
        line,
        "filters kept 4 of 8 places, 4 of 8 events, 3 of 5 track legs; \
         --actor \"Russian\" alone: 5 places, 5 events, 4 track legs; \
         --min-confidence 0.8 alone: 6 places, 6 events, 4 track legs"
    );
}

#[test]
fn export_command_takes_the_filter_flags_and_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let story_path = dir.path().join("story.json");
    mentionmap::export::write_file(
        &common::story(),
        mentionmap::export::writer_for(mentionmap::export::Format::Story).as_ref(),
        &story_path,
    )
    .unwrap();
    let out = dir.path().join("japan.geojson");
    let run = Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .arg("export")
        .arg(&story_path)
        .args([
            "--format",
            "geojson",
            "--country",
            "JP",
            "--bbox",
            "-180,30,180,45",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("filters kept 3 of 8 places, 3 of 8 events, 0 of 5 track legs"),
        "{stderr}"
    );
    assert!(stderr.contains("--bbox -180,30,180,45 alone:"), "{stderr}");
    let geojson: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let names: Vec<&str> = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["layer"] == "places")
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sea of Japan", "Tokyo", common::NASTY_PLACE]);

    let bad = Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .arg("export")
        .arg(&story_path)
        .args(["--format", "kml", "--from", "July"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a date"));
}

#[test]
fn map_command_writes_every_map_file_with_the_same_selection() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");
    let run = Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .args([
            "map",
            corpus,
            "--source",
            "003*",
            "--source",
            "004_comments",
            "-o",
        ])
        .arg(dir.path())
        .args(["--generated-at", "2023-07-22T00:00:00Z"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("filters kept"), "{stderr}");
    for name in [
        "story.json",
        "places.geojson",
        "events.geojson",
        "tracks.geojson",
        "map.kml",
    ] {
        assert!(dir.path().join(name).is_file(), "{name} missing: {stderr}");
    }
    let story: Story =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("story.json")).unwrap())
            .unwrap();
    let docs: Vec<&str> = story.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(docs, ["003_china", "004_comments"]);
    assert!(story.places.iter().any(|p| p.name == "Qingdao"));
    assert!(!story.places.iter().any(|p| p.name == "Vladivostok"));
    let places: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("places.geojson")).unwrap())
            .unwrap();
    assert_eq!(
        places["features"].as_array().unwrap().len(),
        story.places.len()
    );
    let kml = std::fs::read_to_string(dir.path().join("map.kml")).unwrap();
    let in_places_folder = kml.split("<name>Events</name>").next().unwrap();
    assert_eq!(
        in_places_folder.matches("<Placemark").count(),
        story.places.len()
    );
}
