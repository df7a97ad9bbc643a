//! The optional layers a user adds: a GeoNames dump imported into the data folder (streamed, malformed
//! rows reported, an interrupted import leaving the previous index intact) and Natural Earth sea outlines.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use mentionmap::gazetteer::{self, Gazetteer, Hint};
use mentionmap::story::PlaceKind;

/// One row in GeoNames' 19-column format.
fn row(
    id: u64,
    name: &str,
    alternates: &str,
    lat: f64,
    lon: f64,
    class_code: &str,
    cc: &str,
) -> String {
    let (class, code) = class_code.split_once('.').unwrap();
    format!(
        "{id}\t{name}\t{name}\t{alternates}\t{lat:.5}\t{lon:.5}\t{class}\t{code}\t{cc}\t\t01\t\t\t\t5000\t\t10\tEtc/UTC\t2024-01-01\n"
    )
}

/// A small dump: made-up towns, one known city with a new alias, a stream (not imported) and two
/// malformed rows at known lines.
fn small_dump(dir: &Path) -> PathBuf {
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&row(
            9_000_000 + i,
            &format!("Zorvath Town {i}"),
            "",
            10.0 + i as f64 * 0.01,
            20.0,
            "P.PPL",
            "PH",
        ));
    }
    // line 201: Qingdao again, with an alias the built-in gazetteer does not have
    text.push_str(&row(
        1797929,
        "Qingdao",
        "Kiautschou Harbour Town,TAO",
        36.06488,
        120.38042,
        "P.PPLA2",
        "CN",
    ));
    text.push_str("9100000\tBroken\trow\n"); // line 202
    text.push_str(&row(9_100_001, "Some Creek", "", 1.0, 1.0, "H.STM", "PH")); // line 203
    text.push_str(
        &row(9_100_002, "Bad Latitude", "", 1.0, 1.0, "P.PPL", "PH")
            .replace("1.00000\t1.00000", "north\t1.00000"),
    ); // line 204
    text.push_str(&row(
        9_100_003,
        "Zorvath Bay",
        "",
        10.5,
        20.5,
        "H.BAY",
        "PH",
    )); // line 205
    let path = dir.join("PH.txt");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn import_streams_rows_reports_malformed_ones_and_joins_the_built_in_gazetteer() {
    let data = tempfile::tempdir().unwrap();
    let source = tempfile::tempdir().unwrap();
    let report =
        gazetteer::import_geonames(&small_dump(source.path()), data.path(), &mut |_| {}).unwrap();
    assert_eq!(report.rows, 205);
    assert_eq!(report.imported, 202);
    assert_eq!(report.other_features, 1);
    assert_eq!(report.malformed, 2);
    assert!(
        report.problems[0].starts_with("line 202: expected 19"),
        "{:?}",
        report.problems
    );
    assert!(
        report.problems[1].starts_with("line 204: latitude"),
        "{:?}",
        report.problems
    );

    let g = Gazetteer::load_with_data_dir(Some(data.path())).unwrap();
    assert!(g
        .layers()
        .iter()
        .any(|l| l.name.contains("PH.txt") && l.entries == 202));
    let town = g.entry(g.lookup("zorvath town 7")[0]);
    assert_eq!(town.id, "gn:9000007");
    assert_eq!(town.country.as_deref(), Some("PH"));
    let bay = g.entry(g.lookup("Zorvath Bay")[0]);
    assert_eq!(bay.kind, PlaceKind::Bay);

    // The imported Qingdao stands for the built-in one: found once, by old and new names alike.
    let qingdao = g.lookup("Qingdao");
    let ids: Vec<&str> = qingdao.iter().map(|&i| g.entry(i).id.as_str()).collect();
    assert_eq!(
        ids.iter().filter(|id| **id == "gn:1797929").count(),
        1,
        "{ids:?}"
    );
    assert_eq!(g.entry(qingdao[0]).feature_code, "PPLA2");
    assert_eq!(g.lookup("Kiautschou Harbour Town"), [qingdao[0]]);
    assert_eq!(g.lookup("Tsingtao")[0], qingdao[0]); // a built-in alias leads to the imported entry
    assert_eq!(g.find_id("gn:1797929"), Some(qingdao[0]));
    assert!(g
        .lookup("TAO")
        .iter()
        .all(|&i| g.entry(i).id != "gn:1797929"));
}

