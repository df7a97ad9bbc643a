//! Throughput of time normalisation over a few MB of news-like text made from the corpus sentences
//! (tests/fixtures/time/corpus.tsv), unmarked and repeated into paragraphs.
//!
//! `dense` is the corpus alone: every sentence holds an expression (about 20,000 per MiB), a worst
//! case. `news` puts four sentences without dates after each corpus sentence, which gives about as
//! many expressions per MiB as wire articles have (some 4,000).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mentionmap::geoparse::PreparedText;
use mentionmap::time::{find_time_expressions, parse_date};

const TARGET_BYTES: usize = 4 << 20;

/// Sentences of news prose without temporal expressions, written for this benchmark.
const UNDATED: &[&str] = &[
    "The ministry gave no details of the ships taking part or of the areas to be closed to shipping.",
    "Analysts said the exercise was meant as a signal to Washington and its allies in the region.",
    "The frigate carries an anti-submarine helicopter and a battery of surface-to-air missiles.",
    "Fishermen in the coastal villages complained that the closures cost them their income.",
    "A spokesman for the coast guard declined to comment on the number of vessels involved.",
    "The strait is one of the busiest shipping lanes in the world, carrying a fifth of global trade.",
    "Relief agencies warned that clean water and medicine were running short in the worst-hit towns.",
    "The two governments have long disputed the boundary between their economic zones.",
    "Satellite images showed at least four warships anchored outside the naval base.",
    "Diplomats from both sides described the meeting as frank and constructive.",
    "Insurers have raised premiums for vessels crossing the area, according to shipping brokers.",
];

fn corpus_sentences() -> Vec<String> {
    include_str!("../tests/fixtures/time/corpus.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.split('\t').nth(1))
        .map(|s| s.replace("[[", "").replace("]]", ""))
        .collect()
}

/// Paragraphs of five sentences, each corpus sentence followed by `undated_per_dated` undated ones.
fn news_like_text(undated_per_dated: usize) -> String {
    let corpus = corpus_sentences();
    let mut sentences = Vec::new();
    for (i, s) in corpus.iter().enumerate() {
        sentences.push(s.as_str());
        for k in 0..undated_per_dated {
            sentences.push(UNDATED[(i * undated_per_dated + k) % UNDATED.len()]);
        }
    }
    let mut text = String::with_capacity(TARGET_BYTES + 1024);
    'fill: loop {
        for paragraph in sentences.chunks(5) {
            for s in paragraph {
                text.push_str(s);
                text.push(' ');
            }
            text.push_str("\n\n");
            if text.len() >= TARGET_BYTES {
                break 'fill;
            }
        }
    }
    text
}

fn time_throughput(c: &mut Criterion) {
    let anchor = parse_date("2023-07-20");
    let mut group = c.benchmark_group("time");
    group.sample_size(10);
    for (name, undated) in [("dense", 0), ("news", 4)] {
        let text = news_like_text(undated);
        let prepared = PreparedText::new("bench", &text);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("normalise_{name}"), |b| {
            b.iter(|| find_time_expressions(black_box(&prepared), anchor).len())
        });
        group.bench_function(format!("prepare_and_normalise_{name}"), |b| {
            b.iter(|| {
                let prepared = PreparedText::new("bench", black_box(&text));
                find_time_expressions(&prepared, anchor).len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, time_throughput);
criterion_main!(benches);
