//! *Filters*: a selection of the story — by date, actor, place, place kind, country, box, source
//! document or mention confidence — applied once, before any format is written, so that every file
//! shows the same selection.
//!
//! Each criterion applies to what carries it, and what depends on a removed item goes with it:
//! - mentions: source document, confidence, and the place they resolve to (name or id, kind, country,
//!   box);
//! - events: actor, dates (the event's interval overlaps the range), source documents (an event keeps
//!   the reports from kept documents, and goes with none left), its main place, and confidence (some
//!   kept mention of its main place in one of its sentences reaches the minimum);
//! - tracks: actor; each waypoint by dates, place and box, and while one of its events remains; a leg
//!   stays while both its ends do, and a track while one leg does;
//! - places stay while a kept mention or event refers to them, with their mention counts recounted.
//!   When actors or dates are selected, only the mentions in the sentences of the kept events count,
//!   so the places are those of the selected happenings.
//!
//! Several values of one criterion (`--actor A --actor B`) mean any of them; different criteria must
//! all hold.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::story::{Event, Mention, Place, PlaceKind, Story, Track, Waypoint};

/// What to keep. Empty means everything.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Filters (one selection for every file written)")]
pub struct Filter {
    /// Keep events and track waypoints whose dates reach this day or later; a coarse date (2023-07,
    /// 2023, 2023-W29) means its first day. Undated ones go.
    #[arg(long, value_name = "DATE", value_parser = first_day)]
    pub from: Option<String>,

    /// Keep events and track waypoints whose dates begin on or before this day; a coarse date means
    /// its last day. Undated ones go.
    #[arg(long, value_name = "DATE", value_parser = last_day)]
    pub to: Option<String>,

    /// Keep events and tracks of actors whose name contains this text, in any case. Repeatable.
    #[arg(long, value_name = "TEXT")]
    pub actor: Vec<String>,

    /// Keep what is at this place, by name (any case) or id (gn:1791249). Repeatable.
    #[arg(long, value_name = "NAME|ID")]
    pub place: Vec<String>,

    /// Keep what is at places of this kind (city, port, sea, strait, country…). Repeatable.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Vec<PlaceKind>,

    /// Keep what is at places in this country, by ISO 3166 code (CN). Repeatable.
    #[arg(long, value_name = "CODE")]
    pub country: Vec<String>,

    /// Keep what lies in this box of degrees: west,south,east,north (west > east crosses 180°).
    #[arg(long, value_name = "W,S,E,N", value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<[f64; 4]>,

    /// Keep what comes from these documents: an id, or a glob with * and ? (`00*`). Repeatable.
    #[arg(long, value_name = "ID|GLOB")]
    pub source: Vec<String>,

    /// Keep place mentions resolved with at least this confidence (0 to 1).
    #[arg(long, value_name = "SCORE")]
    pub min_confidence: Option<f64>,
}

fn first_day(s: &str) -> Result<String, String> {
    crate::events::interval(s)
        .map(|(first, _)| first)
        .ok_or_else(|| bad_date(s))
}

fn last_day(s: &str) -> Result<String, String> {
    crate::events::interval(s)
        .map(|(_, last)| last)
        .ok_or_else(|| bad_date(s))
}

fn bad_date(s: &str) -> String {
    format!("{s:?} is not a date: use YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www")
}

fn parse_kind(s: &str) -> Result<PlaceKind, String> {
    PlaceKind::parse(&s.to_lowercase()).ok_or_else(|| {
        let kinds: Vec<&str> = PlaceKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("{s:?} is not a place kind; one of: {}", kinds.join(", "))
    })
}

fn parse_bbox(s: &str) -> Result<[f64; 4], String> {
    let numbers: Vec<f64> = s
        .split(',')
        .map(|n| n.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("{s:?}: expected four numbers west,south,east,north"))?;
    let [w, s_, e, n] = numbers[..] else {
        return Err(format!(
            "{s:?}: expected four numbers west,south,east,north"
        ));
    };
    if ![w, e].iter().all(|x| (-180.0..=180.0).contains(x))
        || ![s_, n].iter().all(|y| (-90.0..=90.0).contains(y))
        || s_ > n
    {
        return Err(format!(
            "{s:?}: longitudes must lie in -180..180, latitudes in -90..90, south before north"
        ));
    }
    Ok([w, s_, e, n])
}

impl Filter {
    pub fn is_active(&self) -> bool {
        !self.each().is_empty()
    }

    fn selects_places(&self) -> bool {
        !self.place.is_empty()
            || !self.kind.is_empty()
            || !self.country.is_empty()
            || self.bbox.is_some()
    }

