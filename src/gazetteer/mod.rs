//! The *gazetteer*: every place name mentionmap knows, offline, with what kind of place it is, where it
//! is, and how important it is.
//!
//! It joins the layers shipped under `gazetteer/` — GeoNames cities, countries, first-level divisions and
//! ports (built by `gazetteer/build.py` from registry packages), and the project's own tables of marine
//! areas, landmarks and demonyms — into one index keyed by folded name. Demonyms are kept apart: they are
//! evidence for a country, never a place on the map.

mod fold;
mod tables;

use std::collections::{HashMap, HashSet};

use anyhow::Result;

pub use fold::fold;

use crate::story::PlaceKind;

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Stable id used in the story (`gn:1797929`, `marine:sea_of_japan`, `country:CN`).
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    /// GeoNames-style feature code (PPLC, ADM1, PCLI, PRT, ...), empty when none applies.
    pub feature_code: String,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-2, when the place lies in one country.
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub population: u64,
    /// West, south, east, north.
    pub bbox: Option<[f64; 4]>,
    /// Coastal or neighbouring countries (marine areas), for disambiguation by context.
    pub near_countries: Vec<String>,
    /// For a government metonym (the Kremlin), the polity it stands for (`country:RU`).
    pub stands_for: Option<String>,
    /// Every name it is known by, the main name first.
    pub names: Vec<String>,
    /// Which layer it came from: `geonames`, `natural-earth`, `searoute`, `mentionmap`.
    pub layer: &'static str,
    /// The GeoNames id of the same feature, when known (cities, countries, continents).
    pub geonameid: Option<u64>,
    /// A prior between 0 and 1: how likely a bare mention of one of its names means this place.
    pub importance: f64,
}

impl Entry {
    /// The id within its own gazetteer: the part after the `prefix:`.
    pub fn source_id(&self) -> String {
        match self.geonameid {
            Some(id) if self.layer == "geonames" => id.to_string(),
            _ => self
                .id
                .split_once(':')
                .map_or(self.id.as_str(), |(_, rest)| rest)
                .to_string(),
        }
    }
}

/// Index into [`Gazetteer::entries`].
pub type EntryId = u32;

/// A loaded layer and how many entries it gave, for `gazetteer info`.
#[derive(Debug, Clone)]
pub struct LayerInfo {
    pub name: String,
    pub entries: usize,
    pub licence: &'static str,
}

pub struct Gazetteer {
    entries: Vec<Entry>,
    by_name: HashMap<String, Vec<EntryId>>,
    /// Folded multi-word names and each of their word prefixes, so a scanner knows when to stop extending.
    prefixes: HashSet<String>,
    /// Folded demonym -> ISO country code.
    demonyms: HashMap<String, String>,
    /// Folded names of outlets, ships, organisations and events that contain place names.
    non_places: HashSet<String>,
    /// Folded postal abbreviations ("ky", "mo"): names only after "City, ".
    abbreviations: HashSet<String>,
    /// Lower-case English words that are also place names ("reading", "farms").
    common_words: HashSet<String>,
    countries: HashMap<String, EntryId>,
    layers: Vec<LayerInfo>,
    longest_name_words: usize,
}

/// The shipped layers, embedded in the binary so a fresh clone works with no setup.
mod embedded {
    pub const PLACES_GZ: &[u8] = include_bytes!("../../gazetteer/data/places.tsv.gz");
    pub const MARINE: &str = include_str!("../../gazetteer/marine.tsv");
    pub const LANDMARKS: &str = include_str!("../../gazetteer/landmarks.tsv");
    pub const DEMONYMS: &str = include_str!("../../gazetteer/demonyms.tsv");
    pub const NOT_PLACES: &str = include_str!("../../gazetteer/not_places.tsv");
    pub const ALIASES: &str = include_str!("../../gazetteer/aliases.tsv");
    pub const COMMON_WORDS: &str = include_str!("../../gazetteer/data/common_words.txt");
    pub const CENTRES: &str = include_str!("../../gazetteer/centres.tsv");
    pub const REGIONS: &str = include_str!("../../gazetteer/regions.tsv");
}

