//! `mentionmap merge a.json b.json ... -o story.json` — the reduce step of a corpus split into shards:
//! stories extracted separately (on several machines, say) become the story one `extract` over all
//! their documents would have given, places counted once and events merged across shards. Shards are
//! taken in the order given, as if their documents had been read in that order.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use mentionmap::export::{self, read_story, Format};
use mentionmap::pipeline::{ExtractOptions, Merger};

/// Merge stories extracted separately (`extract` on shards of a corpus) into one story.
#[derive(Args)]
pub struct MergeArgs {
    /// Stories written by `mentionmap extract` (or `map`, unfiltered), in corpus order.
    #[arg(required = true, value_name = "STORY")]
    stories: Vec<PathBuf>,

    /// Where to write the merged story.
    #[arg(short, long, default_value = "out/story.json", value_name = "FILE")]
    output: PathBuf,

    /// Generation time written into the story (RFC 3339). Defaults to SOURCE_DATE_EPOCH when set,
    /// else now.
    #[arg(long, value_name = "TIME", value_parser = super::check_time_arg)]
    generated_at: Option<String>,
}

pub fn run(args: MergeArgs) -> Result<ExitCode> {
    let options = ExtractOptions {
        generated_at: super::generation_time(args.generated_at.as_deref())?,
    };
    let mut merger = Merger::default();
    for path in &args.stories {
        let origin = path.display().to_string();
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read {origin}"))?;
        let story = read_story(&text, &origin)?;
        drop(text);
        merger
            .add(story)
            .with_context(|| format!("cannot merge {origin}"))?;
    }
    let story = merger.finish(&options);
    export::write_file(
        &story,
        export::writer_for(Format::Story).as_ref(),
        &args.output,
    )?;
    super::print_summary(&story, 0, std::slice::from_ref(&args.output));
    super::leave_to_exit(story);
    Ok(ExitCode::SUCCESS)
}
