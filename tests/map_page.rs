//! The map page (`map.html`) in a real browser: headless Chromium opens it and the tests check what it
//! drew, what the time slider hides, what a click shows, and that article text runs no script.
//!
//! Each test skips, saying why, when Chromium is not installed (Debian: `apt-get install chromium`, or
//! set MENTIONMAP_CHROMIUM) and, for the seed articles, when ../shared/seeds is absent. Screenshots go
//! to target/tmp/map_page/.

mod browser;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use serde_json::{json, Value};

use browser::{find_chromium, Browser};
use mentionmap::export::{self, Format};
use mentionmap::story::{
    Action, Document, Event, Generator, Leg, Mention, Modality, Place, PlaceKind, Source, Story,
    Track, Waypoint,
};

const SCRIPT_INJECTION: &str = "</script><script>alert(1)</script>";
const ATTRIBUTE_INJECTION: &str = "\"><img src=x onerror=alert(1)>";

/// One Chromium at a time: the machine may have only two cores.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let found = find_chromium();
    if found.is_none() {
        eprintln!(
            "{test}: skipped: Chromium not found (install Debian's `chromium` or set MENTIONMAP_CHROMIUM)"
        );
    }
    found
}

fn screenshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("map_page")
        .join(name)
}

fn write_page(story: &Story, dir: &Path) -> PathBuf {
    let path = dir.join("map.html");
    export::write_file(story, export::writer_for(Format::Html).as_ref(), &path).unwrap();
    path
}

/// After the next frame has been drawn, what was drawn.
const STATS_AFTER_FRAME: &str =
    "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(mentionmap.stats()))))";

/// Press "show all the data" and return what was drawn.
fn show_all(browser: &mut Browser) -> Value {
    browser.eval(&format!(
        "document.getElementById('zoom-fit').click(); {STATS_AFTER_FRAME}"
    ))
}

/// Move the time slider to a day, as a user dragging it would, and return what was drawn.
fn set_day(browser: &mut Browser, iso: &str) -> Value {
    browser.eval(&format!(
        "(() => {{ const s = document.getElementById('day'); s.value = String(Date.parse({}) / 864e5); \
         s.dispatchEvent(new Event('input')); return {STATS_AFTER_FRAME}; }})()",
        json!(iso)
    ))
}

/// Where a place, event or track is on the page.
fn screen_point(browser: &mut Browser, id: &str) -> (f64, f64) {
    let point = browser.eval(&format!("mentionmap.screenPoint({})", json!(id)));
    assert!(!point.is_null(), "{id} is not drawn");
    (point["x"].as_f64().unwrap(), point["y"].as_f64().unwrap())
}

/// Zoom in on a place with the mouse wheel, as a reader picking one town out of a cluster would.
fn zoom_in_on(browser: &mut Browser, id: &str) {
    for _ in 0..3 {
        let (x, y) = screen_point(browser, id);
        browser.call(
            "Input.dispatchMouseEvent",
            json!({ "type": "mouseWheel", "x": x, "y": y, "deltaX": 0, "deltaY": -400 }),
        );
        browser.eval(STATS_AFTER_FRAME);
    }
}

