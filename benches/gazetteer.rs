//! Gazetteer speed: names looked up per second through the built-in index, against a baseline of the
//! former design (every folded name in a `HashMap<String, Vec<EntryId>>` built at start-up), and the cost
//! of opening the built-in gazetteer.
//!
//!     cargo bench --bench gazetteer
//!
//! Medians are in target/criterion/*/*/new/estimates.json; bench/lookup.sh runs this and prints them.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mentionmap::gazetteer::{fold, EntryId, Gazetteer, NameKey};

/// Names as they appear in text: every 20th entry's main name (original case and diacritics), plus as
/// many names no place has, since a scanner asks about far more word runs than it finds.
fn sample_names(g: &Gazetteer) -> Vec<String> {
    let mut names: Vec<String> = (0..g.len())
        .step_by(20)
        .map(|i| g.entry(i as EntryId).name.clone())
        .collect();
    let misses: Vec<String> = names.iter().map(|n| format!("{n} Xq")).collect();
    names.extend(misses);
    names
}

fn lookups(c: &mut Criterion) {
    let g = Gazetteer::load_built_in().unwrap();
    let names = sample_names(&g);
    let baseline: HashMap<String, Vec<EntryId>> = g
        .built_in_names()
        .into_iter()
        .map(|name| {
            let ids = g.lookup_folded(&name);
            (name, ids)
        })
        .collect();

    let mut group = c.benchmark_group("lookup");
    group.throughput(Throughput::Elements(names.len() as u64));
    group.bench_function("built-in index", |b| {
        b.iter(|| {
            names
                .iter()
                .map(|n| g.lookup(black_box(n)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("hash map baseline", |b| {
        b.iter(|| {
            names
                .iter()
                .map(|n| {
                    baseline
                        .get(&fold(black_box(n)))
                        .cloned()
                        .unwrap_or_default()
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("name_key", |b| {
        b.iter(|| {
            names
                .iter()
                .filter(|n| g.name_key(&fold(black_box(n))) != NameKey::Unknown)
                .count()
        })
    });
    group.finish();

    c.bench_function("open built-in gazetteer", |b| {
        b.iter(|| Gazetteer::load_built_in().unwrap().len())
    });
}

criterion_group!(benches, lookups);
criterion_main!(benches);
