//! The *lexicon*: what one word can mean to a temporal expression — a month, a weekday, a shift like
//! "last", a unit like "week" — so that the scanner asks one cheap question per word of the text.
//!
//! It also says what a word tells of its clause's tense (a [`Cue`]: "will", "had", "which"), for the
//! same reason. Month and weekday names count only when capitalised: "may" is a verb, "May" may be a
//! month. Both answers come from one hash table, behind filters that turn most words away unhashed.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use chrono::Weekday;

use crate::story::Modifier;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

impl Season {
    /// Position in the season year that starts in spring (winter, being last, takes its December's year).
    pub fn index(self) -> i32 {
        match self {
            Season::Spring => 0,
            Season::Summer => 1,
            Season::Autumn => 2,
            Season::Winter => 3,
        }
    }

    pub fn from_index(i: i32) -> Season {
        match i.rem_euclid(4) {
            0 => Season::Spring,
            1 => Season::Summer,
            2 => Season::Autumn,
            _ => Season::Winter,
        }
    }

    /// The TIMEX3 code.
    pub fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Autumn => "FA",
            Season::Winter => "WI",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Hour,
    Day,
    Week,
    Weekend,
    Month,
    Year,
}

/// Words that move a period relative to the article's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    This,
    Last,
    Next,
    /// "the past week": the stretch of time that ends now.
    Past,
    /// "the coming weeks": an open stretch ahead.
    Coming,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prep {
    On,
    In,
    At,
    Since,
    Until,
    By,
    From,
    To,
    Through,
    Between,
    And,
    Of,
    The,
    During,
    Before,
    After,
    Over,
    For,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lex {
    Month(u32),
    /// "Jan", "Sept": a month only when a day or a year follows.
    MonthAbbr(u32),
    Weekday(Weekday),
    Season(Season),
    /// "fall" is a verb unless a shift or a year stands with it.
    Fall,
    /// yesterday (-1), today and tonight (0), tomorrow (1).
    DayWord(i64),
    Shift(Shift),
    /// early, mid, late.
    Edge(Modifier),
    /// beginning, start, middle, end: "the end of July".
    EdgeNoun(Modifier),
    /// earlier, later: "earlier this month".
    Around,
    Unit(Unit, bool),
    PartOfDay {
        night: bool,
    },
    Count(u32),
    /// few, several, many: a count that anchors nothing.
    Few,
    Ago,
    Recent,
    Prep(Prep),
    Other,
}

impl Lex {
    /// Whether a temporal expression can begin at this word.
    pub fn starts_expression(self) -> bool {
        !matches!(
            self,
            Lex::Other
                | Lex::Prep(_)
                | Lex::Count(_)
                | Lex::Few
                | Lex::Ago
                | Lex::Fall
                | Lex::PartOfDay { .. }
        )
    }
}

/// Copy an ASCII word, lower-cased, into `buf`; None for words too long to be in any of our tables.
pub fn lowercase<'b, const N: usize>(word: &str, buf: &'b mut [u8; N]) -> Option<&'b [u8]> {
    let bytes = word.as_bytes();
    if bytes.len() > N {
        return None;
    }
    for (slot, b) in buf.iter_mut().zip(bytes) {
        *slot = b.to_ascii_lowercase();
    }
    Some(&buf[..bytes.len()])
}

/// What a word tells of the tense of its clause (read by `tense`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    Plain,
    /// "and", "or": the clause may go on past them.
    SoftBoundary,
    /// "that", "which", "when", "but", "after"...: the clause ends here.
    HardBoundary,
    /// will, shall, 'll, would, upcoming, scheduled, tomorrow.
    Future,
    /// "won't", or the past of "win".
    Won,
    /// going, poised, intends, aims, hopes: the future when "to" follows.
    FutureBeforeTo,
    Expected,
    /// expect, forecast, predict, anticipate.
    Expect,
    Set,
    Due,
    /// plan, plans, planning.
    Plan,
    Planned,
    /// soon, ahead, next.
    Soon,
    /// is, are, am, 're.
    BeNow,
    /// was, were.
    BePast,
    /// had, did, ago, yesterday.
    Past,
    /// has, have, 've.
    Have,
    /// earlier, previously, already, recently.
    Earlier,
    /// Present-tense verbs that in news announce a schedule: "the drills begin on Monday".
    Schedule,
    IrregularPast,
    /// Words ending in "-ed" that are not past forms, or are mostly adjectives in news.
    NotPast,
}

