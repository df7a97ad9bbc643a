//! `mentionmap extract INPUT... -o story.json` — the first half of `map`: read articles and write only the
//! story, so an analyst can review or correct it by hand before `mentionmap export`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{load_gazetteer, InputArgs, EXIT_NOTHING_READ};
use mentionmap::export::{self, Format};
use mentionmap::pipeline;

/// Read articles and write the story (places, events, tracks) as JSON.
#[derive(Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    input: InputArgs,

    /// Where to write the story.
    #[arg(short, long, default_value = "out/story.json", value_name = "FILE")]
    output: PathBuf,
}

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let ingested = args.input.read()?;
    if ingested.documents.is_empty() {
        eprintln!("mentionmap: no document could be read; nothing written");
        return Ok(ExitCode::from(EXIT_NOTHING_READ));
    }
    let gazetteer = load_gazetteer()?;
    let story = pipeline::extract_story(&ingested.documents, &gazetteer, &args.input.options()?);
    export::write_file(
        &story,
        export::writer_for(Format::Story).as_ref(),
        &args.output,
    )?;
    eprintln!(
        "mentionmap: {} documents ({} skipped): {} places, {} events, {} tracks -> {}",
        story.documents.len(),
        ingested.problems.len(),
        story.places.len(),
        story.events.len(),
        story.tracks.len(),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
