//! Build step: packs the sea-lane network (`gazetteer/data/marnet.geojson`) into a compact binary that
//! the router (src/tracks/route.rs) embeds. Parsing 0.7 MB of GeoJSON at every start would cost
//! about 10 ms; reading the packed lines costs well under one.
//!
//! Format, little-endian, one record per line (a MultiLineString gives several): the passage tag's
//! length in bytes (u8) and the tag (empty for none), the number of positions (u32), then each
//! position as longitude and latitude in units of 1e-5 degree (i32 each). The file's positions have
//! 5 decimals, so nothing is lost.

use std::path::PathBuf;

const NETWORK: &str = "gazetteer/data/marnet.geojson";

fn main() {
    println!("cargo:rerun-if-changed={NETWORK}");
    println!("cargo:rerun-if-changed=build.rs");
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
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("marnet.bin");
    std::fs::write(out, packed).expect("OUT_DIR is writable");
}
