//! What the tool promises whatever happens around it: a run killed at any moment leaves each output file
//! whole (the previous version or the new one); the same input gives the same bytes, however many
//! threads; hostile article text cannot run or break out of any output, and document ids cannot steer
//! where files are written; and memory does not grow with the corpus.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{read_story, repo_path, stderr, NASTY_ATTRIBUTE, NASTY_SCRIPT};

const EPOCH: &str = "1700000000";

fn map_command(inputs: &[&Path], out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mentionmap"));
    cmd.arg("map")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Every file in a folder, by name.
fn folder_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// A small seeded generator (xorshift), so the kill points are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[cfg(unix)]
#[test]
fn sigkill_at_any_point_leaves_each_file_old_or_new() {
    let dir = tempfile::tempdir().unwrap();
    let old_corpus = dir.path().join("old");
    copy_dir(&repo_path("examples/carrier-group"), &old_corpus);
    let new_corpus = dir.path().join("new");
    copy_dir(&old_corpus, &new_corpus);
    std::fs::write(
        new_corpus.join("05-extra.md"),
        "---\npublished: 2023-07-25\n---\nThe Russian and Chinese ships arrived in Petropavlovsk-Kamchatsky on Tuesday after leaving the Sea of Japan.\n",
    )
    .unwrap();

    // The two complete versions, and how long a whole run takes.
    let versions = dir.path().join("versions");
    let mut full_run = Duration::ZERO;
    for (corpus, name) in [(&new_corpus, "new"), (&old_corpus, "old")] {
        let started = Instant::now();
        let run = map_command(&[corpus], &versions.join(name))
            .output()
            .unwrap();
        full_run = full_run.max(started.elapsed());
        assert!(run.status.success(), "{}", stderr(&run));
    }
    let old = folder_bytes(&versions.join("old"));
    let new = folder_bytes(&versions.join("new"));
    assert_eq!(
        old.keys().collect::<Vec<_>>(),
        new.keys().collect::<Vec<_>>()
    );
    for name in old.keys() {
        assert!(
            old[name] != new[name],
            "{name} is the same in both versions"
        );
    }

    let out = dir.path().join("out");
    copy_dir(&versions.join("old"), &out);
    let mut rng = Rng(0x5eed_cafe_f00d);
    let mut outcomes = BTreeMap::new();
    let iterations = 24;
    for i in 0..iterations {
        // kill points spread over the whole run, from start-up to the last rename
        let window = full_run.as_micros() as u64 * 6 / 5;
        let delay = Duration::from_micros(rng.next() % window.max(1));
        let mut child = map_command(&[&new_corpus], &out).spawn().unwrap();
        std::thread::sleep(delay);
        let killed = child.kill().is_ok();
        child.wait().unwrap();

        let now = folder_bytes(&out);
        let (mut old_count, mut new_count) = (0, 0);
        for (name, bytes) in &now {
            if name.starts_with(".mentionmap-") && name.ends_with(".tmp") {
                // a killed run's temporary file: hidden, never under a final name
                continue;
            }
            assert!(
                old.contains_key(name),
                "iteration {i}: unexpected file {name}"
            );
            if *bytes == old[name] {
                old_count += 1;
            } else if *bytes == new[name] {
                new_count += 1;
            } else {
                panic!(
                    "iteration {i} (killed after {delay:?}): {name} is neither version ({} bytes)",
                    bytes.len()
                );
            }
        }
        assert_eq!(
            old_count + new_count,
            old.len(),
            "iteration {i}: a file is missing"
        );
        *outcomes
            .entry(match (killed, old_count, new_count) {
                (_, _, 0) => "all old",
                (_, 0, _) => "all new",
                _ => "mixed",
            })
            .or_insert(0) += 1;
        // start each round from the old version again
        for e in std::fs::read_dir(&out).unwrap() {
            std::fs::remove_file(e.unwrap().path()).unwrap();
        }
        copy_dir(&versions.join("old"), &out);
    }
    eprintln!("SIGKILL outcomes over {iterations} runs ({full_run:?} each): {outcomes:?}");
    assert!(
        outcomes.len() >= 2,
        "every kill landed in the same phase, the test proves little: {outcomes:?}"
    );
}

/// The example corpus with the bad-input fixtures beside it, mapped twice with one thread and twice with
/// two: every file byte for byte the same. `--generated-at` gives the same bytes as SOURCE_DATE_EPOCH.
#[test]
fn same_input_gives_the_same_bytes_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let examples = repo_path("examples/carrier-group");
    let fixtures = repo_path("tests/fixtures/bad");
    let mut outputs = Vec::new();
    for (i, threads) in ["1", "2", "1", "2"].iter().enumerate() {
        let out = dir.path().join(format!("out-{i}"));
        let run = map_command(&[&examples, &fixtures], &out)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", stderr(&run));
        outputs.push((threads, folder_bytes(&out)));
    }
    let out = dir.path().join("flag");
    let run = map_command(&[&examples, &fixtures], &out)
        .env_remove("SOURCE_DATE_EPOCH")
        .arg("--generated-at")
        .arg("2023-11-14T22:13:20Z")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    outputs.push((&"flag", folder_bytes(&out)));

    let (_, first) = &outputs[0];
    assert_eq!(first.len(), mentionmap::export::MAP_FILES.len());
    for (threads, files) in &outputs[1..] {
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            files.keys().collect::<Vec<_>>()
        );
        for (name, bytes) in files {
            assert!(
                first[name] == *bytes,
                "{name} differs between RAYON_NUM_THREADS=1 and a run with {threads}"
            );
        }
    }
    let story = String::from_utf8(first["story.json"].clone()).unwrap();
    assert!(story.contains("\"generated_at\": \"2023-11-14T22:13:20Z\""));
}

