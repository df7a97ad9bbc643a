//! Online lookup: asking a web *geocoder* — a service that turns a place name into coordinates — about
//! the names the offline gazetteer cannot place, or places only with low confidence. It runs only when
//! the user asks for it (`--online`); without that flag no [`Geocoder`] is ever built, so the program
//! opens no socket.
//!
//! Every request goes through one [`Geocoder`], which keeps the providers' usage policies by
//! construction (Nominatim's is the strictest: a User-Agent naming the tool and a contact, at most one
//! request a second, answers cached): it waits its turn per provider, answers from the disk cache when
//! it can, retries on 429 and 5xx with backoff (honouring `Retry-After`), gives up on a provider after
//! repeated failures, and counts what happened for a closing summary. A failure is never an error to
//! the caller: the offline result simply stands.
//!
//! Providers are one file each ([`nominatim`], [`photon`], [`geonames`]): the request URL and the
//! parsing of the answer into provider-neutral [`Answer`]s. [`apply`] decides which names of a corpus go
//! online and folds the answers into the story.

pub mod apply;
mod cache;
mod cues;
pub mod geonames;
pub mod nominatim;
pub mod photon;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::story::PlaceKind;

/// Licence attribution for answers built from OpenStreetMap data (Nominatim, Photon).
pub const OSM_ATTRIBUTION: &str =
    "Data © OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright";

/// Licence attribution for answers from the GeoNames web service.
pub const GEONAMES_WEB_ATTRIBUTION: &str =
    "Place data from the GeoNames web service (geonames.org), licensed under CC BY 4.0";

/// A web geocoder mentionmap knows how to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provider {
    Nominatim,
    Photon,
    Geonames,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Nominatim, Provider::Photon, Provider::Geonames];

    /// The name used on the command line, in the cache and as the `gazetteer` of the places it gives.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Nominatim => "nominatim",
            Provider::Photon => "photon",
            // Not plain "geonames": that is the offline layer's name, and a reader of the story should
            // see which places came over the network.
            Provider::Geonames => "geonames-web",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        match s {
            "nominatim" => Some(Provider::Nominatim),
            "photon" => Some(Provider::Photon),
            "geonames" | "geonames-web" => Some(Provider::Geonames),
            _ => None,
        }
    }

    pub fn attribution(self) -> &'static str {
        match self {
            Provider::Nominatim | Provider::Photon => OSM_ATTRIBUTION,
            Provider::Geonames => GEONAMES_WEB_ATTRIBUTION,
        }
    }

    fn default_url(self) -> &'static str {
        match self {
            Provider::Nominatim => "https://nominatim.openstreetmap.org",
            Provider::Photon => "https://photon.komoot.io",
            Provider::Geonames => "https://secure.geonames.org",
        }
    }
}

/// One feature a provider returned for a name, in provider-neutral form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The provider's own id for it (`relation/148838`, a GeoNames id).
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-2, upper case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// West, south, east, north.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f64; 4]>,
}

/// A provider's non-empty answer to one query.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub provider: Provider,
    pub answers: Vec<Answer>,
}

/// Why one lookup at one provider came back without an answer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Failure {
    Timeout,
    Network,
    Status(u16),
    Malformed,
    /// The provider answered 200 with an error of its own (GeoNames does: bad username, credits spent).
    Refused,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Failure::Timeout => f.write_str("timeout"),
            Failure::Network => f.write_str("connection failed"),
            Failure::Status(code) => write!(f, "HTTP {code}"),
            Failure::Malformed => f.write_str("malformed answer"),
            Failure::Refused => f.write_str("refused"),
        }
    }
}

