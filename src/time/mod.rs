//! Time: finding *temporal expressions* ("on Sunday", "July 19", "last month") and normalising them to
//! TIMEX3-style values relative to the article's date and the tense of the clause, and finding the
//! article's own date when its metadata lacks one.
//!
//! A value is given only when it can be anchored; otherwise it is null — never a guess.

use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;

use crate::geoparse::PreparedText;
use crate::story::{Granularity, TimeExpr};

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    let lower = lower.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() >= 3 && m.starts_with(lower)))
        .map(|i| i as u32 + 1)
}

fn weekday(name: &str) -> Option<Weekday> {
    name.to_lowercase().parse::<Weekday>().ok()
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";
        let day = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?";
        Regex::new(&format!(
            r"(?x)
            (?P<iso>\b\d{{4}}-\d{{2}}-\d{{2}}\b)
          | (?P<dmy>\b(?P<dmy_d>{day})\s+(?P<dmy_m>{month})\b(?:\s+(?P<dmy_y>\d{{4}})\b)?)
          | (?P<mon>\b(?:(?i:in|early|mid|late|since|until|of|from|by|on|during)\s+)?(?P<mon_part>(?i:early|mid|late)[\s-]+)?(?P<mon_m>{month})(?:\s+(?P<mon_d>{day})\b)?(?:,?\s+(?P<mon_y>\d{{4}}))?\b)
          | (?P<rel>\b(?i:(?:earlier|later)\s+)?(?P<rel_which>(?i:this|last|next|past))\s+(?P<rel_unit>(?i:week|month|year))\b)
          | (?P<wd>\b(?P<wd_mod>(?i:last|next|this)\s+)?(?P<wd_d>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)
          | (?P<yd>\b(?i:yesterday|today)\b)
          | (?P<yr>\b(?:19|20)\d{{2}}\b)
            "
        ))
        .expect("valid time pattern")
    })
}

/// Words in a clause that make its weekdays and bare months point forward.
fn is_future_clause(sentence: &str) -> bool {
    let s = sentence.to_lowercase();
    [
        " will ",
        " until ",
        " next ",
        " due to ",
        " scheduled ",
        " would ",
        " upcoming ",
        " plans to ",
        " is set to ",
        " are set to ",
    ]
    .iter()
    .any(|w| s.contains(w))
}

/// The clause of a sentence that holds `needle`: the stretch between commas, semicolons, dashes and
/// joining words ("and", "but", "before"), so "left on Sunday and will sail" keeps "Sunday" in the past.
fn clause_around<'a>(sentence: &'a str, needle: &str) -> &'a str {
    let Some(pos) = sentence.find(needle) else {
        return sentence;
    };
    let lower = sentence.to_lowercase();
    let boundaries = [
        ",", ";", " — ", " - ", " and ", " but ", " before ", " after ", " while ", " which ",
    ];
    let start = boundaries
        .iter()
        .filter_map(|b| lower[..pos].rfind(b).map(|i| i + b.len()))
        .max()
        .unwrap_or(0);
    let end = boundaries
        .iter()
        .filter_map(|b| {
            lower[pos + needle.len()..]
                .find(b)
                .map(|i| i + pos + needle.len())
        })
        .min()
        .unwrap_or(sentence.len());
    &sentence[start..end]
}

/// Find and normalise every temporal expression in a document, relative to `anchor` (its date).
pub fn find_time_expressions(prepared: &PreparedText, anchor: Option<NaiveDate>) -> Vec<TimeExpr> {
    let text = prepared.text;
    let mut out = Vec::new();
    for caps in pattern().captures_iter(text) {
        let whole = caps.get(0).unwrap();
        let (mut start, end) = (whole.start(), whole.end());
        let future = is_future_clause(&format!(
            " {} ",
            clause_around(prepared.sentence_at(start), &text[start..end])
        ));
        let (value, granularity) = if let Some(m) = caps.name("iso") {
            (
                parse_date(m.as_str()).map(|d| d.format("%Y-%m-%d").to_string()),
                Some(Granularity::Day),
            )
        } else if caps.name("dmy").is_some() {
            let month = month_number(&caps["dmy_m"]);
            let day: Option<u32> = caps["dmy_d"]
                .trim_end_matches(|c: char| c.is_alphabetic())
                .parse()
                .ok();
            let year = caps
                .name("dmy_y")
                .and_then(|y| y.as_str().parse::<i32>().ok());
            (
                day_value(month, day, year, anchor, future),
                Some(Granularity::Day),
            )
        } else if caps.name("mon").is_some() {
            let m = caps.name("mon_m").unwrap();
            let bare = caps.name("mon_d").is_none() && caps.name("mon_y").is_none();
            // "May" alone is a verb far more often than a month
            if bare && whole.start() == m.start() {
                continue;
            }
            start = caps.name("mon_part").unwrap_or(m).start();
            let month = month_number(m.as_str());
            let year = caps
                .name("mon_y")
                .and_then(|y| y.as_str().parse::<i32>().ok());
            match caps.name("mon_d") {
                Some(d) => {
                    let day: Option<u32> = d
                        .as_str()
                        .trim_end_matches(|c: char| c.is_alphabetic())
                        .parse()
                        .ok();
                    (
                        day_value(month, day, year, anchor, future),
                        Some(Granularity::Day),
                    )
                }
                None => (
                    month_value(month, year, anchor, future),
                    Some(Granularity::Month),
                ),
            }
        } else if caps.name("rel").is_some() {
            relative_value(
                &caps["rel_which"].to_lowercase(),
                &caps["rel_unit"].to_lowercase(),
                anchor,
            )
        } else if caps.name("wd").is_some() {
            let modifier = caps
                .name("wd_mod")
                .map(|m| m.as_str().trim().to_lowercase());
            let forward = match modifier.as_deref() {
                Some("next") => true,
                Some("last") => false,
                _ => future,
            };
            let value = weekday(&caps["wd_d"]).zip(anchor).map(|(wd, a)| {
                nearest_weekday(a, wd, forward)
                    .format("%Y-%m-%d")
                    .to_string()
            });
            (value, Some(Granularity::Day))
        } else if caps.name("yd").is_some() {
            let shift = if whole.as_str().eq_ignore_ascii_case("yesterday") {
                -1
            } else {
                0
            };
            (
                anchor.map(|a| (a + Duration::days(shift)).format("%Y-%m-%d").to_string()),
                Some(Granularity::Day),
            )
        } else if caps.name("yr").is_some() {
            // a year glued to a name ("Interaction-2023") is part of the name
            if text[..start].ends_with(|c: char| c == '-' || c == '/' || c.is_alphanumeric()) {
                continue;
            }
            (Some(whole.as_str().to_string()), Some(Granularity::Year))
        } else {
            continue;
        };
        out.push(TimeExpr {
            doc: prepared.doc.to_string(),
            start: prepared.offsets.char_at(start),
            end: prepared.offsets.char_at(end),
            text: text[start..end].to_string(),
            granularity: value.as_ref().and(granularity),
            value,
        });
    }
    out
}

