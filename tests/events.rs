//! Events and tracks end to end with the shipped gazetteer: the example corpus's two voyages, and
//! sentences written for these tests.

mod common;

use std::sync::OnceLock;

use mentionmap::gazetteer::Gazetteer;
use mentionmap::ingest::{read_inputs, SourceDoc};
use mentionmap::pipeline::{extract_story, ExtractOptions};
use mentionmap::story::{Action, ActorKind, DateSource, Document, Modality, Story, Track};

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| Gazetteer::load_default().unwrap())
}

fn options() -> ExtractOptions {
    ExtractOptions {
        generated_at: "2024-01-01T00:00:00Z".into(),
    }
}

fn story_of(text: &str, date: &str) -> Story {
    let doc = SourceDoc {
        meta: Document {
            id: "t".into(),
            path: "t.txt".into(),
            published: Some(date.into()),
            date_source: DateSource::Metadata,
            chars: text.chars().count(),
            ..Document::default()
        },
        text: text.into(),
    };
    extract_story(&[doc], gazetteer(), &options())
}

fn names(track: &Track) -> Vec<(&str, bool)> {
    track
        .waypoints
        .iter()
        .map(|w| (w.name.as_str(), w.planned))
        .collect()
}

#[test]
fn the_example_corpus_voyages() {
    let corpus = common::repo_path("examples/carrier-group");
    let ingested = read_inputs(
        &[corpus.to_string_lossy().into_owned()],
        &Default::default(),
    );
    let story = extract_story(&ingested.documents, gazetteer(), &options());
    let chinese = story
        .tracks
        .iter()
        .find(|t| t.actor.starts_with("Chinese"))
        .expect("the Chinese task group's track");
    assert_eq!(
        names(chinese),
        [
            ("Qingdao", false),
            ("Yellow Sea", false),
            ("East China Sea", false),
            ("Miyako Strait", false),
            ("Philippine Sea", false),
            ("Bashi Channel", true),
            ("Qingdao", true),
        ]
    );
    assert_eq!(chinese.waypoints[0].start.as_deref(), Some("2024-04-07"));
    assert_eq!(chinese.waypoints[3].start.as_deref(), Some("2024-04-10"));
    let planned_legs: Vec<bool> = chinese.legs.iter().map(|l| l.planned).collect();
    assert_eq!(planned_legs, [false, false, false, false, true, true]);
    let russian = story
        .tracks
        .iter()
        .find(|t| t.actor.starts_with("Russian"))
        .expect("the Russian corvettes' track");
    assert_eq!(
        names(russian),
        [
            ("Vladivostok", false),
            ("Sea of Japan", false),
            ("Tsugaru Strait", false),
            ("Pacific Ocean", false),
            ("Vladivostok", false),
        ]
    );
    assert_eq!(russian.waypoints[4].start.as_deref(), Some("2024-04-19"));
    // both corvette reports of the Tsugaru passage are one event
    let tsugaru = story
        .events
        .iter()
        .find(|e| e.places == ["marine:tsugaru_strait"])
        .unwrap();
    assert_eq!(tsugaru.sources.len(), 2);
    assert_eq!(story.tracks.len(), 2);
}

#[test]
fn ships_listed_with_prefixes_sail_as_one_group() {
    let story = story_of(
        "HMS Richmond, USS Dewey and HMCS Ottawa sailed through the Taiwan Strait on Tuesday. \
         The three warships later called at Yokosuka.",
        "2024-04-12",
    );
    let group = &story.actors[0];
    assert_eq!(group.kind, ActorKind::Group);
    assert_eq!(group.members, ["HMS Richmond", "USS Dewey", "HMCS Ottawa"]);
    assert_eq!(group.name, "HMS Richmond, USS Dewey and HMCS Ottawa");
    let track = &story.tracks[0];
    assert_eq!(track.actor, group.name);
    let stops: Vec<&str> = track.waypoints.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(stops.first(), Some(&"Taiwan Strait"));
    assert_eq!(stops.len(), 2);
}

#[test]
fn a_strait_described_by_its_islands_is_the_only_waypoint() {
    let story = story_of(
        "Chinese warships passed the Miyako Strait, between Okinawa and Miyako Island, on Monday \
         before entering the Philippine Sea.",
        "2024-04-12",
    );
    let transit = story
        .events
        .iter()
        .find(|e| e.action == Action::Transit)
        .unwrap();
    assert_eq!(transit.places, ["marine:miyako_strait"]);
    assert_eq!(transit.start.as_deref(), Some("2024-04-08"));
    let track = &story.tracks[0];
    assert_eq!(
        names(track),
        [("Miyako Strait", false), ("Philippine Sea", false)]
    );
}

#[test]
fn en_route_from_and_to() {
    let story = story_of(
        "En route from Vladivostok to Cam Ranh, two Russian destroyers passed the Tsushima Strait \
         on Wednesday.",
        "2024-04-12",
    );
    let track = &story.tracks[0];
    let stops: Vec<(&str, bool)> = names(track);
    assert_eq!(stops.len(), 3, "{stops:?}");
    assert_eq!(stops[0], ("Vladivostok", false));
    assert!(stops[1].0.contains("Strait") && !stops[1].1, "{stops:?}");
    assert!(stops[2].1, "{stops:?}");
    let destination = story
        .events
        .iter()
        .find(|e| e.modality == Modality::Planned)
        .unwrap();
    assert_eq!(destination.action, Action::Arrive);
}

#[test]
fn a_city_state_is_a_port_and_plans_follow_what_happened() {
    let story = story_of(
        "The British carrier HMS Queen Elizabeth arrived in Yokosuka on Monday. The carrier will \
         sail on to Singapore next week and is due to visit Mumbai in October.",
        "2024-04-16",
    );
    let track = &story.tracks[0];
    assert_eq!(track.actor, "HMS Queen Elizabeth");
    assert_eq!(
        names(track),
        [("Yokosuka", false), ("Singapore", true), ("Mumbai", true)]
    );
    assert_eq!(track.waypoints[1].start.as_deref(), Some("2024-04-22"));
    assert_eq!(track.waypoints[2].start.as_deref(), Some("2024-10-01"));
    let queen = &story.actors[0];
    assert_eq!(queen.hull.as_deref(), Some("R08"));
    assert_eq!(queen.navy.as_deref(), Some("Royal Navy"));
}
