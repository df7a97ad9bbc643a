//! The pipeline: runs the stages over a corpus and assembles the [`Story`], in two phases so that the
//! work spreads over cores and over machines.
//!
//! The *map* phase reads each document on its own ([`map_document`]): geoparse, then the article's date
//! (metadata, else a date line, else the latest fully explicit date it reports), time expressions
//! anchored on that date, then the article's event frames. Documents are independent here, so they are
//! read in parallel, a chunk at a time as ingest streams them, and each text is dropped once read —
//! unless the document's date is still open (undated, or dated only by inference), since the next
//! phase may move that date and read its times and frames again.
//!
//! The *reduce* phase (`reduce`) works across documents: articles still undated, or dated only by
//! inference, get the earliest date the happenings they report allow, as other articles date those
//! happenings (the same "set out on Sunday" told by a dated article); then events are merged, places
//! collected, and tracks drawn. It needs only the map results and the places' gazetteer entries, and
//! the story carries them ([`Story::readings`] beside mentions, times and places), so `mentionmap
//! merge` rebuilds them from stories extracted separately ([`Merger`]) and runs the same reduce:
//! shards merged give the story one run over all their documents gives. Output order follows input order whatever the number of
//! threads, so the same input gives the same story.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use anyhow::{bail, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::events::{self, DocReading};
use crate::gazetteer::Gazetteer;
use crate::geoparse::{self, CandidatePlaces, PreparedText};
use crate::ingest::SourceDoc;
use crate::online;
use crate::story::{
    DateSource, Demonym, DocRecord, Document, Generator, Mention, Place, Story, TimeExpr,
    GEONAMES_ATTRIBUTION,
};
use crate::time;
use crate::tracks;

/// Settings for one extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// RFC 3339 generation time written into the story (fixed for reproducible output).
    pub generated_at: String,
}

/// Documents read in parallel at a time: enough to keep every core busy, few enough that their texts
/// (this chunk's and the next, read meanwhile) stay a small part of memory.
const CHUNK: usize = 512;
/// ...or as many as hold this much text, so that long documents do not make a chunk large.
const CHUNK_BYTES: usize = 8 << 20;

/// Whether the event frames read so far could make a track, which needs two places: once they could,
/// the sea-lane network is built ahead of the tracks ([`tracks::route::prepare`]), and a run whose
/// frames all name one place or none draws no track and is spared it.
#[derive(Default)]
struct TrackSigns {
    first_place: Option<String>,
    two_places: bool,
}

impl TrackSigns {
    /// Read the places of a chunk's frames; true when they are the first to name a second place.
    fn first_two_places<'a>(&mut self, place_ids: impl IntoIterator<Item = &'a str>) -> bool {
        if self.two_places {
            return false;
        }
        for id in place_ids {
            match &self.first_place {
                None => self.first_place = Some(id.to_string()),
                Some(first) if first != id => {
                    self.two_places = true;
                    return true;
                }
                Some(_) => {}
            }
        }
        false
    }
}

/// What the reduce phase may still change of a document: its date, and so its times.
#[derive(Debug, Clone)]
struct DocState {
    meta: Document,
    times: Vec<TimeExpr>,
    /// Kept only while the date is open, to read the document again on a date other documents give.
    text: Option<String>,
}

/// One document as the map phase leaves it.
pub struct Mapped {
    state: DocState,
    mentions: Vec<Mention>,
    demonyms: Vec<Demonym>,
    reading: DocReading,
}

/// The map phase's results for the documents so far, in input order. Mentions and demonyms, which
/// nothing changes after the map phase, are gathered into one list each as documents come in and
/// become the story's as they are: gathered only at the end, every mention would be held twice at
/// the moment the story is largest.
#[derive(Default)]
struct MapResults {
    docs: Vec<DocResult>,
    readings: Vec<DocReading>,
    mentions: Vec<Mention>,
    demonyms: Vec<Demonym>,
    places: PlaceCounts,
}

/// The place ids the mentions resolve to, in order of first mention, with mention counts: counted as
/// documents come in, beside the map phase, rather than over every mention again in the reduce
/// phase, where it ran on one core while the others waited.
#[derive(Default)]
struct PlaceCounts {
    /// Ids hashed fast: every mention is counted.
    row_of: FxHashMap<String, usize>,
    rows: Vec<(String, usize)>,
}

impl PlaceCounts {
    fn count<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        for id in ids {
            let row = match self.row_of.get(id) {
                Some(&row) => row,
                None => {
                    self.rows.push((id.to_string(), 0));
                    self.row_of.insert(id.to_string(), self.rows.len() - 1);
                    self.rows.len() - 1
                }
            };
            self.rows[row].1 += 1;
        }
    }
}

