//! The online lookup against a real HTTP server on 127.0.0.1, started inside each test: answers in
//! Nominatim's jsonv2 format (`tests/fixtures/online/`), 429 with Retry-After, 500, malformed JSON, an
//! empty list, and answers that never complete. The server notes when each request arrived, so the
//! rate limit is measured where the provider would see it; and it counts connections, so "no socket
//! without --online" is checked on the real binary.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mentionmap::ingest::SourceDoc;
use mentionmap::online::{self, apply, Geocoder, Options, Provider};
use mentionmap::story::{DateSource, Document};

const TARTUS: &str = include_str!("fixtures/online/nominatim-tartus.json");
const FIERY_CROSS: &str = include_str!("fixtures/online/nominatim-fiery-cross.json");

/// What the server does with one request.
enum Reply {
    Json(&'static str),
    Status(u16, Option<&'static str>),
    /// Headers and half the body, then silence with the connection held open.
    StallBody,
    /// Nothing at all, connection held open.
    Silence,
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    at: Instant,
    path: String,
    query: String,
    user_agent: String,
}

struct Server {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    connections: Arc<Mutex<usize>>,
}

impl Server {
    /// Serve on a free port; `script` picks the reply from the path, the `q` parameter and how many
    /// requests with that `q` came before.
    fn start(script: fn(&str, &str, usize) -> Reply) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(Mutex::new(0));
        let (seen2, connections2) = (seen.clone(), connections.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                *connections2.lock().unwrap() += 1;
                let seen = seen2.clone();
                std::thread::spawn(move || serve(stream, script, &seen));
            }
        });
        Server {
            url,
            seen,
            connections,
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn connections(&self) -> usize {
        *self.connections.lock().unwrap()
    }
}

fn serve(stream: TcpStream, script: fn(&str, &str, usize) -> Reply, seen: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let at = Instant::now();
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("user-agent") {
                user_agent = value.trim().to_string();
            }
        }
    }
    let target = request_line.split(' ').nth(1).unwrap_or("/");
    let url = reqwest::Url::parse(&format!("http://test{target}")).unwrap();
    let query = url
        .query_pairs()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let nth = {
        let mut seen = seen.lock().unwrap();
        let nth = seen.iter().filter(|s| s.query == query).count();
        seen.push(Seen {
            at,
            path: url.path().to_string(),
            query: query.clone(),
            user_agent,
        });
        nth
    };
    let mut out = stream;
    let respond = |out: &mut TcpStream, status: &str, extra: &str, body: &str| {
        let _ = write!(
            out,
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n{extra}\r\n{body}",
            body.len()
        );
    };
    match script(url.path(), &query, nth) {
        Reply::Json(body) => respond(&mut out, "200 OK", "", body),
        Reply::Status(code, retry_after) => {
            let extra = retry_after.map_or(String::new(), |s| format!("Retry-After: {s}\r\n"));
            respond(&mut out, &format!("{code} Error"), &extra, "{}");
        }
        Reply::StallBody => {
            let _ = write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{{\"lat\":"
            );
            let _ = out.flush();
            std::thread::sleep(Duration::from_secs(5));
        }
        Reply::Silence => std::thread::sleep(Duration::from_secs(5)),
    }
}

/// Most replies: Tartus and Fiery Cross Reef answer, "Nowhere" finds nothing, "Broken" is a server error,
/// "Garbled" is not JSON, "Busy" is rate-limited once, "Stall" and "Silent" never finish.
fn script(_path: &str, query: &str, nth: usize) -> Reply {
    match (query, nth) {
        ("Tartus", _) => Reply::Json(TARTUS),
        ("Fiery Cross Reef", _) => Reply::Json(FIERY_CROSS),
        ("Busy", 0) => Reply::Status(429, Some("1")),
        ("Busy", _) => Reply::Json(TARTUS),
        ("Flaky", 0) => Reply::Status(503, None),
        ("Flaky", _) => Reply::Json(TARTUS),
        ("Broken", _) => Reply::Status(500, None),
        ("Garbled", _) => Reply::Json("[{\"lat\": \"34.9\", \"lon\""),
        ("Off the globe", _) => Reply::Json(
            "[{\"osm_type\": \"node\", \"osm_id\": 1, \"lat\": \"91\", \"lon\": \"0\"}]",
        ),
        ("Stall", _) => Reply::StallBody,
        ("Silent", _) => Reply::Silence,
        _ => Reply::Json("[]"),
    }
}

