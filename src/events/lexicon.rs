//! The words event reading keys on: *cues* — the verbs and nouns that report a happening, the nouns that
//! name ships, groups and forces, the verbs that report speech, and the small words that mark tense,
//! clauses and order. All lower case; multi-word cues are matched word by word.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::story::Action;

/// Which part of an event a verb speaks of: "commenced" the start, "concluded" the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aspect {
    Whole,
    Start,
    End,
}

/// What a cue does in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A verb that reports a happening by itself ("left", "passed", "called at").
    Verb(Action),
    /// A verb of motion whose preposition says what happened ("sailed from / to / through").
    Motion { default: Action, actor_after: bool },
    /// A noun naming a happening ("drills", "port call"); `event` nouns can be referred back to.
    Noun(Action),
    /// A verb that carries a following or preceding event noun ("took part in", "held", "commenced").
    Light(Aspect),
    /// "join", "meet": a meeting, unless an event noun follows ("join ... in an exercise").
    Join,
}

const VERBS: &[(&str, Action)] = &[
    ("left", Action::Depart),
    ("leave", Action::Depart),
    ("leaves", Action::Depart),
    ("leaving", Action::Depart),
    ("departed", Action::Depart),
    ("depart", Action::Depart),
    ("departs", Action::Depart),
    ("departing", Action::Depart),
    ("set out", Action::Depart),
    ("set off", Action::Depart),
    ("set sail", Action::Depart),
    ("sets sail", Action::Depart),
    ("setting sail", Action::Depart),
    ("sets out", Action::Depart),
    ("setting out", Action::Depart),
    ("set forth", Action::Depart),
    ("put to sea", Action::Depart),
    ("weighed anchor", Action::Depart),
    ("pulled out of", Action::Depart),
    ("arrived", Action::Arrive),
    ("arrive", Action::Arrive),
    ("arrives", Action::Arrive),
    ("arriving", Action::Arrive),
    ("reached", Action::Arrive),
    ("reach", Action::Arrive),
    ("reaches", Action::Arrive),
    ("reaching", Action::Arrive),
    ("entered", Action::Arrive),
    ("enter", Action::Arrive),
    ("enters", Action::Arrive),
    ("entering", Action::Arrive),
    ("called at", Action::PortCall),
    ("call at", Action::PortCall),
    ("calls at", Action::PortCall),
    ("calling at", Action::PortCall),
    ("called in at", Action::PortCall),
    ("visited", Action::PortCall),
    ("visit", Action::PortCall),
    ("visits", Action::PortCall),
    ("visiting", Action::PortCall),
    ("made port", Action::PortCall),
    ("making port", Action::PortCall),
    ("make port", Action::PortCall),
    ("docked", Action::PortCall),
    ("dock", Action::PortCall),
    ("docks", Action::PortCall),
    ("docking", Action::PortCall),
    ("berthed", Action::PortCall),
    ("moored", Action::PortCall),
    ("pulled into", Action::PortCall),
    ("passed", Action::Transit),
    ("pass", Action::Transit),
    ("passes", Action::Transit),
    ("passing", Action::Transit),
    ("transited", Action::Transit),
    ("transit", Action::Transit),
    ("transits", Action::Transit),
    ("transiting", Action::Transit),
    ("crossed", Action::Transit),
    ("cross", Action::Transit),
    ("crosses", Action::Transit),
    ("crossing", Action::Transit),
    ("traversed", Action::Transit),
    ("circumnavigated", Action::Transit),
    ("skirted", Action::Transit),
    ("trained", Action::Exercise),
    ("exercised", Action::Exercise),
    ("drilled", Action::Exercise),
    ("patrolled", Action::Patrol),
    ("patrolling", Action::Patrol),
    ("met", Action::Meeting),
    ("meets", Action::Meeting),
    ("rendezvous", Action::Meeting),
    ("rendezvoused", Action::Meeting),
    ("linked up", Action::Meeting),
    ("link up", Action::Meeting),
    ("spotted", Action::Other),
    ("sighted", Action::Other),
    ("observed", Action::Other),
    ("detected", Action::Other),
    ("operating", Action::Other),
    ("operated", Action::Other),
    ("anchored", Action::Other),
    ("stationed", Action::Other),
    ("stayed", Action::Other),
    ("remained", Action::Other),
];

