//! Time: finding *temporal expressions* ("on Sunday", "July 19", "last month", "June 12 to 17") and
//! normalising them to TIMEX3-style values relative to the article's date and the tense of the clause
//! they stand in, and finding the article's own date when its metadata lacks one.
//!
//! General date parsers read "Sunday" as the next one and ignore tense; news mostly reports what has
//! happened, so here "set out on Sunday" is the Sunday on or before the article's date while "will last
//! until Sunday" is the one after. A value is given only when it can be anchored; otherwise it is null
//! — never a guess.
//!
//! The work is split in four steps, one file each: the [`lexicon`] says what a word can mean, [`scan`]
//! finds the expressions and what they literally say, [`tense`] reads the clause around each one, and
//! [`resolve`] turns the two, with the article's date, into a value (its documentation lists the rules).
//!
//! Values: `2023-07-16` (day), `2023-W29` (ISO week), `2023-W29-WE` (a weekend), `2023-07` (month),
//! `2023-SU` (season), `2023` (year). A range ("May 16-20", "from Thursday until Sunday", "the past
//! week") has its first value in `value` and its last in `end_value`. "early", "mid", "late" and "the
//! end of" give a TIMEX3 `mod` (START, MID, END) and leave the value whole.

mod lexicon;
mod resolve;
mod scan;
mod tense;

use std::ops::Range;

use chrono::NaiveDate;

use crate::geoparse::PreparedText;
use crate::story::{Granularity, Tense, TimeExpr};
use lexicon::Prep;
use resolve::{Setting, Value};
use scan::{Found, SentenceTokens, Token, What, When, YearRef};

/// A `YYYY-MM-DD` date at the start of `s` (anything after the tenth character is ignored).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let head = s.get(..10)?;
    // every document's date and every day value is read here, and chrono's format parser costs
    // thousands of instructions a date: the usual shape is read by hand, any other by chrono
    match plain_date(head.as_bytes()) {
        Some((year, month, day)) => NaiveDate::from_ymd_opt(year, month, day),
        None => NaiveDate::parse_from_str(head, "%Y-%m-%d").ok(),
    }
}

/// Year, month and day of ten bytes written `DDDD-DD-DD` (digits and hyphens), before any check
/// that the day exists.
fn plain_date(head: &[u8]) -> Option<(i32, u32, u32)> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = head else {
        return None;
    };
    let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |ds: &[u8]| ds.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'));
    Some((
        number(&digits[..4]) as i32,
        number(&digits[4..6]),
        number(&digits[6..]),
    ))
}

/// Find and normalise every temporal expression in a document, relative to `anchor` (its date).
pub fn find_time_expressions(prepared: &PreparedText, anchor: Option<NaiveDate>) -> Vec<TimeExpr> {
    let text = prepared.text;
    let mut found = Vec::new();
    scan::scan(text, &mut found);
    let day_first = numeric_order(&found);
    let mut out = Vec::with_capacity(found.len());
    let mut walk = Walk {
        text,
        sentences: &prepared.sentences,
        found: &found,
        reader: SentenceTokens::new(text, &found),
        sentence: 0,
        tokens: Vec::new(),
        tokens_of: None,
    };
    // a year said earlier in the sentence, with the sentence's start
    let mut frame: Option<(usize, i32)> = None;
    for f in &found {
        let (range, expression_tokens) = walk.place(f.start, f.end);
        let tense = tense::clause_tense(text, &walk.tokens, expression_tokens);
        // "in two days" is a point ahead only when the clause speaks of what is to come
        if matches!(f.what, What::Ahead { .. })
            && !matches!(tense, Some(Tense::Future | Tense::Present))
        {
            continue;
        }
        let setting = Setting {
            anchor,
            lean: resolve::lean(
                tense,
                f.prep == Some(Prep::Since),
                f.prep == Some(Prep::Until),
            ),
            frame: frame
                .filter(|(start, _)| *start == range.start)
                .map(|(_, year)| year),
            day_first,
        };
        let resolved = resolve::resolve(&f.what, &setting);
        if let Some((value, _)) = resolved {
            if frames_sentence(text, f, range.start) {
                frame = Some((range.start, value.year()));
            }
        }
        out.push(TimeExpr {
            doc: prepared.doc.to_string(),
            start: prepared.offsets.char_at(f.start),
            end: prepared.offsets.char_at(f.end),
            text: text[f.start..f.end].to_string(),
            value: resolved.map(|(v, _)| v.timex()),
            granularity: resolved.map(|(v, _)| v.granularity()),
            end_value: resolved.and_then(|(_, end)| end).map(Value::timex),
            modifier: f.modifier,
            tense,
        });
    }
    out
}

