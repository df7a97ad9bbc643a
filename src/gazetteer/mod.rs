//! The *gazetteer*: every place name mentionmap knows, offline, with what kind of place it is, where it
//! is, and how important it is.
//!
//! It joins *parts*, each one binary [`index`] read in place. The built-in part is made at build time
//! from the layers shipped under `gazetteer/` (GeoNames cities, countries, divisions and ports built by
//! `gazetteer/build.py`, and the project's own tables of marine areas, landmarks and regions, with its
//! alias and reference-point tables applied) and embedded in the
//! program. A user may import the full GeoNames dump into the data folder as a second part; when it has
//! an entry with the same id as the built-in one (`gn:1797929`, `country:CN`), that entry stands for the
//! place and the names of both parts lead to it. Imported Natural Earth outlines replace the hand-drawn
//! boxes of marine entries. Demonyms are kept apart: they are evidence for a country, never a place on
//! the map.

mod fold;
mod geonames;
mod index;
mod memo;
mod natural_earth;
mod rank;
mod tables;

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};

pub use fold::fold;
pub use geonames::{import_geonames, GeonamesImport};
pub use natural_earth::{import_natural_earth, NaturalEarthImport};
pub use tables::Tables;

use crate::story::{CandidatePlace, PlaceKind};
use index::{Index, Record};

/// What a run of folded words is to the gazetteer, for a scanner deciding whether to read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKey {
    /// No known name is these words or starts with them.
    Unknown,
    /// Only the start of longer names ("sea of"), or of an outlet or ship name.
    Prefix,
    /// A name with entries.
    Name,
}

// The bits of [`Gazetteer::work_out_name_facts`].
const UNKNOWN: u32 = 0;
const PREFIX: u32 = 1;
const NAME: u32 = 2;
const NON_PLACE: u32 = 4;
const DEMONYM_LONGER: u32 = 8;
const COMMON_WORD: u32 = 16;
/// The first sense's kind, as its place in [`PlaceKind::ALL`] plus one, bits 5 to 9.
const SENSE_KIND_SHIFT: u32 = 5;
/// The first sense's [`PopulationBand`], bits 10 and 11.
const SENSE_BAND_SHIFT: u32 = 10;
const ABBREVIATION: u32 = 1 << 12;
/// Longer names start with the words (always so for a [`PREFIX`]).
const LONGER: u32 = 1 << 13;
/// The demonym's country, as its place in [`Gazetteer::demonym_countries`] plus one, from this bit up.
const DEMONYM_COUNTRY_SHIFT: u32 = 14;

/// What a run of folded words is to the gazetteer: see [`Gazetteer::name_facts`]. Held as the
/// memo's bits and read out only as asked: a scanner asks most runs one or two of these questions.
#[derive(Clone, Copy)]
pub struct NameFacts<'a> {
    bits: u32,
    gazetteer: &'a Gazetteer,
}

impl<'a> NameFacts<'a> {
    pub fn key(&self) -> NameKey {
        match self.bits & 0b11 {
            NAME => NameKey::Name,
            PREFIX => NameKey::Prefix,
            _ => NameKey::Unknown,
        }
    }

    /// Longer names (of places, or of outlets and the like) start with these words: a scanner that
    /// finds none reads no further ("qingdao", but not "south" or "moscow").
    pub fn longer(&self) -> bool {
        self.bits & LONGER != 0
    }

    /// The words name an outlet, ship, organisation or event ("moscow times").
    pub fn non_place(&self) -> bool {
        self.bits & NON_PLACE != 0
    }

    /// What the words are to demonyms, if they are one or start one.
    pub fn demonym(&self) -> Option<DemonymStep<'a>> {
        let country = (self.bits >> DEMONYM_COUNTRY_SHIFT) as usize;
        let longer = self.bits & DEMONYM_LONGER != 0;
        (country > 0 || longer).then(|| DemonymStep {
            country: country
                .checked_sub(1)
                .map(|n| self.gazetteer.demonym_countries[n].as_str()),
            longer,
        })
    }

    /// An English common word that is also a place name: see [`Gazetteer::is_common_word`].
    pub fn common_word(&self) -> bool {
        self.bits & COMMON_WORD != 0
    }

    /// A postal-style abbreviation ("Ky.", "Mo."), which names a place only after "City, ".
    pub fn abbreviation(&self) -> bool {
        self.bits & ABBREVIATION != 0
    }

    /// The best entry the words name, in brief, when they are a name.
    pub fn first_sense(&self) -> Option<SenseGist> {
        match (self.bits >> SENSE_KIND_SHIFT) & 0b1_1111 {
            0 => None,
            kind => Some(SenseGist {
                kind: PlaceKind::ALL[kind as usize - 1],
                population: PopulationBand::ALL[(self.bits >> SENSE_BAND_SHIFT) as usize & 0b11],
            }),
        }
    }
}

