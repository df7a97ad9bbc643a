//! Resolution: choosing which gazetteer entry a toponym means.
//!
//! Each candidate starts from its prior (importance: kind, capital status, population). The document then
//! moves it: countries the article names or implies through demonyms, divisions it names (a town inside
//! one, or a division named beside others of its country), the places the other names of the article
//! resolve to (a town near them), and cue words around the mention ("port of", "province"). A name is
//! never its own evidence: "Georgia" does not make Georgia the country more likely. A name keeps one
//! sense for the whole document, as a reader would assume.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::ops::Range;
use std::sync::LazyLock;

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

/// The document-level evidence: countries and first-level divisions named or implied, each with what
/// points to it, so that a name is never counted as evidence for itself.
#[derive(Default)]
pub struct DocContext {
    // asked about for every candidate of every name, and few: sorted small arrays, searched by halves
    // comparing codes as numbers (see `Code`)
    /// Countries, by ISO code.
    countries: Vec<(Code, Sources)>,
    /// First-level divisions, by country and admin1 code.
    divisions: Vec<((Code, Code), Sources)>,
    /// A bit for every country held (see [`code_bit`]): most candidates lie in none of the document's
    /// countries, and one look at the bits tells them so without a search.
    country_bits: u64,
    /// The same for the divisions, by both their codes.
    division_bits: u64,
}

/// A country or division code kept as context, with its number (see [`code_number`]).
struct Code {
    number: u64,
    /// Empty unless the code is too long for its number: only then does [`CodeKey::order`] look at
    /// the text, and most documents name a handful of areas afresh, each costing an allocation.
    text: String,
}

impl Code {
    fn of_key(key: CodeKey) -> Code {
        Code {
            number: key.number,
            text: if key.number == LONG_CODE {
                key.text.to_string()
            } else {
                String::new()
            },
        }
    }

    fn key(&self) -> CodeKey<'_> {
        CodeKey {
            number: self.number,
            text: &self.text,
        }
    }
}

/// A code as it is compared: by its number, and by its text only when the number cannot tell.
#[derive(Clone, Copy)]
struct CodeKey<'a> {
    number: u64,
    text: &'a str,
}

impl<'a> CodeKey<'a> {
    fn new(text: &'a str) -> CodeKey<'a> {
        CodeKey {
            number: code_number(text),
            text,
        }
    }

    /// An order in which equal codes, and only they, compare equal; not the order of the texts.
    fn order(self, other: CodeKey) -> Ordering {
        self.number.cmp(&other.number).then_with(|| {
            if self.number == LONG_CODE {
                self.text.cmp(other.text)
            } else {
                Ordering::Equal
            }
        })
    }
}

/// The number of every code longer than [`code_number`] can hold.
const LONG_CODE: u64 = u64::MAX;

/// The number standing for no code at all: [`code_number`] never sets the top byte above 7.
const NO_CODE: u64 = u64::MAX - 1;

/// A code of up to seven bytes as one number: its bytes, and its length in the top byte, so that two
/// codes have the same number only when they are the same text. ISO country codes have two bytes and
/// the divisions' codes seldom more than three; comparing numbers spares the candidates of every name a
/// string comparison for every step of every search of the context.
fn code_number(code: &str) -> u64 {
    let bytes = code.as_bytes();
    if bytes.len() > 7 {
        return LONG_CODE;
    }
    let mut number = (bytes.len() as u64) << 56;
    for (i, &b) in bytes.iter().enumerate() {
        number |= u64::from(b) << (8 * i);
    }
    number
}

/// One of 64 bits for a code number, spread by a multiplication so that codes differing in any byte
/// seldom share it.
fn code_bit(number: u64) -> u64 {
    1 << (number.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
}

fn division_bit(country: CodeKey, admin1: CodeKey) -> u64 {
    code_bit(country.number.rotate_left(32) ^ admin1.number)
}

fn code_key(code: &Option<String>) -> Option<CodeKey<'_>> {
    code.as_deref().map(CodeKey::new)
}

/// Equal codes, or no code on either side, as `Option<String>`s compare.
fn same_code(a: Option<CodeKey>, b: Option<CodeKey>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.order(b).is_eq(),
        (a, b) => a.is_none() && b.is_none(),
    }
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
        self.add_country_key(CodeKey::new(country), source);
    }

    fn add_country_key(&mut self, key: CodeKey, source: &str) {
        self.country_bits |= code_bit(key.number);
        match self.find_country(key) {
            Ok(i) => self.countries[i].1.add(source),
            Err(i) => self
                .countries
                .insert(i, (Code::of_key(key), Sources::new(source))),
        }
    }

    pub fn add_division(&mut self, country: &str, admin1: &str, source: &str) {
        self.add_division_keys(CodeKey::new(country), CodeKey::new(admin1), source);
    }

    fn add_division_keys(&mut self, country: CodeKey, admin1: CodeKey, source: &str) {
        self.division_bits |= division_bit(country, admin1);
        match self.find_division(country, admin1) {
            Ok(i) => self.divisions[i].1.add(source),
            Err(i) => self.divisions.insert(
                i,
                (
                    (Code::of_key(country), Code::of_key(admin1)),
                    Sources::new(source),
                ),
            ),
        }
    }

    /// Countries and divisions named outright are context: a state or province brings its country, and
    /// its towns are likelier than namesakes elsewhere. So is the country of a place whose name has no
    /// other sense ("Strathroy" is only in Ontario).
    pub fn add_named_area(&mut self, gazetteer: &Gazetteer, folded: &str) {
        let senses = gazetteer.candidates_folded(folded);
        if let Some(top) = senses.first() {
            let top = gazetteer.entry(top.entry);
            let codes = (code_key(&top.country), code_key(&top.admin1));
            self.add_area_of_top_sense(top.kind, codes, senses.len() == 1, folded);
        }
    }

    /// [`DocContext::add_named_area`] with the name's best sense already looked up (its kind, and its
    /// country and admin1 codes), and whether it is the only one.
    fn add_area_of_top_sense(
        &mut self,
        kind: PlaceKind,
        (country, admin1): (Option<CodeKey>, Option<CodeKey>),
        only_sense: bool,
        folded: &str,
    ) {
        match (kind, country, admin1) {
            (PlaceKind::Country, Some(country), _) => self.add_country_key(country, folded),
            (PlaceKind::Admin1, Some(country), Some(admin1)) => {
                self.add_country_key(country, folded);
                self.add_division_keys(country, admin1, folded);
            }
            (_, Some(country), _) if only_sense => self.add_country_key(country, folded),
            _ => {}
        }
    }

    fn find_country(&self, country: CodeKey) -> Result<usize, usize> {
        self.countries
            .binary_search_by(|(c, _)| c.key().order(country))
    }

    fn find_division(&self, country: CodeKey, admin1: CodeKey) -> Result<usize, usize> {
        self.divisions.binary_search_by(|((c, a), _)| {
            c.key().order(country).then_with(|| a.key().order(admin1))
        })
    }

    /// True when something other than the name `name` points to `country`.
    fn has_country(&self, country: CodeKey, name: &str) -> bool {
        // a document names few countries: a scan of their numbers is quicker than a search by halves
        self.country_bits & code_bit(country.number) != 0
            && self
                .countries
                .iter()
                .find(|(c, _)| c.key().order(country).is_eq())
                .is_some_and(|(_, sources)| sources.other_than(name))
    }

    fn has_division(&self, country: CodeKey, admin1: CodeKey, name: &str) -> bool {
        self.division_bits & division_bit(country, admin1) != 0
            && self
                .divisions
                .iter()
                .find(|((c, a), _)| c.key().order(country).is_eq() && a.key().order(admin1).is_eq())
                .is_some_and(|(_, sources)| sources.other_than(name))
    }

    /// True when another name names another division of `country`: a state among states.
    fn has_sibling_division(&self, country: CodeKey, admin1: CodeKey, name: &str) -> bool {
        let first = self
            .divisions
            .partition_point(|((c, _), _)| c.key().order(country).is_lt());
        self.divisions[first..]
            .iter()
            .take_while(|((c, _), _)| c.key().order(country).is_eq())
            .any(|((_, a), sources)| a.key().order(admin1).is_ne() && sources.other_than(name))
    }
}

