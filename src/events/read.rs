//! Reading one article into *frames*: one per reported happening, with the article's own actors
//! (coreference resolved inside the article), the places the happening is tied to, the time expressions
//! that date it, its tense and modality, and the cues that order it against the article's other frames.
//!
//! The reading is shallow and rule-based, sentence by sentence over words: cue words find the
//! happenings, prepositions tie places to them, and a few clause marks (commas, "that", "before")
//! keep the parts of a sentence apart. Each sentence costs time linear in its length.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::lexicon::{self, class, Aspect, Cue, Entry, Glance, Locative};
use super::vessels::vessels;
use crate::gazetteer::fold;
use crate::geoparse::PreparedText;
use crate::story::{
    Action, ActorKind, Demonym, Granularity, Mention, Modality, PlaceKind, Source, TimeExpr,
};

/// One article read: its actors and frames.
#[derive(Debug, Clone, PartialEq)]
pub struct DocReading {
    pub doc: String,
    pub published: Option<NaiveDate>,
    pub actors: Vec<DocActor>,
    pub frames: Vec<Frame>,
}

/// An actor as one article knows it; the corpus step joins the same actor across articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocActor {
    pub kind: ActorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Named ships that make up the actor ("Gromkiy", "Sovershenny"), by their display names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vessels: Vec<String>,
    /// Named ships said to belong to an unnamed group ("five warships, including the Qiqihar").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// How the article wrote it, in order ("a Chinese naval flotilla", "the flotilla").
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceRef {
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub lat: f64,
    pub lon: f64,
}

/// A time expression tied to a frame. `value` is null while the article has no date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dating {
    pub value: Option<String>,
    pub granularity: Option<Granularity>,
    pub aspect: Aspect,
    /// Dated the statement ("said on Sunday that ..."): the happening was on or before it.
    pub reported: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tense {
    Past,
    Pluperfect,
    Present,
    Participle,
    Future,
    Unmarked,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// Index into the reading's actors.
    pub actor: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<usize>,
    pub action: Action,
    pub places: Vec<PlaceRef>,
    pub datings: Vec<Dating>,
    pub modality: Modality,
    pub tense: Tense,
    /// An earlier frame of this article that a definite "the exercises" refers back to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<usize>,
    /// Code-point offset of the happening in the text, for telling order.
    pub at: usize,
    pub source: Source,
    /// Frames of this article told as coming before this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<usize>,
}

/// Read the frames of one article.
pub fn read_document(
    prepared: &PreparedText,
    mentions: &[Mention],
    demonyms: &[Demonym],
    times: &[TimeExpr],
    published: Option<NaiveDate>,
) -> DocReading {
    read_sentences(
        prepared,
        mentions,
        demonyms,
        times,
        published,
        &mut may_change_reading,
    )
}

/// Which sentences to read, from a glance at each, its mentions and demonyms, and the reading so far.
/// Only sentences worth reading ([`Glance::worth`]) are offered.
type Choice<'c> = dyn FnMut(&Glance, &[Mention], &[Demonym], &DocReading, &DocState) -> bool + 'c;

/// [`read_document`], reading the sentences `to_read` picks.
fn read_sentences(
    prepared: &PreparedText,
    mentions: &[Mention],
    demonyms: &[Demonym],
    times: &[TimeExpr],
    published: Option<NaiveDate>,
    to_read: &mut Choice,
) -> DocReading {
    let mut reading = DocReading {
        doc: prepared.doc.to_string(),
        published,
        actors: Vec::new(),
        frames: Vec::new(),
    };
    let mut state = DocState::default();
    // the stages give their finds in text order; keep the reading linear even if one did not
    let mentions = in_text_order(mentions, |x| x.start);
    let demonyms = in_text_order(demonyms, |x| x.start);
    let times = in_text_order(times, |x| x.start);
    let (mut m, mut d, mut t) = (0, 0, 0);
    // the lower-case forms of a sentence's words that are not lower case in the text
    let mut lowered = String::new();
    let glances = lexicon::glances(prepared.text, &prepared.sentences);
    // the sentence whose finds were passed last
    let mut passed_to = None;
    for (k, (range, glance)) in prepared.sentences.iter().zip(&glances).enumerate() {
        state.sentence += 1;
        // most sentences hold no word worth reading, and none such is read: its finds are
        // passed over only when a sentence after it is read
        if !glance.worth {
            continue;
        }
        if k > 0 && passed_to != Some(k - 1) {
            let end = prepared.offsets.char_at(prepared.sentences[k - 1].end);
            pass(&mentions, &mut m, |x| x.start, end);
            pass(&demonyms, &mut d, |x| x.start, end);
            pass(&times, &mut t, |x| x.start, end);
        }
        passed_to = Some(k);
        let (c0, c1) = (
            prepared.offsets.char_at(range.start),
            prepared.offsets.char_at(range.end),
        );
        let ms = pass(&mentions, &mut m, |x| x.start, c1);
        let ds = pass(&demonyms, &mut d, |x| x.start, c1);
        let ts = pass(&times, &mut t, |x| x.start, c1);
        if !to_read(
            glance,
            &mentions[ms.clone()],
            &demonyms[ds.clone()],
            &reading,
            &state,
        ) {
            continue;
        }
        lowered.clear();
        let sentence = Sentence::new(
            prepared.text,
            range.clone(),
            &mut lowered,
            (c0, c1),
            &mentions[ms],
            &demonyms[ds],
            &times[ts],
        );
        sentence.read(&mut reading, &mut state);
    }
    reading
}

/// Whether reading a sentence may change the article's reading, from a glance at its words and
/// what the reading holds so far. A sentence with no word worth reading is never read. One whose
/// words may name an actor is. Otherwise an actor can come only from elsewhere: a ship, group or
/// force noun needs a nationality (a demonym, or a country's possessive) or a recent actor to
/// refer to; "they" needs a recent actor; "the drills" an earlier frame to refer back to; and a
/// joint happening may have countries as its parties. With none of them at hand the sentence
/// makes no frame and no actor, and reading it would change nothing.
fn may_change_reading(
    glance: &Glance,
    mentions: &[Mention],
    demonyms: &[Demonym],
    reading: &DocReading,
    state: &DocState,
) -> bool {
    let recent_actor = !state.recent.is_empty();
    let country = || {
        mentions.iter().any(|m| {
            m.candidates
                .first()
                .is_some_and(|c| c.kind == PlaceKind::Country)
        })
    };
    glance.worth
        && (glance.names
            || glance.collective && (recent_actor || !demonyms.is_empty() || country())
            || glance.pronoun && recent_actor
            || !reading.frames.is_empty()
            || glance.joint && country())
}

/// The finds from `from` on that start before `end`, passing `from` over them: the finds up to a
/// sentence's end (from the end of the one before) are its own.
fn pass<T>(finds: &[T], from: &mut usize, start: impl Fn(&T) -> usize, end: usize) -> Range<usize> {
    let begin = *from;
    *from += finds[begin..].iter().take_while(|x| start(x) < end).count();
    begin..*from
}

fn in_text_order<T: Clone>(items: &[T], start: impl Fn(&T) -> usize) -> Cow<'_, [T]> {
    if items.is_sorted_by_key(&start) {
        Cow::Borrowed(items)
    } else {
        let mut sorted = items.to_vec();
        sorted.sort_by_key(start);
        Cow::Owned(sorted)
    }
}

/// What an article's reading carries from sentence to sentence.
#[derive(Default)]
struct DocState {
    /// Actors by most recent mention last.
    recent: Vec<usize>,
    /// The sentence being read, and the sentence each actor was last named in.
    sentence: usize,
    last_seen: Vec<usize>,
    /// Frames of the previous sentence that had any, for "then" and "had passed" across sentences.
    previous_frames: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Tok<'a> {
    start: usize,
    end: usize,
    cstart: usize,
    cend: usize,
    lower: &'a str,
    word: bool,
    cap: bool,
    glued: bool,
    /// The lexicon classes of the word (`lexicon::class`).
    class: u32,
    /// The cues the word starts.
    cues: &'static [(Vec<&'static str>, Cue)],
}

#[derive(Debug, Clone)]
struct PlaceSpan {
    first: usize,
    last: usize,
    mention: usize,
}

#[derive(Debug, Clone)]
struct ShipSpan {
    first: usize,
    last: usize,
    name: String,
    country: Option<String>,
    /// The class word before the name ("destroyer"), which belongs to the ship, not to a group.
    class_word: Option<usize>,
}

/// The words of a sentence that belong to statements about the happening rather than to it.
struct Zones {
    /// The statement's words: "X said on Sunday that", "On Saturday, the ministry said", "according
    /// to ...": a time there dates the statement.
    statement: Vec<bool>,
    /// Who speaks: an actor named there ("the Pacific Fleet said") is not the one acting.
    speaker: Vec<bool>,
}

/// Where a frame stands among its sentence's frames by the preposition that made it: "from X" first,
/// "bound for Y" last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sequence {
    First,
    Middle,
    Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Subject,
    Partner,
    Reporter,
}

#[derive(Debug, Clone)]
struct ActorMention {
    first: usize,
    last: usize,
    actors: Vec<usize>,
    role: Role,
}

#[derive(Debug, Clone)]
struct Trigger {
    /// The verb (or the noun, when there is no verb): where tense and modality are read.
    head: usize,
    first: usize,
    last: usize,
    action: Action,
    aspect: Aspect,
    motion: Option<Action>,
    actor_after: bool,
    /// A noun with no verb of its own ("the drills", "joint patrols").
    noun_only: bool,
    /// The event noun's token, when there is one.
    noun: Option<usize>,
    /// The event noun is definite ("the exercises", "these drills"): it can refer back.
    definite: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Direct,
    Loc(Locative),
}

#[derive(Debug, Clone)]
struct Attachment {
    trigger: usize,
    link: Link,
    /// "en route to", "on the way to", "bound for": where the actor is going, not yet where it is.
    destination: bool,
}

struct Sentence<'a> {
    text: &'a str,
    range: Range<usize>,
    chars: (usize, usize),
    toks: Vec<Tok<'a>>,
    mentions: &'a [Mention],
    demonyms: &'a [Demonym],
    times: &'a [TimeExpr],
    places: Vec<PlaceSpan>,
    /// Token ranges of the time expressions, parallel to `times`.
    time_spans: Vec<Option<(usize, usize)>>,
    demonym_at: Vec<Option<usize>>,
    place_at: Vec<Option<usize>>,
    time_at: Vec<Option<usize>>,
}

/// A word folded as the gazetteer and the vessel table fold names; plain ASCII words need no work.
fn folded<'t>(t: &Tok<'t>) -> Cow<'t, str> {
    if t.lower.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Cow::Borrowed(t.lower)
    } else {
        Cow::Owned(fold(t.lower))
    }
}

fn is_apostrophe(s: &str) -> bool {
    s == "'" || s == "’"
}

fn dateline_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+)*(?:,\s*[A-Za-z][A-Za-z.]*(?:\s+[A-Za-z0-9.]+){0,3})?|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?)\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s",
        )
        .expect("valid dateline pattern")
    })
}

