//! `mentionmap export story.json --format FORMAT [-o PATH]` — the second half of `map`: write one format
//! from a story, which may have been corrected by hand.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use mentionmap::export::filter::Filter;
use mentionmap::export::{self, Format};

/// Write one output format from a story.json.
#[derive(Args)]
pub struct ExportArgs {
    /// The story to export, as written by `mentionmap extract` (or `-` for standard input).
    #[arg(value_name = "STORY")]
    story: PathBuf,

    /// Output format.
    #[arg(short, long, value_enum)]
    format: Format,

    /// Where to write; defaults to the format's usual name in `out/`.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,

    #[command(flatten)]
    filter: Filter,
}

pub fn run(args: ExportArgs) -> Result<ExitCode> {
    let origin = args.story.display().to_string();
    let text = if origin == "-" {
        std::io::read_to_string(std::io::stdin())
            .context("cannot read the story from standard input")?
    } else {
        std::fs::read_to_string(&args.story).with_context(|| format!("cannot read {origin}"))?
    };
    let story = super::select(export::read_story(&text, &origin)?, &args.filter);
    let output = args
        .output
        .unwrap_or_else(|| PathBuf::from("out").join(args.format.default_file_name()));
    export::write_file(&story, export::writer_for(args.format).as_ref(), &output)?;
    eprintln!("mentionmap: wrote {}", output.display());
    super::leave_to_exit(story);
    Ok(ExitCode::SUCCESS)
}
