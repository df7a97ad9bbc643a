//! Event reading, merging and track order on sentences written for these tests, over the small test
//! gazetteer (Qingdao, Shanghai, Beijing, Taipei, Tokyo, Vladivostok, the seas around China and Japan).

use super::*;
use crate::gazetteer::test_data;
use crate::geoparse::{geoparse, PreparedText};
use crate::ingest::SourceDoc;
use crate::pipeline::{extract_story, ExtractOptions};
use crate::story::{Action, ActorKind, DateSource, Document, Event, Modality, Story};

/// The story of articles given as (id, publication date, text).
fn story(docs: &[(&str, Option<&str>, &str)]) -> Story {
    let documents: Vec<SourceDoc> = docs
        .iter()
        .map(|(id, date, text)| SourceDoc {
            meta: Document {
                id: id.to_string(),
                path: format!("{id}.txt"),
                published: date.map(str::to_string),
                date_source: if date.is_some() {
                    DateSource::Metadata
                } else {
                    DateSource::None
                },
                chars: text.chars().count(),
                ..Document::default()
            },
            text: text.to_string(),
        })
        .collect();
    let options = ExtractOptions {
        generated_at: "2024-01-01T00:00:00Z".into(),
    };
    extract_story(&documents, &test_data::small(), &options)
}

fn one(text: &str) -> Story {
    story(&[("d1", Some("2024-04-12"), text)])
}

fn reading(text: &str, date: &str) -> DocReading {
    let g = test_data::small();
    let prepared = PreparedText::new("d1", text);
    let (mentions, demonyms) = geoparse(&g, &prepared);
    let anchor = crate::time::parse_date(date);
    let times = crate::time::find_time_expressions(&prepared, anchor);
    read_document(&prepared, &mentions, &demonyms, &times, anchor)
}

/// (actor, action, places, modality) of every event.
fn summary(s: &Story) -> Vec<(String, Action, Vec<String>, Modality)> {
    s.events
        .iter()
        .map(|e| (e.actor.clone(), e.action, e.places.clone(), e.modality))
        .collect()
}

fn event_at<'a>(s: &'a Story, action: Action, place: &str) -> &'a Event {
    s.events
        .iter()
        .find(|e| e.action == action && e.places.iter().any(|p| p == place))
        .unwrap_or_else(|| panic!("no {action:?} at {place} in {:#?}", summary(s)))
}

fn stops(s: &Story, actor: &str) -> Vec<(String, bool)> {
    s.tracks
        .iter()
        .find(|t| t.actor == actor)
        .unwrap_or_else(|| panic!("no track for {actor}: {:#?}", s.tracks))
        .waypoints
        .iter()
        .map(|w| (w.name.clone(), w.planned))
        .collect()
}

const SHANGHAI: &str = "gn:1796236";
const QINGDAO: &str = "gn:1797929";
const VLADIVOSTOK: &str = "gn:2013348";
const SEA_OF_JAPAN: &str = "marine:sea_of_japan";
const TAIWAN_STRAIT: &str = "marine:taiwan_strait";
const YELLOW_SEA: &str = "marine:yellow_sea";

