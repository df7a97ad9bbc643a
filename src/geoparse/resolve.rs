//! Resolution: choosing which gazetteer entry a toponym means.
//!
//! Each candidate starts from its prior (importance: kind, capital status, population). The document then
//! moves it: countries the article names or implies through demonyms, divisions it names (a town inside
//! one, or a division named beside others of its country), the places the other names of the article
//! resolve to (a town near them), and cue words around the mention ("port of", "province"). A name is
//! never its own evidence: "Georgia" does not make Georgia the country more likely. A name keeps one
//! sense for the whole document, as a reader would assume.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::gazetteer::{Entry, EntryId, Gazetteer};
use crate::geo_util::LatCos;
use crate::story::PlaceKind;

/// What resolution needs to know about one toponym occurrence.
pub struct Occurrence<'a> {
    pub folded: &'a str,
    /// The two folded words just before it (the nearer last) and the one after it, for cue words.
    pub before: [Option<&'a str>; 2],
    pub after: Option<&'a str>,
    /// The state or country named right after it ("Paris, Texas"), folded.
    pub qualifier: Option<&'a str>,
    /// It opens the document as a dateline ("WASHINGTON (AP) —"), which names a city.
    pub dateline: bool,
}

/// The document-level evidence: countries and first-level divisions named or implied, each with the
/// folded names (or demonyms) that point to it, so that a name is never counted as evidence for itself.
#[derive(Default)]
pub struct DocContext {
    // asked about for every candidate of every name: hashed, and only ever looked up, never listed
    countries: FxHashMap<String, BTreeSet<String>>,
    /// First-level divisions, by country and admin1 code.
    divisions: FxHashMap<String, FxHashMap<String, BTreeSet<String>>>,
}

impl DocContext {
    pub fn add_country(&mut self, country: &str, source: &str) {
        self.countries
            .entry(country.to_string())
            .or_default()
            .insert(source.to_string());
    }

    pub fn add_division(&mut self, country: &str, admin1: &str, source: &str) {
        self.divisions
            .entry(country.to_string())
            .or_default()
            .entry(admin1.to_string())
            .or_default()
            .insert(source.to_string());
    }

    /// True when something other than the name `name` points to `country`.
    fn has_country(&self, country: &str, name: &str) -> bool {
        self.countries
            .get(country)
            .is_some_and(|sources| sources.iter().any(|s| s != name))
    }

    fn has_division(&self, country: &str, admin1: &str, name: &str) -> bool {
        self.divisions
            .get(country)
            .and_then(|divisions| divisions.get(admin1))
            .is_some_and(|sources| sources.iter().any(|s| s != name))
    }

    /// True when another name names another division of `country`: a state among states.
    fn has_sibling_division(&self, country: &str, admin1: &str, name: &str) -> bool {
        self.divisions.get(country).is_some_and(|divisions| {
            divisions
                .iter()
                .any(|(a, sources)| a != admin1 && sources.iter().any(|s| s != name))
        })
    }
}

/// A scored candidate.
#[derive(Debug, Clone)]
pub struct Scored {
    pub entry: EntryId,
    pub score: f64,
}

/// A place another name of the document is resolved to, by the index of that name.
struct Neighbour<'a> {
    name: usize,
    entry: &'a Entry,
    point: LatCos,
}

/// How many times the ranking is redone with the other names' current choices as neighbours.
const COHERENCE_ROUNDS: usize = 2;

/// The most that nearby places of the same document add to a candidate.
const MAX_NEIGHBOUR_BONUS: f64 = 0.2;

/// The resolution of every distinct name in a document: folded name -> ranked candidates.
pub fn resolve_names(
    gazetteer: &Gazetteer,
    occurrences: &[Occurrence],
    context: &DocContext,
) -> BTreeMap<String, Vec<Scored>> {
    let mut by_name: BTreeMap<&str, Vec<&Occurrence>> = BTreeMap::new();
    for occ in occurrences {
        by_name.entry(occ.folded).or_default().push(occ);
    }
    let names: Vec<&str> = by_name.keys().copied().collect();
    // The document's own evidence first, then the places the other names resolve to.
    let base: Vec<Vec<Scored>> = by_name
        .iter()
        .map(|(name, occs)| {
            gazetteer
                .candidates_folded(name)
                .into_iter()
                .take(50)
                .map(|c| Scored {
                    entry: c.entry,
                    score: score_candidate(gazetteer, c.entry, c.score, name, occs, context),
                })
                .collect()
        })
        .collect();
    let mut resolved = base.clone();
    for scored in &mut resolved {
        sort_scored(gazetteer, scored);
    }
    let mut previous_choice = None;
    for _ in 0..COHERENCE_ROUNDS {
        let choice: Vec<Option<EntryId>> = resolved
            .iter()
            .map(|scored| scored.first().map(|s| s.entry))
            .collect();
        // the same choices as last round rank everything the same way again
        if previous_choice.as_ref() == Some(&choice) {
            break;
        }
        // places with a point worth measuring from, by the index of their name
        let neighbours: Vec<Neighbour> = choice
            .iter()
            .enumerate()
            .filter_map(|(k, chosen)| chosen.map(|e| (k, gazetteer.entry(e))))
            .filter(|(_, e)| !is_area(e.kind))
            .map(|(name, entry)| Neighbour {
                name,
                entry,
                point: LatCos::new(entry.lat, entry.lon),
            })
            .collect();
        let mut next = base.clone();
        for (k, scored) in next.iter_mut().enumerate() {
            for s in scored.iter_mut() {
                s.score += neighbour_bonus(gazetteer.entry(s.entry), k, &neighbours);
            }
            sort_scored(gazetteer, scored);
        }
        resolved = next;
        previous_choice = Some(choice);
    }
    names
        .into_iter()
        .map(str::to_string)
        .zip(resolved)
        .collect()
}