/// The gazetteer's tables as text, in the shipped formats.
pub struct Tables<'a> {
    pub places: &'a str,
    pub marine: &'a str,
    pub landmarks: &'a str,
    pub demonyms: &'a str,
    pub not_places: &'a str,
    pub aliases: &'a str,
    /// Lower-case English words that are also place names, one a line.
    pub common_words: &'a str,
    /// Reference points for countries and divisions, replacing computed ones.
    pub centres: &'a str,
    pub regions: &'a str,
}

impl Gazetteer {
    /// The default gazetteer: everything shipped under `gazetteer/`.
    pub fn load_default() -> Result<Gazetteer> {
        let places = tables::gunzip(embedded::PLACES_GZ)?;
        Gazetteer::from_tables(&Tables {
            places: &places,
            marine: embedded::MARINE,
            landmarks: embedded::LANDMARKS,
            demonyms: embedded::DEMONYMS,
            not_places: embedded::NOT_PLACES,
            aliases: embedded::ALIASES,
            common_words: embedded::COMMON_WORDS,
            centres: embedded::CENTRES,
            regions: embedded::REGIONS,
        })
    }

    /// A gazetteer from tables given as text, in the shipped formats.
    pub fn from_tables(t: &Tables) -> Result<Gazetteer> {
        let mut builder = GazetteerBuilder::default();
        builder.add_layer(
            "GeoNames cities, countries, divisions; searoute ports (gazetteer/data/places.tsv.gz)",
            "GeoNames CC BY 4.0; Natural Earth public domain; searoute Apache-2.0",
            tables::parse_places(t.places)?,
        );
        builder.add_layer(
            "marine areas (gazetteer/marine.tsv)",
            "mentionmap's own table",
            tables::parse_marine(t.marine)?,
        );
        builder.add_layer(
            "landmarks and metonyms (gazetteer/landmarks.tsv)",
            "mentionmap's own table",
            tables::parse_landmarks(t.landmarks)?,
        );
        builder.add_layer(
            "regions and islands (gazetteer/regions.tsv)",
            "mentionmap's own table",
            tables::parse_regions(t.regions)?,
        );
        builder.demonyms = tables::parse_demonyms(t.demonyms)?;
        builder.non_places = tables::parse_not_places(t.not_places)?;
        builder.add_aliases(tables::parse_aliases(t.aliases)?)?;
        builder.move_to_centres(tables::parse_centres(t.centres)?)?;
        let mut gazetteer = builder.build();
        gazetteer.common_words = t
            .common_words
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        Ok(gazetteer)
    }

    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.entries[id as usize]
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn layers(&self) -> &[LayerInfo] {
        &self.layers
    }

    /// Entries known by this name (any spelling that folds the same), most important first.
    pub fn lookup(&self, name: &str) -> Vec<EntryId> {
        self.lookup_folded(&fold(name))
    }

    pub fn lookup_folded(&self, folded: &str) -> Vec<EntryId> {
        self.by_name.get(folded).cloned().unwrap_or_default()
    }

    /// True when some name starts with these folded words (or is them).
    pub fn is_name_prefix(&self, folded: &str) -> bool {
        self.prefixes.contains(folded)
    }

    pub fn longest_name_words(&self) -> usize {
        self.longest_name_words
    }

    /// The country a demonym or national adjective points to ("Chinese" -> CN).
    pub fn demonym(&self, folded: &str) -> Option<&str> {
        self.demonyms.get(folded).map(String::as_str)
    }

    /// True for the folded name of an outlet, ship, organisation or event ("moscow times").
    pub fn is_non_place(&self, folded: &str) -> bool {
        self.non_places.contains(folded)
    }

    /// True for an English common word that is also a place name ("reading", "mobile").
    pub fn is_common_word(&self, folded: &str) -> bool {
        self.common_words.contains(folded)
    }

    /// True for a postal-style abbreviation ("Ky.", "Mo."), which names a place only after "City, ".
    pub fn is_abbreviation(&self, folded: &str) -> bool {
        self.abbreviations.contains(folded)
    }

    pub fn demonym_count(&self) -> usize {
        self.demonyms.len()
    }

    /// The entry of a country by ISO code.
    pub fn country(&self, iso2: &str) -> Option<EntryId> {
        self.countries.get(iso2).copied()
    }

