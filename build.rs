//! Build steps: pack the sea-lane network for the router, and index the gazetteer tables.

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
// The sea graph is built here from the program's own code (see src/tracks/graph.rs).
#[path = "src/tracks/bends.rs"]
mod bends;
#[allow(dead_code)]
#[path = "src/geo_util.rs"]
mod geo_util;
#[allow(dead_code)]
#[path = "src/tracks/graph.rs"]
mod graph;
#[path = "src/tracks/graph_build.rs"]
mod graph_build;

fn main() {
    sea_lanes();
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

const NETWORK: &str = "gazetteer/data/marnet.geojson";

/// Write OUT_DIR/marnet.bin (the sea-lane network's lines) and OUT_DIR/seagraph.bin (the graph the
/// router searches, built from them).
fn sea_lanes() {
    for path in [
        NETWORK,
        "build.rs",
        "src/tracks/bends.rs",
        "src/tracks/graph.rs",
        "src/tracks/graph_build.rs",
        "src/geo_util.rs",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    let text = std::fs::read_to_string(NETWORK).expect("marnet.geojson is readable");
    let json: serde_json::Value = serde_json::from_str(&text).expect("marnet.geojson is JSON");
    let mut packed = Vec::new();
    for feature in json["features"].as_array().expect("a FeatureCollection") {
        let passage = feature["properties"]["passage"].as_str().unwrap_or("");
        let geometry = &feature["geometry"];
        let lines = match geometry["type"].as_str() {
            Some("LineString") => vec![&geometry["coordinates"]],
            Some("MultiLineString") => geometry["coordinates"]
                .as_array()
                .expect("MultiLineString coordinates")
                .iter()
                .collect(),
            other => panic!("{NETWORK}: unexpected geometry {other:?}"),
        };
        for line in lines {
            let positions = line.as_array().expect("line coordinates");
            packed.push(u8::try_from(passage.len()).expect("short passage tag"));
            packed.extend(passage.as_bytes());
            packed.extend((positions.len() as u32).to_le_bytes());
            for position in positions {
                for axis in 0..2 {
                    let degrees = position[axis].as_f64().expect("numeric coordinate");
                    packed.extend(((degrees * 1e5).round() as i32).to_le_bytes());
                }
            }
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let graph = graph_build::from_lines(&graph_build::unpack_lines(&packed));
    std::fs::write(out.join("seagraph.bin"), graph_build::pack(&graph))
        .expect("OUT_DIR is writable");
    std::fs::write(out.join("marnet.bin"), packed).expect("OUT_DIR is writable");
}
