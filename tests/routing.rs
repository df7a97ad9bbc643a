//! Routed legs, checked as a ship would sail them: the canals and straits ships use are passable, the
//! right seas are crossed, and no leg runs over land.
//!
//! Land is Natural Earth 1:50m (`../shared/data/natural-earth/ne_50m_land.json`), which only this
//! machine's shared folder holds: the land checks skip, saying so, when it is absent.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

use mentionmap::geo_util::haversine_km;
use mentionmap::story::{Action, Event, Modality, Place, PlaceKind, Story};
use mentionmap::tracks::build_tracks;
use mentionmap::tracks::route::{network, route, water_point, RoutedLeg};

/// The first and last stretch of a leg, into a port, may cross what 1:50m land shows as land: ports
/// up rivers, estuaries and fjords (Hamburg on the Elbe, Antwerp on the Scheldt, Rotterdam, Oslo,
/// Houston's ship channel, Ho Chi Minh City on the Saigon River) lie up to about 50 km along
/// waterways too narrow for that scale, and a port's line to its nearest network node is straight.
const PORT_APPROACH_KM: f64 = 50.0;
/// Most land a leg may cross outside its port approaches and canals.
const MAX_LAND_KM: f64 = 1.0;

/// Canals, which Natural Earth's 1:50m land fills in: (name, west, south, east, north).
const CANALS: &[(&str, [f64; 4])] = &[
    ("Suez Canal", [32.15, 29.9, 32.65, 31.3]),
    ("Panama Canal", [-80.0, 8.85, -79.45, 9.4]),
    ("Kiel Canal", [9.1, 53.8, 10.2, 54.4]),
    ("Corinth Canal", [22.8, 37.85, 23.1, 38.05]),
];

/// Natural waterways the network follows that are too narrow for 1:50m land, away from port
/// approaches: (name, west, south, east, north).
const NARROW_WATERS: &[(&str, [f64; 4])] = &[
    ("Port Mansfield Channel, Texas", [-97.45, 26.5, -97.2, 26.6]),
    (
        "a channel of the Chilean fjords",
        [-74.6, -45.5, -74.2, -45.35],
    ),
    ("Western Scheldt", [3.55, 51.3, 4.3, 51.45]),
];

/// Whether a position lies in one of the listed boxes.
fn in_any(boxes: &[(&str, [f64; 4])], [lon, lat]: [f64; 2]) -> bool {
    boxes
        .iter()
        .any(|(_, [w, s, e, n])| (*w..=*e).contains(&lon) && (*s..=*n).contains(&lat))
}

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// `(lon, lat)` of a port of the shipped gazetteer, by UN/LOCODE.
fn port(locode: &str) -> (f64, f64) {
    static PORTS: OnceLock<HashMap<String, (f64, f64)>> = OnceLock::new();
    let ports = PORTS.get_or_init(|| {
        let gz = std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("gazetteer/data/places.tsv.gz"),
        )
        .expect("places.tsv.gz is in the repository");
        let mut text = String::new();
        flate2::read::GzDecoder::new(gz.as_slice())
            .read_to_string(&mut text)
            .unwrap();
        text.lines()
            .skip(1)
            .filter_map(|line| {
                let cols: Vec<&str> = line.split('\t').collect();
                let code = cols[0].strip_prefix("port:")?;
                Some((
                    code.to_string(),
                    (cols[5].parse().unwrap(), cols[4].parse().unwrap()),
                ))
            })
            .collect()
    });
    ports[locode]
}

/// The closest the drawn line (straight between positions) comes to a point, in km.
fn closest_km(leg: &RoutedLeg, lon: f64, lat: f64) -> f64 {
    let mut best = f64::INFINITY;
    for w in leg.coordinates.windows(2) {
        let km = haversine_km(w[0][1], w[0][0], w[1][1], w[1][0]);
        let steps = (km / 2.0).ceil().max(1.0) as usize;
        for i in 0..=steps {
            let t = i as f64 / steps as f64;
            let p = [
                w[0][0] + t * (w[1][0] - w[0][0]),
                w[0][1] + t * (w[1][1] - w[0][1]),
            ];
            best = best.min(haversine_km(p[1], p[0], lat, lon));
        }
    }
    best
}

