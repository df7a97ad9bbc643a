//! Importing the *GeoNames dump* — `allCountries.zip`, a country file (`CN.zip`, `CN.txt`) or
//! `cities500.txt`, in GeoNames' documented tab-separated format of 19 columns — into an index in the
//! user's data folder, which the gazetteer then loads next to the built-in one.
//!
//! The rows stream through a spilling [`IndexWriter`], so memory stays bounded whatever the file size.
//! The new index is written to a temporary file and renamed into place only when complete: an import
//! that fails or is interrupted leaves the previous index as it was. Malformed rows are counted, reported
//! with their line numbers and skipped.
//!
//! Countries and divisions get the ids the built-in gazetteer uses (`country:CN`, `admin1:CN.25`,
//! `admin2:CN.25.3702`), everything else `gn:<geonameid>`, so an imported row stands for the built-in entry
//! of the same place instead of doubling it.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::index::{IndexWriter, Record};
use super::rank::{bulk_feature_importance, kind_code, layer_code};
use super::GEONAMES_INDEX_FILE;

/// How many malformed rows are reported one by one; the rest are only counted.
const PROBLEMS_KEPT: usize = 50;
/// GeoNames keeps Han and Cyrillic names of every place; only big places keep them here, as the built-in
/// gazetteer does, because for small ones they add far more false matches than finds.
const NON_LATIN_MIN_POPULATION: u64 = 1_000_000;
const COLUMNS: usize = 19;

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct GeonamesImport {
    /// The index written.
    pub index: PathBuf,
    /// Non-empty lines read.
    pub rows: u64,
    /// Rows that became entries.
    pub imported: u64,
    /// Rows of feature classes the gazetteer does not use (streams, hotels, farms, ...).
    pub other_features: u64,
    /// Rows repeating a country or division already imported.
    pub duplicates: u64,
    pub malformed: u64,
    /// The first malformed rows, as `line N: reason`.
    pub problems: Vec<String>,
}

