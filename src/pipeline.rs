//! The pipeline: runs the stages over a corpus, in order, and assembles the [`Story`].
//!
//! Per document: geoparse, then the article's date (metadata, else a date line, else the latest fully
//! explicit date it reports), time expressions anchored on that date, then the article's event frames.
//! Across documents: articles still undated, or dated only by inference, get the earliest date the
//! happenings they report allow, as other articles date those happenings (the same "set out on
//! Sunday" told by a dated article); their times and frames are read again on the new date. Then
//! events are merged, places collected, and tracks drawn. Output order follows input order, so the
//! same input gives the same story.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::events::{self, DocReading};
use crate::gazetteer::Gazetteer;
use crate::geoparse::{self, PreparedText};
use crate::ingest::SourceDoc;
use crate::online;
use crate::story::{
    DateSource, Demonym, Document, Generator, Mention, Place, Story, TimeExpr, GEONAMES_ATTRIBUTION,
};
use crate::time;
use crate::tracks;

/// Settings for one extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// RFC 3339 generation time written into the story (fixed for reproducible output).
    pub generated_at: String,
}

/// One document as the stages have read it so far.
struct ReadDoc<'a> {
    prepared: PreparedText<'a>,
    meta: Document,
    mentions: Vec<Mention>,
    demonyms: Vec<Demonym>,
    times: Vec<TimeExpr>,
}

impl ReadDoc<'_> {
    fn published(&self) -> Option<NaiveDate> {
        self.meta.published.as_deref().and_then(time::parse_date)
    }

    fn reading(&self) -> DocReading {
        events::read_document(
            &self.prepared,
            &self.mentions,
            &self.demonyms,
            &self.times,
            self.published(),
        )
    }

    /// Date the document anew, as inferred, and read its times and frames on that date.
    fn redate(&mut self, date: NaiveDate) -> DocReading {
        self.meta.published = Some(date.format("%Y-%m-%d").to_string());
        self.meta.date_source = DateSource::Inferred;
        self.times = time::find_time_expressions(&self.prepared, Some(date));
        self.reading()
    }
}

/// Run every stage over the documents and return the story.
pub fn extract_story(
    documents: &[SourceDoc],
    gazetteer: &Gazetteer,
    options: &ExtractOptions,
) -> Story {
    extract_story_with_online(
        documents,
        gazetteer,
        options,
        &online::apply::Answers::default(),
    )
}

/// [`extract_story`], with the answers of an online lookup (`--online`) folded into each document's
/// mentions before its events are read, so online places reach events and tracks too.
pub fn extract_story_with_online(
    documents: &[SourceDoc],
    gazetteer: &Gazetteer,
    options: &ExtractOptions,
    online: &online::apply::Answers,
) -> Story {
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
    let mut docs: Vec<ReadDoc> = Vec::with_capacity(documents.len());
    let mut readings: Vec<DocReading> = Vec::with_capacity(documents.len());
    for doc in documents {
        let mut meta = doc.meta.clone();
        let prepared = PreparedText::new(&doc.meta.id, &doc.text);
        if meta.published.is_none() {
            if let Some(date) = time::dateline(&doc.text) {
                meta.published = Some(date.format("%Y-%m-%d").to_string());
                meta.date_source = DateSource::Dateline;
            }
        }
        let (mut mentions, demonyms) = geoparse::geoparse(gazetteer, &prepared);
        online.apply(gazetteer, &prepared, &mut mentions);
        let anchor = meta.published.as_deref().and_then(time::parse_date);
        let times = time::find_time_expressions(&prepared, anchor);
        let mut read = ReadDoc {
            prepared,
            meta,
            mentions,
            demonyms,
            times,
        };
        let reading = match anchor {
            Some(_) => read.reading(),
            None => match time::infer_publication_date(&read.times) {
                Some(inferred) => read.redate(inferred),
                None => read.reading(),
            },
        };
        docs.push(read);
        readings.push(reading);
    }
    date_from_other_documents(&mut docs, &mut readings);
    for d in docs {
        story.documents.push(d.meta);
        story.mentions.extend(d.mentions);
        story.demonyms.extend(d.demonyms);
        story.times.extend(d.times);
    }
    story.places = collect_places(&story, gazetteer);
    online.add_places(&mut story);
    let (events, actors) = events::assemble(&readings);
    story.events = events;
    story.actors = actors;
    story.tracks = tracks::build_tracks(&story);
    story
}

/// Give undated or inferred-date documents the latest lower bound the other documents' dated reports
/// of the same happenings allow, until nothing moves (each round can date documents that date others).
fn date_from_other_documents(docs: &mut [ReadDoc], readings: &mut [DocReading]) {
    let open = |d: &ReadDoc| matches!(d.meta.date_source, DateSource::Inferred | DateSource::None);
    if !docs.iter().any(open) {
        return;
    }
    for _ in 0..docs.len() {
        let bounds = events::publication_bounds(readings);
        let mut moved = false;
        for (i, d) in docs.iter_mut().enumerate() {
            let Some(bound) = bounds[i].filter(|_| open(d)) else {
                continue;
            };
            if d.published().is_some_and(|p| p >= bound) {
                continue;
            }
            readings[i] = d.redate(bound);
            moved = true;
        }
        if !moved {
            break;
        }
    }
}

/// One place per distinct resolved gazetteer entry, in order of first mention, with mention counts.
fn collect_places(story: &Story, gazetteer: &Gazetteer) -> Vec<Place> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut order = Vec::new();
    for m in &story.mentions {
        if let Some(id) = m.place.as_deref() {
            let count = counts.entry(id).or_insert(0);
            if *count == 0 {
                order.push(id);
            }
            *count += 1;
        }
    }
    order
        .into_iter()
        .filter_map(|id| {
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
                mentions: counts[id],
            })
        })
        .collect()
}
