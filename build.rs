//! Build script: turns the shipped gazetteer tables (gazetteer/data/places.tsv.gz, marine.tsv,
//! landmarks.tsv) into the binary index that the program embeds, so start-up reads it in place instead of
//! decompressing and parsing 17 MB of text on every run.
//!
//! It compiles the gazetteer's own folding, ranking, table and index code, so the build and the program
//! can never disagree on how a name is folded or an entry is laid out.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

// The index and table modules also hold the reading side, which only the program uses.
#[allow(dead_code)]
#[path = "src/gazetteer/fold.rs"]
mod fold;
#[allow(dead_code)]
#[path = "src/gazetteer/index.rs"]
mod index;
#[allow(dead_code)]
#[path = "src/gazetteer/rank.rs"]
mod rank;
#[allow(dead_code)]
#[path = "src/gazetteer/tables.rs"]
mod tables;

fn main() {
    if let Err(e) = gazetteer_index() {
        panic!("cannot build the gazetteer index: {e:#}");
    }
}

/// Write OUT_DIR/gazetteer.idx from the shipped place tables.
fn gazetteer_index() -> anyhow::Result<()> {
    for path in [
        "build.rs",
        "src/gazetteer/fold.rs",
        "src/gazetteer/index.rs",
        "src/gazetteer/rank.rs",
        "src/gazetteer/tables.rs",
        "gazetteer/data/places.tsv.gz",
        "gazetteer/marine.tsv",
        "gazetteer/landmarks.tsv",
        "gazetteer/aliases.tsv",
        "gazetteer/centres.tsv",
        "gazetteer/regions.tsv",
    ] {
        println!("cargo::rerun-if-changed={path}");
    }
    let mut places = String::new();
    flate2::read::GzDecoder::new(File::open("gazetteer/data/places.tsv.gz")?)
        .read_to_string(&mut places)?;
    let mut writer = index::IndexWriter::in_memory();
    tables::write_place_layers(
        &mut writer,
        &tables::Tables {
            places: &places,
            marine: &read("gazetteer/marine.tsv")?,
            landmarks: &read("gazetteer/landmarks.tsv")?,
            aliases: &read("gazetteer/aliases.tsv")?,
            centres: &read("gazetteer/centres.tsv")?,
            regions: &read("gazetteer/regions.tsv")?,
            // word tables, read by the program itself
            demonyms: "",
            not_places: "",
            common_words: "",
        },
    )?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("gazetteer.idx");
    let mut file = BufWriter::new(File::create(&out)?);
    writer.finish(&mut file)?;
    file.flush()?;
    Ok(())
}

fn read(path: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(Path::new(path)).map_err(|e| anyhow::anyhow!("cannot read {path}: {e}"))
}
