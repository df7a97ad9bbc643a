//! The cross-document *merge*: frames that tell the same happening — by the same actor (or, for joint
//! exercises, patrols and meetings, by parties of the same countries), at the same place, at times that
//! fit — become one event that lists every report. The event's dates are the best any report gives:
//! a date tied to the happening beats the date of a statement about it, and a day beats a month. A plan
//! that a later report says came true joins the happening.
//!
//! The same grouping dates undated articles: an article that reports in the past tense, with a time
//! word, a happening that other articles date was written no earlier than that date.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::actors::{identify, CorpusActors};
use super::days;
use super::lexicon::Aspect;
use super::read::{Dating, DocReading, Frame, Tense};
use crate::gazetteer::fold;
use crate::geo_util::haversine_km;
use crate::story::{Action, Actor, ActorKind, Event, Modality, Source};

/// Places closer than this with the same name are one place ("Qingdao" the city and the port).
const SAME_PLACE_KM: f64 = 60.0;

/// Days two reports' dates may lie apart and still tell one happening.
const SLACK_DAYS: i64 = 3;

/// Events and actors of the corpus, from every article's frames.
pub fn assemble(readings: &[DocReading]) -> (Vec<Event>, Vec<Actor>) {
    let corpus = identify(readings);
    let grouping = Grouping::new(readings, &corpus);
    let mut order: Vec<usize> = (0..grouping.clusters.len()).collect();
    order.sort_by_key(|&c| grouping.first_position(c));
    let mut id_of = vec![0; grouping.clusters.len()];
    for (n, &c) in order.iter().enumerate() {
        id_of[c] = n + 1;
    }
    let events: Vec<Event> = order
        .iter()
        .map(|&c| grouping.event(c, &id_of, &corpus.actors))
        .collect();
    let actors = corpus
        .actors
        .into_iter()
        .filter(|a| {
            events
                .iter()
                .any(|e| e.actor == a.name || e.partners.contains(&a.name))
        })
        .collect();
    (events, actors)
}

/// For each article, the earliest date it can have been written by the happenings it reports that
/// other, dated articles date; None where nothing says.
pub fn publication_bounds(readings: &[DocReading]) -> Vec<Option<NaiveDate>> {
    let corpus = identify(readings);
    let grouping = Grouping::new(readings, &corpus);
    let mut bounds = vec![None; readings.len()];
    let mut evidence: HashMap<usize, DateEvidence> = HashMap::new();
    for (ii, item) in grouping.items.iter().enumerate() {
        let f = item.frame;
        if !matches!(f.tense, Tense::Past | Tense::Pluperfect)
            || f.modality != Modality::Happened
            || f.datings.is_empty()
        {
            continue;
        }
        let cluster = grouping.cluster_of[ii];
        // the date of the same statement counts here: both articles report what was said that day
        let dates = evidence
            .entry(cluster)
            .or_insert_with(|| {
                let dated: Vec<usize> = grouping.clusters[cluster]
                    .iter()
                    .copied()
                    .filter(|&o| readings[grouping.items[o].doc].published.is_some())
                    .collect();
                grouping.evidence(&dated, true)
            })
            .dates(Some(item.doc));
        let ends = f.datings.iter().any(|d| d.aspect == Aspect::End);
        let bound = if ends { dates.end } else { dates.start };
        if let Some(b) = bound {
            let slot = &mut bounds[item.doc];
            *slot = Some(slot.map_or(b, |s: NaiveDate| s.max(b)));
        }
    }
    bounds
}

struct Item<'a> {
    doc: usize,
    frame: &'a Frame,
    published: Option<NaiveDate>,
    /// Corpus actors, the frame's actor first.
    actors: Vec<usize>,
    places: Vec<String>,
    span: Span,
}

/// The days a report puts a happening on: `direct` from dates tied to it, `by` from the date of the
/// statement about it (it happened on or before).
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    direct: Option<(NaiveDate, NaiveDate)>,
    by: Option<NaiveDate>,
}

impl Span {
    fn of(frame: &Frame) -> Span {
        let mut span = Span::default();
        for d in usable_datings(frame) {
            let Some((s, e)) = d.value.as_deref().and_then(days) else {
                continue;
            };
            if d.reported {
                span.by = Some(span.by.map_or(e, |b| b.min(e)));
            } else {
                span.direct = Some(match span.direct {
                    Some((a, b)) => (a.min(s), b.max(e)),
                    None => (s, e),
                });
            }
        }
        span
    }