    /// Actors and dates are known of events, not of mentions.
    fn selects_happenings(&self) -> bool {
        !self.actor.is_empty() || self.from.is_some() || self.to.is_some()
    }

    /// Each criterion on its own, with how it was asked for.
    fn each(&self) -> Vec<(String, Filter)> {
        let mut out = Vec::new();
        let none = Filter::default;
        if let Some(d) = &self.from {
            out.push((
                format!("--from {d}"),
                Filter {
                    from: Some(d.clone()),
                    ..none()
                },
            ));
        }
        if let Some(d) = &self.to {
            out.push((
                format!("--to {d}"),
                Filter {
                    to: Some(d.clone()),
                    ..none()
                },
            ));
        }
        if !self.actor.is_empty() {
            let actor = self.actor.clone();
            out.push((
                format!("--actor {}", quoted(&actor)),
                Filter { actor, ..none() },
            ));
        }
        if !self.place.is_empty() {
            let place = self.place.clone();
            out.push((
                format!("--place {}", quoted(&place)),
                Filter { place, ..none() },
            ));
        }
        if !self.country.is_empty() {
            let country = self.country.clone();
            out.push((
                format!("--country {}", quoted(&country)),
                Filter { country, ..none() },
            ));
        }
        if !self.source.is_empty() {
            let source = self.source.clone();
            out.push((
                format!("--source {}", quoted(&source)),
                Filter { source, ..none() },
            ));
        }
        if !self.kind.is_empty() {
            let kinds: Vec<String> = self.kind.iter().map(|k| k.as_str().to_string()).collect();
            out.push((
                format!("--kind {}", kinds.join(",")),
                Filter {
                    kind: self.kind.clone(),
                    ..none()
                },
            ));
        }
        if let Some(b) = self.bbox {
            let text = b.map(|x| x.to_string()).join(",");
            out.push((
                format!("--bbox {text}"),
                Filter {
                    bbox: Some(b),
                    ..none()
                },
            ));
        }
        if let Some(c) = self.min_confidence {
            out.push((
                format!("--min-confidence {c}"),
                Filter {
                    min_confidence: Some(c),
                    ..none()
                },
            ));
        }
        out
    }
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Features per layer: places, events, track legs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub places: usize,
    pub events: usize,
    pub legs: usize,
}

impl Counts {
    pub fn of(story: &Story) -> Counts {
        Counts {
            places: story.places.len(),
            events: story.events.len(),
            legs: story.tracks.iter().map(|t| t.legs.len()).sum(),
        }
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} places, {} events, {} track legs",
            self.places, self.events, self.legs
        )
    }
}

/// What a filter kept: all criteria together, and each on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterReport {
    pub before: Counts,
    pub after: Counts,
    pub each: Vec<(String, Counts)>,
}

impl fmt::Display for FilterReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "filters kept {} of {} places, {} of {} events, {} of {} track legs",
            self.after.places,
            self.before.places,
            self.after.events,
            self.before.events,
            self.after.legs,
            self.before.legs
        )?;
        for (label, counts) in &self.each {
            write!(f, "; {label} alone: {counts}")?;
        }
        Ok(())
    }
}

/// The selected story, and what each criterion kept.
pub fn apply(story: &Story, filter: &Filter) -> (Story, FilterReport) {
    let each = filter
        .each()
        .into_iter()
        .map(|(label, one)| (label, Counts::of(&select(story, &one))))
        .collect();
    let selected = select(story, filter);
    let report = FilterReport {
        before: Counts::of(story),
        after: Counts::of(&selected),
        each,
    };
    (selected, report)
}

/// `*` any run of characters, `?` any one; anything else must match exactly.
fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            resume = Some((pi, ti));
            pi += 1;
        } else if let Some((star, matched)) = resume {
            pi = star + 1;
            ti = matched + 1;
            resume = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn in_bbox(lon: f64, lat: f64, [w, s, e, n]: [f64; 4]) -> bool {
    let lon_ok = if w <= e {
        (w..=e).contains(&lon)
    } else {
        lon >= w || lon <= e
    };
    lon_ok && (s..=n).contains(&lat)
}

/// Do an item's dates overlap the range? Undated items do not, once a range is asked for.
fn overlaps(start: Option<&str>, end: Option<&str>, f: &Filter) -> bool {
    if f.from.is_none() && f.to.is_none() {
        return true;
    }
    let (Some(first), Some(last)) = (start.or(end), end.or(start)) else {
        return false;
    };
    f.from.as_deref().is_none_or(|from| last >= from)
        && f.to.as_deref().is_none_or(|to| first <= to)
}

struct Selector<'a> {
    filter: &'a Filter,
    places: HashMap<&'a str, &'a Place>,
}