const MOTION: &[(&str, Action, bool)] = &[
    ("sailed", Action::Transit, false),
    ("sail", Action::Transit, false),
    ("sails", Action::Transit, false),
    ("sailing", Action::Transit, false),
    ("headed", Action::Arrive, false),
    ("head", Action::Arrive, false),
    ("heads", Action::Arrive, false),
    ("heading", Action::Arrive, false),
    ("steamed", Action::Transit, false),
    ("steaming", Action::Transit, false),
    ("moved", Action::Transit, false),
    ("moving", Action::Transit, false),
    ("proceeded", Action::Transit, false),
    ("cruised", Action::Transit, false),
    ("navigated", Action::Transit, false),
    ("returned", Action::Arrive, false),
    ("return", Action::Arrive, false),
    ("returns", Action::Arrive, false),
    ("returning", Action::Arrive, false),
    ("came back", Action::Arrive, false),
    ("went", Action::Transit, false),
    ("dispatched", Action::Depart, true),
    ("dispatch", Action::Depart, true),
    ("sent", Action::Depart, true),
    ("send", Action::Depart, true),
    ("deployed", Action::Depart, true),
    ("deploy", Action::Depart, true),
];

const NOUNS: &[(&str, Action)] = &[
    ("exercise", Action::Exercise),
    ("exercises", Action::Exercise),
    ("drill", Action::Exercise),
    ("drills", Action::Exercise),
    ("maneuvers", Action::Exercise),
    ("manoeuvres", Action::Exercise),
    ("training", Action::Exercise),
    ("war games", Action::Exercise),
    ("wargames", Action::Exercise),
    ("firing", Action::Exercise),
    ("patrol", Action::Patrol),
    ("patrols", Action::Patrol),
    ("port call", Action::PortCall),
    ("port calls", Action::PortCall),
    ("port visit", Action::PortCall),
    ("departure", Action::Depart),
    ("arrival", Action::Arrive),
    ("passage", Action::Transit),
];

const LIGHT: &[(&str, Aspect)] = &[
    ("take part", Aspect::Whole),
    ("takes part", Aspect::Whole),
    ("taking part", Aspect::Whole),
    ("took part", Aspect::Whole),
    ("taken part", Aspect::Whole),
    ("participate", Aspect::Whole),
    ("participates", Aspect::Whole),
    ("participated", Aspect::Whole),
    ("participating", Aspect::Whole),
    ("hold", Aspect::Whole),
    ("holds", Aspect::Whole),
    ("held", Aspect::Whole),
    ("holding", Aspect::Whole),
    ("conduct", Aspect::Whole),
    ("conducts", Aspect::Whole),
    ("conducted", Aspect::Whole),
    ("conducting", Aspect::Whole),
    ("carry out", Aspect::Whole),
    ("carried out", Aspect::Whole),
    ("carrying out", Aspect::Whole),
    ("carries out", Aspect::Whole),
    ("stage", Aspect::Whole),
    ("staged", Aspect::Whole),
    ("staging", Aspect::Whole),
    ("performed", Aspect::Whole),
    ("launch", Aspect::Start),
    ("launched", Aspect::Start),
    ("launches", Aspect::Start),
    ("launching", Aspect::Start),
    ("start", Aspect::Start),
    ("started", Aspect::Start),
    ("starts", Aspect::Start),
    ("begin", Aspect::Start),
    ("began", Aspect::Start),
    ("begun", Aspect::Start),
    ("begins", Aspect::Start),
    ("commence", Aspect::Start),
    ("commenced", Aspect::Start),
    ("commences", Aspect::Start),
    ("kick off", Aspect::Start),
    ("kicked off", Aspect::Start),
    ("kicks off", Aspect::Start),
    ("kicking off", Aspect::Start),
    ("conclude", Aspect::End),
    ("concluded", Aspect::End),
    ("concludes", Aspect::End),
    ("ended", Aspect::End),
    ("ends", Aspect::End),
    ("wrapped up", Aspect::End),
    ("wrap up", Aspect::End),
    ("finished", Aspect::End),
    ("completed", Aspect::End),
];

