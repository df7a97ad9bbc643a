//! Throughput of time normalisation over a few MB of news-like text: the corpus sentences
//! (tests/fixtures/time/corpus.tsv), unmarked and repeated into paragraphs. Every sentence holds a
//! temporal expression, so this is denser — slower per byte — than real news.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mentionmap::geoparse::PreparedText;
use mentionmap::time::{find_time_expressions, parse_date};

const TARGET_BYTES: usize = 4 << 20;

fn news_like_text() -> String {
    let corpus = include_str!("../tests/fixtures/time/corpus.tsv");
    let sentences: Vec<String> = corpus
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.split('\t').nth(1))
        .map(|s| s.replace("[[", "").replace("]]", ""))
        .collect();
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
    let text = news_like_text();
    let anchor = parse_date("2023-07-20");
    let prepared = PreparedText::new("bench", &text);
    let mut group = c.benchmark_group("time");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("normalise", |b| {
        b.iter(|| find_time_expressions(black_box(&prepared), anchor).len())
    });
    group.bench_function("prepare_and_normalise", |b| {
        b.iter(|| {
            let prepared = PreparedText::new("bench", black_box(&text));
            find_time_expressions(&prepared, anchor).len()
        })
    });
    group.finish();
}

criterion_group!(benches, time_throughput);
criterion_main!(benches);