/// What a name's best entry ([`Gazetteer::first_sense`]) is, in brief: recognition weighs a name by
/// the place it most likely means (a country, a big city, a small town), and the brief answer comes
/// with the name's other facts, where fetching the entry would reach far into the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SenseGist {
    pub kind: PlaceKind,
    pub population: PopulationBand,
}

/// A population, as far as recognition's rules tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopulationBand {
    Under100k,
    Under500k,
    AtLeast500k,
}

impl PopulationBand {
    const ALL: [PopulationBand; 3] = [
        PopulationBand::Under100k,
        PopulationBand::Under500k,
        PopulationBand::AtLeast500k,
    ];

    pub fn of(population: u64) -> PopulationBand {
        match population {
            0..100_000 => PopulationBand::Under100k,
            100_000..500_000 => PopulationBand::Under500k,
            _ => PopulationBand::AtLeast500k,
        }
    }
}

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
    /// West, south, east, north; west > east when the box crosses the antimeridian.
    pub bbox: Option<[f64; 4]>,
    /// Coastal or neighbouring countries (marine areas), for disambiguation by context.
    pub near_countries: Vec<String>,
    /// For a government metonym (the Kremlin), the polity it stands for (`country:RU`).
    pub stands_for: Option<String>,
    /// Every name it is known by, the main name first.
    pub names: Vec<String>,
    /// Which layer it came from: `geonames`, `natural-earth`, `searoute`, `mentionmap`.
    pub layer: &'static str,
    /// The GeoNames id of the same feature, when known (cities, countries, continents, imported rows).
    pub geonameid: Option<u64>,
    /// A prior between 0 and 1: how likely a bare mention of its main name means this place.
    pub importance: f64,
}

impl Entry {
    /// The id within its own gazetteer: the GeoNames id for GeoNames entries, else the part after the
    /// `prefix:`.
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

    /// What a mention's candidate says of this place.
    pub fn candidate_place(&self) -> CandidatePlace {
        CandidatePlace {
            place: self.id.clone(),
            name: self.name.clone(),
            kind: self.kind,
            country: self.country.clone(),
            lat: self.lat,
            lon: self.lon,
        }
    }
}

/// Number of an entry across all parts of a [`Gazetteer`].
pub type EntryId = u32;

/// One entry found for a name, with the score that ranks it among the others found for that name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub entry: EntryId,
    /// The entry's importance, a little less when the name is only one of its aliases, halved when that
    /// alias is the main name of a place of the same kind nearby, and for a division named after a big
    /// city, just below the city (see `rank.rs`).
    pub score: f64,
    /// True when the name matched an alias rather than the main name.
    pub alias: bool,
}

/// What a caller knows beyond the name: `kind` keeps only places of that kind; `country` (ISO alpha-2)
/// moves the places in, or on the coast of, that country to the front, keeping the others after them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hint<'a> {
    pub country: Option<&'a str>,
    pub kind: Option<PlaceKind>,
}

/// A loaded layer and how many entries it gave, for `gazetteer info`.
#[derive(Debug, Clone)]
pub struct LayerInfo {
    pub name: String,
    pub entries: usize,
    pub licence: String,
    /// Where it was loaded from: `built in`, or a file in the data folder.
    pub source: String,
    /// Facts recorded when it was made (source file, import time, rows read and skipped).
    pub notes: Vec<(String, String)>,
}

/// Environment variable naming the data folder, instead of the platform's (`~/.local/share/mentionmap`).
pub const DATA_DIR_ENV: &str = "MENTIONMAP_DATA_DIR";
/// The imported GeoNames part, in the data folder.
pub const GEONAMES_INDEX_FILE: &str = "geonames.idx";

/// The folder where imported layers live: `$MENTIONMAP_DATA_DIR`, else the platform data folder
/// (`$XDG_DATA_HOME/mentionmap` or `~/.local/share/mentionmap` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|d| d.join("mentionmap")),
    }
}