impl<'a> Selector<'a> {
    fn document(&self, id: &str) -> bool {
        self.filter.source.is_empty() || self.filter.source.iter().any(|p| glob_match(p, id))
    }

    fn actor(&self, actor: &str) -> bool {
        let actor = actor.to_lowercase();
        self.filter.actor.is_empty()
            || self
                .filter
                .actor
                .iter()
                .any(|a| actor.contains(&a.to_lowercase()))
    }

    /// The place criteria; `at` is where the item is drawn (a waypoint at sea may stand apart from
    /// the centre of its sea).
    fn place(&self, id: &str, name: &str, at: Option<[f64; 2]>) -> bool {
        let f = self.filter;
        let place = self.places.get(id);
        let by_name = f.place.is_empty()
            || f.place
                .iter()
                .any(|p| p == id || p.to_lowercase() == name.to_lowercase());
        let by_kind = f.kind.is_empty() || place.is_some_and(|p| f.kind.contains(&p.kind));
        let by_country = f.country.is_empty()
            || place
                .and_then(|p| p.country.as_deref())
                .is_some_and(|c| f.country.iter().any(|x| x.eq_ignore_ascii_case(c)));
        let position = at.or_else(|| place.map(|p| [p.lon, p.lat]));
        let by_box = f
            .bbox
            .is_none_or(|b| position.is_some_and(|[lon, lat]| in_bbox(lon, lat, b)));
        by_name && by_kind && by_country && by_box
    }

    fn place_id(&self, id: &str) -> bool {
        let name = self.places.get(id).map_or("", |p| p.name.as_str());
        self.place(id, name, None)
    }

    fn mention(&self, m: &Mention) -> bool {
        self.document(&m.doc)
            && self.filter.min_confidence.is_none_or(|c| m.confidence >= c)
            && (!self.filter.selects_places()
                || m.place.as_deref().is_some_and(|p| self.place_id(p)))
    }
}

/// Mentions by document, for finding those inside a sentence.
fn mentions_by_doc<'a>(mentions: &[&'a Mention]) -> HashMap<&'a str, Vec<&'a Mention>> {
    let mut by_doc: HashMap<&str, Vec<&Mention>> = HashMap::new();
    for m in mentions {
        by_doc.entry(&*m.doc).or_default().push(m);
    }
    by_doc
}

fn select(story: &Story, filter: &Filter) -> Story {
    if !filter.is_active() {
        return story.clone();
    }
    let s = Selector {
        filter,
        places: story.places.iter().map(|p| (p.id.as_str(), p)).collect(),
    };
    let mut mentions: Vec<&Mention> = story.mentions.iter().filter(|m| s.mention(m)).collect();
    let by_doc = mentions_by_doc(&mentions);

    let events: Vec<Event> = story
        .events
        .iter()
        .filter_map(|e| select_event(&s, e, &by_doc))
        .collect();
    if filter.selects_happenings() {
        let mut spans: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for src in events.iter().flat_map(|e| &e.sources) {
            spans
                .entry(src.doc.as_str())
                .or_default()
                .push((src.start, src.end));
        }
        mentions.retain(|m| {
            spans
                .get(&*m.doc)
                .is_some_and(|list| list.iter().any(|&(a, b)| m.start >= a && m.end <= b))
        });
    }

    let mut counts: HashMap<&str, usize> = HashMap::new();
    for m in &mentions {
        if let Some(p) = m.place.as_deref() {
            *counts.entry(p).or_default() += 1;
        }
    }
    let event_places: HashSet<&str> = events.iter().filter_map(|e| e.place()).collect();
    let places = story
        .places
        .iter()
        .filter(|p| counts.contains_key(p.id.as_str()) || event_places.contains(p.id.as_str()))
        .map(|p| Place {
            mentions: counts.get(p.id.as_str()).copied().unwrap_or(0),
            ..p.clone()
        })
        .collect();

    let all_events: HashSet<&str> = story.events.iter().map(|e| e.id.as_str()).collect();
    let kept_events: HashSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let tracks = story
        .tracks
        .iter()
        .filter(|t| s.actor(&t.actor))
        .filter_map(|t| select_track(&s, t, &all_events, &kept_events))
        .collect();

    Story {
        generator: story.generator.clone(),
        actors: story
            .actors
            .iter()
            .filter(|a| s.actor(&a.name))
            .cloned()
            .collect(),
        documents: story
            .documents
            .iter()
            .filter(|d| s.document(&d.id))
            .cloned()
            .collect(),
        places,
        mentions: mentions.into_iter().cloned().collect(),
        demonyms: story
            .demonyms
            .iter()
            .filter(|d| s.document(&d.doc))
            .cloned()
            .collect(),
        times: story
            .times
            .iter()
            .filter(|t| s.document(&t.doc))
            .cloned()
            .collect(),
        events,
        tracks,
        // a selection is not the reduce of its documents: it cannot be merged
        readings: Vec::new(),
    }
}

