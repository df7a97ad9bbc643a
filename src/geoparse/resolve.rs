//! Resolution: choosing which gazetteer entry a toponym means.
//!
//! Each candidate starts from its prior (importance: kind, capital status, population). The document then
//! moves it: countries the article names or implies through demonyms, places already resolved nearby,
//! and cue words around the mention ("port of", "province"). A name keeps one sense for the whole
//! document, as a reader would assume.

use std::collections::{BTreeMap, BTreeSet};

use crate::gazetteer::{EntryId, Gazetteer};
use crate::story::PlaceKind;

/// What resolution needs to know about one toponym occurrence.
pub struct Occurrence<'a> {
    pub folded: &'a str,
    /// The folded words just before and after it, for cue words.
    pub before: &'a [String],
    pub after: Option<&'a str>,
    /// The state or country named right after it ("Paris, Texas"), folded.
    pub qualifier: Option<&'a str>,
}

/// The document-level evidence: countries named or implied.
#[derive(Default)]
pub struct DocContext {
    pub countries: BTreeSet<String>,
    /// First-level divisions named in the document, as (country, admin1 code).
    pub divisions: BTreeSet<(String, String)>,
}

/// A scored candidate.
#[derive(Debug, Clone)]
pub struct Scored {
    pub entry: EntryId,
    pub score: f64,
}

/// The resolution of every distinct name in a document: folded name -> ranked candidates.
pub fn resolve_names(
    gazetteer: &Gazetteer,
    occurrences: &[Occurrence],
    context: &DocContext,
) -> BTreeMap<String, Vec<Scored>> {
    let mut by_name: BTreeMap<String, Vec<&Occurrence>> = BTreeMap::new();
    for occ in occurrences {
        by_name.entry(occ.folded.to_string()).or_default().push(occ);
    }
    // Anchors: names with a single sense that is not a whole country, for spatial coherence.
    let anchors: Vec<(f64, f64)> = by_name
        .keys()
        .filter_map(|name| {
            let ids = gazetteer.lookup_folded(name);
            (ids.len() == 1)
                .then(|| gazetteer.entry(ids[0]))
                .filter(|e| e.kind != PlaceKind::Country)
                .map(|e| (e.lat, e.lon))
        })
        .collect();
    by_name
        .into_iter()
        .map(|(name, occs)| {
            let mut scored: Vec<Scored> = gazetteer
                .candidates_folded(&name)
                .into_iter()
                .take(50)
                .map(|c| Scored {
                    entry: c.entry,
                    score: score_candidate(gazetteer, c.entry, c.score, &occs, context, &anchors),
                })
                .collect();
            scored.sort_by(|a, b| {
                b.score.total_cmp(&a.score).then_with(|| {
                    gazetteer
                        .entry(a.entry)
                        .id
                        .cmp(&gazetteer.entry(b.entry).id)
                })
            });
            (name, scored)
        })
        .collect()
}

/// `prior` is the gazetteer's score for the entry under this name (importance, less for an alias).
fn score_candidate(
    gazetteer: &Gazetteer,
    id: EntryId,
    prior: f64,
    occs: &[&Occurrence],
    context: &DocContext,
    anchors: &[(f64, f64)],
) -> f64 {
    let entry = gazetteer.entry(id);
    let mut score = prior;
    let in_context = entry
        .country
        .as_ref()
        .is_some_and(|c| context.countries.contains(c))
        || entry
            .near_countries
            .iter()
            .any(|c| context.countries.contains(c));
    if in_context {
        score += 0.25;
    }
    let in_division = entry.kind != PlaceKind::Admin1
        && entry
            .country
            .clone()
            .zip(entry.admin1.clone())
            .is_some_and(|key| context.divisions.contains(&key));
    if in_division {
        score += 0.2;
    }
    // Distances say little about areas, whose points stand for wide extents.
    let is_area = matches!(
        entry.kind,
        PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Region
    ) || entry.kind.is_water();
    if !anchors.is_empty() && !is_area {
        let nearest = anchors
            .iter()
            .map(|&(lat, lon)| crate::geo_util::haversine_km(lat, lon, entry.lat, entry.lon))
            .fold(f64::INFINITY, f64::min);
        if nearest < 500.0 {
            score += 0.1;
        } else if nearest < 1500.0 {
            score += 0.05;
        }
    }
    let cue = occs
        .iter()
        .map(|o| cue_bonus(entry.kind, o))
        .fold(0.0, f64::max);
    score + cue
}

/// Words around a mention that say what kind of place it is.
fn cue_bonus(kind: PlaceKind, occ: &Occurrence) -> f64 {
    let prev = occ.before.last().map(String::as_str);
    let prev2 = occ
        .before
        .len()
        .checked_sub(2)
        .map(|i| occ.before[i].as_str());
    let after = occ.after;
    match kind {
        PlaceKind::Port
            if prev == Some("of") && matches!(prev2, Some("port" | "harbour" | "harbor")) =>
        {
            0.45
        }
        PlaceKind::City if prev == Some("of") && prev2 == Some("city") => 0.2,
        PlaceKind::Admin1
            if matches!(
                after,
                Some("province" | "prefecture" | "state" | "oblast" | "region" | "krai")
            ) =>
        {
            0.5
        }
        PlaceKind::Admin1 if prev == Some("of") && matches!(prev2, Some("province" | "state")) => {
            0.5
        }
        PlaceKind::City if matches!(after, Some("city")) => 0.2,
        _ => 0.0,
    }
}

/// How sure the choice is: the winner's margin over the runner-up, mapped into 0..1.
pub fn confidence(scored: &[Scored]) -> f64 {
    match scored {
        [] => 0.0,
        [only] => (0.6 + 0.4 * only.score.min(1.0)).min(1.0),
        [first, second, ..] => (0.5 + (first.score - second.score)).clamp(0.05, 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::test_data;

    fn best(
        g: &Gazetteer,
        name: &str,
        before: &[&str],
        after: Option<&str>,
        countries: &[&str],
    ) -> String {
        let before: Vec<String> = before.iter().map(|s| s.to_string()).collect();
        let occ = Occurrence {
            folded: name,
            before: &before,
            after,
            qualifier: None,
        };
        let ctx = DocContext {
            countries: countries.iter().map(|s| s.to_string()).collect(),
            ..DocContext::default()
        };
        let res = resolve_names(g, &[occ], &ctx);
        g.entry(res[name][0].entry).id.clone()
    }

    #[test]
    fn context_and_cues_move_the_choice() {
        let g = test_data::small();
        assert_eq!(best(&g, "moscow", &[], None, &[]), "gn:524901");
        assert_eq!(best(&g, "qingdao", &[], None, &[]), "gn:1797929");
        assert_eq!(
            best(&g, "qingdao", &["port", "of"], None, &[]),
            "port:CNTAO"
        );
        assert_eq!(
            best(&g, "shandong", &[], Some("province"), &["CN"]),
            "admin1:CN.25"
        );
    }

    #[test]
    fn confidence_reflects_the_margin() {
        let clear = [
            Scored {
                entry: 0,
                score: 0.9,
            },
            Scored {
                entry: 1,
                score: 0.3,
            },
        ];
        let close = [
            Scored {
                entry: 0,
                score: 0.6,
            },
            Scored {
                entry: 1,
                score: 0.58,
            },
        ];
        assert!(confidence(&clear) > confidence(&close));
        assert_eq!(confidence(&[]), 0.0);
    }
}
