//! Natural Earth *marine outlines*: the real shapes of seas, straits and gulfs, imported from a Natural
//! Earth marine polygons GeoJSON (`ne_10m_geography_marine_polys.json`) and matched by name to the
//! entries of the marine table, so that a sea gets its true outline and bounding box instead of the
//! table's hand-drawn box.
//!
//! The import writes two files into the data folder: the outlines as GeoJSON, read only when an outline
//! is asked for, and a small table of bounding boxes, read at start-up. Each is replaced atomically; the
//! table is written last, so it never names outlines that are not there.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{bail, Context, Result};
use geo::{MultiPolygon, Polygon};

use super::{Gazetteer, LayerInfo};

pub const OUTLINES_FILE: &str = "natural-earth-marine.geojson";
pub const BBOX_FILE: &str = "natural-earth-marine.tsv";
const LICENCE: &str = "Natural Earth, public domain";

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct NaturalEarthImport {
    pub features: usize,
    /// Marine table id and the Natural Earth names matched to it.
    pub matched: Vec<(String, Vec<String>)>,
    /// Natural Earth names no marine table entry has.
    pub unmatched: Vec<String>,
    pub files: Vec<PathBuf>,
}

/// Import Natural Earth marine polygons into `data_dir`, matching them to `gazetteer`'s marine table.
pub fn import_natural_earth(
    source: &Path,
    data_dir: &Path,
    gazetteer: &Gazetteer,
) -> Result<NaturalEarthImport> {
    let text = std::fs::read_to_string(source)
        .with_context(|| format!("cannot read {}", source.display()))?;
    let collection: geojson::FeatureCollection = text
        .parse::<geojson::GeoJson>()
        .with_context(|| format!("{}: not GeoJSON", source.display()))?
        .try_into()
        .with_context(|| format!("{}: not a GeoJSON FeatureCollection", source.display()))?;
    let mut report = NaturalEarthImport {
        features: collection.features.len(),
        ..NaturalEarthImport::default()
    };
    let mut by_id: BTreeMap<String, (Vec<String>, Vec<Polygon<f64>>)> = BTreeMap::new();
    for feature in &collection.features {
        let names: Vec<String> = ["name", "name_en", "namealt"]
            .iter()
            .filter_map(|key| feature.property(key).and_then(|v| v.as_str()))
            .map(expand_abbreviations)
            .filter(|n| !n.trim().is_empty())
            .collect();
        let Some(label) = names.first().cloned() else {
            continue; // unnamed polygons (NE has a few) cannot be matched
        };
        let Some(id) = names.iter().find_map(|n| marine_entry(gazetteer, n)) else {
            report.unmatched.push(label);
            continue;
        };
        let polygons = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(value) => match geo::Geometry::<f64>::try_from(value) {
                Ok(geo::Geometry::Polygon(p)) => vec![p],
                Ok(geo::Geometry::MultiPolygon(m)) => m.0,
                _ => continue,
            },
            None => continue,
        };
        let slot = by_id.entry(id).or_default();
        slot.0.push(label);
        slot.1.extend(polygons);
    }
    if by_id.is_empty() {
        bail!(
            "{}: no polygon matched a marine table entry by name; nothing written",
            source.display()
        );
    }

    let mut features = Vec::new();
    let mut table = format!(
        "# source: {}\n# imported at: {}\nid\twest\tsouth\teast\tnorth\tnatural_earth_names\n",
        source.display(),
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    for (id, (ne_names, polygons)) in by_id {
        let Some(bbox) = bbox_of(&polygons) else {
            continue;
        };
        table.push_str(&format!(
            "{id}\t{}\t{}\t{}\t{}\t{}\n",
            bbox[0],
            bbox[1],
            bbox[2],
            bbox[3],
            ne_names.join("|")
        ));
        let mut properties = serde_json::Map::new();
        properties.insert("id".into(), id.clone().into());
        properties.insert("natural_earth_names".into(), ne_names.clone().into());
        features.push(geojson::Feature {
            bbox: Some(bbox.to_vec()),
            geometry: Some(geojson::Geometry::from(&MultiPolygon(polygons))),
            id: None,
            properties: Some(properties),
            foreign_members: None,
        });
        report.matched.push((id, ne_names));
    }
    let outlines = geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    let (outlines_path, table_path) = (data_dir.join(OUTLINES_FILE), data_dir.join(BBOX_FILE));
    crate::output::write_atomic(&outlines_path, outlines.to_string().as_bytes())?;
    crate::output::write_atomic(&table_path, table.as_bytes())?;
    report.files = vec![outlines_path, table_path];
    Ok(report)
}