#[test]
fn navy_prefixes_name_ships_and_their_navies() {
    for (sentence, name, country) in [
        (
            "HMS Diamond sailed through the Taiwan Strait.",
            "HMS Diamond",
            "GB",
        ),
        (
            "USS Dewey sailed through the Taiwan Strait.",
            "USS Dewey",
            "US",
        ),
        (
            "HMCS Ottawa sailed through the Taiwan Strait.",
            "HMCS Ottawa",
            "CA",
        ),
        (
            "RFA Tidespring sailed through the Taiwan Strait.",
            "RFA Tidespring",
            "GB",
        ),
        (
            "INS Kolkata sailed through the Taiwan Strait.",
            "INS Kolkata",
            "IN",
        ),
        (
            "JS Izumo sailed through the Taiwan Strait.",
            "JS Izumo",
            "JP",
        ),
        (
            "ROKS Dokdo sailed through the Taiwan Strait.",
            "ROKS Dokdo",
            "KR",
        ),
        (
            "HNLMS Tromp sailed through the Taiwan Strait.",
            "HNLMS Tromp",
            "NL",
        ),
        (
            "FS Prairial sailed through the Taiwan Strait.",
            "FS Prairial",
            "FR",
        ),
        (
            "ITS Cavour sailed through the Taiwan Strait.",
            "ITS Cavour",
            "IT",
        ),
        // not in the vessel table: the name as written, the navy from the prefix
        (
            "HMAS Wallaby Creek sailed through the Taiwan Strait.",
            "HMAS Wallaby Creek",
            "AU",
        ),
    ] {
        let s = one(sentence);
        let e = event_at(&s, Action::Transit, TAIWAN_STRAIT);
        assert_eq!(e.actor, name, "{sentence}");
        let actor = s.actors.iter().find(|a| a.name == name).unwrap();
        assert_eq!(actor.kind, ActorKind::Ship);
        assert_eq!(actor.country.as_deref(), Some(country), "{sentence}");
    }
    let dewey = one("USS Dewey (DDG-105) sailed through the Taiwan Strait.");
    let actor = &dewey.actors[0];
    assert_eq!(
        (actor.hull.as_deref(), actor.class.as_deref()),
        (Some("DDG-105"), Some("Arleigh Burke"))
    );
}

#[test]
fn class_words_and_table_names_find_ships_not_places() {
    // Shandong is a province too: after a class word it is the carrier, and no waypoint
    let s = one("The aircraft carrier Shandong sailed through the Taiwan Strait on Tuesday.");
    let e = event_at(&s, Action::Transit, TAIWAN_STRAIT);
    assert_eq!(e.actor, "Shandong");
    assert_eq!(e.places, [TAIWAN_STRAIT]);
    assert_eq!(e.start.as_deref(), Some("2024-04-09"));
    // a name the table does not know, after a class word
    let s = one("The frigate Xiangyun called at Shanghai.");
    assert_eq!(event_at(&s, Action::PortCall, SHANGHAI).actor, "Xiangyun");
    // transliterations and a bare name from the table
    let s = one("Gromky and Sovershenniy, two Russian corvettes, left Vladivostok.");
    let e = event_at(&s, Action::Depart, VLADIVOSTOK);
    assert_eq!(e.actor, "Gromkiy and Sovershenny");
    let pair = &s.actors[0];
    assert_eq!(pair.kind, ActorKind::Group);
    assert_eq!(pair.members, ["Gromkiy", "Sovershenny"]);
    assert!(pair.aliases.iter().any(|a| a == "two Russian corvettes"));
}

#[test]
fn ships_of_several_navies_in_one_list_are_one_group() {
    let s = one("USS Dewey and the Japanese destroyer JS Maya sailed through the Taiwan Strait.");
    assert_eq!(s.actors.len(), 1, "{:#?}", s.actors);
    let group = &s.actors[0];
    assert_eq!(group.kind, ActorKind::Group);
    assert_eq!(group.members, ["USS Dewey", "JS Maya"]);
    assert_eq!(group.country, None);
    assert_eq!(s.events[0].actor, "USS Dewey and JS Maya");
}

