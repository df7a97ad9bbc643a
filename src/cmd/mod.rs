//! Command-line parsing and dispatch. Each subcommand is one file with its usage text and a `run`.

mod eval;
mod export;
mod extract;
mod gazetteer;
mod lookup;
mod map;
mod merge;
mod online_args;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use mentionmap::export::filter::{self, Filter};
use mentionmap::gazetteer::Gazetteer;
use mentionmap::ingest::{self, DateOverrides};
use mentionmap::online::apply::Answers;
use mentionmap::pipeline::{self, ExtractOptions};
use mentionmap::story::Story;

/// Turn news text into maps: every place mentioned, resolved to coordinates; the dated events joined to
/// those places; and the tracks of the ships' described movements — as GeoJSON, KML and an offline HTML map.
#[derive(Parser)]
#[command(name = "mentionmap", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Map(map::MapArgs),
    Extract(extract::ExtractArgs),
    Merge(merge::MergeArgs),
    Export(export::ExportArgs),
    Eval(eval::EvalArgs),
    Lookup(lookup::LookupArgs),
    #[command(subcommand)]
    Gazetteer(gazetteer::GazetteerCommand),
}

/// Exit code when no document at all could be read.
const EXIT_NOTHING_READ: u8 = 1;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Map(args) => map::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Export(args) => export::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Lookup(args) => lookup::run(args),
        Command::Gazetteer(command) => gazetteer::run(command),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mentionmap: error: {e:#}");
            ExitCode::from(EXIT_NOTHING_READ)
        }
    }
}

/// The inputs shared by `map` and `extract`.
#[derive(Args)]
struct InputArgs {
    /// Articles to read: files, folders (read recursively), or `-` for standard input.
    /// Formats: .txt/.md (optional front matter), .html, .jsonl/.json.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,

    /// Publication date for every document (`--date 2023-07-16`) or for one (`--date ID=2023-07-16`);
    /// repeatable. Overrides dates found in the documents.
    #[arg(long = "date", value_name = "[ID=]YYYY-MM-DD", value_parser = check_date_arg)]
    dates: Vec<String>,

    /// Generation time written into every output (RFC 3339), for reproducible files.
    /// Defaults to SOURCE_DATE_EPOCH when set, else now.
    #[arg(long, value_name = "TIME", value_parser = check_time_arg)]
    generated_at: Option<String>,

    /// Threads reading documents in parallel (default: one per core). The output is the same
    /// whatever the number.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,

    #[command(flatten)]
    online: online_args::OnlineArgs,
}

impl InputArgs {
    /// Read the inputs as they stream in, reporting each problem on its own line, and run the
    /// pipeline; `None` (with the reason printed) when no document could be read. Also returns how
    /// many inputs were skipped.
    fn extract(&self) -> Result<Option<(Story, usize)>> {
        let mut overrides = DateOverrides::default();
        for d in &self.dates {
            overrides.add(d).map_err(anyhow::Error::msg)?;
        }
        let options = ExtractOptions {
            generated_at: generation_time(self.generated_at.as_deref())?,
        };
        let gazetteer = load_gazetteer()?;
        let mut skipped = 0;
        let report = |batch: ingest::Ingested, skipped: &mut usize| {
            for problem in &batch.problems {
                eprintln!("mentionmap: skipped {problem}");
            }
            for note in &batch.notes {
                eprintln!("mentionmap: note: {note}");
            }
            *skipped += batch.problems.len();
            batch.documents
        };
        let story = match self.online.geocoder()? {
            // Online lookups ask about the whole corpus's weak names before the pipeline runs, so the
            // documents are all read first.
            Some(mut geocoder) => {
                let documents = report(ingest::read_inputs(&self.inputs, &overrides), &mut skipped);
                let answers = self.online.look_up(&documents, &gazetteer, &mut geocoder);
                in_thread_pool(self.threads, || {
                    pipeline::extract_streamed(
                        documents.into_iter(),
                        &gazetteer,
                        &options,
                        &answers,
                    )
                })?
            }
            None => {
                let documents = ingest::stream_inputs(&self.inputs, &overrides)
                    .flat_map(|batch| report(batch, &mut skipped));
                in_thread_pool(self.threads, || {
                    pipeline::extract_streamed(documents, &gazetteer, &options, &Answers::default())
                })?
            }
        };
        leave_to_exit(gazetteer);
        if story.documents.is_empty() {
            eprintln!("mentionmap: no document could be read; nothing written");
            return Ok(None);
        }
        Ok(Some((story, skipped)))
    }
}

