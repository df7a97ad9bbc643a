//! Routing speed: building the sea-lane graph from the embedded network, and routing 1,000 legs between
//! ports of the shipped gazetteer (pairs drawn by a fixed generator, so every run routes the same legs).
//!
//! Budget: under 30 ms to build the graph, under 1 s for the 1,000 legs.
//! Run with `cargo bench --bench route`; criterion keeps the median in
//! `target/criterion/route/*/new/estimates.json`.

use std::hint::black_box;
use std::io::Read;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use flate2::read::GzDecoder;
use mentionmap::tracks::route::{network, SeaNetwork};

const PLACES_GZ: &[u8] = include_bytes!("../gazetteer/data/places.tsv.gz");
const LEGS: usize = 1_000;

/// Every port's `(lon, lat)`, in file order.
fn ports() -> Vec<(f64, f64)> {
    let mut text = String::new();
    GzDecoder::new(PLACES_GZ)
        .read_to_string(&mut text)
        .expect("places.tsv.gz unpacks");
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols.get(2) == Some(&"port"))
                .then(|| (cols[5].parse().unwrap(), cols[4].parse().unwrap()))
        })
        .collect()
}

/// `LEGS` pairs of distinct ports, drawn with a fixed-seed xorshift generator.
fn port_pairs(ports: &[(f64, f64)]) -> Vec<((f64, f64), (f64, f64))> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut draw = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % ports.len() as u64) as usize
    };
    let mut pairs = Vec::with_capacity(LEGS);
    while pairs.len() < LEGS {
        let (a, b) = (draw(), draw());
        if a != b {
            pairs.push((ports[a], ports[b]));
        }
    }
    pairs
}

fn bench_routing(c: &mut Criterion) {
    let pairs = port_pairs(&ports());
    let routed = pairs
        .iter()
        .filter(|(a, b)| network().route(*a, *b).routed)
        .count();
    println!("{routed} of {LEGS} legs routed over the network");

    let mut group = c.benchmark_group("route");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("build graph from embedded marnet", |b| {
        b.iter(|| black_box(SeaNetwork::shipped()))
    });
    // The first route also picks the A* landmarks (one full Dijkstra per landmark).
    group.bench_function("build graph, then route one leg", |b| {
        b.iter(|| black_box(SeaNetwork::shipped().route(pairs[0].0, pairs[0].1)))
    });
    group.bench_function("route 1000 port-to-port legs", |b| {
        b.iter(|| {
            for &(from, to) in &pairs {
                black_box(network().route(from, to));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_routing);
criterion_main!(benches);
