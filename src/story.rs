//! The *story* of a corpus: every document read, every place mention found and resolved, every time
//! expression, the events joined to places and dates, and the tracks drawn from those events.
//!
//! It is the one data model of mentionmap. Each pipeline stage adds its part, every exporter reads it,
//! and it serialises to `story.json` so that an analyst can review or correct it by hand and export
//! again. Field names are part of the file format: change them only with care.
//!
//! Offsets (`start`, `end`) count Unicode code points into the document text as read, so that Python
//! and JavaScript tools can slice the text with them. Dates are ISO 8601 strings (`2023-07-16`); a
//! time expression's `value` is TIMEX3-style and may be coarser (`2023-07`, `2023-W29`, `2023`).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Attribution that must travel with every output built from the gazetteer.
pub const GEONAMES_ATTRIBUTION: &str =
    "Place data from GeoNames (geonames.org), licensed under CC BY 4.0";

/// Written to `story.json` and read back in the layout `src/export/story_json.rs` defines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Story {
    pub generator: Generator,
    pub documents: Vec<Document>,
    pub places: Vec<Place>,
    pub mentions: Vec<Mention>,
    pub demonyms: Vec<Demonym>,
    pub times: Vec<TimeExpr>,
    pub events: Vec<Event>,
    pub tracks: Vec<Track>,
    /// The ships, groups, forces and nations that events name, each once for the whole corpus.
    pub actors: Vec<Actor>,
    /// Per document, in the order of `documents`, what the cross-document steps need beyond the
    /// members above, so that stories extracted separately merge as one run (`mentionmap merge`).
    /// Empty in a filtered story, which cannot be merged.
    pub readings: Vec<DocRecord>,
}

/// One document's part of [`Story::readings`]. A document with a date of its own keeps its reading
/// (actors and frames), which no other document can change; one undated or dated only by inference
/// keeps its text instead, since other documents may still move its date and its times and frames are
/// then read again. The form follows the event reader's and may change between versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    pub doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<crate::events::DocActor>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frames: Vec<crate::events::Frame>,
}

/// Who made the story and when, with the attributions every export must repeat.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Generator {
    pub tool: String,
    pub version: String,
    /// RFC 3339 time of generation; fixed by `--generated-at` or `SOURCE_DATE_EPOCH` for reproducible output.
    pub generated_at: String,
    pub attribution: Vec<String>,
}

impl Generator {
    /// Add a credit every export must repeat, unless it is there already.
    pub fn credit(&mut self, credit: String) {
        if !self.attribution.contains(&credit) {
            self.attribution.push(credit);
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// From the document's own metadata (front matter, HTML meta, JSON field) or `--date`.
    Metadata,
    /// From a date line in the text ("BEIJING, July 16 (Reuters) -").
    Dateline,
    /// Not stated: inferred from the dates the article reports.
    Inferred,
    #[default]
    None,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    /// Where it was read from (`-` for standard input).
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    pub date_source: DateSource,
    /// Length of the text in code points.
    pub chars: usize,
}

/// What kind of thing a place is. Marine kinds matter: naval news is mostly seas and straits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    Country,
    Admin1,
    Admin2,
    City,
    Port,
    Sea,
    Strait,
    Channel,
    Gulf,
    Bay,
    Sound,
    Canal,
    Ocean,
    Island,
    Region,
    Landmark,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 16] = [
        PlaceKind::Country,
        PlaceKind::Admin1,
        PlaceKind::Admin2,
        PlaceKind::City,
        PlaceKind::Port,
        PlaceKind::Sea,
        PlaceKind::Strait,
        PlaceKind::Channel,
        PlaceKind::Gulf,
        PlaceKind::Bay,
        PlaceKind::Sound,
        PlaceKind::Canal,
        PlaceKind::Ocean,
        PlaceKind::Island,
        PlaceKind::Region,
        PlaceKind::Landmark,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::Admin2 => "admin2",
            PlaceKind::City => "city",
            PlaceKind::Port => "port",
            PlaceKind::Sea => "sea",
            PlaceKind::Strait => "strait",
            PlaceKind::Channel => "channel",
            PlaceKind::Gulf => "gulf",
            PlaceKind::Bay => "bay",
            PlaceKind::Sound => "sound",
            PlaceKind::Canal => "canal",
            PlaceKind::Ocean => "ocean",
            PlaceKind::Island => "island",
            PlaceKind::Region => "region",
            PlaceKind::Landmark => "landmark",
        }
    }

    pub fn parse(s: &str) -> Option<PlaceKind> {
        PlaceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Water bodies: a ship can be *in* them, and a track waypoint there stands somewhere in the water.
    pub fn is_water(self) -> bool {
        matches!(
            self,
            PlaceKind::Sea
                | PlaceKind::Strait
                | PlaceKind::Channel
                | PlaceKind::Gulf
                | PlaceKind::Bay
                | PlaceKind::Sound
                | PlaceKind::Canal
                | PlaceKind::Ocean
        )
    }
}

/// A resolved place: one row per distinct gazetteer entry that some mention resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// The gazetteer id (`gn:1797929`, `marine:sea_of_japan`, `country:CN`).
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub lat: f64,
    pub lon: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// West, south, east, north, for areas (seas, countries) where the gazetteer knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f64; 4]>,
    /// Which gazetteer layer it came from (`geonames`, `natural-earth`, `searoute`, `mentionmap`).
    pub gazetteer: String,
    /// Its id in that gazetteer (a GeoNames id, a UN/LOCODE, a table slug).
    pub gazetteer_id: String,
    /// How many mentions resolved to it.
    pub mentions: usize,
}