/// The built-in index, written by `build.rs` from the shipped tables.
static BUILT_IN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.idx"));
const DEMONYMS: &str = include_str!("../../gazetteer/demonyms.tsv");
const NOT_PLACES: &str = include_str!("../../gazetteer/not_places.tsv");
/// Read again at start-up for its abbreviations; its names are already in the index.
const ALIASES: &str = include_str!("../../gazetteer/aliases.tsv");
const COMMON_WORDS: &str = include_str!("../../gazetteer/data/common_words.txt");

/// Folded words read while scanning for a demonym: the country they name, if they are a demonym, and
/// whether a longer demonym starts with them ("papua new" in "papua new guinean").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemonymStep<'a> {
    pub country: Option<&'a str>,
    pub longer: bool,
}

pub struct Gazetteer {
    parts: Vec<Part>,
    // These word sets are asked about for most capitalised words of every document: a fast hash
    // (FxHash) rather than the DoS-resistant default, since their keys come from our own tables.
    /// Folded demonyms (to their ISO country code) and the word prefixes of multi-word ones ("papua",
    /// "papua new"; true when a longer demonym starts so), so that a scanner learns both whether it has
    /// a demonym and whether to read on in one look-up.
    demonyms: FxHashMap<String, (Option<u16>, bool)>,
    /// The countries demonyms point to, each once: what a demonym's number stands for.
    demonym_countries: Vec<String>,
    /// Folded names of outlets, ships, organisations and events that contain place names.
    non_places: FxHashSet<String>,
    /// Those names and each of their word prefixes, so a scanner knows when to stop extending.
    non_place_prefixes: FxHashSet<String>,
    /// Folded postal abbreviations ("ky", "mo"): names only after "City, ".
    abbreviations: FxHashSet<String>,
    /// Lower-case English words that are also place names ("reading", "farms").
    common_words: FxHashSet<String>,
    longest_name_words: usize,
    layers: Vec<LayerInfo>,
    marine_outlines: Option<natural_earth::MarineOutlines>,
    /// Whose answers a thread's [`memo`] holds: fresh whenever a part is added, which changes them.
    memo_owner: u32,
}

/// One index and the range of entry numbers it holds.
struct Part {
    index: Index,
    first: EntryId,
    cache: EntryCache,
}

impl Gazetteer {
    /// The default gazetteer: the built-in one plus whatever the user imported into the data folder.
    pub fn load_default() -> Result<Gazetteer> {
        Gazetteer::load_with_data_dir(data_dir().as_deref())
    }

    /// Only what ships with the program, whatever the data folder holds.
    pub fn load_built_in() -> Result<Gazetteer> {
        Gazetteer::load_with_data_dir(None)
    }

    /// The built-in gazetteer plus the layers imported into `dir`, if any.
    pub fn load_with_data_dir(dir: Option<&Path>) -> Result<Gazetteer> {
        let built_in = Index::open(Arc::new(BUILT_IN)).context("the built-in index")?;
        let mut gazetteer = Gazetteer::new(
            built_in,
            "built in",
            &Tables {
                places: "",
                marine: "",
                landmarks: "",
                centres: "",
                regions: "",
                demonyms: DEMONYMS,
                not_places: NOT_PLACES,
                aliases: ALIASES,
                common_words: COMMON_WORDS,
            },
        )?;
        if let Some(dir) = dir {
            gazetteer.add_data_dir(dir)?;
        }
        Ok(gazetteer)
    }

    /// A gazetteer from tables given as text, in the shipped formats.
    pub fn from_tables(t: &Tables) -> Result<Gazetteer> {
        let mut writer = index::IndexWriter::in_memory();
        tables::write_place_layers(&mut writer, t)?;
        let mut bytes = Vec::new();
        writer.finish(&mut bytes)?;
        Gazetteer::new(Index::open(Arc::new(bytes))?, "tables", t)
    }