#[test]
fn zipped_country_files_are_read_from_the_archive() {
    let data = tempfile::tempdir().unwrap();
    let source = tempfile::tempdir().unwrap();
    let text = std::fs::read(small_dump(source.path())).unwrap();
    let zip_path = source.path().join("PH.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("readme.txt", options).unwrap();
    zip.write_all(b"not data").unwrap();
    zip.start_file("PH.txt", options).unwrap();
    zip.write_all(&text).unwrap();
    zip.finish().unwrap();
    let report = gazetteer::import_geonames(&zip_path, data.path(), &mut |_| {}).unwrap();
    assert_eq!(report.imported, 202);
}

#[test]
fn a_failed_import_leaves_the_previous_index_intact() {
    let data = tempfile::tempdir().unwrap();
    let source = tempfile::tempdir().unwrap();
    gazetteer::import_geonames(&small_dump(source.path()), data.path(), &mut |_| {}).unwrap();
    let index = data.path().join(gazetteer::GEONAMES_INDEX_FILE);
    let before = std::fs::read(&index).unwrap();

    // A zip cut short fails part-way through reading.
    let whole = source.path().join("whole.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&whole).unwrap());
    zip.start_file("XX.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    for i in 0..20_000 {
        zip.write_all(row(i, &format!("Other {i}"), "", 1.0, 1.0, "P.PPL", "XX").as_bytes())
            .unwrap();
    }
    zip.finish().unwrap();
    let bytes = std::fs::read(&whole).unwrap();
    let cut = source.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(gazetteer::import_geonames(&cut, data.path(), &mut |_| {}).is_err());
    // A file with no usable rows replaces nothing either.
    let junk = source.path().join("junk.txt");
    std::fs::write(&junk, "not\ta\tgeonames\tfile\n").unwrap();
    let err = gazetteer::import_geonames(&junk, data.path(), &mut |_| {}).unwrap_err();
    assert!(
        err.to_string().contains("previous index is unchanged"),
        "{err}"
    );

    assert_eq!(std::fs::read(&index).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(data.path()).unwrap().count(),
        1,
        "temporary files left"
    );
}

#[test]
fn killing_an_import_leaves_the_previous_index_intact() {
    let data = tempfile::tempdir().unwrap();
    let source = tempfile::tempdir().unwrap();
    gazetteer::import_geonames(&small_dump(source.path()), data.path(), &mut |_| {}).unwrap();
    let index = data.path().join(gazetteer::GEONAMES_INDEX_FILE);
    let before = std::fs::read(&index).unwrap();

    let big = source.path().join("big.txt");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
    for i in 0..400_000u64 {
        let name = format!("Killtest Place {i}");
        out.write_all(row(i + 1, &name, "", 1.0, 1.0, "P.PPL", "XX").as_bytes())
            .unwrap();
    }
    out.flush().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .args(["gazetteer", "import", "geonames"])
        .arg(&big)
        .env(gazetteer::DATA_DIR_ENV, data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The import announces itself before it reads the first row; kill it as soon as it has.
    let mut first_line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    assert!(first_line.contains("importing"), "{first_line}");
    std::thread::sleep(Duration::from_millis(50));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import finished before it could be interrupted; make the file bigger"
    );
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(std::fs::read(&index).unwrap(), before);
    let g = Gazetteer::load_with_data_dir(Some(data.path())).unwrap();
    assert!(!g.lookup("Zorvath Town 3").is_empty());
    assert!(g.lookup("Killtest Place 3").is_empty());
}

#[test]
fn cli_lookup_takes_hints_and_prints_json() {
    let data = tempfile::tempdir().unwrap(); // empty: only the built-in gazetteer
    let output = Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .args(["lookup", "Victoria", "--country", "ca", "--json"])
        .env(gazetteer::DATA_DIR_ENV, data.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &rows[0];
    assert_eq!(first["country"], "CA");
    assert_eq!(first["kind"], "city");
    assert_eq!(first["feature_code"], "PPL");
    assert!(first["importance"].as_f64().unwrap() > 0.0);
    assert!(rows.as_array().unwrap().len() > 3);

    let output = Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .args(["lookup", "Shanghai", "--kind", "port"])
        .env(gazetteer::DATA_DIR_ENV, data.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("port:CNSHA"), "{text}");

    let output = Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .args(["gazetteer", "info"])
        .env(gazetteer::DATA_DIR_ENV, data.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("GeoNames CC BY 4.0"), "{text}");
    assert!(text.contains("marine areas"), "{text}");
}

#[test]
fn natural_earth_outlines_give_seas_their_real_box() {
    let data = tempfile::tempdir().unwrap();
    let source = tempfile::tempdir().unwrap();
    // A made-up outline for the Yellow Sea, and a polygon whose name no table entry has.
    let geojson = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"Yellow  Sea","namealt":null},
       "geometry":{"type":"Polygon","coordinates":[[[119.5,34.0],[126.5,34.0],[125.0,39.5],[119.5,39.0],[119.5,34.0]]]}},
      {"type":"Feature","properties":{"name":"Nowhere Lagoon"},
       "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#;
    let path = source.path().join("marine.json");
    std::fs::write(&path, geojson).unwrap();
    let built_in = Gazetteer::load_built_in().unwrap();
    let report = gazetteer::import_natural_earth(&path, data.path(), &built_in).unwrap();
    assert_eq!(report.matched.len(), 1);
    assert_eq!(report.unmatched, ["Nowhere Lagoon"]);

    let g = Gazetteer::load_with_data_dir(Some(data.path())).unwrap();
    let hint = Hint {
        country: None,
        kind: Some(PlaceKind::Sea),
    };
    let sea = g.lookup_with_hint("Yellow Sea", &hint)[0].entry;
    assert_eq!(g.entry(sea).bbox, Some([119.5, 34.0, 126.5, 39.5]));
    let outline = g.outline(sea).unwrap().expect("an outline");
    assert_eq!(outline.0.len(), 1);
    let other = g.lookup_with_hint("East China Sea", &hint)[0].entry;
    assert!(g.outline(other).unwrap().is_none());
}

#[test]
fn natural_earth_marine_polygons_match_the_marine_table() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/natural-earth/ne_10m_geography_marine_polys.json");
    if !file.exists() {
        println!("skipped: {} is absent", file.display());
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let built_in = Gazetteer::load_built_in().unwrap();
    let report = gazetteer::import_natural_earth(&file, data.path(), &built_in).unwrap();
    assert!(
        report.matched.len() >= 100,
        "{} matched",
        report.matched.len()
    );
    let g = Gazetteer::load_with_data_dir(Some(data.path())).unwrap();
    let bering = g.entry(
        g.find_id("marine:bering_sea")
            .expect("Bering Sea in the marine table"),
    );
    let [west, south, east, north] = bering.bbox.unwrap();
    assert!(
        west > 150.0 && east < -150.0,
        "crosses the antimeridian: {:?}",
        bering.bbox
    );
    assert!(south > 45.0 && north < 70.0, "{:?}", bering.bbox);
    let south_china_sea = g.find_id("marine:south_china_sea").unwrap();
    let outline = g.outline(south_china_sea).unwrap().expect("outline");
    use geo::Contains;
    assert!(outline.contains(&geo::point!(x: 114.0, y: 12.0)));
    assert!(!outline.contains(&geo::point!(x: 105.0, y: 12.0))); // inland Cambodia
}
