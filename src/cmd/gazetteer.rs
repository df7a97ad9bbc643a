//! `mentionmap gazetteer info` — what the offline gazetteer holds: its layers, their sizes and licences.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use super::load_gazetteer;

/// Inspect the offline gazetteer.
#[derive(Subcommand)]
pub enum GazetteerCommand {
    /// Print the loaded layers with their counts, sources and licences.
    Info,
}

pub fn run(command: GazetteerCommand) -> Result<ExitCode> {
    match command {
        GazetteerCommand::Info => {
            let gazetteer = load_gazetteer()?;
            println!(
                "{} places, {} demonyms",
                gazetteer.len(),
                gazetteer.demonym_count()
            );
            for layer in gazetteer.layers() {
                println!(
                    "  {:>7}  {}  [{}]",
                    layer.entries, layer.name, layer.licence
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
