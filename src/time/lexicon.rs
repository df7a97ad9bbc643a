//! The *lexicon*: what one word can mean to a temporal expression — a month, a weekday, a shift like
//! "last", a unit like "week" — so that the scanner asks one cheap question per word of the text.
//!
//! Month and weekday names count only when capitalised: "may" is a verb, "May" may be a month.

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

/// What a word (a run of letters) can mean.
pub fn lex(word: &str) -> Lex {
    let mut buf = [0u8; 11];
    let Some(lower) = lowercase(word, &mut buf) else {
        return Lex::Other;
    };
    let capital = word.as_bytes()[0].is_ascii_uppercase();
    let proper = |lex: Lex| if capital { lex } else { Lex::Other };
    match lower {
        b"january" => proper(Lex::Month(1)),
        b"february" => proper(Lex::Month(2)),
        b"march" => proper(Lex::Month(3)),
        b"april" => proper(Lex::Month(4)),
        b"may" => proper(Lex::Month(5)),
        b"june" => proper(Lex::Month(6)),
        b"july" => proper(Lex::Month(7)),
        b"august" => proper(Lex::Month(8)),
        b"september" => proper(Lex::Month(9)),
        b"october" => proper(Lex::Month(10)),
        b"november" => proper(Lex::Month(11)),
        b"december" => proper(Lex::Month(12)),
        b"jan" => proper(Lex::MonthAbbr(1)),
        b"feb" => proper(Lex::MonthAbbr(2)),
        b"mar" => proper(Lex::MonthAbbr(3)),
        b"apr" => proper(Lex::MonthAbbr(4)),
        b"jun" => proper(Lex::MonthAbbr(6)),
        b"jul" => proper(Lex::MonthAbbr(7)),
        b"aug" => proper(Lex::MonthAbbr(8)),
        b"sep" | b"sept" => proper(Lex::MonthAbbr(9)),
        b"oct" => proper(Lex::MonthAbbr(10)),
        b"nov" => proper(Lex::MonthAbbr(11)),
        b"dec" => proper(Lex::MonthAbbr(12)),
        b"monday" => proper(Lex::Weekday(Weekday::Mon)),
        b"tuesday" => proper(Lex::Weekday(Weekday::Tue)),
        b"wednesday" => proper(Lex::Weekday(Weekday::Wed)),
        b"thursday" => proper(Lex::Weekday(Weekday::Thu)),
        b"friday" => proper(Lex::Weekday(Weekday::Fri)),
        b"saturday" => proper(Lex::Weekday(Weekday::Sat)),
        b"sunday" => proper(Lex::Weekday(Weekday::Sun)),
        b"spring" => Lex::Season(Season::Spring),
        b"summer" => Lex::Season(Season::Summer),
        b"autumn" => Lex::Season(Season::Autumn),
        b"winter" => Lex::Season(Season::Winter),
        b"fall" => Lex::Fall,
        b"yesterday" => Lex::DayWord(-1),
        b"today" | b"tonight" => Lex::DayWord(0),
        b"tomorrow" => Lex::DayWord(1),
        b"this" => Lex::Shift(Shift::This),
        b"last" => Lex::Shift(Shift::Last),
        b"next" => Lex::Shift(Shift::Next),
        b"past" => Lex::Shift(Shift::Past),
        b"coming" => Lex::Shift(Shift::Coming),
        b"early" => Lex::Edge(Modifier::Start),
        b"mid" => Lex::Edge(Modifier::Mid),
        b"late" => Lex::Edge(Modifier::End),
        b"beginning" | b"start" => Lex::EdgeNoun(Modifier::Start),
        b"middle" => Lex::EdgeNoun(Modifier::Mid),
        b"end" => Lex::EdgeNoun(Modifier::End),
        b"earlier" | b"later" => Lex::Around,
        b"hour" => Lex::Unit(Unit::Hour, false),
        b"hours" => Lex::Unit(Unit::Hour, true),
        b"day" => Lex::Unit(Unit::Day, false),
        b"days" => Lex::Unit(Unit::Day, true),
        b"week" => Lex::Unit(Unit::Week, false),
        b"weeks" => Lex::Unit(Unit::Week, true),
        b"weekend" => Lex::Unit(Unit::Weekend, false),
        b"month" => Lex::Unit(Unit::Month, false),
        b"months" => Lex::Unit(Unit::Month, true),
        b"year" => Lex::Unit(Unit::Year, false),
        b"years" => Lex::Unit(Unit::Year, true),
        b"morning" | b"afternoon" | b"evening" => Lex::PartOfDay { night: false },
        b"night" => Lex::PartOfDay { night: true },
        b"a" | b"an" | b"one" => Lex::Count(1),
        b"two" => Lex::Count(2),
        b"three" => Lex::Count(3),
        b"four" => Lex::Count(4),
        b"five" => Lex::Count(5),
        b"six" => Lex::Count(6),
        b"seven" => Lex::Count(7),
        b"eight" => Lex::Count(8),
        b"nine" => Lex::Count(9),
        b"ten" => Lex::Count(10),
        b"eleven" => Lex::Count(11),
        b"twelve" => Lex::Count(12),
        b"few" | b"several" | b"many" => Lex::Few,
        b"ago" => Lex::Ago,
        b"recent" => Lex::Recent,
        b"on" => Lex::Prep(Prep::On),
        b"in" => Lex::Prep(Prep::In),
        b"at" => Lex::Prep(Prep::At),
        b"since" => Lex::Prep(Prep::Since),
        b"until" | b"till" | b"til" => Lex::Prep(Prep::Until),
        b"by" => Lex::Prep(Prep::By),
        b"from" => Lex::Prep(Prep::From),
        b"to" => Lex::Prep(Prep::To),
        b"through" | b"thru" | b"throughout" => Lex::Prep(Prep::Through),
        b"between" => Lex::Prep(Prep::Between),
        b"and" => Lex::Prep(Prep::And),
        b"of" => Lex::Prep(Prep::Of),
        b"the" => Lex::Prep(Prep::The),
        b"during" => Lex::Prep(Prep::During),
        b"before" => Lex::Prep(Prep::Before),
        b"after" => Lex::Prep(Prep::After),
        b"over" => Lex::Prep(Prep::Over),
        b"for" => Lex::Prep(Prep::For),
        _ => Lex::Other,
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