/// Click a place, event or track and return the details panel's heading and quoted sentences.
fn click(browser: &mut Browser, id: &str) -> (String, Vec<String>) {
    let (x, y) = screen_point(browser, id);
    browser.click(x, y);
    let details = browser.eval(
        "(() => { const d = document.getElementById('details'); if (d.hidden) return null; \
         return { heading: d.querySelector('h2').textContent, \
                  quotes: [...d.querySelectorAll('.quote')].map(q => q.textContent) }; })()",
    );
    assert!(!details.is_null(), "clicking {id} opened no details");
    let quotes = details["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap().to_string())
        .collect();
    (details["heading"].as_str().unwrap().to_string(), quotes)
}

fn drawn_events(stats: &Value) -> Vec<String> {
    stats["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect()
}

fn place(id: &str, name: &str, kind: PlaceKind, lat: f64, lon: f64, mentions: usize) -> Place {
    Place {
        id: id.into(),
        name: name.into(),
        kind,
        lat,
        lon,
        country: None,
        bbox: None,
        gazetteer: "test".into(),
        gazetteer_id: id.into(),
        mentions,
    }
}

fn mention(doc: &str, text: &str, place: &Place, sentence: &str) -> Mention {
    Mention {
        doc: doc.into(),
        start: 0,
        end: text.chars().count(),
        text: text.into(),
        place: Some(place.id.clone()),
        lat: Some(place.lat),
        lon: Some(place.lon),
        confidence: 0.9,
        role: None,
        sentence: sentence.into(),
        candidates: vec![],
    }
}

fn document(id: &str, title: &str, published: &str) -> Document {
    Document {
        id: id.into(),
        path: format!("{id}.txt"),
        title: Some(title.into()),
        url: None,
        source: Some("Test Wire".into()),
        published: Some(published.into()),
        date_source: Default::default(),
        chars: 100,
    }
}

fn event(id: &str, actor: &str, action: Action, place: &str, days: (&str, &str)) -> Event {
    Event {
        after: Vec::new(),
        partners: Vec::new(),
        id: id.into(),
        actor: actor.into(),
        action,
        places: vec![place.into()],
        start: Some(days.0.into()),
        end: Some(days.1.into()),
        when: None,
        modality: Modality::Happened,
        sources: vec![],
    }
}

fn waypoint(place: &Place, days: (&str, &str), events: &[&str], planned: bool) -> Waypoint {
    Waypoint {
        sources: Vec::new(),
        place: place.id.clone(),
        name: place.name.clone(),
        lat: place.lat,
        lon: place.lon,
        start: Some(days.0.into()),
        end: Some(days.1.into()),
        events: events.iter().map(|e| e.to_string()).collect(),
        planned,
    }
}

/// A flotilla leaves Qingdao on 16 July, exercises in the Sea of Japan from 20 to 23 July and plans to
/// call at Vladivostok on 25 July; its articles carry markup and script.
fn exercise_story() -> Story {
    let qingdao = place(
        "gn:1797929",
        "Qingdao",
        PlaceKind::City,
        36.0665,
        120.383,
        2,
    );
    let sea = place(
        "marine:sea_of_japan",
        "Sea of Japan",
        PlaceKind::Sea,
        40.0,
        135.0,
        3,
    );
    let vladivostok = place(
        "gn:2013348",
        "Vladivostok",
        PlaceKind::Port,
        43.1056,
        131.874,
        1,
    );
    let china = place("country:CN", "China", PlaceKind::Country, 35.0, 103.0, 2);
    let russia = place("country:RU", "Russia", PlaceKind::Country, 61.5, 105.0, 1);
    let left = format!(
        "The flotilla left the port of Qingdao on Sunday, the ministry said {SCRIPT_INJECTION}."
    );
    let drills = format!(
        "The drills in the Sea of Japan run from July 20 to July 23 {ATTRIBUTE_INJECTION}."
    );
    let mut depart = event(
        "ev-depart",
        "Chinese naval flotilla",
        Action::Depart,
        &qingdao.id,
        ("2023-07-16", "2023-07-16"),
    );
    depart.sources.push(Source {
        when: None,
        doc: "d1".into(),
        start: 0,
        end: 10,
        sentence: left.clone(),
    });
    let mut exercise = event(
        "ev-exercise",
        &format!("China and Russia {ATTRIBUTE_INJECTION}"),
        Action::Exercise,
        &sea.id,
        ("2023-07-20", "2023-07-23"),
    );
    exercise.sources.push(Source {
        when: None,
        doc: "d2".into(),
        start: 0,
        end: 10,
        sentence: drills.clone(),
    });
    let mut arrive = event(
        "ev-arrive",
        "Chinese naval flotilla",
        Action::Arrive,
        &vladivostok.id,
        ("2023-07-25", "2023-07-25"),
    );
    arrive.modality = Modality::Planned;
    arrive.sources.push(Source {
        when: None,
        doc: "d2".into(),
        start: 0,
        end: 10,
        sentence: "The ships will then call at Vladivostok.".into(),
    });
    let track = Track {
        id: "tr-flotilla".into(),
        actor: "Chinese naval flotilla".into(),
        waypoints: vec![
            waypoint(
                &qingdao,
                ("2023-07-16", "2023-07-16"),
                &["ev-depart"],
                false,
            ),
            waypoint(&sea, ("2023-07-20", "2023-07-23"), &["ev-exercise"], false),
            waypoint(
                &vladivostok,
                ("2023-07-25", "2023-07-25"),
                &["ev-arrive"],
                true,
            ),
        ],
        legs: vec![
            Leg {
                from: 0,
                to: 1,
                planned: false,
                routed: true,
                coordinates: vec![
                    [120.383, 36.0665],
                    [122.5, 35.0],
                    [126.0, 33.2],
                    [129.5, 34.8],
                    [133.0, 38.5],
                    [135.0, 40.0],
                ],
            },
            Leg {
                from: 1,
                to: 2,
                planned: true,
                routed: true,
                coordinates: vec![[135.0, 40.0], [133.0, 42.0], [131.874, 43.1056]],
            },
        ],
    };
    Story {
        generator: Generator {
            tool: "mentionmap".into(),
            version: "test".into(),
            generated_at: "2023-07-25T00:00:00Z".into(),
            attribution: vec!["Natural Earth (naturalearthdata.com), public domain".into()],
        },
        documents: vec![
            document(
                "d1",
                &format!("Flotilla sets sail {SCRIPT_INJECTION}"),
                "2023-07-16",
            ),
            document(
                "d2",
                &format!("Drills begin {ATTRIBUTE_INJECTION}"),
                "2023-07-20",
            ),
        ],
        mentions: vec![
            mention("d1", "Qingdao", &qingdao, &left),
            mention(
                "d2",
                "Qingdao",
                &qingdao,
                "Qingdao is home to the North Sea Fleet.",
            ),
            mention("d2", "Sea of Japan", &sea, &drills),
            mention(
                "d2",
                "Vladivostok",
                &vladivostok,
                "The ships will then call at Vladivostok.",
            ),
            mention("d1", "China", &china, &left),
            mention("d2", "Russia", &russia, &drills),
        ],
        places: vec![qingdao, sea, vladivostok, china, russia],
        events: vec![depart, exercise, arrive],
        tracks: vec![track],
        ..Story::default()
    }
}

#[test]
fn slider_hides_the_future_and_article_text_runs_nothing() {
    let Some(chromium) = chromium_or_skip("slider_hides_the_future_and_article_text_runs_nothing")
    else {
        return;
    };
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let story = exercise_story();
    let page = write_page(&story, dir.path());
    let mut browser = Browser::launch(&chromium);
    browser.open(&page);

    let all = show_all(&mut browser);
    assert_eq!(all["places"], story.places.len(), "{all}");
    assert_eq!(all["tracks"], story.tracks.len(), "{all}");
    assert_eq!(all["legs"], 2, "{all}");
    assert_eq!(
        all["day"], "2023-07-25",
        "the slider starts at the last day: {all}"
    );
    assert_eq!(drawn_events(&all).len(), 3, "{all}");

    let before = set_day(&mut browser, "2023-07-17");
    assert_eq!(before["day"], "2023-07-17");
    assert_eq!(drawn_events(&before), ["ev-depart"], "{before}");
    assert_eq!(
        before["legs"], 1,
        "only the leg under way is drawn: {before}"
    );
    let exercise_is_greyed = browser.eval(
        "[...document.querySelectorAll('#timeline-list .event')]\
         .find(li => li.textContent.includes('Exercise')).classList.contains('future')",
    );
    assert_eq!(exercise_is_greyed, true);

    let during = set_day(&mut browser, "2023-07-21");
    assert!(
        drawn_events(&during).contains(&"ev-exercise".to_string()),
        "{during}"
    );

    let played = browser.eval(
        "new Promise(done => { document.getElementById('show-all').click(); \
         document.getElementById('play').click(); const first = mentionmap.stats().day; \
         const t0 = Date.now(); const poll = setInterval(() => { const now = mentionmap.stats().day; \
         if (now !== first || Date.now() - t0 > 10000) { clearInterval(poll); \
         document.getElementById('play').click(); done([first, now]); } }, 50); })",
    );
    assert_eq!(
        played[0], "2023-07-16",
        "play starts again from the first day"
    );
    assert_eq!(played[1], "2023-07-17", "and moves on day by day");

    let end = browser.eval(&format!(
        "document.getElementById('show-all').click(); {STATS_AFTER_FRAME}"
    ));
    assert_eq!(end["day"], "2023-07-25");
    let (heading, quotes) = click(&mut browser, "ev-exercise");
    assert!(
        heading.starts_with("Exercise · China and Russia"),
        "{heading}"
    );
    assert!(
        quotes
            .iter()
            .any(|q| q.contains("drills in the Sea of Japan")),
        "{quotes:?}"
    );
    let (heading, quotes) = click(&mut browser, "tr-flotilla");
    assert_eq!(heading, "Chinese naval flotilla · track");
    assert_eq!(
        quotes.len(),
        3,
        "one source sentence per stop's event: {quotes:?}"
    );

    zoom_in_on(&mut browser, "gn:1797929");
    let (heading, quotes) = click(&mut browser, "gn:1797929");
    assert_eq!(heading, "Qingdao");
    assert!(
        quotes
            .iter()
            .any(|q| q.contains("left the port of Qingdao") && q.contains(SCRIPT_INJECTION)),
        "{quotes:?}"
    );
    let page_state = browser.eval(
        "({ images: document.querySelectorAll('img').length, \
            scripts: document.querySelectorAll('script').length, \
            timeline: document.getElementById('timeline-list').textContent })",
    );
    assert_eq!(page_state["images"], 0, "an article's <img> became markup");
    assert_eq!(
        page_state["scripts"], 4,
        "an article's <script> became markup"
    );
    assert!(page_state["timeline"]
        .as_str()
        .unwrap()
        .contains(ATTRIBUTE_INJECTION));
    assert_eq!(
        browser.dialogs(),
        Vec::<String>::new(),
        "article text ran script"
    );
    assert_eq!(browser.errors(), Vec::<String>::new());

    let shot = screenshot_path("exercise.png");
    browser.screenshot(&shot);
    eprintln!("screenshot: {}", shot.display());
}

#[test]
fn seeds_map_page_draws_the_story() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!(
            "seeds_map_page_draws_the_story: skipped: {} is absent",
            seeds.display()
        );
        return;
    }
    let Some(chromium) = chromium_or_skip("seeds_map_page_draws_the_story") else {
        return;
    };
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .arg("map")
        .arg(&seeds)
        .arg("-o")
        .arg(dir.path())
        .args(["--generated-at", "2023-07-25T00:00:00Z"])
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(dir.path().join("story.json")).unwrap();
    let story = export::read_story(&text, "story.json").unwrap();
    let mut browser = Browser::launch(&chromium);
    browser.open(&dir.path().join("map.html"));

    let first_view = browser.eval("mentionmap.stats()");
    let shot = screenshot_path("seeds.png");
    browser.screenshot(&shot);
    eprintln!("screenshot: {}", shot.display());
    assert!(first_view["places"].as_u64().unwrap() > 0, "{first_view}");

    let all = show_all(&mut browser);
    assert_eq!(all["places"], story.places.len(), "{all}");
    assert_eq!(all["tracks"], story.tracks.len(), "{all}");
    let legs: usize = story.tracks.iter().map(|t| t.legs.len()).sum();
    assert_eq!(
        all["legs"], legs,
        "at the last day every leg is drawn: {all}"
    );

    // The exercise of 20–23 July: hidden on the 17th, drawn from its first day.
    let exercise = story.events.iter().find(|e| {
        e.action == Action::Exercise
            && e.start
                .as_deref()
                .is_some_and(|s| s > "2023-07-17" && s <= "2023-07-23")
            && e.place().is_some_and(|id| story.place(id).is_some())
    });
    let exercise = exercise.expect("the seeds' exercise of 20-23 July, placed on the map");
    let stats = set_day(&mut browser, "2023-07-17");
    assert!(!drawn_events(&stats).contains(&exercise.id), "{stats}");
    let later = set_day(&mut browser, exercise.start.as_deref().unwrap());
    assert!(drawn_events(&later).contains(&exercise.id), "{later}");

    let qingdao = story
        .places
        .iter()
        .filter(|p| p.name == "Qingdao")
        .max_by_key(|p| p.mentions)
        .expect("the seeds mention Qingdao");
    zoom_in_on(&mut browser, &qingdao.id);
    let (heading, quotes) = click(&mut browser, &qingdao.id);
    assert_eq!(heading, "Qingdao");
    assert!(quotes.iter().any(|q| q.contains("Qingdao")), "{quotes:?}");
    assert_eq!(browser.dialogs(), Vec::<String>::new());
    assert_eq!(browser.errors(), Vec::<String>::new());
}

