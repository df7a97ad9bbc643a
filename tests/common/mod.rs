//! Helpers shared by the integration tests, and the test story: a small corpus built directly with the story model, so that the exporters and filters
//! meet what the pipeline may not yet produce — a track of several legs across the antimeridian
//! (Vladivostok → Petropavlovsk-Kamchatsky → Bering Sea → Dutch Harbor, Alaska), a planned leg, an
//! undated waypoint, coarse dates (a month, an ISO week), two actors, and article text written to break
//! escaping (`</script>`, `"><img …>`, `]]>`, `&`).
//!
//! Each test binary uses part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mentionmap::story::*;

pub const NASTY_SCRIPT: &str = "</script><script>alert(1)</script>";
pub const NASTY_ATTRIBUTE: &str = "\"><img src=x onerror=alert(1)>";
pub const NASTY_PLACE: &str = "Pier \"7\" & <Dock> ]]>";
pub const NASTY_ACTOR: &str = "\"><img src=x onerror=alert(1)> officials";

struct Doc {
    id: &'static str,
    title: Option<&'static str>,
    url: Option<&'static str>,
    published: Option<&'static str>,
    sentences: Vec<String>,
}

impl Doc {
    /// Code-point offsets of sentence `i` (sentences are joined by one space).
    fn span(&self, i: usize) -> (usize, usize) {
        let start: usize = self.sentences[..i]
            .iter()
            .map(|s| s.chars().count() + 1)
            .sum();
        (start, start + self.sentences[i].chars().count())
    }

    fn source(&self, i: usize) -> Source {
        let (start, end) = self.span(i);
        Source {
            when: None,
            doc: self.id.into(),
            start,
            end,
            sentence: self.sentences[i].clone(),
        }
    }
}

fn place(
    id: &str,
    name: &str,
    kind: PlaceKind,
    lat: f64,
    lon: f64,
    country: &str,
    bbox: Option<[f64; 4]>,
) -> Place {
    Place {
        id: id.into(),
        name: name.into(),
        kind,
        lat,
        lon,
        country: Some(country.into()),
        bbox,
        gazetteer: "test".into(),
        gazetteer_id: id.into(),
        mentions: 0,
    }
}

fn mention(doc: &Doc, sentence: usize, text: &str, place: &Place, confidence: f64) -> Mention {
    let (s_start, _) = doc.span(sentence);
    let s = &doc.sentences[sentence];
    let byte = s.find(text).unwrap_or_else(|| panic!("{text} not in {s}"));
    let start = s_start + s[..byte].chars().count();
    Mention {
        doc: doc.id.into(),
        start,
        end: start + text.chars().count(),
        text: text.into(),
        place: Some(place.id.clone()),
        lat: Some(place.lat),
        lon: Some(place.lon),
        confidence,
        role: None,
        sentence: s.as_str().into(),
        candidates: vec![],
    }
}

#[allow(clippy::too_many_arguments)]
fn event(
    id: &str,
    actor: &str,
    action: Action,
    place: &Place,
    dates: Option<(&str, &str)>,
    when: Option<&str>,
    modality: Modality,
    sources: Vec<Source>,
) -> Event {
    Event {
        after: Vec::new(),
        partners: Vec::new(),
        id: id.into(),
        actor: actor.into(),
        action,
        places: vec![place.id.clone()],
        start: dates.map(|d| d.0.to_string()),
        end: dates.map(|d| d.1.to_string()),
        when: when.map(String::from),
        modality,
        sources,
    }
}

fn waypoint(place: &Place, at: Option<[f64; 2]>, event: &Event) -> Waypoint {
    let [lon, lat] = at.unwrap_or([place.lon, place.lat]);
    Waypoint {
        sources: Vec::new(),
        place: place.id.clone(),
        name: place.name.clone(),
        lat,
        lon,
        start: event.start.clone(),
        end: event.end.clone(),
        events: vec![event.id.clone()],
        planned: event.modality == Modality::Planned,
    }
}

fn track(id: &str, actor: &str, waypoints: Vec<Waypoint>) -> Track {
    let legs = waypoints
        .windows(2)
        .enumerate()
        .map(|(i, w)| Leg {
            from: i,
            to: i + 1,
            planned: w[1].planned,
            routed: false,
            coordinates: mentionmap::tracks::great_circle(w[0].lon, w[0].lat, w[1].lon, w[1].lat),
        })
        .collect();
    Track {
        id: id.into(),
        actor: actor.into(),
        waypoints,
        legs,
    }
}