/// Temporal meanings: the word, what it means, and whether it means it only when capitalised.
const MEANINGS: &[(&str, Lex, bool)] = &[
    ("january", Lex::Month(1), true),
    ("february", Lex::Month(2), true),
    ("march", Lex::Month(3), true),
    ("april", Lex::Month(4), true),
    ("may", Lex::Month(5), true),
    ("june", Lex::Month(6), true),
    ("july", Lex::Month(7), true),
    ("august", Lex::Month(8), true),
    ("september", Lex::Month(9), true),
    ("october", Lex::Month(10), true),
    ("november", Lex::Month(11), true),
    ("december", Lex::Month(12), true),
    ("jan", Lex::MonthAbbr(1), true),
    ("feb", Lex::MonthAbbr(2), true),
    ("mar", Lex::MonthAbbr(3), true),
    ("apr", Lex::MonthAbbr(4), true),
    ("jun", Lex::MonthAbbr(6), true),
    ("jul", Lex::MonthAbbr(7), true),
    ("aug", Lex::MonthAbbr(8), true),
    ("sep", Lex::MonthAbbr(9), true),
    ("sept", Lex::MonthAbbr(9), true),
    ("oct", Lex::MonthAbbr(10), true),
    ("nov", Lex::MonthAbbr(11), true),
    ("dec", Lex::MonthAbbr(12), true),
    ("monday", Lex::Weekday(Weekday::Mon), true),
    ("tuesday", Lex::Weekday(Weekday::Tue), true),
    ("wednesday", Lex::Weekday(Weekday::Wed), true),
    ("thursday", Lex::Weekday(Weekday::Thu), true),
    ("friday", Lex::Weekday(Weekday::Fri), true),
    ("saturday", Lex::Weekday(Weekday::Sat), true),
    ("sunday", Lex::Weekday(Weekday::Sun), true),
    ("spring", Lex::Season(Season::Spring), false),
    ("summer", Lex::Season(Season::Summer), false),
    ("autumn", Lex::Season(Season::Autumn), false),
    ("winter", Lex::Season(Season::Winter), false),
    ("fall", Lex::Fall, false),
    ("yesterday", Lex::DayWord(-1), false),
    ("today", Lex::DayWord(0), false),
    ("tonight", Lex::DayWord(0), false),
    ("tomorrow", Lex::DayWord(1), false),
    ("this", Lex::Shift(Shift::This), false),
    ("last", Lex::Shift(Shift::Last), false),
    ("next", Lex::Shift(Shift::Next), false),
    ("past", Lex::Shift(Shift::Past), false),
    ("coming", Lex::Shift(Shift::Coming), false),
    ("early", Lex::Edge(Modifier::Start), false),
    ("mid", Lex::Edge(Modifier::Mid), false),
    ("late", Lex::Edge(Modifier::End), false),
    ("beginning", Lex::EdgeNoun(Modifier::Start), false),
    ("start", Lex::EdgeNoun(Modifier::Start), false),
    ("middle", Lex::EdgeNoun(Modifier::Mid), false),
    ("end", Lex::EdgeNoun(Modifier::End), false),
    ("earlier", Lex::Around, false),
    ("later", Lex::Around, false),
    ("hour", Lex::Unit(Unit::Hour, false), false),
    ("hours", Lex::Unit(Unit::Hour, true), false),
    ("day", Lex::Unit(Unit::Day, false), false),
    ("days", Lex::Unit(Unit::Day, true), false),
    ("week", Lex::Unit(Unit::Week, false), false),
    ("weeks", Lex::Unit(Unit::Week, true), false),
    ("weekend", Lex::Unit(Unit::Weekend, false), false),
    ("month", Lex::Unit(Unit::Month, false), false),
    ("months", Lex::Unit(Unit::Month, true), false),
    ("year", Lex::Unit(Unit::Year, false), false),
    ("years", Lex::Unit(Unit::Year, true), false),
    ("morning", Lex::PartOfDay { night: false }, false),
    ("afternoon", Lex::PartOfDay { night: false }, false),
    ("evening", Lex::PartOfDay { night: false }, false),
    ("night", Lex::PartOfDay { night: true }, false),
    ("a", Lex::Count(1), false),
    ("an", Lex::Count(1), false),
    ("one", Lex::Count(1), false),
    ("two", Lex::Count(2), false),
    ("three", Lex::Count(3), false),
    ("four", Lex::Count(4), false),
    ("five", Lex::Count(5), false),
    ("six", Lex::Count(6), false),
    ("seven", Lex::Count(7), false),
    ("eight", Lex::Count(8), false),
    ("nine", Lex::Count(9), false),
    ("ten", Lex::Count(10), false),
    ("eleven", Lex::Count(11), false),
    ("twelve", Lex::Count(12), false),
    ("few", Lex::Few, false),
    ("several", Lex::Few, false),
    ("many", Lex::Few, false),
    ("ago", Lex::Ago, false),
    ("recent", Lex::Recent, false),
    ("on", Lex::Prep(Prep::On), false),
    ("in", Lex::Prep(Prep::In), false),
    ("at", Lex::Prep(Prep::At), false),
    ("since", Lex::Prep(Prep::Since), false),
    ("until", Lex::Prep(Prep::Until), false),
    ("till", Lex::Prep(Prep::Until), false),
    ("til", Lex::Prep(Prep::Until), false),
    ("by", Lex::Prep(Prep::By), false),
    ("from", Lex::Prep(Prep::From), false),
    ("to", Lex::Prep(Prep::To), false),
    ("through", Lex::Prep(Prep::Through), false),
    ("thru", Lex::Prep(Prep::Through), false),
    ("throughout", Lex::Prep(Prep::Through), false),
    ("between", Lex::Prep(Prep::Between), false),
    ("and", Lex::Prep(Prep::And), false),
    ("of", Lex::Prep(Prep::Of), false),
    ("the", Lex::Prep(Prep::The), false),
    ("during", Lex::Prep(Prep::During), false),
    ("before", Lex::Prep(Prep::Before), false),
    ("after", Lex::Prep(Prep::After), false),
    ("over", Lex::Prep(Prep::Over), false),
    ("for", Lex::Prep(Prep::For), false),
];

