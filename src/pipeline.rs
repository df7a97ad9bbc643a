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
//! The *reduce* phase ([`reduce`]) works across documents: articles still undated, or dated only by
//! inference, get the earliest date the happenings they report allow, as other articles date those
//! happenings (the same "set out on Sunday" told by a dated article); then events are merged, places
//! collected, and tracks drawn. It needs only the map results, and the story carries them
//! ([`Story::readings`] beside mentions and times), so `mentionmap merge` rebuilds them from stories
//! extracted separately ([`map_results_of`]) and runs the same reduce: shards merged give the story
//! one run over all their documents gives. Output order follows input order whatever the number of
//! threads, so the same input gives the same story.

use std::collections::HashMap;

use anyhow::{bail, Result};
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::events::{self, DocReading};
use crate::gazetteer::Gazetteer;
use crate::geoparse::{self, PreparedText};
use crate::ingest::SourceDoc;
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
/// stay a small part of memory.
const CHUNK: usize = 512;

/// One document as the map phase leaves it, but for its reading (kept beside, for the event steps).
#[derive(Debug, Clone)]
pub struct DocResult {
    meta: Document,
    mentions: Vec<Mention>,
    demonyms: Vec<Demonym>,
    times: Vec<TimeExpr>,
    /// The distinct places its mentions resolve to, in order of first mention, with their count here.
    places: Vec<Place>,
    /// Kept only while the date is open, to read the document again on a date other documents give.
    text: Option<String>,
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
    let (docs, readings): (Vec<_>, Vec<_>) = documents
        .par_iter()
        .map(|d| map_document(d, gazetteer))
        .unzip();
    reduce(docs, readings, options)
}

/// [`extract_story`] over documents as they stream in: only a chunk of texts is held at a time.
pub fn extract_streamed(
    documents: impl Iterator<Item = SourceDoc>,
    gazetteer: &Gazetteer,
    options: &ExtractOptions,
) -> Story {
    let mut documents = documents.fuse();
    let mut docs = Vec::new();
    let mut readings = Vec::new();
    let mut chunk = Vec::with_capacity(CHUNK);
    loop {
        chunk.extend(documents.by_ref().take(CHUNK));
        if chunk.is_empty() {
            break;
        }
        let (d, r): (Vec<_>, Vec<_>) = chunk
            .par_drain(..)
            .map(|doc| map_document(&doc, gazetteer))
            .unzip();
        docs.extend(d);
        readings.extend(r);
    }
    reduce(docs, readings, options)
}

/// The map phase for one document: everything the reduce phase needs of it.
pub fn map_document(doc: &SourceDoc, gazetteer: &Gazetteer) -> (DocResult, DocReading) {
    let prepared = PreparedText::new(&doc.meta.id, &doc.text);
    let (mentions, demonyms) = geoparse::geoparse(gazetteer, &prepared);
    let places = places_of(&mentions, |id| {
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
    });
    read_on_own_date(doc.meta.clone(), &prepared, mentions, demonyms, places)
}

/// The date-dependent part of the map phase, on the document's own date: metadata, else a date line,
/// else inferred from the dates it reports.
fn read_on_own_date(
    mut meta: Document,
    prepared: &PreparedText,
    mentions: Vec<Mention>,
    demonyms: Vec<Demonym>,
    places: Vec<Place>,
) -> (DocResult, DocReading) {
    if meta.published.is_none() {
        if let Some(date) = time::dateline(prepared.text) {
            meta.published = Some(date.format("%Y-%m-%d").to_string());
            meta.date_source = DateSource::Dateline;
        }
    }
    let anchor = meta.published.as_deref().and_then(time::parse_date);
    let times = time::find_time_expressions(prepared, anchor);
    let text = date_is_open(&meta).then(|| prepared.text.to_string());
    let mut result = DocResult {
        meta,
        mentions,
        demonyms,
        times,
        places,
        text,
    };
    if anchor.is_none() {
        if let Some(inferred) = time::infer_publication_date(&result.times) {
            // an inferred date stays open: the text was kept above
            result.redate(inferred, prepared);
        }
    }
    let reading = result.read(prepared);
    (result, reading)
}

impl DocResult {
    fn published(&self) -> Option<NaiveDate> {
        self.meta.published.as_deref().and_then(time::parse_date)
    }

    fn read(&self, prepared: &PreparedText) -> DocReading {
        events::read_document(
            prepared,
            &self.mentions,
            &self.demonyms,
            &self.times,
            self.published(),
        )
    }

    /// Date the document anew, as inferred, and read its times on that date.
    fn redate(&mut self, date: NaiveDate, prepared: &PreparedText) {
        self.meta.published = Some(date.format("%Y-%m-%d").to_string());
        self.meta.date_source = DateSource::Inferred;
        self.times = time::find_time_expressions(prepared, Some(date));
    }

    /// [`DocResult::redate`] from the kept text, and the frames on the new date.
    fn redate_and_read(&mut self, date: NaiveDate) -> DocReading {
        let text = self
            .text
            .take()
            .expect("a document with an open date keeps its text");
        let id = self.meta.id.clone();
        let prepared = PreparedText::new(&id, &text);
        self.redate(date, &prepared);
        let reading = self.read(&prepared);
        self.text = Some(text);
        reading
    }
}

