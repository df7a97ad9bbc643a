//! Events: one frame per reported happening — an *actor* (a ship or a group such as "Chinese flotilla")
//! did an *action* (depart, arrive, port call, transit, exercise, patrol, meeting) at a *place*, in a time
//! interval, as happened or as planned — with the sentence that says so.
//!
//! Frames are read sentence by sentence from the resolved mentions and time expressions; then the same
//! event told by several articles is merged into one that lists every source, and a date known in one
//! report fills the others.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate};
use regex::Regex;

use crate::geoparse::PreparedText;
use crate::story::{
    Action, Demonym, Event, Granularity, Mention, Modality, PlaceKind, Source, TimeExpr,
};

/// Nouns that make a group of ships an actor; the canonical noun keeps reports of one group together.
const GROUP_NOUNS: &[(&str, &str)] = &[
    ("flotilla", "flotilla"),
    ("naval flotilla", "flotilla"),
    ("task force", "flotilla"),
    ("task group", "flotilla"),
    ("naval task group", "flotilla"),
    ("carrier group", "flotilla"),
    ("strike group", "flotilla"),
    ("carrier strike group", "flotilla"),
    ("naval group", "flotilla"),
    ("fleet", "flotilla"),
    ("squadron", "flotilla"),
    ("naval vessels", "flotilla"),
    ("warships", "warships"),
    ("war ships", "warships"),
    ("navy ships", "warships"),
    ("naval ships", "warships"),
    ("ships", "warships"),
    ("vessels", "warships"),
    ("destroyers", "warships"),
    ("frigates", "warships"),
    ("corvettes", "warships"),
];

fn group_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let nouns: Vec<String> = GROUP_NOUNS
            .iter()
            .map(|(n, _)| n.replace(' ', r"\s+"))
            .collect();
        Regex::new(&format!(r"(?i)\b({})\b", nouns.join("|"))).expect("valid group pattern")
    })
}

/// Phrases that refer back to the last group named ("the same ships", "the flotilla").
fn coreference_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\bthe\s+(?:same\s+)?(?:\w+\s+)?(flotilla|fleet|vessels?|ships|warships|task (?:force|group)|group|corvettes|destroyers|frigates)\b")
            .expect("valid pattern")
    })
}

/// Verb phrases, and the action they report.
const ACTION_CUES: &[(&str, Action)] = &[
    ("set out", Action::Depart),
    ("set off", Action::Depart),
    ("set sail", Action::Depart),
    ("left", Action::Depart),
    ("departed", Action::Depart),
    ("departing", Action::Depart),
    ("sailed from", Action::Depart),
    ("making port", Action::PortCall),
    ("made port", Action::PortCall),
    ("calling at", Action::PortCall),
    ("called at", Action::PortCall),
    ("port call", Action::PortCall),
    ("docked", Action::PortCall),
    ("arrived", Action::Arrive),
    ("reached", Action::Arrive),
    ("sailed past", Action::Transit),
    ("passed", Action::Transit),
    ("transited", Action::Transit),
    ("sailed through", Action::Transit),
    ("patrol", Action::Patrol),
    ("exercise", Action::Exercise),
    ("drill", Action::Exercise),
    ("maneuvers", Action::Exercise),
    ("manoeuvres", Action::Exercise),
    ("training", Action::Exercise),
    ("rendezvous", Action::Meeting),
    ("join", Action::Meeting),
    ("meet", Action::Meeting),
];

/// Words just before a place that say what the actor did there.
fn place_role(before: &str, sentence_action: Action) -> Action {
    let words: Vec<&str> = before.split_whitespace().rev().take(6).collect();
    for w in &words {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        match w.as_str() {
            "from" | "left" | "departed" | "leaving" => return Action::Depart,
            "past" | "passed" | "through" | "transited" | "via" => return Action::Transit,
            "at" | "in" | "into" | "over" | "near" | "off" | "to" | "for" | "towards"
            | "toward" => {
                return match sentence_action {
                    Action::Depart
                        if matches!(w.as_str(), "to" | "for" | "towards" | "toward" | "in") =>
                    {
                        Action::Arrive
                    }
                    Action::Depart => Action::Other,
                    a => a,
                };
            }
            _ => {}
        }
    }
    sentence_action
}