pub fn story() -> Story {
    let pacific = Doc {
        id: "001_pacific",
        title: Some("Russian warships leave Vladivostok"),
        url: Some("https://example.org/pacific"),
        published: Some("2023-07-15"),
        sentences: vec![
            "Russian warships left Vladivostok on Monday for a voyage across the northern Pacific."
                .into(),
            "They arrived in Petropavlovsk-Kamchatsky on Friday and stayed until Saturday.".into(),
            "The ships are expected to cross the Bering Sea towards Dutch Harbor.".into(),
        ],
    };
    let alaska = Doc {
        id: "002_alaska",
        title: Some("Warships at Dutch Harbor: \"a rare visit\" & more"),
        url: Some("https://example.org/alaska?a=1&b=2"),
        published: Some("2023-07-21"),
        sentences: vec![
            "The Russian warships sailed through the Bering Sea earlier this week.".into(),
            "They made port at Dutch Harbor on Thursday, officials said.".into(),
            "The ships will return to the Sea of Japan in August.".into(),
        ],
    };
    let china = Doc {
        id: "101_china",
        title: None,
        url: None,
        published: Some("2023-07-18"),
        sentences: vec![
            "A Chinese naval flotilla set sail from Qingdao on Sunday.".into(),
            "The Chinese flotilla began drills in the Sea of Japan this week.".into(),
        ],
    };
    let nasty = Doc {
        id: "102_comments",
        title: Some(NASTY_SCRIPT),
        url: Some("javascript:alert(1)"),
        published: None,
        sentences: vec![
            format!("A reader wrote {NASTY_SCRIPT} about Tokyo & {NASTY_ATTRIBUTE} ]]> in the comments."),
            format!("Officials met at {NASTY_PLACE} on the waterfront."),
        ],
    };

    let vladivostok = place(
        "gn:2013348",
        "Vladivostok",
        PlaceKind::City,
        43.10562,
        131.87353,
        "RU",
        None,
    );
    let petropavlovsk = place(
        "gn:2122104",
        "Petropavlovsk-Kamchatsky",
        PlaceKind::City,
        53.04444,
        158.65076,
        "RU",
        None,
    );
    // The Bering Sea's box crosses the antimeridian (west > east).
    let bering = place(
        "marine:bering_sea",
        "Bering Sea",
        PlaceKind::Sea,
        58.0,
        -178.0,
        "US",
        Some([162.0, 51.0, -157.0, 66.5]),
    );
    let dutch_harbor = place(
        "port:USDUT",
        "Dutch Harbor",
        PlaceKind::Port,
        53.8898,
        -166.5422,
        "US",
        None,
    );
    let sea_of_japan = place(
        "marine:sea_of_japan",
        "Sea of Japan",
        PlaceKind::Sea,
        40.0,
        135.0,
        "JP",
        Some([127.3, 33.9, 142.3, 52.2]),
    );
    let qingdao = place(
        "gn:1797929",
        "Qingdao",
        PlaceKind::City,
        36.06488,
        120.38042,
        "CN",
        None,
    );
    let tokyo = place(
        "gn:1850147",
        "Tokyo",
        PlaceKind::City,
        35.6895,
        139.69171,
        "JP",
        None,
    );
    let pier = place(
        "landmark:pier7",
        NASTY_PLACE,
        PlaceKind::Landmark,
        35.45,
        139.65,
        "JP",
        None,
    );

    let mentions = vec![
        mention(&pacific, 0, "Vladivostok", &vladivostok, 0.95),
        mention(&pacific, 1, "Petropavlovsk-Kamchatsky", &petropavlovsk, 0.9),
        mention(&pacific, 2, "Bering Sea", &bering, 0.8),
        mention(&pacific, 2, "Dutch Harbor", &dutch_harbor, 0.85),
        mention(&alaska, 0, "Bering Sea", &bering, 0.9),
        mention(&alaska, 1, "Dutch Harbor", &dutch_harbor, 0.9),
        mention(&alaska, 2, "Sea of Japan", &sea_of_japan, 0.7),
        mention(&china, 0, "Qingdao", &qingdao, 0.95),
        mention(&china, 1, "Sea of Japan", &sea_of_japan, 0.9),
        mention(&nasty, 0, "Tokyo", &tokyo, 0.3),
        mention(&nasty, 1, NASTY_PLACE, &pier, 0.6),
    ];

    use Action::*;
    use Modality::*;
    let russian = "Russian warships";
    let chinese = "Chinese flotilla";
    let events = vec![
        event(
            "e1",
            russian,
            Depart,
            &vladivostok,
            Some(("2023-07-10", "2023-07-10")),
            Some("2023-07-10"),
            Happened,
            vec![pacific.source(0)],
        ),
        event(
            "e2",
            russian,
            Arrive,
            &petropavlovsk,
            Some(("2023-07-14", "2023-07-15")),
            None,
            Happened,
            vec![pacific.source(1)],
        ),
        event(
            "e3",
            russian,
            Transit,
            &bering,
            None,
            None,
            Happened,
            vec![alaska.source(0), pacific.source(2)],
        ),
        event(
            "e4",
            russian,
            PortCall,
            &dutch_harbor,
            Some(("2023-07-20", "2023-07-20")),
            Some("2023-07-20"),
            Happened,
            vec![alaska.source(1)],
        ),
        event(
            "e5",
            russian,
            Arrive,
            &sea_of_japan,
            Some(("2023-08-01", "2023-08-31")),
            Some("2023-08"),
            Planned,
            vec![alaska.source(2)],
        ),
        event(
            "e6",
            chinese,
            Depart,
            &qingdao,
            Some(("2023-07-16", "2023-07-16")),
            Some("2023-07-16"),
            Happened,
            vec![china.source(0)],
        ),
        event(
            "e7",
            chinese,
            Exercise,
            &sea_of_japan,
            Some(("2023-07-17", "2023-07-23")),
            Some("2023-W29"),
            Happened,
            vec![china.source(1)],
        ),
        event(
            "e8",
            NASTY_ACTOR,
            Meeting,
            &pier,
            None,
            None,
            Happened,
            vec![nasty.source(1)],
        ),
    ];

    let tracks = vec![
        track(
            "t1",
            russian,
            vec![
                waypoint(&vladivostok, None, &events[0]),
                waypoint(&petropavlovsk, None, &events[1]),
                // In the water, west of the sea's centre, where the line from Kamchatka enters it.
                waypoint(&bering, Some([-179.5, 56.0]), &events[2]),
                waypoint(&dutch_harbor, None, &events[3]),
                waypoint(&sea_of_japan, None, &events[4]),
            ],
        ),
        track(
            "t2",
            chinese,
            vec![
                waypoint(&qingdao, None, &events[5]),
                waypoint(&sea_of_japan, Some([133.0, 39.0]), &events[6]),
            ],
        ),
    ];

    let mut places = vec![
        vladivostok,
        petropavlovsk,
        bering,
        dutch_harbor,
        sea_of_japan,
        qingdao,
        tokyo,
        pier,
    ];
    for p in &mut places {
        p.mentions = mentions
            .iter()
            .filter(|m| m.place.as_deref() == Some(&p.id))
            .count();
    }
    let documents = [&pacific, &alaska, &china, &nasty]
        .iter()
        .map(|d| Document {
            id: d.id.into(),
            path: format!("{}.txt", d.id),
            title: d.title.map(String::from),
            url: d.url.map(String::from),
            source: None,
            published: d.published.map(String::from),
            date_source: if d.published.is_some() {
                DateSource::Metadata
            } else {
                DateSource::None
            },
            chars: d.span(d.sentences.len() - 1).1,
        })
        .collect();
    Story {
        actors: Vec::new(),
        generator: Generator {
            tool: "mentionmap".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            generated_at: "2023-07-22T08:00:00Z".into(),
            attribution: vec![GEONAMES_ATTRIBUTION.into()],
        },
        documents,
        places,
        mentions,
        demonyms: vec![],
        times: vec![],
        events,
        tracks,
        readings: vec![],
    }
}

