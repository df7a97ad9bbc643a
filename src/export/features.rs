//! Layer *features*: the flat, typed records the map formats write — one per place, one per event and
//! one per track leg — built once from the story so that GeoJSON, GeoJSONSeq and KML carry the same
//! features, names, times, coordinates and fields.
//!
//! Fields are flat and typed the way GDAL (and so QGIS) types them: numbers as numbers, `start`/`end`
//! as RFC 3339 UTC times (GDAL reads them as DateTime only when every value has that form), and beside
//! any list a readable text (`sources`). Field names avoid the words time-aware readers take for dates
//! (`from`, `to`, `date`…) unless the value is one. Coordinates are rounded to 6 decimals (about 10 cm)
//! and lines are cut at the antimeridian.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::geo_util::round6;
use crate::story::{Action, Document, Event, Mention, Modality, Place, PlaceKind, Story, Track};

use super::antimeridian;
use super::track_time::{self, iso};

/// The three map layers, in the order the formats write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Places,
    Events,
    Tracks,
}

impl Layer {
    pub const ALL: &'static [Layer] = &[Layer::Places, Layer::Events, Layer::Tracks];

    pub fn name(self) -> &'static str {
        match self {
            Layer::Places => "places",
            Layer::Events => "events",
            Layer::Tracks => "tracks",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Layer::Places => "Places",
            Layer::Events => "Events",
            Layer::Tracks => "Tracks",
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Layer::Places => PLACE_FIELDS,
            Layer::Events => EVENT_FIELDS,
            Layer::Tracks => LEG_FIELDS,
        }
    }
}

/// How a field's values are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Int,
    Real,
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339 UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    DateTime,
    /// A list of texts, always next to a readable text field saying the same.
    TextList,
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: FieldType,
    /// Column heading for people (KML's displayName).
    pub label: &'static str,
}

const fn field(name: &'static str, kind: FieldType, label: &'static str) -> Field {
    Field { name, kind, label }
}

use FieldType::{Bool, Date, DateTime, Int, Real, Text, TextList};

const PLACE_FIELDS: &[Field] = &[
    field("layer", Text, "Layer"),
    field("place_id", Text, "Place id"),
    field("name", Text, "Name"),
    field("kind", Text, "Kind"),
    field("country", Text, "Country"),
    field("lat", Real, "Latitude"),
    field("lon", Real, "Longitude"),
    field("mentions", Int, "Mentions"),
    field("document_count", Int, "Documents"),
    field("documents", TextList, "Document ids"),
    field("sources", Text, "Sources"),
    field("first_reported", Date, "First reported"),
    field("last_reported", Date, "Last reported"),
    field("gazetteer", Text, "Gazetteer"),
    field("gazetteer_id", Text, "Gazetteer id"),
];

const EVENT_FIELDS: &[Field] = &[
    field("layer", Text, "Layer"),
    field("event_id", Text, "Event id"),
    field("name", Text, "Name"),
    field("actor", Text, "Actor"),
    field("action", Text, "Action"),
    field("modality", Text, "Happened or planned"),
    field("place_id", Text, "Place id"),
    field("place", Text, "Place"),
    field("place_kind", Text, "Place kind"),
    field("country", Text, "Country"),
    field("places", Text, "All places"),
    field("lat", Real, "Latitude"),
    field("lon", Real, "Longitude"),
    field("start", DateTime, "Start"),
    field("end", DateTime, "End"),
    field("timex", Text, "Time as reported (TIMEX3)"),
    field("precision", Text, "Precision"),
    field("source_count", Int, "Reports"),
    field("documents", TextList, "Document ids"),
    field("sources", Text, "Sources"),
    field("first_reported", Date, "First reported"),
    field("last_reported", Date, "Last reported"),
    field("sentence", Text, "Sentence"),
];