/// One document's part of [`MapResults`].
struct DocResult {
    state: DocState,
    /// Where its mentions and demonyms are in [`MapResults`]' lists.
    mentions: Range<usize>,
    demonyms: Range<usize>,
}

impl MapResults {
    fn add(&mut self, mapped: Mapped) {
        let mentions = self.mentions.len()..self.mentions.len() + mapped.mentions.len();
        let demonyms = self.demonyms.len()..self.demonyms.len() + mapped.demonyms.len();
        self.places
            .count(mapped.mentions.iter().filter_map(|m| m.place.as_deref()));
        self.mentions.extend(mapped.mentions);
        self.demonyms.extend(mapped.demonyms);
        self.docs.push(DocResult {
            state: mapped.state,
            mentions,
            demonyms,
        });
        self.readings.push(mapped.reading);
    }
}

fn date_is_open(meta: &Document) -> bool {
    matches!(meta.date_source, DateSource::Inferred | DateSource::None)
}

/// Run every stage over the documents and return the story.
pub fn extract_story(
    documents: &[SourceDoc],
    gazetteer: &Gazetteer,
    options: &ExtractOptions,
) -> Story {
    extract_streamed(
        documents.iter(),
        gazetteer,
        options,
        &online::apply::Answers::default(),
    )
}

/// [`extract_story`] over documents as they stream in: only a chunk of texts is held at a time. The
/// answers of an online lookup (`--online`; empty otherwise) are folded into each document's mentions
/// before its events are read, so online places reach events and tracks too.
pub fn extract_streamed<D: Borrow<SourceDoc> + Send>(
    documents: impl Iterator<Item = D> + Send,
    gazetteer: &Gazetteer,
    options: &ExtractOptions,
    online: &online::apply::Answers,
) -> Story {
    let mut documents = documents.fuse();
    let candidate_places = CandidatePlaces::default();
    let mut results = MapResults::default();
    let mut chunk = next_chunk(&mut documents);
    let mut track_signs = TrackSigns::default();
    // the map results of the chunk before, added to the results while this one is mapped
    let mut previous: Vec<Mapped> = Vec::new();
    while !chunk.is_empty() {
        // the next chunk is read while this one is mapped: ingest (reading, JSON parsing) would
        // otherwise run on one core while the others wait for it; so is the chunk before added to
        // the results (moving its mentions into the story's list touches fresh memory)
        let (mapped, next) = rayon::join(
            || -> Vec<Mapped> {
                chunk
                    .par_drain(..)
                    .map(|doc| map_document(doc.borrow(), gazetteer, online, &candidate_places))
                    .collect()
            },
            || {
                for m in previous.drain(..) {
                    results.add(m);
                }
                next_chunk(&mut documents)
            },
        );
        let frame_places = mapped
            .iter()
            .flat_map(|m| &m.reading.frames)
            .flat_map(|f| f.places.iter().map(|p| p.id.as_str()));
        if track_signs.first_two_places(frame_places) {
            // tracks will likely be drawn: the sea-lane network they route over is built now, by a
            // core that would otherwise wait for this chunk's last documents or sit idle in the
            // reduce phase, which would wait for it on one core
            rayon::spawn(tracks::route::prepare);
        }
        previous = mapped;
        chunk = next;
    }
    for m in previous {
        results.add(m);
    }
    let mut story = reduce(
        results,
        &|id| gazetteer_place(gazetteer, id).or_else(|| online.place(id)),
        options,
    );
    online.add_attribution(&mut story);
    story
}

/// The next documents to map at once: [`CHUNK`] of them, or fewer holding [`CHUNK_BYTES`] of text.
fn next_chunk<D: Borrow<SourceDoc>>(documents: &mut impl Iterator<Item = D>) -> Vec<D> {
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut bytes = 0;
    while chunk.len() < CHUNK && bytes < CHUNK_BYTES {
        let Some(doc) = documents.next() else { break };
        bytes += doc.borrow().text.len();
        chunk.push(doc);
    }
    chunk
}

/// The map phase for one document: everything the reduce phase needs of it.
pub fn map_document(
    doc: &SourceDoc,
    gazetteer: &Gazetteer,
    online: &online::apply::Answers,
    candidate_places: &CandidatePlaces,
) -> Mapped {
    let prepared = PreparedText::new(&doc.meta.id, &doc.text);
    let (mut mentions, demonyms) = geoparse::geoparse_with(gazetteer, &prepared, candidate_places);
    online.apply(gazetteer, &prepared, &mut mentions);
    read_on_own_date(doc.meta.clone(), &prepared, mentions, demonyms)
}