/// Hostile text in every field an article brings (id, title, url, outlet, body), read through the real
/// ingest and written by `map`: KML and SVG stay well-formed XML with no markup of the article's, the
/// page's embedded data cannot close its script element, the JSON reads back to the same text, and ids
/// shaped like paths write nothing outside the output folder.
#[test]
fn hostile_articles_cannot_break_out_of_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let nasty_text = format!(
        "Officials said {NASTY_SCRIPT} and ]]> and {NASTY_ATTRIBUTE} & <!-- --> \u{2028}\u{2029} \u{1}\u{8}\u{1b}[31m as Chinese warships left Qingdao for Busan on Monday."
    );
    let record = |id: &str, url: &str| {
        serde_json::json!({
            "id": id,
            "title": format!("{NASTY_SCRIPT} {NASTY_ATTRIBUTE} ]]> &amp; \u{2028}"),
            "url": url,
            "source": "<b>Outlet</b> & \"Co\"",
            "published": "2023-07-17",
            "text": nasty_text,
        })
        .to_string()
    };
    let lines = [
        record("../../etc/passwd", "javascript:alert(1)"),
        record(
            "/tmp/absolute",
            "https://example.org/a?b=1&c=\"2\"><script>alert(1)</script>",
        ),
        record(
            "..\\..\\windows",
            "data:text/html,<script>alert(1)</script>",
        ),
        record("story.json", "https://example.org/b"),
    ];
    std::fs::write(input.join("wires.jsonl"), lines.join("\n")).unwrap();
    std::fs::copy(
        repo_path("tests/fixtures/bad/specials.html"),
        input.join("specials.html"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = map_command(&[&input], &out).output().unwrap();
    assert!(run.status.success(), "{}", stderr(&run));

    // Nothing was written but the map files, all in the output folder.
    let mut everywhere: Vec<String> = walk(dir.path())
        .into_iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    everywhere.sort();
    let mut expected: Vec<String> = mentionmap::export::MAP_FILES
        .iter()
        .map(|(n, _)| format!("out/{n}"))
        .chain(["in/specials.html".into(), "in/wires.jsonl".into()])
        .collect();
    expected.sort();
    assert_eq!(everywhere, expected);

    let story = read_story(&out.join("story.json"));
    let ids: Vec<&str> = story.documents.iter().map(|d| d.id.as_str()).collect();
    for id in &ids {
        assert!(
            !id.contains(['/', '\\']) && !id.starts_with('.'),
            "id {id:?} looks like a path"
        );
    }
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert!(ids.contains(&"_.._etc_passwd"), "{ids:?}");
    // JSON: the text comes back exactly as the article gave it, control characters included.
    let wire = story
        .events
        .iter()
        .flat_map(|e| &e.sources)
        .find(|s| s.doc == "_.._etc_passwd")
        .expect("an event from the first wire");
    assert_eq!(wire.sentence, nasty_text);
    let wire_doc = story
        .documents
        .iter()
        .find(|d| d.id == "_.._etc_passwd")
        .unwrap();
    assert_eq!(
        wire_doc.title.as_deref(),
        Some(format!("{NASTY_SCRIPT} {NASTY_ATTRIBUTE} ]]> &amp; \u{2028}").as_str())
    );
    for name in ["places.geojson", "events.geojson", "tracks.geojson"] {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }

    // KML: well-formed, and the article's markup is text, never elements.
    let kml = std::fs::read_to_string(out.join("map.kml")).unwrap();
    let elements = xml_elements(&kml).unwrap_or_else(|e| panic!("map.kml is not XML: {e}"));
    for tag in ["script", "img", "b", "iframe"] {
        assert!(!elements.contains(tag), "<{tag}> element in map.kml");
    }
    assert!(!kml.contains("<script") && !kml.contains("<img"));
    assert!(!kml.contains("href=\"javascript:") && !kml.contains("href=\"data:"));
    assert!(!kml.contains('\u{1}') && !kml.contains('\u{1b}'));
    assert!(
        kml.contains("&lt;/script&gt;"),
        "the text itself is kept, escaped"
    );

    // SVG, from the same story: well-formed, no article markup.
    let svg_path = dir.path().join("map.svg");
    let export = common::mentionmap(&[
        "export",
        out.join("story.json").to_str().unwrap(),
        "--format",
        "svg",
        "-o",
        svg_path.to_str().unwrap(),
    ]);
    assert!(export.status.success(), "{}", stderr(&export));
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let elements = xml_elements(&svg).unwrap_or_else(|e| panic!("map.svg is not XML: {e}"));
    assert!(!elements.contains("script") && !elements.contains("img"));
    std::fs::remove_file(&svg_path).unwrap();

    // The page: its only script elements are its own, and its data blocks parse as JSON holding the
    // article text unchanged.
    let page = std::fs::read_to_string(out.join("map.html")).unwrap();
    let lower = page.to_ascii_lowercase();
    let opened = lower.matches("<script").count();
    let closed = lower.matches("</script").count();
    assert_eq!(
        opened, closed,
        "an article closed or opened a script element"
    );
    assert!(!page.contains("<img"), "an article's img became markup");
    assert!(!page.contains("alert(1)</script>"));
    let mut found_text = false;
    for block in script_blocks(&page) {
        if !block.0.contains("application/json") {
            continue;
        }
        let json: serde_json::Value = serde_json::from_str(block.1)
            .unwrap_or_else(|e| panic!("embedded JSON does not parse: {e}"));
        found_text |= json
            .to_string()
            .contains(&serde_json::to_string(&nasty_text).unwrap()[1..20]);
    }
    assert!(found_text, "the article text is not in the page's data");
}

/// Every file under `dir`, recursively.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The element names of an XML document, or why it is not well-formed.
fn xml_elements(xml: &str) -> Result<std::collections::BTreeSet<String>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut names = std::collections::BTreeSet::new();
    let mut depth = 0i64;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => {
                depth += 1;
                names.insert(e.local_name().into_inner().to_string());
            }
            Event::Empty(e) => {
                names.insert(e.local_name().into_inner().to_string());
            }
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(format!("{depth} elements left open"));
    }
    Ok(names)
}

