//! Which names of a corpus go online, and how the answers join the story.
//!
//! A name goes online when the offline resolver placed it only with low confidence (below the
//! threshold: its best candidates nearly tie) or not at all, and when cue words mark a capitalised name
//! the gazetteer does not know as a place (see `cues.rs`). Each name is asked once for the whole
//! corpus *before* the pipeline runs, so the pipeline stays free of network access: it receives the
//! [`Answers`] as plain data and folds them into each document's mentions right after geoparsing, so
//! events and tracks see online places like any other.
//!
//! The offline result is never lost. An answer that agrees with one of the offline candidates picks that
//! candidate; one that agrees with none takes the mention only when the resolver had chosen nothing,
//! and otherwise stays beside the offline choice as a candidate, for review.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::{cues, Answer, Found, Geocoder, Provider};
use crate::gazetteer::{fold, Gazetteer};
use crate::geoparse::{self, recognize, PreparedText};
use crate::ingest::SourceDoc;
use crate::story::{Candidate, CandidatePlace, Mention, Place, Story};

/// Mentions resolved with less confidence than this go online by default. The resolver's confidence is
/// 0.5 plus the winner's margin over the runner-up, so 0.6 means "the two best within 0.1".
pub const DEFAULT_BELOW: f64 = 0.6;

/// An answer this close to an offline candidate is taken to mean it.
const AGREE_KM: f64 = 50.0;

/// Confidence of a mention placed by an online answer alone: the provider's best hit for the bare
/// name, chosen without the document's context.
const ONLINE_CONFIDENCE: f64 = 0.5;

/// Confidence of an offline choice that an online answer agrees with: two sources, one place.
const CONFIRMED_CONFIDENCE: f64 = 0.8;

/// What the network said about a corpus's names, by folded name.
#[derive(Debug, Clone, Default)]
pub struct Answers {
    by_key: BTreeMap<String, Found>,
    below: f64,
}

/// Whether a mention's offline resolution is weak enough to ask online.
fn needs_lookup(m: &Mention, below: f64) -> bool {
    m.place.is_none() || m.confidence < below
}