/// A month with or without its year; a missing year comes from the anchor and the tense.
fn month_value(
    month: Option<u32>,
    year: Option<i32>,
    anchor: Option<NaiveDate>,
    future: bool,
) -> Option<String> {
    let month = month?;
    let year = match (year, anchor) {
        (Some(y), _) => y,
        (None, Some(a)) if !future && month > a.month() => a.year() - 1,
        (None, Some(a)) if future && month < a.month() => a.year() + 1,
        (None, Some(a)) => a.year(),
        (None, None) => return None,
    };
    Some(format!("{year}-{month:02}"))
}

/// A day with or without its year; a missing year comes from the anchor and the tense.
fn day_value(
    month: Option<u32>,
    day: Option<u32>,
    year: Option<i32>,
    anchor: Option<NaiveDate>,
    future: bool,
) -> Option<String> {
    let (month, day) = (month?, day?);
    let year = match (year, anchor) {
        (Some(y), _) => y,
        (None, Some(a)) => {
            let this_year = NaiveDate::from_ymd_opt(a.year(), month, day)?;
            if !future && this_year > a {
                a.year() - 1
            } else if future && this_year < a {
                a.year() + 1
            } else {
                a.year()
            }
        }
        (None, None) => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day).map(|d| d.format("%Y-%m-%d").to_string())
}

fn relative_value(
    which: &str,
    unit: &str,
    anchor: Option<NaiveDate>,
) -> (Option<String>, Option<Granularity>) {
    let Some(a) = anchor else { return (None, None) };
    let shift = match which {
        "last" | "past" => -1,
        "next" => 1,
        _ => 0,
    };
    match unit {
        "year" => (
            Some((a.year() + shift).to_string()),
            Some(Granularity::Year),
        ),
        "month" => {
            let total = a.year() * 12 + a.month0() as i32 + shift;
            (
                Some(format!(
                    "{}-{:02}",
                    total.div_euclid(12),
                    total.rem_euclid(12) + 1
                )),
                Some(Granularity::Month),
            )
        }
        _ => {
            let week = (a + Duration::weeks(shift as i64)).iso_week();
            (
                Some(format!("{}-W{:02}", week.year(), week.week())),
                Some(Granularity::Week),
            )
        }
    }
}

/// The most recent `weekday` on or before `anchor`, or the next one on or after it.
fn nearest_weekday(anchor: NaiveDate, weekday: Weekday, forward: bool) -> NaiveDate {
    let from = anchor.weekday().num_days_from_monday() as i64;
    let to = weekday.num_days_from_monday() as i64;
    if forward {
        anchor + Duration::days((to - from).rem_euclid(7))
    } else {
        anchor - Duration::days((from - to).rem_euclid(7))
    }
}

/// A date at the head of the article ("2023-07-20 | 06:27", "July 16, 2023 —").
pub fn dateline(text: &str) -> Option<NaiveDate> {
    let head_end = text.char_indices().nth(300).map_or(text.len(), |(i, _)| i);
    let head = &text[..head_end];
    let prepared = PreparedText::new("", head);
    find_time_expressions(&prepared, None)
        .into_iter()
        .filter(|t| t.granularity == Some(Granularity::Day))
        .find_map(|t| t.value.as_deref().and_then(parse_date))
}

/// When nothing states the date: no earlier than the latest fully explicit day the article reports.
/// Only days with an explicit year count, since `times` were found without an anchor.
pub fn infer_publication_date(times: &[TimeExpr]) -> Option<NaiveDate> {
    times
        .iter()
        .filter(|t| t.granularity == Some(Granularity::Day))
        .filter_map(|t| t.value.as_deref().and_then(parse_date))
        .max()
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
    fn dateline_at_the_head() {
        assert_eq!(
            dateline(" date 2023-07-20 Russia and China launch drills")
                .unwrap()
                .to_string(),
            "2023-07-20"
        );
        assert!(dateline("No date here at all.").is_none());
    }
}