/// A scored candidate.
#[derive(Debug, Clone)]
pub struct Scored {
    pub entry: EntryId,
    pub score: f64,
}

/// A candidate while it is ranked.
#[derive(Clone, Copy)]
struct Ranked {
    place: PlaceFacts,
    score: f64,
}

/// What ranking asks of a candidate's entry, kept beside its score: a common name has dozens of
/// senses, weighed in document after document, and their entries lie all over memory.
#[derive(Debug, Clone, Copy)]
struct PlaceFacts {
    entry: EntryId,
    kind: PlaceKind,
    /// The entry's place in the order of the ids of its name's senses, equal ids in equal places: a
    /// tie in score goes to the smaller id, and only senses of one name are ever ranked together.
    id_order: u8,
    /// The entry has near countries, or a code too long for its number: what the document says for
    /// it is read from the entry itself (marine areas, mostly).
    unusual: bool,
    /// The place's point, for measuring to the other names' places.
    point: LatCos,
    /// The entry's country and admin1 codes by number (see [`code_number`]), [`NO_CODE`] for none.
    country: u64,
    admin1: u64,
}

impl PlaceFacts {
    fn of(entry: EntryId, place: &Entry, id_order: u8) -> PlaceFacts {
        let number = |code: &Option<String>| code.as_deref().map_or(NO_CODE, code_number);
        let (country, admin1) = (number(&place.country), number(&place.admin1));
        PlaceFacts {
            entry,
            kind: place.kind,
            id_order,
            unusual: !place.near_countries.is_empty()
                || country == LONG_CODE
                || admin1 == LONG_CODE,
            point: LatCos::new(place.lat, place.lon),
            country,
            admin1,
        }
    }

    /// The country and admin1 codes, from the entry when their numbers cannot stand for them.
    fn codes<'g>(&self, gazetteer: &'g Gazetteer) -> (Option<CodeKey<'g>>, Option<CodeKey<'g>>) {
        if self.unusual {
            let place = gazetteer.entry(self.entry);
            return (code_key(&place.country), code_key(&place.admin1));
        }
        let key = |number| (number != NO_CODE).then_some(CodeKey { number, text: "" });
        (key(self.country), key(self.admin1))
    }
}

/// How many times the ranking is redone with the other names' current choices as neighbours.
const COHERENCE_ROUNDS: usize = 2;

/// The most that nearby places of the same document add to a candidate.
const MAX_NEIGHBOUR_BONUS: f64 = 0.2;

/// Beyond this distance another name's place says nothing for a candidate.
const NEIGHBOUR_KM: f64 = 500.0;

/// The most candidates of one name that are weighed.
const MAX_CANDIDATES: usize = 50;

/// How many of a name's candidates a resolution keeps: a mention lists its three best, and its
/// confidence needs the first two. Ordering the rest (up to [`MAX_CANDIDATES`]) was most of the cost
/// of the last round.
pub const KEPT_CANDIDATES: usize = 3;

/// The best ranked candidates of every occurrence, kept once per distinct name.
pub struct Resolution {
    /// The kept candidates of all names, best first within each name.
    ranked: Vec<Scored>,
    /// Where each distinct name's candidates lie in `ranked`.
    names: Vec<Range<usize>>,
    /// The distinct name of each occurrence, by index into `names`.
    name_of: Vec<usize>,
}