/// The names of the documents to ask about, each once (by folded form), in order of first appearance.
pub fn names_to_look_up(documents: &[SourceDoc], gazetteer: &Gazetteer, below: f64) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut names = Vec::new();
    for doc in documents {
        let prepared = PreparedText::new(&doc.meta.id, &doc.text);
        let (mentions, _) = geoparse::geoparse(gazetteer, &prepared);
        let weak = mentions
            .iter()
            .filter(|m| needs_lookup(m, below))
            .map(|m| m.text.as_str());
        let phrases = new_phrases(gazetteer, &prepared, &mentions);
        for name in weak.chain(phrases.iter().map(|span| &doc.text[span.clone()])) {
            if seen.insert(fold(name)) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// Ask the geocoder about each name; the answers are for mentions resolved below `below`.
pub fn look_up(names: &[String], geocoder: &mut Geocoder, below: f64) -> Answers {
    let by_key = names
        .iter()
        .filter_map(|name| Some((fold(name), geocoder.lookup(name)?)))
        .collect();
    Answers { by_key, below }
}

/// Cue phrases of a document that no mention overlaps, as byte ranges.
fn new_phrases(
    gazetteer: &Gazetteer,
    prepared: &PreparedText,
    mentions: &[Mention],
) -> Vec<Range<usize>> {
    let words = recognize::words(prepared.text);
    cues::find(gazetteer, prepared.text, &words)
        .into_iter()
        .map(|c| c.span)
        .filter(|span| {
            let (start, end) = (
                prepared.offsets.char_at(span.start),
                prepared.offsets.char_at(span.end),
            );
            !mentions.iter().any(|m| m.start < end && start < m.end)
        })
        .collect()
}

impl Answers {
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Fold the answers into one document's mentions: weak mentions are confirmed, placed or given an
    /// online candidate, and cue phrases with an answer become mentions of their own.
    pub fn apply(
        &self,
        gazetteer: &Gazetteer,
        prepared: &PreparedText,
        mentions: &mut Vec<Mention>,
    ) {
        if self.by_key.is_empty() {
            return;
        }
        let mut added = Vec::new();
        for span in new_phrases(gazetteer, prepared, mentions) {
            let text = &prepared.text[span.clone()];
            let Some(found) = self.by_key.get(&fold(text)) else {
                continue;
            };
            let online = candidate(gazetteer, found);
            // Nothing offline to check the answer against: it must at least bear the name asked for.
            if !names_match(text, &online.name) {
                continue;
            }
            added.push(Mention {
                doc: prepared.doc.into(),
                start: prepared.offsets.char_at(span.start),
                end: prepared.offsets.char_at(span.end),
                text: text.to_string(),
                place: Some(online.place.to_string()),
                lat: Some(online.lat),
                lon: Some(online.lon),
                confidence: ONLINE_CONFIDENCE,
                role: None,
                sentence: prepared.sentence_at(span.start).into(),
                candidates: vec![online],
            });
        }
        for m in mentions.iter_mut() {
            if !needs_lookup(m, self.below) {
                continue;
            }
            let Some(found) = self.by_key.get(&fold(&m.text)) else {
                continue;
            };
            let online = candidate(gazetteer, found);
            let agreeing = m
                .candidates
                .iter()
                .find(|c| agrees(gazetteer, c, &online))
                .cloned();
            if let Some(offline) = agreeing {
                m.place = Some(offline.place.to_string());
                m.lat = Some(offline.lat);
                m.lon = Some(offline.lon);
                m.confidence = m.confidence.max(CONFIRMED_CONFIDENCE);
            } else if m.place.is_none() {
                m.place = Some(online.place.to_string());
                m.lat = Some(online.lat);
                m.lon = Some(online.lon);
                m.confidence = ONLINE_CONFIDENCE;
            }
            if !m.candidates.iter().any(|c| c.place == online.place) {
                m.candidates.push(online);
            }
        }
        mentions.extend(added);
        mentions.sort_by_key(|m| m.start);
    }

    /// The place an online answer introduced, by its story id (the gazetteer holds none of them); its
    /// mentions are counted by the caller.
    pub fn place(&self, id: &str) -> Option<Place> {
        let (provider, answer) = self
            .by_key
            .values()
            .map(|f| (f.provider, &f.answers[0]))
            .find(|(provider, answer)| place_id(*provider, answer) == id)?;
        Some(Place {
            id: id.to_string(),
            name: answer.name.clone(),
            kind: answer.kind,
            lat: answer.lat,
            lon: answer.lon,
            country: answer.country.clone(),
            bbox: answer.bbox,
            // The provider is the place's source, as a gazetteer layer is for offline places.
            gazetteer: provider.as_str().to_string(),
            gazetteer_id: answer.id.clone(),
            mentions: 0,
        })
    }

    /// Credit every provider whose answers the story's mentions use, as place or candidate.
    pub fn add_attribution(&self, story: &mut Story) {
        if self.by_key.is_empty() {
            return;
        }
        let by_id: BTreeMap<String, Provider> = self
            .by_key
            .values()
            .map(|f| (place_id(f.provider, &f.answers[0]), f.provider))
            .collect();
        let used: BTreeSet<Provider> = story
            .mentions
            .iter()
            .flat_map(|m| &m.candidates)
            .filter_map(|c| by_id.get(&*c.place).copied())
            .collect();
        for provider in used {
            story.generator.credit(provider.attribution().to_string());
        }
    }
}

/// The story id of a provider's answer: `nominatim:relation/2213707`; a GeoNames answer keeps the
/// offline layer's form (`gn:173193`), since it is the same feature.
pub fn place_id(provider: Provider, answer: &Answer) -> String {
    match provider {
        Provider::Geonames => format!("gn:{}", answer.id),
        _ => format!("{}:{}", provider.as_str(), answer.id),
    }
}

/// The provider's best answer as a mention candidate; a GeoNames feature the offline gazetteer holds
/// comes from the gazetteer, so it is one place with the offline layer's data.
fn candidate(gazetteer: &Gazetteer, found: &Found) -> Candidate {
    let answer = &found.answers[0];
    let id = place_id(found.provider, answer);
    if let Some(entry) = gazetteer.find_id(&id).map(|e| gazetteer.entry(e)) {
        return Candidate::new(entry.candidate_place(), ONLINE_CONFIDENCE);
    }
    let at = CandidatePlace {
        place: id,
        name: answer.name.clone(),
        kind: answer.kind,
        country: answer.country.clone(),
        lat: answer.lat,
        lon: answer.lon,
    };
    Candidate::new(at, ONLINE_CONFIDENCE)
}

/// Whether every word of one name is in the other ("Ream" and "Ream Naval Base", "Tartus Port" and
/// "Port of Tartus"): a geocoder's best hit for a phrase that is no name at all ("Ships Visit Base")
/// bears some other name.
fn names_match(asked: &str, answered: &str) -> bool {
    let words = |s: &str| -> BTreeSet<String> {
        fold(s)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (asked, answered) = (words(asked), words(answered));
    !asked.is_empty()
        && !answered.is_empty()
        && (asked.is_subset(&answered) || answered.is_subset(&asked))
}

/// Whether an offline candidate and an online answer are the same place: close, or the answer's point
/// inside the candidate's area (a sea's or a country's point says little about where it is).
fn agrees(gazetteer: &Gazetteer, offline: &Candidate, online: &Candidate) -> bool {
    if offline.place == online.place
        || crate::geo_util::haversine_km(offline.lat, offline.lon, online.lat, online.lon)
            <= AGREE_KM
    {
        return true;
    }
    let bbox = gazetteer
        .find_id(&offline.place)
        .and_then(|e| gazetteer.entry(e).bbox);
    bbox.is_some_and(|[w, s, e, n]| {
        let in_lon = if w <= e {
            (w..=e).contains(&online.lon)
        } else {
            online.lon >= w || online.lon <= e
        };
        in_lon && (s..=n).contains(&online.lat)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::test_data;
    use crate::story::PlaceKind;

    fn answers(below: f64, found: &[(&str, Provider, Answer)]) -> Answers {
        Answers {
            by_key: found
                .iter()
                .map(|(key, provider, answer)| {
                    let found = Found {
                        provider: *provider,
                        answers: vec![answer.clone()],
                    };
                    (key.to_string(), found)
                })
                .collect(),
            below,
        }
    }

    fn answer(id: &str, name: &str, lat: f64, lon: f64) -> Answer {
        Answer {
            id: id.into(),
            name: name.into(),
            kind: PlaceKind::Landmark,
            lat,
            lon,
            country: None,
            bbox: None,
        }
    }

    fn run(text: &str, online: &Answers) -> Vec<Mention> {
        let g = test_data::small();
        let prepared = PreparedText::new("d1", text);
        let (mut mentions, _) = geoparse::geoparse(&g, &prepared);
        online.apply(&g, &prepared, &mut mentions);
        mentions
    }

    #[test]
    fn an_agreeing_answer_picks_the_offline_candidate() {
        // Offline, Moscow is the capital; an answer in Idaho picks the Idaho town among the candidates.
        let idaho = answer("relation/1", "Moscow", 46.73, -117.0);
        let online = answers(1.01, &[("moscow", Provider::Nominatim, idaho)]);
        let mentions = run("Ships were seen near Moscow.", &online);
        assert_eq!(mentions[0].place.as_deref(), Some("gn:5601538"));
        assert!(mentions[0].confidence >= CONFIRMED_CONFIDENCE);
        assert!(mentions[0]
            .candidates
            .iter()
            .any(|c| &*c.place == "nominatim:relation/1"));
    }

    #[test]
    fn a_disagreeing_answer_never_replaces_the_offline_choice() {
        let elsewhere = answer("node/9", "Moscow", -10.0, 10.0);
        let online = answers(1.01, &[("moscow", Provider::Nominatim, elsewhere)]);
        let mentions = run("Ships were seen near Moscow.", &online);
        assert_eq!(mentions[0].place.as_deref(), Some("gn:524901"));
        assert_eq!(
            &*mentions[0].candidates.last().unwrap().place,
            "nominatim:node/9"
        );
    }

    #[test]
    fn confident_mentions_stay_offline() {
        let elsewhere = answer("node/9", "Moscow", -10.0, 10.0);
        let online = answers(0.0, &[("moscow", Provider::Nominatim, elsewhere)]);
        let mentions = run("Ships were seen near Moscow.", &online);
        assert_eq!(mentions[0].candidates.len(), 2, "no online candidate");
    }

    #[test]
    fn cue_phrases_become_online_places_with_attribution() {
        let ream = answer("way/7", "Ream Naval Base", 10.52, 103.63);
        let online = answers(0.6, &[("ream", Provider::Nominatim, ream)]);
        let text = "The ships left Qingdao and docked at Ream naval base.";
        let mentions = run(text, &online);
        let texts: Vec<&str> = mentions.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["Qingdao", "Ream"], "in text order");
        assert_eq!(mentions[1].place.as_deref(), Some("nominatim:way/7"));
        assert_eq!(mentions[1].confidence, ONLINE_CONFIDENCE);

        let place = online.place("nominatim:way/7").expect("the answer's place");
        assert_eq!(
            (place.gazetteer.as_str(), place.gazetteer_id.as_str()),
            ("nominatim", "way/7")
        );
        assert!(
            online.place("gn:1797929").is_none(),
            "the gazetteer's own places are not answers"
        );
        let mut story = Story {
            mentions,
            ..Story::default()
        };
        online.add_attribution(&mut story);
        assert_eq!(story.generator.attribution, [super::super::OSM_ATTRIBUTION]);
    }

    #[test]
    fn a_cue_phrase_takes_only_an_answer_bearing_its_name() {
        let other = answer("node/3", "Sihanoukville", 10.6, 103.5);
        let online = answers(0.6, &[("ream", Provider::Nominatim, other)]);
        let mentions = run("The ships docked at Ream naval base.", &online);
        assert!(mentions.is_empty());
        assert!(names_match("Tartus Port", "Port of Ţarţūs"));
        assert!(!names_match("Ships Visit Base", "Base Camp"));
    }

    #[test]
    fn a_geonames_answer_the_gazetteer_holds_is_the_offline_place() {
        let g = test_data::small();
        let found = Found {
            provider: Provider::Geonames,
            answers: vec![answer("1797929", "Qingdao", 36.06, 120.38)],
        };
        assert_eq!(&*candidate(&g, &found).place, "gn:1797929");
        assert_eq!(candidate(&g, &found).kind, PlaceKind::City);
    }
}
