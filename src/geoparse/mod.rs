//! Geoparsing: from a document's text to *mentions* — stretches of text that name a place, each resolved
//! to a gazetteer entry with a confidence and the candidates considered — and to demonyms, kept as
//! evidence for a country.

pub mod recognize;
pub mod resolve;

use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;

use crate::gazetteer::{self, Gazetteer};
use crate::story::{Candidate, CandidatePlace, Demonym, Mention, PlaceKind};
use crate::text::{sentence_containing, CharOffsets};
use recognize::Found;
use resolve::{DocContext, Occurrence};

/// Below this confidence a mention keeps its candidates but gets no place.
pub const MIN_CONFIDENCE: f64 = 0.2;

/// Verbs after a capital or a seat of government that make it the government speaking or acting.
const POLITY_VERBS: &[&str] = &[
    "said",
    "says",
    "has",
    "have",
    "had",
    "is",
    "was",
    "will",
    "would",
    "announced",
    "stated",
    "refused",
    "condemned",
    "warned",
    "accused",
    "denied",
    "insisted",
    "urged",
    "called",
    "responded",
    "rejected",
    "welcomed",
    "continues",
    "continued",
    "emerged",
    "claims",
    "claimed",
    "confirmed",
    "protested",
    "vowed",
    "sanctioned",
    "threatened",
    "wants",
    "sees",
    "agreed",
];

/// A document's text prepared for the stages: sentences and offset conversion.
pub struct PreparedText<'a> {
    pub doc: &'a str,
    pub text: &'a str,
    pub offsets: CharOffsets,
    pub sentences: Vec<Range<usize>>,
}

impl<'a> PreparedText<'a> {
    pub fn new(doc: &'a str, text: &'a str) -> PreparedText<'a> {
        PreparedText {
            doc,
            text,
            offsets: CharOffsets::new(text),
            sentences: crate::text::sentences(text),
        }
    }

    /// The sentence around a byte offset, as text (the whole text if it has no sentences).
    pub fn sentence_at(&self, byte: usize) -> &'a str {
        sentence_containing(&self.sentences, byte).map_or(self.text, |r| &self.text[r.clone()])
    }
}

/// A toponym found by recognition: byte span, folded name, first and last word index.
struct FoundToponym {
    span: Range<usize>,
    folded: String,
    first: usize,
    last: usize,
}

/// What recognition found in a document, and the document context it implies.
struct Analysis {
    words: recognize::Words,
    toponyms: Vec<FoundToponym>,
    demonyms: Vec<Demonym>,
    context: DocContext,
}

fn analyse(gazetteer: &Gazetteer, prepared: &PreparedText) -> Analysis {
    let text = prepared.text;
    let words = recognize::words(text);
    let mut demonyms = Vec::new();
    let mut context = DocContext::default();
    let mut toponyms = Vec::new();
    for f in recognize::find(gazetteer, text, &words) {
        match f {
            Found::Demonym { span, country } => {
                context.add_country(&country, &gazetteer::fold(&text[span.clone()]));
                demonyms.push(Demonym {
                    doc: prepared.doc.to_string(),
                    start: prepared.offsets.char_at(span.start),
                    end: prepared.offsets.char_at(span.end),
                    text: text[span].to_string(),
                    country,
                });
            }
            Found::Toponym {
                span,
                folded,
                first_word,
                last_word,
            } => toponyms.push(FoundToponym {
                span,
                folded,
                first: first_word,
                last: last_word,
            }),
        }
    }
    Analysis {
        words,
        toponyms,
        demonyms,
        context,
    }
}

fn occurrence<'a>(
    text: &str,
    words: &'a recognize::Words,
    qualifier: &'a Option<String>,
    folded: &'a str,
    (first, last): (usize, usize),
) -> Occurrence<'a> {
    Occurrence {
        folded,
        before: [
            first.checked_sub(2).map(|i| words.folded(i)),
            first.checked_sub(1).map(|i| words.folded(i)),
        ],
        after: words.folded_after(last),
        qualifier: qualifier.as_deref(),
        dateline: first == 0 && is_dateline(text, words[first].start()..words[last].end()),
    }
}

