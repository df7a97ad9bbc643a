//! `mentionmap eval FILE.xml [--json]` — score the geoparser on a public benchmark in the LGL / TR-News /
//! GeoVirus format: recognition precision, recall and F1 (exact and overlapping spans), resolution given
//! the gold spans, and both end to end.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::load_gazetteer;
use mentionmap::eval;

/// Score the geoparser on a benchmark file (LGL, TR-News, GeoVirus XML).
#[derive(Args)]
pub struct EvalArgs {
    /// The benchmark file.
    file: PathBuf,

    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,

    /// Count demonyms ("Turkish") as toponyms found, for corpora that tag them (TR-News, LGL).
    #[arg(long)]
    count_demonyms: bool,

    /// Also list the gold toponyms resolved more than 161 km off (given gold spans).
    #[arg(long)]
    show_errors: bool,
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let xml = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let corpus = eval::read_corpus(&xml)
        .with_context(|| format!("{}: not a benchmark file", args.file.display()))?;
    let gazetteer = load_gazetteer()?;
    let report = eval::evaluate(&gazetteer, &corpus, args.count_demonyms);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let r = &report.recognition;
    println!(
        "{}: {} articles, {} gold toponyms ({} spans repaired, {} dropped)",
        args.file.display(),
        report.articles,
        report.gold_toponyms,
        report.repaired_spans,
        report.unmatched_spans
    );
    println!(
        "recognition   exact: P {:.3} R {:.3} F1 {:.3}   overlap: P {:.3} R {:.3} F1 {:.3}",
        r.precision, r.recall, r.f1, r.overlap_precision, r.overlap_recall, r.overlap_f1
    );
    for (label, s) in [
        ("given gold", &report.given_gold),
        ("  by distance", &report.given_gold_by_distance),
        ("end to end", &report.end_to_end),
    ] {
        println!(
            "{label:<13} n {:>5}  acc@161 {:.3}  mean {:>7.1} km  median {:>6.1} km  AUC {:.3}",
            s.n, s.acc161, s.mean_km, s.median_km, s.auc
        );
    }
    if args.show_errors {
        for m in &report.misses {
            let predicted = m.predicted.map_or("unresolved".to_string(), |(lat, lon)| {
                format!("{lat:.2},{lon:.2}")
            });
            println!(
                "miss {:>8.0} km  {:<30} gold {:.2},{:.2}  got {predicted}",
                m.km, m.phrase, m.gold.0, m.gold.1
            );
        }
        for text in &report.false_positives {
            println!("false-positive {text}");
        }
        for text in &report.false_negatives {
            println!("false-negative {text}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