/// A story far bigger than a news corpus: places spread over the world, tracks of several legs.
fn large_story(places: usize, tracks: usize) -> Story {
    // A fixed linear congruential sequence: the same story every run.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut story = Story::default();
    story
        .documents
        .push(document("d1", "Large corpus", "2023-07-01"));
    for i in 0..places {
        let kind = PlaceKind::ALL[i % PlaceKind::ALL.len()];
        let p = place(
            &format!("test:{i}"),
            &format!("Place {i}"),
            kind,
            -60.0 + 130.0 * next(),
            -180.0 + 360.0 * next(),
            1 + (next() * next() * 60.0) as usize,
        );
        story.mentions.push(mention(
            "d1",
            &p.name,
            &p,
            &format!("Ships were seen near {}.", p.name),
        ));
        story.places.push(p);
    }
    for t in 0..tracks {
        let mut lat = -50.0 + 100.0 * next();
        let mut lon = -170.0 + 340.0 * next();
        let mut waypoints = Vec::new();
        let mut legs = Vec::new();
        for w in 0..4 {
            let day = format!("2023-07-{:02}", 1 + (t % 20) + 3 * w);
            let stop = place(
                &format!("test:{}", (t * 7 + w) % places),
                "Stop",
                PlaceKind::Port,
                lat,
                lon,
                1,
            );
            waypoints.push(waypoint(&stop, (&day, &day), &[], w == 3));
            if w > 0 {
                let (from_lat, from_lon) = (waypoints[w - 1].lat, waypoints[w - 1].lon);
                let coordinates = (0..8)
                    .map(|s| {
                        let f = f64::from(s) / 7.0;
                        [
                            from_lon + (lon - from_lon) * f,
                            from_lat + (lat - from_lat) * f,
                        ]
                    })
                    .collect();
                legs.push(Leg {
                    from: w - 1,
                    to: w,
                    planned: w == 3,
                    routed: true,
                    coordinates,
                });
            }
            lat = (lat + 10.0 * (next() - 0.5)).clamp(-60.0, 70.0);
            lon = (lon + 14.0 * (next() - 0.5)).clamp(-179.0, 179.0);
        }
        story.tracks.push(Track {
            id: format!("tr-{t}"),
            actor: format!("Ship {t}"),
            waypoints,
            legs,
        });
        story.events.push(event(
            &format!("ev-{t}"),
            &format!("Ship {t}"),
            Action::Transit,
            &format!("test:{}", (t * 7) % places),
            ("2023-07-05", "2023-07-06"),
        ));
    }
    story
}