/// A name opening a document in capitals or before an agency's bracket or a dash is a dateline.
fn is_dateline(text: &str, span: Range<usize>) -> bool {
    let mut letters = text[span.clone()]
        .chars()
        .filter(|c| c.is_alphabetic())
        .peekable();
    let in_capitals = letters.peek().is_some() && letters.all(char::is_uppercase);
    in_capitals
        || text[span.end..]
            .trim_start()
            .starts_with(['(', '—', '–', '-'])
}

/// The place named right after a name as its qualifier ("Paris, Texas"), unless the two are items of a
/// list ("Oregon, Washington, Wyoming"; "China, Japan and Korea").
fn qualifier(
    text: &str,
    words: &recognize::Words,
    last: usize,
    gazetteer: &Gazetteer,
) -> Option<String> {
    let q = recognize::qualifier_after(text, words, last, gazetteer)?;
    let q_last = last + q.split(' ').count();
    let Some(next) = words.get(q_last + 1) else {
        return Some(q);
    };
    let between = text[words[q_last].end()..next.start()].trim();
    let continues_a_list = (between == "," && next.capitalised)
        || (between.is_empty() || between == ",")
            && matches!(words.folded(q_last + 1), "and" | "or");
    (!continues_a_list).then_some(q)
}

/// Resolve given spans (code-point offsets) in the context of their document: for evaluation with gold
/// toponyms. A span naming a demonym resolves to its country.
pub fn resolve_spans(
    gazetteer: &Gazetteer,
    prepared: &PreparedText,
    spans: &[(usize, usize)],
) -> Vec<Option<gazetteer::EntryId>> {
    let mut analysis = analyse(gazetteer, prepared);
    let text = prepared.text;
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let located: Vec<(String, usize, usize)> = spans
        .iter()
        .map(|&(s, e)| {
            let (bs, be) = (
                byte_of[s.min(byte_of.len() - 1)],
                byte_of[e.min(byte_of.len() - 1)],
            );
            let first = analysis.words.partition_point(|w| w.end() <= bs);
            let last = analysis
                .words
                .partition_point(|w| w.start() < be)
                .saturating_sub(1)
                .max(first);
            (gazetteer::fold(&text[bs..be.max(bs)]), first, last)
        })
        .collect();
    // The names recognition found name the document's areas too, beside the given spans (which
    // resolution adds, also where recognition missed them: "Team Alberta").
    for t in &analysis.toponyms {
        analysis.context.add_named_area(gazetteer, &t.folded);
    }
    let qualifiers: Vec<Option<String>> = located
        .iter()
        .map(|(_, _, last)| qualifier(text, &analysis.words, *last, gazetteer))
        .collect();
    let occurrences: Vec<Occurrence> = located
        .iter()
        .zip(&qualifiers)
        .map(|((folded, first, last), q)| {
            occurrence(text, &analysis.words, q, folded, (*first, *last))
        })
        .collect();
    let resolved = resolve::resolve_names(gazetteer, &occurrences, analysis.context);
    located
        .iter()
        .enumerate()
        .map(|(i, (folded, _, _))| {
            // a demonym tagged as a toponym ("Turkish") means its country, not a town of that name
            match gazetteer
                .demonym(folded)
                .and_then(|cc| gazetteer.country(cc))
            {
                Some(country) => Some(country),
                None => resolved.of(i).first().map(|s| s.entry),
            }
        })
        .collect()
}

/// Find and resolve the place mentions and demonyms of one document.
pub fn geoparse(gazetteer: &Gazetteer, prepared: &PreparedText) -> (Vec<Mention>, Vec<Demonym>) {
    geoparse_with(gazetteer, prepared, &CandidatePlaces::default())
}

