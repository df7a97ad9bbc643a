//! Exporters: each output format is a [`Writer`] in its own module, reading the [`Story`] and writing
//! bytes. A new format is a new file plus one line in [`writer_for`].
//!
//! `mentionmap map` writes the standard set of files ([`MAP_FILES`]) into one folder, each atomically.

mod antimeridian;
mod features;
pub mod filter;
mod geojson;
mod geojsonseq;
mod html;
mod kml;
mod kmz;
mod map_style;
mod png;
mod story_json;
mod svg;
mod track_time;
mod xml;

pub use story_json::read_story;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::output::write_atomic_with;
use crate::story::Story;

/// One output format.
pub trait Writer {
    /// Write the whole story in this format.
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()>;
}

/// The formats `export --format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The story itself, `story.json`.
    Story,
    /// GeoJSON, every layer in one FeatureCollection.
    Geojson,
    /// GeoJSON of the places alone.
    PlacesGeojson,
    /// GeoJSON of the events alone.
    EventsGeojson,
    /// GeoJSON of the track legs alone.
    TracksGeojson,
    /// GeoJSON text sequence (RFC 8142), streamed, for large corpora.
    Geojsonseq,
    /// KML 2.2 for Google Earth.
    Kml,
    /// KML zipped.
    Kmz,
    /// The interactive map page, one self-contained `map.html`.
    Html,
    /// A static picture of the map, `map.svg`.
    Svg,
    /// The same picture as `map.png`.
    Png,
}

impl Format {
    /// File name used when no output path is given.
    pub fn default_file_name(self) -> &'static str {
        match self {
            Format::Story => "story.json",
            Format::Geojson => "map.geojson",
            Format::PlacesGeojson => "places.geojson",
            Format::EventsGeojson => "events.geojson",
            Format::TracksGeojson => "tracks.geojson",
            Format::Geojsonseq => "map.geojsons",
            Format::Kml => "map.kml",
            Format::Kmz => "map.kmz",
            Format::Html => "map.html",
            Format::Svg => "map.svg",
            Format::Png => "map.png",
        }
    }
}

pub fn writer_for(format: Format) -> Box<dyn Writer> {
    match format {
        Format::Story => Box::new(story_json::StoryJson),
        Format::Geojson => Box::new(geojson::GeoJson {
            layers: features::Layer::ALL,
        }),
        Format::PlacesGeojson => Box::new(geojson::GeoJson {
            layers: &[features::Layer::Places],
        }),
        Format::EventsGeojson => Box::new(geojson::GeoJson {
            layers: &[features::Layer::Events],
        }),
        Format::TracksGeojson => Box::new(geojson::GeoJson {
            layers: &[features::Layer::Tracks],
        }),
        Format::Geojsonseq => Box::new(geojsonseq::GeoJsonSeq),
        Format::Kml => Box::new(kml::Kml),
        Format::Kmz => Box::new(kmz::Kmz),
        Format::Html => Box::new(html::MapPage),
        Format::Svg => Box::new(svg::MapSvg),
        Format::Png => Box::new(png::MapPng),
    }
}

/// The files `mentionmap map` writes, each with the writer that makes it.
pub const MAP_FILES: &[(&str, Format)] = &[
    ("story.json", Format::Story),
    ("places.geojson", Format::PlacesGeojson),
    ("events.geojson", Format::EventsGeojson),
    ("tracks.geojson", Format::TracksGeojson),
    ("map.kml", Format::Kml),
    ("map.html", Format::Html),
];

/// Write one format to a file, atomically.
pub fn write_file(story: &Story, writer: &dyn Writer, path: &Path) -> Result<()> {
    write_atomic_with(path, |out| writer.write(story, out))
}

/// Write the standard set of map files into `dir`, side by side on the cores; returns the paths
/// written.
pub fn write_map_files(story: &Story, dir: &Path) -> Result<Vec<PathBuf>> {
    use rayon::prelude::*;
    MAP_FILES
        .par_iter()
        .map(|(name, format)| {
            let path = dir.join(name);
            write_file(story, writer_for(*format).as_ref(), &path)?;
            Ok(path)
        })
        .collect()
}