/// A gazetteer entry that was considered for a mention, with the score the resolver gave it. What it
/// says of the place is shared ([`CandidatePlace`]): a corpus names the same few thousand places in
/// millions of candidates, and a candidate of its own would make each several times larger. It reads
/// as its place (`candidate.name`, `candidate.lat`) and is written as one flat record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    #[serde(flatten)]
    pub at: Arc<CandidatePlace>,
    pub score: f64,
}

/// The place a candidate names, as the candidate saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidatePlace {
    /// The place's id.
    pub place: String,
    pub name: String,
    pub kind: PlaceKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
}

impl Candidate {
    pub fn new(at: CandidatePlace, score: f64) -> Candidate {
        Candidate {
            at: Arc::new(at),
            score,
        }
    }
}

impl std::ops::Deref for Candidate {
    type Target = CandidatePlace;

    fn deref(&self) -> &CandidatePlace {
        &self.at
    }
}

/// A stretch of text that names a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub doc: Arc<str>,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The chosen place's id, or null when no candidate was good enough.
    pub place: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub confidence: f64,
    /// `polity` when the name stands for a government ("Beijing said", "the Kremlin").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The sentence the mention stands in, so a map can show why a dot is there: one copy, shared by
    /// every mention in that sentence.
    pub sentence: Arc<str>,
    pub candidates: Vec<Candidate>,
}

/// A demonym or national adjective ("Chinese warships"): evidence for a country, never a dot on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Demonym {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub country: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Day,
    Week,
    Month,
    /// A TIMEX3 season (`2023-SU`), northern-hemisphere meteorological: SP Mar–May, SU Jun–Aug,
    /// FA Sep–Nov, WI Dec–Feb counted in the year of its December.
    Season,
    Year,
}

/// The tense of the clause a time expression stands in, as its words tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tense {
    Past,
    /// Present progressive or a present-tense schedule ("are holding talks", "the drills begin").
    Present,
    Future,
}

/// TIMEX3 `mod`: which part of the period is meant ("early July", "mid-2023", "late last year").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Modifier {
    Start,
    Mid,
    End,
}

/// A temporal expression ("on Sunday", "earlier this month") and its normalised value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeExpr {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// TIMEX3-style value, or null when it cannot be anchored (never a guess). For a range
    /// ("June 12 to 17", "the past week") it is the first value and `end_value` the last.
    pub value: Option<String>,
    pub granularity: Option<Granularity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<Modifier>,
    /// The clause's tense when its words show one; it decided which way a bare "Sunday" was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tense: Option<Tense>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Depart,
    Arrive,
    PortCall,
    Transit,
    Exercise,
    Patrol,
    Meeting,
    Other,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Depart => "depart",
            Action::Arrive => "arrive",
            Action::PortCall => "port_call",
            Action::Transit => "transit",
            Action::Exercise => "exercise",
            Action::Patrol => "patrol",
            Action::Meeting => "meeting",
            Action::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    #[default]
    Happened,
    Planned,
}

/// Where an event was read: the document, the sentence and its offsets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub sentence: String,
    /// The date this report gives the event (a TIMEX3 value), when it gives one; reports may disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// One reported happening: who did what, where and when, with every report that says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub actor: String,
    pub action: Action,
    /// Place ids, first the main one.
    pub places: Vec<String>,
    /// First and last day of the event's time interval, `YYYY-MM-DD`, when known.
    pub start: Option<String>,
    pub end: Option<String>,
    /// The TIMEX3 value the interval came from (`2023-07`), for coarse dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    pub modality: Modality,
    pub sources: Vec<Source>,
    /// Other actors taking part (a joint exercise, a meeting), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<String>,
    /// Events the reports tell as coming before this one ("before calling at", "had passed",
    /// "after exercises in"), by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

impl Event {
    pub fn place(&self) -> Option<&str> {
        self.places.first().map(String::as_str)
    }
}

/// A stop on a track: the place an actor was at, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waypoint {
    pub place: String,
    pub name: String,
    /// Where the track passes: for a sea, a point in that water near the neighbouring waypoints.
    pub lat: f64,
    pub lon: f64,
    pub start: Option<String>,
    pub end: Option<String>,
    pub events: Vec<String>,
    pub planned: bool,
    /// The documents that report the events behind it.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// The line between two consecutive waypoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leg {
    /// Indexes into the track's waypoints.
    pub from: usize,
    pub to: usize,
    pub planned: bool,
    /// True when drawn over the sea-lane network; false for a great-circle fallback.
    pub routed: bool,
    /// `[lon, lat]` pairs.
    pub coordinates: Vec<[f64; 2]>,
}

/// The described movement of one ship or group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Track {
    pub id: String,
    pub actor: String,
    pub waypoints: Vec<Waypoint>,
    pub legs: Vec<Leg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    /// One ship ("HMS Diamond", "the guided-missile destroyer Qiqihar").
    Ship,
    /// Ships that sail together, named ("Gromkiy and Sovershenny") or not ("a Chinese naval flotilla").
    Group,
    /// A nation's forces as a whole ("Russian naval and air forces", "the Chinese navy").
    Forces,
    /// A country acting as a party ("China and Russia conducted a joint patrol").
    Nation,
}

/// Who does things in events: one entry per ship, group, force or nation across the corpus. Ships and
/// groups get tracks; forces and nations only take part in events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// The name events and tracks use.
    pub name: String,
    pub kind: ActorKind,
    /// ISO 3166-1 alpha-2 of the navy or nation, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Ships known to belong to a group, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// For a ship found in `gazetteer/vessels.tsv`: hull number, class and navy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hull: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub navy: Option<String>,
    /// Every wording the articles used for it ("the same ships", "two Russian warships").
    pub aliases: Vec<String>,
}

impl Story {
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id == id)
    }

    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }
}