/// [`geoparse`], the candidates' places shared with the other documents of a run.
pub fn geoparse_with(
    gazetteer: &Gazetteer,
    prepared: &PreparedText,
    candidate_places: &CandidatePlaces,
) -> (Vec<Mention>, Vec<Demonym>) {
    let text = prepared.text;
    let Analysis {
        words,
        toponyms,
        demonyms,
        context,
    } = analyse(gazetteer, prepared);
    let qualifiers: Vec<Option<String>> = toponyms
        .iter()
        .map(|t| qualifier(text, &words, t.last, gazetteer))
        .collect();
    let occurrences: Vec<Occurrence> = toponyms
        .iter()
        .zip(&qualifiers)
        .map(|(t, q)| occurrence(text, &words, q, &t.folded, (t.first, t.last)))
        .collect();
    let resolved = resolve::resolve_names(gazetteer, &occurrences, context);

    let mut mentions = Vec::with_capacity(toponyms.len());
    // one copy of the document's id for all its mentions
    let doc: Arc<str> = prepared.doc.into();
    let mut sentence = None;
    for (
        i,
        FoundToponym {
            span, first, last, ..
        },
    ) in toponyms.iter().enumerate()
    {
        // its best few candidates ([`resolve::KEPT_CANDIDATES`]), which the mention lists
        let scored = resolved.of(i);
        let confidence = resolve::confidence(scored);
        let Some(best) = scored.first() else { continue };
        let best_entry = gazetteer.entry(best.entry);
        // A small town name running on into another capitalised word is part of a longer name
        // ("Victoria Ioganov"); a famous place keeps its mention ("Beijing Olympics" still says Beijing).
        let part_of_longer_name = match best_entry.kind {
            PlaceKind::City => {
                best_entry.population < 1_000_000
                    && recognize::runs_into_capitalised_word(text, &words, *last)
            }
            PlaceKind::Admin1 | PlaceKind::Admin2 => {
                first == last && recognize::speaker_named_like_place(gazetteer, text, &words, *last)
            }
            _ => false,
        };
        if part_of_longer_name {
            continue;
        }
        let chosen = (confidence >= MIN_CONFIDENCE).then_some(best_entry);
        let next_word = words.folded_after(*last);
        let is_seat_of_power = best_entry.feature_code == "PPLC" || best_entry.stands_for.is_some();
        let role = (is_seat_of_power && next_word.is_some_and(|w| POLITY_VERBS.contains(&w)))
            .then(|| "polity".to_string());
        mentions.push(Mention {
            doc: Arc::clone(&doc),
            start: prepared.offsets.char_at(span.start),
            end: prepared.offsets.char_at(span.end),
            text: text[span.clone()].to_string(),
            place: chosen.map(|e| e.id.clone()),
            lat: chosen.map(|e| e.lat),
            lon: chosen.map(|e| e.lon),
            confidence: (confidence * 1000.0).round() / 1000.0,
            role,
            sentence: shared_sentence(&mut sentence, prepared.sentence_at(span.start)),
            candidates: candidate_places.candidates(gazetteer, scored),
        });
    }
    (mentions, demonyms)
}

/// What candidates say of their places, one copy per gazetteer entry for all the documents of a run:
/// a corpus names the same few thousand places in millions of candidates. Entry ids are one
/// gazetteer's, so a table serves the gazetteer it was filled from.
#[derive(Default)]
pub struct CandidatePlaces(Mutex<FxHashMap<gazetteer::EntryId, Arc<CandidatePlace>>>);

impl CandidatePlaces {
    fn candidates(&self, gazetteer: &Gazetteer, scored: &[resolve::Scored]) -> Vec<Candidate> {
        let mut shared = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        scored
            .iter()
            .map(|s| {
                let at = shared
                    .entry(s.entry)
                    .or_insert_with(|| Arc::new(gazetteer.entry(s.entry).candidate_place()));
                Candidate {
                    at: Arc::clone(at),
                    score: (s.score * 1000.0).round() / 1000.0,
                }
            })
            .collect()
    }
}