/// The place of a gazetteer id, its mentions not yet counted.
fn gazetteer_place(gazetteer: &Gazetteer, id: &str) -> Option<Place> {
    let entry = gazetteer.entry(gazetteer.find_id(id)?);
    Some(Place {
        id: entry.id.clone(),
        name: entry.name.clone(),
        kind: entry.kind,
        lat: entry.lat,
        lon: entry.lon,
        country: entry.country.clone(),
        bbox: entry.bbox,
        gazetteer: entry.layer.to_string(),
        gazetteer_id: entry.source_id(),
        mentions: 0,
    })
}

/// The date-dependent part of the map phase, on the document's own date: metadata, else a date line,
/// else inferred from the dates it reports.
fn read_on_own_date(
    mut meta: Document,
    prepared: &PreparedText,
    mentions: Vec<Mention>,
    demonyms: Vec<Demonym>,
) -> Mapped {
    if meta.published.is_none() {
        if let Some(date) = time::dateline(prepared.text) {
            meta.published = Some(crate::ingest::iso_date(date));
            meta.date_source = DateSource::Dateline;
        }
    }
    let anchor = meta.published.as_deref().and_then(time::parse_date);
    let times = time::find_time_expressions(prepared, anchor);
    let text = date_is_open(&meta).then(|| prepared.text.to_string());
    let mut state = DocState { meta, times, text };
    if anchor.is_none() {
        if let Some(inferred) = time::infer_publication_date(&state.times) {
            // an inferred date stays open: the text was kept above
            state.redate(inferred, prepared);
        }
    }
    let reading = state.read(prepared, &mentions, &demonyms);
    Mapped {
        state,
        mentions,
        demonyms,
        reading,
    }
}

impl DocState {
    fn published(&self) -> Option<NaiveDate> {
        self.meta.published.as_deref().and_then(time::parse_date)
    }

    fn read(
        &self,
        prepared: &PreparedText,
        mentions: &[Mention],
        demonyms: &[Demonym],
    ) -> DocReading {
        events::read_document(prepared, mentions, demonyms, &self.times, self.published())
    }

    /// Date the document anew, as inferred, and read its times on that date.
    fn redate(&mut self, date: NaiveDate, prepared: &PreparedText) {
        self.meta.published = Some(crate::ingest::iso_date(date));
        self.meta.date_source = DateSource::Inferred;
        self.times = time::find_time_expressions(prepared, Some(date));
    }

    /// [`DocState::redate`] from the kept text, and the frames on the new date.
    fn redate_and_read(
        &mut self,
        date: NaiveDate,
        mentions: &[Mention],
        demonyms: &[Demonym],
    ) -> DocReading {
        let text = self
            .text
            .take()
            .expect("a document with an open date keeps its text");
        let id = self.meta.id.clone();
        let prepared = PreparedText::new(&id, &text);
        self.redate(date, &prepared);
        let reading = self.read(&prepared, mentions, demonyms);
        self.text = Some(text);
        reading
    }
}

/// The reduce phase: the cross-document steps over every document's map result, in input order.
/// `place_of` gives the place of a gazetteer id (None drops the id, as a gazetteer without it would).
fn reduce(
    mut results: MapResults,
    place_of: &(dyn Fn(&str) -> Option<Place> + Sync),
    options: &ExtractOptions,
) -> Story {
    date_from_other_documents(&mut results);
    let MapResults {
        docs,
        readings,
        mentions,
        demonyms,
        places,
    } = results;
    let mut story = Story {
        generator: Generator {
            tool: "mentionmap".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            generated_at: options.generated_at.clone(),
            attribution: vec![
                GEONAMES_ATTRIBUTION.to_string(),
                "Natural Earth (naturalearthdata.com), public domain".to_string(),
                "Ports and sea lanes from searoute (Apache-2.0), after Eurostat SeaRoute"
                    .to_string(),
            ],
        },
        mentions,
        demonyms,
        ..Story::default()
    };
    // both run on one core each: side by side
    let ((events, actors), places) = rayon::join(
        || events::assemble(&readings),
        || collect_places(places, place_of),
    );
    story.events = events;
    story.actors = actors;
    story.places = places;
    // made as large as they will be at once: grown by doubling, they could take twice the room
    story.documents.reserve_exact(docs.len());
    let mut rest = Vec::with_capacity(docs.len());
    for DocResult { state: d, .. } in docs {
        story.documents.push(d.meta);
        rest.push((d.times, d.text));
    }
    // the tracks need the documents but not their readings or times, which are gathered meanwhile
    let (tracks, (records, times)) = rayon::join(
        || tracks::build_tracks(&story),
        || doc_records_and_times(rest, readings),
    );
    story.tracks = tracks;
    story.readings = records;
    story.times = times;
    story
}