impl Resolution {
    /// The best candidates of the occurrence at `index` (in the order given), best first: all of them
    /// up to [`KEPT_CANDIDATES`].
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
    let mut in_name_order: Vec<(u64, usize)> = occurrences
        .iter()
        .enumerate()
        .map(|(i, o)| (name_head(o.folded), i))
        .collect();
    // by the heads first, which tell most names apart without comparing text; the index keeps the
    // order of a stable sort
    in_name_order.sort_unstable_by(|&(head_a, a), &(head_b, b)| {
        head_a
            .cmp(&head_b)
            .then_with(|| occurrences[a].folded.cmp(occurrences[b].folded))
            .then(a.cmp(&b))
    });
    let mut name_of = vec![0; occurrences.len()];
    let grouped: Vec<&Occurrence> = in_name_order
        .iter()
        .map(|&(_, i)| &occurrences[i])
        .collect();
    let names: Vec<&[&Occurrence]> = grouped.chunk_by(|a, b| a.folded == b.folded).collect();
    let mut at = 0;
    for (k, same_name) in names.iter().enumerate() {
        for &(_, i) in &in_name_order[at..at + same_name.len()] {
            name_of[i] = k;
        }
        at += same_name.len();
    }
    // Senses looked up and entries decoded once, for both the areas the names give and the ranking;
    // a candidate's score is its prior until the document's evidence is known.
    let mut base: Vec<Ranked> = Vec::new();
    let mut spans: Vec<Range<usize>> = Vec::with_capacity(names.len());
    SENSES.with_borrow_mut(|memo| {
        memo.serve(gazetteer);
        for occs in &names {
            let start = base.len();
            base.extend(
                memo.senses(gazetteer, occs[0].folded)
                    .iter()
                    .map(|s| Ranked {
                        place: s.place,
                        score: s.prior,
                    }),
            );
            spans.push(start..base.len());
        }
    });
    for (occs, span) in names.iter().zip(&spans) {
        if let Some(top) = base[span.clone()].first() {
            let codes = top.place.codes(gazetteer);
            // MAX_CANDIDATES keeps a second sense whenever there is one
            context.add_area_of_top_sense(top.place.kind, codes, span.len() == 1, occs[0].folded);
        }
    }
    // The document's own evidence first, then the places the other names resolve to.
    let mut qualifiers = QualifierAreas::default();
    // the occurrences of a name with words around them that can say what it is: the others add
    // nothing to any candidate, and most names have none
    let mut cued: Vec<&Occurrence> = Vec::new();
    for (occs, span) in names.iter().zip(&spans) {
        let name = occs[0].folded;
        cued.clear();
        cued.extend(occs.iter().copied().filter(|o| says_what_it_is(o)));
        let qualified = cued.iter().any(|o| o.qualifier.is_some());
        // unqualified, the words around a name weigh its candidates by kind alone
        let mut cue_of_kind = [None; PlaceKind::ALL.len()];
        for r in &mut base[span.clone()] {
            let place = &r.place;
            let cue = if cued.is_empty() {
                0.0
            } else if qualified {
                cue(gazetteer, place, &cued, &mut qualifiers)
            } else {
                *cue_of_kind[place.kind as usize]
                    .get_or_insert_with(|| cue(gazetteer, place, &cued, &mut qualifiers))
            };
            let near_countries = if place.unusual {
                gazetteer.entry(place.entry).near_countries.as_slice()
            } else {
                &[]
            };
            let evidence = Evidence {
                kind: place.kind,
                codes: place.codes(gazetteer),
                near_countries,
            };
            r.score = evidence_score(&evidence, r.score, name, &context) + cue;
        }
    }
    drop_hopeless(&mut base, &mut spans);
    let (ranked, kept) = rank_in_rounds(gazetteer, &base, &spans);
    Resolution {
        ranked,
        names: kept,
        name_of,
    }
}

/// How many names a thread's [`SenseMemo`] holds before it starts afresh: more than the distinct
/// names of most runs, and a few megabytes at most.
const SENSE_MEMO_NAMES: usize = 1 << 15;

thread_local! {
    static SENSES: RefCell<SenseMemo> = RefCell::new(SenseMemo::default());
}

/// The senses of the names a thread has resolved (up to [`MAX_CANDIDATES`] of each, best first, with
/// their priors), for one gazetteer at a time. News names the same few thousand places in document
/// after document, and a fresh look-up is a search of the gazetteer's index.
#[derive(Default)]
struct SenseMemo {
    /// The gazetteer the senses are of, by its [`Gazetteer::memo_owner`] (never 0).
    owner: u32,
    /// Where each name's senses lie in `senses`.
    names: FxHashMap<Box<str>, Range<usize>>,
    senses: Vec<Sense>,
}

/// One sense of a name as the [`SenseMemo`] keeps it.
#[derive(Debug, Clone, Copy)]
struct Sense {
    place: PlaceFacts,
    /// The gazetteer's score for the entry under this name.
    prior: f64,
}

impl SenseMemo {
    /// Make ready to answer for `gazetteer`: forget another's senses, and everything once full.
    fn serve(&mut self, gazetteer: &Gazetteer) {
        if self.owner != gazetteer.memo_owner() || self.names.len() >= SENSE_MEMO_NAMES {
            self.owner = gazetteer.memo_owner();
            self.names.clear();
            self.senses.clear();
        }
    }

    /// The senses of a folded name; [`SenseMemo::serve`] must have been given `gazetteer`.
    fn senses(&mut self, gazetteer: &Gazetteer, folded: &str) -> &[Sense] {
        let at = match self.names.get(folded) {
            Some(at) => at.clone(),
            None => {
                let start = self.senses.len();
                let found = gazetteer.candidates_folded(folded);
                let found = &found[..found.len().min(MAX_CANDIDATES)];
                let mut ids: Vec<&str> = found
                    .iter()
                    .map(|c| &*gazetteer.entry(c.entry).id)
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                self.senses.extend(found.iter().map(|c| {
                    let place = gazetteer.entry(c.entry);
                    let id_order = ids.binary_search(&place.id.as_str()).unwrap_or_default();
                    Sense {
                        place: PlaceFacts::of(c.entry, place, id_order as u8),
                        prior: c.score,
                    }
                }));
                self.names.insert(folded.into(), start..self.senses.len());
                start..self.senses.len()
            }
        };
        &self.senses[at]
    }
}