/// Walks a document forward, expression by expression, to find the sentence and the tokens of each:
/// only the sentences that hold an expression are read into tokens, each once.
struct Walk<'a> {
    text: &'a str,
    sentences: &'a [Range<usize>],
    found: &'a [Found],
    reader: SentenceTokens<'a>,
    /// Index of the sentence last placed.
    sentence: usize,
    /// The tokens of sentence `tokens_of`, or of the whole text when that is None.
    tokens: Vec<Token>,
    tokens_of: Option<usize>,
}

impl Walk<'_> {
    /// For an expression at bytes `start..end` (after the last one placed): its sentence's bytes, with
    /// the sentence's tokens left in `tokens`, and its own tokens as an index range into them.
    fn place(&mut self, start: usize, end: usize) -> (Range<usize>, Range<usize>) {
        while self
            .sentences
            .get(self.sentence)
            .is_some_and(|r| r.end <= start)
        {
            self.sentence += 1;
        }
        let range = match self.sentences.get(self.sentence) {
            Some(r) if r.start <= start => {
                if self.tokens_of != Some(self.sentence) {
                    self.tokens.clear();
                    self.reader.read(r.clone(), &mut self.tokens);
                    self.tokens_of = Some(self.sentence);
                }
                r.clone()
            }
            // outside every sentence (a text of symbols): the whole text is the clause
            _ => {
                let whole = 0..self.text.len();
                self.tokens.clear();
                SentenceTokens::new(self.text, self.found).read(whole.clone(), &mut self.tokens);
                self.tokens_of = None;
                whole
            }
        };
        let index = |at: usize| self.tokens.partition_point(|t| t.start < at);
        (range, index(start)..index(end))
    }
}

/// The document's order for numeric dates, when all its unambiguous ones agree.
fn numeric_order(found: &[Found]) -> Option<bool> {
    let mut orders = found.iter().filter_map(|f| f.day_first);
    let first = orders.next()?;
    orders.all(|o| o == first).then_some(first)
}

/// Whether an expression sets the year for the yearless dates after it in its sentence: a year
/// said with "in"/"during" or opening the sentence ("In 2022, ...", "Last year, ..."), but not
/// "since 2019" nor "last year's drills".
fn frames_sentence(text: &str, f: &Found, sentence_start: usize) -> bool {
    let has_year = match f.what {
        What::Point(When::Year(_)) => true,
        What::Point(When::UnitOffset { unit, .. }) => unit == lexicon::Unit::Year,
        What::Point(
            When::Month { year, .. } | When::Date { year, .. } | When::Season { year, .. },
        ) => year != YearRef::Unknown,
        _ => false,
    };
    let placed = matches!(f.prep, Some(Prep::In | Prep::During)) || f.start == sentence_start;
    let rest = &text[f.end..];
    let possessive = rest.starts_with("'s") || rest.starts_with("’s");
    has_year && placed && !possessive
}

/// The article's own date when its text opens with one: a date line ("2023-07-20 | 06:27",
/// "WASHINGTON, July 16, 2023 (Reuters) -", "Published: 17 July 2023") in its first lines.
///
/// Only a fully written date counts: "BEIJING, July 16 (Reuters)" has no year, so it gives None. A date
/// in running prose ("On July 12, 2023, the ships left") is an event, not a date line.
pub fn dateline(text: &str) -> Option<NaiveDate> {
    let mut cut = text.len().min(400);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let mut found = Vec::new();
    scan::scan(head, &mut found);
    found.iter().find_map(|f| match f.what {
        What::Point(When::Date {
            year: YearRef::Explicit(year),
            month,
            day,
        }) if stands_as_dateline(head, f.start, f.end) => NaiveDate::from_ymd_opt(year, month, day),
        _ => None,
    })
}

