//! `mentionmap map INPUT... [-o DIR]` — the main job: read articles, and write the story and every map
//! file into one folder.
//!
//! Writes DIR/story.json, places.geojson, events.geojson, tracks.geojson, map.kml and map.html (DIR is
//! `out/` by default). Each file is written atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{InputArgs, EXIT_NOTHING_READ};
use mentionmap::export;
use mentionmap::export::filter::Filter;

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
    let Some((story, skipped)) = args.input.extract()? else {
        return Ok(ExitCode::from(EXIT_NOTHING_READ));
    };
    let story = super::select(story, &args.filter);
    // on the threads the extraction ran on (`-j`): the files are made side by side
    let written = super::in_thread_pool(args.input.threads, || {
        export::write_map_files(&story, &args.output)
    })??;
    super::print_summary(&story, skipped, &written);
    super::leave_to_exit(story);
    Ok(ExitCode::SUCCESS)
}