const LEG_FIELDS: &[Field] = &[
    field("layer", Text, "Layer"),
    field("leg_id", Text, "Leg id"),
    field("name", Text, "Name"),
    field("track_id", Text, "Track id"),
    field("actor", Text, "Actor"),
    field("leg", Int, "Leg number"),
    field("origin", Text, "Origin"),
    field("origin_id", Text, "Origin place id"),
    field("destination", Text, "Destination"),
    field("destination_id", Text, "Destination place id"),
    field("planned", Bool, "Planned"),
    field("routed", Bool, "Routed over sea lanes"),
    field("start", DateTime, "Start"),
    field("end", DateTime, "End"),
    field("interpolated", Bool, "Times interpolated"),
    field("km", Real, "Length (km)"),
    field("documents", TextList, "Document ids"),
    field("sources", Text, "Sources"),
    field("first_reported", Date, "First reported"),
    field("last_reported", Date, "Last reported"),
];

/// One field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Text(String),
    Int(i64),
    Real(f64),
    Bool(bool),
    /// Texts of the story's, borrowed: a place named in every article lists every document id.
    List(Vec<&'a str>),
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<&str> for Value<'_> {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<Option<String>> for Value<'_> {
    fn from(s: Option<String>) -> Self {
        s.map_or(Value::Null, Value::Text)
    }
}

impl From<usize> for Value<'_> {
    fn from(n: usize) -> Self {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Value<'_> {
    fn from(x: f64) -> Self {
        Value::Real(x)
    }
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<'a> From<Vec<&'a str>> for Value<'a> {
    fn from(list: Vec<&'a str>) -> Self {
        Value::List(list)
    }
}

/// Where a feature is: a point, or a line already cut at the antimeridian into parts.
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    Point([f64; 2]),
    Line(Vec<Vec<[f64; 2]>>),
}

/// How a feature is styled: places by kind, events and legs by actor.
#[derive(Debug, Clone, PartialEq)]
pub enum Style {
    Place(PlaceKind),
    Actor { actor: String, planned: bool },
}

/// A sentence that explains a feature, with the document it is from.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote<'a> {
    pub sentence: &'a str,
    pub doc: &'a str,
    pub document: Option<&'a Document>,
}

/// One record of a layer.
#[derive(Debug, Clone)]
pub struct Feature<'a> {
    pub layer: Layer,
    /// The story's id for it (a place id, an event id, `t1/2` for leg 2 of track t1).
    pub id: String,
    pub name: String,
    pub geometry: Geometry,
    /// West, south, east, north of a place's area, when known.
    pub bbox: Option<[f64; 4]>,
    /// Values of `layer.fields()`, in that order.
    pub values: Vec<Value<'a>>,
    /// Per-vertex RFC 3339 times, one list per line part, for legs with known times.
    pub vertex_times: Option<Vec<Vec<String>>>,
    pub style: Style,
    /// The sentences it was found in, for a popup; empty unless made by [`Index::with_quotes`].
    pub quotes: Vec<Quote<'a>>,
}

impl<'a> Feature<'a> {
    pub fn value(&self, name: &str) -> &Value<'a> {
        self.layer
            .fields()
            .iter()
            .position(|f| f.name == name)
            .map_or(&Value::Null, |i| &self.values[i])
    }

    /// A text field's value, if set.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.value(name) {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Builds a feature's values by field name, so the order always follows the layer's field list.
struct Row<'a> {
    layer: Layer,
    values: Vec<Value<'a>>,
}

impl<'a> Row<'a> {
    fn new(layer: Layer) -> Row<'a> {
        let mut row = Row {
            layer,
            values: vec![Value::Null; layer.fields().len()],
        };
        row.set("layer", layer.name());
        row
    }

    fn set(&mut self, name: &str, value: impl Into<Value<'a>>) -> &mut Row<'a> {
        let i = self
            .layer
            .fields()
            .iter()
            .position(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} is not a field of {}", self.layer.name()));
        self.values[i] = value.into();
        self
    }
}