/// `../shared/tools/check-outputs`, when this checkout sits beside the shared folder.
pub fn check_outputs_tool() -> Option<PathBuf> {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/check-outputs");
    if tool.is_file() {
        Some(tool)
    } else {
        eprintln!(
            "skipping: {} not found (it lives in ../shared, beside the repository)",
            tool.display()
        );
        None
    }
}

/// Run the third-party readers over `files` in strict mode. `None` (with the reason printed) when the
/// readers are not installed; otherwise whether they all accepted every file, and their report.
pub fn run_check_outputs(tool: &Path, files: &[PathBuf]) -> Option<(bool, String)> {
    let output = Command::new(tool)
        .arg("--strict")
        .args(files)
        .output()
        .expect("check-outputs runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.code() == Some(2) {
        eprintln!(
            "skipping: check-outputs cannot run its readers (run {} --install):\n{report}",
            tool.display()
        );
        return None;
    }
    // Shown with `--nocapture`: what each reader saw.
    println!("{report}");
    Some((output.status.success(), report))
}

/// `../shared` beside the repository, or None (with the reason printed) when this clone has none.
pub fn shared_dir(what: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join(what).exists() {
        Some(dir)
    } else {
        eprintln!(
            "SKIP: {} not found (../shared is only beside CI and developer clones)",
            dir.join(what).display()
        );
        None
    }
}

pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Run the mentionmap binary with a fixed generation time.
pub fn mentionmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("run mentionmap")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn read_story(path: &Path) -> mentionmap::story::Story {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    mentionmap::export::read_story(&text, &path.display().to_string()).unwrap()
}

/// Great-circle distance in km.
pub fn km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    mentionmap::geo_util::haversine_km(lat1, lon1, lat2, lon2)
}