/// The reduce phase: the cross-document steps over every document's map result, in input order.
pub fn reduce(
    mut docs: Vec<DocResult>,
    mut readings: Vec<DocReading>,
    options: &ExtractOptions,
) -> Story {
    date_from_other_documents(&mut docs, &mut readings);
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
        ..Story::default()
    };
    let (events, actors) = events::assemble(&readings);
    story.events = events;
    story.actors = actors;
    let mut place_index: HashMap<String, usize> = HashMap::new();
    for (d, reading) in docs.into_iter().zip(readings) {
        for place in d.places {
            match place_index.get(&place.id) {
                Some(&i) => story.places[i].mentions += place.mentions,
                None => {
                    place_index.insert(place.id.clone(), story.places.len());
                    story.places.push(place);
                }
            }
        }
        let record = match d.text {
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
        };
        story.readings.push(record);
        story.documents.push(d.meta);
        story.mentions.extend(d.mentions);
        story.demonyms.extend(d.demonyms);
        story.times.extend(d.times);
    }
    story.tracks = tracks::build_tracks(&story);
    story
}

/// Give undated or inferred-date documents the latest lower bound the other documents' dated reports
/// of the same happenings allow, until nothing moves (each round can date documents that date others).
fn date_from_other_documents(docs: &mut [DocResult], readings: &mut [DocReading]) {
    if !docs.iter().any(|d| date_is_open(&d.meta)) {
        return;
    }
    for _ in 0..docs.len() {
        let bounds = events::publication_bounds(readings);
        let mut moved = false;
        for (i, d) in docs.iter_mut().enumerate() {
            let Some(bound) = bounds[i].filter(|_| date_is_open(&d.meta)) else {
                continue;
            };
            if d.published().is_some_and(|p| p >= bound) {
                continue;
            }
            readings[i] = d.redate_and_read(bound);
            moved = true;
        }
        if !moved {
            break;
        }
    }
}

/// The distinct places of one document's mentions, in order of first mention, with their counts;
/// `place` gives a place for an id (None drops the id).
fn places_of(mentions: &[Mention], place: impl Fn(&str) -> Option<Place>) -> Vec<Place> {
    let mut places: Vec<Place> = Vec::new();
    let mut missing: Vec<&str> = Vec::new();
    for id in mentions.iter().filter_map(|m| m.place.as_deref()) {
        if let Some(p) = places.iter_mut().find(|p| p.id == id) {
            p.mentions += 1;
        } else if !missing.contains(&id) {
            match place(id) {
                Some(p) => places.push(Place { mentions: 1, ..p }),
                None => missing.push(id),
            }
        }
    }
    places
}

/// The map results of every document of a story, as the map phase gave them, for the reduce phase to
/// run again over several stories' documents together. `ids` holds the ids taken by documents before
/// these, and a document whose id is taken gets a fresh one as ingest would give it.
pub fn map_results_of(
    story: Story,
    ids: &mut crate::ingest::UniqueIds,
) -> Result<(Vec<DocResult>, Vec<DocReading>)> {
    if story.readings.len() != story.documents.len()
        || story
            .readings
            .iter()
            .zip(&story.documents)
            .any(|(r, d)| r.doc != d.id)
    {
        bail!(
            "it has no per-document readings for its {} documents (filtered, edited, or written by \
             an older mentionmap); extract it again",
            story.documents.len()
        );
    }
    let places: HashMap<&str, &Place> = story.places.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut mentions = group_by_doc(story.mentions, |m| &m.doc);
    let mut demonyms = group_by_doc(story.demonyms, |d| &d.doc);
    let mut times = group_by_doc(story.times, |t| &t.doc);
    let mut docs = Vec::with_capacity(story.documents.len());
    let mut readings = Vec::with_capacity(story.documents.len());
    for (mut meta, record) in story.documents.into_iter().zip(story.readings) {
        let old_id = meta.id.clone();
        let mut doc_mentions = mentions.remove(&old_id).unwrap_or_default();
        let mut doc_demonyms = demonyms.remove(&old_id).unwrap_or_default();
        let mut doc_times = times.remove(&old_id).unwrap_or_default();
        meta.id = ids.claim(&old_id);
        if meta.id != old_id {
            doc_mentions
                .iter_mut()
                .for_each(|m| m.doc.clone_from(&meta.id));
            doc_demonyms
                .iter_mut()
                .for_each(|d| d.doc.clone_from(&meta.id));
            doc_times
                .iter_mut()
                .for_each(|t| t.doc.clone_from(&meta.id));
        }
        let doc_places = places_of(&doc_mentions, |id| places.get(id).map(|&p| p.clone()));
        let (result, mut reading) = match record.text {
            Some(text) => {
                // the map phase again from the text, on the document's own date
                meta.published = None;
                meta.date_source = DateSource::None;
                let prepared = PreparedText::new(&meta.id, &text);
                read_on_own_date(
                    meta.clone(),
                    &prepared,
                    doc_mentions,
                    doc_demonyms,
                    doc_places,
                )
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
                let result = DocResult {
                    meta,
                    mentions: doc_mentions,
                    demonyms: doc_demonyms,
                    times: doc_times,
                    places: doc_places,
                    text: None,
                };
                (result, reading)
            }
        };
        if reading.doc != result.meta.id {
            reading.doc.clone_from(&result.meta.id);
        }
        for frame in &mut reading.frames {
            frame.source.doc.clone_from(&result.meta.id);
        }
        docs.push(result);
        readings.push(reading);
    }
    Ok((docs, readings))
}

fn group_by_doc<T>(items: Vec<T>, doc: impl Fn(&T) -> &String) -> HashMap<String, Vec<T>> {
    let mut by_doc: HashMap<String, Vec<T>> = HashMap::new();
    for item in items {
        match by_doc.get_mut(doc(&item)) {
            Some(list) => list.push(item),
            None => {
                by_doc.insert(doc(&item).clone(), vec![item]);
            }
        }
    }
    by_doc
}
