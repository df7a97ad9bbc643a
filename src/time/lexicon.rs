//! The *lexicon*: what one word can mean to a temporal expression — a month, a weekday, a shift like
//! "last", a unit like "week" — so that the scanner asks one cheap question per word of the text.
//!
//! It also says what a word tells of its clause's tense (a [`Cue`]: "will", "had", "which"), for the
//! same reason. Month and weekday names count only when capitalised: "may" is a verb, "May" may be a
//! month. Both answers come from one hash table, behind filters that turn most words away unhashed.

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
    pub const fn starts_expression(self) -> bool {
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

/// A word's bytes, with ASCII letters lower-cased, as one number; None for words longer than any
/// word of the tables. Only a word of ASCII letters can give the key of a table word: every other
/// byte stays outside `a`..=`z`, and no byte becomes 0.
fn key(word: &[u8]) -> Option<u128> {
    if word.len() > 16 {
        return None;
    }
    Some(
        word.iter()
            .fold(0u128, |k, &b| (k << 8) | u128::from(b | 0x20)),
    )
}

/// What a table word means: (meaning, needs a capital, cue).
type Entry = (Lex, bool, Cue);

/// The words of both tables by key, in open addressing: a slot holds a key (0 when empty) and its
/// entry, and a key that is not in its home slot is in the next ones.
struct Table {
    slots: Vec<(u128, Entry)>,
}

/// Slots in the table: a power of two, about four times the words, so that a look-up mostly ends
/// at the first slot.
const SLOTS: usize = 1024;

impl Table {
    fn home(k: u128) -> usize {
        let folded = (k as u64) ^ ((k >> 64) as u64).rotate_left(29);
        (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize
    }

    fn get(&self, k: u128) -> Option<Entry> {
        let mut i = Table::home(k);
        loop {
            let (key, entry) = self.slots[i];
            if key == k {
                return Some(entry);
            }
            if key == 0 {
                return None;
            }
            i = (i + 1) % SLOTS;
        }
    }

    fn slot_mut(&mut self, k: u128) -> &mut Entry {
        let mut i = Table::home(k);
        while self.slots[i].0 != k && self.slots[i].0 != 0 {
            i = (i + 1) % SLOTS;
        }
        if self.slots[i].0 == 0 {
            self.slots[i] = (k, (Lex::Other, false, Cue::Plain));
        }
        &mut self.slots[i].1
    }
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table {
            slots: vec![(0, (Lex::Other, false, Cue::Plain)); SLOTS],
        };
        for &(word, lex, proper) in MEANINGS {
            let k = key(word.as_bytes()).expect("lexicon words are short");
            let entry = table.slot_mut(k);
            (entry.0, entry.1) = (lex, proper);
        }
        for &(cue, words) in CUES {
            for word in words {
                let k = key(word.as_bytes()).expect("lexicon words are short");
                table.slot_mut(k).2 = cue;
            }
        }
        table
    })
}

/// Filters that turn most words away before any hashing: for each length and first letter, the set
/// of last letters that some word of the filter's kind has. Built when compiling; rows and sets have
/// room for 32 letters so that a letter's index needs no bounds.
type Filter = [[u32; 32]; 17];

/// Words with a temporal meaning.
static MEANING_FILTER: Filter = meaning_filter(false);
/// Words that can begin an expression.
static STARTER_FILTER: Filter = meaning_filter(true);
/// Tense cues.
static CUE_FILTER: Filter = {
    let mut filter = [[0u32; 32]; 17];
    let mut i = 0;
    while i < CUES.len() {
        let words = CUES[i].1;
        let mut j = 0;
        while j < words.len() {
            mark(&mut filter, words[j].as_bytes());
            j += 1;
        }
        i += 1;
    }
    filter
};

const fn meaning_filter(starters_only: bool) -> Filter {
    let mut filter = [[0u32; 32]; 17];
    let mut i = 0;
    while i < MEANINGS.len() {
        let (word, lex, _) = MEANINGS[i];
        if !starters_only || lex.starts_expression() {
            mark(&mut filter, word.as_bytes());
        }
        i += 1;
    }
    filter
}

const fn mark(filter: &mut Filter, b: &[u8]) {
    filter[b.len()][letter(b[0])] |= 1 << letter(b[b.len() - 1]);
}

/// A letter's place in the alphabet (other bytes land somewhere below 32 too).
const fn letter(b: u8) -> usize {
    ((b | 0x20).wrapping_sub(b'a') & 31) as usize
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
fn look_up(b: &[u8]) -> (Lex, Cue) {
    match key(b).and_then(|k| table().get(k)) {
        Some((_, proper, cue)) if proper && !b[0].is_ascii_uppercase() => (Lex::Other, cue),
        Some((lex, _, cue)) => (lex, cue),
        None => (Lex::Other, Cue::Plain),
    }
}

/// What a word (a run of letters) can mean to a temporal expression.
pub fn lex(word: &str) -> Lex {
    if passes(&MEANING_FILTER, word.as_bytes()) {
        look_up(word.as_bytes()).0
    } else {
        Lex::Other
    }
}

/// For each last letter of a word that can begin an expression, the set of letters before it.
static STARTER_ENDINGS: [u32; 32] = {
    let mut endings = [0u32; 32];
    let mut i = 0;
    while i < MEANINGS.len() {
        let (word, lex, _) = MEANINGS[i];
        let b = word.as_bytes();
        if lex.starts_expression() {
            endings[letter(b[b.len() - 1])] |= 1 << letter(b[b.len() - 2]);
        }
        i += 1;
    }
    endings
};

/// No word shorter than this begins an expression, so the scan need not look at shorter ones.
pub const SHORTEST_STARTER: usize = 3;

const _: () = {
    let mut i = 0;
    while i < MEANINGS.len() {
        let (word, lex, _) = MEANINGS[i];
        assert!(!lex.starts_expression() || word.len() >= SHORTEST_STARTER);
        i += 1;
    }
};

/// Whether a run of ASCII letters that ends in `before_last`, `last` may be a word that begins an
/// expression: false for most words that cannot, by a look at one table.
#[inline]
pub fn may_end(before_last: u8, last: u8) -> bool {
    STARTER_ENDINGS[letter(last)] & (1 << letter(before_last)) != 0
}

/// Whether a run of ASCII letters, of length `len` from `first` to `last`, may be a word that begins
/// an expression: false for most words that cannot, without looking them up.
#[inline]
pub fn may_start(len: usize, first: u8, last: u8) -> bool {
    len <= 16 && STARTER_FILTER[len][letter(first)] & (1 << letter(last)) != 0
}

/// What a word means if it can begin an expression; [`Lex::Other`] for every other word, found
/// without hashing for most of them.
pub fn starter(word: &str) -> Lex {
    if passes(&STARTER_FILTER, word.as_bytes()) {
        look_up(word.as_bytes()).0
    } else {
        Lex::Other
    }
}

/// What a word tells of tense, found without hashing for most words that tell nothing.
pub fn cue(word: &str) -> Cue {
    if passes(&CUE_FILTER, word.as_bytes()) {
        look_up(word.as_bytes()).1
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