/// Import a GeoNames file into `data_dir`, replacing any earlier import. `progress` hears the number of
/// rows read, every million rows.
pub fn import_geonames(
    source: &Path,
    data_dir: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<GeonamesImport> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create folder {}", data_dir.display()))?;
    let spill_dir = data_dir.to_path_buf();
    let mut writer = IndexWriter::spilling(Box::new(move || tempfile::tempfile_in(&spill_dir)))?;
    let file_name = source.file_name().map_or_else(
        || source.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    writer.begin_layer(
        &format!("GeoNames dump, imported from {file_name}"),
        "GeoNames CC BY 4.0",
    );
    let mut report = GeonamesImport {
        index: data_dir.join(GEONAMES_INDEX_FILE),
        ..GeonamesImport::default()
    };
    read_source(source, &mut |rows| {
        read_rows(rows, &mut writer, &mut report, progress)
    })?;
    if report.imported == 0 {
        bail!(
            "{}: no place rows found ({} rows read, {} malformed); the previous index is unchanged",
            source.display(),
            report.rows,
            report.malformed
        );
    }
    writer.note("source", &source.display().to_string());
    writer.note(
        "imported at",
        &chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    );
    writer.note(
        "rows",
        &format!(
            "{} read, {} imported, {} of other feature classes, {} duplicate, {} malformed",
            report.rows,
            report.imported,
            report.other_features,
            report.duplicates,
            report.malformed
        ),
    );
    crate::output::write_atomic_with(&report.index, |out| writer.finish(out))?;
    Ok(report)
}

/// Hand the GeoNames text inside `source` (a .txt file, or the data file of a .zip) to `read`.
fn read_source(source: &Path, read: &mut dyn FnMut(&mut dyn BufRead) -> Result<()>) -> Result<()> {
    let open = || File::open(source).with_context(|| format!("cannot open {}", source.display()));
    let mut magic = [0u8; 4];
    let is_zip = open()?.read_exact(&mut magic).is_ok() && &magic == b"PK\x03\x04";
    if !is_zip {
        return read(&mut BufReader::with_capacity(1 << 20, open()?));
    }
    let mut archive = zip::ZipArchive::new(BufReader::new(open()?))
        .with_context(|| format!("{}: not a readable zip archive", source.display()))?;
    // allCountries.zip holds allCountries.txt; a country zip holds CN.txt next to readme.txt.
    let mut best: Option<(usize, u64)> = None;
    for i in 0..archive.len() {
        let entry = archive.by_index(i)?;
        let name = entry.name()?.to_ascii_lowercase();
        let is_data = name.ends_with(".txt") && !name.ends_with("readme.txt");
        if is_data && best.is_none_or(|(_, size)| entry.size() > size) {
            best = Some((i, entry.size()));
        }
    }
    let Some((i, _)) = best else {
        bail!("{}: the zip holds no GeoNames .txt file", source.display());
    };
    let mut rows = BufReader::with_capacity(1 << 20, archive.by_index(i)?);
    let result = read(&mut rows).with_context(|| format!("while reading {}", source.display()));
    result
}

fn read_rows(
    rows: &mut dyn BufRead,
    writer: &mut IndexWriter,
    report: &mut GeonamesImport,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    let mut line = Vec::new();
    let mut line_number = 0u64;
    // Derived ids (countries, divisions) can repeat; gn: ids cannot, so only these are remembered.
    let mut derived_ids: HashSet<String> = HashSet::new();
    loop {
        line.clear();
        if rows.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        line_number += 1;
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        if line.is_empty() {
            continue;
        }
        report.rows += 1;
        if report.rows % 1_000_000 == 0 {
            progress(report.rows);
        }
        match parse_row(&line) {
            Ok(Some(record)) => {
                if !record.id.starts_with("gn:") && !derived_ids.insert(record.id.clone()) {
                    report.duplicates += 1;
                    continue;
                }
                writer.add(&record)?;
                report.imported += 1;
            }
            Ok(None) => report.other_features += 1,
            Err(reason) => {
                report.malformed += 1;
                if report.problems.len() < PROBLEMS_KEPT {
                    report
                        .problems
                        .push(format!("line {line_number}: {reason}"));
                }
            }
        }
    }
    Ok(())
}

/// One row as a record; `None` for a feature class the gazetteer does not use.
fn parse_row(line: &[u8]) -> Result<Option<Record>, String> {
    let line = std::str::from_utf8(line).map_err(|_| "not valid UTF-8".to_string())?;
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != COLUMNS {
        return Err(format!(
            "expected {COLUMNS} tab-separated columns, found {}",
            cols.len()
        ));
    }
    let geonameid: u64 = cols[0]
        .parse()
        .map_err(|_| format!("geonameid is not a number: {:?}", cols[0]))?;
    let name = cols[1].trim();
    if name.is_empty() {
        return Err("empty name".to_string());
    }
    let coordinate = |col: usize, what: &str, limit: f64| -> Result<f64, String> {
        cols[col]
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() <= limit)
            .ok_or_else(|| format!("{what} is not a number within ±{limit}: {:?}", cols[col]))
    };
    let lat = coordinate(4, "latitude", 90.0)?;
    let lon = coordinate(5, "longitude", 180.0)?;
    let population: u64 = match cols[14] {
        "" => 0,
        p => p
            .parse()
            .map_err(|_| format!("population is not a whole number: {p:?}"))?,
    };
    let country = cols[8];
    if !(country.is_empty()
        || country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Err(format!(
            "country code is not two capital letters: {country:?}"
        ));
    }
    let (class, code) = (cols[6], cols[7]);
    let Some(kind) = kind_of(class, code) else {
        return Ok(None);
    };
    let (admin1, admin2) = (cols[10], cols[11]);
    let id = match (kind, country, admin1, admin2) {
        ("country", cc, _, _) if !cc.is_empty() => format!("country:{cc}"),
        ("admin1", cc, a1, _) if !cc.is_empty() && !a1.is_empty() => format!("admin1:{cc}.{a1}"),
        ("admin2", cc, a1, a2) if !cc.is_empty() && !a1.is_empty() && !a2.is_empty() => {
            format!("admin2:{cc}.{a1}.{a2}")
        }
        _ => format!("gn:{geonameid}"),
    };
    let alternates = cols[3]
        .split(',')
        .map(str::trim)
        .filter(|n| keep_alternate(n, population));
    Ok(Some(Record {
        id,
        // the index drops names that fold like an earlier one ('qingdao' after 'Qingdao')
        names: std::iter::once(name)
            .chain(std::iter::once(cols[2].trim()))
            .chain(alternates)
            .map(str::to_string)
            .collect(),
        kind: kind_code(kind).expect("kind_of returns story kinds"),
        layer: layer_code("geonames").expect("geonames is a layer tag"),
        feature_code: code.to_string(),
        lat,
        lon,
        country: (!country.is_empty()).then(|| country.to_string()),
        admin1: (!admin1.is_empty()).then(|| admin1.to_string()),
        population,
        importance: bulk_feature_importance(kind, code, population),
        bbox: None,
        near_countries: Vec::new(),
        stands_for: None,
        geonameid: Some(geonameid),
    }))
}