impl<'a> Sentence<'a> {
    fn new(
        text: &'a str,
        range: Range<usize>,
        lowered: &'a mut String,
        chars: (usize, usize),
        mentions: &'a [Mention],
        demonyms: &'a [Demonym],
        times: &'a [TimeExpr],
    ) -> Sentence<'a> {
        let toks = tokenize(text, range.clone(), chars.0, lowered);
        let n = toks.len();
        let mut s = Sentence {
            text,
            range,
            chars,
            toks,
            mentions,
            demonyms,
            times,
            places: Vec::new(),
            time_spans: Vec::new(),
            demonym_at: vec![None; n],
            place_at: vec![None; n],
            time_at: vec![None; n],
        };
        for (i, m) in mentions.iter().enumerate() {
            if let Some((a, b)) = s.token_span(m.start, m.end) {
                s.places.push(PlaceSpan {
                    first: a,
                    last: b,
                    mention: i,
                });
                for k in a..=b {
                    s.place_at[k] = Some(s.places.len() - 1);
                }
            }
        }
        for (i, d) in demonyms.iter().enumerate() {
            if let Some((a, b)) = s.token_span(d.start, d.end) {
                for k in a..=b {
                    s.demonym_at[k] = Some(i);
                }
            }
        }
        for (i, t) in times.iter().enumerate() {
            let span = s.token_span(t.start, t.end);
            if let Some((a, b)) = span {
                for k in a..=b {
                    s.time_at[k] = Some(i);
                }
            }
            s.time_spans.push(span);
        }
        s
    }

    /// The tokens covering a code-point range.
    fn token_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let a = self.toks.partition_point(|t| t.cstart < start);
        let b = self.toks.partition_point(|t| t.cend <= end);
        (a < b).then(|| (a, b - 1))
    }

    /// Whether the token at `i` is a word of any of the given lexicon classes.
    fn is(&self, i: usize, class: u32) -> bool {
        self.toks.get(i).is_some_and(|t| t.class & class != 0)
    }

    fn word(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.lower)
    }

    fn raw(&self, i: usize) -> &'a str {
        let t = &self.toks[i];
        &self.text[t.start..t.end]
    }

    fn slice(&self, first: usize, last: usize) -> &'a str {
        &self.text[self.toks[first].start..self.toks[last].end]
    }

    /// Punctuation or a subordinating word that separates clauses.
    fn is_comma_like(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if t.word {
            return false;
        }
        match t.lower {
            "-" => {
                // a hyphen inside a word ("guided-missile") joins; a spaced or doubled dash separates
                !(t.glued && self.toks.get(i + 1).is_some_and(|n| n.glued && n.word))
            }
            "," | ";" | ":" | "(" | ")" | "—" | "–" | "\"" | "“" | "”" | "[" | "]" => true,
            _ => false,
        }
    }

    fn is_subordinator(&self, i: usize) -> bool {
        self.is(i, class::SUBORDINATOR) || self.word(i) == ";"
    }

    fn is_possessive_after(&self, last: usize) -> bool {
        self.toks
            .get(last + 1)
            .is_some_and(|t| is_apostrophe(t.lower) && t.glued)
            && self.word(last + 2) == "s"
    }

    fn read(&self, reading: &mut DocReading, state: &mut DocState) {
        if self.toks.is_empty() || self.is_caption() {
            return;
        }
        let dateline_end = self.dateline_end();
        let ships = self.find_ships();
        let triggers = self.find_triggers(&ships);
        let zones = self.report_zones(&triggers);
        let report = &zones.statement;
        let mut actor_mentions = self.find_actors(&ships, &zones.speaker, reading, state);
        if triggers.is_empty() {
            return;
        }
        let attachments = self.attach_places(&triggers, &ships, &actor_mentions, dateline_end);
        let datings = self.attach_times(&triggers, report);
        let nations = self.nations(&triggers, report, &attachments, reading);
        actor_mentions.sort_by_key(|m| m.first);
        let first_frame = reading.frames.len();
        let mut made: Vec<(usize, usize, Sequence)> = Vec::new(); // (frame, trigger, sequence)
        for (ti, trig) in triggers.iter().enumerate() {
            let mut by_role: Vec<(Action, bool, Vec<usize>)> = Vec::new();
            for (pi, att) in attachments.iter().enumerate() {
                let Some(att) = att.as_ref().filter(|a| a.trigger == ti) else {
                    continue;
                };
                let place = &self.places[pi];
                let mention = &self.mentions[place.mention];
                let kind = mention.candidates.first().map(|c| c.kind);
                let role = place_role(trig, att.link);
                let transit_like = role == Action::Transit
                    || matches!(att.link, Link::Loc(Locative::At)) && {
                        let prep = self.word(place.first.saturating_sub(1));
                        prep == "off" || prep == "near"
                    };
                let city_state = mention.candidates.first().is_some_and(|c| {
                    c.kind == PlaceKind::Country
                        && c.country
                            .as_deref()
                            .is_some_and(|code| CITY_STATES.contains(&code))
                });
                if matches!(
                    kind,
                    Some(
                        PlaceKind::Country
                            | PlaceKind::Admin1
                            | PlaceKind::Admin2
                            | PlaceKind::Region
                    )
                ) && !transit_like
                    && !city_state
                {
                    continue;
                }
                let destination = att.destination
                    || (trig.action == Action::Depart
                        && trig.motion.is_none()
                        && role == Action::Arrive);
                match by_role
                    .iter_mut()
                    .find(|(r, dest, _)| *r == role && *dest == destination)
                {
                    Some((_, _, list)) => list.push(pi),
                    None => by_role.push((role, destination, vec![pi])),
                }
            }
            let Some((actor, partners)) =
                self.choose_actors(ti, trig, &actor_mentions, &nations, reading)
            else {
                continue;
            };
            if by_role.is_empty() {
                by_role.push((trig.action, false, Vec::new()));
            }
            let tense = self.tense(trig);
            for (role, destination, place_ids) in by_role {
                let mut places: Vec<PlaceRef> = Vec::new();
                for &pi in &place_ids {
                    let Some(p) = place_ref(&self.mentions[self.places[pi].mention]) else {
                        continue;
                    };
                    // "the La Perouse Strait, also known as the Soya Strait" is one place
                    if !places.iter().any(|q| q.id == p.id) {
                        places.push(p);
                    }
                }
                // "the exercises" refers back to the last such happening told with a place, else
                // to the last one at all
                let refers_to = (trig.definite && places.is_empty())
                    .then(|| {
                        let earlier = &reading.frames[..first_frame];
                        let same = |f: &Frame| f.action == trig.action && f.refers_to.is_none();
                        earlier
                            .iter()
                            .rposition(|f| same(f) && !f.places.is_empty())
                            .or_else(|| earlier.iter().rposition(same))
                    })
                    .flatten();
                let actor = match (actor, refers_to) {
                    (Some(a), _) => a,
                    (None, Some(r)) => reading.frames[r].actor,
                    (None, None) => continue,
                };
                let kind = reading.actors[actor].kind;
                // a position report with no position says nothing
                if places.is_empty() && role == Action::Other {
                    continue;
                }
                let planned = tense == Tense::Future || destination;
                let dated: Vec<Dating> = if destination {
                    Vec::new()
                } else {
                    datings[ti].clone()
                };
                // a nation's or a force's happening with no place must be told as done ("conducted a
                // joint patrol last month"), not as a policy ("agreed to hold exercises")
                let finite_past = matches!(tense, Tense::Past | Tense::Pluperfect);
                // a time that resolves, or any while the article is still undated
                let has_direct = dated
                    .iter()
                    .any(|d| !d.reported && (d.value.is_some() || reading.published.is_none()));
                if places.is_empty()
                    && refers_to.is_none()
                    && matches!(kind, ActorKind::Nation | ActorKind::Forces)
                    && (planned || !has_direct || !finite_past)
                {
                    continue;
                }
                let at = place_ids
                    .first()
                    .map_or(self.toks[trig.head].cstart, |&pi| {
                        self.toks[self.places[pi].first].cstart
                    });
                let modality = if planned
                    || self.dated_after(&dated, reading.published) && tense != Tense::Past
                {
                    Modality::Planned
                } else if let Some(r) = refers_to.filter(|_| tense == Tense::Unmarked) {
                    // "the joint drills" is as planned or as done as the drills it refers to
                    reading.frames[r].modality
                } else {
                    Modality::Happened
                };
                reading.frames.push(Frame {
                    actor,
                    partners: partners.clone(),
                    action: role,
                    places,
                    datings: dated,
                    modality,
                    tense: if destination { Tense::Future } else { tense },
                    refers_to,
                    at,
                    source: Source {
                        doc: reading.doc.clone(),
                        start: self.chars.0,
                        end: self.chars.1,
                        sentence: self.text[self.range.clone()].to_string(),
                        when: None,
                    },
                    after: Vec::new(),
                });
                let sequence = if destination {
                    Sequence::Last
                } else if role == Action::Depart && trig.action != Action::Depart {
                    // "arrived in Busan from Vladivostok"
                    Sequence::First
                } else {
                    Sequence::Middle
                };
                made.push((reading.frames.len() - 1, ti, sequence));
            }
        }
        self.order_frames(&made, &triggers, report, reading, state);
        if reading.frames.len() > first_frame {
            state.previous_frames = (first_frame..reading.frames.len()).collect();
        }
    }

    /// Photo captions describe old pictures, not the news.
    fn is_caption(&self) -> bool {
        let s = &self.text[self.range.clone()];
        s.len() < 400
            && (s.contains("file photo") || s.contains("File photo") || s.contains("(Photo"))
    }

    /// The tokens of an outlet's date line ("BEIJING (Reuters) –") at the start of a line.
    fn dateline_end(&self) -> usize {
        // only the blank run before the sentence is looked at: searching back for the last line break
        // costs the whole text per sentence in a dump with none
        let before = &self.text[..self.range.start];
        let to_line = before.trim_end_matches(|c: char| c.is_whitespace() && c != '\n');
        let at_line_start = to_line.is_empty() || to_line.ends_with('\n');
        let sentence = &self.text[self.range.clone()];
        // a date line starts with a capital and has its dash within a few words; the dash is looked
        // for last, as it takes a search of the head
        if !at_line_start || !sentence.starts_with(|c: char| c.is_ascii_uppercase()) {
            return 0;
        }
        let mut head_end = sentence.len().min(80);
        while !sentence.is_char_boundary(head_end) {
            head_end -= 1;
        }
        let head = &sentence[..head_end];
        if !(head.contains(['—', '–']) || head.contains(" - ")) {
            return 0;
        }
        match dateline_pattern().find(sentence) {
            Some(m) => {
                let end = self.range.start + m.end();
                self.toks.partition_point(|t| t.start < end)
            }
            None => 0,
        }
    }

    /// Named ships: "HMS Diamond", "the guided-missile destroyer Qiqihar", or a table name alone.
    fn find_ships(&self) -> Vec<ShipSpan> {
        let table = vessels();
        let mut out: Vec<ShipSpan> = Vec::new();
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            let t = &self.toks[i];
            if !t.word {
                i += 1;
                continue;
            }
            // a navy prefix, written in capitals, before a capitalised name
            let raw = self.raw(i);
            let prefix_like = (2..=5).contains(&raw.len())
                && raw.starts_with(|c: char| c.is_ascii_uppercase())
                && raw.ends_with(|c: char| c.is_ascii_uppercase());
            let prefix = prefix_like
                .then(|| lexicon::PREFIXES.iter().find(|(p, _)| *p == raw))
                .flatten();
            if let Some(&(prefix, country)) = prefix {
                if let Some(last) = self.name_end(i + 1) {
                    let words = self.folded_words(i + 1, last);
                    let words: Vec<&str> = words.iter().map(String::as_str).collect();
                    let found = table
                        .match_at(&words)
                        .filter(|(_, len)| *len == words.len());
                    let vessel = found.and_then(|(ids, _)| {
                        ids.into_iter().find(|&v| {
                            table.list[v].prefix == prefix || table.list[v].country == country
                        })
                    });
                    let name = match vessel {
                        Some(v) => table.list[v].display(),
                        None => format!("{prefix} {}", self.slice(i + 1, last)),
                    };
                    out.push(ShipSpan {
                        first: i,
                        last,
                        name,
                        country: Some(country.to_string()),
                        class_word: None,
                    });
                    i = last + 1;
                    continue;
                }
            }
            if t.cap {
                let class_word = self.class_word_before(i);
                if let Some((vessel, last)) = self.table_name_at(i) {
                    let v = &table.list[vessel];
                    let over_place = (i..=last).any(|k| self.place_at[k].is_some());
                    if class_word.is_some() || (v.bare && !over_place) {
                        out.push(ShipSpan {
                            first: class_word.unwrap_or(i),
                            last,
                            name: v.display(),
                            country: Some(v.country.clone()),
                            class_word,
                        });
                        i = last + 1;
                        continue;
                    }
                }
                if let Some(cw) = class_word {
                    let is_country = self.place_at[i].is_some_and(|p| {
                        self.mentions[self.places[p].mention]
                            .candidates
                            .first()
                            .is_some_and(|c| c.kind == PlaceKind::Country)
                    });
                    if let Some(last) = self.name_end(i).filter(|_| !is_country) {
                        if !self.is(i, class::NOT_NAME)
                            && self.demonym_at[i].is_none()
                            && !self.is_possessive_after(last)
                            && !self.is(last + 1, class::REPORTING)
                        {
                            out.push(ShipSpan {
                                first: cw,
                                last,
                                name: self.slice(i, last).to_string(),
                                country: None,
                                class_word: Some(cw),
                            });
                            i = last + 1;
                            continue;
                        }
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// The last token of a capitalised name starting at `i` ("Chung-Hoon", "George H.W. Bush").
    fn name_end(&self, i: usize) -> Option<usize> {
        let t = self.toks.get(i)?;
        if !(t.word && t.cap) {
            return None;
        }
        let mut last = i;
        let mut k = i + 1;
        while k < self.toks.len() && k <= i + 6 {
            let t = &self.toks[k];
            let next_cap_word = self.toks.get(k + 1).is_some_and(|n| n.word && n.cap);
            if t.word && t.cap && self.time_at[k].is_none() {
                last = k;
            } else if t.word
                && ["of", "the", "de", "di", "la", "von"].contains(&t.lower)
                && next_cap_word
            {
                // "Prince of Wales", "Charles de Gaulle"
            } else if !t.word
                && t.glued
                && matches!(t.lower, "-" | "." | "'" | "’")
                && self.toks.get(k + 1).is_some_and(|n| n.glued && n.word)
            {
                // "Chung-Hoon", "H.W.", "O'Kane"
            } else if !t.word && t.lower == "." && t.glued && self.toks[k - 1].lower.len() == 1 {
                last = k;
            } else {
                break;
            }
            k += 1;
        }
        Some(last)
    }

    fn folded_words(&self, first: usize, last: usize) -> Vec<String> {
        fold(self.slice(first, last))
            .split(' ')
            .map(str::to_string)
            .collect()
    }

    /// A vessel-table name starting at token `i`, with its last token.
    fn table_name_at(&self, i: usize) -> Option<(usize, usize)> {
        let table = vessels();
        let first = folded(&self.toks[i]);
        if !table.starts_name(&first) {
            return None;
        }
        // the name's words folded as the table folds them ("O'Kane" is one word, "Chung-Hoon" two),
        // with the token each ends at
        let mut words: Vec<String> = vec![first.into_owned()];
        let mut ends = vec![i];
        let mut k = i + 1;
        while k < self.toks.len() && words.len() < 6 {
            let t = &self.toks[k];
            let joins = !t.word && t.glued && is_apostrophe(t.lower);
            if joins && self.toks.get(k + 1).is_some_and(|n| n.glued && n.word) {
                words
                    .last_mut()
                    .unwrap()
                    .push_str(&folded(&self.toks[k + 1]));
                *ends.last_mut().unwrap() = k + 1;
                k += 2;
                continue;
            }
            if t.word {
                words.push(folded(t).into_owned());
                ends.push(k);
            } else if !(t.glued && matches!(t.lower, "-" | ".")) {
                break;
            }
            k += 1;
        }
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let (ids, len) = table.match_at(&refs)?;
        let countries: Vec<&str> = self
            .demonym_at
            .iter()
            .flatten()
            .map(|&d| self.demonyms[d].country.as_str())
            .collect();
        let vessel = ids
            .iter()
            .copied()
            .find(|&v| countries.contains(&table.list[v].country.as_str()))
            .unwrap_or(ids[0]);
        Some((vessel, ends[len - 1]))
    }

    /// A ship class word just before token `i` ("destroyer Qiqihar", "the frigate, the Rizhao").
    fn class_word_before(&self, i: usize) -> Option<usize> {
        let mut k = i.checked_sub(1)?;
        if self.word(k) == "the" {
            k = k.checked_sub(1)?;
        }
        if self.word(k) == "," {
            k = k.checked_sub(1)?;
        }
        (self.is(k, class::SHIP) && !self.is(k, class::SHIP_PLURAL)).then_some(k)
    }

    fn find_triggers(&self, ships: &[ShipSpan]) -> Vec<Trigger> {
        let in_ship = |k: usize| ships.iter().any(|s| s.first <= k && k <= s.last);
        let mut raw: Vec<(usize, usize, Cue)> = Vec::new();
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            let t = &self.toks[i];
            if !t.word || in_ship(i) || self.place_at[i].is_some() || self.time_at[i].is_some() {
                i += 1;
                continue;
            }
            let mut found = None;
            for (rest, cue) in t.cues {
                let mut k = i;
                let mut ok = true;
                for w in rest {
                    k += 1;
                    while k < n && !self.toks[k].word && self.toks[k].lower == "-" {
                        k += 1;
                    }
                    if self.word(k) != *w {
                        ok = false;
                        break;
                    }
                }
                if ok {
                    found = Some((k, *cue));
                    break;
                }
            }
            let Some((last, cue)) = found else {
                i += 1;
                continue;
            };
            let prev = if i > 0 { self.word(i - 1) } else { "" };
            let next = self.word(last + 1);
            let is_noun_modifier = self.is(last + 1, class::SHIP | class::FORCE | class::MODIFIED);
            let after_determiner =
                ["the", "a", "an", "this", "its", "their", "his", "her", "in"].contains(&prev);
            let skip = match cue {
                Cue::Noun(_) => is_noun_modifier,
                // "the visit", "in return", "a meeting": nouns, not the verbs they look like
                _ => after_determiner || next == "of",
            };
            if !skip {
                raw.push((i, last, cue));
            }
            i = last + 1;
        }
        self.fuse(raw)
    }

    /// Join light verbs to their event nouns ("held ... drills", "drills held", "join ... in an
    /// exercise"), so one happening makes one trigger.
    fn fuse(&self, raw: Vec<(usize, usize, Cue)>) -> Vec<Trigger> {
        let event_noun = |c: &Cue| {
            matches!(
                c,
                Cue::Noun(Action::Exercise | Action::Patrol | Action::PortCall)
            )
        };
        let mut used = vec![false; raw.len()];
        // light verbs first, so a noun before or after them is taken before it stands alone
        let mut fused: Vec<Trigger> = Vec::new();
        for (idx, &(first, last, cue)) in raw.iter().enumerate() {
            let aspect = match cue {
                Cue::Light(a) => a,
                Cue::Join => Aspect::Whole,
                _ => continue,
            };
            let forward = raw
                .iter()
                .enumerate()
                .skip(idx + 1)
                .take_while(|(_, &(f, _, c))| {
                    f <= last + 14
                        && !self.boundary_between(last, f, false)
                        && matches!(c, Cue::Noun(_))
                })
                .find(|(j, (_, _, c))| event_noun(c) && !used[*j])
                .map(|(j, _)| j);
            let backward = || {
                let reach = if aspect == Aspect::Whole { 3 } else { 14 };
                (0..idx)
                    .rev()
                    .take_while(|&j| matches!(raw[j].2, Cue::Noun(_)))
                    .find(|&j| event_noun(&raw[j].2) && !used[j])
                    .filter(|&j| {
                        let (f, l, _) = raw[j];
                        l + reach >= first
                            && !(f..first).any(|k| matches!(self.word(k), ";" | "that"))
                    })
            };
            let partner = forward.or_else(|| (cue != Cue::Join).then(backward).flatten());
            match partner {
                Some(j) => {
                    used[j] = true;
                    used[idx] = true;
                    let (nf, nl, Cue::Noun(action)) = raw[j] else {
                        continue;
                    };
                    fused.push(Trigger {
                        head: first,
                        first: first.min(nf),
                        last: last.max(nl),
                        action,
                        aspect,
                        motion: None,
                        actor_after: false,
                        noun_only: false,
                        noun: Some(nf),
                        definite: self.definite_noun(nf),
                    });
                }
                None if cue == Cue::Join => {
                    used[idx] = true;
                    fused.push(Trigger {
                        head: first,
                        first,
                        last,
                        action: Action::Meeting,
                        aspect,
                        motion: None,
                        actor_after: false,
                        noun_only: false,
                        noun: None,
                        definite: false,
                    });
                }
                None => {}
            }
        }
        for (idx, &(first, last, cue)) in raw.iter().enumerate() {
            if used[idx] {
                continue;
            }
            let (action, motion, actor_after, noun_only) = match cue {
                Cue::Verb(a) => (a, None, false, false),
                Cue::Motion {
                    default,
                    actor_after,
                } => (default, Some(default), actor_after, false),
                Cue::Noun(a) => (a, None, false, true),
                Cue::Light(_) | Cue::Join => continue,
            };
            fused.push(Trigger {
                head: first,
                first,
                last,
                action,
                aspect: Aspect::Whole,
                motion,
                actor_after,
                noun_only,
                noun: noun_only.then_some(first),
                definite: noun_only && self.definite_noun(first),
            });
        }
        fused.sort_by_key(|t| t.first);
        fused
    }

    /// Whether the event noun at `i` is definite ("the joint exercises", "these new drills").
    fn definite_noun(&self, i: usize) -> bool {
        let mut k = i;
        for _ in 0..8 {
            let Some(prev) = k.checked_sub(1) else {
                return false;
            };
            k = prev;
            let w = self.word(k);
            if self.is(k, class::DEFINITE) {
                return true;
            }
            if self.is(k, class::NUMBER) || lexicon::locative(w).is_some() {
                return false;
            }
            let t = &self.toks[k];
            let transparent = self.place_at[k].is_some()
                || (t.word && !t.cap)
                || (!t.word && matches!(w, "-" | "\"" | "“" | "”" | "'" | "‘" | "’" | "/"))
                || (t.word && self.demonym_at[k].is_some())
                || t.lower.chars().all(|c| c.is_ascii_digit());
            if !transparent || self.is_subordinator(k) {
                return false;
            }
        }
        false
    }

    /// Whether a clause boundary that ends one clause's reach lies between two tokens.
    fn boundary_between(&self, from: usize, to: usize, commas: bool) -> bool {
        (from + 1..to).any(|k| {
            let w = self.word(k);
            w == ";" || w == "." || self.is_subordinator(k) || (commas && self.is_comma_like(k))
        })
    }

    /// Tokens that date or voice a statement rather than the happening: "X said on Sunday that",
    /// "On Saturday, the ministry said", "according to ...".
    fn report_zones(&self, triggers: &[Trigger]) -> Zones {
        let n = self.toks.len();
        let mut zone = vec![false; n];
        let mut speaker = vec![false; n];
        let mut in_trigger = vec![false; n];
        for t in triggers {
            in_trigger[t.first..=t.last].fill(true);
        }
        let is_trigger = |k: usize| in_trigger[k];
        for r in 0..n {
            let w = self.word(r);
            if !self.is(r, class::REPORTING) || is_trigger(r) {
                continue;
            }
            if w == "according" && self.word(r + 1) != "to" {
                continue;
            }
            zone[r] = true;
            // forward: the statement's own words, up to "that" or the end of the clause
            let mut k = r + 1;
            while k < n {
                let kw = self.word(k);
                if is_trigger(k)
                    || kw == ","
                    || kw == ";"
                    || (self.demonym_at[k].is_some() && w != "according")
                {
                    break;
                }
                zone[k] = true;
                // "according to X": X speaks; "said the ships were": the ships do not
                speaker[k] = w == "according";
                if kw == "that" {
                    break;
                }
                k += 1;
            }
            // backward: the speaker, back to the clause start
            let mut k = r;
            while k > 0 {
                let prev = k - 1;
                if is_trigger(prev) || self.word(prev) == "that" || self.word(prev) == ";" {
                    break;
                }
                if self.word(prev) == "," {
                    // a leading "On Saturday," or "On its part," before the speaker belongs to it
                    let seg_start = (0..prev)
                        .rev()
                        .find(|&j| self.word(j) == "," || self.word(j) == ";")
                        .map_or(0, |j| j + 1);
                    let only_time = (seg_start..prev).all(|j| {
                        self.time_at[j].is_some()
                            || [
                                "on", "in", "its", "his", "her", "their", "part", "at", "late",
                                "early",
                            ]
                            .contains(&self.word(j))
                    });
                    if only_time && seg_start < prev {
                        zone[seg_start..=prev].fill(true);
                        k = seg_start;
                        continue;
                    }
                    break;
                }
                zone[prev] = true;
                speaker[prev] = true;
                k = prev;
            }
        }
        Zones {
            statement: zone,
            speaker,
        }
    }

    /// Actor mentions, in text order, resolved against the article's actors.
    fn find_actors(
        &self,
        ships: &[ShipSpan],
        report: &[bool],
        reading: &mut DocReading,
        state: &mut DocState,
    ) -> Vec<ActorMention> {
        let n = self.toks.len();
        let mut out: Vec<ActorMention> = Vec::new();
        let class_words: Vec<usize> = ships.iter().filter_map(|s| s.class_word).collect();
        // ships written in a list make one group: "Gromkiy and Sovershenniy"
        let mut lists: Vec<(usize, usize, Vec<usize>)> = Vec::new();
        for (si, s) in ships.iter().enumerate() {
            if let Some((_, last, members)) = lists.last_mut() {
                // "X and Y", "X, Y and the Canadian frigate Z"
                let between = *last + 1..s.first;
                let joined = !between.is_empty()
                    && matches!(self.word(between.start), "and" | "," | "&")
                    && between.clone().all(|k| {
                        matches!(self.word(k), "and" | "," | "&" | "the" | "a" | "an" | "-")
                            || self.demonym_at[k].is_some()
                            || self.is(k, class::MODIFIER)
                            || (self.is(k, class::SHIP) && !self.is(k, class::SHIP_PLURAL))
                    });
                if joined {
                    *last = s.last;
                    members.push(si);
                    continue;
                }
            }
            lists.push((s.first, s.last, vec![si]));
        }
        // group and force nouns with their nationality
        let mut nouns: Vec<NounPhrase> = Vec::new();
        let mut i = 0;
        while i < n {
            if class_words.contains(&i) || lists.iter().any(|&(a, b, _)| a <= i && i <= b) {
                i += 1;
                continue;
            }
            if let Some(np) = self.noun_phrase(i) {
                i = np.last + 1;
                nouns.push(np);
            } else {
                i += 1;
            }
        }
        // a noun phrase right beside a ship list names the same group ("two Russian warships --
        // Gromkiy and Sovershenniy"); after "including" it names the group the ships belong to
        let mut list_actor: Vec<Option<usize>> = vec![None; lists.len()];
        let mut noun_actor: Vec<Option<usize>> = vec![None; nouns.len()];
        let mut apposed: Vec<Option<usize>> = vec![None; nouns.len()]; // noun -> list
        let mut membership: Vec<(usize, usize)> = Vec::new(); // (noun, list)
        for (li, &(first, last, _)) in lists.iter().enumerate() {
            for (ni, np) in nouns.iter().enumerate() {
                if np.forces {
                    continue;
                }
                let beside = if np.last < first {
                    np.last + 3 >= first
                        && (np.last + 1..first).all(|k| !self.toks[k].word || self.word(k) == "the")
                } else {
                    np.first > last
                        && np.first <= last + 3
                        && (last + 1..np.first).all(|k| !self.toks[k].word)
                };
                if beside {
                    apposed[ni] = Some(li);
                } else if np.last < first
                    && first <= np.last + 9
                    && (np.last + 1..first).any(|k| matches!(self.word(k), "including" | "among"))
                {
                    membership.push((ni, li));
                }
            }
        }
        // resolve in text order
        enum Item {
            List(usize),
            Noun(usize),
            Pronoun(usize),
        }
        let mut items: Vec<(usize, Item)> = lists
            .iter()
            .enumerate()
            .map(|(li, l)| (l.0, Item::List(li)))
            .chain(
                nouns
                    .iter()
                    .enumerate()
                    .map(|(ni, np)| (np.first, Item::Noun(ni))),
            )
            .collect();
        // "They then sailed ...": a pronoun as subject, for an actor named a sentence ago at most
        items.extend(
            (0..n)
                .filter(|&k| {
                    matches!(self.word(k), "they" | "it" | "she") && self.subject_position(k)
                })
                .map(|k| (k, Item::Pronoun(k))),
        );
        items.sort_by_key(|(at, _)| *at);
        for (_, item) in items {
            match item {
                Item::List(li) => {
                    let (first, last, members) = &lists[li];
                    let names: Vec<String> =
                        members.iter().map(|&s| ships[s].name.clone()).collect();
                    // ships of several navies sailing together have no one country
                    let country = ships[members[0]].country.clone().filter(|c| {
                        members
                            .iter()
                            .all(|&s| ships[s].country.as_deref() == Some(c.as_str()))
                    });
                    let kind = if names.len() > 1 {
                        ActorKind::Group
                    } else {
                        ActorKind::Ship
                    };
                    let actor = find_or_add(
                        reading,
                        |a| a.vessels == names,
                        DocActor {
                            kind,
                            country,
                            vessels: names.clone(),
                            members: Vec::new(),
                            labels: Vec::new(),
                        },
                    );
                    note_label(reading, actor, self.slice(*first, *last));
                    touch(state, actor);
                    list_actor[li] = Some(actor);
                    out.push(self.mention_role(*first, *last, vec![actor], report));
                    for (ni, np) in nouns.iter().enumerate() {
                        if apposed[ni] == Some(li) {
                            noun_actor[ni] = Some(actor);
                            note_label(reading, actor, &np.label);
                            out.push(self.mention_role(np.first, np.last, vec![actor], report));
                        }
                    }
                }
                Item::Pronoun(k) => {
                    let plural = self.word(k) == "they";
                    let found = state.recent.iter().rev().copied().find(|&a| {
                        let kind = reading.actors[a].kind;
                        let fits = kind == ActorKind::Group || (!plural && kind == ActorKind::Ship);
                        fits && state.last_seen[a] + 1 >= state.sentence
                    });
                    if let Some(a) = found {
                        touch(state, a);
                        out.push(self.mention_role(k, k, vec![a], report));
                    }
                }
                Item::Noun(ni) => {
                    if apposed[ni].is_some() {
                        continue;
                    }
                    let np = &nouns[ni];
                    let actors = self.resolve_noun(np, reading, state);
                    if actors.is_empty() {
                        continue;
                    }
                    for &a in &actors {
                        note_label(reading, a, &np.label);
                        touch(state, a);
                    }
                    noun_actor[ni] = Some(actors[0]);
                    out.push(self.mention_role(np.first, np.last, actors, report));
                }
            }
        }
        for (ni, li) in membership {
            if let (Some(group), Some(ship)) = (noun_actor[ni], list_actor[li]) {
                if group != ship {
                    let names = reading.actors[ship].vessels.clone();
                    let g = &mut reading.actors[group];
                    for name in names {
                        if !g.members.contains(&name) {
                            g.members.push(name);
                        }
                    }
                }
            }
        }
        out
    }

    /// Whether a pronoun at `k` stands where a subject does: opening the sentence or a clause.
    fn subject_position(&self, k: usize) -> bool {
        k == 0
            || matches!(
                self.word(k - 1),
                "," | "and" | "but" | "then" | "later" | "so"
            )
            || self.is(k - 1, class::SUBORDINATOR)
    }

    fn mention_role(
        &self,
        first: usize,
        last: usize,
        actors: Vec<usize>,
        report: &[bool],
    ) -> ActorMention {
        let prev = |k: usize| if k > 0 { self.word(k - 1) } else { "" };
        // the next word past any time expression: "the fleet said", "the military Sunday confirmed"
        let next = (last + 1..self.toks.len()).find(|&k| self.time_at[k].is_none());
        let role = if (first..=last).all(|k| report[k])
            || next.is_some_and(|k| self.is(k, class::REPORTING))
        {
            Role::Reporter
        } else if ["with", "alongside", "against"].contains(&prev(first))
            || (prev(first) == "the" && ["with", "alongside"].contains(&prev(first - 1)))
        {
            Role::Partner
        } else {
            Role::Subject
        };
        ActorMention {
            first,
            last,
            actors,
            role,
        }
    }

    /// A ship, group or force noun phrase around the noun at `i`, with its nationality and article.
    fn noun_phrase(&self, i: usize) -> Option<NounPhrase> {
        let t = &self.toks[i];
        // the head of a ship, group or force noun phrase is one of these words
        if t.class & (class::SHIP | class::FORCE | class::GROUP_FIRST) == 0 {
            return None;
        }
        let w: &str = t.lower;
        let next = self.word(i + 1);
        let ship_noun = t.class & class::SHIP != 0;
        let pair = lexicon::GROUP_PAIRS
            .iter()
            .any(|(a, b)| *b == next && *a == w);
        let head = if pair { i + 1 } else { i };
        let head_word = self.word(head);
        let capital_fleet = head_word == "fleet" && self.toks[head].cap;
        let forces =
            !pair && (self.is(head, class::FORCE) && (head_word != "fleet" || capital_fleet));
        let plural = pair || t.class & class::SHIP_PLURAL != 0;
        if !ship_noun && !pair && !forces {
            return None;
        }
        let after = self.word(head + 1);
        // "navy ship", "Navy chief", "patrol vessel statement": the noun modifies the next word
        if self.is(head + 1, class::MODIFIED | class::SHIP | class::FORCE)
            || (after == "-"
                && self.toks.get(head + 1).is_some_and(|t| t.glued)
                && self.toks.get(head + 2).is_some_and(|t| t.glued && t.word))
        {
            return None;
        }
        // walk left over modifiers to a nationality and an article
        let mut countries: Vec<String> = Vec::new();
        let mut definite = false;
        let mut start = i;
        let mut label_start = i;
        let mut k = i;
        while let Some(prev) = k.checked_sub(1) {
            let pw = self.word(prev);
            let pt = &self.toks[prev];
            if self.demonym_at[prev].is_some() {
                // every nationality of "Russian and Chinese naval forces", in order
                let from = self.demonym_start(prev);
                let mut found: Vec<String> = Vec::new();
                for j in from..=prev {
                    if let Some(d) = self.demonym_at[j] {
                        let country = &self.demonyms[d].country;
                        if !found.contains(country) && !countries.contains(country) {
                            found.push(country.clone());
                        }
                    }
                }
                countries.splice(0..0, found);
                label_start = from;
                k = label_start;
                start = k;
                continue;
            }
            if pw == "s" && k >= 2 && is_apostrophe(self.word(prev - 1)) {
                // "China's naval flotilla"
                if let Some(p) = self.place_at[prev - 2] {
                    let m = &self.mentions[self.places[p].mention];
                    if let Some(c) = m
                        .candidates
                        .first()
                        .filter(|c| c.kind == PlaceKind::Country)
                        .and_then(|c| c.country.as_deref().map(str::to_string))
                    {
                        countries.insert(0, c);
                        label_start = self.places[p].first;
                        k = label_start;
                        start = k;
                        continue;
                    }
                }
                break;
            }
            if self.is(prev, class::DEFINITE) {
                definite = true;
                start = prev;
                k = prev;
                continue;
            }
            if self.is(prev, class::NUMBER) || pw.chars().all(|c| c.is_ascii_digit()) && pt.word {
                start = prev;
                k = prev;
                continue;
            }
            if self.is(prev, class::MODIFIER) || (pw == "-" && pt.glued) || pw == "class" {
                k = prev;
                continue;
            }
            break;
        }
        let first = start.min(label_start);
        Some(NounPhrase {
            first,
            label: self.slice(first, head).to_string(),
            last: head,
            countries,
            forces,
            plural: plural || forces,
            definite,
        })
    }

    /// The first token of a demonym ending at token `k`.
    fn demonym_start(&self, k: usize) -> usize {
        let d = self.demonym_at[k];
        let mut s = k;
        while s > 0 && self.demonym_at[s - 1] == d {
            s -= 1;
        }
        // "Russian and Chinese naval forces": take the first nationality too
        if s >= 2 && self.word(s - 1) == "and" && self.demonym_at[s - 2].is_some() {
            return self.demonym_start(s - 2);
        }
        s
    }

    /// The article's actors a noun phrase refers to.
    fn resolve_noun(
        &self,
        np: &NounPhrase,
        reading: &mut DocReading,
        state: &mut DocState,
    ) -> Vec<usize> {
        if np.countries.is_empty() {
            if !np.definite {
                return Vec::new();
            }
            // "the same ships", "the flotilla", "the vessel": the last actor that fits
            return state
                .recent
                .iter()
                .rev()
                .copied()
                .find(|&a| {
                    let kind = reading.actors[a].kind;
                    if np.forces {
                        kind == ActorKind::Forces
                    } else if np.plural {
                        kind == ActorKind::Group
                    } else {
                        matches!(kind, ActorKind::Group | ActorKind::Ship)
                    }
                })
                .into_iter()
                .collect();
        }
        let mut out = Vec::new();
        for country in &np.countries {
            let actor = if np.forces {
                find_or_add(
                    reading,
                    |a| a.kind == ActorKind::Forces && a.country.as_deref() == Some(country),
                    DocActor {
                        kind: ActorKind::Forces,
                        country: Some(country.clone()),
                        vessels: Vec::new(),
                        members: Vec::new(),
                        labels: Vec::new(),
                    },
                )
            } else {
                let same_country = |a: &DocActor| a.country.as_deref() == Some(country);
                let previous = state.recent.iter().rev().copied().find(|&a| {
                    let actor = &reading.actors[a];
                    same_country(actor)
                        && if np.definite {
                            matches!(actor.kind, ActorKind::Group | ActorKind::Ship)
                                && (np.plural == (actor.kind == ActorKind::Group))
                        } else {
                            actor.kind == ActorKind::Group && actor.vessels.is_empty() && np.plural
                        }
                });
                match previous {
                    Some(a) => a,
                    None => {
                        reading.actors.push(DocActor {
                            kind: if np.plural {
                                ActorKind::Group
                            } else {
                                ActorKind::Ship
                            },
                            country: Some(country.clone()),
                            vessels: Vec::new(),
                            members: Vec::new(),
                            labels: Vec::new(),
                        });
                        reading.actors.len() - 1
                    }
                }
            };
            out.push(actor);
        }
        out
    }

    /// For each place mention, the trigger it is tied to, if any.
    fn attach_places(
        &self,
        triggers: &[Trigger],
        ships: &[ShipSpan],
        actors: &[ActorMention],
        dateline_end: usize,
    ) -> Vec<Option<Attachment>> {
        let mut out: Vec<Option<Attachment>> = Vec::with_capacity(self.places.len());
        for (pi, p) in self.places.iter().enumerate() {
            let m = &self.mentions[p.mention];
            let excluded = m.place.is_none()
                || m.role.is_some()
                || p.first < dateline_end
                || ships.iter().any(|s| s.first <= p.last && p.first <= s.last)
                || actors
                    .iter()
                    .any(|a| a.first <= p.last && p.first <= a.last)
                || self.glued_compound(p.first, p.last)
                || self.is_possessive_after(p.last)
                || self.is_relative_location(p.first)
                || self.after_between(pi);
            out.push(if excluded {
                None
            } else {
                self.attach_one(pi, triggers, &out)
            });
        }
        out
    }

    fn glued_compound(&self, first: usize, last: usize) -> bool {
        let before = first
            .checked_sub(1)
            .is_some_and(|k| self.word(k) == "-" && self.toks[first].glued && self.toks[k].glued);
        let after = self.word(last + 1) == "-"
            && self.toks[last + 1].glued
            && self.toks.get(last + 2).is_some_and(|t| t.glued && t.word);
        before || after
    }

    /// "300 km east of Taipei", "north of Hokkaido": a bearing from a place, not the place.
    fn is_relative_location(&self, first: usize) -> bool {
        if first < 2 || self.word(first - 1) != "of" {
            return false;
        }
        let mut k = first - 2;
        if self.word(k) == "-" && k > 0 {
            k -= 1;
        }
        self.is(k, class::DIRECTION)
    }

    /// "between Okinawa and Miyako Island": the pair marks out a strait or a relation.
    fn after_between(&self, pi: usize) -> bool {
        let mut k = self.places[pi].first;
        for _ in 0..8 {
            let Some(prev) = k.checked_sub(1) else {
                return false;
            };
            k = prev;
            match self.word(k) {
                "between" => return true,
                "the" | "and" | "," => {}
                _ if self.place_at[k].is_some() => {}
                _ => return false,
            }
        }
        false
    }

    fn attach_one(
        &self,
        pi: usize,
        triggers: &[Trigger],
        earlier: &[Option<Attachment>],
    ) -> Option<Attachment> {
        let p = &self.places[pi];
        let trigger_at = |k: usize| triggers.iter().position(|t| t.first <= k && k <= t.last);
        // "the Sea of Japan drill": the place names where the happening is
        if let Some(t) = triggers.iter().position(|t| t.noun == Some(p.last + 1)) {
            return Some(Attachment {
                trigger: t,
                link: Link::Loc(Locative::At),
                destination: false,
            });
        }
        let mut k = p.first;
        for _ in 0..8 {
            let prev = k.checked_sub(1)?;
            k = prev;
            if let Some(t) = trigger_at(k) {
                let link = match lexicon::locative(self.word(k)) {
                    Some(loc) if k == triggers[t].last && k > triggers[t].first => Link::Loc(loc),
                    _ => Link::Direct,
                };
                return Some(Attachment {
                    trigger: t,
                    link,
                    destination: false,
                });
            }
            let w = self.word(k);
            if matches!(w, "and" | "," | "or") {
                // coordination: "past Taiwan and Japan", "Qingdao, Shanghai and Ningbo"
                let mut j = k;
                while j > 0 && self.word(j - 1) == "the" {
                    j -= 1;
                }
                let q = j.checked_sub(1).and_then(|j| self.place_at[j])?;
                return earlier.get(q).cloned().flatten();
            }
            if let Some(loc) = lexicon::locative(w) {
                // "en route from X to Y", "on its way to Y", "bound for Y": where the ships came
                // from and where they are going, whichever verb the phrase stands beside
                let route_word = |j: usize| ["route", "way", "bound"].contains(&self.word(j));
                let en_route = k >= 1
                    && (route_word(k - 1)
                        || self.place_at[k - 1].is_some_and(|q| {
                            let f = self.places[q].first;
                            f >= 2 && self.word(f - 1) == "from" && route_word(f - 2)
                        }));
                let destination = en_route && matches!(loc, Locative::To);
                let t = self.governing_trigger(k, triggers, en_route)?;
                return Some(Attachment {
                    trigger: t,
                    link: Link::Loc(loc),
                    destination,
                });
            }
            let t = &self.toks[k];
            let transparent = (t.word
                && !t.cap
                && !self.is_subordinator(k)
                && !self.is(k, class::REPORTING | class::FUTURE_AUX)
                && w != "to")
                || w == "#"
                || (t.word && self.demonym_at[k].is_some());
            if !transparent {
                return None;
            }
        }
        None
    }

    /// The trigger a preposition at `k` belongs to: the nearest before it in the clause, else, for a
    /// phrase that opens its clause or tells a route, the first after it ("From Qingdao, the group
    /// sailed south", "En route to Busan, the ships passed ...").
    fn governing_trigger(&self, k: usize, triggers: &[Trigger], en_route: bool) -> Option<usize> {
        let before = triggers
            .iter()
            .enumerate()
            .filter(|(_, t)| t.head < k && !self.boundary_between(t.last, k, false))
            .max_by_key(|(_, t)| t.head)
            .map(|(i, _)| i);
        let clause_initial =
            en_route || k == 0 || self.is_comma_like(k - 1) || self.is_subordinator(k - 1);
        before.or_else(|| {
            triggers
                .iter()
                .enumerate()
                .filter(|_| clause_initial)
                .filter(|(_, t)| t.head > k && !self.boundary_between(k, t.first, false))
                .min_by_key(|(_, t)| t.head)
                .map(|(i, _)| i)
        })
    }

    /// The time expressions of each trigger: its own, and those that date the statement reporting it.
    fn attach_times(&self, triggers: &[Trigger], report: &[bool]) -> Vec<Vec<Dating>> {
        let mut out: Vec<Vec<Dating>> = vec![Vec::new(); triggers.len()];
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new(); // (cost, time, trigger)
        let mut reported: Vec<usize> = Vec::new();
        for (ti, span) in self.time_spans.iter().enumerate() {
            let Some((a, b)) = *span else { continue };
            let expr = &self.times[ti];
            if expr.value.is_some() && expr.granularity == Some(Granularity::Year) {
                continue;
            }
            if (a..=b).any(|k| report[k]) {
                reported.push(ti);
                continue;
            }
            if self.sentence_initial(a, b) {
                if let Some(t) = triggers
                    .iter()
                    .position(|t| t.head > b && !self.in_relative_clause(t.head) && !report[t.head])
                {
                    candidates.push((0, ti, t));
                    continue;
                }
            }
            for (gi, t) in triggers.iter().enumerate() {
                let cost = if t.last < a {
                    let commas = (t.last + 1..a).filter(|&k| self.is_comma_like(k)).count();
                    let subs = (t.last + 1..a).filter(|&k| self.is_subordinator(k)).count();
                    (a - t.last - 1) + 3 * commas + 6 * subs
                } else if t.first > b {
                    let commas = (b + 1..t.first).filter(|&k| self.is_comma_like(k)).count();
                    let subs = (b + 1..t.first)
                        .filter(|&k| self.is_subordinator(k))
                        .count();
                    // a time before its verb stands between subject and verb ("had earlier this
                    // month conducted"); after a place or object it belongs to the verb before
                    let before_time = if a > 0 { self.word(a - 1) } else { "" };
                    let after_object = self
                        .place_at
                        .get(a.wrapping_sub(1))
                        .copied()
                        .flatten()
                        .is_some()
                        || !(before_time.is_empty()
                            || [
                                "had", "has", "have", "was", "were", "is", "are", "earlier",
                                "later", "then", "also", ",",
                            ]
                            .contains(&before_time)
                            || self.demonym_at[a - 1].is_some());
                    3 * (t.first - b - 1)
                        + 4
                        + 3 * commas
                        + 20 * subs
                        + if after_object { 6 } else { 0 }
                } else {
                    0
                };
                candidates.push((cost, ti, gi));
            }
        }
        candidates.sort();
        let mut time_used = vec![false; self.times.len()];
        let mut slot_used = vec![[false; 2]; triggers.len()];
        for (_, ti, gi) in candidates {
            if time_used[ti] {
                continue;
            }
            let aspect = self.time_aspect(ti, triggers[gi].aspect);
            let slot = usize::from(aspect == Aspect::End);
            if slot_used[gi][slot] {
                continue;
            }
            slot_used[gi][slot] = true;
            time_used[ti] = true;
            out[gi].push(self.dating(ti, aspect, false));
        }
        for ti in reported {
            for (gi, d) in out.iter_mut().enumerate() {
                d.push(self.dating(ti, triggers[gi].aspect, true));
            }
        }
        out
    }

    fn dating(&self, ti: usize, aspect: Aspect, reported: bool) -> Dating {
        let t = &self.times[ti];
        Dating {
            value: t.value.clone(),
            granularity: t.granularity,
            aspect,
            reported,
        }
    }

    /// "until Sunday" dates the end, "since Thursday" the start; otherwise the trigger says.
    fn time_aspect(&self, ti: usize, trigger: Aspect) -> Aspect {
        let Some((a, _)) = self.time_spans[ti] else {
            return trigger;
        };
        let t = &self.times[ti];
        let lower = t.text.to_lowercase();
        let prev = if a > 0 { self.word(a - 1) } else { "" };
        if ["until", "till", "through"].contains(&prev) || lower.starts_with("until") {
            Aspect::End
        } else if ["since", "from", "starting"].contains(&prev) || lower.starts_with("since") {
            Aspect::Start
        } else {
            trigger
        }
    }

    /// A time phrase that opens the sentence ("Last month, ..."): it dates the main clause.
    fn sentence_initial(&self, a: usize, b: usize) -> bool {
        (0..a).all(|k| ["on", "in", "early", "late", "at", "by", "during"].contains(&self.word(k)))
            && self.word(b + 1) == ","
    }

    fn in_relative_clause(&self, k: usize) -> bool {
        let mut j = k;
        while j > 0 {
            j -= 1;
            let w = self.word(j);
            if matches!(w, "which" | "who") {
                return true;
            }
            if self.is_comma_like(j) {
                return false;
            }
        }
        false
    }

    /// Countries acting as parties to a joint happening ("China and Russia conducted a patrol").
    fn nations(
        &self,
        triggers: &[Trigger],
        report: &[bool],
        attachments: &[Option<Attachment>],
        reading: &mut DocReading,
    ) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); triggers.len()];
        if !triggers.iter().any(|t| {
            matches!(
                t.action,
                Action::Exercise | Action::Patrol | Action::Meeting
            )
        }) {
            return out;
        }
        let mut countries: Vec<(usize, String, &str)> = Vec::new();
        for (pi, p) in self.places.iter().enumerate() {
            let m = &self.mentions[p.mention];
            let Some(c) = m
                .candidates
                .first()
                .filter(|c| c.kind == PlaceKind::Country && m.place.is_some())
            else {
                continue;
            };
            if attachments[pi].is_some() || report[p.first] || self.is_possessive_after(p.last) {
                continue;
            }
            let prev = if p.first > 0 {
                self.word(p.first - 1)
            } else {
                ""
            };
            let subject_like = p.first == 0
                || matches!(
                    prev,
                    "and" | "," | "between" | "with" | "involving" | "by" | "that"
                )
                || self.time_at[p.first - 1].is_some();
            if subject_like {
                if let Some(code) = c.country.as_deref().map(str::to_string) {
                    countries.push((p.first, code, m.text.as_str()));
                }
            }
        }
        for (gi, t) in triggers.iter().enumerate() {
            if !matches!(
                t.action,
                Action::Exercise | Action::Patrol | Action::Meeting
            ) {
                continue;
            }
            for (_, code, text) in &countries {
                let a = find_or_add(
                    reading,
                    |a| a.kind == ActorKind::Nation && a.country.as_deref() == Some(code),
                    DocActor {
                        kind: ActorKind::Nation,
                        country: Some(code.clone()),
                        vessels: Vec::new(),
                        members: Vec::new(),
                        labels: Vec::new(),
                    },
                );
                if !out[gi].contains(&a) {
                    out[gi].push(a);
                    note_label(reading, a, text);
                }
            }
        }
        out
    }

    /// The actor of a trigger and its partners; None when no actor is named and none referred to.
    fn choose_actors(
        &self,
        ti: usize,
        trig: &Trigger,
        mentions: &[ActorMention],
        nations: &[Vec<usize>],
        reading: &DocReading,
    ) -> Option<(Option<usize>, Vec<usize>)> {
        let usable: Vec<&ActorMention> = mentions
            .iter()
            .filter(|m| m.role != Role::Reporter)
            .collect();
        let is_vessel = |m: &&ActorMention| {
            matches!(
                reading.actors[m.actors[0]].kind,
                ActorKind::Ship | ActorKind::Group
            )
        };
        let subject = if trig.actor_after {
            usable
                .iter()
                .find(|m| m.first > trig.last && is_vessel(m))
                .or_else(|| {
                    usable
                        .iter()
                        .rev()
                        .find(|m| m.last < trig.head && m.role == Role::Subject)
                })
        } else {
            usable
                .iter()
                .rev()
                .find(|m| m.last < trig.head && m.role == Role::Subject)
                .or_else(|| {
                    usable
                        .iter()
                        .find(|m| m.first > trig.last && m.role == Role::Subject)
                })
        };
        let joint = matches!(
            trig.action,
            Action::Exercise | Action::Patrol | Action::Meeting
        );
        let mut partners: Vec<usize> = Vec::new();
        let actor = match subject {
            Some(m) => {
                partners.extend(m.actors[1..].iter().copied());
                Some(m.actors[0])
            }
            None => None,
        };
        if joint {
            for m in &usable {
                let after_head =
                    m.first > trig.head && !self.boundary_between(trig.last, m.first, false);
                if m.role == Role::Partner || after_head {
                    for &a in &m.actors {
                        if Some(a) != actor && !partners.contains(&a) {
                            partners.push(a);
                        }
                    }
                }
            }
        }
        let mut actor = actor;
        for &n in &nations[ti] {
            match actor {
                None => actor = Some(n),
                Some(a) if a != n && !partners.contains(&n) => partners.push(n),
                _ => {}
            }
        }
        if actor.is_none() && !trig.definite {
            return None;
        }
        Some((actor, partners))
    }

    /// The tense of a trigger's verb, read from its form and the words just before it.
    fn tense(&self, trig: &Trigger) -> Tense {
        let head = trig.head;
        if trig.noun_only {
            let mut k = trig.first;
            for _ in 0..4 {
                let Some(prev) = k.checked_sub(1) else { break };
                k = prev;
                let w = self.word(k);
                if self.is(k, class::FUTURE_ADJ) || w == "next" {
                    return Tense::Future;
                }
                if self.is_comma_like(k) {
                    break;
                }
            }
            for k in trig.last + 1..(trig.last + 6).min(self.toks.len()) {
                let w = self.word(k);
                if self.is(k, class::FUTURE_AUX)
                    || (self.is(k, class::PLAN_TO) && self.word(k + 1) == "to")
                {
                    return Tense::Future;
                }
                if w == "." || w == ";" || self.is_subordinator(k) && w != "which" {
                    break;
                }
            }
            return Tense::Unmarked;
        }
        let mut k = head;
        let mut steps = 0;
        while let Some(prev) = k.checked_sub(1) {
            k = prev;
            steps += 1;
            let w = self.word(k);
            if self.is_comma_like(k) || self.is_subordinator(k) || steps > 7 {
                break;
            }
            if self.is(k, class::FUTURE_AUX) {
                return Tense::Future;
            }
            if w == "to" && steps <= 2 {
                return Tense::Future;
            }
            if w == "had" {
                return Tense::Pluperfect;
            }
            if matches!(w, "has" | "have") {
                return Tense::Past;
            }
            if matches!(w, "is" | "are" | "am") && self.word(head).ends_with("ing") {
                return Tense::Present;
            }
            if matches!(w, "was" | "were") {
                return Tense::Past;
            }
            // another verb of the sentence ends the look back ("left ... and will meet")
            if steps > 1 && (w.ends_with("ed") || self.is(k, class::IRREGULAR_PAST)) {
                break;
            }
        }
        let w = self.word(head);
        if w.ends_with("ed") || self.is(head, class::IRREGULAR_PAST) {
            Tense::Past
        } else if w.ends_with("ing") {
            Tense::Participle
        } else {
            Tense::Present
        }
    }

    fn dated_after(&self, datings: &[Dating], published: Option<NaiveDate>) -> bool {
        let Some(published) = published else {
            return false;
        };
        datings.iter().any(|d| {
            !d.reported
                && d.value
                    .as_deref()
                    .and_then(super::days)
                    .is_some_and(|(start, _)| start > published)
        })
    }

    /// Order cues between the frames of this sentence, and to the previous sentence's frames.
    fn order_frames(
        &self,
        made: &[(usize, usize, Sequence)],
        triggers: &[Trigger],
        report: &[bool],
        reading: &mut DocReading,
        state: &DocState,
    ) {
        // "had ended" after "confirmed that" is the tense of reported speech, not a flashback
        let flashback = |f: &Frame, head: usize| {
            f.tense == Tense::Pluperfect && !report[..head].iter().any(|&z| z)
        };
        // a "before"/"after" clause orders its happenings against the verb it hangs on: the last
        // one before it, or the first after it when it opens the sentence
        let mut cued: Vec<(usize, usize, usize, bool)> = Vec::new(); // (start, end, anchor, later)
        for (word, later) in [("before", true), ("after", false)] {
            for (a, b) in self.clause_spans(word) {
                let anchor = if a == 0 {
                    triggers.iter().position(|t| t.head > b)
                } else {
                    triggers.iter().rposition(|t| t.head < a)
                };
                if let Some(anchor) = anchor {
                    cued.push((a, b, anchor, later));
                }
            }
        }
        let cue = |h: usize, anchor_trigger: usize| {
            cued.iter()
                .find(|&&(a, b, anchor, _)| a <= h && h <= b && anchor == anchor_trigger)
                .map(|&(_, _, _, later)| later)
        };
        let in_cued = |h: usize| cued.iter().any(|&(a, b, _, _)| a <= h && h <= b);
        let then_at = (1..self.toks.len()).find(|&k| self.is(k, class::THEN));
        let opens_with_then =
            self.is(0, class::THEN) || (self.word(0) == "and" && self.is(1, class::THEN));
        let mut edges: Vec<(usize, usize)> = Vec::new(); // (earlier frame, later frame)
        for (x, &(fa, ta, ra)) in made.iter().enumerate() {
            for &(fb, tb, rb) in &made[x + 1..] {
                let (a, b) = (&reading.frames[fa], &reading.frames[fb]);
                if a.actor != b.actor {
                    continue;
                }
                let (ha, hb) = (triggers[ta].head, triggers[tb].head);
                let edge = if let Some(later) = cue(ha, tb) {
                    // "before calling at X": the clause happened after its anchor
                    Some(if later { (fb, fa) } else { (fa, fb) })
                } else if let Some(later) = cue(hb, ta) {
                    Some(if later { (fa, fb) } else { (fb, fa) })
                } else if let Some(t) = then_at.filter(|&t| (ha < t) != (hb < t)) {
                    Some(if ha < t { (fa, fb) } else { (fb, fa) })
                } else if flashback(a, ha) != flashback(b, hb)
                    && a.modality == Modality::Happened
                    && b.modality == Modality::Happened
                {
                    Some(if flashback(a, ha) { (fa, fb) } else { (fb, fa) })
                } else if ra != rb {
                    Some(if (ra as u8) < (rb as u8) {
                        (fa, fb)
                    } else {
                        (fb, fa)
                    })
                } else if a.modality != b.modality
                    || self.in_relative_clause(ha)
                    || self.in_relative_clause(hb)
                    || in_cued(ha) != in_cued(hb)
                {
                    None
                } else if self.told_in_sequence(a, b, hb) {
                    // otherwise, the order of telling: "sailed through X and passed Y", "passed X,
                    // entering Y"
                    Some((fa, fb))
                } else if self.told_in_sequence(b, a, ha) {
                    Some((fb, fa))
                } else {
                    None
                };
                edges.extend(edge);
            }
        }
        // across sentences: "Then ..." follows the last sentence; "had passed" went before it
        let all_pluperfect = !made.is_empty()
            && made
                .iter()
                .all(|&(f, t, _)| flashback(&reading.frames[f], triggers[t].head));
        if opens_with_then || all_pluperfect {
            for &(f, _, _) in made {
                for &p in &state.previous_frames {
                    if reading.frames[p].actor != reading.frames[f].actor
                        || reading.frames[p].modality != Modality::Happened
                    {
                        continue;
                    }
                    edges.push(if opens_with_then { (p, f) } else { (f, p) });
                }
            }
        }
        for (earlier, later) in edges {
            if earlier != later && !reading.frames[later].after.contains(&earlier) {
                reading.frames[later].after.push(earlier);
            }
        }
    }

    /// Whether frame `b` (trigger head `hb`) follows frame `a` in the telling as one move after
    /// another: both finite verbs, or `b` a participle after a comma. A participle before the main
    /// verb ("two warships taking part in the drill, had earlier trained") says nothing of order.
    fn told_in_sequence(&self, a: &Frame, b: &Frame, hb: usize) -> bool {
        let finite = |t: Tense| {
            matches!(
                t,
                Tense::Past | Tense::Pluperfect | Tense::Present | Tense::Future
            )
        };
        a.at <= b.at
            && finite(a.tense)
            && (finite(b.tense)
                || (b.tense == Tense::Participle && hb > 0 && self.word(hb - 1) == ","))
    }

    /// Token spans of the clauses a word opens ("before calling at Shanghai"), up to the next comma.
    fn clause_spans(&self, word: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for k in 0..self.toks.len() {
            if self.word(k) == word {
                let end = (k + 1..self.toks.len())
                    .find(|&j| matches!(self.word(j), "," | ";" | "—" | "–"))
                    .map_or(self.toks.len() - 1, |j| j - 1);
                out.push((k, end));
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
struct NounPhrase {
    first: usize,
    last: usize,
    countries: Vec<String>,
    forces: bool,
    plural: bool,
    definite: bool,
    label: String,
}

/// The tokens of a sentence: words (letters and digits, with any combining marks) and single other
/// characters, with their lower-case forms and lexicon entries. `first_char` is the code-point
/// offset of the sentence; lower-case forms that differ from the text are written to `lowered`.
/// Words of plain ASCII, most of any text, are read without decoding characters.
fn tokenize<'a>(
    text: &'a str,
    range: Range<usize>,
    first_char: usize,
    lowered: &'a mut String,
) -> Vec<Tok<'a>> {
    let bytes = text.as_bytes();
    let end = range.end;
    let mut toks: Vec<Tok> = Vec::with_capacity(range.len() / 5 + 4);
    // tokens whose lower-case form is in `lowered`, with where
    let mut in_lowered: Vec<(usize, Range<usize>)> = Vec::new();
    let (mut i, mut chars) = (range.start, first_char);
    let mut prev_end: Option<usize> = None;
    while i < end {
        let kind = BYTE_KIND[usize::from(bytes[i])];
        if kind == SPACE {
            i += 1;
            chars += 1;
            continue;
        }
        let (start, cstart) = (i, chars);
        let (word, cap, lower, entry) = if kind == OTHER {
            i += 1;
            chars += 1;
            (false, false, &text[start..i], Entry::default())
        } else {
            let mut ascii_word = kind != NON_ASCII;
            let c = if ascii_word {
                i = lexicon::alphanumeric_run_end(bytes, start + 1, end);
                chars += i - start;
                char::from(bytes[start])
            } else {
                let c = text[i..].chars().next().expect("a character starts here");
                i += c.len_utf8();
                chars += 1;
                c
            };
            let word = ascii_word || c.is_alphanumeric();
            if c.is_whitespace() {
                continue;
            }
            if word && (!ascii_word || i < end && !bytes[i].is_ascii()) {
                // letters of other scripts, or combining marks, go on from here
                for d in text[i..end].chars() {
                    if !(d.is_alphanumeric() || unicode_normalization::char::is_combining_mark(d)) {
                        break;
                    }
                    i += d.len_utf8();
                    chars += 1;
                    ascii_word = false;
                }
            }
            let raw = &text[start..i];
            let (lower, entry) = if ascii_word {
                let (entry, lower_case) = lexicon::ascii_word_entry(bytes, start..i);
                if lower_case {
                    (raw, entry)
                } else {
                    let from = lowered.len();
                    lowered.push_str(raw);
                    lowered[from..].make_ascii_lowercase();
                    in_lowered.push((toks.len(), from..lowered.len()));
                    ("", entry)
                }
            } else if !word && c.to_lowercase().eq([c]) {
                // a dash or a curly quote: its own lower case
                (raw, Entry::default())
            } else {
                let from = lowered.len();
                lowered.push_str(&raw.to_lowercase());
                in_lowered.push((toks.len(), from..lowered.len()));
                let entry = if word {
                    lexicon::entry(&lowered[from..])
                } else {
                    Entry::default()
                };
                ("", entry)
            };
            (word, c.is_uppercase(), lower, entry)
        };
        toks.push(Tok {
            start,
            end: i,
            cstart,
            cend: chars,
            lower,
            word,
            cap,
            glued: prev_end == Some(start),
            class: entry.classes,
            cues: entry.cues,
        });
        prev_end = Some(i);
    }
    let lowered: &'a String = lowered;
    for (k, at) in in_lowered {
        toks[k].lower = &lowered[at];
    }
    toks
}

/// What the tokenizer makes of a byte: ASCII white space, a letter or digit, other ASCII, or part of
/// a longer character.
const SPACE: u8 = 0;
const ALPHANUMERIC: u8 = 1;
const OTHER: u8 = 2;
const NON_ASCII: u8 = 3;

static BYTE_KIND: [u8; 256] = {
    let mut kinds = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        kinds[b] = if byte.is_ascii_whitespace() || byte == 0x0b {
            SPACE
        } else if byte.is_ascii_alphanumeric() {
            ALPHANUMERIC
        } else {
            OTHER
        };
        b += 1;
    }
    kinds
};

