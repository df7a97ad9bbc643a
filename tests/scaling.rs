//! Scaling out: `extract` on shards of a corpus and `merge` give, byte for byte, the story of one run
//! over the whole corpus (the README's "Scaling out" example), and the output does not depend on the
//! number of threads.

mod common;

use std::path::Path;

use common::{mentionmap, read_story, repo_path, stderr};
use mentionmap::story::DateSource;

fn run_ok(args: &[&str]) {
    let run = mentionmap(args);
    assert!(run.status.success(), "{args:?}: {}", stderr(&run));
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// Extract each shard into its own story, merge them, and return the merged story's path.
fn extract_shards_and_merge(dir: &Path, shards: &[Vec<String>]) -> std::path::PathBuf {
    let mut stories = Vec::new();
    for (n, shard) in shards.iter().enumerate() {
        let story = dir.join(format!("shard-{n}.json"));
        let mut args = vec!["extract"];
        args.extend(shard.iter().map(String::as_str));
        args.extend(["-o", path_str(&story)]);
        run_ok(&args);
        stories.push(story);
    }
    let merged = dir.join("merged.json");
    let mut args = vec!["merge"];
    args.extend(stories.iter().map(|s| path_str(s)));
    args.extend(["-o", path_str(&merged)]);
    run_ok(&args);
    merged
}

#[test]
fn two_shards_of_the_examples_merge_into_the_single_run_and_its_map_files() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = repo_path("examples/carrier-group");
    let file = |name: &str| path_str(&corpus.join(name)).to_string();
    let merged = extract_shards_and_merge(
        dir.path(),
        &[
            vec![file("01-departure.md"), file("02-miyako.md")],
            vec![file("03-drills.html"), file("04-wires.jsonl")],
        ],
    );
    let single = dir.path().join("single");
    run_ok(&["map", path_str(&corpus), "-o", path_str(&single)]);
    assert!(
        bytes(&merged) == bytes(&single.join("story.json")),
        "merged story differs from the single run's"
    );
    // every map file made from the merged story is the single run's file
    let from_merged = dir.path().join("from-merged");
    mentionmap::export::write_map_files(&read_story(&merged), &from_merged).unwrap();
    for (name, _) in mentionmap::export::MAP_FILES {
        assert!(
            bytes(&from_merged.join(name)) == bytes(&single.join(name)),
            "{name} from the merged story differs from the single run's"
        );
    }
    let story = read_story(&merged);
    assert_eq!(story.documents.len(), 5);
    assert!(story.events.len() > 5 && !story.tracks.is_empty());
    // a shard's story on standard output (for Spark's RDD.pipe) is the file's bytes
    let piped = mentionmap(&[
        "extract",
        &file("01-departure.md"),
        &file("02-miyako.md"),
        "-o",
        "-",
    ]);
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert!(piped.stdout == bytes(&dir.path().join("shard-0.json")));
}

#[test]
fn seeds_sharded_apart_from_the_report_that_dates_them_merge_into_the_single_run() {
    let Some(shared) = common::shared_dir("seeds") else {
        return;
    };
    let mut seeds: Vec<String> = std::fs::read_dir(shared.join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5);
    let dir = tempfile::tempdir().unwrap();
    // 000 and 001 tell of the flotilla setting out "on Sunday" with no date of their own; the
    // reports that date that Sunday are in the other shard
    let shards = [seeds[..2].to_vec(), seeds[2..].to_vec()];
    let merged = extract_shards_and_merge(dir.path(), &shards);
    let alone = read_story(&dir.path().join("shard-0.json"));
    assert!(
        alone
            .documents
            .iter()
            .all(|d| d.date_source == DateSource::None),
        "the first shard alone should leave its documents undated: {:?}",
        alone.documents
    );

    let single = dir.path().join("single.json");
    let mut args = vec!["extract"];
    args.extend(seeds.iter().map(String::as_str));
    args.extend(["-o", path_str(&single)]);
    run_ok(&args);
    assert!(
        bytes(&merged) == bytes(&single),
        "merged story differs from the single run's"
    );
    let story = read_story(&merged);
    let first = &story.documents[0];
    assert_eq!(first.date_source, DateSource::Inferred);
    assert_eq!(first.published.as_deref(), Some("2023-07-16"));
}