/// Natural Earth shortens a few labels ("Bransfield Str.", "Cumberland Sd.").
fn expand_abbreviations(name: &str) -> String {
    name.split_whitespace()
        .map(|word| match word {
            "Str." => "Strait",
            "Sd." => "Sound",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The marine table entry a name means: the best-ranked candidate from the marine table.
fn marine_entry(gazetteer: &Gazetteer, name: &str) -> Option<String> {
    gazetteer
        .candidates(name)
        .into_iter()
        .map(|c| &gazetteer.entry(c.entry).id)
        .find(|id| id.starts_with("marine:"))
        .cloned()
}

/// West, south, east, north of polygons, spanning the shortest run of longitudes that holds them all: a
/// sea across the antimeridian (the Bering Sea) gets west > east, not a box round the world.
fn bbox_of(polygons: &[Polygon<f64>]) -> Option<[f64; 4]> {
    let points = || polygons.iter().flat_map(|p| p.exterior().coords());
    let south = points().map(|c| c.y).min_by(f64::total_cmp)?;
    let north = points().map(|c| c.y).max_by(f64::total_cmp)?;
    let mut lons: Vec<f64> = points().map(|c| c.x).collect();
    lons.sort_by(f64::total_cmp);
    lons.dedup();
    let (first, last) = (*lons.first()?, *lons.last()?);
    // The box leaves out the widest gap between neighbouring longitudes; the gap across the
    // antimeridian runs from the last longitude round to the first.
    let (mut widest, mut west, mut east) = (360.0 - (last - first), first, last);
    for pair in lons.windows(2) {
        if pair[1] - pair[0] > widest {
            (widest, west, east) = (pair[1] - pair[0], pair[1], pair[0]);
        }
    }
    Some([west, south, east, north])
}

/// Imported outlines: bounding boxes at hand, shapes read on first use.
pub struct MarineOutlines {
    bboxes: HashMap<String, [f64; 4]>,
    notes: Vec<(String, String)>,
    table_path: PathBuf,
    outlines_path: PathBuf,
    shapes: OnceLock<Result<HashMap<String, MultiPolygon<f64>>, String>>,
}

impl MarineOutlines {
    /// The outlines imported into `dir`, if any.
    pub fn load(dir: &Path) -> Result<Option<MarineOutlines>> {
        let table_path = dir.join(BBOX_FILE);
        let text = match std::fs::read_to_string(&table_path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", table_path.display()))
            }
        };
        let mut bboxes = HashMap::new();
        let mut notes = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if let Some(note) = line.strip_prefix("# ") {
                if let Some((key, value)) = note.split_once(": ") {
                    notes.push((key.to_string(), value.to_string()));
                }
                continue;
            }
            let cells: Vec<&str> = line.split('\t').collect();
            if cells.first() == Some(&"id") || line.is_empty() {
                continue;
            }
            let values: Option<Vec<f64>> = cells
                .get(1..5)
                .map(|v| v.iter().filter_map(|c| c.parse().ok()).collect());
            match values.and_then(|v| <[f64; 4]>::try_from(v).ok()) {
                Some(bbox) => bboxes.insert(cells[0].to_string(), bbox),
                None => bail!(
                    "{} line {}: expected id and four numbers (import the outlines again)",
                    table_path.display(),
                    i + 1
                ),
            };
        }
        Ok(Some(MarineOutlines {
            bboxes,
            notes,
            outlines_path: dir.join(OUTLINES_FILE),
            table_path,
            shapes: OnceLock::new(),
        }))
    }

    pub fn bbox(&self, id: &str) -> Option<[f64; 4]> {
        self.bboxes.get(id).copied()
    }

    pub fn outline(&self, id: &str) -> Result<Option<&MultiPolygon<f64>>> {
        if !self.bboxes.contains_key(id) {
            return Ok(None);
        }
        match self.shapes.get_or_init(|| read_shapes(&self.outlines_path)) {
            Ok(shapes) => Ok(shapes.get(id)),
            Err(e) => bail!("{e}"),
        }
    }

    pub fn layer_info(&self) -> LayerInfo {
        LayerInfo {
            name: "Natural Earth marine outlines".to_string(),
            entries: self.bboxes.len(),
            licence: LICENCE.to_string(),
            source: self.table_path.display().to_string(),
            notes: self.notes.clone(),
        }
    }
}

fn read_shapes(path: &Path) -> Result<HashMap<String, MultiPolygon<f64>>, String> {
    let problem = |e: &dyn std::fmt::Display| format!("cannot read {}: {e}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| problem(&e))?;
    let collection: geojson::FeatureCollection = text
        .parse::<geojson::GeoJson>()
        .map_err(|e| problem(&e))?
        .try_into()
        .map_err(|e: geojson::Error| problem(&e))?;
    let mut shapes = HashMap::new();
    for feature in collection.features {
        let id = feature
            .property("id")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let shape = feature
            .geometry
            .map(|g| MultiPolygon::<f64>::try_from(g.value));
        if let (Some(id), Some(Ok(shape))) = (id, shape) {
            shapes.insert(id, shape);
        }
    }
    Ok(shapes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn bbox_crossing_the_antimeridian_has_west_greater_than_east() {
        let west_part = polygon![(x: 162.0, y: 52.0), (x: 180.0, y: 52.0), (x: 180.0, y: 66.0), (x: 162.0, y: 60.0)];
        let east_part = polygon![(x: -180.0, y: 52.0), (x: -157.0, y: 58.0), (x: -180.0, y: 65.0)];
        assert_eq!(
            bbox_of(&[west_part.clone(), east_part]),
            Some([162.0, 52.0, -157.0, 66.0])
        );
        assert_eq!(bbox_of(&[west_part]), Some([162.0, 52.0, 180.0, 66.0]));
    }

    #[test]
    fn abbreviated_labels_are_expanded() {
        assert_eq!(expand_abbreviations("Bransfield Str."), "Bransfield Strait");
        assert_eq!(expand_abbreviations("Caribbean  Sea"), "Caribbean Sea");
    }
}