/// Options for a test server: its cache in `cache`, short waits except where a test measures them.
fn options(server: &Server, cache: &Path) -> Options {
    let mut options = Options::new(cache.to_path_buf());
    options.urls.insert(Provider::Nominatim, server.url.clone());
    options.contact = Some("tests@example.org".into());
    options.min_interval = Duration::from_millis(20);
    options.backoff = Duration::from_millis(20);
    options.timeout = Duration::from_millis(500);
    options
}

#[test]
fn requests_to_a_provider_are_a_second_apart_and_identify_the_tool() {
    let server = Server::start(script);
    let cache = tempfile::tempdir().unwrap();
    let mut options = options(&server, cache.path());
    options.min_interval = Duration::from_secs(1);
    let mut geocoder = Geocoder::new(options).unwrap();
    for name in ["Tartus", "Nowhere", "Fiery Cross Reef"] {
        geocoder.lookup(name);
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for pair in seen.windows(2) {
        let gap = pair[1].at - pair[0].at;
        // measured at the server, where the policy applies; a little slack for connection set-up
        assert!(gap >= Duration::from_millis(950), "requests {gap:?} apart");
    }
    let agent = &seen[0].user_agent;
    assert!(
        agent.starts_with("mentionmap/") && agent.contains("tests@example.org"),
        "User-Agent {agent:?}"
    );
}

#[test]
fn answers_and_empty_answers_are_cached_and_refresh_asks_again() {
    let server = Server::start(script);
    let cache = tempfile::tempdir().unwrap();
    let mut first = Geocoder::new(options(&server, cache.path())).unwrap();
    let tartus = first.lookup("Tartus").expect("Tartus is found");
    assert_eq!(tartus.provider, Provider::Nominatim);
    assert_eq!(tartus.answers[0].name, "Tartus");
    assert!(first.lookup("Nowhere").is_none());
    assert_eq!(server.seen().len(), 2);

    // a second run, with the spelling varied, makes no request at all
    let mut second = Geocoder::new(options(&server, cache.path())).unwrap();
    assert_eq!(second.lookup("  TARTUS ").unwrap(), tartus);
    assert!(second.lookup("nowhere").is_none());
    assert_eq!(server.seen().len(), 2, "cache hits touched the network");
    assert_eq!((second.stats.looked_up, second.stats.cached), (2, 2));

    let mut options = options(&server, cache.path());
    options.refresh = true;
    let mut refreshed = Geocoder::new(options).unwrap();
    assert!(refreshed.lookup("Tartus").is_some());
    assert_eq!(server.seen().len(), 3, "--refresh asks again");
    assert_eq!(refreshed.stats.cached, 0);
}

#[test]
fn rate_limited_and_failing_servers_are_retried_with_backoff() {
    let server = Server::start(script);
    let cache = tempfile::tempdir().unwrap();
    let mut geocoder = Geocoder::new(options(&server, cache.path())).unwrap();
    assert!(geocoder.lookup("Busy").is_some(), "answered on the retry");
    let busy: Vec<Seen> = server
        .seen()
        .into_iter()
        .filter(|s| s.query == "Busy")
        .collect();
    assert_eq!(busy.len(), 2);
    assert!(
        busy[1].at - busy[0].at >= Duration::from_millis(950),
        "Retry-After: 1 not honoured"
    );
    assert!(geocoder.lookup("Flaky").is_some(), "a 503 is retried");
    assert_eq!(geocoder.stats.failed, 0);
    assert_eq!(geocoder.stats.requests, 4);
}

#[test]
fn repeated_failures_skip_the_provider_and_the_summary_counts_them() {
    let server = Server::start(script);
    let cache = tempfile::tempdir().unwrap();
    let mut geocoder = Geocoder::new(options(&server, cache.path())).unwrap();
    for _ in 0..3 {
        assert!(geocoder.lookup("Broken").is_none());
    }
    // one try and two retries each
    assert_eq!(server.seen().len(), 9);
    assert!(geocoder.lookup("Tartus").is_none(), "provider skipped");
    assert_eq!(server.seen().len(), 9);
    assert_eq!(
        geocoder.stats.to_string(),
        "online: 3 looked up (0 cached), 3 failed (HTTP 500), 1 not asked, \
         provider nominatim skipped after 3 failures"
    );
    // failures are not cached: the next run asks again
    let mut next = Geocoder::new(options(&server, cache.path())).unwrap();
    assert!(next.lookup("Broken").is_none());
    assert_eq!(server.seen().len(), 12);
}

#[test]
fn malformed_answers_fail_without_stopping_the_lookups() {
    let server = Server::start(script);
    let cache = tempfile::tempdir().unwrap();
    let mut geocoder = Geocoder::new(options(&server, cache.path())).unwrap();
    assert!(geocoder.lookup("Garbled").is_none());
    assert!(geocoder.lookup("Tartus").is_some());
    assert_eq!(geocoder.stats.failures.get("malformed answer"), Some(&1));
    assert!(geocoder.lookup("Garbled").is_none());
    assert_eq!(server.seen().len(), 3, "a malformed answer is not cached");
    assert!(geocoder.lookup("Off the globe").is_none());
    assert_eq!(
        geocoder.stats.failed, 2,
        "a bad point is left out, not a failure"
    );
}

#[test]
fn answers_that_never_complete_time_out() {
    let server = Server::start(script);
    let cache = tempfile::tempdir().unwrap();
    let mut geocoder = Geocoder::new(options(&server, cache.path())).unwrap();
    let started = Instant::now();
    assert!(geocoder.lookup("Stall").is_none());
    assert!(geocoder.lookup("Silent").is_none());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?} with a 500 ms timeout",
        started.elapsed()
    );
    assert_eq!(geocoder.stats.failures.get("timeout"), Some(&2));
    assert_eq!(server.seen().len(), 2, "timeouts are not retried");
}

