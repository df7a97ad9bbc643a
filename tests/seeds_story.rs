//! The seed articles (`../shared/seeds`, five reports of the July 2023 Sea of Japan exercise) through
//! the library with no `--date`: the numbers the events and tracks issues set.

mod common;

use mentionmap::gazetteer::Gazetteer;
use mentionmap::ingest::{read_inputs, DateOverrides};
use mentionmap::pipeline::{extract_story, ExtractOptions};
use mentionmap::story::{Action, ActorKind, DateSource, Event, Modality, Story, Track};

fn seed_story() -> Option<Story> {
    let shared = common::shared_dir("seeds")?;
    let seeds = shared.join("seeds").to_string_lossy().into_owned();
    let ingested = read_inputs(&[seeds], &DateOverrides::default());
    assert_eq!(ingested.documents.len(), 5, "{:?}", ingested.problems);
    let gazetteer = Gazetteer::load_default().unwrap();
    let options = ExtractOptions {
        generated_at: "2023-11-14T22:13:20Z".into(),
    };
    Some(extract_story(&ingested.documents, &gazetteer, &options))
}

fn place_name<'a>(story: &'a Story, id: &str) -> &'a str {
    story.place(id).map_or("?", |p| p.name.as_str())
}

fn docs_of(e: &Event) -> Vec<&str> {
    let mut docs: Vec<&str> = e.sources.iter().map(|s| &s.doc[..3]).collect();
    docs.dedup();
    docs
}

fn track_of(story: &Story, pred: impl Fn(&str) -> bool) -> &Track {
    story
        .tracks
        .iter()
        .find(|t| pred(&t.actor))
        .unwrap_or_else(|| panic!("no such track in {:#?}", story.tracks))
}

#[test]
fn seeds_dates_events_and_tracks() {
    let Some(story) = seed_story() else { return };

    // article dates: the date line of 004; the others inferred, none left without a date
    let dated: Vec<(&str, Option<&str>, DateSource)> = story
        .documents
        .iter()
        .map(|d| (&d.id[..3], d.published.as_deref(), d.date_source))
        .collect();
    assert_eq!(dated[4], ("004", Some("2023-07-20"), DateSource::Dateline));
    for (id, published, source) in &dated[..4] {
        assert_eq!(*source, DateSource::Inferred, "{id}");
        assert!(
            published.is_some_and(|p| p >= "2023-07-16"),
            "{id}: {published:?}"
        );
    }

    // the departure from Qingdao: one event with every report of it, on Sunday 16 July
    let departures: Vec<&Event> = story
        .events
        .iter()
        .filter(|e| {
            e.action == Action::Depart
                && e.place()
                    .is_some_and(|p| place_name(&story, p) == "Qingdao")
        })
        .collect();
    assert_eq!(departures.len(), 1, "{departures:#?}");
    let departure = departures[0];
    assert_eq!(docs_of(departure), ["000", "001", "002"]);
    assert_eq!(departure.start.as_deref(), Some("2023-07-16"));
    assert_eq!(departure.end.as_deref(), Some("2023-07-16"));
    assert_eq!(departure.modality, Modality::Happened);

    // the exercise in the Sea of Japan: 20 to 23 July, though one report has it begun by the 19th
    let exercise = story
        .events
        .iter()
        .find(|e| e.action == Action::Exercise && e.place() == Some("marine:sea_of_japan"))
        .expect("the Sea of Japan exercise");
    assert_eq!(exercise.start.as_deref(), Some("2023-07-20"));
    assert_eq!(exercise.end.as_deref(), Some("2023-07-23"));
    assert_eq!(exercise.modality, Modality::Happened);
    assert!(exercise
        .sources
        .iter()
        .any(|s| s.doc.starts_with("003") && s.when.as_deref() == Some("2023-07-19")));
    let reports = docs_of(exercise);
    assert!(
        reports.len() >= 4 && reports.contains(&"003") && reports.contains(&"004"),
        "{reports:?}"
    );

    // the joint air patrol over the Sea of Japan and the East China Sea: June 2023
    let patrol = story
        .events
        .iter()
        .find(|e| e.action == Action::Patrol)
        .expect("the joint patrol");
    assert_eq!(
        patrol.places,
        ["marine:sea_of_japan", "marine:east_china_sea"]
    );
    assert_eq!(patrol.start.as_deref(), Some("2023-06-01"));
    assert_eq!(patrol.end.as_deref(), Some("2023-06-30"));
    assert_eq!(docs_of(patrol), ["002", "004"]);

    // Gromkiy and Sovershenniy: one group from the vessel table, past Taiwan and Japan, then at
    // Shanghai in July 2023, then in the Sea of Japan
    let pair = story
        .actors
        .iter()
        .find(|a| a.members.iter().any(|m| m == "Gromkiy"))
        .expect("the Russian pair");
    assert_eq!(pair.kind, ActorKind::Group);
    assert_eq!(pair.members, ["Gromkiy", "Sovershenny"]);
    assert_eq!(pair.country.as_deref(), Some("RU"));
    let track = track_of(&story, |a| a == pair.name);
    let stops: Vec<&str> = track.waypoints.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(stops, ["Taiwan", "Japan", "Shanghai", "Sea of Japan"]);
    let shanghai = &track.waypoints[2];
    assert!(shanghai
        .start
        .as_deref()
        .is_some_and(|s| s.starts_with("2023-07")));
    assert!(shanghai
        .end
        .as_deref()
        .is_some_and(|e| e.starts_with("2023-07") && e < "2023-07-20"));
    assert!(track.waypoints.iter().all(|w| !w.planned));
    assert!(track.legs.iter().all(|l| !l.planned));

    // the Chinese flotilla: Qingdao on the 16th, then the exercise it sailed for, which happened
    let flotilla = track_of(&story, |a| a.starts_with("Chinese"));
    let stops: Vec<(&str, Option<&str>, bool)> = flotilla
        .waypoints
        .iter()
        .map(|w| (w.name.as_str(), w.start.as_deref(), w.planned))
        .collect();
    assert_eq!(
        stops,
        [
            ("Qingdao", Some("2023-07-16"), false),
            ("Sea of Japan", Some("2023-07-20"), false)
        ]
    );
    assert_eq!(flotilla.waypoints[1].end.as_deref(), Some("2023-07-23"));
    assert!(flotilla.waypoints[0].sources.len() == 3);

    // what is not a waypoint: the outlets' datelines, governments, the places Taipei and Tokyo
    // that only watched
    for track in &story.tracks {
        for w in &track.waypoints {
            assert!(
                !["Beijing", "Taipei", "Tokyo", "Moscow", "Washington"].contains(&w.name.as_str()),
                "{w:?}"
            );
        }
    }
}
