//! `mentionmap extract INPUT... -o story.json` — the first half of `map`: read articles and write only the
//! story, so an analyst can review or correct it by hand before `mentionmap export`, or merge it with
//! the stories of other shards of the corpus (`mentionmap merge`). `-o -` writes it to standard output,
//! for engines that read a command's output (Spark's `RDD.pipe`).

use std::io::Write;
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

    /// Where to write the story (`-` for standard output).
    #[arg(short, long, default_value = "out/story.json", value_name = "FILE")]
    output: PathBuf,
}

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let Some((story, skipped)) = args.input.extract()? else {
        return Ok(ExitCode::from(EXIT_NOTHING_READ));
    };
    // on as many threads as the extraction: the story's records are made side by side
    super::in_thread_pool(args.input.threads, || -> Result<()> {
        let writer = export::writer_for(Format::Story);
        if args.output.as_os_str() == "-" {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            writer.write(&story, &mut out)?;
            out.flush()?;
        } else {
            export::write_file(&story, writer.as_ref(), &args.output)?;
        }
        Ok(())
    })??;
    super::print_summary(&story, skipped, std::slice::from_ref(&args.output));
    super::leave_to_exit(story);
    Ok(ExitCode::SUCCESS)
}