fn sort_scored(gazetteer: &Gazetteer, scored: &mut [Scored]) {
    scored.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then_with(|| {
            gazetteer
                .entry(a.entry)
                .id
                .cmp(&gazetteer.entry(b.entry).id)
        })
    });
}

/// True for places whose point stands for a wide extent, so that distances to it say little.
fn is_area(kind: PlaceKind) -> bool {
    matches!(
        kind,
        PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Region
    ) || kind.is_water()
}

/// What the other names' choices say for a candidate: a town near the towns the article names is more
/// likely than a namesake far away ("Edmonton" beside Enfield and London), and a division holding a
/// town the article names is the one meant ("Georgia" beside Atlanta).
fn neighbour_bonus(entry: &Entry, name: usize, neighbours: &[Neighbour]) -> f64 {
    let others = neighbours.iter().filter(|n| n.name != name);
    if entry.kind == PlaceKind::Admin1 {
        let holds_a_named_place = others.into_iter().any(|n| {
            let o = n.entry;
            o.country == entry.country && o.admin1.is_some() && o.admin1 == entry.admin1
        });
        return if holds_a_named_place { 0.2 } else { 0.0 };
    }
    if is_area(entry.kind) {
        return 0.0;
    }
    // A difference in latitude alone sets a floor on the distance: most pairs are told apart by it
    // without the trigonometry (a document's names times their candidates add up to many pairs).
    let too_far_by_latitude = |o: &Entry| {
        (o.lat - entry.lat).abs().to_radians() * crate::geo_util::EARTH_RADIUS_KM > 500.0
    };
    // worked out for the first neighbour near enough to measure, if any
    let mut point = None;
    let mut bonus = 0.0;
    for n in others.filter(|n| !too_far_by_latitude(n.entry)) {
        let point = point.get_or_insert_with(|| LatCos::new(entry.lat, entry.lon));
        // and a difference in longitude sets another floor: the same country's latitudes, an
        // ocean apart
        if n.point.surely_farther_than(point, 500.0) {
            continue;
        }
        bonus += match n.point.km_to(point) {
            d if d <= 50.0 => 0.1,
            d if d <= 200.0 => 0.05,
            d if d <= 500.0 => 0.02,
            _ => 0.0,
        };
    }
    f64::min(bonus, MAX_NEIGHBOUR_BONUS)
}

/// `prior` is the gazetteer's score for the entry under this name (importance, less for an alias).
fn score_candidate(
    gazetteer: &Gazetteer,
    id: EntryId,
    prior: f64,
    name: &str,
    occs: &[&Occurrence],
    context: &DocContext,
) -> f64 {
    let entry = gazetteer.entry(id);
    let mut score = prior;
    let in_context = entry
        .country
        .as_ref()
        .is_some_and(|c| context.has_country(c, name))
        || entry
            .near_countries
            .iter()
            .any(|c| context.has_country(c, name));
    if in_context {
        score += 0.25;
    }
    if let (Some(country), Some(admin1)) = (&entry.country, &entry.admin1) {
        if entry.kind == PlaceKind::Admin1 {
            if context.has_sibling_division(country, admin1, name) {
                score += 0.15;
            }
        } else if context.has_division(country, admin1, name) {
            score += 0.2;
        }
    }
    let cue = occs
        .iter()
        .map(|o| {
            let qualified = o
                .qualifier
                .is_some_and(|q| qualifier_holds(gazetteer, entry, q));
            cue_bonus(entry.kind, o)
                + if qualified { 0.4 } else { 0.0 }
                + if o.dateline && entry.kind == PlaceKind::City {
                    0.3
                } else {
                    0.0
                }
        })
        .fold(0.0, f64::max);
    score + cue
}

/// True when the place lies in the state or country named right after it ("Paris, Texas",
/// "Washington, D.C.", "London, Ky."), in any sense of that name.
fn qualifier_holds(
    gazetteer: &Gazetteer,
    entry: &crate::gazetteer::Entry,
    qualifier: &str,
) -> bool {
    entry.country.is_some()
        && gazetteer.lookup_folded(qualifier).iter().any(|&q| {
            let area = gazetteer.entry(q);
            match area.kind {
                PlaceKind::Country => area.country == entry.country,
                PlaceKind::Admin1 => {
                    area.id != entry.id
                        && area.country == entry.country
                        && area.admin1.is_some()
                        && area.admin1 == entry.admin1
                }
                _ => false,
            }
        })
}