    fn fits(&self, other: &Span) -> bool {
        let slack = Duration::days(SLACK_DAYS);
        if let (Some((a, b)), Some((c, d))) = (self.direct, other.direct) {
            if b + slack < c || d + slack < a {
                return false;
            }
        }
        let started_by =
            |direct: Option<(NaiveDate, NaiveDate)>, by: Option<NaiveDate>| match (direct, by) {
                (Some((start, _)), Some(by)) => start <= by + slack,
                _ => true,
            };
        started_by(self.direct, other.by) && started_by(other.direct, self.by)
    }

    fn join(&mut self, other: &Span) {
        if let Some((c, d)) = other.direct {
            self.direct = Some(match self.direct {
                Some((a, b)) => (a.min(c), b.max(d)),
                None => (c, d),
            });
        }
        if let Some(by) = other.by {
            self.by = Some(self.by.map_or(by, |b| b.min(by)));
        }
    }
}

/// Arrivals and port calls at a place are one kind of happening for merging.
fn class(action: Action) -> Action {
    match action {
        Action::PortCall => Action::Arrive,
        a => a,
    }
}

fn is_joint(action: Action) -> bool {
    matches!(action, Action::Exercise | Action::Patrol | Action::Meeting)
}

struct Grouping<'a> {
    items: Vec<Item<'a>>,
    clusters: Vec<Vec<usize>>,
    cluster_of: Vec<usize>,
    actors: &'a [Actor],
    /// (article, frame) -> item.
    item_of: HashMap<(usize, usize), usize>,
}

struct ClusterState {
    class: Action,
    places: Vec<String>,
    actors: Vec<usize>,
    countries: Vec<String>,
    span: Span,
    happened: bool,
    /// The earliest date a plan in it was reported.
    planned_on: Option<NaiveDate>,
}