    /// A gazetteer of one index, with the word tables (demonyms, non-places, abbreviations, common
    /// words) of `t`.
    fn new(index: Index, source: &str, t: &Tables) -> Result<Gazetteer> {
        let non_places = tables::parse_not_places(t.not_places)?;
        let mut non_place_prefixes = FxHashSet::default();
        let mut longest_name_words = 1;
        for folded in &non_places {
            let words: Vec<&str> = folded.split(' ').collect();
            longest_name_words = longest_name_words.max(words.len());
            for n in 1..=words.len() {
                non_place_prefixes.insert(words[..n].join(" "));
            }
        }
        let mut demonyms: FxHashMap<String, (Option<u16>, bool)> = FxHashMap::default();
        let mut demonym_countries: Vec<String> = Vec::new();
        for (folded, country) in tables::parse_demonyms(t.demonyms)? {
            for (space, _) in folded.match_indices(' ') {
                demonyms.entry(folded[..space].to_string()).or_default().1 = true;
            }
            let number = match demonym_countries.iter().position(|c| *c == country) {
                Some(n) => n,
                None => {
                    demonym_countries.push(country);
                    demonym_countries.len() - 1
                }
            };
            demonyms.entry(folded).or_default().0 = Some(number as u16);
        }
        let mut gazetteer = Gazetteer {
            parts: Vec::new(),
            demonyms,
            demonym_countries,
            non_places: non_places.into_iter().collect(),
            non_place_prefixes,
            abbreviations: tables::parse_aliases(t.aliases)?
                .into_iter()
                .filter(|a| a.abbreviation)
                .map(|a| fold(&a.name))
                .collect(),
            common_words: t
                .common_words
                .lines()
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
            longest_name_words,
            layers: Vec::new(),
            marine_outlines: None,
            memo_owner: 0,
        };
        gazetteer.add_part(index, source);
        Ok(gazetteer)
    }

    /// A number for this gazetteer with the parts it has now, never another's (see `memo.rs`): answers
    /// remembered under it hold for it.
    pub fn memo_owner(&self) -> u32 {
        self.memo_owner
    }

    fn add_part(&mut self, index: Index, source: &str) {
        for layer in &index.layers {
            self.layers.push(LayerInfo {
                name: layer.name.clone(),
                entries: layer.entries,
                licence: layer.licence.clone(),
                source: source.to_string(),
                notes: index.notes.clone(),
            });
        }
        self.longest_name_words = self
            .longest_name_words
            .max(index.longest_name_words() as usize);
        let first = self.len() as EntryId;
        self.memo_owner = memo::fresh_owner();
        self.parts.push(Part {
            cache: EntryCache::new(index.len()),
            index,
            first,
        });
    }

    fn add_data_dir(&mut self, dir: &Path) -> Result<()> {
        let path = dir.join(GEONAMES_INDEX_FILE);
        if path.exists() {
            let index = open_mapped(&path).with_context(|| {
                format!(
                    "cannot read the imported GeoNames layer {} (import it again, or delete it)",
                    path.display()
                )
            })?;
            self.add_part(index, &path.display().to_string());
        }
        if let Some(outlines) = natural_earth::MarineOutlines::load(dir)? {
            self.layers.push(outlines.layer_info());
            self.marine_outlines = Some(outlines);
        }
        Ok(())
    }

    /// The entry with this number; decoded on first use and kept.
    pub fn entry(&self, id: EntryId) -> &Entry {
        let (part, i) = self.locate(id);
        part.cache.get_or_decode(i, || {
            entry_from_record(part.index.decode(i), self.marine_outlines.as_ref())
        })
    }

    fn locate(&self, id: EntryId) -> (&Part, u32) {
        let part = self
            .parts
            .iter()
            .rev()
            .find(|p| id >= p.first)
            .expect("the first part starts at entry 0");
        assert!(
            id - part.first < part.index.len(),
            "no gazetteer entry {id}"
        );
        (part, id - part.first)
    }