/// One copy of a sentence for all its mentions: they come in text order, so those of one sentence
/// follow each other, and the last sentence copied is the one to share.
fn shared_sentence<'a>(last: &mut Option<(&'a str, Arc<str>)>, sentence: &'a str) -> Arc<str> {
    match last {
        Some((text, shared)) if std::ptr::eq(*text, sentence) => Arc::clone(shared),
        _ => Arc::clone(&last.insert((sentence, sentence.into())).1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::test_data;

    #[test]
    fn mentions_carry_code_point_offsets_and_sentences() {
        let g = test_data::small();
        let text =
            "Le navire — parti de «Qingdao» — a rejoint la mer. Beijing said the Kremlin agreed.";
        let prepared = PreparedText::new("d1", text);
        let (mentions, _) = geoparse(&g, &prepared);
        let qingdao = mentions.iter().find(|m| m.text == "Qingdao").unwrap();
        let sliced: String = text
            .chars()
            .skip(qingdao.start)
            .take(qingdao.end - qingdao.start)
            .collect();
        assert_eq!(sliced, "Qingdao");
        assert_eq!(qingdao.place.as_deref(), Some("gn:1797929"));
        assert!(qingdao.sentence.starts_with("Le navire"));
        let beijing = mentions.iter().find(|m| m.text == "Beijing").unwrap();
        assert_eq!(beijing.role.as_deref(), Some("polity"));
        let kremlin = mentions.iter().find(|m| m.text == "Kremlin").unwrap();
        assert_eq!(kremlin.role.as_deref(), Some("polity"));
    }

    #[test]
    fn mentions_of_one_sentence_share_its_copy() {
        let g = test_data::small();
        let prepared = PreparedText::new(
            "d1",
            "Ships left Qingdao for Tokyo. They reached Vladivostok.",
        );
        let (mentions, _) = geoparse(&g, &prepared);
        let sentences: Vec<&Arc<str>> = mentions.iter().map(|m| &m.sentence).collect();
        assert_eq!(sentences.len(), 3, "{mentions:?}");
        assert!(Arc::ptr_eq(sentences[0], sentences[1]));
        assert!(!Arc::ptr_eq(sentences[1], sentences[2]));
        assert_eq!(&sentences[2][..], "They reached Vladivostok.");
    }

    #[test]
    fn candidates_share_their_candidate_places_across_documents() {
        let g = test_data::small();
        let candidate_places = CandidatePlaces::default();
        let (first, _) = geoparse_with(
            &g,
            &PreparedText::new("d1", "Ships left Qingdao."),
            &candidate_places,
        );
        let (second, _) = geoparse_with(
            &g,
            &PreparedText::new("d2", "Ships reached Qingdao."),
            &candidate_places,
        );
        let (a, b) = (&first[0].candidates[0], &second[0].candidates[0]);
        assert_eq!(a.place, "gn:1797929");
        assert!(Arc::ptr_eq(&a.at, &b.at));
    }

    #[test]
    fn a_given_name_and_surname_that_are_both_towns_make_a_person() {
        let places = format!(
            "{}gn:1\tMargaret\tcity\tPPL\t-33.95\t115.07\tAU\t08\t5000\t\ngn:2\tMurphy\tcity\tPPL\t33.01\t-96.61\tUS\tTX\t20000\t\n",
            test_data::PLACES
        );
        let g = Gazetteer::from_tables(&crate::gazetteer::Tables {
            places: &places,
            ..test_data::tables()
        })
        .unwrap();
        let (mentions, _) = geoparse(
            &g,
            &PreparedText::new("d1", "Police seek Margaret Murphy. Murphy is 27."),
        );
        assert!(mentions.is_empty(), "{mentions:?}");
        let (mentions, _) = geoparse(&g, &PreparedText::new("d1", "Police went to Murphy."));
        assert_eq!(mentions.len(), 1);
    }

    #[test]
    fn a_place_with_one_sense_is_evidence_for_its_country() {
        let places = format!(
            "{}gn:2643743\tLondon\tcity\tPPLC\t51.50853\t-0.12574\tGB\tENG\t8961989\t\ngn:6058560\tLondon\tcity\tPPL\t42.98339\t-81.23304\tCA\t08\t422324\t\ngn:6155033\tStrathroy\tcity\tPPL\t42.95\t-81.6167\tCA\t08\t14401\t\n",
            test_data::PLACES
        );
        let g = Gazetteer::from_tables(&crate::gazetteer::Tables {
            places: &places,
            ..test_data::tables()
        })
        .unwrap();
        let london = |text: &str| {
            let (mentions, _) = geoparse(&g, &PreparedText::new("d1", text));
            let m = mentions.into_iter().find(|m| m.text == "London").unwrap();
            m.place.unwrap()
        };
        assert_eq!(london("The rally in London drew crowds."), "gn:2643743");
        assert_eq!(
            london("The rally in London drew crowds from Strathroy."),
            "gn:6058560"
        );
    }

    #[test]
    fn demonyms_are_evidence_not_mentions() {
        let g = test_data::small();
        let prepared = PreparedText::new("d1", "Russian and Chinese ships met near Moscow.");
        let (mentions, demonyms) = geoparse(&g, &prepared);
        assert_eq!(
            demonyms
                .iter()
                .map(|d| d.country.as_str())
                .collect::<Vec<_>>(),
            ["RU", "CN"]
        );
        assert_eq!(mentions.len(), 1);
        assert_eq!(mentions[0].place.as_deref(), Some("gn:524901"));
    }
}
