//! `mentionmap extract INPUT... -o story.json` — the first half of `map`: read articles and write only the
//! story, so an analyst can review or correct it by hand before `mentionmap export`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{InputArgs, EXIT_NOTHING_READ};
use mentionmap::export::{self, Format};

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
    let Some((story, skipped)) = args.input.extract()? else {
        return Ok(ExitCode::from(EXIT_NOTHING_READ));
    };
    export::write_file(
        &story,
        export::writer_for(Format::Story).as_ref(),
        &args.output,
    )?;
    super::print_summary(&story, skipped, std::slice::from_ref(&args.output));
    Ok(ExitCode::SUCCESS)
}