#[test]
fn providers_are_asked_in_order_until_one_answers() {
    // GeoNames refuses (credits spent), Photon finds nothing, Nominatim answers
    let server = Server::start(|path, _, _| match path {
        "/searchJSON" => Reply::Json(r#"{"status":{"message":"limit exceeded","value":18}}"#),
        "/api/" => Reply::Json(r#"{"type":"FeatureCollection","features":[]}"#),
        _ => Reply::Json(TARTUS),
    });
    let cache = tempfile::tempdir().unwrap();
    let mut options = options(&server, cache.path());
    options.providers = vec![Provider::Geonames, Provider::Photon, Provider::Nominatim];
    for provider in Provider::ALL {
        options.urls.insert(provider, server.url.clone());
    }
    options.geonames_username = Some("analyst".into());
    let mut geocoder = Geocoder::new(options).unwrap();
    let found = geocoder.lookup("Tartus").unwrap();
    assert_eq!(found.provider, Provider::Nominatim);
    let paths: Vec<String> = server.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(paths, ["/searchJSON", "/api/", "/search"]);
    assert_eq!(geocoder.stats.failures.get("refused"), Some(&1));
    assert_eq!(geocoder.stats.looked_up, 3);
}

#[test]
fn the_default_timeouts_follow_the_policy() {
    let options = Options::new("/unused".into());
    assert_eq!(options.connect_timeout, Duration::from_secs(5));
    assert_eq!(options.timeout, Duration::from_secs(10));
    assert_eq!(options.min_interval, Duration::from_secs(1));
}

fn document(id: &str, text: &str) -> SourceDoc {
    SourceDoc {
        meta: Document {
            id: id.into(),
            path: format!("{id}.txt"),
            published: Some("2024-03-01".into()),
            date_source: DateSource::Metadata,
            chars: text.chars().count(),
            ..Document::default()
        },
        text: text.into(),
    }
}

const REEF_TEXT: &str = "Two Chinese destroyers anchored off Fiery Cross Reef on Monday.";

#[test]
fn online_places_carry_their_source_and_attribution_into_every_output() {
    let server = Server::start(script);
    let cache = tempfile::tempdir().unwrap();
    let gazetteer = mentionmap::gazetteer::Gazetteer::load_default().unwrap();
    let docs = [document("d1", REEF_TEXT)];
    let mut geocoder = Geocoder::new(options(&server, cache.path())).unwrap();
    let names = apply::names_to_look_up(&docs, &gazetteer, apply::DEFAULT_BELOW);
    assert_eq!(names, ["Fiery Cross Reef"]);
    let answers = apply::look_up(&names, &mut geocoder, apply::DEFAULT_BELOW);
    let extract = mentionmap::pipeline::ExtractOptions {
        generated_at: "2024-03-02T00:00:00Z".into(),
    };
    let story = mentionmap::pipeline::extract_streamed(
        docs.iter().cloned(),
        &gazetteer,
        &extract,
        &answers,
    );
    let reef = story
        .places
        .iter()
        .find(|p| p.gazetteer == "nominatim")
        .expect("an online place");
    assert_eq!(reef.name, "Fiery Cross Reef");
    assert_eq!(reef.id, "nominatim:way/1094221937");
    assert!((reef.lat - 9.55).abs() < 0.01 && (reef.lon - 112.89).abs() < 0.01);
    assert!(story
        .mentions
        .iter()
        .any(|m| m.text == "Fiery Cross Reef" && m.place.as_deref() == Some(reef.id.as_str())));
    assert!(
        story.events.iter().any(|e| e.place() == Some(&reef.id)),
        "events see online places"
    );
    assert!(story
        .generator
        .attribution
        .iter()
        .any(|a| a == online::OSM_ATTRIBUTION));

    let out = tempfile::tempdir().unwrap();
    let written = mentionmap::export::write_map_files(&story, out.path()).unwrap();
    assert!(written.len() >= 5);
    for path in &written {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            text.contains("OpenStreetMap contributors, ODbL 1.0"),
            "{} lacks the ODbL attribution",
            path.display()
        );
        // the place's layers; the tracks file has no track here, since one event makes no movement
        if !path.ends_with("tracks.geojson") {
            assert!(
                text.contains("nominatim"),
                "{} lacks the source",
                path.display()
            );
        }
    }
}

#[test]
fn when_the_provider_fails_the_offline_story_stands() {
    let server = Server::start(|_, _, _| Reply::Status(500, None));
    let cache = tempfile::tempdir().unwrap();
    let gazetteer = mentionmap::gazetteer::Gazetteer::load_default().unwrap();
    let text = format!("{REEF_TEXT} Later they sailed to Qingdao and Victoria.");
    let docs = [document("d1", &text)];
    let mut geocoder = Geocoder::new(options(&server, cache.path())).unwrap();
    let names = apply::names_to_look_up(&docs, &gazetteer, 1.01);
    assert!(names.len() >= 3, "{names:?}");
    let answers = apply::look_up(&names, &mut geocoder, 1.01);
    assert!(geocoder.stats.failed > 0);
    assert!(answers.is_empty());
    let extract = mentionmap::pipeline::ExtractOptions {
        generated_at: "2024-03-02T00:00:00Z".into(),
    };
    let offline = mentionmap::pipeline::extract_story(&docs, &gazetteer, &extract);
    let online = mentionmap::pipeline::extract_streamed(
        docs.iter().cloned(),
        &gazetteer,
        &extract,
        &answers,
    );
    assert!(!offline.places.is_empty());
    assert_eq!(online, offline);
}

/// Run the binary with its cache in `cache` and no contact from the environment.
fn run(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("MENTIONMAP_CACHE_DIR", cache)
        .env_remove("MENTIONMAP_ONLINE_CONTACT")
        .output()
        .expect("run mentionmap")
}

#[test]
fn without_online_no_connection_is_made() {
    let server = Server::start(script);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("reef.txt");
    std::fs::write(&input, REEF_TEXT).unwrap();
    let story_path = dir.path().join("story.json");
    let cache = dir.path().join("cache");
    let base = [
        "extract",
        input.to_str().unwrap(),
        "-o",
        story_path.to_str().unwrap(),
        "--online-url",
        &server.url,
    ];

    let offline = run(&base, &cache);
    assert!(offline.status.success());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(server.connections(), 0, "a connection without --online");
    let story = std::fs::read_to_string(&story_path).unwrap();
    assert!(!story.contains("nominatim"));

    let online = run(&[&base[..], &["--online"]].concat(), &cache);
    let stderr = String::from_utf8_lossy(&online.stderr);
    assert!(online.status.success(), "{stderr}");
    assert_eq!(server.connections(), 1);
    assert!(
        stderr.contains("online: 1 looked up (0 cached), 0 failed"),
        "{stderr}"
    );
    let story = std::fs::read_to_string(&story_path).unwrap();
    assert!(story.contains("nominatim:way/"));

    // the answer is cached: the same run again stays off the network
    let again = run(&[&base[..], &["--online"]].concat(), &cache);
    assert!(String::from_utf8_lossy(&again.stderr).contains("(1 cached)"));
    assert_eq!(server.connections(), 1);
}

#[test]
fn lookup_online_shows_the_answer_with_its_attribution() {
    let server = Server::start(script);
    let dir = tempfile::tempdir().unwrap();
    let found = run(
        &[
            "lookup",
            "Fiery Cross Reef",
            "--online",
            "--online-url",
            &server.url,
        ],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&found.stdout);
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    assert!(stdout.contains("online, from nominatim:"), "{stdout}");
    assert!(stdout.contains("Fiery Cross Reef"), "{stdout}");
    assert!(stdout.contains(online::OSM_ATTRIBUTION), "{stdout}");

    let offline = run(
        &["lookup", "Fiery Cross Reef", "--online-url", &server.url],
        dir.path(),
    );
    assert!(!String::from_utf8_lossy(&offline.stdout).contains("online"));
    assert_eq!(server.seen().len(), 1);
}