    /// Entry by story id (`gn:1797929`).
    pub fn find_id(&self, id: &str) -> Option<EntryId> {
        self.entries
            .iter()
            .position(|e| e.id == id)
            .map(|i| i as EntryId)
    }
}

#[derive(Default)]
struct GazetteerBuilder {
    entries: Vec<Entry>,
    layers: Vec<LayerInfo>,
    demonyms: HashMap<String, String>,
    non_places: HashSet<String>,
    abbreviations: HashSet<String>,
}

impl GazetteerBuilder {
    fn add_layer(&mut self, name: &str, licence: &'static str, entries: Vec<Entry>) {
        self.layers.push(LayerInfo {
            name: name.to_string(),
            entries: entries.len(),
            licence,
        });
        self.entries.extend(entries);
    }

    /// Give existing entries their extra names; an alias naming no known entry is an error in the table.
    fn add_aliases(&mut self, aliases: Vec<tables::Alias>) -> Result<()> {
        let index: HashMap<&str, usize> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let mut found = Vec::new();
        for alias in aliases {
            let Some(&i) = index.get(alias.target.as_str()) else {
                anyhow::bail!(
                    "aliases.tsv line {}: no gazetteer entry {:?}",
                    alias.line,
                    alias.target
                );
            };
            found.push((i, alias));
        }
        for (i, alias) in found {
            if alias.abbreviation {
                self.abbreviations.insert(fold(&alias.name));
            }
            self.entries[i].names.push(alias.name);
        }
        Ok(())
    }

    /// Put countries and divisions at their reference points (`gazetteer/centres.tsv`).
    fn move_to_centres(&mut self, centres: Vec<(usize, String, f64, f64)>) -> Result<()> {
        let index: HashMap<String, usize> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        for (line, id, lat, lon) in centres {
            let Some(&i) = index.get(&id) else {
                anyhow::bail!("centres.tsv line {line}: no gazetteer entry {id:?}");
            };
            self.entries[i].lat = lat;
            self.entries[i].lon = lon;
        }
        Ok(())
    }

    fn build(mut self) -> Gazetteer {
        // A division weighs with its country: Florida is the US state before the Puerto Rican
        // municipality of the same name.
        let country_population: HashMap<String, u64> = self
            .entries
            .iter()
            .filter(|e| e.kind == PlaceKind::Country)
            .filter_map(|e| Some((e.country.clone()?, e.population)))
            .collect();
        for e in self
            .entries
            .iter_mut()
            .filter(|e| e.kind == PlaceKind::Admin1)
        {
            let population = e
                .country
                .as_ref()
                .and_then(|c| country_population.get(c))
                .copied()
                .unwrap_or(1);
            e.importance = 0.62 + 0.025 * (population.max(1) as f64).log10();
        }
        let mut by_name: HashMap<String, Vec<EntryId>> = HashMap::new();
        let mut prefixes = HashSet::new();
        let mut countries = HashMap::new();
        let mut longest = 1;
        for (i, entry) in self.entries.iter().enumerate() {
            let id = i as EntryId;
            if entry.kind == PlaceKind::Country {
                if let Some(cc) = &entry.country {
                    countries.insert(cc.clone(), id);
                }
            }
            for name in &entry.names {
                let folded = fold(name);
                if folded.is_empty() {
                    continue;
                }
                let ids = by_name.entry(folded.clone()).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
                let words: Vec<&str> = folded.split(' ').collect();
                longest = longest.max(words.len());
                for n in 1..=words.len() {
                    prefixes.insert(words[..n].join(" "));
                }
            }
        }
        for folded in &self.non_places {
            let words: Vec<&str> = folded.split(' ').collect();
            for n in 1..=words.len() {
                prefixes.insert(words[..n].join(" "));
            }
        }
        let entries = self.entries;
        for ids in by_name.values_mut() {
            // Most important first; ties broken by id so output never depends on hash order.
            ids.sort_by(|&a, &b| {
                let (ea, eb) = (&entries[a as usize], &entries[b as usize]);
                eb.importance
                    .total_cmp(&ea.importance)
                    .then_with(|| ea.id.cmp(&eb.id))
            });
        }
        Gazetteer {
            entries,
            by_name,
            prefixes,
            demonyms: self.demonyms,
            non_places: self.non_places,
            abbreviations: self.abbreviations,
            common_words: HashSet::new(),
            countries,
            layers: self.layers,
            longest_name_words: longest,
        }
    }
}