/// Run `work` on `threads` threads (rayon's default, one per core, when not given).
///
/// One pool serves every phase of a command, so that `-j` holds for writing the files (made side by
/// side) as well as for reading the articles; before, `map` wrote its files on rayon's global pool,
/// one thread per core whatever `-j` said.
fn in_thread_pool<T: Send>(threads: Option<u16>, work: impl FnOnce() -> T + Send) -> Result<T> {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    let pool = match POOL.get() {
        Some(pool) => pool,
        None => {
            let mut builder = rayon::ThreadPoolBuilder::new();
            if let Some(n) = threads {
                builder = builder.num_threads(n.into());
            }
            let built = builder.build().context("cannot start the worker threads")?;
            POOL.get_or_init(|| built)
        }
    };
    Ok(pool.install(work))
}

/// Checked by clap so that a malformed `--date` is a usage error (exit 2).
fn check_date_arg(arg: &str) -> Result<String, String> {
    DateOverrides::default().add(arg)?;
    Ok(arg.to_string())
}

fn check_time_arg(arg: &str) -> Result<String, String> {
    chrono::DateTime::parse_from_rfc3339(arg)
        .map_err(|_| format!("{arg:?}: expected an RFC 3339 time such as 2023-07-20T00:00:00Z"))?;
    Ok(arg.to_string())
}

/// `--generated-at`, else SOURCE_DATE_EPOCH, else now; always normalised to RFC 3339 UTC seconds.
fn generation_time(flag: Option<&str>) -> Result<String> {
    use chrono::{DateTime, SecondsFormat, Utc};
    let time: DateTime<Utc> = match flag {
        Some(s) => DateTime::parse_from_rfc3339(s)
            .with_context(|| {
                format!(
                    "--generated-at {s:?}: expected an RFC 3339 time such as 2023-07-20T00:00:00Z"
                )
            })?
            .with_timezone(&Utc),
        None => match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(epoch) => {
                let secs: i64 = epoch.trim().parse().with_context(|| {
                    format!("SOURCE_DATE_EPOCH={epoch:?} is not a number of seconds")
                })?;
                DateTime::from_timestamp(secs, 0).context("SOURCE_DATE_EPOCH out of range")?
            }
            Err(_) => Utc::now(),
        },
    };
    Ok(time.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// Apply the filters given on the command line, saying on one line what they kept.
fn select(story: Story, filter: &Filter) -> Story {
    if !filter.is_active() {
        return story;
    }
    let (selected, report) = filter::apply(&story, filter);
    eprintln!("mentionmap: {report}");
    selected
}

/// The closing line of `map` and `extract`: what was read, found and written.
fn print_summary(story: &mentionmap::story::Story, skipped: usize, written: &[std::path::PathBuf]) {
    let written: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "mentionmap: {} documents ({skipped} skipped): {} places, {} events, {} tracks -> {}",
        story.documents.len(),
        story.places.len(),
        story.events.len(),
        story.tracks.len(),
        written.join(", ")
    );
}

/// The end of something large made of small allocations (a command's story, the gazetteer's decoded
/// entries), kept until the process exits: the system takes back all its memory at once, where freeing
/// the story's millions of small pieces one by one would cost a fifth of what writing `story.json` does.
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

fn load_gazetteer() -> Result<Gazetteer> {
    Gazetteer::load_default().context("cannot load the gazetteer")
}