impl<'a> Grouping<'a> {
    fn new(readings: &'a [DocReading], corpus: &'a CorpusActors) -> Grouping<'a> {
        let canonical = canonical_places(readings);
        let mut items: Vec<Item<'a>> = Vec::new();
        let mut item_of: HashMap<(usize, usize), usize> = HashMap::new();
        for (doc, r) in readings.iter().enumerate() {
            for (index, frame) in r.frames.iter().enumerate() {
                let map = &corpus.of_doc[doc];
                let mut actors = vec![map[frame.actor]];
                for &p in &frame.partners {
                    if !actors.contains(&map[p]) {
                        actors.push(map[p]);
                    }
                }
                let mut places: Vec<String> = Vec::new();
                for p in &frame.places {
                    let id = canonical
                        .get(&p.id)
                        .cloned()
                        .unwrap_or_else(|| p.id.clone());
                    if !places.contains(&id) {
                        places.push(id);
                    }
                }
                item_of.insert((doc, index), items.len());
                items.push(Item {
                    doc,
                    frame,
                    published: r.published,
                    actors,
                    places,
                    span: Span::of(frame),
                });
            }
        }
        let mut grouping = Grouping {
            items,
            clusters: Vec::new(),
            cluster_of: Vec::new(),
            actors: &corpus.actors,
            item_of,
        };
        grouping.cluster();
        grouping
    }

    fn cluster(&mut self) {
        let n = self.items.len();
        let mut assigned: Vec<Option<usize>> = vec![None; n];
        let mut states: Vec<ClusterState> = Vec::new();
        let mut by_place: HashMap<(Action, String), Vec<usize>> = HashMap::new();
        let mut by_class: HashMap<Action, Vec<usize>> = HashMap::new();
        // first the frames with places, then those without, which join a happening they fit
        for placed in [true, false] {
            for i in 0..n {
                let item = &self.items[i];
                if item.places.is_empty() == placed || assigned[i].is_some() {
                    continue;
                }
                let class = class(item.frame.action);
                let referred = item
                    .frame
                    .refers_to
                    .and_then(|r| self.item_of.get(&(item.doc, r)))
                    .and_then(|&r| assigned[r]);
                let target = if let Some(c) = referred {
                    Some(c)
                } else if placed {
                    item.places
                        .iter()
                        .flat_map(|p| by_place.get(&(class, p.clone())).into_iter().flatten())
                        .copied()
                        .find(|&c| self.fits(i, &states[c]))
                } else {
                    let fitting: Vec<usize> = by_class
                        .get(&class)
                        .into_iter()
                        .flatten()
                        .copied()
                        .filter(|&c| self.fits(i, &states[c]))
                        .collect();
                    let with_places: Vec<usize> = fitting
                        .iter()
                        .copied()
                        .filter(|&c| !states[c].places.is_empty())
                        .collect();
                    match (with_places.as_slice(), fitting.as_slice()) {
                        ([one], _) => Some(*one),
                        ([], [one]) => Some(*one),
                        _ => None,
                    }
                };
                let c = match target {
                    Some(c) => c,
                    None => {
                        states.push(ClusterState {
                            class,
                            places: Vec::new(),
                            actors: Vec::new(),
                            countries: Vec::new(),
                            span: Span::default(),
                            happened: false,
                            planned_on: None,
                        });
                        by_class.entry(class).or_default().push(states.len() - 1);
                        self.clusters.push(Vec::new());
                        states.len() - 1
                    }
                };
                let item = &self.items[i];
                let state = &mut states[c];
                for p in &item.places {
                    if !state.places.contains(p) {
                        state.places.push(p.clone());
                        by_place
                            .entry((state.class, p.clone()))
                            .or_default()
                            .push(c);
                    }
                }
                for &a in &item.actors {
                    if !state.actors.contains(&a) {
                        state.actors.push(a);
                    }
                    if let Some(country) = &self.actors[a].country {
                        if !state.countries.contains(country) {
                            state.countries.push(country.clone());
                        }
                    }
                }
                state.span.join(&item.span);
                if item.frame.modality == Modality::Happened {
                    state.happened = true;
                } else if let Some(p) = item.published {
                    state.planned_on = Some(state.planned_on.map_or(p, |q| q.min(p)));
                }
                assigned[i] = Some(c);
                self.clusters[c].push(i);
            }
        }
        self.cluster_of = assigned.into_iter().map(|c| c.unwrap_or(0)).collect();
    }

    /// Whether an item can tell the same happening as a cluster (places were checked by the caller).
    fn fits(&self, i: usize, c: &ClusterState) -> bool {
        let item = &self.items[i];
        if !item.span.fits(&c.span) {
            return false;
        }
        // a plan joins a happening only when that happened after the plan was told
        let slack = Duration::days(1);
        let planned = item.frame.modality == Modality::Planned;
        if planned && c.happened {
            if let (Some(told), Some((start, _))) = (item.published, c.span.direct) {
                if start + slack < told {
                    return false;
                }
            }
        }
        if !planned && !c.happened {
            if let (Some(told), Some((start, _))) = (c.planned_on, item.span.direct) {
                if start + slack < told {
                    return false;
                }
            }
        }
        let main = item.actors[0];
        if c.actors.contains(&main) {
            return true;
        }
        let kind = |a: usize| self.actors[a].kind;
        let country = |a: usize| self.actors[a].country.as_deref();
        if is_joint(item.frame.action) {
            return item
                .actors
                .iter()
                .any(|&a| country(a).is_some_and(|x| c.countries.iter().any(|y| y == x)));
        }
        // a nation's forces and one of its groups may be the same mover
        c.actors.iter().any(|&a| {
            country(a).is_some()
                && country(a) == country(main)
                && (matches!(kind(a), ActorKind::Forces | ActorKind::Nation)
                    || matches!(kind(main), ActorKind::Forces | ActorKind::Nation))
        })
    }

    fn first_position(&self, c: usize) -> (usize, usize) {
        self.clusters[c]
            .iter()
            .map(|&i| (self.items[i].doc, self.items[i].frame.at))
            .min()
            .unwrap_or_default()
    }

    /// What the given items say of a happening's dates; the dates of statements about it count only
    /// with `statements` (they bound the happening, they do not date it).
    fn evidence(&self, items: &[usize], statements: bool) -> DateEvidence<'a> {
        let mut all: Vec<Evidence<'a>> = Vec::new();
        let mut reported_by: Vec<(NaiveDate, usize)> = Vec::new();
        for &i in items {
            let item = &self.items[i];
            if item.frame.modality == Modality::Happened {
                reported_by.extend(item.published.map(|p| (p, item.doc)));
            }
            for d in usable_datings(item.frame).filter(|d| statements || !d.reported) {
                let Some(value) = d.value.as_deref() else {
                    continue;
                };
                let Some((start, end)) = days(value) else {
                    continue;
                };
                all.push(Evidence {
                    id: all.len(),
                    start,
                    end,
                    aspect: d.aspect,
                    reported: d.reported,
                    value,
                    order: (item.doc, item.frame.at),
                });
            }
        }
        let ranked = |aspect: Aspect| {
            let mut list: Vec<Evidence<'a>> = all
                .iter()
                .filter(|e| e.aspect == Aspect::Whole || e.aspect == aspect)
                .cloned()
                .collect();
            list.sort_by_key(|e| (e.reported, (e.end - e.start).num_days(), e.order));
            list
        };
        reported_by.sort_unstable();
        DateEvidence {
            starts: ranked(Aspect::Start),
            ends: ranked(Aspect::End),
            reported_by,
        }
    }

    fn event(&self, c: usize, id_of: &[usize], actors: &[Actor]) -> Event {
        let mut members = self.clusters[c].clone();
        members.sort_by_key(|&i| (self.items[i].doc, self.items[i].frame.at));
        let members = &members;
        let first = &self.items[members[0]];
        // actors: the most specific first; a nation or its forces only when no ship of it is there
        let mut all: Vec<usize> = Vec::new();
        for &i in members {
            for &a in &self.items[i].actors {
                if !all.contains(&a) {
                    all.push(a);
                }
            }
        }
        let rank = |a: usize| match actors[a].kind {
            ActorKind::Ship | ActorKind::Group => 0,
            ActorKind::Forces => 1,
            ActorKind::Nation => 2,
        };
        let main = *all.iter().min_by_key(|&&a| rank(a)).unwrap_or(&all[0]);
        let partners: Vec<String> = all
            .iter()
            .copied()
            .filter(|&a| a != main)
            .filter(|&a| {
                rank(a) == 0
                    || !all
                        .iter()
                        .any(|&b| rank(b) < rank(a) && actors[b].country == actors[a].country)
            })
            .map(|a| actors[a].name.clone())
            .collect();
        let action = members
            .iter()
            .map(|&i| self.items[i].frame.action)
            .find(|&a| a == Action::PortCall)
            .unwrap_or(first.frame.action);
        // places: the most reported first, then in the order told
        let mut places: Vec<(String, usize, usize)> = Vec::new();
        for &i in members {
            for p in &self.items[i].places {
                match places.iter_mut().find(|(id, _, _)| id == p) {
                    Some((_, n, _)) => *n += 1,
                    None => places.push((p.clone(), 1, places.len())),
                }
            }
        }
        places.sort_by_key(|(_, n, order)| (std::cmp::Reverse(*n), *order));
        let dates = self.evidence(members, false).dates(None);
        let modality = if members
            .iter()
            .any(|&i| self.items[i].frame.modality == Modality::Happened)
        {
            Modality::Happened
        } else {
            Modality::Planned
        };
        let mut sources: Vec<Source> = Vec::new();
        let mut source_of: HashMap<(usize, usize), usize> = HashMap::new();
        for &i in members {
            let item = &self.items[i];
            let when = report_when(item.frame);
            match source_of.get(&(item.doc, item.frame.source.start)) {
                Some(&k) => {
                    if sources[k].when.is_none() {
                        sources[k].when = when;
                    }
                }
                None => {
                    source_of.insert((item.doc, item.frame.source.start), sources.len());
                    sources.push(Source {
                        when,
                        ..item.frame.source.clone()
                    });
                }
            }
        }
        let mut after: Vec<usize> = Vec::new();
        for &i in members {
            let item = &self.items[i];
            for &f in &item.frame.after {
                let Some(&o) = self.item_of.get(&(item.doc, f)) else {
                    continue;
                };
                let oc = self.cluster_of[o];
                if oc != c && !after.contains(&id_of[oc]) {
                    after.push(id_of[oc]);
                }
            }
        }
        after.sort_unstable();
        let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        Event {
            id: format!("e{}", id_of[c]),
            actor: actors[main].name.clone(),
            action,
            places: places.into_iter().map(|(id, _, _)| id).collect(),
            start: dates.start.map(fmt),
            end: dates.end.map(fmt),
            when: dates.when,
            modality,
            sources,
            partners,
            after: after.into_iter().map(|n| format!("e{n}")).collect(),
        }
    }
}

