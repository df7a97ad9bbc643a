//! Geoparsing acceptance on the five seed articles (`../shared/seeds`) and regression floors on the
//! public benchmarks (`../shared/data/eval`). Skipped with a printed reason where `../shared` is absent.

mod common;

use mentionmap::gazetteer::Gazetteer;
use mentionmap::geoparse::{geoparse, PreparedText};
use mentionmap::ingest::{read_inputs, DateOverrides};

/// Every place the seeds name, with where it is and how far off a resolution may be.
const SEED_PLACES: &[(&str, f64, f64, f64)] = &[
    ("Qingdao", 36.07, 120.38, 25.0),
    ("Shanghai", 31.22, 121.46, 40.0),
    ("Sea of Japan", 40.0, 135.0, 500.0),
    ("East China Sea", 29.0, 125.0, 500.0),
    ("South China Sea", 12.0, 114.0, 800.0),
    ("Taiwan Strait", 24.5, 119.5, 200.0),
    ("Shandong", 36.4, 118.5, 250.0),
    ("Beijing", 39.9, 116.4, 40.0),
    ("Moscow", 55.75, 37.62, 40.0),
    ("Taipei", 25.05, 121.53, 30.0),
    ("Tokyo", 35.69, 139.69, 40.0),
    ("Taiwan", 23.7, 121.0, 200.0),
    ("Japan", 36.5, 138.0, 600.0),
    ("China", 35.0, 104.0, 1200.0),
    ("Russia", 61.0, 97.0, 2500.0),
    ("Ukraine", 49.0, 31.5, 600.0),
    ("South Korea", 36.5, 127.8, 250.0),
    ("United States", 39.5, -98.5, 1500.0),
];

/// Names in the seeds that are not places here: outlets, a streaming device, ships, a person.
const NOT_PLACES: &[&str] = &[
    "Global Times",
    "Press TV",
    "Moscow Times",
    "Roku",
    "Reuters",
    "Gromkiy",
    "Sovershenniy",
    "Chizhohar",
    "Li Shangfu",
    "Shangfu",
    "Jinping",
];

#[test]
fn seeds_places_resolve_and_non_places_stay_out() {
    let Some(shared) = common::shared_dir("seeds") else {
        return;
    };
    let ingested = read_inputs(
        &[shared.join("seeds").display().to_string()],
        &DateOverrides::default(),
    );
    assert_eq!(ingested.documents.len(), 5);
    let gazetteer = Gazetteer::load_default().unwrap();
    let mut mentions = Vec::new();
    for doc in &ingested.documents {
        let prepared = PreparedText::new(&doc.meta.id, &doc.text);
        mentions.extend(geoparse(&gazetteer, &prepared).0);
    }
    for &(name, lat, lon, max_km) in SEED_PLACES {
        let found: Vec<_> = mentions.iter().filter(|m| m.text == name).collect();
        assert!(!found.is_empty(), "{name} is not found in the seeds");
        for m in found {
            let (mlat, mlon) = (m.lat.unwrap_or(f64::NAN), m.lon.unwrap_or(f64::NAN));
            let km = common::km(mlat, mlon, lat, lon);
            assert!(
                km <= max_km,
                "{name} in {} resolved to {:?} at {mlat},{mlon}: {km:.0} km off",
                m.doc,
                m.place
            );
        }
    }
    for name in NOT_PLACES {
        let wrong: Vec<_> = mentions
            .iter()
            .filter(|m| name.contains(m.text.as_str()) && m.sentence.contains(name))
            .map(|m| (&m.text, &m.place))
            .collect();
        assert!(wrong.is_empty(), "{name} became a place: {wrong:?}");
    }
}

/// Scores on the public benchmarks must not fall below these floors (measured values are in the
/// README's Accuracy table; the floors sit a little under them so that noise-free regressions fail).
#[test]
fn benchmark_scores_hold() {
    let Some(shared) = common::shared_dir("data/eval") else {
        return;
    };
    let gazetteer = Gazetteer::load_default().unwrap();
    for (file, count_demonyms, min_given, min_overlap_f1, min_overlap_p) in [
        ("data/eval/tr-news/TR-News.xml", true, 0.91, 0.86, 0.85),
        ("data/eval/geovirus/GeoVirus.xml", false, 0.905, 0.90, 0.89),
    ] {
        let xml = std::fs::read_to_string(shared.join(file)).unwrap();
        let corpus = mentionmap::eval::read_corpus(&xml).unwrap();
        let report = mentionmap::eval::evaluate(&gazetteer, &corpus, count_demonyms);
        println!("{file}: {}", serde_json::to_string(&report).unwrap());
        assert!(
            report.given_gold.acc161 >= min_given,
            "{file}: acc@161 given gold {:.3}",
            report.given_gold.acc161
        );
        assert!(
            report.recognition.overlap_f1 >= min_overlap_f1,
            "{file}: overlap F1 {:.3}",
            report.recognition.overlap_f1
        );
        assert!(
            report.recognition.overlap_precision >= min_overlap_p,
            "{file}: overlap precision {:.3}",
            report.recognition.overlap_precision
        );
    }
}

/// The recognition rules the geoparsing issue lists, on sentences of our own, with the shipped gazetteer
/// (no ../shared needed).
#[test]
fn recognition_rules_on_our_own_sentences() {
    let gazetteer = Gazetteer::load_built_in().unwrap();
    let places = |text: &str| -> Vec<(String, Option<String>)> {
        let prepared = PreparedText::new("t", text);
        geoparse(&gazetteer, &prepared)
            .0
            .into_iter()
            .map(|m| (m.text, m.place))
            .collect()
    };
    let place_ids =
        |text: &str| -> Vec<String> { places(text).into_iter().filter_map(|(_, p)| p).collect() };
    // shared heads, both orders
    assert_eq!(
        place_ids("The ships crossed the Seas of Japan and East China last week."),
        ["marine:sea_of_japan", "marine:east_china_sea"]
    );
    assert_eq!(
        place_ids("Both navies patrol the East China and South China Seas."),
        ["marine:east_china_sea", "marine:south_china_sea"]
    );
    // an alias in brackets, cue words
    assert_eq!(
        place_ids("They met in the Sea of Japan (East Sea) after leaving the port of Qingdao in Shandong province."),
        ["marine:sea_of_japan", "marine:sea_of_japan", "gn:1797929", "admin1:CN.25"]
    );
    // hashtags run their words together
    assert_eq!(
        place_ids("Posts tagged #SeaofJapan and #LaHabana spread quickly."),
        ["marine:sea_of_japan", "gn:3553478"]
    );
    // a speaker whose given name is a state's, beside an outlet named after a city
    assert!(
        places("\"We watched them go,\" said Victoria Ioganov of the Moscow Times.").is_empty(),
        "{:?}",
        places("\"We watched them go,\" said Victoria Ioganov of the Moscow Times.")
    );
    // ...while a title after the state keeps it
    assert_eq!(
        places("\"It is over,\" said Manitoba Premier Brian Pallister.")
            .into_iter()
            .map(|(text, _)| text)
            .collect::<Vec<_>>(),
        ["Manitoba"]
    );
    // ships, people and outlets are not places
    assert!(places(
        "HMS Richmond, HMCS Ottawa and RFA Fort Victoria sailed; Li Shangfu spoke to Global Times, Press TV and Reuters."
    )
    .is_empty());
}