/// How the geocoder talks to the network. [`Options::new`] gives the policy defaults; tests shorten the
/// waits.
#[derive(Debug, Clone)]
pub struct Options {
    /// Asked in this order; the first non-empty answer wins.
    pub providers: Vec<Provider>,
    /// Base URLs that replace the public services (`--online-url` sets Nominatim's).
    pub urls: BTreeMap<Provider, String>,
    /// Required by the GeoNames web service.
    pub geonames_username: Option<String>,
    /// An e-mail address or URL put into the User-Agent, as Nominatim's policy asks.
    pub contact: Option<String>,
    pub cache_dir: PathBuf,
    /// Ask the network even when the cache has an answer (and replace it).
    pub refresh: bool,
    pub connect_timeout: Duration,
    /// For the whole request, body included: a server that never finishes cannot hang the run.
    pub timeout: Duration,
    /// Between the starts of two requests to one provider.
    pub min_interval: Duration,
    /// Further attempts after a 429 or 5xx.
    pub retries: u32,
    /// The first wait before a retry when the server gives no `Retry-After`; doubled each time.
    pub backoff: Duration,
    /// A `Retry-After` longer than this gives up the lookup instead of stalling the run.
    pub max_wait: Duration,
    /// Failed lookups in a row after which a provider is not asked again in this run.
    pub skip_after: u32,
}

impl Options {
    pub fn new(cache_dir: PathBuf) -> Options {
        Options {
            providers: vec![Provider::Nominatim],
            urls: BTreeMap::new(),
            geonames_username: None,
            contact: None,
            cache_dir,
            refresh: false,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            min_interval: Duration::from_secs(1),
            retries: 2,
            backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(30),
            skip_after: 3,
        }
    }

    fn url(&self, provider: Provider) -> &str {
        self.urls
            .get(&provider)
            .map_or(provider.default_url(), String::as_str)
            .trim_end_matches('/')
    }

    fn user_agent(&self) -> String {
        let tool = format!("mentionmap/{}", env!("CARGO_PKG_VERSION"));
        match &self.contact {
            Some(contact) => format!("{tool} ({contact})"),
            None => tool,
        }
    }
}

/// The user's cache folder for geocoder answers: `$MENTIONMAP_CACHE_DIR`, else the platform cache
/// folder (`$XDG_CACHE_HOME` or `~/.cache` on Linux) + `mentionmap/geocode`.
pub fn default_cache_dir() -> Option<PathBuf> {
    match std::env::var_os("MENTIONMAP_CACHE_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::cache_dir().map(|d| d.join("mentionmap").join("geocode")),
    }
}

/// What the geocoder did in one run, for the closing summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Names asked about (each distinct name once per provider asked).
    pub looked_up: usize,
    /// Of those, answered from the disk cache.
    pub cached: usize,
    /// Requests sent, retries included.
    pub requests: usize,
    pub failed: usize,
    pub failures: BTreeMap<String, usize>,
    /// Names no provider was asked about, because every one had been given up on.
    pub not_asked: usize,
    /// Providers given up on, with the failures in a row that did it.
    pub skipped: Vec<(Provider, u32)>,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "online: {} looked up ({} cached), {} failed",
            self.looked_up, self.cached, self.failed
        )?;
        if !self.failures.is_empty() {
            let reasons: Vec<String> = self
                .failures
                .iter()
                .map(|(reason, n)| {
                    if *n == self.failed {
                        reason.clone()
                    } else {
                        format!("{n} {reason}")
                    }
                })
                .collect();
            write!(f, " ({})", reasons.join(", "))?;
        }
        if self.not_asked > 0 {
            write!(f, ", {} not asked", self.not_asked)?;
        }
        for (provider, n) in &self.skipped {
            write!(
                f,
                ", provider {} skipped after {n} failures",
                provider.as_str()
            )?;
        }
        Ok(())
    }
}

/// The one gateway to the network: rate limit, cache, retries and give-up, per provider.
pub struct Geocoder {
    options: Options,
    client: reqwest::blocking::Client,
    last_request: BTreeMap<Provider, Instant>,
    failures_in_row: BTreeMap<Provider, u32>,
    pub stats: Stats,
}