/// The story kind of a GeoNames feature, for the classes a news geoparser needs: countries, first- and
/// second-level divisions, populated places (not historical ones), marine features, ports and naval
/// bases, islands, named regions and continents.
fn kind_of(class: &str, code: &str) -> Option<&'static str> {
    Some(match (class, code) {
        ("A", "PCLI" | "PCLD" | "PCLF" | "PCLS" | "PCLIX" | "PCL") => "country",
        ("A", "ADM1") => "admin1",
        ("A", "ADM2") => "admin2",
        ("P", "PPLH" | "PPLQ" | "PPLW" | "PPLCH") => return None,
        ("P", _) => "city",
        ("H", "OCN") => "ocean",
        ("H", "SEA") => "sea",
        ("H", "STRT") => "strait",
        ("H", "CHN" | "CHNM" | "CHNN") => "channel",
        ("H", "GULF") => "gulf",
        ("H", "BAY" | "BAYS" | "BGHT" | "FJD") => "bay",
        ("H", "SD") => "sound",
        ("H", "CNLN") => "canal",
        ("H", "HBR" | "ANCH") | ("L", "PRT") | ("S", "NVB") => "port",
        ("T", "ISL" | "ISLS" | "ISLET" | "ATOL") => "island",
        ("L", "RGN" | "RGNE" | "CONT") | ("T", "PEN") => "region",
        _ => return None,
    })
}

#[derive(PartialEq)]
enum Script {
    Latin,
    Han,
    Cyrillic,
}

/// The same rules as `gazetteer/build.py` uses for the built-in names: Latin-script names with a
/// capital (all-lower-case ones are GeoNames' transliterations, 'bkyn' for Beijing), Han and Cyrillic
/// names of big places, and no codes.
fn keep_alternate(name: &str, population: u64) -> bool {
    if name.is_empty() || is_code(name) {
        return false;
    }
    match script_of(name) {
        Some(Script::Latin) => name.chars().any(char::is_uppercase),
        Some(Script::Han | Script::Cyrillic) => population >= NON_LATIN_MIN_POPULATION,
        None => false,
    }
}

/// Identifiers rather than names: no letters, three capitals (airport codes), or digits without a
/// lower-case letter ('R-12').
fn is_code(name: &str) -> bool {
    if !name.chars().any(char::is_alphabetic) {
        return true;
    }
    if name.len() == 3 && name.bytes().all(|b| b.is_ascii_uppercase()) {
        return true;
    }
    name.chars().any(|c| c.is_ascii_digit()) && !name.chars().any(char::is_lowercase)
}

