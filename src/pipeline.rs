//! The pipeline: runs the stages over a corpus, in order, and assembles the [`Story`].
//!
//! Per document: geoparse, then time expressions anchored on the document's date, then events. Across
//! documents: publication dates inferred, events merged, places collected, and tracks drawn. Output order
//! follows input order, so the same input gives the same story.

use std::collections::BTreeMap;

use crate::events;
use crate::gazetteer::Gazetteer;
use crate::geoparse::{self, PreparedText};
use crate::ingest::SourceDoc;
use crate::story::{DateSource, Generator, Place, Story, GEONAMES_ATTRIBUTION};
use crate::time;
use crate::tracks;

/// Settings for one extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// RFC 3339 generation time written into the story (fixed for reproducible output).
    pub generated_at: String,
}

/// Run every stage over the documents and return the story.
pub fn extract_story(
    documents: &[SourceDoc],
    gazetteer: &Gazetteer,
    options: &ExtractOptions,
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
    for doc in documents {
        let mut meta = doc.meta.clone();
        let prepared = PreparedText::new(&meta.id, &doc.text);
        if meta.published.is_none() {
            if let Some(date) = time::dateline(&doc.text) {
                meta.published = Some(date.format("%Y-%m-%d").to_string());
                meta.date_source = DateSource::Dateline;
            }
        }
        let (mentions, demonyms) = geoparse::geoparse(gazetteer, &prepared);
        let mut anchor = meta.published.as_deref().and_then(time::parse_date);
        let mut times = time::find_time_expressions(&prepared, anchor);
        if anchor.is_none() {
            if let Some(inferred) = time::infer_publication_date(&times) {
                meta.published = Some(inferred.format("%Y-%m-%d").to_string());
                meta.date_source = DateSource::Inferred;
                anchor = Some(inferred);
                times = time::find_time_expressions(&prepared, anchor);
            }
        }
        let doc_events = events::extract_events(&prepared, &mentions, &demonyms, &times);
        story.documents.push(meta);
        story.mentions.extend(mentions);
        story.demonyms.extend(demonyms);
        story.times.extend(times);
        story.events.extend(doc_events);
    }
    story.places = collect_places(&story, gazetteer);
    story.events = events::merge_events(std::mem::take(&mut story.events));
    story.tracks = tracks::build_tracks(&story);
    story
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