/// Words around a mention that say what kind of place it is.
fn cue_bonus(kind: PlaceKind, occ: &Occurrence) -> f64 {
    let [prev2, prev] = occ.before;
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
        let occ = Occurrence {
            folded: name,
            before: [
                before.len().checked_sub(2).map(|i| before[i]),
                before.last().copied(),
            ],
            after,
            qualifier: None,
            dateline: false,
        };
        let mut ctx = DocContext::default();
        for country in countries {
            ctx.add_country(country, "");
        }
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

    /// Namesakes on both sides of the Atlantic, for the document-evidence tests.
    const NAMESAKES: &str =
        "id\tname\tkind\tfeature_code\tlat\tlon\tcountry\tadmin1\tpopulation\talt_names
gn:2650209\tEdmonton\tcity\tPPL\t51.62561\t-0.05798\tGB\tENG\t82472\t
gn:5946768\tEdmonton\tcity\tPPL\t53.55014\t-113.46871\tCA\t01\t1010899\t
gn:2649997\tEnfield\tcity\tPPL\t51.65147\t-0.08497\tGB\tENG\t82046\t
gn:5165734\tOregon\tcity\tPPL\t41.64366\t-83.48688\tUS\tOH\t20102\t
gn:4180439\tAtlanta\tcity\tPPLA\t33.749\t-84.38798\tUS\tGA\t498715\t
gn:5601538\tMoscow\tcity\tPPL\t46.73239\t-117.00017\tUS\tID\t25435\t
gn:524901\tMoscow\tcity\tPPLC\t55.75222\t37.61556\tRU\t48\t10381222\t
country:GE\tGeorgia\tcountry\tPCLI\t42.0\t43.5\tGE\t\t3731000\t
country:US\tUnited States\tcountry\tPCLI\t39.8\t-98.6\tUS\t\t327167434\t
admin1:US.GA\tGeorgia\tadmin1\tADM1\t32.75\t-83.5\tUS\tGA\t0\t
admin1:US.OR\tOregon\tadmin1\tADM1\t44.0\t-120.5\tUS\tOR\t0\t
admin1:US.OH\tOhio\tadmin1\tADM1\t40.25\t-83.0\tUS\tOH\t0\t
admin1:US.ID\tIdaho\tadmin1\tADM1\t44.5\t-114.25\tUS\tID\t0\t
";

    fn namesakes() -> Gazetteer {
        Gazetteer::from_tables(&crate::gazetteer::Tables {
            places: NAMESAKES,
            centres: "id\tname\tlat\tlon\tnote\n",
            aliases: "alias\ttarget\tkind\n",
            ..test_data::tables()
        })
        .unwrap()
    }

    /// Resolve a document's names with the evidence their own best senses give, as geoparsing does.
    fn resolve_doc(g: &Gazetteer, names: &[(&str, Option<&str>)]) -> Vec<String> {
        let mut ctx = DocContext::default();
        for (name, _) in names {
            let top = g.entry(g.lookup_folded(name)[0]);
            match (top.kind, &top.country, &top.admin1) {
                (PlaceKind::Country, Some(c), _) => ctx.add_country(c, name),
                (PlaceKind::Admin1, Some(c), Some(a)) => {
                    ctx.add_country(c, name);
                    ctx.add_division(c, a, name);
                }
                _ => {}
            }
        }
        let occs: Vec<Occurrence> = names
            .iter()
            .map(|(name, qualifier)| Occurrence {
                folded: name,
                before: [None, None],
                after: None,
                qualifier: *qualifier,
                dateline: false,
            })
            .collect();
        let res = resolve_names(g, &occs, &ctx);
        names
            .iter()
            .map(|(name, _)| g.entry(res[*name][0].entry).id.clone())
            .collect()
    }

    #[test]
    fn a_name_is_not_its_own_evidence_and_states_go_with_states() {
        let g = namesakes();
        assert_eq!(resolve_doc(&g, &[("georgia", None)]), ["country:GE"]);
        assert_eq!(
            resolve_doc(&g, &[("georgia", None), ("ohio", None), ("oregon", None)]),
            ["admin1:US.GA", "admin1:US.OH", "admin1:US.OR"]
        );
        // a division holding a town the article names is the one meant
        assert_eq!(
            resolve_doc(&g, &[("atlanta", None), ("georgia", None)]),
            ["gn:4180439", "admin1:US.GA"]
        );
    }

    #[test]
    fn nearby_places_and_qualifiers_pick_the_namesake() {
        let g = namesakes();
        assert_eq!(resolve_doc(&g, &[("edmonton", None)]), ["gn:5946768"]);
        assert_eq!(
            resolve_doc(&g, &[("edmonton", None), ("enfield", None)]),
            ["gn:2650209", "gn:2649997"]
        );
        assert_eq!(resolve_doc(&g, &[("moscow", None)]), ["gn:524901"]);
        assert_eq!(
            resolve_doc(&g, &[("moscow", Some("idaho"))]),
            ["gn:5601538"]
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