/// Extract the event frames of one document.
pub fn extract_events(
    prepared: &PreparedText,
    mentions: &[Mention],
    demonyms: &[Demonym],
    times: &[TimeExpr],
) -> Vec<Event> {
    let text = prepared.text;
    let mut events = Vec::new();
    let mut last_actor: Option<String> = None;
    for range in &prepared.sentences {
        let sentence = &text[range.clone()];
        let (s_start, s_end) = (
            prepared.offsets.char_at(range.start),
            prepared.offsets.char_at(range.end),
        );
        let actor = find_actor(prepared, range.start, sentence, demonyms).or_else(|| {
            coreference_pattern()
                .is_match(sentence)
                .then(|| last_actor.clone())
                .flatten()
        });
        let Some(actor) = actor else { continue };
        last_actor = Some(actor.clone());
        let lower = sentence.to_lowercase();
        let Some(action) = ACTION_CUES
            .iter()
            .filter_map(|(cue, a)| lower.find(cue).map(|p| (p, *a)))
            .min_by_key(|(p, _)| *p)
            .map(|(_, a)| a)
        else {
            continue;
        };
        let planned = is_planned(&lower);
        let when = times.iter().find(|t| {
            t.start >= s_start
                && t.end <= s_end
                && t.value.is_some()
                && t.granularity != Some(Granularity::Year)
        });
        let (start, end) = when
            .and_then(|t| interval(t.value.as_deref()?))
            .map_or((None, None), |(a, b)| (Some(a), Some(b)));
        for m in mentions.iter().filter(|m| {
            m.start >= s_start && m.end <= s_end && m.place.is_some() && m.role.is_none()
        }) {
            let kind = m.candidates.first().map(|c| c.kind);
            let byte_start = byte_at(text, m.start);
            let role = place_role(&text[range.start..byte_start], action);
            // A country is a waypoint only when ships pass it ("sailed past Taiwan and Japan").
            if kind == Some(PlaceKind::Country) && role != Action::Transit {
                continue;
            }
            let modality = if planned || (role == Action::Arrive && action == Action::Depart) {
                Modality::Planned
            } else {
                Modality::Happened
            };
            events.push(Event {
                id: String::new(),
                actor: actor.clone(),
                action: role,
                places: vec![m.place.clone().unwrap()],
                start: if role == Action::Arrive && action == Action::Depart {
                    None
                } else {
                    start.clone()
                },
                end: if role == Action::Arrive && action == Action::Depart {
                    None
                } else {
                    end.clone()
                },
                when: when.and_then(|t| t.value.clone()),
                modality,
                sources: vec![Source {
                    doc: prepared.doc.to_string(),
                    start: s_start,
                    end: s_end,
                    sentence: sentence.to_string(),
                }],
            });
        }
    }
    events
}

fn byte_at(text: &str, char_offset: usize) -> usize {
    text.char_indices()
        .nth(char_offset)
        .map_or(text.len(), |(i, _)| i)
}