fn assert_passes(leg: &RoutedLeg, what: &str, lon: f64, lat: f64, km: f64) {
    let d = closest_km(leg, lon, lat);
    assert!(d <= km, "does not pass {what}: closest {d:.0} km");
}

#[test]
fn port_said_to_suez_goes_through_the_canal() {
    let leg = route(port("EGPSD"), port("EGADA"));
    assert!(leg.routed);
    // Through the canal it is about 170 km; around Africa it would be over 20,000.
    assert!(leg.length_km < 250.0, "{}", leg.length_km);
    assert_passes(&leg, "Great Bitter Lake", 32.37, 30.35, 15.0);
    let back = route(port("EGADA"), port("EGPSD"));
    assert!((back.length_km - leg.length_km).abs() < 1.0);
}

#[test]
fn shanghai_to_rotterdam_through_malacca_and_suez() {
    let leg = route(port("CNSHA"), port("NLRTM"));
    assert!(leg.routed);
    assert_passes(&leg, "Singapore Strait", 104.0, 1.2, 40.0);
    assert_passes(&leg, "Strait of Malacca", 100.4, 3.6, 80.0);
    assert_passes(&leg, "Suez Canal", 32.35, 30.5, 20.0);
    assert_passes(&leg, "Strait of Gibraltar", -5.6, 35.95, 30.0);
    // About 19,500 km by sea; around the Cape of Good Hope it would be some 6,000 more.
    assert!(
        leg.length_km > 18_000.0 && leg.length_km < 21_500.0,
        "{}",
        leg.length_km
    );
}

#[test]
fn qingdao_to_vladivostok_through_the_korea_strait() {
    let leg = route(port("CNTAO"), port("RUVVO"));
    assert!(leg.routed);
    assert_passes(&leg, "Korea Strait", 129.2, 34.6, 60.0);
    let tsugaru = closest_km(&leg, 140.5, 41.5);
    assert!(
        tsugaru > 200.0,
        "goes by the Tsugaru Strait ({tsugaru:.0} km)"
    );
}

#[test]
fn black_sea_to_aegean_through_bosporus_and_dardanelles() {
    let leg = route(port("ROCND"), port("GRPIR"));
    assert!(leg.routed);
    assert_passes(&leg, "Bosporus", 29.05, 41.1, 10.0);
    assert_passes(&leg, "Dardanelles", 26.4, 40.2, 15.0);
    assert!(leg.length_km < 1_200.0, "{}", leg.length_km);
}

#[test]
fn atlantic_to_pacific_through_panama() {
    let leg = route(port("USNYC"), port("USLAX"));
    assert!(leg.routed);
    assert_passes(&leg, "Panama Canal", -79.75, 9.15, 20.0);
    // Via Panama about 9,500 km; around Cape Horn it would be over 20,000.
    assert!(leg.length_km < 11_000.0, "{}", leg.length_km);
}

/// The story of one flotilla that leaves Qingdao and exercises in the Sea of Japan.
fn qingdao_to_sea_of_japan() -> Story {
    let place = |id: &str, name: &str, kind, (lon, lat): (f64, f64), bbox| Place {
        id: id.into(),
        name: name.into(),
        kind,
        lat,
        lon,
        country: None,
        bbox,
        gazetteer: "test".into(),
        gazetteer_id: id.into(),
        mentions: 1,
    };
    let event = |id: &str, action, place: &str, date: &str| Event {
        after: Vec::new(),
        partners: Vec::new(),
        id: id.into(),
        actor: "Chinese flotilla".into(),
        action,
        places: vec![place.into()],
        start: Some(date.into()),
        end: Some(date.into()),
        when: None,
        modality: Modality::Happened,
        sources: Vec::new(),
    };
    Story {
        places: vec![
            place(
                "port:CNTAO",
                "Qingdao",
                PlaceKind::Port,
                port("CNTAO"),
                None,
            ),
            place(
                "marine:sea_of_japan",
                "Sea of Japan",
                PlaceKind::Sea,
                (135.0, 40.0),
                Some([127.3, 33.9, 142.3, 52.2]),
            ),
        ],
        events: vec![
            event("e1", Action::Depart, "port:CNTAO", "2023-07-16"),
            event("e2", Action::Exercise, "marine:sea_of_japan", "2023-07-20"),
        ],
        ..Story::default()
    }
}

