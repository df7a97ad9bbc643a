//! `mentionmap lookup NAME` — the ranked gazetteer candidates for a name, as the resolver sees them
//! before any context.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::load_gazetteer;

/// Show the ranked gazetteer candidates for a place name.
#[derive(Args)]
pub struct LookupArgs {
    /// The name to look up (any case, with or without diacritics).
    name: String,

    /// Show at most this many candidates.
    #[arg(short = 'n', long, default_value_t = 10)]
    limit: usize,
}

pub fn run(args: LookupArgs) -> Result<ExitCode> {
    let gazetteer = load_gazetteer()?;
    let ids = gazetteer.lookup(&args.name);
    if ids.is_empty() {
        eprintln!(
            "mentionmap: no place called {:?} in the gazetteer",
            args.name
        );
        return Ok(ExitCode::from(1));
    }
    for (rank, id) in ids.iter().take(args.limit).enumerate() {
        let e = gazetteer.entry(*id);
        println!(
            "{:>2}. {:<28} {:<9} {:<3} {:>9.4} {:>10.4}  pop {:>10}  importance {:.3}  {}",
            rank + 1,
            e.name,
            e.kind.as_str(),
            e.country.as_deref().unwrap_or("-"),
            e.lat,
            e.lon,
            e.population,
            e.importance,
            e.id
        );
    }
    Ok(ExitCode::SUCCESS)
}