/// Prior importance of a place from its kind, feature code and population, between 0 and 1.
pub fn importance(kind: PlaceKind, feature_code: &str, population: u64) -> f64 {
    let pop = (population.max(1) as f64).log10(); // 0 ..= ~7.5
    let score = match kind {
        PlaceKind::Country => 0.9 + pop / 100.0,
        PlaceKind::Ocean => 0.85,
        PlaceKind::Sea => 0.8,
        PlaceKind::Strait | PlaceKind::Canal | PlaceKind::Gulf | PlaceKind::Channel => 0.7,
        PlaceKind::Bay | PlaceKind::Sound => 0.6,
        // A state or province name nearly always means the division, not a town named after it.
        PlaceKind::Admin1 => 0.8,
        PlaceKind::Landmark => 0.6,
        PlaceKind::City => {
            let capital = match feature_code {
                // a capital is what a bare name most often means ("Washington said")
                "PPLC" => 0.25,
                "PPLA" => 0.05,
                _ => 0.0,
            };
            0.2 + pop * 0.07 + capital
        }
        PlaceKind::Admin2 => 0.3 + pop / 100.0,
        PlaceKind::Port => 0.3,
        PlaceKind::Region if feature_code == "CONT" => 0.85,
        PlaceKind::Island | PlaceKind::Region => 0.5,
    };
    score.clamp(0.0, 1.0)
}

#[cfg(test)]
pub(crate) mod test_data {
    //! A tiny gazetteer in the shipped formats, so stage tests do not depend on the full data.
    use super::Gazetteer;

    pub const PLACES: &str = "id\tname\tkind\tfeature_code\tlat\tlon\tcountry\tadmin1\tpopulation\talt_names
gn:1797929\tQingdao\tcity\tPPLA2\t36.06488\t120.38042\tCN\t25\t3718835\tTsingtao|Tsingtau
gn:1796236\tShanghai\tcity\tPPLA\t31.22222\t121.45806\tCN\t23\t22315474\t
gn:1816670\tBeijing\tcity\tPPLC\t39.9075\t116.39723\tCN\t22\t18960744\tPeking
gn:524901\tMoscow\tcity\tPPLC\t55.75222\t37.61556\tRU\t48\t10381222\tMoskva
gn:5601538\tMoscow\tcity\tPPL\t46.73239\t-117.00017\tUS\tID\t25435\t
gn:1668341\tTaipei\tcity\tPPLC\t25.04776\t121.53185\tTW\t03\t7871900\t
gn:1850147\tTokyo\tcity\tPPLC\t35.6895\t139.69171\tJP\t40\t8336599\t
gn:2013348\tVladivostok\tcity\tPPLA\t43.10562\t131.87353\tRU\t59\t587022\t
gn:2172517\tCanberra\tcity\tPPLC\t-35.28346\t149.12807\tAU\t01\t367752\t
country:CN\tChina\tcountry\tPCLI\t33.0\t106.0\tCN\t\t1411778724\tPeople's Republic of China|PRC
country:RU\tRussia\tcountry\tPCLI\t61.0\t97.0\tRU\t\t144478050\tRussian Federation
country:JP\tJapan\tcountry\tPCLI\t36.5\t138.0\tJP\t\t126529100\t
country:TW\tTaiwan\tcountry\tPCLI\t23.7\t121.0\tTW\t\t23451837\t
country:US\tUnited States\tcountry\tPCLI\t39.8\t-98.6\tUS\t\t327167434\tUSA|US|United States of America
admin1:CN.25\tShandong\tadmin1\tADM1\t36.4\t118.3\tCN\t25\t96370000\tShandong Province
port:CNTAO\tQingdao\tport\tPRT\t36.08\t120.31\tCN\t\t0\t
";
    pub const MARINE: &str = "id\tname\tkind\tlat\tlon\twest\tsouth\teast\tnorth\tcountries\taliases
sea_of_japan\tSea of Japan\tsea\t40.0\t134.0\t127.5\t33.5\t142.5\t51.5\tJP|KR|KP|RU\tEast Sea|Japan Sea
east_china_sea\tEast China Sea\tsea\t29.0\t125.0\t117.0\t23.0\t131.0\t33.5\tCN|JP|KR|TW\t
yellow_sea\tYellow Sea\tsea\t36.0\t123.5\t117.5\t33.0\t126.8\t41.0\tCN|KR|KP\tWest Sea
korea_strait\tKorea Strait\tstrait\t34.6\t129.2\t127.8\t33.3\t130.9\t35.5\tKR|JP\tTsushima Strait
taiwan_strait\tTaiwan Strait\tstrait\t24.5\t119.5\t117.5\t22.5\t121.5\t26.0\tCN|TW\tFormosa Strait
south_china_sea\tSouth China Sea\tsea\t12.0\t114.0\t99.0\t0.0\t121.0\t23.0\tCN|VN|PH|MY\t
";
    pub const LANDMARKS: &str = "id\tname\tkind\tlat\tlon\tcountry\tstands_for\taliases
kremlin\tKremlin\tlandmark\t55.752\t37.617\tRU\tcountry:RU\tthe Kremlin|Moscow Kremlin
";
    pub const DEMONYMS: &str = "word\tcountry
Chinese\tCN
Russian\tRU
Russians\tRU
Japanese\tJP
American\tUS
";