/// The story's per-document readings ([`DocRecord`]) and its times, from each document's times and
/// kept text (see [`DocState`]) and its reading.
fn doc_records_and_times(
    docs: Vec<(Vec<TimeExpr>, Option<String>)>,
    readings: Vec<DocReading>,
) -> (Vec<DocRecord>, Vec<TimeExpr>) {
    let mut records = Vec::with_capacity(docs.len());
    let mut times = Vec::with_capacity(docs.iter().map(|(times, _)| times.len()).sum());
    for ((doc_times, text), reading) in docs.into_iter().zip(readings) {
        records.push(match text {
            Some(text) => DocRecord {
                doc: reading.doc,
                text: Some(text),
                ..DocRecord::default()
            },
            None => DocRecord {
                doc: reading.doc,
                text: None,
                actors: reading.actors,
                frames: reading.frames,
            },
        });
        times.extend(doc_times);
    }
    (records, times)
}

/// Give undated or inferred-date documents the latest lower bound the other documents' dated reports
/// of the same happenings allow, until nothing moves (each round can date documents that date others).
fn date_from_other_documents(results: &mut MapResults) {
    let MapResults {
        docs,
        readings,
        mentions,
        demonyms,
        ..
    } = results;
    if !docs.iter().any(|d| date_is_open(&d.state.meta)) {
        return;
    }
    let (mentions, demonyms) = (&*mentions, &*demonyms);
    for _ in 0..docs.len() {
        let bounds = events::publication_bounds(readings);
        // documents are read again on their own, so side by side, each on the bounds of this round
        let moved: Vec<(usize, DocReading)> = docs
            .par_iter_mut()
            .enumerate()
            .filter_map(|(i, d)| {
                let bound = bounds[i].filter(|_| date_is_open(&d.state.meta))?;
                if d.state.published().is_some_and(|p| p >= bound) {
                    return None;
                }
                let reading = d.state.redate_and_read(
                    bound,
                    &mentions[d.mentions.clone()],
                    &demonyms[d.demonyms.clone()],
                );
                Some((i, reading))
            })
            .collect();
        if moved.is_empty() {
            break;
        }
        for (i, reading) in moved {
            readings[i] = reading;
        }
    }
}

/// One place per distinct place id the mentions resolve to, in order of first mention, with mention
/// counts.
fn collect_places(
    counts: PlaceCounts,
    place_of: &(dyn Fn(&str) -> Option<Place> + Sync),
) -> Vec<Place> {
    counts
        .rows
        .into_iter()
        .filter_map(|(id, mentions)| {
            Some(Place {
                mentions,
                ..place_of(&id)?
            })
        })
        .collect()
}

/// Stories extracted separately, merged ([`Merger::add`] each in corpus order, then
/// [`Merger::finish`]): each story's documents are taken back to their map results, and the reduce
/// phase runs over all of them as one run would.
#[derive(Default)]
pub struct Merger {
    results: MapResults,
    /// The places of every story added, by id.
    places: HashMap<String, Place>,
    /// A document whose id an earlier one took gets a fresh one, as ingest would give it.
    ids: crate::ingest::UniqueIds,
    /// Every credit the stories carry (an online provider's among them), in order, repeats and all.
    attribution: Vec<String>,
}

impl Merger {
    /// Take in the documents of one more story.
    pub fn add(&mut self, mut story: Story) -> Result<()> {
        self.attribution.append(&mut story.generator.attribution);
        for place in std::mem::take(&mut story.places) {
            self.places.entry(place.id.clone()).or_insert(place);
        }
        add_map_results_of(story, &mut self.ids, &mut self.results)
    }

    /// The story of all the documents added.
    pub fn finish(self, options: &ExtractOptions) -> Story {
        let places = self.places;
        let mut story = reduce(self.results, &|id| places.get(id).cloned(), options);
        for credit in self.attribution {
            story.generator.credit(credit);
        }
        story
    }
}