    /// Entries in all parts; a place both built in and imported counts twice.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.index.len() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn layers(&self) -> &[LayerInfo] {
        &self.layers
    }

    /// Entries known by this name (any spelling that folds the same), best first.
    pub fn lookup(&self, name: &str) -> Vec<EntryId> {
        self.lookup_folded(&fold(name))
    }

    pub fn lookup_folded(&self, folded: &str) -> Vec<EntryId> {
        if let [part] = self.parts.as_slice() {
            // One part: its postings are already in order.
            return part
                .index
                .postings(folded)
                .map(|p| part.first + p.entry)
                .collect();
        }
        self.candidates_folded(folded)
            .into_iter()
            .map(|c| c.entry)
            .collect()
    }

    /// The best entry known by a folded name, if any: the first of [`Gazetteer::lookup_folded`].
    pub fn first_sense(&self, folded: &str) -> Option<EntryId> {
        if let [part] = self.parts.as_slice() {
            return part
                .index
                .postings(folded)
                .next()
                .map(|p| part.first + p.entry);
        }
        self.lookup_folded(folded).first().copied()
    }

    /// Entries known by this name, best first, with their scores.
    pub fn candidates(&self, name: &str) -> Vec<Candidate> {
        self.candidates_folded(&fold(name))
    }

    pub fn candidates_folded(&self, folded: &str) -> Vec<Candidate> {
        if let [part] = self.parts.as_slice() {
            return part
                .index
                .postings(folded)
                .map(|p| Candidate {
                    entry: part.first + p.entry,
                    score: p.score,
                    alias: p.alias,
                })
                .collect();
        }
        let mut out: Vec<Candidate> = Vec::new();
        let mut position: HashMap<EntryId, usize> = HashMap::new();
        for (p, part) in self.parts.iter().enumerate() {
            for posting in part.index.postings(folded) {
                let (alias, score) = (posting.alias, posting.score);
                let entry = self.latest_version(p, posting.entry);
                match position.get(&entry) {
                    Some(&at) if out[at].score >= score => {}
                    Some(&at) => {
                        out[at] = Candidate {
                            entry,
                            score,
                            alias,
                        }
                    }
                    None => {
                        position.insert(entry, out.len());
                        out.push(Candidate {
                            entry,
                            score,
                            alias,
                        });
                    }
                }
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        out
    }

    /// The entry that stands for entry `i` of part `p`: the one with its id in the latest part.
    fn latest_version(&self, p: usize, i: u32) -> EntryId {
        let id = self.parts[p].index.id(i);
        self.parts[p + 1..]
            .iter()
            .rev()
            .find_map(|later| later.index.find_id(id).map(|j| later.first + j))
            .unwrap_or(self.parts[p].first + i)
    }

    /// Candidates for a name, narrowed and reordered by what the caller knows (see [`Hint`]).
    pub fn lookup_with_hint(&self, name: &str, hint: &Hint) -> Vec<Candidate> {
        let mut candidates = self.candidates(name);
        if let Some(kind) = hint.kind {
            candidates.retain(|c| self.kind_of(c.entry) == kind);
        }
        if let Some(country) = hint.country {
            // A stable sort keeps the score order within each group.
            candidates.sort_by_key(|c| !self.is_in_country(c.entry, country));
        }
        candidates
    }

    fn kind_of(&self, id: EntryId) -> PlaceKind {
        let (part, i) = self.locate(id);
        kind_from_code(part.index.record(i).kind)
    }

    fn is_in_country(&self, id: EntryId, iso2: &str) -> bool {
        let (part, i) = self.locate(id);
        match part.index.record(i).country {
            Some(country) => country.eq_ignore_ascii_case(iso2),
            None => self
                .entry(id)
                .near_countries
                .iter()
                .any(|c| c.eq_ignore_ascii_case(iso2)),
        }
    }

    /// What a run of folded words is to the gazetteer: see [`NameKey`].
    pub fn name_key(&self, folded: &str) -> NameKey {
        self.name_facts(folded).key()
    }

    /// What a run of folded words is to the gazetteer: a name, whether it names an outlet, ship,
    /// organisation or event ("moscow times"), a demonym, a common word. Scanners ask this of most
    /// capitalised words, and ask again in the next document, so the answer is remembered, and it
    /// answers all their questions about the words at once.
    pub fn name_facts(&self, folded: &str) -> NameFacts<'_> {
        NameFacts {
            bits: memo::remembered(self.memo_owner, folded, || self.work_out_name_facts(folded)),
            gazetteer: self,
        }
    }

    /// Readies the answer of [`Gazetteer::name_facts`] for `folded`, to be asked soon.
    pub fn prefetch_name_facts(&self, folded: &str) {
        memo::prefetch(self.memo_owner, folded);
    }

    /// [`Gazetteer::name_facts`] asked of the index, in one look-up per part, and of the word
    /// tables, as bits.
    fn work_out_name_facts(&self, folded: &str) -> u32 {
        let mut facts = UNKNOWN;
        let mut longer = false;
        for part in &self.parts {
            if let Some(known) = part.index.name_or_prefix(folded) {
                longer |= known.longer;
                if known.name {
                    facts = NAME;
                } else if facts == UNKNOWN {
                    facts = PREFIX;
                }
            }
        }
        // the set holds every word prefix of an outlet's name, and the name itself: a few names
        // taken for longer ones cost only a question more
        if self.non_place_prefixes.contains(folded) {
            longer = true;
            if facts == UNKNOWN {
                facts = PREFIX;
            }
        }
        if longer {
            facts |= LONGER;
        }
        if self.non_places.contains(folded) {
            facts |= NON_PLACE;
        }
        if let Some(&(country, longer)) = self.demonyms.get(folded) {
            if let Some(n) = country {
                facts |= (u32::from(n) + 1) << DEMONYM_COUNTRY_SHIFT;
            }
            if longer {
                facts |= DEMONYM_LONGER;
            }
        }
        if self.common_words.contains(folded) {
            facts |= COMMON_WORD;
        }
        if self.abbreviations.contains(folded) {
            facts |= ABBREVIATION;
        }
        if facts & NAME != 0 {
            if let Some(id) = self.first_sense(folded) {
                let (part, i) = self.locate(id);
                let record = part.index.record(i);
                // the kind's code is its place in PlaceKind::ALL (see kind_from_code)
                facts |= (u32::from(record.kind) + 1) << SENSE_KIND_SHIFT;
                facts |= (PopulationBand::of(record.population) as u32) << SENSE_BAND_SHIFT;
            }
        }
        facts
    }

    pub fn longest_name_words(&self) -> usize {
        self.longest_name_words
    }

    /// The country a demonym or national adjective points to ("Chinese" -> CN).
    pub fn demonym(&self, folded: &str) -> Option<&str> {
        let n = self.demonyms.get(folded)?.0?;
        Some(&self.demonym_countries[usize::from(n)])
    }

    /// True for an English common word that is also a place name ("reading", "mobile").
    pub fn is_common_word(&self, folded: &str) -> bool {
        self.common_words.contains(folded)
    }

    /// [`NameFacts::abbreviation`] asked of the table itself, for the tests to check the memo by.
    #[cfg(test)]
    fn is_abbreviation(&self, folded: &str) -> bool {
        self.abbreviations.contains(folded)
    }

    pub fn demonym_count(&self) -> usize {
        self.demonyms.values().filter(|d| d.0.is_some()).count()
    }

    /// The entry of a country by ISO code.
    pub fn country(&self, iso2: &str) -> Option<EntryId> {
        self.find_id(&format!("country:{iso2}"))
    }

    /// Entry by story id (`gn:1797929`); the latest part that has the id wins.
    pub fn find_id(&self, id: &str) -> Option<EntryId> {
        self.parts
            .iter()
            .rev()
            .find_map(|p| p.index.find_id(id).map(|i| p.first + i))
    }

    /// The real outline of a marine area, when Natural Earth outlines were imported.
    pub fn outline(&self, id: EntryId) -> Result<Option<&geo::MultiPolygon<f64>>> {
        match &self.marine_outlines {
            Some(outlines) => outlines.outline(&self.entry(id).id),
            None => Ok(None),
        }
    }

    /// Every folded name of the built-in part, for benchmarks and checks.
    pub fn built_in_names(&self) -> Vec<String> {
        self.parts[0].index.names()
    }
}

