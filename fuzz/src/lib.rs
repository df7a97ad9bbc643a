//! What each fuzz target does with one input: feed it to a reader and check what comes out. The same
//! functions replay the committed seeds and every crash ever found as plain tests
//! (`tests/fuzz_replay.rs`), so the regressions run with `cargo test` and need no libFuzzer.
//!
//! A check fails by panicking, which libFuzzer reports as a crash.

use std::path::Path;

use mentionmap::export::{self, Format};
use mentionmap::geoparse::PreparedText;

/// File names the ingest target chooses between with its input's first byte; the last has no ending,
/// so the format is sniffed from the content.
const INGEST_NAMES: &[&str] = &["a.txt", "a.md", "a.html", "a.jsonl", "a.json", "noending"];

/// Ingest: text, Markdown with front matter, HTML, JSON Lines, JSON, or sniffed. Nothing may panic; every
/// document read has text, its true length and a unique id that cannot steer a path; every problem
/// names the file.
pub fn ingest(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = INGEST_NAMES[pick as usize % INGEST_NAMES.len()];
    let ingested = mentionmap::ingest::read_file_bytes(name, bytes.to_vec());
    let mut ids = std::collections::HashSet::new();
    for doc in &ingested.documents {
        assert!(!doc.text.trim().is_empty(), "document without text");
        assert_eq!(doc.meta.chars, doc.text.chars().count());
        let id = &doc.meta.id;
        assert!(
            !id.is_empty() && !id.contains(['/', '\\']) && !id.starts_with('.'),
            "id {id:?} could steer a path"
        );
        assert!(ids.insert(id.clone()), "id {id:?} twice");
    }
    for problem in &ingested.problems {
        assert!(
            problem.location.starts_with(name),
            "problem does not name the file: {problem}"
        );
    }
}

/// The temporal normaliser on any text, with or without an anchor date. Every expression found must
/// point at its own words in the text.
pub fn time(data: &[u8]) {
    let Some((&anchor, bytes)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    // Anchors spread over 2023 and early 2024, or none at all.
    let anchor = (anchor != 0).then(|| {
        chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
            + chrono::Days::new(u64::from(anchor) * 2)
    });
    let prepared = PreparedText::new("fuzz", &text);
    let times = mentionmap::time::find_time_expressions(&prepared, anchor);
    let chars: Vec<char> = text.chars().collect();
    for t in &times {
        assert!(
            t.start <= t.end && t.end <= chars.len(),
            "span {}..{} outside {} chars",
            t.start,
            t.end,
            chars.len()
        );
        let words: String = chars[t.start..t.end].iter().collect();
        assert_eq!(words, t.text, "span does not hold the expression's text");
    }
    mentionmap::time::infer_publication_date(&times);
    mentionmap::time::dateline(&text);
}

/// The `story.json` reader, and every format written from whatever story it accepts (a hand-edited
/// story can say anything). The PNG is left out: it is the SVG rasterised, and slow.
pub fn story(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(story) = export::read_story(text, "story.json") else {
        return;
    };
    for format in [
        Format::Story,
        Format::Geojson,
        Format::Geojsonseq,
        Format::Kml,
        Format::Kmz,
        Format::Html,
        Format::Svg,
    ] {
        let mut out = Vec::new();
        export::writer_for(format)
            .write(&story, &mut out)
            .unwrap_or_else(|e| panic!("{format:?} fails on a story the reader accepted: {e:#}"));
    }
    let mut again = Vec::new();
    export::writer_for(Format::Story)
        .write(&story, &mut again)
        .unwrap();
    let back = export::read_story(std::str::from_utf8(&again).unwrap(), "again")
        .expect("a written story reads back");
    let mut written_back = Vec::new();
    export::writer_for(Format::Story)
        .write(&back, &mut written_back)
        .unwrap();
    assert!(
        written_back == again,
        "the story changed on its way through story.json"
    );
}

/// The GeoNames importer on any file (text or zip): it may refuse the file but must not panic, and an
/// import that succeeds leaves an index the gazetteer loads.
pub fn geonames(data: &[u8]) {
    let dir = scratch_dir();
    let source = dir.path().join("cities.txt");
    std::fs::write(&source, data).unwrap();
    let data_dir = dir.path().join("data");
    let imported = mentionmap::gazetteer::import_geonames(&source, &data_dir, &mut |_| {});
    if let Ok(report) = imported {
        assert!(report.imported > 0);
        assert!(report.imported + report.malformed <= report.rows);
        mentionmap::gazetteer::Gazetteer::load_with_data_dir(Some(&data_dir))
            .expect("the gazetteer loads what the importer wrote");
    }
}

/// In memory where the machine has /dev/shm: the importer syncs its index to disk, slow on a real disk.
fn scratch_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}
