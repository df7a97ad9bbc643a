//! Track *order*: which waypoints an actor's track has, and in what order.
//!
//! A waypoint is a visit to one place: the events there, their time interval and the articles behind
//! them. Visits are ordered by what is known, strongest first — dates that do not overlap, then the
//! articles' own cues ("before calling at", "had passed", "after exercises in", kept on each event as
//! `after`), then the order of telling inside an article — each taken only where it does not contradict
//! what is already known. What is still unordered goes by date, or by when it was reported. Planned
//! visits ("will sail on to") come after the travelled ones and never join them; a plan that a later
//! visit fulfilled is dropped.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use rustc_hash::FxHashSet;

use crate::story::{Action, Event, Modality, Story, Waypoint};
use crate::time::parse_date;

/// Days between two dated events at one place beyond which they are two visits.
const SAME_VISIT_DAYS: i64 = 3;

struct Node<'a> {
    place: &'a str,
    events: Vec<&'a Event>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    /// The earliest report: (document order, offset), and that document's date.
    told: (usize, usize),
    told_on: Option<NaiveDate>,
}

impl Node<'_> {
    fn has_departure(&self) -> bool {
        self.events.iter().any(|e| e.action == Action::Depart)
    }
}

/// The ordered waypoints of one actor's track: travelled visits, then planned ones.
pub fn waypoints(story: &Story, actor: &str) -> Vec<Waypoint> {
    let mine: Vec<&Event> = story
        .events
        .iter()
        .filter(|e| e.actor == actor || e.partners.iter().any(|p| p == actor))
        .filter(|e| e.places.iter().any(|p| story.place(p).is_some()))
        .collect();
    // only the documents the actor's events cite are looked up: taking every document of a corpus
    // (its place in the corpus and its date parsed) cost more than ordering the track
    let cited: FxHashSet<&str> = mine
        .iter()
        .flat_map(|e| &e.sources)
        .map(|s| s.doc.as_str())
        .collect();
    let docs: HashMap<&str, (usize, Option<NaiveDate>)> = story
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| cited.contains(d.id.as_str()))
        .map(|(i, d)| {
            (
                d.id.as_str(),
                (i, d.published.as_deref().and_then(parse_date)),
            )
        })
        .collect();
    let (happened, planned): (Vec<&Event>, Vec<&Event>) = mine
        .into_iter()
        .partition(|e| e.modality == Modality::Happened);
    let travelled = order(visits(story, &happened, &docs), &docs);
    let mut plans = order(visits(story, &planned, &docs), &docs);
    plans.retain(|p| !fulfilled(p, &travelled));
    if let (Some(last), Some(first)) = (travelled.last(), plans.first()) {
        if last.place == first.place {
            plans.remove(0);
        }
    }
    let mut out: Vec<Waypoint> = Vec::new();
    for (planned, nodes) in [(false, travelled), (true, plans)] {
        for node in nodes {
            let Some(place) = story.place(node.place) else {
                continue;
            };
            let fmt = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
            let mut sources: Vec<String> = Vec::new();
            for s in node.events.iter().flat_map(|e| &e.sources) {
                if !sources.contains(&s.doc) {
                    sources.push(s.doc.clone());
                }
            }
            let events: Vec<String> = node.events.iter().map(|e| e.id.clone()).collect();
            if let Some(last) = out
                .last_mut()
                .filter(|w| w.place == node.place && w.planned == planned)
            {
                // the same place twice in a row is one stay
                last.start = earlier(last.start.take(), fmt(node.start));
                last.end = super::later(last.end.take(), fmt(node.end));
                for e in events {
                    if !last.events.contains(&e) {
                        last.events.push(e);
                    }
                }
                for s in sources {
                    if !last.sources.contains(&s) {
                        last.sources.push(s);
                    }
                }
                continue;
            }
            out.push(Waypoint {
                place: node.place.to_string(),
                name: place.name.clone(),
                lat: place.lat,
                lon: place.lon,
                start: fmt(node.start),
                end: fmt(node.end),
                events,
                planned,
                sources,
            });
        }
    }
    out
}