#[test]
fn large_story_stays_responsive() {
    let Some(chromium) = chromium_or_skip("large_story_stays_responsive") else {
        return;
    };
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let story = large_story(10_000, 1_000);
    let page = write_page(&story, dir.path());
    let bytes = std::fs::metadata(&page).unwrap().len();
    let mut browser = Browser::launch(&chromium);
    let started = Instant::now();
    browser.open(&page);
    let opened = started.elapsed();

    let all = show_all(&mut browser);
    assert_eq!(all["places"], 10_000, "{all}");
    assert_eq!(all["tracks"], 1_000, "{all}");
    let frames = browser.eval("mentionmap.benchmark(20)");
    let slider = set_day(&mut browser, "2023-07-10");
    let ready = all["readyMs"].as_f64().unwrap();
    assert_eq!(browser.errors(), Vec::<String>::new());
    let shot = screenshot_path("large.png");
    browser.screenshot(&shot);
    eprintln!(
        "large story (10,000 places, 1,000 tracks, page {:.1} MB): opened and drawn in {:.0} ms \
         (script ready at {ready:.0} ms); while panning one frame every {:.1} ms; a full frame {:.1} ms; \
         a slider move {:.1} ms to draw; screenshot: {}",
        bytes as f64 / 1e6,
        opened.as_secs_f64() * 1000.0,
        frames["panMs"].as_f64().unwrap(),
        frames["fullMs"].as_f64().unwrap(),
        slider["frameMs"].as_f64().unwrap(),
        shot.display()
    );
}