const JOIN: &[&str] = &["join", "joins", "joined", "joining", "meet", "meeting"];

/// FNV-1a, for maps keyed by short words: every word of a sentence is looked up, and this is much
/// quicker on them than the default hasher (the keys are our own word lists, not outside input).
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by words, hashed with [`Fnv`].
pub type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// Cues by their first word: for each, the remaining words and the cue, longest first.
pub type CueIndex = WordMap<&'static str, Vec<(Vec<&'static str>, Cue)>>;

pub fn cues() -> &'static CueIndex {
    static CUES: OnceLock<CueIndex> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut map = CueIndex::default();
        let mut add = |phrase: &'static str, cue: Cue| {
            let mut words = phrase.split(' ');
            let first = words.next().unwrap();
            map.entry(first).or_default().push((words.collect(), cue));
        };
        for &(p, a) in VERBS {
            add(p, Cue::Verb(a));
        }
        for &(p, a, actor_after) in MOTION {
            add(
                p,
                Cue::Motion {
                    default: a,
                    actor_after,
                },
            );
        }
        for &(p, a) in NOUNS {
            add(p, Cue::Noun(a));
        }
        for &(p, aspect) in LIGHT {
            add(p, Cue::Light(aspect));
        }
        for &p in JOIN {
            add(p, Cue::Join);
        }
        // longest phrase first, so "set sail" wins over a shorter reading
        for list in map.values_mut() {
            list.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
        map
    })
}

/// A finder for every word a sentence needs before it is worth reading: the first words of cues and
/// the ship, group and force nouns. A sentence with none of them reports no happening and names no
/// actor, so it is skipped whole.
pub fn worth_reading() -> &'static AhoCorasick {
    static FINDER: OnceLock<AhoCorasick> = OnceLock::new();
    FINDER.get_or_init(|| {
        let mut words: Vec<&str> = cues().keys().copied().collect();
        words.extend(SHIP_NOUNS.iter().map(|(w, _)| *w));
        words.extend(GROUP_PAIRS.iter().map(|(_, w)| *w));
        words.extend(FORCE_NOUNS);
        words.sort_unstable();
        words.dedup();
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(words)
            .expect("valid word list")
    })
}

/// Verbs and nouns that report speech: a time next to them dates the statement, not the happening,
/// and a navy or ministry before them is the speaker, not an actor.
pub const REPORTING: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "announced",
    "announces",
    "announce",
    "announcing",
    "stated",
    "states",
    "reported",
    "reports",
    "told",
    "tells",
    "added",
    "adding",
    "confirmed",
    "confirms",
    "noted",
    "claimed",
    "cited",
    "citing",
    "quoted",
    "tweeted",
    "wrote",
    "posted",
    "mentioned",
    "statement",
    "statements",
    "according",
    "announcement",
];

/// Words before a verb that put it in the future or make it a plan.
pub const FUTURE_AUX: &[&str] = &["will", "would", "shall", "ll"];

/// Adjectives before an event noun that make it a plan.
pub const FUTURE_ADJ: &[&str] = &["upcoming", "planned", "scheduled", "forthcoming", "future"];

/// Verbs or adjectives followed by "to" + verb that make the verb a plan ("set to start", "due to visit").
pub const PLAN_TO: &[&str] = &[
    "due",
    "set",
    "expected",
    "plans",
    "plan",
    "planned",
    "planning",
    "scheduled",
    "going",
    "about",
    "is",
    "are",
    "intends",
    "intend",
    "aims",
    "poised",
    "slated",
];