fn earlier(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Group events into visits: one per place, split where a departure is followed by a later return
/// or where dates lie too far apart to be one stay.
fn visits<'a>(
    story: &'a Story,
    events: &[&'a Event],
    docs: &HashMap<&str, (usize, Option<NaiveDate>)>,
) -> Vec<Node<'a>> {
    let date = |s: &Option<String>| s.as_deref().and_then(parse_date);
    let told = |e: &Event| {
        e.sources
            .iter()
            .filter_map(|s| docs.get(s.doc.as_str()).map(|&(i, p)| ((i, s.start), p)))
            .min_by_key(|(t, _)| *t)
            .unwrap_or(((usize::MAX, 0), None))
    };
    let mut by_place: Vec<(&str, Vec<&Event>)> = Vec::new();
    for &e in events {
        for p in e.places.iter().filter(|p| story.place(p).is_some()) {
            match by_place.iter_mut().find(|(q, _)| q == p) {
                Some((_, list)) => list.push(e),
                None => by_place.push((p.as_str(), vec![e])),
            }
        }
    }
    let mut nodes: Vec<Node<'a>> = Vec::new();
    for (place, mut list) in by_place {
        list.sort_by_key(|e| (date(&e.start).unwrap_or(NaiveDate::MAX), told(e).0));
        let mut current: Option<Node<'a>> = None;
        for e in list {
            let (start, end) = (date(&e.start), date(&e.end).or(date(&e.start)));
            let (t, told_on) = told(e);
            if let Some(node) = &current {
                let apart = match (node.end.or(node.start), start) {
                    (Some(a), Some(b)) => b > a + Duration::days(SAME_VISIT_DAYS),
                    _ => false,
                };
                let back_after_leaving = node.has_departure()
                    && e.action != Action::Depart
                    && matches!((node.start, start), (Some(a), Some(b)) if b > a);
                if apart || back_after_leaving {
                    nodes.extend(current.take());
                }
            }
            match &mut current {
                Some(node) => {
                    node.events.push(e);
                    node.start = min_opt(node.start, start);
                    node.end = max_opt(node.end, end);
                    if t < node.told {
                        node.told = t;
                        node.told_on = told_on;
                    }
                }
                None => {
                    current = Some(Node {
                        place,
                        events: vec![e],
                        start,
                        end,
                        told: t,
                        told_on,
                    })
                }
            }
        }
        nodes.extend(current);
    }
    nodes
}