/// Countries small enough to be the port a ship calls at ("due to visit Singapore").
const CITY_STATES: &[&str] = &[
    "SG", "BH", "DJ", "MT", "QA", "BN", "MC", "HK", "MO", "GI", "KW",
];

/// What a place is to a happening, from the trigger and the preposition that ties them.
fn place_role(trig: &Trigger, link: Link) -> Action {
    let loc = match link {
        Link::Direct => return trig.action,
        Link::Loc(l) => l,
    };
    if trig.motion.is_some() {
        return match loc {
            Locative::From => Action::Depart,
            Locative::To => Action::Arrive,
            Locative::Through => Action::Transit,
            Locative::At => trig.action,
        };
    }
    match (trig.action, loc) {
        (Action::Depart, Locative::To) => Action::Arrive,
        (Action::Depart, Locative::Through) => Action::Transit,
        (Action::Depart, _) => Action::Depart,
        (_, Locative::From) => Action::Depart,
        (Action::Arrive | Action::PortCall | Action::Other, Locative::Through) => Action::Transit,
        (Action::Transit, Locative::To) => Action::Arrive,
        (action, _) => action,
    }
}

fn place_ref(m: &Mention) -> Option<PlaceRef> {
    let id = m.place.clone()?;
    let c = m.candidates.iter().find(|c| *c.place == *id)?;
    Some(PlaceRef {
        id,
        name: c.name.to_string(),
        kind: c.kind,
        lat: c.lat,
        lon: c.lon,
    })
}