/// Add the map results of a story's documents, as the map phase gave them.
fn add_map_results_of(
    story: Story,
    ids: &mut crate::ingest::UniqueIds,
    results: &mut MapResults,
) -> Result<()> {
    let Story {
        documents,
        readings: records,
        mentions,
        demonyms,
        times,
        ..
    } = story;
    if records.len() != documents.len()
        || records.iter().zip(&documents).any(|(r, d)| r.doc != d.id)
    {
        bail!(
            "it has no per-document readings for its {} documents (filtered, edited, or written by \
             an older mentionmap); extract it again",
            documents.len()
        );
    }
    let mut mentions = group_by_doc(mentions, |m| &m.doc);
    let mut demonyms = group_by_doc(demonyms, |d| &d.doc);
    let mut times = group_by_doc(times, |t| &t.doc);
    for (mut meta, record) in documents.into_iter().zip(records) {
        let old_id = meta.id.clone();
        let mut doc_mentions = mentions.remove(&old_id).unwrap_or_default();
        let mut doc_demonyms = demonyms.remove(&old_id).unwrap_or_default();
        let mut doc_times = times.remove(&old_id).unwrap_or_default();
        meta.id = ids.claim(&old_id);
        if meta.id != old_id {
            let id: Arc<str> = meta.id.as_str().into();
            doc_mentions
                .iter_mut()
                .for_each(|m| m.doc = Arc::clone(&id));
            doc_demonyms
                .iter_mut()
                .for_each(|d| d.doc.clone_from(&meta.id));
            doc_times
                .iter_mut()
                .for_each(|t| t.doc.clone_from(&meta.id));
        }
        let mut mapped = match record.text {
            Some(text) => {
                // the map phase again from the text, on the document's own date
                meta.published = None;
                meta.date_source = DateSource::None;
                let prepared = PreparedText::new(&meta.id, &text);
                read_on_own_date(meta.clone(), &prepared, doc_mentions, doc_demonyms)
            }
            None if date_is_open(&meta) => {
                bail!(
                    "document {}: its date is open but the story does not carry its text",
                    meta.id
                )
            }
            None => {
                let reading = DocReading {
                    doc: meta.id.clone(),
                    published: meta.published.as_deref().and_then(time::parse_date),
                    actors: record.actors,
                    frames: record.frames,
                };
                Mapped {
                    state: DocState {
                        meta,
                        times: doc_times,
                        text: None,
                    },
                    mentions: doc_mentions,
                    demonyms: doc_demonyms,
                    reading,
                }
            }
        };
        let id = &mapped.state.meta.id;
        if mapped.reading.doc != *id {
            mapped.reading.doc.clone_from(id);
        }
        for frame in &mut mapped.reading.frames {
            frame.source.doc.clone_from(id);
        }
        results.add(mapped);
    }
    Ok(())
}

fn group_by_doc<T>(items: Vec<T>, doc: impl Fn(&T) -> &str) -> HashMap<String, Vec<T>> {
    let mut by_doc: HashMap<String, Vec<T>> = HashMap::new();
    for item in items {
        match by_doc.get_mut(doc(&item)) {
            Some(list) => list.push(item),
            None => {
                by_doc.insert(doc(&item).to_string(), vec![item]);
            }
        }
    }
    by_doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_are_foreseen_once_frames_name_two_places() {
        let mut signs = TrackSigns::default();
        assert!(!signs.first_two_places([]));
        // the same place again and again, as in news that names one city: no track
        assert!(!signs.first_two_places(["gn:2643743", "gn:2643743"]));
        assert!(!signs.first_two_places(["gn:2643743"]));
        assert!(signs.first_two_places(["gn:2643743", "gn:1797929"]));
        // said once: the network is built once
        assert!(!signs.first_two_places(["port:CNTAO", "gn:1"]));
    }

    #[test]
    fn places_are_counted_in_order_of_first_mention_across_documents() {
        let mut counts = PlaceCounts::default();
        counts.count(["gn:2", "gn:1", "gn:2"]);
        counts.count([]);
        counts.count(["gn:3", "gn:1", "gn:2"]);
        let rows: Vec<(&str, usize)> = counts.rows.iter().map(|(id, n)| (&id[..], *n)).collect();
        assert_eq!(rows, [("gn:2", 3), ("gn:1", 2), ("gn:3", 1)]);
        // an id the gazetteer does not know is dropped, the others keep their order and counts
        let places = collect_places(counts, &|id| {
            (id != "gn:1").then(|| Place {
                id: id.to_string(),
                name: id.to_string(),
                kind: crate::story::PlaceKind::City,
                lat: 0.0,
                lon: 0.0,
                country: None,
                bbox: None,
                gazetteer: "test".into(),
                gazetteer_id: id.to_string(),
                mentions: 0,
            })
        });
        let places: Vec<(&str, usize)> = places.iter().map(|p| (&p.id[..], p.mentions)).collect();
        assert_eq!(places, [("gn:2", 3), ("gn:3", 1)]);
    }
}
