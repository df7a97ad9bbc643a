//! `mentionmap map INPUT... [-o DIR]` — the main job: read articles, and write the story and every map
//! file into one folder.
//!
//! Writes DIR/story.json, places.geojson, events.geojson, tracks.geojson, map.kml and map.html (DIR is
//! `out/` by default). Each file is written atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{load_gazetteer, InputArgs, EXIT_NOTHING_READ};
use mentionmap::export::filter::Filter;
use mentionmap::{export, pipeline};

/// Read articles and write every map file into one folder.
#[derive(Args)]
pub struct MapArgs {
    #[command(flatten)]
    input: InputArgs,

    /// Folder to write into (created if missing).
    #[arg(short, long, default_value = "out", value_name = "DIR")]
    output: PathBuf,

    #[command(flatten)]
    filter: Filter,
}

pub fn run(args: MapArgs) -> Result<ExitCode> {
    let ingested = args.input.read()?;
    if ingested.documents.is_empty() {
        eprintln!("mentionmap: no document could be read; nothing written");
        return Ok(ExitCode::from(EXIT_NOTHING_READ));
    }
    let gazetteer = load_gazetteer()?;
    let story = pipeline::extract_story(&ingested.documents, &gazetteer, &args.input.options()?);
    let story = super::select(story, &args.filter);
    let written = export::write_map_files(&story, &args.output)?;
    eprintln!(
        "mentionmap: {} documents ({} skipped): {} places, {} events, {} tracks -> {}",
        story.documents.len(),
        ingested.problems.len(),
        story.places.len(),
        story.events.len(),
        story.tracks.len(),
        written
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
