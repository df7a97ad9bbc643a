//! The `--online` flags shared by `map`, `extract` and `lookup`: whether to ask a web geocoder about the
//! names the offline gazetteer cannot place, which one, and how. Without `--online` nothing here builds
//! a geocoder, so no socket is ever opened.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use mentionmap::gazetteer::Gazetteer;
use mentionmap::ingest::SourceDoc;
use mentionmap::online::apply::{self, Answers};
use mentionmap::online::{self, Geocoder, Provider};

#[derive(Args)]
pub struct OnlineArgs {
    /// Ask a web geocoder about names the offline gazetteer cannot place or places with low
    /// confidence. Off by default: without it mentionmap makes no network connection at all.
    #[arg(long)]
    pub online: bool,

    /// Geocoder to ask: nominatim (default), photon, geonames (needs --geonames-username);
    /// repeatable, asked in order until one answers.
    #[arg(long = "online-provider", value_name = "NAME", value_delimiter = ',', value_parser = parse_provider)]
    providers: Vec<Provider>,

    /// Base URL of a Nominatim-compatible API to use instead of nominatim.openstreetmap.org
    /// (a self-hosted Nominatim, say).
    #[arg(long, value_name = "URL")]
    online_url: Option<String>,

    /// An e-mail address or URL to put in the User-Agent, as Nominatim's usage policy asks
    /// (default: $MENTIONMAP_ONLINE_CONTACT).
    #[arg(long, value_name = "CONTACT")]
    online_contact: Option<String>,

    /// Username for the GeoNames web service (default: $GEONAMES_USERNAME).
    #[arg(long, value_name = "NAME")]
    geonames_username: Option<String>,

    /// Ask online about mentions resolved with less confidence than this (0 to 1).
    #[arg(long, value_name = "CONF", default_value_t = apply::DEFAULT_BELOW)]
    online_below: f64,

    /// Ignore cached answers and ask the network again (the new answers replace them).
    #[arg(long)]
    refresh: bool,

    /// Folder for cached answers (default: $MENTIONMAP_CACHE_DIR, else the user's cache folder,
    /// e.g. ~/.cache/mentionmap/geocode).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
}

fn parse_provider(s: &str) -> Result<Provider, String> {
    Provider::parse(&s.to_ascii_lowercase())
        .ok_or_else(|| format!("{s:?}: expected nominatim, photon or geonames"))
}

impl OnlineArgs {
    /// The geocoder, only when `--online` was given.
    pub fn geocoder(&self) -> Result<Option<Geocoder>> {
        if !self.online {
            if self.online_url.is_some() || !self.providers.is_empty() || self.refresh {
                eprintln!("mentionmap: online options have no effect without --online");
            }
            return Ok(None);
        }
        if !(0.0..=1.0).contains(&self.online_below) {
            bail!("--online-below expects a confidence between 0 and 1");
        }
        let cache_dir = match &self.cache_dir {
            Some(dir) => dir.clone(),
            None => online::default_cache_dir()
                .context("no cache folder for online answers; give one with --cache-dir")?,
        };
        let mut options = online::Options::new(cache_dir);
        if !self.providers.is_empty() {
            options.providers = self.providers.clone();
        }
        if let Some(url) = &self.online_url {
            options.urls.insert(Provider::Nominatim, url.clone());
        }
        options.contact = self
            .online_contact
            .clone()
            .or_else(|| std::env::var("MENTIONMAP_ONLINE_CONTACT").ok());
        options.geonames_username = self
            .geonames_username
            .clone()
            .or_else(|| std::env::var("GEONAMES_USERNAME").ok());
        options.refresh = self.refresh;
        let public_nominatim =
            options.providers.contains(&Provider::Nominatim) && self.online_url.is_none();
        if public_nominatim && options.contact.is_none() {
            eprintln!(
                "mentionmap: please identify yourself to the public Nominatim with --online-contact EMAIL"
            );
        }
        Ok(Some(Geocoder::new(options)?))
    }

    pub fn below(&self) -> f64 {
        self.online_below
    }

    /// Ask online about the corpus's weak names; whatever the network does, the answers that came
    /// are returned and the run goes on with the offline result where there is none.
    pub fn look_up(
        &self,
        documents: &[SourceDoc],
        gazetteer: &Gazetteer,
        geocoder: &mut Geocoder,
    ) -> Answers {
        let names = apply::names_to_look_up(documents, gazetteer, self.below());
        if !names.is_empty() {
            eprintln!(
                "mentionmap: online: asking about {} name{} (cached answers at once, others one a second)",
                names.len(),
                if names.len() == 1 { "" } else { "s" }
            );
        }
        let answers = apply::look_up(&names, geocoder, self.below());
        eprintln!("mentionmap: {}", geocoder.stats);
        answers
    }
}