/// A place named in thousands of articles keeps a readable `sources` text of this many.
const MAX_READABLE_SOURCES: usize = 10;

/// Lookups over one story, built once so that large corpora stay linear.
pub struct Index<'a> {
    story: &'a Story,
    documents: FxHashMap<&'a str, &'a Document>,
    places: FxHashMap<&'a str, &'a Place>,
    events: FxHashMap<&'a str, &'a Event>,
    actors: Vec<&'a str>,
    /// Whether features carry their quotes: only KML's popups show them, and gathering a place's
    /// sentences over a large corpus is most of the cost of its feature.
    quotes: bool,
}

impl<'a> Index<'a> {
    pub fn new(story: &'a Story) -> Index<'a> {
        let mut actors: Vec<&str> = Vec::new();
        let mut seen = HashSet::new();
        for actor in story
            .events
            .iter()
            .map(|e| e.actor.as_str())
            .chain(story.tracks.iter().map(|t| t.actor.as_str()))
        {
            if seen.insert(actor) {
                actors.push(actor);
            }
        }
        Index {
            story,
            documents: story.documents.iter().map(|d| (d.id.as_str(), d)).collect(),
            places: story.places.iter().map(|p| (p.id.as_str(), p)).collect(),
            events: story.events.iter().map(|e| (e.id.as_str(), e)).collect(),
            actors,
            quotes: false,
        }
    }

    /// An index whose features carry the sentences they were found in ([`Feature::quotes`]).
    pub fn with_quotes(story: &'a Story) -> Index<'a> {
        Index {
            quotes: true,
            ..Index::new(story)
        }
    }

    pub fn story(&self) -> &'a Story {
        self.story
    }

    pub fn document(&self, id: &str) -> Option<&'a Document> {
        self.documents.get(id).copied()
    }

    /// Every actor, in order of first appearance: the order colours are handed out in.
    pub fn actors(&self) -> &[&'a str] {
        &self.actors
    }