/// The kept candidates of every name (see [`Resolution`]) after the rounds in which the names' choices
/// are one another's neighbours.
fn rank_in_rounds(
    gazetteer: &Gazetteer,
    base: &[Ranked],
    spans: &[Range<usize>],
) -> (Vec<Scored>, Vec<Range<usize>>) {
    // each round needs only every name's best candidate
    let mut resolved = base.to_vec();
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
        let neighbours = Neighbours::of(&choice);
        resolved.copy_from_slice(base);
        for (k, span) in spans.iter().enumerate() {
            for r in &mut resolved[span.clone()] {
                r.score += neighbour_bonus(gazetteer, &r.place, k, &neighbours);
            }
        }
        let next_choice = spans.iter().map(|s| best(&resolved[s.clone()])).collect();
        previous_choice = Some(std::mem::replace(&mut choice, next_choice));
    }
    let mut ranked = Vec::with_capacity(spans.len() * KEPT_CANDIDATES);
    let mut kept = Vec::with_capacity(spans.len());
    let mut few = Vec::with_capacity(KEPT_CANDIDATES);
    for span in spans {
        let start = ranked.len();
        best_few(&resolved[span.clone()], &mut few);
        ranked.extend(few.iter().map(|r| Scored {
            entry: r.place.entry,
            score: r.score,
        }));
        kept.push(start..ranked.len());
    }
    (ranked, kept)
}

/// Drop the candidates that stay below [`KEPT_CANDIDATES`] others of their name whatever the rounds add
/// to them (at most [`MAX_NEIGHBOUR_BONUS`], while the others lose nothing): they can be neither a
/// round's choice nor one of the kept, and a common name's many small namesakes are mostly such.
fn drop_hopeless(base: &mut Vec<Ranked>, spans: &mut [Range<usize>]) {
    let mut to = 0;
    for span in spans.iter_mut() {
        let floor = kept_floor(&base[span.clone()]);
        let start = to;
        for from in span.clone() {
            if base[from].score + MAX_NEIGHBOUR_BONUS >= floor {
                // until the first drop every candidate is where it was
                if to != from {
                    base[to] = base[from];
                }
                to += 1;
            }
        }
        *span = start..to;
    }
    base.truncate(to);
}

/// The least score the last kept candidate of a name can end with: the [`KEPT_CANDIDATES`]-th best
/// before the rounds, which add and never take away; minus infinity when there are no more than that.
fn kept_floor(ranked: &[Ranked]) -> f64 {
    if ranked.len() <= KEPT_CANDIDATES {
        return f64::NEG_INFINITY;
    }
    let mut top = [f64::NEG_INFINITY; KEPT_CANDIDATES];
    for r in ranked {
        if let Some(at) = top.iter().position(|&t| r.score > t) {
            top.copy_within(at..KEPT_CANDIDATES - 1, at + 1);
            top[at] = r.score;
        }
    }
    top[KEPT_CANDIDATES - 1]
}

/// A name's first eight bytes as a number, zeros after a shorter name: names in byte order have their
/// heads in order, and a name's head is smaller than another's only when the name comes first.
fn name_head(name: &str) -> u64 {
    let mut head = [0; 8];
    let bytes = &name.as_bytes()[..name.len().min(8)];
    head[..bytes.len()].copy_from_slice(bytes);
    u64::from_be_bytes(head)
}

/// Better candidates first: by score, then by id so that the order never depends on the gazetteer's.
/// Only candidates of one name are ranked together (see [`PlaceFacts::id_order`]).
fn ranking(a: &Ranked, b: &Ranked) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(a.place.id_order.cmp(&b.place.id_order))
}

/// The candidate a full ranking would put first (the first of equals, as a stable sort keeps them).
fn best(ranked: &[Ranked]) -> Option<Ranked> {
    ranked.iter().min_by(|a, b| ranking(a, b)).copied()
}

/// The first [`KEPT_CANDIDATES`] of a full ranking (a stable sort: equals keep their order) into `few`,
/// without ordering the rest.
fn best_few(ranked: &[Ranked], few: &mut Vec<Ranked>) {
    few.clear();
    for r in ranked {
        // after every kept candidate that is not worse, as a stable sort would leave it
        let at = few.partition_point(|f| ranking(f, r).is_le());
        if at < KEPT_CANDIDATES {
            few.truncate(KEPT_CANDIDATES - 1);
            few.insert(at, *r);
        }
    }
}

fn same_entries(a: &[Option<Ranked>], b: &[Option<Ranked>]) -> bool {
    a.iter()
        .map(|r| r.map(|r| r.place.entry))
        .eq(b.iter().map(|r| r.map(|r| r.place.entry)))
}

/// True for places whose point stands for a wide extent, so that distances to it say little.
fn is_area(kind: PlaceKind) -> bool {
    matches!(
        kind,
        PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Region
    ) || kind.is_water()
}

/// A place another name of the document is resolved to, by the index of that name.
struct Neighbour {
    name: usize,
    /// The entry's latitude, beside the other neighbours' for the first test of every pair.
    lat: f64,
    place: PlaceFacts,
}

/// The places the other names resolve to in a round, in the order of the names.
struct Neighbours {
    list: Vec<Neighbour>,
    /// See [`latitude_reach`].
    reach: f64,
    /// See [`NEIGHBOUR_LIMITS`].
    limits: [f64; 3],
}

impl Neighbours {
    /// The chosen places with a point worth measuring from.
    fn of(choice: &[Option<Ranked>]) -> Neighbours {
        let list = choice
            .iter()
            .enumerate()
            .filter_map(|(k, chosen)| chosen.map(|r| (k, r)))
            .filter(|(_, r)| !is_area(r.place.kind))
            .map(|(name, r)| Neighbour {
                name,
                lat: r.place.point.lat(),
                place: r.place,
            })
            .collect();
        Neighbours {
            list,
            reach: latitude_reach(),
            limits: *NEIGHBOUR_LIMITS,
        }
    }
}

/// A difference in latitude alone sets a floor on the distance: most pairs are told apart by it
/// without the trigonometry (a document's names times their candidates add up to many pairs).
fn too_far_by_latitude(neighbour_lat: f64, lat: f64) -> bool {
    (neighbour_lat - lat).abs().to_radians() * crate::geo_util::EARTH_RADIUS_KM > NEIGHBOUR_KM
}