fn kind_from_code(code: u8) -> PlaceKind {
    *PlaceKind::ALL
        .get(code as usize)
        .expect("gazetteer index is damaged: unknown kind code")
}

fn entry_from_record(r: Record, outlines: Option<&natural_earth::MarineOutlines>) -> Entry {
    let bbox = outlines.and_then(|o| o.bbox(&r.id)).or(r.bbox);
    Entry {
        name: r.names.first().cloned().unwrap_or_default(),
        kind: kind_from_code(r.kind),
        layer: rank::LAYER_TAGS
            .get(r.layer as usize)
            .copied()
            .expect("gazetteer index is damaged: unknown layer code"),
        id: r.id,
        feature_code: r.feature_code,
        lat: r.lat,
        lon: r.lon,
        country: r.country,
        admin1: r.admin1,
        population: r.population,
        bbox,
        near_countries: r.near_countries,
        stands_for: r.stands_for,
        names: r.names,
        geonameid: r.geonameid,
        importance: r.importance,
    }
}

fn open_mapped(path: &Path) -> Result<Index> {
    let file = std::fs::File::open(path)?;
    // SAFETY: mentionmap replaces an index only by renaming a complete new file over it, never by
    // writing into it, so the mapped bytes do not change while they are read.
    let map = unsafe { memmap2::Mmap::map(&file)? };
    Index::open(Arc::new(map))
}