    fn quote(&self, sentence: &'a str, doc: &'a str) -> Quote<'a> {
        Quote {
            sentence,
            doc,
            document: self.document(doc),
        }
    }

    /// Sets `documents`, its readable twin `sources` (`title [id]`, or the id alone, for the first
    /// few, then how many more there are), and the first and last publication dates among them — when
    /// the feature was in the news, known even when what it reports is not dated. One pass, each
    /// document looked up once: a place in every article has them all.
    fn set_documents(&self, row: &mut Row<'a>, documents: Vec<&'a str>) {
        let found: Vec<(&str, Option<&Document>)> = documents
            .iter()
            .map(|&id| (id, self.document(id)))
            .collect();
        set_found_documents(row, &found);
    }

    /// The features of one layer, in story order, built as they are read.
    pub fn features(&self, layer: Layer) -> Box<dyn Iterator<Item = Feature<'a>> + '_> {
        match layer {
            Layer::Places => {
                let mentions_of = self.mentions_by_place();
                let none = MentionsOfPlace::default();
                Box::new(self.story.places.iter().map(move |place| {
                    let mentions = mentions_of.get(place.id.as_str()).unwrap_or(&none);
                    self.place_feature(place, mentions)
                }))
            }
            Layer::Events => Box::new(
                self.story
                    .events
                    .iter()
                    .filter_map(|e| self.event_feature(e)),
            ),
            Layer::Tracks => Box::new(self.story.tracks.iter().flat_map(|t| self.leg_features(t))),
        }
    }

    /// Per place id, its mentions' documents (and, for quotes, the mentions), in one pass over the
    /// mentions, each document's record looked up once.
    fn mentions_by_place(&self) -> FxHashMap<&'a str, MentionsOfPlace<'a>> {
        let mentions = &self.story.mentions;
        // a document's mentions come together in a story as extracted, so a place's documents are
        // told apart by the run of mentions they stand in; a story put together otherwise (edited
        // by hand) has them told apart by id
        let together = documents_come_together(mentions);
        let mut by_place: FxHashMap<&str, MentionsOfPlace> = FxHashMap::default();
        let mut run = 0;
        let mut doc: (&str, Option<&Document>) = ("", None);
        for (i, m) in mentions.iter().enumerate() {
            if i == 0 || doc.0 != &*m.doc {
                run += 1;
                doc = (&m.doc, self.document(&m.doc));
            }
            let Some(place) = m.place.as_deref() else {
                continue;
            };
            let of_place = by_place.entry(place).or_default();
            if self.quotes {
                of_place.mentions.push(m);
            }
            if of_place.last_run != run {
                of_place.last_run = run;
                if together || of_place.seen.insert(doc.0) {
                    of_place.documents.push(doc);
                }
            }
        }
        by_place
    }

    fn place_feature(&self, place: &'a Place, of_place: &MentionsOfPlace<'a>) -> Feature<'a> {
        let mentions = &of_place.mentions;
        // sized at once: a place in every article would grow it many times over
        let mut sentences: FxHashSet<Quoted> =
            FxHashSet::with_capacity_and_hasher(mentions.len(), Default::default());
        let mut last_sentence = None;
        let mut quotes = Vec::new();
        for m in mentions {
            // the mentions of one sentence share its copy and come one after another
            if last_sentence
                .is_some_and(|(doc, sentence)| doc == &m.doc && Arc::ptr_eq(sentence, &m.sentence))
            {
                continue;
            }
            last_sentence = Some((&m.doc, &m.sentence));
            if sentences.insert(Quoted {
                doc: &m.doc,
                sentence: &m.sentence,
            }) {
                quotes.push(self.quote(&m.sentence, &m.doc));
            }
        }
        let (lon, lat) = (round6(place.lon), round6(place.lat));
        let mut row = Row::new(Layer::Places);
        row.set("place_id", place.id.as_str())
            .set("name", place.name.as_str())
            .set("kind", place.kind.as_str())
            .set("country", place.country.clone())
            .set("lat", lat)
            .set("lon", lon)
            .set("mentions", place.mentions)
            .set("document_count", of_place.documents.len())
            .set("gazetteer", place.gazetteer.as_str())
            .set("gazetteer_id", place.gazetteer_id.as_str());
        set_found_documents(&mut row, &of_place.documents);
        Feature {
            layer: Layer::Places,
            id: place.id.clone(),
            name: place.name.clone(),
            geometry: Geometry::Point([lon, lat]),
            bbox: place.bbox.map(|b| b.map(round6)),
            values: row.values,
            vertex_times: None,
            style: Style::Place(place.kind),
            quotes,
        }
    }

    /// An event is drawn at its main place; one whose place is not in the story has nowhere to go.
    fn event_feature(&self, event: &'a Event) -> Option<Feature<'a>> {
        let place = self.places.get(event.place()?).copied()?;
        let (lon, lat) = (round6(place.lon), round6(place.lat));
        let planned = event.modality == Modality::Planned;
        let name = format!(
            "{}: {} {}{}",
            event.actor,
            action_phrase(event.action),
            place.name,
            if planned { " (planned)" } else { "" }
        );
        let mut documents = Distinct::default();
        for s in &event.sources {
            documents.add(&s.doc);
        }
        let all_places = event
            .places
            .iter()
            .map(|id| {
                self.places
                    .get(id.as_str())
                    .map_or(id.as_str(), |p| &p.name)
            })
            .collect::<Vec<_>>()
            .join("; ");
        let mut row = Row::new(Layer::Events);
        row.set("event_id", event.id.as_str())
            .set("name", name.as_str())
            .set("actor", event.actor.as_str())
            .set("action", event.action.as_str())
            .set("modality", if planned { "planned" } else { "happened" })
            .set("place_id", place.id.as_str())
            .set("place", place.name.as_str())
            .set("place_kind", place.kind.as_str())
            .set("country", place.country.clone())
            .set("places", all_places)
            .set("lat", lat)
            .set("lon", lon)
            .set("start", day_start(event.start.as_deref()))
            .set(
                "end",
                day_end(event.end.as_deref().or(event.start.as_deref())),
            )
            .set("timex", event.when.clone())
            .set("precision", precision(event).map(String::from))
            .set("source_count", event.sources.len())
            .set(
                "sentence",
                event.sources.first().map(|s| s.sentence.clone()),
            );
        self.set_documents(&mut row, documents.list);
        Some(Feature {
            layer: Layer::Events,
            id: event.id.clone(),
            name,
            geometry: Geometry::Point([lon, lat]),
            bbox: None,
            values: row.values,
            vertex_times: None,
            style: Style::Actor {
                actor: event.actor.clone(),
                planned,
            },
            quotes: event
                .sources
                .iter()
                .filter(|_| self.quotes)
                .map(|s| self.quote(&s.sentence, &s.doc))
                .collect(),
        })
    }

    /// The legs of one track.
    pub fn leg_features(&self, track: &'a Track) -> Vec<Feature<'a>> {
        let stays = track_time::stays(track);
        track
            .legs
            .iter()
            .enumerate()
            .filter_map(|(i, leg)| {
                let from = track.waypoints.get(leg.from)?;
                let to = track.waypoints.get(leg.to)?;
                let line = leg_line(&leg.coordinates, [from.lon, from.lat], [to.lon, to.lat]);
                let time = track_time::leg_time(leg, &stays);
                let fractions = track_time::fractions_along(&line);
                let vertices: Vec<antimeridian::Vertex> =
                    line.iter().copied().zip(fractions).collect();
                let parts = antimeridian::split(&vertices);
                let name = format!(
                    "{}: {} → {}{}",
                    track.actor,
                    from.name,
                    to.name,
                    if leg.planned { " (planned)" } else { "" }
                );
                let mut documents = Distinct::default();
                let mut quotes = Vec::new();
                for event_id in from.events.iter().chain(&to.events) {
                    let Some(event) = self.events.get(event_id.as_str()) else {
                        continue;
                    };
                    for s in &event.sources {
                        documents.add(&s.doc);
                        if self.quotes {
                            quotes.push(self.quote(&s.sentence, &s.doc));
                        }
                    }
                }
                let mut row = Row::new(Layer::Tracks);
                row.set("leg_id", format!("{}/{}", track.id, i + 1))
                    .set("name", name.as_str())
                    .set("track_id", track.id.as_str())
                    .set("actor", track.actor.as_str())
                    .set("leg", i + 1)
                    .set("origin", from.name.as_str())
                    .set("origin_id", from.place.as_str())
                    .set("destination", to.name.as_str())
                    .set("destination_id", to.place.as_str())
                    .set("planned", leg.planned)
                    .set("routed", leg.routed)
                    .set("km", (track_time::line_km(&line) * 10.0).round() / 10.0);
                self.set_documents(&mut row, documents.list);
                if let Some(t) = time {
                    row.set("start", iso(t.depart))
                        .set("end", iso(t.arrive))
                        .set("interpolated", t.interpolated);
                }
                let vertex_times = time.map(|t| {
                    parts
                        .iter()
                        .map(|p| {
                            p.iter()
                                .map(|&(_, f)| iso(track_time::at_fraction(t, f)))
                                .collect()
                        })
                        .collect()
                });
                Some(Feature {
                    layer: Layer::Tracks,
                    id: format!("{}/{}", track.id, i + 1),
                    name,
                    geometry: Geometry::Line(
                        parts
                            .into_iter()
                            .map(|p| p.into_iter().map(|(c, _)| c).collect())
                            .collect(),
                    ),
                    bbox: None,
                    values: row.values,
                    vertex_times,
                    style: Style::Actor {
                        actor: track.actor.clone(),
                        planned: leg.planned,
                    },
                    quotes,
                })
            })
            .collect()
    }
}

/// [`Index::set_documents`] for documents already looked up, each id with the story's record of it.
fn set_found_documents<'a>(row: &mut Row<'a>, documents: &[(&'a str, Option<&Document>)]) {
    let mut sources = String::new();
    let mut first: Option<&str> = None;
    let mut last: Option<&str> = None;
    for (i, &(id, document)) in documents.iter().enumerate() {
        if i < MAX_READABLE_SOURCES {
            if i > 0 {
                sources.push_str("; ");
            }
            match document.and_then(|d| d.title.as_deref()) {
                Some(title) => {
                    sources.push_str(title);
                    sources.push_str(" [");
                    sources.push_str(id);
                    sources.push(']');
                }
                None => sources.push_str(id),
            }
        }
        if let Some(date) = document.and_then(|d| d.published.as_deref()) {
            first = Some(first.map_or(date, |f| f.min(date)));
            last = Some(last.map_or(date, |l| l.max(date)));
        }
    }
    if documents.len() > MAX_READABLE_SOURCES {
        sources.push_str(&format!(
            "; and {} more",
            documents.len() - MAX_READABLE_SOURCES
        ));
    }
    let ids: Vec<&str> = documents.iter().map(|&(id, _)| id).collect();
    row.set("sources", sources)
        .set("first_reported", first.map(str::to_string))
        .set("last_reported", last.map(str::to_string))
        .set("documents", ids);
}

/// What a place's feature needs of the mentions that resolve to it.
#[derive(Default)]
struct MentionsOfPlace<'a> {
    /// Gathered only for quotes.
    mentions: Vec<&'a Mention>,
    /// The documents they stand in, each once, in order of first mention, with the story's record.
    documents: Vec<(&'a str, Option<&'a Document>)>,
    /// The run of mentions (see [`Index::mentions_by_place`]) the last document added came from.
    last_run: usize,
    /// The ids of the documents added, kept only when a document's mentions do not come together.
    seen: FxHashSet<&'a str>,
}

/// Whether each document's mentions come one after another, no document's in two runs.
fn documents_come_together(mentions: &[Mention]) -> bool {
    let mut runs: FxHashSet<&str> = FxHashSet::default();
    let mut last: Option<&str> = None;
    mentions.iter().all(|m| {
        last == Some(&*m.doc) || {
            last = Some(&m.doc);
            runs.insert(&m.doc)
        }
    })
}

/// A document's sentence as a set key. Sentences are long and a place's are looked up once per
/// mention, so the hash takes only the sentence's length and ends; equality compares it whole.
#[derive(PartialEq, Eq)]
struct Quoted<'a> {
    doc: &'a str,
    sentence: &'a str,
}

