//! Resolution: choosing which gazetteer entry a toponym means.
//!
//! Each candidate starts from its prior (importance: kind, capital status, population). The document then
//! moves it: countries the article names or implies through demonyms, divisions it names (a town inside
//! one, or a division named beside others of its country), the places the other names of the article
//! resolve to (a town near them), and cue words around the mention ("port of", "province"). A name is
//! never its own evidence: "Georgia" does not make Georgia the country more likely. A name keeps one
//! sense for the whole document, as a reader would assume.

use std::cmp::Ordering;
use std::ops::Range;

use crate::gazetteer::{Candidate, Entry, EntryId, Gazetteer};
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

/// The document-level evidence: countries and first-level divisions named or implied, each with what
/// points to it, so that a name is never counted as evidence for itself.
#[derive(Default)]
pub struct DocContext {
    // asked about for every candidate of every name, and few: sorted small arrays, searched by halves
    /// Countries, by ISO code.
    countries: Vec<(String, Sources)>,
    /// First-level divisions, by country and admin1 code.
    divisions: Vec<((String, String), Sources)>,
}

/// What points to an area: the first folded name (or demonym) seen, and whether a different one was
/// seen too. "Does anything other than this name point here?" needs no more than that.
struct Sources {
    first: String,
    another: bool,
}

impl Sources {
    fn new(source: &str) -> Sources {
        Sources {
            first: source.to_string(),
            another: false,
        }
    }

    fn add(&mut self, source: &str) {
        self.another |= self.first != source;
    }

    fn other_than(&self, name: &str) -> bool {
        self.another || self.first != name
    }
}

impl DocContext {
    pub fn add_country(&mut self, country: &str, source: &str) {
        match self
            .countries
            .binary_search_by(|(c, _)| c.as_str().cmp(country))
        {
            Ok(i) => self.countries[i].1.add(source),
            Err(i) => self
                .countries
                .insert(i, (country.to_string(), Sources::new(source))),
        }
    }

    pub fn add_division(&mut self, country: &str, admin1: &str, source: &str) {
        match self.find_division(country, admin1) {
            Ok(i) => self.divisions[i].1.add(source),
            Err(i) => self.divisions.insert(
                i,
                (
                    (country.to_string(), admin1.to_string()),
                    Sources::new(source),
                ),
            ),
        }
    }

    /// Countries and divisions named outright are context: a state or province brings its country, and
    /// its towns are likelier than namesakes elsewhere. So is the country of a place whose name has no
    /// other sense ("Strathroy" is only in Ontario).
    pub fn add_named_area(&mut self, gazetteer: &Gazetteer, folded: &str) {
        self.add_area_of_senses(gazetteer, folded, &gazetteer.candidates_folded(folded));
    }

    /// [`DocContext::add_named_area`] with the name's senses already looked up, best first.
    fn add_area_of_senses(&mut self, gazetteer: &Gazetteer, folded: &str, senses: &[Candidate]) {
        let Some(top) = senses.first() else {
            return;
        };
        let e = gazetteer.entry(top.entry);
        match (e.kind, &e.country, &e.admin1) {
            (PlaceKind::Country, Some(country), _) => self.add_country(country, folded),
            (PlaceKind::Admin1, Some(country), Some(admin1)) => {
                self.add_country(country, folded);
                self.add_division(country, admin1, folded);
            }
            (_, Some(country), _) if senses.len() == 1 => self.add_country(country, folded),
            _ => {}
        }
    }

    fn find_division(&self, country: &str, admin1: &str) -> Result<usize, usize> {
        self.divisions
            .binary_search_by(|((c, a), _)| (c.as_str(), a.as_str()).cmp(&(country, admin1)))
    }

    /// True when something other than the name `name` points to `country`.
    fn has_country(&self, country: &str, name: &str) -> bool {
        self.countries
            .binary_search_by(|(c, _)| c.as_str().cmp(country))
            .is_ok_and(|i| self.countries[i].1.other_than(name))
    }

    fn has_division(&self, country: &str, admin1: &str, name: &str) -> bool {
        self.find_division(country, admin1)
            .is_ok_and(|i| self.divisions[i].1.other_than(name))
    }

