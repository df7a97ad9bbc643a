//! The fuzz targets' checks (`fuzz/src/lib.rs`) run as plain tests over the committed seeds
//! (`fuzz/seeds/<target>/`) and every input a fuzz run ever crashed on (`fuzz/regressions/<target>/`),
//! so CI replays them without libFuzzer or a nightly compiler. Long runs: see the README, "Fuzzing".

#[path = "../fuzz/src/lib.rs"]
mod fuzz_checks;

use std::path::Path;

/// Run `check` on every file under `fuzz/seeds/<target>` and `fuzz/regressions/<target>`; returns how
/// many seeds there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut seeds = 0;
    for (kind, dir) in [
        ("seeds", root.join("seeds").join(target)),
        ("regressions", root.join("regressions").join(target)),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).unwrap();
            eprintln!("{target}: {}", path.display());
            check(&data);
            if kind == "seeds" {
                seeds += 1;
            }
        }
    }
    seeds
}

#[test]
fn ingest_seeds_and_regressions() {
    assert!(replay("ingest", fuzz_checks::ingest) >= 10);
}

#[test]
fn time_seeds_and_regressions() {
    assert!(replay("time", fuzz_checks::time) >= 20);
}

#[test]
fn story_seeds_and_regressions() {
    assert!(replay("story", fuzz_checks::story) >= 2);
}

#[test]
fn geonames_seeds_and_regressions() {
    assert!(replay("geonames", fuzz_checks::geonames) >= 2);
}
