//! The command line end to end: the README's main command on the example corpus, the two-step
//! extract/export, and what happens with bad input.

mod common;

use common::{mentionmap, read_story, repo_path, stderr};

#[test]
fn map_on_the_example_corpus_writes_every_file_and_finds_the_places() {
    let out = tempfile::tempdir().unwrap();
    let corpus = repo_path("examples/carrier-group");
    let run = mentionmap(&[
        "map",
        corpus.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    for name in mentionmap::export::MAP_FILES.iter().map(|(n, _)| n) {
        let len = std::fs::metadata(out.path().join(name))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(len > 0, "{name} missing or empty");
    }
    let story = read_story(&out.path().join("story.json"));
    assert_eq!(story.documents.len(), 5);
    let qingdao = story
        .places
        .iter()
        .find(|p| p.name == "Qingdao")
        .expect("Qingdao is a place");
    assert!(common::km(qingdao.lat, qingdao.lon, 36.07, 120.38) < 25.0);
    let miyako = story
        .places
        .iter()
        .find(|p| p.id == "marine:miyako_strait")
        .expect("Miyako Strait is a place");
    assert_eq!(miyako.kind, mentionmap::story::PlaceKind::Strait);
    // the html document's date came from its metadata
    let drills = story
        .documents
        .iter()
        .find(|d| d.id == "03-drills")
        .unwrap();
    assert_eq!(drills.published.as_deref(), Some("2024-04-15"));
    assert_eq!(story.generator.generated_at, "2023-11-14T22:13:20Z");
}

#[test]
fn extract_then_export_gives_the_same_story() {
    let dir = tempfile::tempdir().unwrap();
    let story_path = dir.path().join("story.json");
    let corpus = repo_path("examples/carrier-group");
    let run = mentionmap(&[
        "extract",
        corpus.to_str().unwrap(),
        "-o",
        story_path.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let again = dir.path().join("again.json");
    let run = mentionmap(&[
        "export",
        story_path.to_str().unwrap(),
        "--format",
        "story",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let (first, second) = (
        std::fs::read_to_string(&story_path).unwrap(),
        std::fs::read_to_string(&again).unwrap(),
    );
    assert!(
        first == second,
        "export changed the story ({} vs {} bytes)",
        first.len(),
        second.len()
    );
}

#[test]
fn malformed_story_is_reported_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("story.json");
    std::fs::write(&bad, "{\n  \"documents\": [\n    {\"id\": 3,}\n  ]\n}\n").unwrap();
    let run = mentionmap(&[
        "export",
        bad.to_str().unwrap(),
        "--format",
        "story",
        "-o",
        dir.path().join("x.json").to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("story.json: line 3, column"), "{err}");
    assert!(!dir.path().join("x.json").exists());
}

#[test]
fn bad_inputs_each_get_one_line_and_the_rest_is_processed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("good.txt"),
        "Warships left Qingdao for the Sea of Japan.",
    )
    .unwrap();
    std::fs::write(d.join("empty.txt"), "  \n").unwrap();
    std::fs::write(d.join("binary.txt"), b"\x00\x01\x02 not text").unwrap();
    std::fs::write(d.join("latin1.txt"), b"S\xe3o Paulo").unwrap();
    std::fs::create_dir(d.join("nothing-here")).unwrap();
    let out = d.join("out");
    let missing = d.join("missing.txt");
    let run = mentionmap(&[
        "map",
        d.join("good.txt").to_str().unwrap(),
        d.join("empty.txt").to_str().unwrap(),
        d.join("binary.txt").to_str().unwrap(),
        d.join("latin1.txt").to_str().unwrap(),
        d.join("nothing-here").to_str().unwrap(),
        missing.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let err = stderr(&run);
    let skipped: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("mentionmap: skipped"))
        .collect();
    assert_eq!(skipped.len(), 5, "{err}");
    for (file, reason) in [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary file"),
        ("latin1.txt", "not UTF-8"),
        ("nothing-here", "no documents found"),
        ("missing.txt", "no such file"),
    ] {
        assert!(
            skipped
                .iter()
                .any(|l| l.contains(file) && l.contains(reason)),
            "no line for {file}: {err}"
        );
    }
    let story = read_story(&out.join("story.json"));
    assert_eq!(story.documents.len(), 1);
    assert!(story.places.iter().any(|p| p.name == "Qingdao"));
}

#[test]
fn nothing_readable_exits_1_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = mentionmap(&[
        "map",
        dir.path().join("nope.txt").to_str().unwrap(),
        "-o",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        !dir.path().join("out").exists(),
        "nothing should be written"
    );
    assert_eq!(mentionmap(&["map"]).status.code(), Some(2));
    assert_eq!(mentionmap(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        mentionmap(&["map", "x", "--date", "yesterday"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn standard_input_and_date_flag() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .args([
            "extract",
            "-",
            "--date",
            "2023-07-20",
            "-o",
            dir.path().join("s.json").to_str().unwrap(),
        ])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"A Chinese flotilla set out from Qingdao on Sunday.")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let story = read_story(&dir.path().join("s.json"));
    assert_eq!(story.documents[0].published.as_deref(), Some("2023-07-20"));
    let sunday = story.times.iter().find(|t| t.text == "Sunday").unwrap();
    assert_eq!(sunday.value.as_deref(), Some("2023-07-16"));
}