#[test]
fn a_document_in_two_shards_gets_the_id_a_single_run_gives_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = path_str(&repo_path("examples/carrier-group/01-departure.md")).to_string();
    let merged = extract_shards_and_merge(dir.path(), &[vec![file.clone()], vec![file.clone()]]);
    let single = dir.path().join("single.json");
    run_ok(&["extract", &file, &file, "-o", path_str(&single)]);
    assert!(bytes(&merged) == bytes(&single));
    let ids: Vec<String> = read_story(&merged)
        .documents
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, ["01-departure", "01-departure-2"]);
}

#[test]
fn merge_refuses_a_filtered_story() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = repo_path("examples/carrier-group");
    let out = dir.path().join("out");
    run_ok(&[
        "map",
        path_str(&corpus),
        "--actor",
        "Chinese",
        "-o",
        path_str(&out),
    ]);
    let merged = dir.path().join("merged.json");
    let run = mentionmap(&[
        "merge",
        path_str(&out.join("story.json")),
        "-o",
        path_str(&merged),
    ]);
    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("no per-document readings"),
        "{}",
        stderr(&run)
    );
    assert!(!merged.exists());
}

#[test]
fn output_is_the_same_whatever_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = repo_path("examples/carrier-group");
    let mut inputs = vec![path_str(&corpus).to_string()];
    if let Some(shared) = common::shared_dir("seeds") {
        inputs.push(path_str(&shared.join("seeds")).to_string());
    }
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let story = dir.path().join(format!("story-{threads}.json"));
        let mut args = vec!["extract", "-j", threads];
        args.extend(inputs.iter().map(String::as_str));
        args.extend(["-o", path_str(&story)]);
        run_ok(&args);
        outputs.push(bytes(&story));
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
    assert!(!outputs[0].is_empty());
}

#[test]
fn inputs_stream_file_by_file_in_the_order_read_inputs_gives() {
    use mentionmap::ingest::{read_inputs, stream_inputs, DateOverrides};
    let corpus = path_str(&repo_path("examples/carrier-group")).to_string();
    let mut dates = DateOverrides::default();
    dates.add("04-corvettes=2024-04-13").unwrap();
    let inputs = [corpus.clone(), corpus];
    let batches: Vec<_> = stream_inputs(&inputs, &dates).collect();
    // a folder's walk, then one batch per file: 4 files a folder, twice
    let sizes: Vec<usize> = batches.iter().map(|b| b.documents.len()).collect();
    assert_eq!(sizes, [0, 1, 1, 1, 2, 0, 1, 1, 1, 2]);
    let streamed: Vec<_> = batches
        .into_iter()
        .flat_map(|b| b.documents)
        .map(|d| (d.meta.id, d.meta.published))
        .collect();
    let whole: Vec<_> = read_inputs(&inputs, &dates)
        .documents
        .into_iter()
        .map(|d| (d.meta.id, d.meta.published))
        .collect();
    assert_eq!(streamed, whole);
    // ids stay unique across batches, and an override by id applies to the document given that id
    assert_eq!(streamed[5].0, "01-departure-2");
    assert_eq!(streamed[3].1.as_deref(), Some("2024-04-13"));
    assert_eq!(streamed[8].1.as_deref(), Some("2024-04-12"));
}

#[test]
fn the_streamed_pipeline_gives_the_story_of_the_whole_corpus_at_once() {
    use mentionmap::ingest::{read_inputs, stream_inputs, DateOverrides};
    use mentionmap::pipeline::{extract_story, extract_streamed, ExtractOptions};
    let mut inputs = vec![path_str(&repo_path("examples/carrier-group")).to_string()];
    if let Some(shared) = common::shared_dir("seeds") {
        inputs.push(path_str(&shared.join("seeds")).to_string());
    }
    let dates = DateOverrides::default();
    let gazetteer = mentionmap::gazetteer::Gazetteer::load_default().unwrap();
    let options = ExtractOptions {
        generated_at: "2023-11-14T22:13:20Z".into(),
    };
    let whole = extract_story(
        &read_inputs(&inputs, &dates).documents,
        &gazetteer,
        &options,
    );
    let streamed = extract_streamed(
        stream_inputs(&inputs, &dates).flat_map(|b| b.documents),
        &gazetteer,
        &options,
        &mentionmap::online::apply::Answers::default(),
    );
    assert_eq!(whole, streamed);
    assert_eq!(whole.readings.len(), whole.documents.len());
    assert!(whole.documents.len() >= 5);
}