fn select_event(s: &Selector, e: &Event, mentions: &HashMap<&str, Vec<&Mention>>) -> Option<Event> {
    let place = e.place()?;
    if !s.actor(&e.actor)
        || !overlaps(e.start.as_deref(), e.end.as_deref(), s.filter)
        || !s.place_id(place)
    {
        return None;
    }
    let sources: Vec<_> = e
        .sources
        .iter()
        .filter(|src| s.document(&src.doc))
        .cloned()
        .collect();
    if sources.is_empty() && !s.filter.source.is_empty() {
        return None;
    }
    if let Some(min) = s.filter.min_confidence {
        let confident = sources.iter().any(|src| {
            mentions.get(src.doc.as_str()).is_some_and(|list| {
                list.iter().any(|m| {
                    m.place.as_deref() == Some(place)
                        && m.start >= src.start
                        && m.end <= src.end
                        && m.confidence >= min
                })
            })
        });
        if !confident {
            return None;
        }
    }
    Some(Event {
        sources,
        ..e.clone()
    })
}

fn select_track(
    s: &Selector,
    track: &Track,
    all_events: &HashSet<&str>,
    kept_events: &HashSet<&str>,
) -> Option<Track> {
    let keep_waypoint = |w: &Waypoint| {
        let known: Vec<&String> = w
            .events
            .iter()
            .filter(|e| all_events.contains(e.as_str()))
            .collect();
        overlaps(w.start.as_deref(), w.end.as_deref(), s.filter)
            && s.place(&w.place, &w.name, Some([w.lon, w.lat]))
            && (known.is_empty() || known.iter().any(|e| kept_events.contains(e.as_str())))
    };
    let mut new_index: Vec<Option<usize>> = Vec::with_capacity(track.waypoints.len());
    let mut waypoints = Vec::new();
    for w in &track.waypoints {
        if keep_waypoint(w) {
            new_index.push(Some(waypoints.len()));
            waypoints.push(Waypoint {
                events: w
                    .events
                    .iter()
                    .filter(|e| {
                        !all_events.contains(e.as_str()) || kept_events.contains(e.as_str())
                    })
                    .cloned()
                    .collect(),
                ..w.clone()
            });
        } else {
            new_index.push(None);
        }
    }
    let at = |i: usize| new_index.get(i).copied().flatten();
    let legs: Vec<_> = track
        .legs
        .iter()
        .filter_map(|leg| {
            let (from, to) = (at(leg.from)?, at(leg.to)?);
            Some(crate::story::Leg {
                from,
                to,
                ..leg.clone()
            })
        })
        .collect();
    (!legs.is_empty()).then(|| Track {
        waypoints,
        legs,
        ..track.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_ids() {
        assert!(glob_match("00*", "001_8948d3fc297199cd"));
        assert!(glob_match("*cd", "001_8948d3fc297199cd"));
        assert!(glob_match("0?1_*", "001_x"));
        assert!(glob_match("a*b*c", "a-b-x-c"));
        assert!(!glob_match("00*", "100"));
        assert!(!glob_match("abc", "abcd"));
        assert!(glob_match("abc", "abc"));
    }

    #[test]
    fn box_across_the_antimeridian_wraps() {
        let b = [170.0, 40.0, -160.0, 60.0];
        assert!(in_bbox(175.0, 50.0, b));
        assert!(in_bbox(-170.0, 50.0, b));
        assert!(!in_bbox(0.0, 50.0, b));
        assert!(!in_bbox(175.0, 30.0, b));
    }

    #[test]
    fn flag_values_are_checked() {
        assert_eq!(first_day("2023-07").unwrap(), "2023-07-01");
        assert_eq!(last_day("2023-07").unwrap(), "2023-07-31");
        assert_eq!(last_day("2023-W29").unwrap(), "2023-07-23");
        assert!(first_day("July").is_err());
        assert_eq!(
            parse_bbox("-10,35,30,60").unwrap(),
            [-10.0, 35.0, 30.0, 60.0]
        );
        assert!(parse_bbox("35,-10,60").is_err());
        assert!(parse_bbox("0,60,10,35").is_err());
        assert_eq!(parse_kind("Sea").unwrap(), PlaceKind::Sea);
        assert!(parse_kind("lake").is_err());
    }
}
