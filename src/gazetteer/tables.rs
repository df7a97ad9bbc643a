//! Readers for the gazetteer's tab-separated tables. Columns are found by their header name, so a table
//! may gain columns without breaking older readers; a bad row is an error naming its line.

use std::collections::HashMap;
use std::io::Read;

use anyhow::{bail, Context, Result};

use super::{fold, importance, Entry};
use crate::story::PlaceKind;

pub(super) fn gunzip(bytes: &[u8]) -> Result<String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .context("cannot decompress the places table")?;
    Ok(text)
}

/// A table's rows as maps from column name to cell.
struct Table<'a> {
    name: &'static str,
    header: Vec<&'a str>,
    rows: Vec<(usize, Vec<&'a str>)>,
}

impl<'a> Table<'a> {
    fn parse(name: &'static str, text: &'a str, required: &[&str]) -> Result<Table<'a>> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let Some((_, header)) = lines.next() else {
            bail!("{name}: empty table")
        };
        let header: Vec<&str> = header.split('\t').map(str::trim).collect();
        for col in required {
            if !header.contains(col) {
                bail!("{name}: missing column {col:?}");
            }
        }
        let rows = lines
            .map(|(i, l)| (i + 1, l.split('\t').collect()))
            .collect();
        Ok(Table { name, header, rows })
    }

    fn cell<'r>(&self, row: &'r [&'a str], col: &str) -> &'a str {
        self.header
            .iter()
            .position(|h| *h == col)
            .and_then(|i| row.get(i))
            .map_or("", |s| s.trim())
    }

    fn number(&self, line: usize, row: &[&str], col: &str) -> Result<f64> {
        let cell = self.cell(row, col);
        cell.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .with_context(|| {
                format!(
                    "{} line {line}: column {col}: not a number: {cell:?}",
                    self.name
                )
            })
    }
}

fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty())
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Names: the main name first, then aliases, without repeats of the same folded form.
fn name_list(name: &str, aliases: &str) -> Vec<String> {
    let mut names = vec![name.to_string()];
    let mut seen = vec![fold(name)];
    for alias in split_list(aliases) {
        let f = fold(alias);
        if !seen.contains(&f) {
            seen.push(f);
            names.push(alias.to_string());
        }
    }
    names
}

fn check_coordinates(table: &str, line: usize, lat: f64, lon: f64) -> Result<()> {
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        bail!("{table} line {line}: coordinates out of range: lat {lat}, lon {lon}");
    }
    Ok(())
}

/// `gazetteer/data/places.tsv.gz`: GeoNames cities, countries, divisions, and ports.
pub(super) fn parse_places(text: &str) -> Result<Vec<Entry>> {
    let t = Table::parse("places.tsv", text, &["id", "name", "kind", "lat", "lon"])?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let kind_cell = t.cell(row, "kind");
        let kind = PlaceKind::parse(kind_cell)
            .with_context(|| format!("places.tsv line {line}: unknown kind {kind_cell:?}"))?;
        let (lat, lon) = (t.number(*line, row, "lat")?, t.number(*line, row, "lon")?);
        check_coordinates("places.tsv", *line, lat, lon)?;
        let feature_code = t.cell(row, "feature_code").to_string();
        let population = t.cell(row, "population").parse().unwrap_or(0);
        let id = t.cell(row, "id").to_string();
        let geonameid = t.cell(row, "geonameid").parse().ok();
        let layer = match id.split(':').next() {
            Some("port") => "searoute",
            Some("country") if geonameid.is_none() => "natural-earth",
            _ => "geonames",
        };
        out.push(Entry {
            names: name_list(t.cell(row, "name"), t.cell(row, "alt_names")),
            name: t.cell(row, "name").to_string(),
            id,
            kind,
            importance: importance(kind, &feature_code, population),
            feature_code,
            lat,
            lon,
            country: non_empty(t.cell(row, "country")),
            admin1: non_empty(t.cell(row, "admin1")),
            population,
            bbox: None,
            near_countries: Vec::new(),
            stands_for: None,
            layer,
            geonameid,
        });
    }
    Ok(out)
}

/// `gazetteer/marine.tsv`: the project's table of seas, straits, gulfs, bays and oceans.
pub(super) fn parse_marine(text: &str) -> Result<Vec<Entry>> {
    let t = Table::parse(
        "marine.tsv",
        text,
        &[
            "id", "name", "kind", "lat", "lon", "west", "south", "east", "north",
        ],
    )?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let kind_cell = t.cell(row, "kind");
        let kind = PlaceKind::parse(kind_cell)
            .filter(|k| k.is_water())
            .with_context(|| format!("marine.tsv line {line}: not a marine kind: {kind_cell:?}"))?;
        let (lat, lon) = (t.number(*line, row, "lat")?, t.number(*line, row, "lon")?);
        check_coordinates("marine.tsv", *line, lat, lon)?;
        let bbox = [
            t.number(*line, row, "west")?,
            t.number(*line, row, "south")?,
            t.number(*line, row, "east")?,
            t.number(*line, row, "north")?,
        ];
        out.push(Entry {
            id: format!("marine:{}", t.cell(row, "id")),
            name: t.cell(row, "name").to_string(),
            names: name_list(t.cell(row, "name"), t.cell(row, "aliases")),
            kind,
            feature_code: String::new(),
            lat,
            lon,
            country: None,
            admin1: None,
            population: 0,
            bbox: Some(bbox),
            near_countries: split_list(t.cell(row, "countries"))
                .map(str::to_string)
                .collect(),
            stands_for: None,
            layer: "mentionmap",
            geonameid: None,
            importance: importance(kind, "", 0),
        });
    }
    Ok(out)
}

