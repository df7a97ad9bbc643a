//! Readers for the gazetteer's tab-separated tables. Columns are found by their header name, so a table
//! may gain columns without breaking older readers; a bad row is an error naming its line.
//!
//! This file is also compiled into `build.rs`, which writes the shipped tables into the built-in index.

use std::collections::{HashMap, HashSet};

use anyhow::{bail, Context, Result};

use super::fold::fold;
use super::index::{IndexWriter, Record};
use super::rank::{importance, kind_code, layer_code, KIND_NAMES, REGION_TABLE_IMPORTANCE};

/// The gazetteer's tables as text, in the shipped formats.
pub struct Tables<'a> {
    pub places: &'a str,
    pub marine: &'a str,
    pub landmarks: &'a str,
    pub demonyms: &'a str,
    pub not_places: &'a str,
    /// Extra names for entries, by id (`gazetteer/aliases.tsv`).
    pub aliases: &'a str,
    /// Lower-case English words that are also place names, one a line.
    pub common_words: &'a str,
    /// Reference points for countries and divisions, replacing computed ones.
    pub centres: &'a str,
    /// Parts of continents, disputed regions and large islands (`gazetteer/regions.tsv`).
    pub regions: &'a str,
}

/// Write the place tables (places, marine areas, landmarks, regions) into an index, one layer each, with the
/// extra names of the alias table and the reference points of the centres table applied.
pub fn write_place_layers(writer: &mut IndexWriter, t: &Tables) -> Result<()> {
    let mut layers = [
        (
            "GeoNames cities, countries, divisions, continents; searoute ports (gazetteer/data/places.tsv.gz)",
            "GeoNames CC BY 4.0; Natural Earth public domain; searoute Apache-2.0",
            parse_places(t.places)?,
        ),
        (
            "marine areas (gazetteer/marine.tsv)",
            "mentionmap's own table",
            parse_marine(t.marine)?,
        ),
        (
            "landmarks and metonyms (gazetteer/landmarks.tsv)",
            "mentionmap's own table",
            parse_landmarks(t.landmarks)?,
        ),
        (
            "regions and islands (gazetteer/regions.tsv)",
            "mentionmap's own table",
            parse_regions(t.regions)?,
        ),
    ];
    let mut by_id: HashMap<String, (usize, usize)> = HashMap::new();
    for (l, (_, _, records)) in layers.iter().enumerate() {
        for (r, record) in records.iter().enumerate() {
            by_id.entry(record.id.clone()).or_insert((l, r));
        }
    }
    for alias in parse_aliases(t.aliases)? {
        let Some(&(l, r)) = by_id.get(&alias.target) else {
            bail!(
                "aliases.tsv line {}: no gazetteer entry {:?}",
                alias.line,
                alias.target
            );
        };
        layers[l].2[r].names.push(alias.name);
    }
    for (line, id, lat, lon) in parse_centres(t.centres)? {
        let Some(&(l, r)) = by_id.get(&id) else {
            bail!("centres.tsv line {line}: no gazetteer entry {id:?}");
        };
        (layers[l].2[r].lat, layers[l].2[r].lon) = (lat, lon);
    }
    for (name, licence, records) in layers {
        writer.begin_layer(name, licence);
        for record in &records {
            writer.add(record)?;
        }
    }
    Ok(())
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

    fn column(&self, col: &str) -> Option<usize> {
        self.header.iter().position(|h| *h == col)
    }

    fn cell(&self, row: &[&'a str], col: &str) -> &'a str {
        self.column(col)
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

    fn coordinates(&self, line: usize, row: &[&str]) -> Result<(f64, f64)> {
        let (lat, lon) = (
            self.number(line, row, "lat")?,
            self.number(line, row, "lon")?,
        );
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            bail!(
                "{} line {line}: coordinates out of range: lat {lat}, lon {lon}",
                self.name
            );
        }
        Ok((lat, lon))
    }

    fn kind(&self, line: usize, row: &[&str]) -> Result<u8> {
        let cell = self.cell(row, "kind");
        kind_code(cell).with_context(|| format!("{} line {line}: unknown kind {cell:?}", self.name))
    }
}

fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty())
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Names: the main name first, then aliases (the index drops any that fold like an earlier one).
fn name_list(name: &str, aliases: &str) -> Vec<String> {
    std::iter::once(name)
        .chain(split_list(aliases))
        .map(str::to_string)
        .collect()
}

fn layer(tag: &str) -> u8 {
    layer_code(tag).expect("layer tags are listed in rank::LAYER_TAGS")
}

/// `gazetteer/data/places.tsv.gz`: GeoNames cities, countries, divisions, and ports.
pub fn parse_places(text: &str) -> Result<Vec<Record>> {
    let t = Table::parse("places.tsv", text, &["id", "name", "kind", "lat", "lon"])?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let kind = t.kind(*line, row)?;
        let (lat, lon) = t.coordinates(*line, row)?;
        let feature_code = t.cell(row, "feature_code").to_string();
        let population = t.cell(row, "population").parse().unwrap_or(0);
        let id = t.cell(row, "id").to_string();
        let geonameid = t.cell(row, "geonameid").parse().ok();
        let source = match id.split(':').next() {
            Some("port") => "searoute",
            Some("country") if geonameid.is_none() => "natural-earth",
            _ => "geonames",
        };
        out.push(Record {
            names: name_list(t.cell(row, "name"), t.cell(row, "alt_names")),
            id,
            kind,
            layer: layer(source),
            importance: importance(KIND_NAMES[kind as usize], &feature_code, population),
            feature_code,
            lat,
            lon,
            country: non_empty(t.cell(row, "country")),
            admin1: non_empty(t.cell(row, "admin1")),
            population,
            bbox: None,
            near_countries: Vec::new(),
            stands_for: None,
            geonameid,
        });
    }
    Ok(out)
}