/// Tense cues, by kind.
const CUES: &[(Cue, &[&str])] = &[
    (Cue::SoftBoundary, &["and", "or"]),
    (
        Cue::HardBoundary,
        &[
            "that", "which", "who", "whom", "whose", "while", "whereas", "although", "though",
            "because", "when", "where", "but", "if", "unless", "whether", "after", "before",
        ],
    ),
    (
        Cue::Future,
        &[
            "will",
            "shall",
            "ll",
            "would",
            "wouldn",
            "upcoming",
            "forthcoming",
            "scheduled",
            "slated",
            "tomorrow",
        ],
    ),
    (Cue::Won, &["won"]),
    (
        Cue::FutureBeforeTo,
        &["going", "poised", "intends", "intend", "aims", "hopes"],
    ),
    (Cue::Expected, &["expected"]),
    (
        Cue::Expect,
        &[
            "expect",
            "expects",
            "forecast",
            "forecasts",
            "predict",
            "predicts",
            "anticipate",
            "anticipates",
        ],
    ),
    (Cue::Set, &["set"]),
    (Cue::Due, &["due"]),
    (Cue::Plan, &["plan", "plans", "planning"]),
    (Cue::Planned, &["planned"]),
    (Cue::Soon, &["soon", "ahead", "next"]),
    (Cue::BeNow, &["is", "are", "am", "re", "isn", "aren"]),
    (Cue::BePast, &["was", "were", "wasn", "weren"]),
    (
        Cue::Past,
        &["had", "hadn", "did", "didn", "ago", "yesterday"],
    ),
    (Cue::Have, &["has", "have", "ve", "hasn", "haven"]),
    (
        Cue::Earlier,
        &["earlier", "previously", "already", "recently"],
    ),
    (
        Cue::Schedule,
        &[
            "begins",
            "begin",
            "starts",
            "start",
            "ends",
            "opens",
            "closes",
            "runs",
            "lasts",
            "continues",
            "resumes",
            "resume",
            "kicks",
            "arrives",
            "departs",
            "leaves",
            "returns",
            "visits",
            "holds",
            "hosts",
            "concludes",
            "conclude",
            "commences",
            "commence",
            "meets",
            "sails",
            "finishes",
            "takes",
            "sail",
            "leave",
            "arrive",
            "depart",
            "return",
            "visit",
            "hold",
            "host",
            "meet",
            "open",
            "continue",
            "finish",
            "kick",
        ],
    ),
    (
        Cue::IrregularPast,
        &[
            "said",
            "told",
            "left",
            "began",
            "met",
            "held",
            "sent",
            "took",
            "came",
            "went",
            "made",
            "saw",
            "gave",
            "struck",
            "fought",
            "flew",
            "ran",
            "lost",
            "spoke",
            "wrote",
            "led",
            "brought",
            "kept",
            "became",
            "sought",
            "caught",
            "thought",
            "felt",
            "stood",
            "fell",
            "drew",
            "grew",
            "knew",
            "threw",
            "broke",
            "chose",
            "got",
            "paid",
            "sold",
            "taught",
            "withdrew",
            "undertook",
            "oversaw",
            "arose",
            "drove",
            "rode",
            "sank",
            "spent",
            "built",
            "heard",
            "laid",
            "meant",
            "shot",
            "swam",
            "woke",
            "sped",
            "fled",
            "dealt",
            "swept",
            "lent",
            "bent",
            "rang",
            "sprang",
            "hid",
            "forbade",
            "overtook",
            "underwent",
        ],
    ),
    (
        Cue::NotPast,
        &[
            "need",
            "speed",
            "indeed",
            "exceed",
            "proceed",
            "succeed",
            "breed",
            "bleed",
            "united",
            "armed",
            "based",
            "related",
            "limited",
            "advanced",
            "guided",
            "alleged",
            "detailed",
            "dedicated",
            "concerned",
            "interested",
            "experienced",
            "sophisticated",
            "unprecedented",
            "embarked",
            "heightened",
            "combined",
            "disputed",
            "contested",
            "occupied",
            "annexed",
            "expanded",
            "increased",
            "renewed",
            "unidentified",
            "unnamed",
        ],
    ),
];