#[test]
fn groups_forces_and_nations() {
    let r = reading(
        "A Chinese naval flotilla left Qingdao. Russian naval and air forces will join it. \
         China and Russia held a joint patrol over the Sea of Japan.",
        "2024-04-12",
    );
    let kinds: Vec<(ActorKind, Option<&str>)> = r
        .actors
        .iter()
        .map(|a| (a.kind, a.country.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [
            (ActorKind::Group, Some("CN")),
            (ActorKind::Forces, Some("RU")),
            (ActorKind::Nation, Some("CN")),
            (ActorKind::Nation, Some("RU")),
        ]
    );
    let patrol = r
        .frames
        .iter()
        .find(|f| f.action == Action::Patrol)
        .unwrap();
    assert_eq!(patrol.actor, 2);
    assert_eq!(patrol.partners, [3]);
    assert_eq!(patrol.places[0].id, SEA_OF_JAPAN);
}

#[test]
fn coreference_keeps_the_actor_across_sentences() {
    let s = one(
        "Two Russian corvettes left Vladivostok on Tuesday. Officials in Tokyo said little. \
         The same ships later passed the Tsushima Strait. The vessels then entered the Yellow Sea.",
    );
    let actors: Vec<&str> = s.events.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(actors, ["Russian corvettes"; 3]);
    assert_eq!(s.actors.len(), 1);
    assert_eq!(
        s.actors[0].aliases,
        ["Two Russian corvettes", "The same ships", "The vessels"]
    );
    // a pronoun as subject, for an actor named just before; not for one named long ago
    let s = one(
        "Russian warships left Vladivostok. They then passed the Tsushima Strait. \
         Officials in Tokyo said nothing. Analysts spoke at length. They sailed to Shanghai.",
    );
    assert_eq!(
        summary(&s),
        [
            (
                "Russian warships".to_string(),
                Action::Depart,
                vec![VLADIVOSTOK.to_string()],
                Modality::Happened
            ),
            (
                "Russian warships".to_string(),
                Action::Transit,
                vec!["marine:korea_strait".to_string()],
                Modality::Happened
            ),
        ]
    );
    // a singular "the vessel" may refer to a group
    let s = one(
        "A Chinese naval flotilla set off on Sunday. The vessel left the port city of Qingdao.",
    );
    assert_eq!(s.events.len(), 1, "{:#?}", summary(&s));
    assert_eq!(s.events[0].places, [QINGDAO]);
    assert_eq!(s.events[0].start.as_deref(), Some("2024-04-07"));
}

#[test]
fn actions_from_verbs_nouns_and_prepositions() {
    for (sentence, action, place) in [
        (
            "Chinese warships left Qingdao on Monday.",
            Action::Depart,
            QINGDAO,
        ),
        (
            "Chinese warships sailed from Qingdao on Monday.",
            Action::Depart,
            QINGDAO,
        ),
        (
            "Chinese warships arrived in Shanghai on Monday.",
            Action::Arrive,
            SHANGHAI,
        ),
        (
            "Chinese warships made a port call at Shanghai.",
            Action::PortCall,
            SHANGHAI,
        ),
        (
            "Chinese warships docked in Shanghai.",
            Action::PortCall,
            SHANGHAI,
        ),
        (
            "Chinese warships transited the Taiwan Strait.",
            Action::Transit,
            TAIWAN_STRAIT,
        ),
        (
            "Chinese warships sailed past the Yellow Sea.",
            Action::Transit,
            YELLOW_SEA,
        ),
        (
            "Chinese warships held live-fire drills in the Sea of Japan.",
            Action::Exercise,
            SEA_OF_JAPAN,
        ),
        (
            "Chinese warships conducted a patrol in the Sea of Japan.",
            Action::Patrol,
            SEA_OF_JAPAN,
        ),
        (
            "Chinese warships met Russian ships off Vladivostok.",
            Action::Meeting,
            VLADIVOSTOK,
        ),
        (
            "Chinese warships were spotted in the Yellow Sea.",
            Action::Other,
            YELLOW_SEA,
        ),
    ] {
        let s = one(sentence);
        assert_eq!(
            summary(&s),
            [(
                "Chinese warships".to_string(),
                action,
                vec![place.to_string()],
                Modality::Happened
            )],
            "{sentence}"
        );
    }
}

#[test]
fn plans_are_kept_apart_from_what_happened() {
    let s = one(
        "A Chinese flotilla set out from Qingdao on Sunday to join Russian forces in the Sea of Japan. \
         The flotilla is due to visit Vladivostok and will sail on to Shanghai.",
    );
    assert_eq!(
        event_at(&s, Action::Depart, QINGDAO).modality,
        Modality::Happened
    );
    assert_eq!(
        event_at(&s, Action::Meeting, SEA_OF_JAPAN).modality,
        Modality::Planned
    );
    assert_eq!(
        event_at(&s, Action::PortCall, VLADIVOSTOK).modality,
        Modality::Planned
    );
    assert_eq!(
        event_at(&s, Action::Arrive, SHANGHAI).modality,
        Modality::Planned
    );
    // the departure is dated, the plans are not dated by it
    assert_eq!(
        event_at(&s, Action::Depart, QINGDAO).start.as_deref(),
        Some("2024-04-07")
    );
    assert_eq!(event_at(&s, Action::Arrive, SHANGHAI).start, None);
    let track = &s.tracks[0];
    let planned: Vec<bool> = track.waypoints.iter().map(|w| w.planned).collect();
    assert_eq!(planned, [false, true, true, true]);
    assert!(track
        .legs
        .iter()
        .all(|l| l.planned == track.waypoints[l.to].planned));
    assert_eq!(track.waypoints[0].name, "Qingdao");
    // a destination after "left ... for" is where it is going, not where it is
    let s = one("Russian warships left Vladivostok for Shanghai on Monday.");
    assert_eq!(
        event_at(&s, Action::Arrive, SHANGHAI).modality,
        Modality::Planned
    );
}

#[test]
fn what_is_not_a_waypoint() {
    for (sentence, not_here) in [
        // a bearing from a place
        (
            "Chinese warships held drills 300 km east of Taipei.",
            "gn:1668341",
        ),
        // a capital speaking for its government
        (
            "Beijing said Chinese warships sailed through the Taiwan Strait.",
            "gn:1816670",
        ),
        // an outlet's date line
        (
            "QINGDAO, April 8 — Chinese warships arrived in Shanghai on Sunday.",
            QINGDAO,
        ),
        (
            "BEIJING (Reuters) – Chinese warships arrived in Shanghai on Sunday.",
            "gn:1816670",
        ),
        // places tied to no movement of the ships
        (
            "Chinese warships passed the Taiwan Strait, prompting Taipei and Tokyo to watch them.",
            "gn:1850147",
        ),
        (
            "Chinese warships passed the Korea Strait, between Shanghai and Tokyo.",
            SHANGHAI,
        ),
        // a country is passed, not visited
        ("Chinese warships arrived in Japan.", "country:JP"),
        // a province qualifies a port
        (
            "Chinese warships docked at Qingdao in Shandong.",
            "admin1:CN.25",
        ),
    ] {
        let s = one(sentence);
        assert!(!s.events.is_empty(), "{sentence}");
        for e in &s.events {
            assert!(
                !e.places.iter().any(|p| p == not_here),
                "{sentence}: {e:#?}"
            );
        }
    }
    let s = one("Russian warships sailed past Taiwan and Japan.");
    assert_eq!(s.events[0].places, ["country:TW", "country:JP"]);
}

#[test]
fn narrative_cues_order_undated_waypoints() {
    // "Before calling at X, the ships had passed Y": Y, then X
    let s = one("Before calling at Shanghai, the Russian ships had passed the Tsushima Strait.");
    let track = stops(&s, "Russian ships");
    assert_eq!(
        track,
        [("Korea Strait".into(), false), ("Shanghai".into(), false)]
    );
    // "after exercises in X": X, then the return
    let s = one("The Russian ships returned to Vladivostok after exercises in the Sea of Japan.");
    assert_eq!(
        stops(&s, "Russian ships"),
        [
            ("Sea of Japan".into(), false),
            ("Vladivostok".into(), false)
        ]
    );
    // "had passed" in a later sentence goes before what the sentence before it told
    let s = one(
        "The Russian ships docked in Shanghai. They had earlier crossed the Yellow Sea. \
         The Russian ships had crossed the Sea of Japan.",
    );
    let order: Vec<String> = stops(&s, "Russian ships")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(order.last().map(String::as_str), Some("Shanghai"));
    // "then"
    let s =
        one("The Chinese flotilla left Qingdao, then sailed through the Yellow Sea to Shanghai.");
    assert_eq!(
        stops(&s, "Chinese flotilla"),
        [
            ("Qingdao".into(), false),
            ("Yellow Sea".into(), false),
            ("Shanghai".into(), false)
        ]
    );
    // "en route to": where it is going comes after, and is a plan
    let s = one("The Chinese flotilla passed the Tsushima Strait en route to Vladivostok.");
    assert_eq!(
        stops(&s, "Chinese flotilla"),
        [("Korea Strait".into(), false), ("Vladivostok".into(), true)]
    );
}

#[test]
fn dates_order_before_telling() {
    // told in reverse, dated: the dates win
    let s = one(
        "The Chinese flotilla reached the Sea of Japan on Thursday. \
         The Chinese flotilla crossed the Yellow Sea on Tuesday, after leaving Qingdao on Monday.",
    );
    let order: Vec<String> = stops(&s, "Chinese flotilla")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(order, ["Qingdao", "Yellow Sea", "Sea of Japan"]);
    let e = event_at(&s, Action::Transit, YELLOW_SEA);
    assert_eq!(e.start.as_deref(), Some("2024-04-09"));
}

#[test]
fn the_same_happening_in_two_articles_is_one_event_and_dates_the_undated_one() {
    let s = story(&[
        (
            "a",
            Some("2024-04-08"),
            "A Chinese naval flotilla set out from Qingdao on Sunday, the ministry said.",
        ),
        (
            "b",
            None,
            "The ministry said on Sunday that a Chinese naval flotilla had left the port of Qingdao.",
        ),
    ]);
    assert_eq!(s.events.len(), 1, "{:#?}", summary(&s));
    let e = &s.events[0];
    let docs: Vec<&str> = e.sources.iter().map(|s| s.doc.as_str()).collect();
    assert_eq!(docs, ["a", "b"]);
    assert_eq!(e.start.as_deref(), Some("2024-04-07"));
    let b = s.document("b").unwrap();
    assert_eq!(b.date_source, DateSource::Inferred);
    assert_eq!(b.published.as_deref(), Some("2024-04-07"));
    // both reports of the flotilla are one actor
    assert_eq!(s.actors.len(), 1);
}

#[test]
fn a_plan_that_came_true_joins_what_happened() {
    let s = story(&[
        (
            "plan",
            Some("2024-04-08"),
            "The Chinese flotilla will hold drills in the Sea of Japan.",
        ),
        (
            "done",
            Some("2024-04-15"),
            "The Chinese flotilla held drills in the Sea of Japan on Friday.",
        ),
    ]);
    assert_eq!(s.events.len(), 1, "{:#?}", summary(&s));
    assert_eq!(s.events[0].modality, Modality::Happened);
    assert_eq!(s.events[0].sources.len(), 2);
    assert_eq!(s.events[0].start.as_deref(), Some("2024-04-12"));
}

#[test]
fn days_of_timex_values() {
    let d = |s: &str| crate::time::parse_date(s).unwrap();
    assert_eq!(days("2023-07"), Some((d("2023-07-01"), d("2023-07-31"))));
    assert_eq!(days("2023-12"), Some((d("2023-12-01"), d("2023-12-31"))));
    assert_eq!(days("2023-W29"), Some((d("2023-07-17"), d("2023-07-23"))));
    assert_eq!(
        days("2023-W29-WE"),
        Some((d("2023-07-22"), d("2023-07-23")))
    );
    assert_eq!(days("2023-WI"), Some((d("2023-12-01"), d("2024-02-29"))));
    assert_eq!(days("2023-07-16"), Some((d("2023-07-16"), d("2023-07-16"))));
    assert_eq!(days("2023"), Some((d("2023-01-01"), d("2023-12-31"))));
    assert_eq!(days("soon"), None);
    assert_eq!(
        interval("2023-W29"),
        Some(("2023-07-17".to_string(), "2023-07-23".to_string()))
    );
}