/// The datings that date the happening itself: the date of a statement announcing a plan ("said on
/// Sunday that it will") says nothing of when the plan happens.
fn usable_datings(frame: &Frame) -> impl Iterator<Item = &Dating> {
    frame
        .datings
        .iter()
        .filter(move |d| !(d.reported && frame.modality == Modality::Planned))
}

#[derive(Debug, Clone)]
struct Evidence<'v> {
    id: usize,
    start: NaiveDate,
    end: NaiveDate,
    aspect: Aspect,
    reported: bool,
    value: &'v str,
    /// (article, offset): the earlier report wins a tie.
    order: (usize, usize),
}

/// A happening's date evidence, best first, so the best of all reports but one article's is quick to
/// find (an article is not dated by its own reports).
struct DateEvidence<'v> {
    starts: Vec<Evidence<'v>>,
    ends: Vec<Evidence<'v>>,
    /// When reports that it happened were published, earliest first, with their article.
    reported_by: Vec<(NaiveDate, usize)>,
}

impl DateEvidence<'_> {
    /// The best dates, leaving out one article's reports if asked.
    fn dates(&self, leave_out: Option<usize>) -> Dates {
        let kept = |doc: usize| Some(doc) != leave_out;
        let start_ev = self.starts.iter().find(|e| kept(e.order.0));
        let end_ev = self.ends.iter().find(|e| kept(e.order.0));
        let mut start = start_ev.map(|e| e.start);
        let mut end = end_ev.map(|e| e.end);
        if end.is_none() {
            end = start_ev
                .filter(|e| e.aspect == Aspect::Whole)
                .map(|e| e.end);
        }
        if start.is_none() {
            start = end_ev
                .filter(|e| e.aspect == Aspect::Whole)
                .map(|e| e.start);
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                end = start_ev.map(|x| x.end.max(s));
            }
        }
        // a coarse date of a happening ("earlier this month") ended by the time it was reported
        let coarse = start_ev.filter(|e| e.aspect == Aspect::Whole && e.end > e.start);
        if let (Some(ev), Some(e)) = (coarse, end) {
            let reported_by = self
                .reported_by
                .iter()
                .find(|(_, doc)| kept(*doc))
                .map(|(p, _)| *p);
            if let Some(p) = reported_by.filter(|p| *p < e && *p >= ev.start) {
                end = Some(p);
            }
        }
        let when = match (start_ev, end_ev) {
            (Some(a), Some(b)) if a.id == b.id && a.end > a.start => Some(a.value.to_string()),
            _ => None,
        };
        Dates { start, end, when }
    }
}