/// A word's letters, lower-cased, as one number; None for words that are not ASCII letters or are
/// longer than any word of the tables.
fn key(word: &[u8]) -> Option<u128> {
    if word.len() > 16 {
        return None;
    }
    let mut k = 0u128;
    for &b in word {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        k = (k << 8) | u128::from(b | 0x20);
    }
    Some(k)
}

/// Hashes a word key with one multiplication: the keys are few, short and already distinct.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u128(&mut self, k: u128) {
        let folded = (k as u64) ^ ((k >> 64) as u64).rotate_left(29);
        let h = folded.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
}

/// (meaning, needs a capital, cue) by word key.
type Table = HashMap<u128, (Lex, bool, Cue), BuildHasherDefault<KeyHasher>>;

/// The tables, and filters that turn most other words away before any hashing: for each length and
/// first letter, the set of last letters that some word with a temporal meaning has (`meanings`),
/// some word that can begin an expression (`starters`), or some tense cue (`cues`).
struct Lexicon {
    meanings: Filter,
    starters: Filter,
    cues: Filter,
    table: Table,
}

type Filter = [[u32; 26]; 17];

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut table = Table::default();
        let mut meanings = [[0u32; 26]; 17];
        let mut starters = [[0u32; 26]; 17];
        let mut cues = [[0u32; 26]; 17];
        for &(word, lex, proper) in MEANINGS {
            let k = key(word.as_bytes()).expect("lexicon words are short ASCII");
            table.insert(k, (lex, proper, Cue::Plain));
            mark(&mut meanings, word);
            if lex.starts_expression() {
                mark(&mut starters, word);
            }
        }
        for &(cue, words) in CUES {
            for word in words {
                let k = key(word.as_bytes()).expect("lexicon words are short ASCII");
                table.entry(k).or_insert((Lex::Other, false, Cue::Plain)).2 = cue;
                mark(&mut cues, word);
            }
        }
        Lexicon {
            meanings,
            starters,
            cues,
            table,
        }
    })
}

fn mark(filter: &mut Filter, word: &str) {
    let b = word.as_bytes();
    filter[b.len()][letter(b[0])] |= 1 << letter(b[b.len() - 1]);
}