/// The distance on screen between two places, and the first one's position.
fn spread(browser: &mut Browser, a: &str, b: &str) -> (f64, (f64, f64)) {
    let pa = screen_point(browser, a);
    let pb = screen_point(browser, b);
    ((pa.0 - pb.0).hypot(pa.1 - pb.1), pa)
}

#[test]
fn pans_and_zooms_by_mouse_wheel_keys_and_touch() {
    let Some(chromium) = chromium_or_skip("pans_and_zooms_by_mouse_wheel_keys_and_touch") else {
        return;
    };
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let page = write_page(&exercise_story(), dir.path());
    let mut browser = Browser::launch(&chromium);
    browser.open(&page);
    let (qingdao, vladivostok) = ("gn:1797929", "gn:2013348");

    // Drag with the mouse: everything moves with the pointer.
    let (d0, (x0, y0)) = spread(&mut browser, qingdao, vladivostok);
    for (kind, x, y, buttons) in [
        ("mousePressed", 500.0, 400.0, 1),
        ("mouseMoved", 560.0, 420.0, 1),
        ("mouseMoved", 600.0, 450.0, 1),
        ("mouseReleased", 600.0, 450.0, 0),
    ] {
        browser.call(
            "Input.dispatchMouseEvent",
            json!({ "type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1 }),
        );
    }
    browser.eval(STATS_AFTER_FRAME);
    let (d1, (x1, y1)) = spread(&mut browser, qingdao, vladivostok);
    assert!(
        (x1 - x0 - 100.0).abs() < 0.5 && (y1 - y0 - 50.0).abs() < 0.5,
        "{x0},{y0} -> {x1},{y1}"
    );
    assert!((d1 - d0).abs() < 0.01, "a drag does not zoom");
    assert_eq!(
        browser.eval("document.getElementById('details').hidden"),
        true,
        "a drag is not a click"
    );

    // The wheel zooms in around the pointer.
    browser.call(
        "Input.dispatchMouseEvent",
        json!({ "type": "mouseWheel", "x": x1, "y": y1, "deltaX": 0, "deltaY": -300 }),
    );
    browser.eval(STATS_AFTER_FRAME);
    let (d2, (x2, y2)) = spread(&mut browser, qingdao, vladivostok);
    assert!(d2 > d1 * 1.3, "{d1} -> {d2}");
    assert!(
        (x2 - x1).abs() < 0.5 && (y2 - y1).abs() < 0.5,
        "the point under the wheel stays put"
    );

    // Keys, once the map has focus: minus zooms out.
    browser.eval("document.getElementById('canvas').focus()");
    browser.call(
        "Input.dispatchKeyEvent",
        json!({ "type": "keyDown", "key": "-", "text": "-" }),
    );
    browser.call(
        "Input.dispatchKeyEvent",
        json!({ "type": "keyUp", "key": "-" }),
    );
    browser.eval(STATS_AFTER_FRAME);
    let (d3, _) = spread(&mut browser, qingdao, vladivostok);
    assert!((d3 - d2 / 2.0).abs() < 0.5, "{d2} -> {d3}");

    // Two fingers moving apart zoom in by the ratio of their distances.
    let touch = |points: &[(f64, f64)]| -> Value {
        points
            .iter()
            .enumerate()
            .map(|(id, (x, y))| json!({ "x": x, "y": y, "id": id }))
            .collect()
    };
    for (kind, points) in [
        ("touchStart", touch(&[(400.0, 400.0), (500.0, 400.0)])),
        ("touchMove", touch(&[(375.0, 400.0), (525.0, 400.0)])),
        ("touchMove", touch(&[(350.0, 400.0), (550.0, 400.0)])),
        ("touchEnd", touch(&[])),
    ] {
        browser.call(
            "Input.dispatchTouchEvent",
            json!({ "type": kind, "touchPoints": points }),
        );
    }
    browser.eval(STATS_AFTER_FRAME);
    let (d4, _) = spread(&mut browser, qingdao, vladivostok);
    assert!((d4 / d3 - 2.0).abs() < 0.05, "pinch {d3} -> {d4}");
    assert_eq!(browser.errors(), Vec::<String>::new());
}