/// Decoded entries, filled on first use. Chunks are allocated only when one of their entries is used, so
/// a large imported part costs nothing until it is read.
struct EntryCache {
    chunks: Vec<OnceLock<CacheChunk>>,
}

type CacheChunk = Box<[OnceLock<Box<Entry>>]>;

const CACHE_CHUNK: usize = 1024;

impl EntryCache {
    fn new(len: u32) -> EntryCache {
        EntryCache {
            chunks: (0..(len as usize).div_ceil(CACHE_CHUNK))
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    fn get_or_decode(&self, i: u32, decode: impl FnOnce() -> Entry) -> &Entry {
        let i = i as usize;
        let chunk = self.chunks[i / CACHE_CHUNK]
            .get_or_init(|| (0..CACHE_CHUNK).map(|_| OnceLock::new()).collect());
        chunk[i % CACHE_CHUNK].get_or_init(|| Box::new(decode()))
    }
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
    fn kind_codes_follow_place_kind_order() {
        let names: Vec<&str> = PlaceKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names, rank::KIND_NAMES);
    }

    #[test]
    fn country_hint_moves_that_country_first_and_kind_filters() {
        let g = test_data::small();
        let hint = Hint {
            country: Some("US"),
            kind: None,
        };
        let moscow: Vec<_> = g
            .lookup_with_hint("moscow", &hint)
            .into_iter()
            .map(|c| g.entry(c.entry).country.clone().unwrap())
            .collect();
        assert_eq!(moscow, ["US", "RU"]);
        let ports = g.lookup_with_hint(
            "Qingdao",
            &Hint {
                country: None,
                kind: Some(PlaceKind::Port),
            },
        );
        assert_eq!(ports.len(), 1);
        assert_eq!(g.entry(ports[0].entry).id, "port:CNTAO");
        // a sea counts as in the countries on its coast
        let sea = g.lookup_with_hint(
            "yellow sea",
            &Hint {
                country: Some("KR"),
                kind: None,
            },
        );
        assert!(g.is_in_country(sea[0].entry, "KR"));
    }

    #[test]
    fn remembered_name_facts_are_the_ones_the_index_gives() {
        let g = test_data::small();
        let names: Vec<String> = g.parts[0].index.names();
        let mut keys = names.clone();
        // every word prefix of those names, and keys the index does not know
        let prefixes: Vec<String> = keys
            .iter()
            .flat_map(|k| k.match_indices(' ').map(|(i, _)| k[..i].to_string()))
            .collect();
        keys.extend(prefixes);
        keys.extend(["sea of cortez", "moscow", "moscow times", "xyz"].map(String::from));
        // demonyms, the starts of longer ones, and common words
        keys.extend(g.demonyms.keys().cloned());
        keys.extend(g.common_words.iter().cloned());
        assert!(keys
            .iter()
            .any(|k| g.work_out_name_facts(k) & NON_PLACE != 0));
        // names that longer ones start with ("sea of"), and names that none do ("qingdao")
        for longer in [false, true] {
            assert!(names.iter().any(|k| g.name_facts(k).longer() == longer));
        }
        for round in 0..2 {
            for key in &keys {
                let facts = g.name_facts(key);
                let bits = g.work_out_name_facts(key);
                assert_eq!(
                    (facts.key(), facts.non_place()),
                    (
                        [NameKey::Unknown, NameKey::Prefix, NameKey::Name][bits as usize & 0b11],
                        bits & NON_PLACE != 0
                    ),
                    "{key} (round {round})"
                );
                let demonym = g
                    .demonyms
                    .get(key.as_str())
                    .map(|&(_, longer)| DemonymStep {
                        country: g.demonym(key),
                        longer,
                    });
                assert_eq!(facts.demonym(), demonym, "{key}");
                // longer names of places or outlets start with the key and a space (an outlet's
                // own name counts as longer too: see work_out_name_facts)
                let starts_longer =
                    |n: &String| n.len() > key.len() + 1 && n.starts_with(&format!("{key} "));
                let longer = names.iter().any(starts_longer) || g.non_place_prefixes.contains(key);
                assert_eq!(facts.longer(), longer, "{key}");
                assert_eq!(facts.common_word(), g.is_common_word(key), "{key}");
                assert_eq!(facts.abbreviation(), g.is_abbreviation(key), "{key}");
                let first_sense = g.first_sense(key).map(|id| {
                    let e = g.entry(id);
                    SenseGist {
                        kind: e.kind,
                        population: PopulationBand::of(e.population),
                    }
                });
                assert_eq!(facts.first_sense(), first_sense, "{key}");
            }
        }
        let with_longer = Gazetteer::from_tables(&Tables {
            demonyms: "word\tcountry\nChinese\tCN\nPapua New Guinean\tPG\n",
            ..test_data::tables()
        })
        .unwrap();
        for (key, country, longer) in [
            ("chinese", Some("CN"), false),
            ("papua", None, true),
            ("papua new", None, true),
            ("papua new guinean", Some("PG"), false),
        ] {
            assert_eq!(
                with_longer.name_facts(key).demonym(),
                Some(DemonymStep { country, longer }),
                "{key}"
            );
        }
        assert_eq!(g.name_facts("qingdao").demonym(), None);
        assert!(g.name_facts("reading").common_word());
        // a second gazetteer with other tables on the same thread gets its own answers
        let other = Gazetteer::from_tables(&Tables {
            not_places: "name\tkind\n",
            ..test_data::tables()
        })
        .unwrap();
        assert!(!other.name_facts("moscow times").non_place());
        assert!(g.name_facts("moscow times").non_place());
    }

    #[test]
    fn entries_round_trip_through_the_index() {
        let g = test_data::small();
        let id = g.find_id("gn:1797929").unwrap();
        let qingdao = g.entry(id);
        assert_eq!(qingdao.name, "Qingdao");
        assert_eq!(qingdao.names, ["Qingdao", "Tsingtao", "Tsingtau"]);
        assert_eq!((qingdao.lat, qingdao.lon), (36.06488, 120.38042));
        assert_eq!(qingdao.admin1.as_deref(), Some("25"));
        assert_eq!(qingdao.population, 3718835);
        assert_eq!(qingdao.layer, "geonames");
        let sea = g.entry(g.find_id("marine:sea_of_japan").unwrap());
        assert_eq!(sea.bbox, Some([127.5, 33.5, 142.5, 51.5]));
        assert_eq!(sea.near_countries, ["JP", "KR", "KP", "RU"]);
        assert_eq!(g.find_id("gn:0"), None);
    }

    #[test]
    fn aliases_name_existing_entries_and_centres_move_them() {
        let g = test_data::small();
        assert_eq!(g.entry(g.lookup("U.S.")[0]).id, "country:US");
        assert!(g.is_abbreviation("ky"));
        assert!(!g.is_abbreviation("us"));
        assert!(g.is_common_word("reading"));
        assert_eq!(g.entry(g.lookup("Mideast")[0]).id, "region:middle_east");
        let china = g.entry(g.country("CN").unwrap());
        assert_eq!((china.lat, china.lon), (35.0, 105.0));
        let bad = Tables {
            aliases: "alias\ttarget\tkind\nX\tgn:404\talias\n",
            ..test_data::tables()
        };
        let err = Gazetteer::from_tables(&bad).err().unwrap().to_string();
        assert!(err.contains("aliases.tsv line 2"), "{err}");
        let bad = Tables {
            centres: "id\tlat\tlon\ngn:404\t1\t1\n",
            ..test_data::tables()
        };
        let err = Gazetteer::from_tables(&bad).err().unwrap().to_string();
        assert!(err.contains("centres.tsv line 2"), "{err}");
    }

    #[test]
    fn demonyms_are_not_places() {
        let g = test_data::small();
        assert_eq!(g.demonym("chinese"), Some("CN"));
        assert!(g.lookup("Chinese").is_empty());
        assert_eq!(g.name_key("sea of"), NameKey::Prefix);
        assert_eq!(g.name_key("sea of japan"), NameKey::Name);
        assert_eq!(g.name_key("sea of cortez"), NameKey::Unknown);
        assert_eq!(g.entry(g.country("RU").unwrap()).name, "Russia");
    }
}