/// `gazetteer/marine.tsv`: the project's table of seas, straits, gulfs, bays and oceans.
pub fn parse_marine(text: &str) -> Result<Vec<Record>> {
    let t = Table::parse(
        "marine.tsv",
        text,
        &[
            "id", "name", "kind", "lat", "lon", "west", "south", "east", "north",
        ],
    )?;
    const WATER: [&str; 8] = [
        "sea", "strait", "channel", "gulf", "bay", "sound", "canal", "ocean",
    ];
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let kind_cell = t.cell(row, "kind");
        if !WATER.contains(&kind_cell) {
            bail!("marine.tsv line {line}: not a marine kind: {kind_cell:?}");
        }
        let kind = t.kind(*line, row)?;
        let (lat, lon) = t.coordinates(*line, row)?;
        let bbox = [
            t.number(*line, row, "west")?,
            t.number(*line, row, "south")?,
            t.number(*line, row, "east")?,
            t.number(*line, row, "north")?,
        ];
        out.push(Record {
            id: format!("marine:{}", t.cell(row, "id")),
            names: name_list(t.cell(row, "name"), t.cell(row, "aliases")),
            kind,
            layer: layer("mentionmap"),
            feature_code: String::new(),
            lat,
            lon,
            country: None,
            admin1: None,
            population: 0,
            importance: importance(kind_cell, "", 0),
            bbox: Some(bbox),
            near_countries: split_list(t.cell(row, "countries"))
                .map(str::to_string)
                .collect(),
            stands_for: None,
            geonameid: None,
        });
    }
    Ok(out)
}

/// `gazetteer/landmarks.tsv`: landmarks and government metonyms (the Kremlin, the Pentagon).
pub fn parse_landmarks(text: &str) -> Result<Vec<Record>> {
    let t = Table::parse("landmarks.tsv", text, &["id", "name", "lat", "lon"])?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let (lat, lon) = t.coordinates(*line, row)?;
        out.push(Record {
            id: format!("landmark:{}", t.cell(row, "id")),
            names: name_list(t.cell(row, "name"), t.cell(row, "aliases")),
            kind: kind_code("landmark").expect("landmark is a kind"),
            layer: layer("mentionmap"),
            feature_code: String::new(),
            lat,
            lon,
            country: non_empty(t.cell(row, "country")),
            admin1: None,
            population: 0,
            importance: importance("landmark", "", 0),
            bbox: None,
            near_countries: Vec::new(),
            stands_for: non_empty(t.cell(row, "stands_for")),
            geonameid: None,
        });
    }
    Ok(out)
}

/// `gazetteer/regions.tsv`: parts of continents, disputed regions and large islands.
pub fn parse_regions(text: &str) -> Result<Vec<Record>> {
    let t = Table::parse("regions.tsv", text, &["id", "name", "kind", "lat", "lon"])?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let kind_cell = t.cell(row, "kind");
        if !matches!(kind_cell, "region" | "island") {
            bail!("regions.tsv line {line}: kind must be region or island, not {kind_cell:?}");
        }
        let near_countries: Vec<String> = split_list(t.cell(row, "countries"))
            .map(str::to_string)
            .collect();
        out.push(Record {
            id: format!("region:{}", t.cell(row, "id")),
            names: name_list(t.cell(row, "name"), t.cell(row, "aliases")),
            kind: t.kind(*line, row)?,
            layer: layer("mentionmap"),
            feature_code: "RGN".to_string(),
            lat: t.coordinates(*line, row)?.0,
            lon: t.coordinates(*line, row)?.1,
            country: (near_countries.len() == 1).then(|| near_countries[0].clone()),
            admin1: None,
            population: 0,
            importance: REGION_TABLE_IMPORTANCE,
            bbox: None,
            near_countries,
            stands_for: None,
            geonameid: None,
        });
    }
    Ok(out)
}

/// `gazetteer/demonyms.tsv`: folded demonym -> ISO country code.
pub fn parse_demonyms(text: &str) -> Result<HashMap<String, String>> {
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
pub fn parse_not_places(text: &str) -> Result<HashSet<String>> {
    let t = Table::parse("not_places.tsv", text, &["name"])?;
    Ok(t.rows
        .iter()
        .map(|(_, row)| fold(t.cell(row, "name")))
        .filter(|f| !f.is_empty())
        .collect())
}

/// A row of `gazetteer/aliases.tsv`.
pub struct Alias {
    pub line: usize,
    pub name: String,
    pub target: String,
    /// A postal or AP-style abbreviation ("Ky."), a name only after "City, ".
    pub abbreviation: bool,
}

/// `gazetteer/aliases.tsv`: extra names for entries, by id.
pub fn parse_aliases(text: &str) -> Result<Vec<Alias>> {
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
fn parse_centres(text: &str) -> Result<Vec<(usize, String, f64, f64)>> {
    let t = Table::parse("centres.tsv", text, &["id", "lat", "lon"])?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let (lat, lon) = t.coordinates(*line, row)?;
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
        let err = parse_places("id\tname\tkind\tlat\tlon\ngn:1\tX\ttown\t5\t3\n").unwrap_err();
        assert!(err.to_string().contains("unknown kind"), "{err}");
        let err = parse_regions("id\tname\tkind\tlat\tlon\nx\tX\tcity\t5\t3\n").unwrap_err();
        assert!(err.to_string().contains("region or island"), "{err}");
    }
}