#[test]
fn qingdao_to_sea_of_japan_by_yellow_sea_and_korea_strait() {
    let story = qingdao_to_sea_of_japan();
    let tracks = build_tracks(&story);
    assert_eq!(tracks.len(), 1);
    let track = &tracks[0];
    let sea = &track.waypoints[1];
    // Not the sea's label point far out in the middle, but where a ship from Qingdao enters it.
    assert!(
        sea.lon > 127.3 && sea.lon < 134.0 && sea.lat > 34.5 && sea.lat < 41.0,
        "{} {}",
        sea.lon,
        sea.lat
    );
    let leg = &track.legs[0];
    assert!(leg.routed);
    let leg = RoutedLeg {
        coordinates: leg.coordinates.clone(),
        routed: leg.routed,
        length_km: 0.0,
    };
    assert_passes(&leg, "the Yellow Sea", 123.5, 35.5, 60.0);
    assert_passes(&leg, "the Korea Strait", 129.2, 34.6, 60.0);
    assert_eq!(
        *leg.coordinates.last().unwrap(),
        [sea.lon, sea.lat],
        "the leg ends at the waypoint"
    );
}

/// Legs between ~60 major ports: each to the next three in this list, so every ocean, the main
/// canals and straits, and both sides of the antimeridian are crossed.
const PORTS: &[&str] = &[
    "CNSHA", "CNTAO", "NLRTM", "SGSIN", "EGPSD", "EGADA", "RUVVO", "USNYC", "USLAX", "PAONX",
    "PABLB", "TRIST", "ROCND", "GRPIR", "JPYOK", "KRPUS", "HKHKG", "INBOM", "AEJEA", "ZADUR",
    "BRSSZ", "ARBUE", "AUSYD", "NZAKL", "CAVAN", "USSEA", "GBFXT", "DEHAM", "BEANR", "ESALG",
    "ITGOA", "LKCMB", "MYPKG", "IDTPP", "PHMNL", "VNSGN", "THLCH", "TWKHH", "JPUKB", "USHNL",
    "CLVAP", "PECLL", "MXZLO", "USHOU", "USMIA", "CAHAL", "NOOSL", "SEGOT", "DKCPH", "PLGDN",
    "RULED", "RUNVS", "UAODS", "ILHFA", "SAJED", "DJJIB", "OMSLL", "KEMBA", "NGLOS", "MATNG",
    "SNDKR", "FJSUV",
];

#[test]
fn port_to_port_legs_stay_off_land() {
    let Some(land) = Land::shared() else {
        return;
    };
    let mut legs = Vec::new();
    for (i, a) in PORTS.iter().enumerate() {
        for b in PORTS.iter().cycle().skip(i + 1).take(3) {
            let leg = route(port(a), port(b));
            assert!(leg.routed, "{a} -> {b} not routed");
            legs.push((format!("{a} -> {b}"), leg));
        }
    }
    check_off_land(land, &legs);
}