/// `(opening tag, content)` of each `<script>` element of a page.
fn script_blocks(page: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<script") {
        let tag_end = start + rest[start..].find('>').unwrap() + 1;
        let close = tag_end + rest[tag_end..].find("</script").unwrap();
        out.push((&rest[start..tag_end], &rest[tag_end..close]));
        rest = &rest[close..];
        rest = &rest[rest.find('>').unwrap() + 1..];
    }
    out
}

/// Peak resident memory of a child, in kB, as the kernel accounts it when the child is reaped. Sampling
/// `/proc` while it runs was tried and misses a short run's last climb, so a one-article baseline could
/// read low on a fast machine.
#[cfg(target_os = "linux")]
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which clippy cannot see"
)]
fn run_measuring_peak(mut cmd: Command) -> (std::process::ExitStatus, u64, String) {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let mut child = cmd.spawn().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    // drained on its own thread so a chatty child cannot block on a full pipe while we wait
    let reader = std::thread::spawn(move || {
        let mut err = String::new();
        stderr_pipe.read_to_string(&mut err).unwrap();
        err
    });
    let pid = child.id() as libc::pid_t;
    let mut raw_status = 0;
    // SAFETY: rusage is plain data the kernel fills in; the pid is our own unreaped child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut raw_status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    let err = reader.join().unwrap();
    // Linux reports ru_maxrss in kilobytes
    let peak = u64::try_from(usage.ru_maxrss).unwrap();
    (std::process::ExitStatus::from_raw(raw_status), peak, err)
}