    /// True when another name names another division of `country`: a state among states.
    fn has_sibling_division(&self, country: &str, admin1: &str, name: &str) -> bool {
        let first = self
            .divisions
            .partition_point(|((c, _), _)| c.as_str() < country);
        self.divisions[first..]
            .iter()
            .take_while(|((c, _), _)| c == country)
            .any(|((_, a), sources)| a != admin1 && sources.other_than(name))
    }
}

/// A scored candidate.
#[derive(Debug, Clone)]
pub struct Scored {
    pub entry: EntryId,
    pub score: f64,
}

/// A candidate while it is ranked, with its entry looked up once.
#[derive(Clone, Copy)]
struct Ranked<'g> {
    entry: EntryId,
    place: &'g Entry,
    score: f64,
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

/// The most candidates of one name that are weighed.
const MAX_CANDIDATES: usize = 50;

/// The ranked candidates of every occurrence, kept once per distinct name.
pub struct Resolution {
    /// The candidates of all names, best first within each name.
    ranked: Vec<Scored>,
    /// Where each distinct name's candidates lie in `ranked`.
    names: Vec<Range<usize>>,
    /// The distinct name of each occurrence, by index into `names`.
    name_of: Vec<usize>,
}

impl Resolution {
    /// The candidates of the occurrence at `index` (in the order given), best first.
    pub fn of(&self, index: usize) -> &[Scored] {
        &self.ranked[self.names[self.name_of[index]].clone()]
    }
}

/// Rank the candidates of every distinct name in a document. The names are evidence too: the areas
/// they name join `context` before anything is ranked.
pub fn resolve_names(
    gazetteer: &Gazetteer,
    occurrences: &[Occurrence],
    mut context: DocContext,
) -> Resolution {
    // each distinct name with its occurrences, in byte order: all per-name work is done once
    let mut in_name_order: Vec<usize> = (0..occurrences.len()).collect();
    in_name_order.sort_by(|&a, &b| occurrences[a].folded.cmp(occurrences[b].folded));
    let mut name_of = vec![0; occurrences.len()];
    let grouped: Vec<&Occurrence> = in_name_order.iter().map(|&i| &occurrences[i]).collect();
    let names: Vec<&[&Occurrence]> = grouped.chunk_by(|a, b| a.folded == b.folded).collect();
    let mut at = 0;
    for (k, same_name) in names.iter().enumerate() {
        for &i in &in_name_order[at..at + same_name.len()] {
            name_of[i] = k;
        }
        at += same_name.len();
    }
    // looked up once, for both the areas the names give and the candidates
    let senses: Vec<Vec<Candidate>> = names
        .iter()
        .map(|occs| gazetteer.candidates_folded(occs[0].folded))
        .collect();
    for (occs, senses) in names.iter().zip(&senses) {
        context.add_area_of_senses(gazetteer, occs[0].folded, senses);
    }
    // The document's own evidence first, then the places the other names resolve to.
    let mut qualifiers = QualifierAreas::default();
    let mut base: Vec<Ranked> = Vec::new();
    let mut spans: Vec<Range<usize>> = Vec::with_capacity(names.len());
    for (occs, senses) in names.iter().zip(&senses) {
        let name = occs[0].folded;
        let start = base.len();
        // unqualified, the words around a name weigh its candidates by kind alone
        let qualified = occs.iter().any(|o| o.qualifier.is_some());
        let mut cue_of_kind = [None; PlaceKind::ALL.len()];
        for c in senses.iter().take(MAX_CANDIDATES) {
            let place = gazetteer.entry(c.entry);
            let cue = if qualified {
                cue(gazetteer, place, occs, &mut qualifiers)
            } else {
                *cue_of_kind[place.kind as usize]
                    .get_or_insert_with(|| cue(gazetteer, place, occs, &mut qualifiers))
            };
            base.push(Ranked {
                entry: c.entry,
                place,
                score: evidence_score(place, c.score, name, &context) + cue,
            });
        }
        spans.push(start..base.len());
    }
    // Each round needs only every name's best candidate; the last is ranked in full.
    let mut resolved = base.clone();
    let mut choice: Vec<Option<Ranked>> = spans.iter().map(|s| best(&base[s.clone()])).collect();
    let mut previous_choice: Option<Vec<Option<Ranked>>> = None;
    for _ in 0..COHERENCE_ROUNDS {
        // the same choices as last round rank everything the same way again
        if previous_choice
            .as_ref()
            .is_some_and(|previous| same_entries(previous, &choice))
        {
            break;
        }
        // places with a point worth measuring from, by the index of their name
        let neighbours: Vec<Neighbour> = choice
            .iter()
            .enumerate()
            .filter_map(|(k, chosen)| chosen.map(|r| (k, r.place)))
            .filter(|(_, e)| !is_area(e.kind))
            .map(|(name, entry)| Neighbour {
                name,
                entry,
                point: LatCos::new(entry.lat, entry.lon),
            })
            .collect();
        resolved.copy_from_slice(&base);
        for (k, span) in spans.iter().enumerate() {
            for r in &mut resolved[span.clone()] {
                r.score += neighbour_bonus(r.place, k, &neighbours);
            }
        }
        let next_choice = spans.iter().map(|s| best(&resolved[s.clone()])).collect();
        previous_choice = Some(std::mem::replace(&mut choice, next_choice));
    }
    for span in &spans {
        resolved[span.clone()].sort_by(ranking);
    }
    Resolution {
        ranked: resolved
            .iter()
            .map(|r| Scored {
                entry: r.entry,
                score: r.score,
            })
            .collect(),
        names: spans,
        name_of,
    }
}