fn find_or_add(
    reading: &mut DocReading,
    matches: impl Fn(&DocActor) -> bool,
    new: DocActor,
) -> usize {
    match reading.actors.iter().position(matches) {
        Some(i) => i,
        None => {
            reading.actors.push(new);
            reading.actors.len() - 1
        }
    }
}

fn note_label(reading: &mut DocReading, actor: usize, label: &str) {
    let label = label.trim().to_string();
    let labels = &mut reading.actors[actor].labels;
    if !label.is_empty() {
        labels.push(label);
    }
}

fn touch(state: &mut DocState, actor: usize) {
    state.recent.retain(|&a| a != actor);
    state.recent.push(actor);
    if state.last_seen.len() <= actor {
        state.last_seen.resize(actor + 1, 0);
    }
    state.last_seen[actor] = state.sentence;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::test_data;
    use crate::geoparse::geoparse;
    use crate::next_below;
    use crate::text::CharOffsets;

    /// Sentences that give a glance every kind of word, and the reader every kind of actor: named
    /// ships, groups with and without a nationality, pronouns, countries as parties, references
    /// back to earlier frames, words outside ASCII, cue words with no actor at all.
    const SENTENCES: &[&str] = &[
        "Officials made a call on Monday.",
        "The minister held talks in Tokyo.",
        "Prices began to rise in Shanghai.",
        "They then sailed to Shanghai.",
        "It left Qingdao on Tuesday.",
        "She docked in Tokyo.",
        "The ships passed the Taiwan Strait.",
        "The warships later entered the Yellow Sea.",
        "A group of vessels arrived in Shanghai.",
        "The navy held drills.",
        "Two Russian corvettes left Vladivostok on Tuesday.",
        "A Chinese naval flotilla sailed from Qingdao.",
        "Japanese forces conducted exercises in the Sea of Japan.",
        "China's navy held drills in the East China Sea.",
        "China and Russia held a joint patrol over the Sea of Japan.",
        "Japan and the United States conducted exercises.",
        "Russia met China near Taipei.",
        "The drills ended on Friday.",
        "The exercises were held near Taipei.",
        "USS Dewey and JS Maya sailed through the Taiwan Strait.",
        "HMS Diamond arrived in Tokyo.",
        "The destroyer Qiqihar left Qingdao.",
        "The Sullivans docked in Shanghai.",
        "The frigate, the Rizhao, passed Taipei.",
        "Gromkiy and Sovershenniy sailed to Vladivostok.",
        "Admiral Kuznetsov left the port of Qingdao.",
        "Éric sailed to Tokyo.",
        "The corvette “Gromkiy” sailed to Vladivostok.",
        "The ministry said the ships left Qingdao on Monday.",
        "On Saturday, the flotilla sailed past Taipei.",
        "Then they passed the Korea Strait.",
        "The ships had passed Tokyo before arriving in Shanghai.",
        "Officials in Tokyo said little.",
        "Analysts spoke at length.",
        "(Photo: file photo of ships that sailed.)",
        "A ship left.",
        "The carrier group will visit Shanghai next week.",
        "Russian and Chinese warships held drills, the ministry said.",
        "It will arrive in Tokyo on Sunday.",
        "The vessel, a destroyer, made a port call at Shanghai.",
        "Chung-Hoon and O'Kane left port.",
        "TOKYO (Reuters) - The Japanese destroyer sailed on.",
        "Russian warships were seen.",
        "A Chinese flotilla is nearby.",
        "The frigate Wang Jian left Qingdao.",
        "The corvette, the Hai Long, passed Taipei.",
        "China's navy sailed to Tokyo.",
        "INS Wang passed Taipei.",
        "Sovershénniy sailed to Vladivostok.",
    ];

    /// Articles made of the sentences above in a fixed pseudo-random order.
    fn articles() -> Vec<(String, Option<NaiveDate>)> {
        let mut seed: u64 = 11;
        let mut next = |below: usize| next_below(&mut seed, below);
        (0..1500)
            .map(|_| {
                let count = next(9) + 1;
                let text = (0..count)
                    .map(|_| SENTENCES[next(SENTENCES.len())])
                    .collect::<Vec<_>>()
                    .join(if next(2) == 0 { " " } else { "\n" });
                let published =
                    (next(3) > 0).then(|| NaiveDate::from_ymd_opt(2024, 4, 12).unwrap());
                (text, published)
            })
            .collect()
    }

    #[test]
    fn skipping_sentences_that_cannot_change_the_reading_changes_nothing() {
        let g = test_data::small();
        let (mut skipped, mut frames) = (0, 0);
        for (text, published) in articles() {
            let prepared = PreparedText::new("d1", &text);
            let (mentions, demonyms) = geoparse(&g, &prepared);
            let times = crate::time::find_time_expressions(&prepared, published);
            let mut choose = |glance: &Glance,
                              mentions: &[Mention],
                              demonyms: &[Demonym],
                              reading: &DocReading,
                              state: &DocState| {
                let read = may_change_reading(glance, mentions, demonyms, reading, state);
                skipped += usize::from(glance.worth && !read);
                read
            };
            let chosen = read_sentences(
                &prepared,
                &mentions,
                &demonyms,
                &times,
                published,
                &mut choose,
            );
            let every_worth = read_sentences(
                &prepared,
                &mentions,
                &demonyms,
                &times,
                published,
                &mut |glance, _, _, _, _| glance.worth,
            );
            assert_eq!(chosen, every_worth, "{text}");
            frames += chosen.frames.len();
        }
        assert!(skipped > 500, "only {skipped} sentences skipped");
        assert!(frames > 3000, "only {frames} frames");
    }

    #[test]
    fn a_sentence_read_gets_the_finds_up_to_its_end_from_the_end_of_the_one_before() {
        let g = test_data::small();
        let (mut offered, mut after_skipped, mut finds) = (0, 0, 0);
        for (text, published) in articles() {
            let prepared = PreparedText::new("d1", &text);
            let (mentions, demonyms) = geoparse(&g, &prepared);
            let times = crate::time::find_time_expressions(&prepared, published);
            let ends: Vec<usize> = (prepared.sentences.iter())
                .map(|r| prepared.offsets.char_at(r.end))
                .collect();
            let mut last_offered = None;
            let mut check =
                |_: &Glance, ms: &[Mention], ds: &[Demonym], _: &DocReading, state: &DocState| {
                    let k = state.sentence - 1;
                    let from = k.checked_sub(1).map_or(0, |j| ends[j]);
                    let own = |start: usize| (from..ends[k]).contains(&start);
                    let expected: Vec<&Mention> =
                        mentions.iter().filter(|m| own(m.start)).collect();
                    assert_eq!(ms.iter().collect::<Vec<_>>(), expected, "{text}");
                    let expected: Vec<&Demonym> =
                        demonyms.iter().filter(|d| own(d.start)).collect();
                    assert_eq!(ds.iter().collect::<Vec<_>>(), expected, "{text}");
                    offered += 1;
                    after_skipped += usize::from(k > 0 && last_offered != Some(k - 1));
                    finds += ms.len() + ds.len();
                    last_offered = Some(k);
                    true
                };
            read_sentences(
                &prepared, &mentions, &demonyms, &times, published, &mut check,
            );
        }
        assert!(
            offered > 3000 && after_skipped > 150 && finds > 3000,
            "{offered} {after_skipped} {finds}"
        );
    }

    /// A token as the reader took them before [`tokenize`] read ASCII words without decoding
    /// characters: (start, end, code-point start, code-point end, lower case, word, capital, glued,
    /// classes, number of cues).
    type Plain = (
        usize,
        usize,
        usize,
        usize,
        String,
        bool,
        bool,
        bool,
        u32,
        usize,
    );

    fn tokenize_by_chars(text: &str, range: Range<usize>) -> Vec<Plain> {
        let offsets = CharOffsets::new(text);
        let s = &text[range.clone()];
        let mut toks = Vec::new();
        let mut iter = s.char_indices().peekable();
        let mut prev_end: Option<usize> = None;
        while let Some((i, c)) = iter.next() {
            if c.is_whitespace() {
                continue;
            }
            let mut end = i + c.len_utf8();
            let word = c.is_alphanumeric();
            if word {
                while let Some(&(j, d)) = iter.peek() {
                    if d.is_alphanumeric() || unicode_normalization::char::is_combining_mark(d) {
                        end = j + d.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
            }
            let lower = s[i..end].to_lowercase();
            let (start, stop) = (range.start + i, range.start + end);
            let cues = lexicon::cues().get(lower.as_str()).map_or(0, Vec::len);
            toks.push((
                start,
                stop,
                offsets.char_at(start),
                offsets.char_at(stop),
                lower.clone(),
                word,
                c.is_uppercase(),
                prev_end == Some(i),
                if word { lexicon::classes(&lower) } else { 0 },
                if word { cues } else { 0 },
            ));
            prev_end = Some(end);
        }
        toks
    }

    #[test]
    fn tokens_are_those_read_char_by_char() {
        let texts = [
            "The USS Dewey and JS Maya SAILED through the Taiwan Strait.",
            "Éric’s naïve café2x — “quoted” words, U.S.-led drills; Gromkiy/Sovershenniy",
            "e\u{301}te\u{301} KELVIN \u{212A}ick off Σίγμα ΣΑΣ İstanbul ß\u{a0}then\u{2003}end",
            "a\u{b}b\u{c}c\r\nd\t 2024-07-16 ships' crew O'Kane Chung-Hoon 12km",
            "",
            "x",
            "Ωmega→arrow 北京 left Qingdao",
        ];
        for text in texts {
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (k, &start) in boundaries.iter().enumerate() {
                for &end in &boundaries[k..] {
                    let offsets = CharOffsets::new(text);
                    let mut lowered = String::new();
                    let toks = tokenize(text, start..end, offsets.char_at(start), &mut lowered);
                    let got: Vec<Plain> = toks
                        .iter()
                        .map(|t| {
                            (
                                t.start,
                                t.end,
                                t.cstart,
                                t.cend,
                                t.lower.to_string(),
                                t.word,
                                t.cap,
                                t.glued,
                                t.class,
                                t.cues.len(),
                            )
                        })
                        .collect();
                    assert_eq!(
                        got,
                        tokenize_by_chars(text, start..end),
                        "{text:?} {start}..{end}"
                    );
                }
            }
        }
        let mut lowered = String::new();
        let toks = tokenize("HMS Diamond sailed", 0..18, 0, &mut lowered);
        assert_eq!(toks[1].lower, "diamond");
        assert_eq!(toks[2].cues.len(), 1);
    }
}