/// Whether a date at `start..end` of `head` is set apart as a date line: after a label such as
/// "Published", or alone at the end of its line, or followed by a time, a bar, a dash or a bracket.
fn stands_as_dateline(head: &str, start: usize, end: usize) -> bool {
    let line_start = head[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = head[end..].find('\n').map_or(head.len(), |i| end + i);
    let before = &head[line_start..start];
    let words: Vec<&str> = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let is_label = |w: &str| {
        ["date", "dated", "published", "updated", "posted"]
            .iter()
            .any(|l| w.eq_ignore_ascii_case(l))
    };
    let labelled = match words.as_slice() {
        [.., on, w] if is_label(on) && w.eq_ignore_ascii_case("on") => true,
        [.., w] => is_label(w),
        [] => false,
    };
    if labelled {
        return true;
    }
    let prose_before = words
        .last()
        .and_then(|w| w.chars().next())
        .is_some_and(|c| c.is_lowercase());
    let after = head[end..line_end].trim_start_matches([' ', ',', '\t']);
    let set_apart = after.is_empty()
        || after.starts_with(['|', '—', '–', '-', '(', '/', '·', '•'])
        || after.split(':').next().is_some_and(|h| {
            !h.is_empty() && h.len() <= 2 && h.bytes().all(|b| b.is_ascii_digit())
        });
    set_apart && !prose_before
}

/// When nothing states the article's date: no earlier than the latest fully written day (one with
/// its year in the text) that the article reports in a clause not about the future.
pub fn infer_publication_date(times: &[TimeExpr]) -> Option<NaiveDate> {
    times
        .iter()
        .filter(|t| t.granularity == Some(Granularity::Day))
        .filter(|t| !matches!(t.tense, Some(Tense::Future)))
        .filter(|t| has_written_year(&t.text))
        .filter_map(|t| {
            // of a range in progress only the start has certainly passed
            let last = match t.tense {
                Some(Tense::Present) => t.value.as_deref(),
                _ => t.end_value.as_deref().or(t.value.as_deref()),
            };
            last.and_then(parse_date)
        })
        .max()
}

fn has_written_year(text: &str) -> bool {
    text.as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, anchor: &str) -> Vec<(String, Option<String>)> {
        let prepared = PreparedText::new("d", text);
        find_time_expressions(&prepared, parse_date(anchor))
            .into_iter()
            .map(|t| (t.text, t.value))
            .collect()
    }

    #[test]
    fn dates_read_by_hand_are_those_chrono_reads() {
        let chrono = |s: &str| {
            s.get(..10)
                .and_then(|head| NaiveDate::parse_from_str(head, "%Y-%m-%d").ok())
        };
        let mut texts = Vec::new();
        for year in [
            "0000", "0001", "0999", "1900", "2000", "2023", "2024", "9999",
        ] {
            for month in 0..=13 {
                for day in 0..=32 {
                    texts.push(format!("{year}-{month:02}-{day:02}"));
                }
            }
        }
        texts.extend(
            [
                "2023-07-16T06:27:00Z",
                "2023-07-16 extra",
                "2023-7-16",
                "2023-7-16xx",
                "+2023-07-1",
                "2023/07/16",
                "2023-07-1a",
                "２０２３-07-16",
                "2023-W29-WE",
                "2023-07",
                "2023-SU",
                "",
                " 2023-07-16",
                "2023-07-16",
            ]
            .map(String::from),
        );
        let mut dates = 0;
        for text in &texts {
            assert_eq!(parse_date(text), chrono(text), "{text:?}");
            dates += usize::from(chrono(text).is_some());
        }
        assert!(dates > 2000, "only {dates} real dates among the texts");
    }

    #[test]
    fn weekdays_follow_tense() {
        // 2023-07-20 is a Thursday.
        assert_eq!(
            values("A flotilla set out on Sunday.", "2023-07-20"),
            [("Sunday".into(), Some("2023-07-16".into()))]
        );
        assert_eq!(
            values("The drills will last until Sunday.", "2023-07-20"),
            [("Sunday".into(), Some("2023-07-23".into()))]
        );
    }

    #[test]
    fn relative_months_and_days_without_year() {
        let got = values(
            "Earlier this month they trained. Last month they patrolled. On July 19 it began.",
            "2023-07-20",
        );
        assert_eq!(
            got,
            [
                ("Earlier this month".into(), Some("2023-07".into())),
                ("Last month".into(), Some("2023-06".into())),
                ("July 19".into(), Some("2023-07-19".into()))
            ]
        );
    }

    #[test]
    fn years_inside_names_are_not_dates_and_unanchored_is_null() {
        let got = values(
            "Dubbed North/Interaction-2023, in February 2022 and since 2019.",
            "2023-07-20",
        );
        assert_eq!(
            got,
            [
                ("February 2022".into(), Some("2022-02".into())),
                ("2019".into(), Some("2019".into()))
            ]
        );
        assert_eq!(
            values("They left on Sunday.", "x"),
            [("Sunday".into(), None)]
        );
    }

    #[test]
    fn a_year_in_the_sentence_frames_later_dates() {
        let got = values(
            "In 2021, the drills ran from July 25 to 30. Since 2019 they met; on July 16 they sailed.",
            "2023-07-20",
        );
        let prepared = PreparedText::new("d", "In 2021, the drills ran from July 25 to 30.");
        let range = &find_time_expressions(&prepared, parse_date("2023-07-20"))[1];
        assert_eq!(range.end_value.as_deref(), Some("2021-07-30"));
        assert_eq!(got[1].1.as_deref(), Some("2021-07-25"));
        assert_eq!(got[3].1.as_deref(), Some("2023-07-16"));
    }

    #[test]
    fn numeric_dates_follow_the_documents_own_order() {
        let got = values(
            "The report of 25/06/2023 was updated on 05/07/2023.",
            "2023-09-30",
        );
        assert_eq!(got[1].1.as_deref(), Some("2023-07-05"));
        let got = values("It was updated on 05/07/2023.", "2023-09-30");
        assert_eq!(got[0].1, None);
    }

    #[test]
    fn outside_every_sentence_the_whole_text_is_the_clause() {
        let text = "The frigates sailed on Sunday; they will dock on Friday.";
        let mut prepared = PreparedText::new("d", text);
        prepared.sentences.clear();
        let got: Vec<_> = find_time_expressions(&prepared, parse_date("2023-07-20"))
            .into_iter()
            .map(|t| (t.text, t.tense))
            .collect();
        assert_eq!(
            got,
            [
                ("Sunday".into(), Some(Tense::Past)),
                ("Friday".into(), Some(Tense::Future))
            ]
        );
    }

    #[test]
    fn dateline_at_the_head() {
        assert_eq!(
            dateline(" date 2023-07-20 Russia and China launch drills")
                .unwrap()
                .to_string(),
            "2023-07-20"
        );
        assert_eq!(
            dateline("Headline\n2023-07-20 | 06:27\nText")
                .unwrap()
                .to_string(),
            "2023-07-20"
        );
        assert_eq!(
            dateline("WASHINGTON, July 16, 2023 (Reuters) - The navy said")
                .unwrap()
                .to_string(),
            "2023-07-16"
        );
        assert_eq!(
            dateline("By Jane Roe\nPublished on 17 July 2023\nText")
                .unwrap()
                .to_string(),
            "2023-07-17"
        );
        assert_eq!(
            dateline("Navies meet\nJuly 17, 2023\nThe drills began.")
                .unwrap()
                .to_string(),
            "2023-07-17"
        );
        assert_eq!(
            dateline("Updated: 2023-07-18 09:00 GMT\nText")
                .unwrap()
                .to_string(),
            "2023-07-18"
        );
        assert!(dateline("BEIJING, July 16 (Reuters) - A flotilla set out on Sunday.").is_none());
        assert!(dateline("On July 12, 2023, the ships left port.").is_none());
        assert!(dateline("No date here at all.").is_none());
    }

    #[test]
    fn publication_date_is_no_earlier_than_the_latest_past_date() {
        let text = "The frigate docked on July 12, 2023. Talks will open on August 2, 2023. \
                    — a post, July 17, 2023";
        let prepared = PreparedText::new("d", text);
        let times = find_time_expressions(&prepared, None);
        assert_eq!(
            infer_publication_date(&times).unwrap().to_string(),
            "2023-07-17"
        );
    }
}