impl Hash for Quoted<'_> {
    fn hash<H: Hasher>(&self, hasher: &mut H) {
        let bytes = self.sentence.as_bytes();
        self.doc.hash(hasher);
        bytes.len().hash(hasher);
        bytes[..bytes.len().min(16)].hash(hasher);
        bytes[bytes.len().saturating_sub(16)..].hash(hasher);
    }
}

/// Document ids in order of first appearance, each once.
#[derive(Default)]
struct Distinct<'a> {
    list: Vec<&'a str>,
    seen: FxHashSet<&'a str>,
}

impl<'a> Distinct<'a> {
    fn add(&mut self, id: &'a str) {
        // reports come a document at a time: most ids are the one just added
        if self.list.last() == Some(&id) {
            return;
        }
        if self.seen.insert(id) {
            self.list.push(id);
        }
    }
}

/// A leg's line rounded to 6 decimals, or the straight step between its waypoints when the story gives
/// fewer than two positions.
pub fn leg_line(coordinates: &[[f64; 2]], from: [f64; 2], to: [f64; 2]) -> Vec<[f64; 2]> {
    let line: &[[f64; 2]] = if coordinates.len() >= 2 {
        coordinates
    } else {
        &[from, to]
    };
    line.iter().map(|c| [round6(c[0]), round6(c[1])]).collect()
}

