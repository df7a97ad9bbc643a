//! `mentionmap lookup NAME [--kind KIND] [--country CC] [--json] [--online]` — the ranked gazetteer
//! candidates for a name, as the resolver sees them before any context; with `--online`, also what a web
//! geocoder says when the gazetteer has nothing or nothing sure.

use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Args;
use serde_json::json;

use super::load_gazetteer;
use super::online_args::OnlineArgs;
use mentionmap::gazetteer::Hint;
use mentionmap::geoparse::resolve::{self, Scored};
use mentionmap::online::{apply, Found};
use mentionmap::story::PlaceKind;

/// Show the ranked gazetteer candidates for a place name.
#[derive(Args)]
pub struct LookupArgs {
    /// The name to look up (any case, with or without diacritics or punctuation).
    name: String,

    /// Keep only places of this kind (country, admin1, admin2, city, port, sea, strait, channel, gulf,
    /// bay, sound, canal, ocean, island, region, landmark).
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,

    /// Put places in (or, for seas, on the coast of) this country first (ISO 3166 alpha-2, e.g. CN).
    #[arg(long, value_name = "CC")]
    country: Option<String>,

    /// Print the candidates as a JSON array.
    #[arg(long)]
    json: bool,

    /// Show at most this many candidates.
    #[arg(short = 'n', long, default_value_t = 10)]
    limit: usize,

    #[command(flatten)]
    online: OnlineArgs,
}

pub fn run(args: LookupArgs) -> Result<ExitCode> {
    let kind = match args.kind.as_deref() {
        Some(k) => match PlaceKind::parse(&k.to_ascii_lowercase()) {
            Some(kind) => Some(kind),
            None => bail!("--kind {k:?}: not a place kind"),
        },
        None => None,
    };
    let country = args.country.as_deref().map(str::to_ascii_uppercase);
    if country.as_ref().is_some_and(|c| c.len() != 2) {
        bail!("--country expects a two-letter ISO code such as CN");
    }
    let gazetteer = load_gazetteer()?;
    let hint = Hint {
        country: country.as_deref(),
        kind,
    };
    let candidates = gazetteer.lookup_with_hint(&args.name, &hint);
    let online = match args.online.geocoder()? {
        Some(mut geocoder) => {
            let scored: Vec<Scored> = candidates
                .iter()
                .map(|c| Scored {
                    entry: c.entry,
                    score: c.score,
                })
                .collect();
            let confident = resolve::confidence(&scored) >= args.online.below();
            if confident {
                eprintln!(
                    "mentionmap: the gazetteer is sure enough; not asked online (see --online-below)"
                );
            }
            let found = (!confident).then(|| geocoder.lookup(&args.name)).flatten();
            eprintln!("mentionmap: {}", geocoder.stats);
            found
        }
        None => None,
    };
    let shown = candidates.iter().take(args.limit);
    if args.json {
        let mut rows: Vec<_> = shown
            .map(|c| {
                let e = gazetteer.entry(c.entry);
                json!({
                    "id": e.id,
                    "name": e.name,
                    "kind": e.kind.as_str(),
                    "feature_code": e.feature_code,
                    "lat": e.lat,
                    "lon": e.lon,
                    "country": e.country,
                    "admin1": e.admin1,
                    "population": e.population,
                    "importance": e.importance,
                    "score": c.score,
                    "alias": c.alias,
                    "bbox": e.bbox,
                    "near_countries": e.near_countries,
                    "layer": e.layer,
                    "geonameid": e.geonameid,
                })
            })
            .collect();
        if let Some(Found { provider, answers }) = &online {
            rows.extend(answers.iter().take(args.limit).map(|a| {
                json!({
                    "id": apply::place_id(*provider, a),
                    "name": a.name,
                    "kind": a.kind.as_str(),
                    "lat": a.lat,
                    "lon": a.lon,
                    "country": a.country,
                    "bbox": a.bbox,
                    "source": provider.as_str(),
                    "attribution": provider.attribution(),
                })
            }));
        }
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for (rank, c) in shown.enumerate() {
            let e = gazetteer.entry(c.entry);
            let place = match (&e.country, &e.admin1) {
                (Some(country), Some(admin1)) => format!("{country}.{admin1}"),
                (Some(country), None) => country.clone(),
                _ => e.near_countries.join(","),
            };
            println!(
                "{:>2}. {:<28} {:<8} {:<5} {:<9} {:>9.4} {:>10.4}  pop {:>10}  score {:.3}{}  {}",
                rank + 1,
                e.name,
                e.kind.as_str(),
                e.feature_code,
                place,
                e.lat,
                e.lon,
                e.population,
                c.score,
                if c.alias { " (alias)" } else { "" },
                e.id
            );
        }
    }
    if let (Some(Found { provider, answers }), false) = (&online, args.json) {
        println!("online, from {}:", provider.as_str());
        for (rank, a) in answers.iter().take(args.limit).enumerate() {
            println!(
                "{:>2}. {:<28} {:<8} {:<9} {:>9.4} {:>10.4}  {}",
                rank + 1,
                a.name,
                a.kind.as_str(),
                a.country.as_deref().unwrap_or(""),
                a.lat,
                a.lon,
                apply::place_id(*provider, a)
            );
        }
        println!("{}", provider.attribution());
    }
    if candidates.is_empty() && online.is_none() {
        eprintln!(
            "mentionmap: no place called {:?} in the gazetteer",
            args.name
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
