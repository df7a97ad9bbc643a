//! The bad-input corpus: what analysts feed the tool by accident. Small cases are committed under
//! `tests/fixtures/bad/`; large or special files (a 50 MB line, 20,000 files, deep HTML, a symlink loop, a
//! pipe, files that cannot be opened) are made in a temporary folder at test time.
//!
//! For each: one line naming the file (and the line or byte offset where that helps), the other
//! documents still mapped, exit code 0 when anything was read and 1 when nothing was, and an output
//! folder holding complete files only.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{mentionmap, read_story, repo_path, stderr};

/// The `mentionmap: skipped …` lines of a run.
fn skipped_lines(err: &str) -> Vec<&str> {
    err.lines()
        .filter(|l| l.starts_with("mentionmap: skipped"))
        .collect()
}

/// The output folder holds exactly the map files, each complete, and no temporary file.
fn assert_complete_outputs(out: &Path) {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = mentionmap::export::MAP_FILES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    expected.sort();
    assert_eq!(names, expected, "unexpected files in {}", out.display());
    for name in &names {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        match name.rsplit('.').next() {
            Some("json" | "geojson") => {
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            Some("kml") => assert!(text.trim_end().ends_with("</kml>"), "{name} cut short"),
            Some("html") => assert!(text.trim_end().ends_with("</html>"), "{name} cut short"),
            _ => unreachable!("{name}"),
        }
    }
}

fn run_map(inputs: &[&Path], out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args: Vec<&str> = vec!["map"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    args.extend(["-o", out.to_str().unwrap()]);
    args.extend(extra);
    mentionmap(&args)
}

fn copy_fixtures(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(repo_path("tests/fixtures/bad")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[cfg(unix)]
fn make_fifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether a file with no permissions can still be read here (the tests may run as root).
#[cfg(unix)]
fn permissions_are_bypassed(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).unwrap();
    readable
}

#[cfg(unix)]
#[test]
fn every_bad_input_is_named_and_the_rest_is_mapped() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles");
    copy_fixtures(&input);
    // Deeply nested HTML, with article text before and deep inside the nesting.
    // html5ever checks scope by walking the open elements, so parsing time grows with the square of
    // the depth: 20,000 levels take about a second, 100,000 about twenty.
    let depth = 20_000;
    let deep = format!(
        "<html><body><p>Warships left Manila for Guam on Friday.</p>{}<p>Too deep to matter.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    std::fs::write(input.join("deep.html"), deep).unwrap();
    // A folder that links back to its parent: walked once, never forever.
    std::fs::create_dir(input.join("sub")).unwrap();
    std::fs::write(
        input.join("sub/inner.txt"),
        "A submarine was seen off Hokkaido.",
    )
    .unwrap();
    symlink("..", input.join("sub/loop")).unwrap();
    symlink(&input, input.join("sub/absolute-loop")).unwrap();
    // A link to nothing, a pipe nobody writes to, a file and a folder without permissions.
    symlink("nowhere.txt", input.join("dangling.txt")).unwrap();
    assert!(make_fifo(&input.join("pipe.txt")), "mkfifo failed");
    let locked = input.join("locked.txt");
    std::fs::write(&locked, "Ships left Incheon.").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let privileged = permissions_are_bypassed(dir.path());
    if privileged {
        eprintln!("NOTE: running with permissions bypassed (root); locked.txt is readable here, so only the dangling link and the pipe stand for unreadable files");
    }

    let out = dir.path().join("out");
    let started = Instant::now();
    let run = run_map(&[&input], &out, &[]);
    let took = started.elapsed();
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(took < Duration::from_secs(60), "took {took:?}");

    let skipped = skipped_lines(&err);
    let mut expected = vec![
        ("latin1.txt", "not UTF-8 text (invalid byte at offset 18)"),
        ("nul.txt", "binary file (NUL byte at offset 18)"),
        ("broken-middle.jsonl line 2", "invalid JSON record"),
        ("dangling.txt", "no such file"),
        ("pipe.txt", "not a regular file"),
    ];
    if !privileged {
        expected.push(("locked.txt", "permission denied"));
    }
    for (file, reason) in &expected {
        let hits = skipped
            .iter()
            .filter(|l| l.contains(&*input.join(file).to_string_lossy()) && l.contains(reason))
            .count();
        assert_eq!(
            hits, 1,
            "want one line for {file} saying {reason:?}:\n{err}"
        );
    }
    assert_eq!(skipped.len(), expected.len(), "{err}");
    assert!(
        err.contains(&format!("({} skipped)", expected.len())),
        "{err}"
    );
    // a repeated id is read under a new one, and the user is told which
    let renamed = format!(
        "mentionmap: note: {}: document id \"same\" was taken by an earlier document; this one is \"same-2\"",
        input.join("duplicate-ids.jsonl").display()
    );
    assert!(
        err.lines().any(|l| l == renamed),
        "want {renamed:?} in:\n{err}"
    );

    assert_complete_outputs(&out);
    let story = read_story(&out.join("story.json"));
    let ids: Vec<&str> = story.documents.iter().map(|d| d.id.as_str()).collect();
    let mut want = vec![
        "good",
        "utf16le-bom",
        "utf16be-bom",
        "wire-1",
        "wire-3",
        "same",
        "same-2",
        "rtl-cjk",
        "specials",
        "deep",
        "inner",
        "_.._etc_passwd",
        "_tmp_evil",
    ];
    if privileged {
        want.push("locked");
    }
    let mut got = ids.clone();
    got.sort();
    want.sort();
    // the emoji id keeps its letters; the pictographs become `_`
    let emoji = story
        .documents
        .iter()
        .find(|d| d.path.ends_with("emoji.md"))
        .expect("emoji.md read");
    assert_eq!(emoji.id, "__convoy___");
    got.retain(|id| *id != emoji.id);
    assert_eq!(got, want, "documents read");
    assert!(
        emoji
            .title
            .as_deref()
            .is_some_and(|t| t.starts_with('\u{1F6A2}')),
        "emoji lost from the title"
    );

    // Decoded and mapped: UTF-16 in both byte orders, right-to-left and CJK text beside English.
    let place = |name: &str| story.places.iter().any(|p| p.name == name);
    for name in ["Busan", "Vladivostok", "Yokosuka", "Qingdao", "Manila"] {
        assert!(place(name), "{name} not found");
    }
    let rtl = story.documents.iter().find(|d| d.id == "rtl-cjk").unwrap();
    assert!(rtl.title.as_deref().unwrap().contains("\u{8230}\u{961f}"));
    assert!(rtl
        .title
        .as_deref()
        .unwrap()
        .starts_with("\u{0633}\u{0641}\u{0646}"));
    let mention_in_rtl = story
        .mentions
        .iter()
        .find(|m| &*m.doc == "rtl-cjk" && m.text == "Busan")
        .expect("Busan mentioned in the mixed-script article");
    // offsets count code points, so the Arabic, Hebrew and Han text before it shifts them correctly
    let body = "\u{063a}\u{0627}\u{062f}\u{0631}\u{062a} \u{0627}\u{0644}\u{0633}\u{0641}\u{0646} \u{0627}\u{0644}\u{0645}\u{064a}\u{0646}\u{0627}\u{0621}. \u{05d4}\u{05e1}\u{05e4}\u{05d9}\u{05e0}\u{05d5}\u{05ea} \u{05d9}\u{05e6}\u{05d0}\u{05d5} \u{05de}\u{05d4}\u{05e0}\u{05de}\u{05dc}. \u{4e2d}\u{56fd}\u{8230}\u{961f}\u{5468}\u{65e5}\u{79bb}\u{5f00}\u{9752}\u{5c9b}\u{3002} The ships then left Qingdao for ";
    assert_eq!(mention_in_rtl.start, body.chars().count());
    // The folder reached twice through links was read once.
    assert_eq!(ids.iter().filter(|id| **id == "inner").count(), 1);
    // The deep page kept the paragraph above the nesting.
    assert!(story
        .mentions
        .iter()
        .any(|m| &*m.doc == "deep" && m.text == "Manila"));
}

#[test]
fn nothing_readable_exits_1_and_leaves_the_previous_map_alone() {
    let dir = tempfile::tempdir().unwrap();
    let good = repo_path("tests/fixtures/bad/good.md");
    let out = dir.path().join("out");
    let first = run_map(&[&good], &out, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before: Vec<(PathBuf, Vec<u8>)> = mentionmap::export::MAP_FILES
        .iter()
        .map(|(n, _)| (out.join(n), std::fs::read(out.join(n)).unwrap()))
        .collect();

    let bad = [
        repo_path("tests/fixtures/bad/latin1.txt"),
        repo_path("tests/fixtures/bad/nul.txt"),
        dir.path().join("missing.txt"),
    ];
    let inputs: Vec<&Path> = bad.iter().map(PathBuf::as_path).collect();
    let run = run_map(&inputs, &out, &[]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert_eq!(skipped_lines(&err).len(), 3, "{err}");
    assert!(
        err.contains("no document could be read; nothing written"),
        "{err}"
    );
    for (path, bytes) in &before {
        assert!(
            std::fs::read(path).unwrap() == *bytes,
            "{} changed",
            path.display()
        );
    }
    assert_complete_outputs(&out);

    let fresh = dir.path().join("fresh");
    let run = run_map(&inputs, &fresh, &[]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!fresh.exists(), "an output folder was made for nothing");
}

/// 50 MB without a line break or a full stop: one runaway document, read and mapped in bounded time.
#[test]
fn fifty_megabytes_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("dump.txt");
    let size = 50 * 1024 * 1024;
    let mut text = String::with_capacity(size + 100);
    text.push_str("warships left Qingdao for Busan on Monday ");
    let filler =
        "and the convoy kept sailing through rough water while the crews watched the weather ";
    while text.len() < size {
        text.push_str(filler);
    }
    text.push_str("and reached Vladivostok");
    std::fs::write(&big, &text).unwrap();
    let out = dir.path().join("out");
    let started = Instant::now();
    let run = run_map(&[&big], &out, &["--date", "2023-07-17"]);
    let took = started.elapsed();
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(took < Duration::from_secs(120), "took {took:?}");
    assert_complete_outputs(&out);
    let story = read_story(&out.join("story.json"));
    assert_eq!(story.documents.len(), 1);
    assert_eq!(story.documents[0].chars, text.len());
    let names: Vec<&str> = story.places.iter().map(|p| p.name.as_str()).collect();
    for name in ["Qingdao", "Busan", "Vladivostok"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    eprintln!("50 MB line: {took:?}");
}

#[test]
fn twenty_thousand_tiny_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many");
    let ports = ["Busan", "Qingdao", "Manila", "Yokosuka", "Vladivostok"];
    for i in 0..20_000 {
        let sub = input.join(format!("{:03}", i / 100));
        if i % 100 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(
            sub.join(format!("{i:05}.txt")),
            format!("Ship {i} reached {}.", ports[i % ports.len()]),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let started = Instant::now();
    let run = run_map(&[&input], &out, &["--date", "2023-07-17"]);
    let took = started.elapsed();
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(took < Duration::from_secs(120), "took {took:?}");
    assert_complete_outputs(&out);
    let story = read_story(&out.join("story.json"));
    assert_eq!(story.documents.len(), 20_000);
    // folders are read in sorted order, so document order is the file order
    assert_eq!(story.documents[0].id, "00000");
    assert_eq!(story.documents[19_999].id, "19999");
    let busan = story.places.iter().find(|p| p.name == "Busan").unwrap();
    assert_eq!(busan.mentions, 4_000);
    eprintln!("20,000 files: {took:?}");
}