fn min_opt(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Order visits: constraints strongest first, each kept only if it closes no cycle, then a
/// topological sort that takes the earliest-dated free visit first.
fn order<'a>(
    nodes: Vec<Node<'a>>,
    docs: &HashMap<&str, (usize, Option<NaiveDate>)>,
) -> Vec<Node<'a>> {
    let n = nodes.len();
    let mut before: Vec<Vec<usize>> = vec![Vec::new(); n]; // before[j]: nodes that come before j
    let add = |before: &mut Vec<Vec<usize>>, i: usize, j: usize| {
        if i != j && !before[j].contains(&i) && !reaches(before, i, j) {
            before[j].push(i);
        }
    };
    // dates that do not overlap
    for i in 0..n {
        for j in 0..n {
            if let (Some(e), Some(s)) = (
                nodes[i].end.or(nodes[i].start),
                nodes[j].start.or(nodes[j].end),
            ) {
                if e < s {
                    add(&mut before, i, j);
                }
            }
        }
    }
    // the same place left and come back to
    for i in 0..n {
        for j in 0..n {
            if nodes[i].place == nodes[j].place
                && nodes[i].has_departure()
                && !nodes[j].has_departure()
            {
                if let (Some(a), Some(b)) = (nodes[i].start, nodes[j].start) {
                    if a < b {
                        add(&mut before, i, j);
                    }
                }
            }
        }
    }
    // the articles' cues, then several places of one event in the order told
    let node_of = |id: &str| -> Vec<usize> {
        (0..n)
            .filter(|&k| nodes[k].events.iter().any(|e| e.id == id))
            .collect()
    };
    for (j, node) in nodes.iter().enumerate() {
        for e in &node.events {
            for earlier in &e.after {
                for i in node_of(earlier) {
                    add(&mut before, i, j);
                }
            }
        }
    }
    for i in 0..n {
        for j in 0..n {
            let in_order = nodes[i].events.iter().any(|e| {
                nodes[j].events.iter().any(|f| {
                    e.id == f.id && {
                        let pi = e.places.iter().position(|p| p == nodes[i].place);
                        let pj = e.places.iter().position(|p| p == nodes[j].place);
                        matches!((pi, pj), (Some(a), Some(b)) if a + 1 == b)
                    }
                })
            });
            if in_order {
                add(&mut before, i, j);
            }
        }
    }
    // the order of telling inside each article
    let mut told_in: HashMap<usize, Vec<(usize, usize)>> = HashMap::new(); // doc -> (offset, node)
    for (k, node) in nodes.iter().enumerate() {
        let mut first_in_doc: HashMap<usize, usize> = HashMap::new();
        for s in node.events.iter().flat_map(|e| &e.sources) {
            if let Some(&(d, _)) = docs.get(s.doc.as_str()) {
                let at = first_in_doc.entry(d).or_insert(s.start);
                *at = (*at).min(s.start);
            }
        }
        for (d, at) in first_in_doc {
            told_in.entry(d).or_default().push((at, k));
        }
    }
    let mut docs_in_order: Vec<usize> = told_in.keys().copied().collect();
    docs_in_order.sort_unstable();
    for d in docs_in_order {
        let list = told_in.get_mut(&d).unwrap();
        list.sort_unstable();
        for w in list.windows(2) {
            if w[0].0 < w[1].0 {
                add(&mut before, w[0].1, w[1].1);
            }
        }
    }
    // topological order, earliest free visit first
    let key = |k: usize| {
        let node = &nodes[k];
        (
            node.start
                .or(node.end)
                .or(node.told_on)
                .unwrap_or(NaiveDate::MAX),
            node.told,
        )
    };
    let mut placed = vec![false; n];
    let mut sequence = Vec::with_capacity(n);
    for _ in 0..n {
        let next = (0..n)
            .filter(|&k| !placed[k] && before[k].iter().all(|&i| placed[i]))
            .min_by_key(|&k| key(k));
        let Some(k) = next else { break };
        placed[k] = true;
        sequence.push(k);
    }
    let mut slots: Vec<Option<Node<'a>>> = nodes.into_iter().map(Some).collect();
    sequence
        .into_iter()
        .filter_map(|k| slots[k].take())
        .collect()
}

/// Whether `to` already comes before `from` (so `from` before `to` would close a cycle).
fn reaches(before: &[Vec<usize>], from: usize, to: usize) -> bool {
    // walk the "comes before" links back from `from`; finding `to` means to < ... < from
    let mut stack = vec![from];
    let mut seen = vec![false; before.len()];
    while let Some(k) = stack.pop() {
        if k == to {
            return true;
        }
        if std::mem::replace(&mut seen[k], true) {
            continue;
        }
        stack.extend(before[k].iter().copied());
    }
    false
}

/// A plan that a travelled visit to the same place fulfilled: something other than leaving happened
/// there, not before the plan was told.
fn fulfilled(plan: &Node, travelled: &[Node]) -> bool {
    travelled.iter().any(|t| {
        t.place == plan.place
            && t.events.iter().any(|e| e.action != Action::Depart)
            && match (t.start, plan.told_on) {
                (Some(s), Some(told)) => s + Duration::days(1) >= told,
                _ => true,
            }
    })
}

#[cfg(test)]
mod tests {
    use crate::story::{Action, Document, Event, Modality, Place, PlaceKind, Source, Story};

    fn place(id: &str, name: &str) -> Place {
        Place {
            id: id.into(),
            name: name.into(),
            kind: PlaceKind::Sea,
            lat: 35.0,
            lon: 125.0,
            country: None,
            bbox: None,
            gazetteer: "test".into(),
            gazetteer_id: id.into(),
            mentions: 1,
        }
    }

    fn event(id: &str, action: Action, place: &str, date: Option<&str>, at: usize) -> Event {
        Event {
            id: id.into(),
            actor: "flotilla".into(),
            action,
            places: vec![place.into()],
            start: date.map(str::to_string),
            end: date.map(str::to_string),
            when: None,
            modality: Modality::Happened,
            sources: vec![Source {
                doc: "d".into(),
                start: at,
                end: at + 10,
                sentence: String::new(),
                when: None,
            }],
            partners: Vec::new(),
            after: Vec::new(),
        }
    }