/// The one script of a name's letters, or `None` for another script or a mix.
fn script_of(name: &str) -> Option<Script> {
    let mut found = None;
    for c in name.chars().filter(|c| c.is_alphabetic()) {
        let script = match c as u32 {
            // modifier letters (the okina, primes) are shared punctuation, not a script
            0x02B0..=0x02FF => continue,
            0x41..=0x5A | 0x61..=0x7A | 0xAA | 0xBA | 0xC0..=0x024F | 0x0250..=0x02AF => {
                Script::Latin
            }
            0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xFF21..=0xFF5A => Script::Latin,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => Script::Han,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
                Script::Cyrillic
            }
            _ => return None,
        };
        match &found {
            None => found = Some(script),
            Some(previous) if *previous != script => return None,
            Some(_) => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const QINGDAO: &str = "1797929\tQingdao\tQingdao\tTAO,Tsingtao,Tsingtau,qingdao,青岛,Циндао,Ciŋtau\t36.06488\t120.38042\tP\tPPLA2\tCN\t\t25\t3702\t\t\t3718835\t\t29\tAsia/Shanghai\t2022-01-01";

    #[test]
    fn rows_become_records_with_filtered_alternate_names() {
        let record = parse_row(QINGDAO.as_bytes()).unwrap().unwrap();
        assert_eq!(record.id, "gn:1797929");
        // TAO is an airport code, 'qingdao' a lower-case transliteration; Han and Cyrillic are kept
        // for a big city; the repeated ASCII name is left for the index to drop
        assert_eq!(
            record.names,
            [
                "Qingdao",
                "Qingdao",
                "Tsingtao",
                "Tsingtau",
                "青岛",
                "Циндао",
                "Ciŋtau"
            ]
        );
        assert_eq!(record.feature_code, "PPLA2");
        assert_eq!(record.admin1.as_deref(), Some("25"));
        assert_eq!(record.population, 3_718_835);
        assert_eq!(record.geonameid, Some(1797929));
    }

    #[test]
    fn divisions_and_countries_get_the_built_in_ids() {
        let shandong = "1796328\tShandong\tShandong\tShantung\t36\t118\tA\tADM1\tCN\t\t25\t\t\t\t96370000\t\t\t\t";
        let china =
            "1814991\tChina\tChina\tPRC\t35\t105\tA\tPCLI\tCN\t\t00\t\t\t\t1411778724\t\t\t\t";
        assert_eq!(
            parse_row(shandong.as_bytes()).unwrap().unwrap().id,
            "admin1:CN.25"
        );
        assert_eq!(
            parse_row(china.as_bytes()).unwrap().unwrap().id,
            "country:CN"
        );
        let stream = "1\tSome Creek\tSome Creek\t\t1\t1\tH\tSTM\tUS\t\t\t\t\t\t0\t\t\t\t";
        assert!(parse_row(stream.as_bytes()).unwrap().is_none());
    }

    #[test]
    fn malformed_rows_say_what_is_wrong() {
        let short = "1\tA\tA";
        assert!(parse_row(short.as_bytes()).unwrap_err().contains("found 3"));
        let bad_lat = QINGDAO.replace("36.06488", "north");
        assert!(parse_row(bad_lat.as_bytes())
            .unwrap_err()
            .contains("latitude"));
        let bad_id = QINGDAO.replace("1797929", "x1");
        assert!(parse_row(bad_id.as_bytes())
            .unwrap_err()
            .contains("geonameid"));
        assert!(parse_row(b"1\t\xff").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn scripts_and_codes() {
        assert!(keep_alternate("Peking", 0));
        assert!(!keep_alternate("bkyn", 20_000_000));
        assert!(!keep_alternate("PEK", 20_000_000));
        assert!(!keep_alternate("北京", 5_000));
        assert!(keep_alternate("北京", 20_000_000));
        assert!(!keep_alternate("Пекин Beijing", 20_000_000));
        assert!(!keep_alternate("بكين", 20_000_000));
        assert!(keep_alternate("Hawaiʻi", 0));
    }
}