struct Dates {
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    when: Option<String>,
}

/// What one report says of the happening's date: its own date, or else the statement's.
fn report_when(frame: &Frame) -> Option<String> {
    let direct: Vec<&str> = frame
        .datings
        .iter()
        .filter(|d| !d.reported)
        .filter_map(|d| d.value.as_deref())
        .collect();
    match direct.as_slice() {
        [] => usable_datings(frame).find_map(|d| d.value.clone()),
        [one] => Some(one.to_string()),
        [a, .., b] => Some(format!("{a}/{b}")),
    }
}

/// One id for each place told by several names or layers: the same folded name within
/// [`SAME_PLACE_KM`], represented by the id most frames use.
fn canonical_places(readings: &[DocReading]) -> HashMap<String, String> {
    struct Seen {
        id: String,
        lat: f64,
        lon: f64,
        uses: usize,
    }
    let mut by_name: HashMap<String, Vec<Seen>> = HashMap::new();
    for p in readings
        .iter()
        .flat_map(|r| &r.frames)
        .flat_map(|f| &f.places)
    {
        let list = by_name.entry(fold(&p.name)).or_default();
        match list.iter_mut().find(|s| s.id == p.id) {
            Some(s) => s.uses += 1,
            None => list.push(Seen {
                id: p.id.clone(),
                lat: p.lat,
                lon: p.lon,
                uses: 1,
            }),
        }
    }
    let mut out = HashMap::new();
    for list in by_name.values() {
        for s in list {
            let best = list
                .iter()
                .enumerate()
                .filter(|(_, o)| haversine_km(s.lat, s.lon, o.lat, o.lon) < SAME_PLACE_KM)
                .max_by_key(|(order, o)| (o.uses, std::cmp::Reverse(*order)))
                .map_or(&s.id, |(_, o)| &o.id);
            out.insert(s.id.clone(), best.clone());
        }
    }
    out
}