/// An actor named in the sentence: a national adjective before a group noun ("a Chinese naval flotilla").
fn find_actor(
    prepared: &PreparedText,
    sentence_start: usize,
    sentence: &str,
    demonyms: &[Demonym],
) -> Option<String> {
    let m = group_pattern().find(sentence)?;
    let noun_start = prepared.offsets.char_at(sentence_start + m.start());
    let demonym = demonyms
        .iter()
        .filter(|d| d.end <= noun_start && noun_start - d.end <= 8)
        .max_by_key(|d| d.end)?;
    let noun = m
        .as_str()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let canonical = GROUP_NOUNS
        .iter()
        .find(|(n, _)| noun == *n)
        .map_or("warships", |(_, c)| c);
    Some(format!("{} {canonical}", capitalise(&demonym.text)))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

fn is_planned(lower: &str) -> bool {
    [
        " will ",
        " to join",
        " is due to",
        " are due to",
        " plans to",
        " planned",
        " scheduled",
        " upcoming",
        " would ",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// First and last day of a TIMEX3 value.
pub fn interval(value: &str) -> Option<(String, String)> {
    let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    if let Some(d) = crate::time::parse_date(value) {
        return Some((fmt(d), fmt(d)));
    }
    if let Some((y, w)) = value.split_once("-W") {
        let monday =
            NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, chrono::Weekday::Mon)?;
        return Some((fmt(monday), fmt(monday + Duration::days(6))));
    }
    if let Some((y, m)) = value.split_once('-') {
        let first = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
        let next = if first.month() == 12 {
            NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
        };
        return Some((fmt(first), fmt(next - Duration::days(1))));
    }
    let y: i32 = value.parse().ok()?;
    Some((format!("{y}-01-01"), format!("{y}-12-31")))
}

/// Merge the same event told by several reports: same actor, action, place and modality.
/// The merged event keeps every source and the most precise dates any report gave.
pub fn merge_events(events: Vec<Event>) -> Vec<Event> {
    let mut merged: Vec<Event> = Vec::new();
    let mut index: BTreeMap<(String, Action, String, bool), usize> = BTreeMap::new();
    for e in events {
        let key = (
            e.actor.clone(),
            e.action,
            e.places.join("|"),
            e.modality == Modality::Planned,
        );
        match index.get(&key) {
            Some(&i) => {
                let target = &mut merged[i];
                if precision(&e) > precision(target) {
                    target.start = e.start.clone();
                    target.end = e.end.clone();
                    target.when = e.when.clone();
                }
                for s in e.sources {
                    if !target.sources.contains(&s) {
                        target.sources.push(s);
                    }
                }
            }
            None => {
                index.insert(key, merged.len());
                merged.push(e);
            }
        }
    }
    for (i, e) in merged.iter_mut().enumerate() {
        e.id = format!("e{}", i + 1);
    }
    merged
}

/// How narrow an event's interval is: a day beats a month beats nothing.
fn precision(e: &Event) -> i64 {
    match (
        e.start.as_deref().and_then(crate::time::parse_date),
        e.end.as_deref().and_then(crate::time::parse_date),
    ) {
        (Some(a), Some(b)) => 10_000 - (b - a).num_days(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::test_data;
    use crate::geoparse::geoparse;

    fn events_of(text: &str, anchor: &str) -> Vec<Event> {
        let g = test_data::small();
        let prepared = PreparedText::new("d1", text);
        let (mentions, demonyms) = geoparse(&g, &prepared);
        let times = crate::time::find_time_expressions(&prepared, crate::time::parse_date(anchor));
        merge_events(extract_events(&prepared, &mentions, &demonyms, &times))
    }

    #[test]
    fn departure_with_date_and_planned_destination() {
        let got = events_of("A Chinese naval flotilla left the port city of Qingdao on Sunday and will sail to the Sea of Japan.", "2023-07-20");
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(got[0].actor, "Chinese flotilla");
        assert_eq!(got[0].action, Action::Depart);
        assert_eq!(got[0].places, ["gn:1797929"]);
        assert_eq!(got[0].start.as_deref(), Some("2023-07-16"));
        assert_eq!(got[1].places, ["marine:sea_of_japan"]);
        assert_eq!(got[1].modality, Modality::Planned);
    }

    #[test]
    fn coreference_carries_the_actor() {
        let got = events_of("Two Russian warships trained in Shanghai. Before that, the same ships had passed Taiwan and Japan.", "2023-07-20");
        let transit: Vec<_> = got
            .iter()
            .filter(|e| e.action == Action::Transit)
            .map(|e| e.places[0].as_str())
            .collect();
        assert_eq!(transit, ["country:TW", "country:JP"]);
        assert!(got.iter().all(|e| e.actor == "Russian warships"));
    }

    #[test]
    fn intervals_of_coarse_values() {
        assert_eq!(
            interval("2023-07").unwrap(),
            ("2023-07-01".into(), "2023-07-31".into())
        );
        assert_eq!(
            interval("2023-W29").unwrap(),
            ("2023-07-17".into(), "2023-07-23".into())
        );
        assert_eq!(
            interval("2023-07-16").unwrap(),
            ("2023-07-16".into(), "2023-07-16".into())
        );
    }
}