impl Geocoder {
    /// Builds the HTTP client; no connection is made until the first lookup that misses the cache.
    pub fn new(options: Options) -> anyhow::Result<Geocoder> {
        if options.providers.contains(&Provider::Geonames) && options.geonames_username.is_none() {
            anyhow::bail!("the GeoNames web service needs a username (--geonames-username)");
        }
        for &provider in &options.providers {
            let base = options.url(provider);
            if reqwest::Url::parse(base).is_err() {
                anyhow::bail!("{base:?} is not a URL");
            }
        }
        let mut client = reqwest::blocking::Client::builder()
            .user_agent(options.user_agent())
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout);
        // A geocoder on this machine (a self-hosted Nominatim) is never reached through a proxy
        // that $HTTP_PROXY may name.
        let all_local = options.providers.iter().all(|&p| {
            reqwest::Url::parse(options.url(p))
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .is_some_and(|h| {
                    h == "localhost"
                        || h.trim_matches(['[', ']'])
                            .parse::<std::net::IpAddr>()
                            .is_ok_and(|ip| ip.is_loopback())
                })
        });
        if all_local {
            client = client.no_proxy();
        }
        let client = client.build()?;
        Ok(Geocoder {
            options,
            client,
            last_request: BTreeMap::new(),
            failures_in_row: BTreeMap::new(),
            stats: Stats::default(),
        })
    }

    /// Ask the providers in turn; the first with a non-empty answer wins. `None` when every provider
    /// answered nothing, failed, or has been skipped.
    pub fn lookup(&mut self, query: &str) -> Option<Found> {
        let query = query.split_whitespace().collect::<Vec<_>>().join(" ");
        let key = crate::gazetteer::fold(&query);
        if key.is_empty() {
            return None;
        }
        if self
            .options
            .providers
            .iter()
            .all(|&provider| self.is_skipped(provider))
        {
            self.stats.not_asked += 1;
            return None;
        }
        for provider in self.options.providers.clone() {
            if self.is_skipped(provider) {
                continue;
            }
            self.stats.looked_up += 1;
            let cached = if self.options.refresh {
                None
            } else {
                cache::read(&self.options.cache_dir, provider, &key)
            };
            let answers = match cached {
                Some(answers) => {
                    self.stats.cached += 1;
                    answers
                }
                None => match self.fetch(provider, &query) {
                    Ok(answers) => {
                        self.failures_in_row.insert(provider, 0);
                        // A cache that cannot be written only costs a request next time.
                        let _ = cache::write(&self.options.cache_dir, provider, &key, &answers);
                        answers
                    }
                    Err(failure) => {
                        self.record_failure(provider, failure);
                        continue;
                    }
                },
            };
            if !answers.is_empty() {
                return Some(Found { provider, answers });
            }
        }
        None
    }

    fn is_skipped(&self, provider: Provider) -> bool {
        self.stats.skipped.iter().any(|(p, _)| *p == provider)
    }

    fn record_failure(&mut self, provider: Provider, failure: Failure) {
        self.stats.failed += 1;
        *self.stats.failures.entry(failure.to_string()).or_insert(0) += 1;
        let in_row = self.failures_in_row.entry(provider).or_insert(0);
        *in_row += 1;
        if *in_row >= self.options.skip_after {
            self.stats.skipped.push((provider, *in_row));
        }
    }

    /// One lookup over the network, with the retries the policy allows.
    fn fetch(&mut self, provider: Provider, query: &str) -> Result<Vec<Answer>, Failure> {
        let base = self.options.url(provider);
        let url = match provider {
            Provider::Nominatim => nominatim::search_url(base, query),
            Provider::Photon => photon::search_url(base, query),
            Provider::Geonames => geonames::search_url(
                base,
                query,
                self.options.geonames_username.as_deref().unwrap_or(""),
            ),
        }?;
        let mut attempt = 0;
        loop {
            self.wait_turn(provider);
            self.stats.requests += 1;
            let response = self
                .client
                .get(url.clone())
                .send()
                .map_err(transport_failure)?;
            let status = response.status();
            if status.is_success() {
                let body = response.text().map_err(transport_failure)?;
                let answers = match provider {
                    Provider::Nominatim => nominatim::parse(&body),
                    Provider::Photon => photon::parse(&body),
                    Provider::Geonames => geonames::parse(&body),
                }?;
                // A point off the globe is left out, like a feature without coordinates.
                return Ok(answers
                    .into_iter()
                    .filter(|a| {
                        (-90.0..=90.0).contains(&a.lat) && (-180.0..=180.0).contains(&a.lon)
                    })
                    .collect());
            }
            let retryable = status.as_u16() == 429 || status.is_server_error();
            if !retryable || attempt >= self.options.retries {
                return Err(Failure::Status(status.as_u16()));
            }
            let wait =
                retry_after(response.headers()).unwrap_or(self.options.backoff * 2u32.pow(attempt));
            if wait > self.options.max_wait {
                return Err(Failure::Status(status.as_u16()));
            }
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    /// Sleep until `min_interval` has passed since the start of this provider's previous request.
    fn wait_turn(&mut self, provider: Provider) {
        if let Some(last) = self.last_request.get(&provider) {
            let since = last.elapsed();
            if since < self.options.min_interval {
                std::thread::sleep(self.options.min_interval - since);
            }
        }
        self.last_request.insert(provider, Instant::now());
    }
}

fn transport_failure(e: reqwest::Error) -> Failure {
    if e.is_timeout() {
        Failure::Timeout
    } else {
        Failure::Network
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = (at.timestamp() - chrono::Utc::now().timestamp()).max(0);
    Some(Duration::from_secs(secs as u64))
}

/// Parse a coordinate the way the providers write them: a JSON number or a string holding one.
fn coordinate(value: &serde_json::Value) -> Option<f64> {
    let x = match value {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    x.is_finite().then_some(x)
}

/// The kind of place an OpenStreetMap tag (`key=value`, as Nominatim's category/type and Photon's
/// osm_key/osm_value give it) stands for; `Landmark` for anything that is not a settlement, a water
/// body, an island, a port or an administrative area.
fn osm_kind(key: &str, value: &str, admin_level_rank: Option<u64>) -> PlaceKind {
    match (key, value) {
        ("place", "city" | "town" | "village" | "hamlet" | "suburb" | "municipality") => {
            PlaceKind::City
        }
        ("place", "country") => PlaceKind::Country,
        ("place", "state" | "province" | "region") => PlaceKind::Admin1,
        ("place", "island" | "islet" | "archipelago") => PlaceKind::Island,
        ("place", "sea") | ("natural", "sea") => PlaceKind::Sea,
        ("place", "ocean") => PlaceKind::Ocean,
        ("natural", "strait") => PlaceKind::Strait,
        ("natural", "bay") => PlaceKind::Bay,
        ("harbour", _) | ("landuse", "port" | "harbour") | ("industrial", "port") => {
            PlaceKind::Port
        }
        ("boundary", "administrative") => match admin_level_rank {
            Some(0..=4) => PlaceKind::Country,
            Some(5..=8) => PlaceKind::Admin1,
            Some(_) => PlaceKind::Admin2,
            None => PlaceKind::Region,
        },
        _ => PlaceKind::Landmark,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_failures_and_skipped_providers() {
        let mut stats = Stats {
            looked_up: 3,
            cached: 2,
            failed: 1,
            ..Stats::default()
        };
        stats.failures.insert("timeout".into(), 1);
        stats.skipped.push((Provider::Nominatim, 3));
        assert_eq!(
            stats.to_string(),
            "online: 3 looked up (2 cached), 1 failed (timeout), provider nominatim skipped after 3 failures"
        );
        stats.failed = 3;
        stats.failures.insert("HTTP 500".into(), 2);
        stats.not_asked = 4;
        assert_eq!(
            stats.to_string(),
            "online: 3 looked up (2 cached), 3 failed (2 HTTP 500, 1 timeout), 4 not asked, \
             provider nominatim skipped after 3 failures"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO), "a past date");
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn geonames_needs_a_username() {
        let mut options = Options::new(PathBuf::from("/nonexistent"));
        options.providers = vec![Provider::Geonames];
        assert!(Geocoder::new(options.clone()).is_err());
        options.geonames_username = Some("demo".into());
        assert!(Geocoder::new(options).is_ok());
    }

    #[test]
    fn user_agent_names_the_tool_and_the_contact() {
        let mut options = Options::new(PathBuf::new());
        assert!(options.user_agent().starts_with("mentionmap/"));
        options.contact = Some("ops@example.org".into());
        assert!(options.user_agent().ends_with("(ops@example.org)"));
    }
}