    fn story(events: Vec<Event>) -> Story {
        Story {
            documents: vec![Document {
                id: "d".into(),
                published: Some("2024-04-10".into()),
                ..Document::default()
            }],
            places: ["a", "b", "c", "d"]
                .iter()
                .map(|id| place(id, &id.to_uppercase()))
                .collect(),
            events,
            ..Story::default()
        }
    }

    fn order(story: &Story) -> Vec<(String, bool)> {
        super::waypoints(story, "flotilla")
            .into_iter()
            .map(|w| (w.name, w.planned))
            .collect()
    }

    #[test]
    fn cues_beat_telling_and_dates_beat_cues() {
        // told C, B; the report says B came before C
        let mut c = event("e1", Action::PortCall, "c", None, 0);
        c.after = vec!["e2".into()];
        let mut b = event("e2", Action::Transit, "b", None, 20);
        let s = story(vec![c.clone(), b.clone()]);
        assert_eq!(order(&s), [("B".into(), false), ("C".into(), false)]);
        // a date that contradicts the cue wins
        c.start = Some("2024-04-01".into());
        c.end = c.start.clone();
        b.start = Some("2024-04-05".into());
        b.end = b.start.clone();
        let s = story(vec![c, b]);
        assert_eq!(order(&s), [("C".into(), false), ("B".into(), false)]);
    }

    #[test]
    fn plans_come_last_unless_a_later_visit_fulfilled_them() {
        let a = event("e1", Action::Depart, "a", Some("2024-04-01"), 0);
        let mut plan_b = event("e2", Action::Arrive, "b", None, 20);
        plan_b.modality = Modality::Planned;
        let mut plan_d = event("e3", Action::Arrive, "d", None, 40);
        plan_d.modality = Modality::Planned;
        let b = event("e4", Action::Exercise, "b", Some("2024-04-03"), 60);
        let s = story(vec![a, plan_b, plan_d, b]);
        assert_eq!(
            order(&s),
            [("A".into(), false), ("B".into(), false), ("D".into(), true)]
        );
    }

    #[test]
    fn reports_order_visits_by_their_documents_among_many() {
        // undated visits told in two documents, each the other way round from the corpus order,
        // among documents that cite none of the actor's events
        let cite = |mut e: Event, doc: &str| {
            e.sources[0].doc = doc.into();
            e
        };
        let c = cite(event("e1", Action::PortCall, "c", None, 0), "late");
        let b = cite(event("e2", Action::Transit, "b", None, 50), "early");
        let mut plan_d = cite(event("e3", Action::Arrive, "d", None, 90), "early");
        plan_d.modality = Modality::Planned;
        let document = |id: &str, published: &str| Document {
            id: id.into(),
            published: Some(published.into()),
            ..Document::default()
        };
        let mut s = story(vec![c, b, plan_d]);
        s.documents = vec![
            document("other1", "2024-04-01"),
            document("early", "2024-04-02"),
            document("other2", "2024-04-03"),
            document("late", "2024-04-09"),
            document("other3", "2024-04-10"),
        ];
        let told = [("B".into(), false), ("C".into(), false), ("D".into(), true)];
        assert_eq!(order(&s), told);
        // the documents' places in the corpus count, not the events' order in the story
        s.events.reverse();
        assert_eq!(order(&s), told);
    }

    #[test]
    fn leaving_and_coming_back_are_two_visits() {
        let out = event("e1", Action::Depart, "a", Some("2024-04-01"), 0);
        let mid = event("e2", Action::Transit, "b", None, 20);
        let back = event("e3", Action::Arrive, "a", Some("2024-04-09"), 40);
        let s = story(vec![out, mid, back]);
        assert_eq!(
            order(&s),
            [
                ("A".into(), false),
                ("B".into(), false),
                ("A".into(), false)
            ]
        );
        // a story written by hand, with no actor entries, still gets its track
        assert_eq!(super::super::build_tracks(&s).len(), 1);
    }
}