/// The largest difference in latitude (degrees) that is not [`too_far_by_latitude`]: the test grows
/// with the difference, so comparing the difference with this number answers it exactly, without
/// the scaling.
fn latitude_reach() -> f64 {
    let too_far = |d: f64| too_far_by_latitude(d, 0.0);
    // the neighbouring numbers of a positive one are a step apart in its bits
    let (up, down) = (
        |d: f64| f64::from_bits(d.to_bits() + 1),
        |d: f64| f64::from_bits(d.to_bits() - 1),
    );
    let mut reach = (NEIGHBOUR_KM / crate::geo_util::EARTH_RADIUS_KM).to_degrees();
    while too_far(reach) {
        reach = down(reach);
    }
    while !too_far(up(reach)) {
        reach = up(reach);
    }
    reach
}

/// The haversines of 50 km, 200 km and [`NEIGHBOUR_KM`], where a neighbour's bonus steps down.
static NEIGHBOUR_LIMITS: LazyLock<[f64; 3]> =
    LazyLock::new(|| [50.0, 200.0, NEIGHBOUR_KM].map(crate::geo_util::haversine_limit));

/// What the other names' choices say for a candidate: a town near the towns the article names is more
/// likely than a namesake far away ("Edmonton" beside Enfield and London), and a division holding a
/// town the article names is the one meant ("Georgia" beside Atlanta).
fn neighbour_bonus(
    gazetteer: &Gazetteer,
    candidate: &PlaceFacts,
    name: usize,
    neighbours: &Neighbours,
) -> f64 {
    if candidate.kind == PlaceKind::Admin1 {
        let (country, admin1) = candidate.codes(gazetteer);
        let others = neighbours.list.iter().filter(|n| n.name != name);
        let holds_a_named_place = others.into_iter().any(|n| {
            let (o_country, o_admin1) = n.place.codes(gazetteer);
            same_code(o_country, country) && o_admin1.is_some() && same_code(o_admin1, admin1)
        });
        return if holds_a_named_place { 0.2 } else { 0.0 };
    }
    if is_area(candidate.kind) {
        return 0.0;
    }
    let point = &candidate.point;
    let lat = point.lat();
    let mut bonus = 0.0;
    // most pairs fail the latitude test, which is asked first
    for n in &neighbours.list {
        if (n.lat - lat).abs() > neighbours.reach || n.name == name {
            continue;
        }
        // and a difference in longitude sets another floor: the same country's latitudes, an
        // ocean apart
        if n.place.point.surely_farther_than(point, NEIGHBOUR_KM) {
            continue;
        }
        let [within_50, within_200, within_reach] = neighbours.limits;
        let step_of = |h: f64| match h {
            h if h <= within_50 => 0.1,
            h if h <= within_200 => 0.05,
            h if h <= within_reach => 0.02,
            _ => 0.0,
        };
        // the step falls as the haversine grows: where its floor and ceiling agree, the
        // trigonometry would too
        let (floor, ceiling) = n.place.point.haversine_bounds(point);
        bonus += match step_of(floor) {
            step if step == step_of(ceiling) => step,
            _ => step_of(n.place.point.haversine_to(point)),
        };
    }
    f64::min(bonus, MAX_NEIGHBOUR_BONUS)
}

/// What [`evidence_score`] reads of an entry.
struct Evidence<'g> {
    kind: PlaceKind,
    /// Country and admin1 codes.
    codes: (Option<CodeKey<'g>>, Option<CodeKey<'g>>),
    near_countries: &'g [String],
}

/// What the document says for a candidate before its neighbours: `prior` is the gazetteer's score for
/// the entry under this name (importance, less for an alias), moved by the countries and divisions
/// the document names.
fn evidence_score(entry: &Evidence, prior: f64, name: &str, context: &DocContext) -> f64 {
    let mut score = prior;
    let (country, admin1) = entry.codes;
    let in_context = country.is_some_and(|c| context.has_country(c, name))
        || entry
            .near_countries
            .iter()
            .any(|c| context.has_country(CodeKey::new(c), name));
    if in_context {
        score += 0.25;
    }
    if let (Some(country), Some(admin1)) = (country, admin1) {
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
    place: &PlaceFacts,
    occs: &[&Occurrence<'a>],
    qualifiers: &mut QualifierAreas<'g, 'a>,
) -> f64 {
    occs.iter()
        .map(|o| {
            let qualified = o.qualifier.is_some_and(|q| {
                place.country != NO_CODE
                    && qualifier_holds(gazetteer, place, qualifiers.senses(gazetteer, q))
            });
            cue_bonus(place.kind, o)
                + if qualified { 0.4 } else { 0.0 }
                + if o.dateline && place.kind == PlaceKind::City {
                    0.3
                } else {
                    0.0
                }
        })
        .fold(0.0, f64::max)
}

/// The senses of the qualifiers of a document's names that can hold a place, each name looked up
/// once.
#[derive(Default)]
struct QualifierAreas<'g, 'a> {
    seen: Vec<(&'a str, Vec<QualifierArea<'g>>)>,
}

/// A country or first-level division a qualifier can mean, with its codes read once: every
/// candidate of the qualified name is tested against it.
struct QualifierArea<'g> {
    is_country: bool,
    country: Option<CodeKey<'g>>,
    admin1: Option<CodeKey<'g>>,
    entry: &'g Entry,
}

impl<'g, 'a> QualifierAreas<'g, 'a> {
    fn senses(&mut self, gazetteer: &'g Gazetteer, qualifier: &'a str) -> &[QualifierArea<'g>] {
        let at = match self.seen.iter().position(|(q, _)| *q == qualifier) {
            Some(at) => at,
            None => {
                let senses = gazetteer.lookup_folded(qualifier);
                let areas = senses
                    .iter()
                    .map(|&q| gazetteer.entry(q))
                    .filter(|area| matches!(area.kind, PlaceKind::Country | PlaceKind::Admin1))
                    .map(|area| QualifierArea {
                        is_country: area.kind == PlaceKind::Country,
                        country: code_key(&area.country),
                        admin1: code_key(&area.admin1),
                        entry: area,
                    })
                    .collect();
                self.seen.push((qualifier, areas));
                self.seen.len() - 1
            }
        };
        &self.seen[at].1
    }
}

/// True when the place lies in the state or country named right after it ("Paris, Texas",
/// "Washington, D.C.", "London, Ky."), in any sense of that name.
fn qualifier_holds(gazetteer: &Gazetteer, place: &PlaceFacts, areas: &[QualifierArea]) -> bool {
    let (country, admin1) = place.codes(gazetteer);
    areas.iter().any(|area| {
        if area.is_country {
            return same_code(area.country, country);
        }
        same_code(area.country, country)
            && area.admin1.is_some()
            && same_code(area.admin1, admin1)
            // a division is not its own qualifier
            && area.entry.id != gazetteer.entry(place.entry).id
    })
}

/// Words after a name that make it a first-level division ("Shandong province").
const DIVISION_WORDS: [&str; 6] = [
    "province",
    "prefecture",
    "state",
    "oblast",
    "region",
    "krai",
];

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
        PlaceKind::Admin1 if after.is_some_and(|w| DIVISION_WORDS.contains(&w)) => 0.5,
        PlaceKind::Admin1 if prev == Some("of") && matches!(prev2, Some("province" | "state")) => {
            0.5
        }
        PlaceKind::City if matches!(after, Some("city")) => 0.2,
        _ => 0.0,
    }
}