#[test]
fn seed_legs_stay_off_land() {
    let seeds = shared().join("seeds");
    if !seeds.is_dir() {
        eprintln!("skipped: {} is absent", seeds.display());
        return;
    }
    let Some(land) = Land::shared() else {
        return;
    };
    let ingested = mentionmap::ingest::read_inputs(
        &[seeds.to_string_lossy().into_owned()],
        &Default::default(),
    );
    assert!(!ingested.documents.is_empty());
    let gazetteer = mentionmap::gazetteer::Gazetteer::load_default().unwrap();
    let options = mentionmap::pipeline::ExtractOptions {
        generated_at: "2024-01-01T00:00:00Z".into(),
    };
    let story = mentionmap::pipeline::extract_story(&ingested.documents, &gazetteer, &options);
    let mut legs = Vec::new();
    for track in &story.tracks {
        for leg in track.legs.iter().filter(|l| l.routed) {
            let name = format!(
                "{}: {} -> {}",
                track.actor, track.waypoints[leg.from].name, track.waypoints[leg.to].name
            );
            let leg = RoutedLeg {
                coordinates: leg.coordinates.clone(),
                routed: true,
                length_km: 0.0,
            };
            legs.push((name, leg));
        }
    }
    let track_legs = legs.len();
    // The seeds' ports and waters in order of mention, as a voyage, so the check has substance even
    // while the seeds yield few tracks.
    let stops: Vec<&Place> = story
        .places
        .iter()
        .filter(|p| p.kind == PlaceKind::Port || p.kind.is_water())
        .collect();
    let mut at = stops.first().map(|p| (p.lon, p.lat));
    for (i, stop) in stops.iter().enumerate().skip(1) {
        let mut here = (stop.lon, stop.lat);
        if let (Some(bbox), true) = (stop.bbox, stop.kind.is_water()) {
            let next = stops.get(i + 1).map(|p| (p.lon, p.lat));
            here = water_point(bbox, here, at, next).unwrap_or(here);
        }
        let leg = route(at.unwrap(), here);
        if leg.routed {
            legs.push((format!("{} -> {}", stops[i - 1].name, stop.name), leg));
        }
        at = Some(here);
    }
    eprintln!(
        "seeds: {track_legs} routed track legs, {} legs between their ports and waters",
        legs.len() - track_legs
    );
    assert!(
        legs.len() > track_legs,
        "the seeds name ports and seas to route between"
    );
    check_off_land(land, &legs);
}