fn letter(b: u8) -> usize {
    usize::from((b | 0x20).wrapping_sub(b'a')).min(25)
}

fn passes(filter: &Filter, b: &[u8]) -> bool {
    match (b.first(), b.last()) {
        (Some(&first), Some(&last)) => {
            b.len() <= 16
                && first.is_ascii_alphabetic()
                && last.is_ascii_alphabetic()
                && filter[b.len()][letter(first)] & (1 << letter(last)) != 0
        }
        _ => false,
    }
}

/// The meaning and the cue of a word that passed a filter.
fn look_up(lexicon: &Lexicon, b: &[u8]) -> (Lex, Cue) {
    match key(b).and_then(|k| lexicon.table.get(&k)) {
        Some(&(_, proper, cue)) if proper && !b[0].is_ascii_uppercase() => (Lex::Other, cue),
        Some(&(lex, _, cue)) => (lex, cue),
        None => (Lex::Other, Cue::Plain),
    }
}

/// What a word (a run of letters) can mean to a temporal expression.
pub fn lex(word: &str) -> Lex {
    let lexicon = lexicon();
    if passes(&lexicon.meanings, word.as_bytes()) {
        look_up(lexicon, word.as_bytes()).0
    } else {
        Lex::Other
    }
}

/// What a word means if it can begin an expression; [`Lex::Other`] for every other word, found
/// without hashing for most of them.
pub fn starter(word: &str) -> Lex {
    let lexicon = lexicon();
    if passes(&lexicon.starters, word.as_bytes()) {
        look_up(lexicon, word.as_bytes()).0
    } else {
        Lex::Other
    }
}

/// What a word tells of tense, found without hashing for most words that tell nothing.
pub fn cue(word: &str) -> Cue {
    let lexicon = lexicon();
    if passes(&lexicon.cues, word.as_bytes()) {
        look_up(lexicon, word.as_bytes()).1
    } else {
        Cue::Plain
    }
}

/// Words before a bare number that make it a quantity ("some 2000 sailors"), not a year.
pub fn is_quantifier(lower: &[u8]) -> bool {
    matches!(
        lower,
        b"some"
            | b"about"
            | b"around"
            | b"nearly"
            | b"almost"
            | b"roughly"
            | b"approximately"
            | b"than"
            | b"least"
            | b"estimated"
            | b"total"
            | b"additional"
            | b"another"
            | b"only"
            | b"just"
    )
}

/// Nouns after a bare number that make it a quantity ("2000 troops"), not a year.
pub fn is_counted_noun(lower: &[u8]) -> bool {
    matches!(
        lower,
        b"km"
            | b"kilometers"
            | b"kilometres"
            | b"miles"
            | b"nm"
            | b"tons"
            | b"tonnes"
            | b"troops"
            | b"soldiers"
            | b"sailors"
            | b"marines"
            | b"personnel"
            | b"people"
            | b"ships"
            | b"vessels"
            | b"aircraft"
            | b"jets"
            | b"missiles"
            | b"metres"
            | b"meters"
            | b"feet"
            | b"dollars"
            | b"euros"
            | b"yuan"
            | b"rubles"
            | b"roubles"
            | b"men"
            | b"women"
            | b"residents"
            | b"homes"
            | b"houses"
            | b"casualties"
            | b"deaths"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_weekdays_need_a_capital() {
        assert_eq!(lex("May"), Lex::Month(5));
        assert_eq!(lex("may"), Lex::Other);
        assert_eq!(lex("SUNDAY"), Lex::Weekday(Weekday::Sun));
        assert_eq!(lex("sunday"), Lex::Other);
        assert_eq!(lex("Summer"), Lex::Season(Season::Summer));
    }

    #[test]
    fn long_and_unknown_words_are_other() {
        assert_eq!(lex("internationally"), Lex::Other);
        assert_eq!(lex("Qingdao"), Lex::Other);
        assert!(!lex("the").starts_expression());
        assert!(lex("last").starts_expression());
    }

    #[test]
    fn seasons_cycle_from_spring() {
        assert_eq!(
            Season::from_index(Season::Winter.index() + 1),
            Season::Spring
        );
        assert_eq!(Season::from_index(-1), Season::Winter);
        assert_eq!(Season::Autumn.code(), "FA");
    }
}