/// `gazetteer/landmarks.tsv`: landmarks and government metonyms (the Kremlin, the Pentagon).
pub(super) fn parse_landmarks(text: &str) -> Result<Vec<Entry>> {
    let t = Table::parse("landmarks.tsv", text, &["id", "name", "lat", "lon"])?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let (lat, lon) = (t.number(*line, row, "lat")?, t.number(*line, row, "lon")?);
        check_coordinates("landmarks.tsv", *line, lat, lon)?;
        out.push(Entry {
            id: format!("landmark:{}", t.cell(row, "id")),
            name: t.cell(row, "name").to_string(),
            names: name_list(t.cell(row, "name"), t.cell(row, "aliases")),
            kind: PlaceKind::Landmark,
            feature_code: String::new(),
            lat,
            lon,
            country: non_empty(t.cell(row, "country")),
            admin1: None,
            population: 0,
            bbox: None,
            near_countries: Vec::new(),
            stands_for: non_empty(t.cell(row, "stands_for")),
            layer: "mentionmap",
            geonameid: None,
            importance: importance(PlaceKind::Landmark, "", 0),
        });
    }
    Ok(out)
}

/// `gazetteer/regions.tsv`: parts of continents, disputed regions and large islands.
pub(super) fn parse_regions(text: &str) -> Result<Vec<Entry>> {
    let t = Table::parse("regions.tsv", text, &["id", "name", "kind", "lat", "lon"])?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let kind_cell = t.cell(row, "kind");
        let kind = PlaceKind::parse(kind_cell)
            .filter(|k| matches!(k, PlaceKind::Region | PlaceKind::Island))
            .with_context(|| {
                format!("regions.tsv line {line}: kind must be region or island, not {kind_cell:?}")
            })?;
        let (lat, lon) = (t.number(*line, row, "lat")?, t.number(*line, row, "lon")?);
        check_coordinates("regions.tsv", *line, lat, lon)?;
        let near_countries: Vec<String> = split_list(t.cell(row, "countries"))
            .map(str::to_string)
            .collect();
        out.push(Entry {
            id: format!("region:{}", t.cell(row, "id")),
            name: t.cell(row, "name").to_string(),
            names: name_list(t.cell(row, "name"), t.cell(row, "aliases")),
            kind,
            // a region named by news is the region, not a town called after it
            feature_code: "RGN".to_string(),
            lat,
            lon,
            country: (near_countries.len() == 1).then(|| near_countries[0].clone()),
            admin1: None,
            population: 0,
            bbox: None,
            near_countries,
            stands_for: None,
            layer: "mentionmap",
            geonameid: None,
            importance: 0.8,
        });
    }
    Ok(out)
}

/// `gazetteer/demonyms.tsv`: folded demonym -> ISO country code.
pub(super) fn parse_demonyms(text: &str) -> Result<HashMap<String, String>> {
    let t = Table::parse("demonyms.tsv", text, &["word", "country"])?;
    let mut out = HashMap::new();
    for (line, row) in &t.rows {
        let (word, country) = (t.cell(row, "word"), t.cell(row, "country"));
        if word.is_empty() || country.len() != 2 {
            bail!("demonyms.tsv line {line}: expected a word and a two-letter country code");
        }
        out.insert(fold(word), country.to_string());
    }
    Ok(out)
}

/// `gazetteer/not_places.tsv`: folded names that block place matches they overlap.
pub(super) fn parse_not_places(text: &str) -> Result<std::collections::HashSet<String>> {
    let t = Table::parse("not_places.tsv", text, &["name"])?;
    Ok(t.rows
        .iter()
        .map(|(_, row)| fold(t.cell(row, "name")))
        .filter(|f| !f.is_empty())
        .collect())
}

/// A row of `gazetteer/aliases.tsv`.
pub(super) struct Alias {
    pub line: usize,
    pub name: String,
    pub target: String,
    pub abbreviation: bool,
}

/// `gazetteer/aliases.tsv`: extra names for entries, by id.
pub(super) fn parse_aliases(text: &str) -> Result<Vec<Alias>> {
    let t = Table::parse("aliases.tsv", text, &["alias", "target"])?;
    let mut out = Vec::new();
    for (line, row) in &t.rows {
        let kind = t.cell(row, "kind");
        if !matches!(kind, "" | "alias" | "abbreviation") {
            bail!("aliases.tsv line {line}: kind must be alias or abbreviation, not {kind:?}");
        }
        out.push(Alias {
            line: *line,
            name: t.cell(row, "alias").to_string(),
            target: t.cell(row, "target").to_string(),
            abbreviation: kind == "abbreviation",
        });
    }
    Ok(out)
}

/// `gazetteer/centres.tsv`: (line, id, lat, lon) reference points.
pub(super) fn parse_centres(text: &str) -> Result<Vec<(usize, String, f64, f64)>> {
    let t = Table::parse("centres.tsv", text, &["id", "lat", "lon"])?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let (lat, lon) = (t.number(*line, row, "lat")?, t.number(*line, row, "lon")?);
        check_coordinates("centres.tsv", *line, lat, lon)?;
        out.push((*line, t.cell(row, "id").to_string(), lat, lon));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_rows_name_their_line() {
        let err = parse_places("id\tname\tkind\tlat\tlon\ngn:1\tX\tcity\tnorth\t3\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        let err = parse_marine(
            "id\tname\tkind\tlat\tlon\twest\tsouth\teast\tnorth\nx\tX\tcity\t1\t1\t0\t0\t2\t2\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("not a marine kind"), "{err}");
        let err = parse_places("id\tname\tkind\tlat\tlon\ngn:1\tX\tcity\t95\t3\n").unwrap_err();
        assert!(err.to_string().contains("out of range"), "{err}");
    }
}
