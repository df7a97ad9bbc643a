//! Geoparsing speed, by part: the recognition scan (finding the word runs that name places), candidate
//! ranking (choosing among a name's gazetteer entries in a document's context), and both together as
//! the pipeline runs them, over news-like text made from the example corpus and the time corpus's
//! sentences (tests/fixtures/time/corpus.tsv), repeated to about 1 MB.
//!
//!     cargo bench --bench geoparse
//!
//! Medians are in target/criterion/geoparse/*/new/estimates.json; bench/scale.sh times the whole CLI.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mentionmap::gazetteer::Gazetteer;
use mentionmap::geoparse::resolve::{resolve_names, DocContext, Occurrence};
use mentionmap::geoparse::{geoparse, recognize, PreparedText};

const TARGET_BYTES: usize = 1 << 20;

/// The example articles' bodies and the time corpus's sentences, as paragraphs.
fn news_like_text() -> String {
    let mut pieces: Vec<String> = Vec::new();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/carrier-group");
    let mut paths: Vec<_> = std::fs::read_dir(examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let raw = std::fs::read_to_string(&path).unwrap();
        if path.extension().is_some_and(|e| e == "md") {
            pieces.push(raw.rsplit("\n---\n").next().unwrap().to_string());
        }
    }
    pieces.extend(
        include_str!("../tests/fixtures/time/corpus.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| l.split('\t').nth(1))
            .map(|s| s.replace("[[", "").replace("]]", "")),
    );
    let mut text = String::with_capacity(TARGET_BYTES + 4096);
    while text.len() < TARGET_BYTES {
        for piece in &pieces {
            text.push_str(piece);
            text.push_str("\n\n");
        }
    }
    text
}

fn geoparsing(c: &mut Criterion) {
    let gazetteer = Gazetteer::load_built_in().unwrap();
    let text = news_like_text();
    let mut group = c.benchmark_group("geoparse");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("recognition scan", |b| {
        b.iter(|| {
            let words = recognize::words(black_box(&text));
            recognize::find(&gazetteer, &text, &words).len()
        })
    });
    let prepared = PreparedText::new("bench", &text);
    group.bench_function("geoparse (scan and ranking)", |b| {
        b.iter(|| geoparse(&gazetteer, black_box(&prepared)).0.len())
    });
    group.finish();

    // the distinct names the scan finds, each once, as a document's resolver sees them
    let words = recognize::words(&text);
    let mut names: Vec<String> = recognize::find(&gazetteer, &text, &words)
        .into_iter()
        .filter_map(|f| match f {
            recognize::Found::Toponym { folded, .. } => Some(folded),
            recognize::Found::Demonym { .. } => None,
        })
        .collect();
    names.sort();
    names.dedup();
    let occurrences: Vec<Occurrence> = names
        .iter()
        .map(|n| Occurrence {
            folded: n,
            before: [None, None],
            after: None,
            qualifier: None,
            dateline: false,
        })
        .collect();
    let mut group = c.benchmark_group("ranking");
    group.throughput(Throughput::Elements(occurrences.len() as u64));
    group.bench_function("candidate ranking", |b| {
        b.iter(|| {
            resolve_names(&gazetteer, black_box(&occurrences), DocContext::default())
                .of(0)
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, geoparsing);
criterion_main!(benches);
