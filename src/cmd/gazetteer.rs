//! `mentionmap gazetteer info|import` — what the offline gazetteer holds (its layers, their sizes, sources
//! and licences), and adding the optional layers to the user's data folder.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;

use super::load_gazetteer;
use mentionmap::gazetteer::{self, Gazetteer};

/// Inspect the offline gazetteer or add layers to it.
#[derive(Subcommand)]
pub enum GazetteerCommand {
    /// Print the loaded layers with their counts, sources and licences.
    Info,
    /// Add a layer to the data folder ($MENTIONMAP_DATA_DIR, else e.g. ~/.local/share/mentionmap).
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// The GeoNames dump: allCountries.zip, a country file (CN.zip, CN.txt) or cities500.txt, in GeoNames'
    /// tab-separated format. Replaces an earlier GeoNames import; the old one stays if this one fails.
    Geonames {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Natural Earth marine polygons (ne_10m_geography_marine_polys.json), matched by name to the marine
    /// table so seas get their real outline and bounding box.
    NaturalEarth {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// How many malformed rows an import lists before summing up the rest.
const PROBLEMS_SHOWN: usize = 20;

pub fn run(command: GazetteerCommand) -> Result<ExitCode> {
    match command {
        GazetteerCommand::Info => info(),
        GazetteerCommand::Import(ImportCommand::Geonames { file }) => import_geonames(&file),
        GazetteerCommand::Import(ImportCommand::NaturalEarth { file }) => {
            import_natural_earth(&file)
        }
    }
}

fn info() -> Result<ExitCode> {
    let gazetteer = load_gazetteer()?;
    println!(
        "{} places, {} demonyms",
        gazetteer.len(),
        gazetteer.demonym_count()
    );
    for layer in gazetteer.layers() {
        println!("  {:>8}  {}", layer.entries, layer.name);
        println!("            licence: {}", layer.licence);
        println!("            from: {}", layer.source);
        for (key, value) in &layer.notes {
            println!("            {key}: {value}");
        }
    }
    match gazetteer::data_dir() {
        Some(dir) => println!("data folder: {}", dir.display()),
        None => println!("data folder: none (set {})", gazetteer::DATA_DIR_ENV),
    }
    Ok(ExitCode::SUCCESS)
}

fn data_dir() -> Result<PathBuf> {
    gazetteer::data_dir().with_context(|| {
        format!(
            "no data folder: set {} to the folder to import into",
            gazetteer::DATA_DIR_ENV
        )
    })
}

fn import_geonames(file: &std::path::Path) -> Result<ExitCode> {
    let dir = data_dir()?;
    eprintln!("mentionmap: importing {} ...", file.display());
    let report = gazetteer::import_geonames(file, &dir, &mut |rows| {
        eprintln!("mentionmap: {rows} rows read");
    })?;
    for problem in report.problems.iter().take(PROBLEMS_SHOWN) {
        eprintln!("mentionmap: skipped malformed row: {problem}");
    }
    if report.malformed > PROBLEMS_SHOWN as u64 {
        eprintln!(
            "mentionmap: ... and {} more malformed rows",
            report.malformed - PROBLEMS_SHOWN as u64
        );
    }
    eprintln!(
        "mentionmap: {} rows read: {} places imported, {} of other feature classes, {} duplicates, \
         {} malformed -> {}",
        report.rows,
        report.imported,
        report.other_features,
        report.duplicates,
        report.malformed,
        report.index.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn import_natural_earth(file: &std::path::Path) -> Result<ExitCode> {
    let dir = data_dir()?;
    // Match against the shipped marine table only, whatever was imported before.
    let gazetteer = Gazetteer::load_built_in().context("cannot load the gazetteer")?;
    let report = gazetteer::import_natural_earth(file, &dir, &gazetteer)?;
    eprintln!(
        "mentionmap: {} polygons: outlines for {} marine areas; {} names not in the marine table{}",
        report.features,
        report.matched.len(),
        report.unmatched.len(),
        if report.unmatched.is_empty() {
            String::new()
        } else {
            format!(" ({})", report.unmatched.join(", "))
        }
    );
    for path in &report.files {
        eprintln!("mentionmap: wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