    pub const ALIASES: &str = "alias\ttarget\tkind
U.S.\tcountry:US\talias
Ky.\tadmin1:CN.25\tabbreviation
";
    pub const NOT_PLACES: &str = "name\twhat
Moscow Times\tmedia
Global Times\tmedia
Press TV\tmedia
";

    pub fn tables() -> super::Tables<'static> {
        super::Tables {
            places: PLACES,
            marine: MARINE,
            landmarks: LANDMARKS,
            demonyms: DEMONYMS,
            not_places: NOT_PLACES,
            aliases: ALIASES,
            common_words: "reading\n",
            centres: "id\tname\tlat\tlon\tnote\ncountry:CN\tChina\t35\t105\t\n",
            regions: "id\tname\tkind\tlat\tlon\tcountries\taliases\nmiddle_east\tMiddle East\tregion\t29\t41\tSA|IQ\tMideast\n",
        }
    }

    pub fn small() -> Gazetteer {
        Gazetteer::from_tables(&tables()).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternate_and_folded_names_find_the_same_place() {
        let g = test_data::small();
        let tsingtao = g.lookup("TSINGTAO");
        assert_eq!(g.entry(tsingtao[0]).id, "gn:1797929");
        let sea = g.lookup("east sea");
        assert_eq!(g.entry(sea[0]).id, "marine:sea_of_japan");
        assert_eq!(g.entry(sea[0]).kind, PlaceKind::Sea);
    }

    #[test]
    fn candidates_are_ranked_by_importance() {
        let g = test_data::small();
        let moscow: Vec<_> = g
            .lookup("Moscow")
            .into_iter()
            .map(|i| g.entry(i).country.clone().unwrap())
            .collect();
        assert_eq!(moscow, ["RU", "US"]);
        // the city outranks the port of the same name
        let qingdao: Vec<_> = g
            .lookup("Qingdao")
            .into_iter()
            .map(|i| g.entry(i).kind)
            .collect();
        assert_eq!(qingdao, [PlaceKind::City, PlaceKind::Port]);
    }

    #[test]
    fn aliases_name_existing_entries() {
        let g = test_data::small();
        assert_eq!(g.entry(g.lookup("U.S.")[0]).id, "country:US");
        assert!(g.is_abbreviation("ky"));
        assert!(!g.is_abbreviation("us"));
        let bad = Tables {
            aliases: "alias\ttarget\tkind\nX\tgn:404\talias\n",
            ..test_data::tables()
        };
        assert!(Gazetteer::from_tables(&bad)
            .err()
            .unwrap()
            .to_string()
            .contains("line 2"));
    }

    #[test]
    fn demonyms_are_not_places() {
        let g = test_data::small();
        assert_eq!(g.demonym("chinese"), Some("CN"));
        assert!(g.lookup("Chinese").is_empty());
        assert!(g.is_name_prefix("sea of"));
        assert!(!g.is_name_prefix("sea of cortez"));
        assert_eq!(g.entry(g.country("RU").unwrap()).name, "Russia");
    }
}