fn action_phrase(action: Action) -> &'static str {
    match action {
        Action::Depart => "departs",
        Action::Arrive => "arrives at",
        Action::PortCall => "calls at",
        Action::Transit => "transits",
        Action::Exercise => "exercises in",
        Action::Patrol => "patrols",
        Action::Meeting => "meets at",
        Action::Other => "at",
    }
}

/// First instant of a `YYYY-MM-DD` day, RFC 3339.
fn day_start(date: Option<&str>) -> Option<String> {
    crate::time::parse_date(date?).map(|d| format!("{}T00:00:00Z", d.format("%Y-%m-%d")))
}

/// Last second of a `YYYY-MM-DD` day: an event dated "on July 16" lasts all of that day.
fn day_end(date: Option<&str>) -> Option<String> {
    crate::time::parse_date(date?).map(|d| format!("{}T23:59:59Z", d.format("%Y-%m-%d")))
}

/// How precise an event's date is, read from its TIMEX3 value.
fn precision(event: &Event) -> Option<&'static str> {
    let Some(value) = event.when.as_deref() else {
        let start = event.start.as_ref()?;
        return event
            .end
            .as_ref()
            .is_none_or(|end| end == start)
            .then_some("day");
    };
    Some(if value.contains("-W") {
        "week"
    } else {
        match value.len() {
            4 => "year",
            7 => "month",
            _ => "day",
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::{Generator, Mention};

    #[test]
    fn a_places_documents_are_those_of_its_mentions_each_once_in_order() {
        let mention = |doc: &str, place: Option<&str>| Mention {
            doc: doc.into(),
            start: 0,
            end: 1,
            text: "x".into(),
            place: place.map(String::from),
            lat: None,
            lon: None,
            confidence: 1.0,
            role: None,
            sentence: Arc::from("x"),
            candidates: Vec::new(),
        };
        let documents: Vec<Document> = ["a", "b", "c"]
            .iter()
            .map(|id| Document {
                id: id.to_string(),
                ..Document::default()
            })
            .collect();
        let (p, q) = (Some("gn:1"), Some("gn:2"));
        // as extracted, a document's mentions together; then as edited by hand, a document's in two
        // runs, and mentions of a document the story does not list
        let together = vec![
            mention("a", p),
            mention("a", q),
            mention("a", p),
            mention("b", None),
            mention("b", q),
            mention("c", p),
        ];
        let mut apart = together.clone();
        apart.extend([
            mention("a", q),
            mention("z", p),
            mention("b", p),
            mention("a", p),
        ]);
        for (mentions, come_together) in [(together, true), (apart, false)] {
            assert_eq!(documents_come_together(&mentions), come_together);
            let story = Story {
                documents: documents.clone(),
                mentions,
                ..Story::default()
            };
            let index = Index::new(&story);
            let by_place = index.mentions_by_place();
            for place in ["gn:1", "gn:2"] {
                let mut plain: Vec<&str> = Vec::new();
                for m in &story.mentions {
                    if m.place.as_deref() == Some(place) && !plain.contains(&&*m.doc) {
                        plain.push(&m.doc);
                    }
                }
                let found = &by_place[place].documents;
                let ids: Vec<&str> = found.iter().map(|&(id, _)| id).collect();
                assert_eq!(ids, plain, "{place}");
                for &(id, document) in found {
                    assert_eq!(document, index.document(id), "{id}");
                }
            }
        }
    }

    #[test]
    fn documents_sources_and_dates_are_set_as_the_plain_computation_sets_them() {
        // titled or not, dated or not, in or out of the story, dates out of order and repeated
        let documents: Vec<Document> = (0..14)
            .map(|i| Document {
                id: format!("d{i:02}"),
                title: (i % 3 != 0).then(|| format!("Report {i}")),
                published: (i % 4 != 1).then(|| format!("2023-07-{:02}", (i * 7) % 12 + 1)),
                ..Document::default()
            })
            .collect();
        let story = Story {
            documents,
            ..Story::default()
        };
        let index = Index::new(&story);
        let ids: Vec<String> = (0..16).rev().map(|i| format!("d{i:02}")).collect();
        for n in 0..=ids.len() {
            let list: Vec<&str> = ids[..n].iter().map(String::as_str).collect();
            let mut row = Row::new(Layer::Places);
            index.set_documents(&mut row, list.clone());
            let published: Vec<&str> = list
                .iter()
                .filter_map(|d| index.document(d)?.published.as_deref())
                .collect();
            let mut sources = list
                .iter()
                .take(MAX_READABLE_SOURCES)
                .map(
                    |id| match index.document(id).and_then(|d| d.title.as_deref()) {
                        Some(title) => format!("{title} [{id}]"),
                        None => id.to_string(),
                    },
                )
                .collect::<Vec<_>>()
                .join("; ");
            if n > MAX_READABLE_SOURCES {
                sources.push_str(&format!("; and {} more", n - MAX_READABLE_SOURCES));
            }
            let mut plain = Row::new(Layer::Places);
            plain
                .set("sources", sources)
                .set(
                    "first_reported",
                    published.iter().min().map(|s| s.to_string()),
                )
                .set(
                    "last_reported",
                    published.iter().max().map(|s| s.to_string()),
                )
                .set("documents", list);
            assert_eq!(row.values, plain.values, "{n} documents");
        }
    }

    #[test]
    fn readable_sources_stay_short_while_the_list_keeps_every_document() {
        let documents: Vec<Document> = (0..12)
            .map(|i| Document {
                id: format!("d{i:02}"),
                title: Some(format!("Report {i}")),
                published: Some(format!("2023-07-{:02}", i + 1)),
                ..Document::default()
            })
            .collect();
        let mentions = documents
            .iter()
            .map(|d| Mention {
                doc: d.id.as_str().into(),
                start: 0,
                end: 5,
                text: "Kiel".into(),
                place: Some("gn:2891122".into()),
                lat: None,
                lon: None,
                confidence: 1.0,
                role: None,
                sentence: "Ships met in Kiel.".into(),
                candidates: vec![],
            })
            .collect();
        let story = Story {
            generator: Generator::default(),
            documents,
            places: vec![Place {
                id: "gn:2891122".into(),
                name: "Kiel".into(),
                kind: PlaceKind::Port,
                lat: 54.32133,
                lon: 10.13489,
                country: Some("DE".into()),
                bbox: None,
                gazetteer: "geonames".into(),
                gazetteer_id: "2891122".into(),
                mentions: 12,
            }],
            mentions,
            ..Story::default()
        };
        let index = Index::with_quotes(&story);
        let kiel = index.features(Layer::Places).next().unwrap();
        let Value::List(ids) = kiel.value("documents") else {
            panic!("documents is a list");
        };
        assert_eq!(ids.len(), 12);
        let sources = kiel.text("sources").unwrap();
        assert!(
            sources.starts_with("Report 0 [d00]; Report 1 [d01];"),
            "{sources}"
        );
        assert!(sources.ends_with("Report 9 [d09]; and 2 more"), "{sources}");
        assert_eq!(kiel.text("first_reported"), Some("2023-07-01"));
        assert_eq!(kiel.text("last_reported"), Some("2023-07-12"));
        assert_eq!(kiel.value("document_count"), &Value::Int(12));
        // Twelve mentions of one sentence, each in its own article: twelve quotes.
        assert_eq!(kiel.quotes.len(), 12);
        // the same feature without quotes, as the formats that show none ask for it
        let plain = Index::new(&story);
        let plain_kiel = plain.features(Layer::Places).next().unwrap();
        assert!(plain_kiel.quotes.is_empty());
        assert_eq!(plain_kiel.values, kiel.values);
    }
}