/// Better candidates first: by score, then by id so that the order never depends on the gazetteer's.
fn ranking(a: &Ranked, b: &Ranked) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.place.id.cmp(&b.place.id))
}

/// The candidate a full ranking would put first (the first of equals, as a stable sort keeps them).
fn best<'g>(ranked: &[Ranked<'g>]) -> Option<Ranked<'g>> {
    ranked.iter().copied().min_by(ranking)
}

fn same_entries(a: &[Option<Ranked>], b: &[Option<Ranked>]) -> bool {
    a.iter()
        .map(|r| r.map(|r| r.entry))
        .eq(b.iter().map(|r| r.map(|r| r.entry)))
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

/// What the document says for a candidate before its neighbours: `prior` is the gazetteer's score for
/// the entry under this name (importance, less for an alias), moved by the countries and divisions
/// the document names.
fn evidence_score(entry: &Entry, prior: f64, name: &str, context: &DocContext) -> f64 {
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
    score
}

/// The best that the words around any one occurrence of a name say for a candidate.
fn cue<'g, 'a>(
    gazetteer: &'g Gazetteer,
    entry: &Entry,
    occs: &[&Occurrence<'a>],
    qualifiers: &mut QualifierAreas<'g, 'a>,
) -> f64 {
    occs.iter()
        .map(|o| {
            let qualified = o.qualifier.is_some_and(|q| {
                entry.country.is_some() && qualifier_holds(entry, qualifiers.senses(gazetteer, q))
            });
            cue_bonus(entry.kind, o)
                + if qualified { 0.4 } else { 0.0 }
                + if o.dateline && entry.kind == PlaceKind::City {
                    0.3
                } else {
                    0.0
                }
        })
        .fold(0.0, f64::max)
}

/// The senses of the qualifiers of a document's names, each looked up once.
#[derive(Default)]
struct QualifierAreas<'g, 'a> {
    seen: Vec<(&'a str, Vec<&'g Entry>)>,
}

impl<'g, 'a> QualifierAreas<'g, 'a> {
    fn senses(&mut self, gazetteer: &'g Gazetteer, qualifier: &'a str) -> &[&'g Entry] {
        let at = match self.seen.iter().position(|(q, _)| *q == qualifier) {
            Some(at) => at,
            None => {
                let senses = gazetteer.lookup_folded(qualifier);
                let senses = senses.iter().map(|&q| gazetteer.entry(q)).collect();
                self.seen.push((qualifier, senses));
                self.seen.len() - 1
            }
        };
        &self.seen[at].1
    }
}

/// True when the place lies in the state or country named right after it ("Paris, Texas",
/// "Washington, D.C.", "London, Ky."), in any sense of that name.
fn qualifier_holds(entry: &Entry, qualifier_senses: &[&Entry]) -> bool {
    qualifier_senses.iter().any(|area| match area.kind {
        PlaceKind::Country => area.country == entry.country,
        PlaceKind::Admin1 => {
            area.id != entry.id
                && area.country == entry.country
                && area.admin1.is_some()
                && area.admin1 == entry.admin1
        }
        _ => false,
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
        let res = resolve_names(g, &[occ], ctx);
        g.entry(res.of(0)[0].entry).id.clone()
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

    /// Resolve a document's names, with the evidence their own senses give.
    fn resolve_doc(g: &Gazetteer, names: &[(&str, Option<&str>)]) -> Vec<String> {
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
        let res = resolve_names(g, &occs, DocContext::default());
        (0..names.len())
            .map(|i| g.entry(res.of(i)[0].entry).id.clone())
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

    /// Keeping the first source and whether another was seen answers as the whole set of sources would.
    #[test]
    fn sources_answer_as_the_full_set_would() {
        let pool = ["", "georgia", "georgian", "tbilisi"];
        for a in pool {
            for b in pool {
                for c in pool {
                    let mut sources = Sources::new(a);
                    sources.add(b);
                    sources.add(c);
                    let set: std::collections::BTreeSet<&str> = [a, b, c].into();
                    for name in pool {
                        assert_eq!(
                            sources.other_than(name),
                            set.iter().any(|s| *s != name),
                            "{a} {b} {c} / {name}"
                        );
                    }
                }
            }
        }
    }

    /// Rounds take each name's best without sorting: it must be what the full ranking puts first,
    /// ties in score going to the smaller id, and equal candidates to the first.
    #[test]
    fn best_is_what_a_full_ranking_puts_first() {
        let g = namesakes();
        let places: Vec<&Entry> = (0..g.len() as u32).map(|i| g.entry(i)).collect();
        let scores = [0.5, 0.7, 0.5, 0.7, 0.1, 0.7, 0.5];
        for rotation in 0..places.len() {
            let ranked: Vec<Ranked> = (0..places.len())
                .map(|i| {
                    let k = (i + rotation) % places.len();
                    Ranked {
                        entry: k as EntryId,
                        place: places[k],
                        score: scores[k % scores.len()],
                    }
                })
                .collect();
            let mut sorted = ranked.clone();
            sorted.sort_by(ranking);
            assert_eq!(super::best(&ranked).unwrap().entry, sorted[0].entry);
            assert_eq!(sorted[0].score, 0.7);
        }
        assert!(super::best(&[]).is_none());
    }

    /// Without a qualifier, what the words around a name say for a candidate depends on its kind
    /// alone, so one answer per kind serves all its candidates.
    #[test]
    fn unqualified_cues_depend_on_the_kind_alone() {
        let g = namesakes();
        let occurrences = [
            Occurrence {
                folded: "georgia",
                before: [Some("city"), Some("of")],
                after: None,
                qualifier: None,
                dateline: true,
            },
            Occurrence {
                folded: "georgia",
                before: [None, None],
                after: Some("state"),
                qualifier: None,
                dateline: false,
            },
        ];
        let occs: Vec<&Occurrence> = occurrences.iter().collect();
        let mut qualifiers = QualifierAreas::default();
        let mut by_kind: Vec<(PlaceKind, f64)> = Vec::new();
        for i in 0..g.len() as u32 {
            let place = g.entry(i);
            let cue = cue(&g, place, &occs, &mut qualifiers);
            match by_kind.iter().find(|(kind, _)| *kind == place.kind) {
                Some((_, seen)) => assert_eq!(*seen, cue, "{}", place.id),
                None => by_kind.push((place.kind, cue)),
            }
        }
        let of = |kind| by_kind.iter().find(|(k, _)| *k == kind).unwrap().1;
        assert_eq!(of(PlaceKind::City), 0.5);
        assert_eq!(of(PlaceKind::Admin1), 0.5);
        assert_eq!(of(PlaceKind::Country), 0.0);
    }

    #[test]
    fn every_occurrence_of_a_name_gets_its_ranking() {
        let g = namesakes();
        let names = [
            ("moscow", None),
            ("edmonton", None),
            ("moscow", Some("idaho")),
            ("enfield", None),
        ];
        assert_eq!(
            resolve_doc(&g, &names),
            ["gn:5601538", "gn:2650209", "gn:5601538", "gn:2649997"]
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
