//! The built-in gazetteer resolves a list of well-known names (cities, ports, seas, straits, aliases,
//! folded spellings, landmarks) to the right place, and ambiguous names follow a country hint.

use mentionmap::gazetteer::{Gazetteer, Hint, NameKey};
use mentionmap::geo_util::haversine_km;
use mentionmap::story::PlaceKind;

const FIXTURE: &str = include_str!("fixtures/gazetteer_names.tsv");

struct Expected<'a> {
    line: usize,
    name: &'a str,
    country: Option<&'a str>,
    lat: f64,
    lon: f64,
    max_km: f64,
    what: &'a str,
}

fn expectations() -> Vec<Expected<'static>> {
    FIXTURE
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.starts_with("name\t") && !l.trim().is_empty())
        .map(|(i, line)| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 6, "fixture line {}: {line:?}", i + 1);
            let number = |c: &str| -> f64 {
                c.parse()
                    .unwrap_or_else(|_| panic!("fixture line {}: {c:?}", i + 1))
            };
            Expected {
                line: i + 1,
                name: cells[0],
                country: Some(cells[1]).filter(|c| !c.is_empty()),
                lat: number(cells[2]),
                lon: number(cells[3]),
                max_km: number(cells[4]),
                what: cells[5],
            }
        })
        .collect()
}

#[test]
fn well_known_names_resolve_within_their_distance() {
    let g = Gazetteer::load_built_in().unwrap();
    let has_landmarks = g
        .layers()
        .iter()
        .any(|l| l.name.contains("landmarks") && l.entries > 0);
    let mut checked = 0;
    let mut failures = Vec::new();
    for e in expectations() {
        if e.what == "landmark" && !has_landmarks {
            println!(
                "skipped {:?}: gazetteer/landmarks.tsv has no rows yet",
                e.name
            );
            continue;
        }
        checked += 1;
        let hint = Hint {
            country: e.country,
            kind: None,
        };
        let Some(top) = g.lookup_with_hint(e.name, &hint).first().copied() else {
            failures.push(format!(
                "line {}: {:?} ({}) not found",
                e.line, e.name, e.what
            ));
            continue;
        };
        let entry = g.entry(top.entry);
        let km = haversine_km(e.lat, e.lon, entry.lat, entry.lon);
        if km > e.max_km {
            failures.push(format!(
                "line {}: {:?} ({}) -> {} {:?} at {:.2},{:.2}: {km:.0} km from the expected point (max {})",
                e.line, e.name, e.what, entry.id, entry.name, entry.lat, entry.lon, e.max_km
            ));
        }
    }
    assert!(checked >= 100, "only {checked} names checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} names resolved wrongly:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn ambiguous_names_have_several_candidates_and_follow_the_country_hint() {
    let g = Gazetteer::load_built_in().unwrap();
    for (name, countries) in [
        ("Victoria", ["CA", "AU", "SC"].as_slice()),
        ("Georgia", &["US", "GE"]),
        ("Alexandria", &["US", "EG"]),
        ("Portsmouth", &["US", "GB"]),
        ("Sydney", &["CA", "AU"]),
    ] {
        let all = g.lookup(name);
        assert!(all.len() >= 2, "{name}: {} candidates", all.len());
        for &country in countries {
            let hinted = g.lookup_with_hint(
                name,
                &Hint {
                    country: Some(country),
                    kind: None,
                },
            );
            assert_eq!(
                hinted.len(),
                all.len(),
                "{name}: a hint reorders, never drops"
            );
            let first = g.entry(hinted[0].entry);
            assert_eq!(
                first.country.as_deref(),
                Some(country),
                "{name} with hint {country}: {}",
                first.id
            );
        }
    }
}

#[test]
fn kind_filter_and_demotions() {
    let g = Gazetteer::load_built_in().unwrap();
    // Beijing, Shanghai and Busan are divisions too; the city wins by default.
    for name in ["Beijing", "Shanghai", "Busan"] {
        let top = g.entry(g.lookup(name)[0]);
        assert_eq!(top.kind, PlaceKind::City, "{name}: {}", top.id);
    }
    let ports = g.lookup_with_hint(
        "Shanghai",
        &Hint {
            country: None,
            kind: Some(PlaceKind::Port),
        },
    );
    assert!(!ports.is_empty());
    assert!(ports
        .iter()
        .all(|c| g.entry(c.entry).kind == PlaceKind::Port));
    // Hong Kong's alias "Victoria" is the main name of a city district at the same place.
    let victoria = g.candidates("Victoria");
    let hong_kong = victoria
        .iter()
        .position(|c| g.entry(c.entry).id == "gn:1819729")
        .expect("Hong Kong is found by its alias");
    let british_columbia = victoria
        .iter()
        .position(|c| g.entry(c.entry).id == "gn:6174041")
        .expect("Victoria BC");
    assert!(british_columbia < hong_kong);
    assert!(victoria[hong_kong].alias);
}

#[test]
fn built_in_gazetteer_has_the_promised_coverage() {
    let g = Gazetteer::load_built_in().unwrap();
    assert!(g.len() >= 150_000, "{} places", g.len());
    let count_kind = |prefix: &str| {
        g.layers()
            .iter()
            .filter(|l| l.name.contains(prefix))
            .map(|l| l.entries)
            .sum::<usize>()
    };
    assert!(count_kind("GeoNames") >= 150_000);
    assert!(count_kind("marine") > 0, "marine table is empty");
    for iso2 in [
        "CN", "US", "RU", "JP", "KR", "KP", "TW", "PH", "VN", "UA", "GB",
    ] {
        let id = g.country(iso2).unwrap_or_else(|| panic!("country {iso2}"));
        assert_eq!(g.entry(id).kind, PlaceKind::Country);
    }
    // find_id is a direct lookup, and agrees with lookup.
    let qingdao = g.find_id("gn:1797929").unwrap();
    assert_eq!(g.lookup("Qingdao")[0], qingdao);
    assert_eq!(g.name_key("sea of"), NameKey::Prefix);
    assert_eq!(g.name_key("sea of qingdao"), NameKey::Unknown);
}