/// 160 MB of articles in 1,600 files against 40 MB in 400 of the same: the larger run's peak memory may
/// exceed the smaller's by a quarter of the added text at most. Holding the text would add all of it;
/// streaming adds only what the story keeps per document. Compared with a smaller corpus rather than one
/// article because the read-ahead and a worker's working memory are paid once at any size; on one
/// thread because two threads' allocator arenas fragment differently from run to run (peaks ±10 MB
/// apart for the same input), which is noise here, and the chunked streaming is the same code either way.
#[cfg(target_os = "linux")]
#[test]
fn memory_stays_bounded_on_a_large_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let paragraph = "The convoy kept sailing through rough water while the crews watched the weather and the officers logged the hours. ";
    let article: String = std::iter::once("Warships left Qingdao for Busan on Monday. ")
        .chain(std::iter::repeat_n(paragraph, 100_000 / paragraph.len()))
        .collect();
    let peak_for = |files: usize| {
        let input = dir.path().join(format!("corpus-{files}"));
        std::fs::create_dir(&input).unwrap();
        for i in 0..files {
            std::fs::write(input.join(format!("{i:04}.txt")), &article).unwrap();
        }
        let out = dir.path().join(format!("out-{files}"));
        let mut cmd = map_command(&[&input], &out);
        cmd.args(["--date", "2023-07-17", "-j", "1"]);
        let (status, peak_kb, err) = run_measuring_peak(cmd);
        assert!(status.success(), "{err}");
        assert_eq!(read_story(&out.join("story.json")).documents.len(), files);
        peak_kb
    };
    let (small, large) = (400, 1_600);
    let small_kb = peak_for(small);
    let large_kb = peak_for(large);
    let added_kb = (article.len() * (large - small) / 1024) as u64;
    eprintln!("peak resident {small_kb} kB for {small} articles, {large_kb} kB for {large} ({added_kb} kB more text)");
    assert!(
        large_kb < small_kb + added_kb / 4,
        "peak {large_kb} kB for {large} articles against {small_kb} kB for {small}: {added_kb} kB more text \
         grew memory by more than a quarter of it, so the text is held, not streamed"
    );
}