/// Prepositions that place a happening, and what they make of a motion verb.
pub fn locative(word: &str) -> Option<Locative> {
    Some(match word {
        "from" => Locative::From,
        "to" | "toward" | "towards" | "for" | "into" | "onto" => Locative::To,
        "through" | "past" | "via" | "across" | "along" | "around" => Locative::Through,
        "at" | "in" | "off" | "near" | "over" | "within" | "inside" | "outside" | "beyond"
        | "on" => Locative::At,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locative {
    From,
    To,
    Through,
    At,
}

/// Words that open a subordinate clause.
pub const SUBORDINATORS: &[&str] = &[
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "before",
    "after",
    "while",
    "when",
    "whereas",
    "although",
    "because",
    "prompting",
    "amid",
    "where",
];

/// Articles and numbers before a noun.
pub const NUMBER_WORDS: &[&str] = &[
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "several", "some", "many", "multiple", "both", "all", "its", "their",
];

/// Past tenses and participles that do not end in "-ed".
pub const IRREGULAR_PAST: &[&str] = &[
    "left", "met", "set", "held", "made", "sent", "went", "took", "began", "came", "kept", "led",
    "ran", "saw", "put", "begun", "taken", "seen", "done", "did",
];

/// Compass words that make "east of Taipei" a relative location, not a place the ship was at.
pub const DIRECTIONS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "northern",
    "southern",
    "eastern",
    "western",
];

/// Words that say the events after them came later ("then", "later").
pub const THEN: &[&str] = &["then", "later", "afterwards", "afterward", "subsequently"];

/// Ship nouns: (word, plural). A plural or collective noun makes a group, a singular one a ship.
pub const SHIP_NOUNS: &[(&str, bool)] = &[
    ("flotilla", true),
    ("flotillas", true),
    ("group", true),
    ("fleet", true),
    ("squadron", true),
    ("convoy", true),
    ("armada", true),
    ("formation", true),
    ("detachment", true),
    ("warships", true),
    ("ships", true),
    ("vessels", true),
    ("destroyers", true),
    ("frigates", true),
    ("corvettes", true),
    ("cruisers", true),
    ("carriers", true),
    ("submarines", true),
    ("icebreakers", true),
    ("boats", true),
    ("warship", false),
    ("ship", false),
    ("vessel", false),
    ("destroyer", false),
    ("frigate", false),
    ("corvette", false),
    ("cruiser", false),
    ("carrier", false),
    ("submarine", false),
    ("icebreaker", false),
    ("battlecruiser", false),
    ("flagship", false),
    ("tanker", false),
    ("oiler", false),
];

/// Two-word group nouns whose second word alone is not a ship noun ("task group").
pub const GROUP_PAIRS: &[(&str, &str)] = &[
    ("task", "group"),
    ("task", "force"),
    ("strike", "group"),
    ("carrier", "group"),
    ("battle", "group"),
    ("naval", "group"),
    ("surface", "group"),
    ("escort", "group"),
];

/// Nouns that name a nation's forces as a whole.
pub const FORCE_NOUNS: &[&str] = &[
    "forces",
    "force",
    "navy",
    "navies",
    "military",
    "militaries",
    "army",
    "fleet",
];

/// Words after a force or ship noun that make it a modifier ("Russian Navy chief", "navy statement").
pub const MODIFIED: &[&str] = &[
    "chief",
    "chiefs",
    "commander",
    "commanders",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "officials",
    "minister",
    "ministry",
    "headquarters",
    "statement",
    "source",
    "sources",
    "officer",
    "officers",
    "personnel",
    "sailors",
    "crew",
    "crews",
    "delegation",
    "band",
    "base",
    "bases",
    "academy",
    "day",
    "photo",
    "aircraft",
    "helicopters",
    "helicopter",
];

/// Words allowed between a nationality and its ship or force noun ("Chinese naval flotilla",
/// "five Chinese guided-missile destroyers").
pub const MODIFIERS: &[&str] = &[
    "naval",
    "navy",
    "guided",
    "missile",
    "amphibious",
    "assault",
    "landing",
    "anti",
    "submarine",
    "combat",
    "surface",
    "auxiliary",
    "support",
    "supply",
    "patrol",
    "coast",
    "guard",
    "air",
    "and",
    "military",
    "nuclear",
    "powered",
    "attack",
    "aircraft",
    "research",
    "survey",
    "spy",
    "intelligence",
    "armed",
    "maritime",
    "large",
    "small",
    "new",
    "type",
    "class",
    "stealth",
    "pacific",
    "northern",
    "baltic",
    "black",
    "sea",
    "eastern",
    "southern",
    "western",
    "joint",
    "allied",
];

/// Determiners before an actor noun: "the" and its kin make it a reference back.
pub const DEFINITE: &[&str] = &["the", "these", "those", "this", "same", "both"];

/// Navy prefixes written before ship names, with the navy's country.
pub const PREFIXES: &[(&str, &str)] = &[
    ("HMS", "GB"),
    ("RFA", "GB"),
    ("USS", "US"),
    ("USNS", "US"),
    ("USCGC", "US"),
    ("HMCS", "CA"),
    ("INS", "IN"),
    ("JS", "JP"),
    ("ROKS", "KR"),
    ("HNLMS", "NL"),
    ("FS", "FR"),
    ("FNS", "FR"),
    ("ITS", "IT"),
    ("FGS", "DE"),
    ("HMAS", "AU"),
    ("HMNZS", "NZ"),
    ("TCG", "TR"),
    ("ESPS", "ES"),
    ("SPS", "ES"),
    ("KRI", "ID"),
    ("BRP", "PH"),
    ("RSS", "SG"),
    ("KD", "MY"),
    ("PNS", "PK"),
    ("NRP", "PT"),
    ("HDMS", "DK"),
    ("HNoMS", "NO"),
    ("HSwMS", "SE"),
    ("ORP", "PL"),
    ("HS", "GR"),
    ("ROCS", "TW"),
    ("RFS", "RU"),
    ("PLANS", "CN"),
    ("ARA", "AR"),
    ("BNS", "BE"),
];

/// Capitalised words that follow a class word without being a ship's name.
pub const NOT_NAMES: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "and",
    "but",
    "the",
    "on",
    "in",
    "at",
    "from",
    "to",
    "of",
    "was",
    "is",
    "which",
    "that",
    "it",
    "its",
    "he",
    "she",
    "they",
    "type",
    "class",
];

/// Which of the lists above a word is in, as bits, so a sentence's words are looked up once each.
pub mod class {
    pub const REPORTING: u32 = 1;
    pub const SUBORDINATOR: u32 = 1 << 1;
    pub const FUTURE_AUX: u32 = 1 << 2;
    pub const FUTURE_ADJ: u32 = 1 << 3;
    pub const PLAN_TO: u32 = 1 << 4;
    pub const DEFINITE: u32 = 1 << 5;
    pub const NUMBER: u32 = 1 << 6;
    pub const MODIFIER: u32 = 1 << 7;
    pub const MODIFIED: u32 = 1 << 8;
    pub const SHIP: u32 = 1 << 9;
    pub const SHIP_PLURAL: u32 = 1 << 10;
    pub const FORCE: u32 = 1 << 11;
    pub const DIRECTION: u32 = 1 << 12;
    pub const THEN: u32 = 1 << 13;
    pub const NOT_NAME: u32 = 1 << 14;
    pub const IRREGULAR_PAST: u32 = 1 << 15;
}

/// The classes of a lower-case word.
pub fn classes(word: &str) -> u32 {
    static MAP: OnceLock<WordMap<&'static str, u32>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut map: WordMap<&'static str, u32> = WordMap::default();
        let mut add = |words: &[&'static str], bit: u32| {
            for w in words {
                *map.entry(*w).or_insert(0) |= bit;
            }
        };
        add(REPORTING, class::REPORTING);
        add(SUBORDINATORS, class::SUBORDINATOR);
        add(FUTURE_AUX, class::FUTURE_AUX);
        add(FUTURE_ADJ, class::FUTURE_ADJ);
        add(PLAN_TO, class::PLAN_TO);
        add(DEFINITE, class::DEFINITE);
        add(NUMBER_WORDS, class::NUMBER);
        add(MODIFIERS, class::MODIFIER);
        add(MODIFIED, class::MODIFIED);
        add(FORCE_NOUNS, class::FORCE);
        add(DIRECTIONS, class::DIRECTION);
        add(THEN, class::THEN);
        add(NOT_NAMES, class::NOT_NAME);
        add(IRREGULAR_PAST, class::IRREGULAR_PAST);
        for &(w, plural) in SHIP_NOUNS {
            *map.entry(w).or_insert(0) |= class::SHIP | if plural { class::SHIP_PLURAL } else { 0 };
        }
        map
    });
    map.get(word).copied().unwrap_or(0)
}

/// Whether a lower-case word is in any of the given classes.
pub fn is(word: &str, classes_wanted: u32) -> bool {
    classes(word) & classes_wanted != 0
}