/// False when [`cue_bonus`] is nothing for every kind: only a name after "of" or before "city" or a
/// word of [`DIVISION_WORDS`] can have a cue.
fn has_cue_words(occ: &Occurrence) -> bool {
    occ.before[1] == Some("of")
        || occ
            .after
            .is_some_and(|w| w == "city" || DIVISION_WORDS.contains(&w))
}

/// False when nothing around the occurrence can move [`cue`] for any candidate: no qualifier, no
/// dateline and no cue words.
fn says_what_it_is(occ: &Occurrence) -> bool {
    occ.qualifier.is_some() || occ.dateline || has_cue_words(occ)
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

    /// A candidate of `place` scoring `score`, its id in order among all the ids of `g`.
    fn ranked(g: &Gazetteer, entry: usize, place: &Entry, score: f64) -> Ranked {
        let below = (0..g.len() as u32).filter(|&i| g.entry(i).id < place.id);
        let mut ids_below: Vec<&str> = below.map(|i| g.entry(i).id.as_str()).collect();
        ids_below.sort_unstable();
        ids_below.dedup();
        Ranked {
            place: PlaceFacts::of(entry as EntryId, place, ids_below.len() as u8),
            score,
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
                    ranked(&g, k, places[k], scores[k % scores.len()])
                })
                .collect();
            let mut sorted = ranked.clone();
            sorted.sort_by(ranking);
            assert_eq!(
                super::best(&ranked).unwrap().place.entry,
                sorted[0].place.entry
            );
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
            let cue = cue(&g, &PlaceFacts::of(i, place, 0), &occs, &mut qualifiers);
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

    /// Codes that are not all the same length and bytes, long ones and ones with odd bytes among them.
    const CODES: [&str; 14] = [
        "",
        "A",
        "US",
        "GB",
        "USA",
        "ENG",
        "01",
        "1234567",
        "12345678",
        "12345679",
        "123456789",
        "A\0",
        "\0A",
        "Ü",
    ];

    /// Codes compared by number are equal exactly when their texts are, in an order that is total.
    #[test]
    fn code_numbers_tell_codes_apart_as_text_does() {
        for a in CODES {
            for b in CODES {
                let (ka, kb) = (CodeKey::new(a), CodeKey::new(b));
                assert_eq!(ka.order(kb).is_eq(), a == b, "{a:?} {b:?}");
                assert_eq!(ka.order(kb), kb.order(ka).reverse(), "{a:?} {b:?}");
                for c in CODES {
                    let kc = CodeKey::new(c);
                    if ka.order(kb).is_lt() && kb.order(kc).is_lt() {
                        assert!(ka.order(kc).is_lt(), "{a:?} {b:?} {c:?}");
                    }
                }
            }
        }
    }

    /// The context answers as the plain lists of what it was given, with their sources, would.
    #[test]
    fn context_answers_as_its_sources_would() {
        let sources = ["georgia", "ohio", ""];
        let mut countries: Vec<(&str, &str)> = Vec::new();
        let mut divisions: Vec<(&str, &str, &str)> = Vec::new();
        let mut context = DocContext::default();
        // most codes as countries, some pairs as divisions, from varying sources
        for (i, country) in CODES.iter().enumerate().filter(|(i, _)| i % 3 != 1) {
            for source in &sources[..1 + i % 2] {
                context.add_country(country, source);
                countries.push((country, source));
            }
        }
        for (i, country) in CODES.iter().enumerate() {
            for (j, admin1) in CODES.iter().enumerate().filter(|(j, _)| (i + j) % 4 == 0) {
                let source = sources[(i * j) % sources.len()];
                context.add_division(country, admin1, source);
                divisions.push((country, admin1, source));
            }
        }
        let mut seen = [0; 3];
        for country in CODES {
            let c = CodeKey::new(country);
            for name in sources {
                let plain = countries.iter().any(|&(gc, s)| gc == country && s != name);
                assert_eq!(context.has_country(c, name), plain, "{country:?} {name}");
                seen[0] += usize::from(plain);
                for admin1 in CODES {
                    let a = CodeKey::new(admin1);
                    let plain = divisions
                        .iter()
                        .any(|&(gc, ga, s)| gc == country && ga == admin1 && s != name);
                    let what = format!("{country:?} {admin1:?} {name}");
                    assert_eq!(context.has_division(c, a, name), plain, "{what}");
                    seen[1] += usize::from(plain);
                    let plain = divisions
                        .iter()
                        .any(|&(gc, ga, s)| gc == country && ga != admin1 && s != name);
                    assert_eq!(context.has_sibling_division(c, a, name), plain, "{what}");
                    seen[2] += usize::from(plain);
                }
            }
        }
        assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
    }

    /// Occurrences that do not say what they are change no candidate's cue: leaving them out of
    /// [`cue`] gives every place the same answer, to the bit.
    #[test]
    fn occurrences_without_cues_change_no_cue() {
        let g = namesakes();
        let word_sets: [([Option<&str>; 2], Option<&str>); 5] = [
            ([None, None], None),
            ([Some("city"), Some("of")], None),
            ([None, Some("in")], Some("state")),
            ([Some("port"), Some("of")], Some("said")),
            ([None, Some("the")], Some("city")),
        ];
        let mut occurrences = Vec::new();
        for (before, after) in word_sets {
            for qualifier in [None, Some("idaho"), Some("georgia")] {
                for dateline in [false, true] {
                    occurrences.push(Occurrence {
                        folded: "moscow",
                        before,
                        after,
                        qualifier,
                        dateline,
                    });
                }
            }
        }
        let mut state = 3_u64;
        let mut qualifiers = QualifierAreas::default();
        let mut cued_some = 0;
        for _ in 0..300 {
            let count = 1 + crate::next_below(&mut state, 4);
            let occs: Vec<&Occurrence> = (0..count)
                .map(|_| &occurrences[crate::next_below(&mut state, occurrences.len())])
                .collect();
            let cued: Vec<&Occurrence> = occs
                .iter()
                .copied()
                .filter(|o| says_what_it_is(o))
                .collect();
            for i in 0..g.len() as u32 {
                let place = g.entry(i);
                let facts = PlaceFacts::of(i, place, 0);
                let all = cue(&g, &facts, &occs, &mut qualifiers);
                let some = cue(&g, &facts, &cued, &mut qualifiers);
                assert_eq!(all.to_bits(), some.to_bits(), "{} {}", place.id, occs.len());
                cued_some += usize::from(all > 0.0);
            }
        }
        assert!(cued_some > 100, "{cued_some}");
    }

    /// Comparing a difference in latitude with the reach answers as the scaled test does, at the
    /// reach to the last bit and away from it, for latitudes anywhere and for missing ones.
    #[test]
    fn latitude_reach_answers_as_the_distance_test() {
        let reach = latitude_reach();
        let mut lats = vec![0.0, -0.0, 89.9, -89.9, 51.5, f64::NAN, f64::INFINITY];
        let mut near = reach;
        for _ in 0..4 {
            near = f64::from_bits(near.to_bits() - 1);
        }
        for _ in 0..9 {
            lats.push(near);
            lats.push(-near);
            lats.push(near + 40.0);
            near = f64::from_bits(near.to_bits() + 1);
        }
        for step in 0..400 {
            lats.push(-90.0 + f64::from(step) * 0.45);
        }
        for &a in &lats {
            for &b in &lats {
                assert_eq!((a - b).abs() > reach, too_far_by_latitude(a, b), "{a} {b}");
            }
        }
    }

    /// Keeping the best few as they come gives the head of a full stable ranking, equals in order.
    #[test]
    fn best_few_is_the_head_of_a_full_ranking() {
        let g = namesakes();
        let places: Vec<&Entry> = (0..g.len() as u32).map(|i| g.entry(i)).collect();
        let scores = [0.5, 0.7, 0.5, 0.7, 0.1, 0.7, 0.5, 0.9];
        for len in 0..12 {
            for rotation in 0..places.len() {
                // the same place twice under different entry numbers ties in the ranking
                let ranked: Vec<Ranked> = (0..len)
                    .map(|i| {
                        ranked(
                            &g,
                            i,
                            places[(i / 2 + rotation) % places.len()],
                            scores[(i / 2 + rotation) % scores.len()],
                        )
                    })
                    .collect();
                let mut sorted = ranked.clone();
                sorted.sort_by(ranking);
                let mut few = Vec::new();
                best_few(&ranked, &mut few);
                let head: Vec<EntryId> = sorted
                    .iter()
                    .take(KEPT_CANDIDATES)
                    .map(|r| r.place.entry)
                    .collect();
                let few: Vec<EntryId> = few.iter().map(|r| r.place.entry).collect();
                assert_eq!(few, head);
            }
        }
    }

    /// Dropping the hopeless candidates before the rounds keeps every name's ranking as it was, over
    /// documents of namesakes near and far whose scores lie a neighbour's bonus apart or less.
    #[test]
    fn dropping_hopeless_candidates_keeps_the_ranking() {
        let g = namesakes();
        let places: Vec<&Entry> = (0..g.len() as u32).map(|i| g.entry(i)).collect();
        let scores = [0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.75];
        let mut state = 7_u64;
        let mut next_below = |n: usize| crate::next_below(&mut state, n);
        let mut dropped = 0;
        for _ in 0..2_000 {
            let mut base = Vec::new();
            let mut spans = Vec::new();
            for _ in 0..1 + next_below(5) {
                let start = base.len();
                for _ in 0..next_below(9) {
                    let entry = next_below(places.len());
                    base.push(ranked(
                        &g,
                        entry,
                        places[entry],
                        scores[next_below(scores.len())],
                    ));
                }
                spans.push(start..base.len());
            }
            let (all, all_kept) = rank_in_rounds(&g, &base, &spans);
            let before = base.len();
            drop_hopeless(&mut base, &mut spans);
            dropped += before - base.len();
            let (some, some_kept) = rank_in_rounds(&g, &base, &spans);
            let kept = |ranked: &[Scored], names: &[Range<usize>]| -> Vec<Vec<(EntryId, u64)>> {
                names
                    .iter()
                    .map(|n| {
                        ranked[n.clone()]
                            .iter()
                            .map(|s| (s.entry, s.score.to_bits()))
                            .collect()
                    })
                    .collect()
            };
            assert_eq!(kept(&all, &all_kept), kept(&some, &some_kept));
        }
        assert!(dropped > 1_000, "{dropped}");
    }

    /// The memo of senses answers as the gazetteer does, for two gazetteers in turn on one thread and
    /// after it starts afresh.
    #[test]
    fn remembered_senses_are_the_gazetteers() {
        let (namesakes, small) = (namesakes(), test_data::small());
        let names = [
            "moscow",
            "georgia",
            "qingdao",
            "nowhere",
            "edmonton",
            "moscow",
            "yellow sea",
        ];
        let mut unusual = 0;
        let mut memo = SenseMemo::default();
        for round in 0..3 {
            for g in [&namesakes, &small, &namesakes] {
                if round == 2 {
                    memo.names
                        .extend((0..SENSE_MEMO_NAMES).map(|i| (i.to_string().into(), 0..0)));
                }
                memo.serve(g);
                assert!(memo.names.len() < SENSE_MEMO_NAMES);
                for name in names {
                    // the points as their exact fields show
                    let plain: Vec<String> = g
                        .candidates_folded(name)
                        .iter()
                        .map(|c| {
                            let place = g.entry(c.entry);
                            let point = LatCos::new(place.lat, place.lon);
                            format!("{} {} {point:?}", c.entry, c.score)
                        })
                        .collect();
                    let remembered: Vec<String> = memo
                        .senses(g, name)
                        .iter()
                        .map(|s| format!("{} {} {:?}", s.place.entry, s.prior, s.place.point))
                        .collect();
                    assert_eq!(remembered, plain, "{name}");
                    let senses = memo.senses(g, name).to_vec();
                    for a in &senses {
                        let entry = g.entry(a.place.entry);
                        assert_eq!(a.place.kind, entry.kind);
                        let long = |c: &Option<String>| {
                            c.as_deref().is_some_and(|c| code_number(c) == LONG_CODE)
                        };
                        let unusual_entry = !entry.near_countries.is_empty()
                            || long(&entry.country)
                            || long(&entry.admin1);
                        assert_eq!(a.place.unusual, unusual_entry, "{name}");
                        unusual += usize::from(a.place.unusual);
                        let (country, admin1) = a.place.codes(g);
                        assert!(same_code(country, code_key(&entry.country)), "{name}");
                        assert!(same_code(admin1, code_key(&entry.admin1)), "{name}");
                        for b in &senses {
                            let other = g.entry(b.place.entry);
                            let by_order = a.place.id_order.cmp(&b.place.id_order);
                            assert_eq!(by_order, entry.id.cmp(&other.id), "{name}");
                        }
                    }
                }
            }
        }
        assert!(unusual > 0);
        assert_ne!(namesakes.memo_owner(), small.memo_owner());
        assert_eq!(memo.senses(&namesakes, "moscow").len(), 2);
    }

    /// An occurrence without cue words gets no cue for any kind of place.
    #[test]
    fn no_cue_words_no_cue() {
        let words = [
            None,
            Some("of"),
            Some("port"),
            Some("city"),
            Some("province"),
            Some("state"),
            Some("krai"),
            Some("harbor"),
            Some("new"),
        ];
        let mut cued = 0;
        for prev2 in words {
            for prev in words {
                for after in words {
                    let occ = Occurrence {
                        folded: "x",
                        before: [prev2, prev],
                        after,
                        qualifier: None,
                        dateline: false,
                    };
                    let any = PlaceKind::ALL.iter().any(|&k| cue_bonus(k, &occ) != 0.0);
                    assert!(has_cue_words(&occ) || !any, "{prev2:?} {prev:?} {after:?}");
                    cued += usize::from(any);
                }
            }
        }
        assert!(cued > 0);
    }

    /// Names ordered by their heads first come out in byte order.
    #[test]
    fn name_heads_keep_byte_order() {
        let names = [
            "",
            "a",
            "ab",
            "ab\0",
            "abcdefgh",
            "abcdefghi",
            "abcdefgg",
            "abcdefgh\0",
            "b",
            "\u{e9}",
            "e\u{301}",
            "zz",
            "abcdefghij",
            "abcdefgha",
        ];
        for a in names {
            for b in names {
                if name_head(a) < name_head(b) {
                    assert!(a < b, "{a:?} {b:?}");
                }
                if a == b {
                    assert_eq!(name_head(a), name_head(b));
                }
            }
        }
    }

    /// The latitude and longitude tests and the haversine bounds give every candidate the bonus the
    /// plain sum over the distances to all the other names' places gives, to the bit: over clusters
    /// of towns where many steps add up, at distances on both sides of every limit.
    #[test]
    fn neighbour_bonus_is_the_plain_sum() {
        let g = namesakes();
        let town = |entry: u32, lat: f64, lon: f64| PlaceFacts {
            entry,
            kind: PlaceKind::City,
            id_order: 0,
            unusual: false,
            point: LatCos::new(lat, lon),
            country: NO_CODE,
            admin1: NO_CODE,
        };
        let mut state = 11_u64;
        let mut coordinate = |centre: f64, spread: usize| {
            centre + (crate::next_below(&mut state, 2 * spread + 1) as f64 - spread as f64) * 0.37
        };
        let mut many_steps = 0;
        for doc in 0..300 {
            let centre = (
                f64::from(doc % 7) * 20.0 - 60.0,
                f64::from(doc % 5) * 70.0 - 175.0,
            );
            let choice: Vec<Option<Ranked>> = (0..12)
                .map(|k| {
                    let (lat, lon) = match k % 6 {
                        0 => (f64::NAN, 0.0),
                        1 => return None,
                        _ => (coordinate(centre.0, 12), coordinate(centre.1, 12)),
                    };
                    Some(Ranked {
                        place: town(k, lat, lon),
                        score: 0.5,
                    })
                })
                .collect();
            let neighbours = Neighbours::of(&choice);
            for name in 0..choice.len() + 1 {
                let candidate = town(99, coordinate(centre.0, 15), coordinate(centre.1, 15));
                let mut plain = 0.0;
                let mut steps = 0;
                for n in neighbours.list.iter().filter(|n| n.name != name) {
                    let km = n.place.point.km_to(&candidate.point);
                    let step = [(50.0, 0.1), (200.0, 0.05), (NEIGHBOUR_KM, 0.02)]
                        .into_iter()
                        .find(|&(limit, _)| km <= limit)
                        .map_or(0.0, |(_, step)| step);
                    plain += step;
                    steps += usize::from(step > 0.0);
                }
                let plain = f64::min(plain, MAX_NEIGHBOUR_BONUS);
                let bonus = neighbour_bonus(&g, &candidate, name, &neighbours);
                assert_eq!(bonus.to_bits(), plain.to_bits(), "{doc} {name}");
                many_steps += usize::from(steps >= 3);
            }
        }
        assert!(many_steps > 100, "{many_steps}");
    }
}
