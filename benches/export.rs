//! Exporter speed: every format written from one story, the story of the example corpus read 100
//! times over (500 documents, ids and dates varied so that events and tracks are many), into memory.
//!
//!     cargo bench --bench export
//!
//! Medians are in target/criterion/export/*/new/estimates.json.

use std::hint::black_box;

use clap::ValueEnum;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mentionmap::export::{writer_for, Format};
use mentionmap::gazetteer::Gazetteer;
use mentionmap::ingest::{read_inputs, DateOverrides, SourceDoc};
use mentionmap::pipeline::{extract_story, ExtractOptions};
use mentionmap::story::Story;

const COPIES: usize = 100;

fn story() -> Story {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/carrier-group").to_string();
    let ingested = read_inputs(&[corpus], &DateOverrides::default());
    let mut documents: Vec<SourceDoc> = Vec::new();
    for copy in 0..COPIES {
        for doc in &ingested.documents {
            let mut doc = doc.clone();
            doc.meta.id = format!("{}-{copy}", doc.meta.id);
            // a week apart, so that the copies tell later voyages rather than one
            let published = mentionmap::time::parse_date(doc.meta.published.as_deref().unwrap())
                .unwrap()
                + chrono::Duration::weeks(copy as i64);
            doc.meta.published = Some(published.format("%Y-%m-%d").to_string());
            documents.push(doc);
        }
    }
    let options = ExtractOptions {
        generated_at: "2023-11-14T22:13:20Z".into(),
    };
    extract_story(&documents, &Gazetteer::load_built_in().unwrap(), &options)
}

fn exporters(c: &mut Criterion) {
    let story = story();
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.throughput(Throughput::Elements(story.documents.len() as u64));
    for format in Format::value_variants() {
        let name = format.to_possible_value().unwrap().get_name().to_string();
        let writer = writer_for(*format);
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut out = Vec::new();
                writer.write(black_box(&story), &mut out).unwrap();
                out.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, exporters);
criterion_main!(benches);