/// Assert every leg's land outside its port approaches and canals is at most [`MAX_LAND_KM`].
fn check_off_land(land: &Land, legs: &[(String, RoutedLeg)]) {
    let mut worst = (0.0, String::new());
    let mut failures = Vec::new();
    for (name, leg) in legs {
        let stretches = land.land_stretches(&leg.coordinates);
        let km: f64 = stretches.iter().map(|(_, km)| km).sum();
        if km > worst.0 {
            worst = (km, name.clone());
        }
        if km > MAX_LAND_KM {
            let places: Vec<String> = stretches
                .iter()
                .map(|([lon, lat], km)| format!("{km:.1} km from {lon:.3},{lat:.3}"))
                .collect();
            failures.push(format!("{name}: {km:.1} km on land: {}", places.join("; ")));
        }
    }
    eprintln!(
        "{} legs checked; most land on one: {:.2} km {}",
        legs.len(),
        worst.0,
        worst.1
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Natural Earth land as ring edges in a grid of half-degree cells, answering "is this point on
/// land?" quickly: a cell's centre is classified once by counting ring crossings on a ray to the
/// east, and a point by the crossings between it and its cell's centre.
struct Land {
    /// Ring edges, `[[lon, lat], [lon, lat]]`.
    edges: Vec<[[f64; 2]; 2]>,
    /// Edge ids per cell, row-major from (−180, −90).
    cells: Vec<Vec<u32>>,
    /// Per cell: whether its centre is on land, once known.
    centre_on_land: Vec<OnceLock<bool>>,
}

const CELL_DEG: f64 = 0.5;
const COLUMNS: usize = (360.0 / CELL_DEG) as usize + 1;
const ROWS: usize = (180.0 / CELL_DEG) as usize + 1;

impl Land {
    /// The shared land file, read once for all tests; `None` (saying so) when it is absent.
    fn shared() -> Option<&'static Land> {
        static LAND: OnceLock<Option<Land>> = OnceLock::new();
        let land = LAND.get_or_init(|| {
            let path = shared().join("data/natural-earth/ne_50m_land.json");
            match std::fs::read_to_string(&path) {
                Ok(text) => Some(Land::from_geojson(&text)),
                Err(_) => None,
            }
        });
        if land.is_none() {
            eprintln!("skipped: ../shared/data/natural-earth/ne_50m_land.json is absent");
        }
        land.as_ref()
    }

    fn from_geojson(text: &str) -> Land {
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        let mut edges = Vec::new();
        for feature in json["features"].as_array().unwrap() {
            let geometry = &feature["geometry"];
            let polygons = match geometry["type"].as_str().unwrap() {
                "Polygon" => vec![geometry["coordinates"].clone()],
                "MultiPolygon" => geometry["coordinates"].as_array().unwrap().clone(),
                other => panic!("unexpected land geometry {other}"),
            };
            for polygon in &polygons {
                for ring in polygon.as_array().unwrap() {
                    let points: Vec<[f64; 2]> = ring
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()])
                        .collect();
                    edges.extend(points.windows(2).map(|w| [w[0], w[1]]));
                }
            }
        }
        let mut cells = vec![Vec::new(); COLUMNS * ROWS];
        for (id, [a, b]) in edges.iter().enumerate() {
            let (c0, r0) = cell_of(a[0].min(b[0]), a[1].min(b[1]));
            let (c1, r1) = cell_of(a[0].max(b[0]), a[1].max(b[1]));
            for r in r0..=r1 {
                for c in c0..=c1 {
                    cells[r * COLUMNS + c].push(id as u32);
                }
            }
        }
        let centre_on_land = (0..COLUMNS * ROWS).map(|_| OnceLock::new()).collect();
        Land {
            edges,
            cells,
            centre_on_land,
        }
    }

    fn is_land(&self, lon: f64, lat: f64) -> bool {
        let lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
        let (c, r) = cell_of(lon, lat);
        let centre = cell_centre(c, r);
        let mut on_land = *self.centre_on_land[r * COLUMNS + c].get_or_init(|| self.ray_east(c, r));
        for &e in &self.cells[r * COLUMNS + c] {
            let [a, b] = self.edges[e as usize];
            if segments_cross(centre, [lon, lat], a, b) {
                on_land = !on_land;
            }
        }
        on_land
    }

    /// Whether a cell's centre is on land: odd crossings of ring edges on the way east to 180°.
    /// Each crossing is counted in the one cell whose columns hold its longitude.
    fn ray_east(&self, column: usize, row: usize) -> bool {
        let [x, y] = cell_centre(column, row);
        let mut inside = false;
        for c in column..COLUMNS {
            let (west, east) = (
                -180.0 + c as f64 * CELL_DEG,
                -180.0 + (c + 1) as f64 * CELL_DEG,
            );
            for &e in &self.cells[row * COLUMNS + c] {
                let [a, b] = self.edges[e as usize];
                if (a[1] > y) == (b[1] > y) {
                    continue;
                }
                let at = a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
                if at > x && at >= west && at < east {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// Stretches of a line on land, as (where the stretch starts, its length in km), sampled every
    /// half km, leaving out the port approaches at both ends, the canals and the narrow waters.
    fn land_stretches(&self, line: &[[f64; 2]]) -> Vec<([f64; 2], f64)> {
        let total: f64 = line
            .windows(2)
            .map(|w| haversine_km(w[0][1], w[0][0], w[1][1], w[1][0]))
            .sum();
        let mut along = 0.0;
        let mut stretches: Vec<([f64; 2], f64)> = Vec::new();
        let mut in_stretch = false;
        for w in line.windows(2) {
            let km = haversine_km(w[0][1], w[0][0], w[1][1], w[1][0]);
            let steps = (km / 0.5).ceil().max(1.0) as usize;
            let step_km = km / steps as f64;
            for i in 0..steps {
                let t = (i as f64 + 0.5) / steps as f64;
                let here = along + t * km;
                let lon = w[0][0] + t * (w[1][0] - w[0][0]);
                let lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
                let lat = w[0][1] + t * (w[1][1] - w[0][1]);
                let counted = here >= PORT_APPROACH_KM
                    && here <= total - PORT_APPROACH_KM
                    && !in_any(CANALS, [lon, lat])
                    && !in_any(NARROW_WATERS, [lon, lat]);
                if counted && self.is_land(lon, lat) {
                    match stretches.last_mut() {
                        Some((_, length)) if in_stretch => *length += step_km,
                        _ => stretches.push(([lon, lat], step_km)),
                    }
                    in_stretch = true;
                } else {
                    in_stretch = false;
                }
            }
            along += km;
        }
        stretches
    }

    fn km_on_land(&self, line: &[[f64; 2]]) -> f64 {
        self.land_stretches(line).iter().map(|(_, km)| km).sum()
    }
}

fn cell_of(lon: f64, lat: f64) -> (usize, usize) {
    let c = ((lon + 180.0) / CELL_DEG)
        .floor()
        .clamp(0.0, (COLUMNS - 1) as f64);
    let r = ((lat + 90.0) / CELL_DEG)
        .floor()
        .clamp(0.0, (ROWS - 1) as f64);
    (c as usize, r as usize)
}

fn cell_centre(column: usize, row: usize) -> [f64; 2] {
    [
        -180.0 + (column as f64 + 0.5) * CELL_DEG,
        -90.0 + (row as f64 + 0.5) * CELL_DEG,
    ]
}

/// Whether segment p–q properly crosses segment a–b.
fn segments_cross(p: [f64; 2], q: [f64; 2], a: [f64; 2], b: [f64; 2]) -> bool {
    let side = |o: [f64; 2], u: [f64; 2], v: [f64; 2]| {
        (u[0] - o[0]) * (v[1] - o[1]) - (u[1] - o[1]) * (v[0] - o[0])
    };
    let (d1, d2) = (side(a, b, p), side(a, b, q));
    let (d3, d4) = (side(p, q, a), side(p, q, b));
    (d1 > 0.0) != (d2 > 0.0) && (d3 > 0.0) != (d4 > 0.0)
}

#[test]
fn land_measure_finds_land_and_sea() {
    let Some(land) = Land::shared() else {
        return;
    };
    assert!(land.is_land(2.35, 48.85), "Paris");
    assert!(land.is_land(100.0, 60.0), "Siberia");
    assert!(land.is_land(178.0, 68.0), "Chukotka near the antimeridian");
    assert!(!land.is_land(-30.0, 40.0), "mid-Atlantic");
    assert!(!land.is_land(123.5, 35.5), "Yellow Sea");
    assert!(!land.is_land(-179.9, 0.0), "Pacific at the antimeridian");
    // A straight line from Qingdao to Vladivostok crosses North Korea and a strip of Russia.
    let across_korea = land.km_on_land(&[[120.39, 36.07], [131.88, 43.12]]);
    assert!(
        across_korea > 300.0 && across_korea < 900.0,
        "{across_korea}"
    );
}

#[test]
fn network_edges_between_points_at_sea_stay_at_sea() {
    let Some(land) = Land::shared() else {
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for [a, b] in network().segments() {
        if land.is_land(a[0], a[1]) || land.is_land(b[0], b[1]) {
            continue;
        }
        if in_any(NARROW_WATERS, a) && in_any(NARROW_WATERS, b) {
            continue;
        }
        checked += 1;
        let km = haversine_km(a[1], a[0], b[1], b[0]);
        let steps = (km / 0.2).ceil().max(1.0) as usize;
        let on_land = (0..steps)
            .filter(|&i| {
                let t = (i as f64 + 0.5) / steps as f64;
                land.is_land(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
            })
            .count() as f64
            * km
            / steps as f64;
        if on_land > 0.0 {
            failures.push(format!("{a:?} -> {b:?}: {on_land:.1} km on land"));
        }
    }
    eprintln!("{checked} edges between points at sea checked");
    assert!(checked > 10_000);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
