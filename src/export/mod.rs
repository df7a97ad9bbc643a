//! Exporters: each output format is a [`Writer`] in its own module, reading the [`Story`] and writing
//! bytes. A new format is a new file plus one line in [`writer_for`].
//!
//! `mentionmap map` writes the standard set of files ([`MAP_FILES`]) into one folder, each atomically.

mod html;
mod map_style;
mod png;
mod story_json;
mod svg;

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
            Format::Html => "map.html",
            Format::Svg => "map.svg",
            Format::Png => "map.png",
        }
    }
}

pub fn writer_for(format: Format) -> Box<dyn Writer> {
    match format {
        Format::Story => Box::new(story_json::StoryJson),
        Format::Html => Box::new(html::MapPage),
        Format::Svg => Box::new(svg::MapSvg),
        Format::Png => Box::new(png::MapPng),
    }
}

/// The files `mentionmap map` writes, each with the writer that makes it.
pub const MAP_FILES: &[(&str, Format)] =
    &[("story.json", Format::Story), ("map.html", Format::Html)];

/// Write one format to a file, atomically.
pub fn write_file(story: &Story, writer: &dyn Writer, path: &Path) -> Result<()> {
    write_atomic_with(path, |out| writer.write(story, out))
}

/// Write the standard set of map files into `dir`; returns the paths written.
pub fn write_map_files(story: &Story, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, format) in MAP_FILES {
        let path = dir.join(name);
        write_file(story, writer_for(*format).as_ref(), &path)?;
        written.push(path);
    }
    Ok(written)
}
