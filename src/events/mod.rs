//! Events: one frame per reported happening — an *actor* (a ship such as "HMS Diamond", a group such as
//! "a Chinese naval flotilla" or "Gromkiy and Sovershenniy", a nation's forces) did an *action* (depart,
//! arrive, port call, transit, exercise, patrol, meeting, other) at *places*, in a time interval, as
//! happened or as planned — with the sentence that says so.
//!
//! Each article is read on its own ([`read_document`]): its actors, with coreference ("the same
//! ships"), its frames, and the cues that order them. Then the corpus is put together ([`assemble`]):
//! actors are joined across articles, with named ships resolved in the vessel table
//! (`gazetteer/vessels.tsv`), and the same happening told by several articles becomes one event that
//! lists every source, dated by the best report. [`publication_bounds`] uses the same grouping to date
//! articles that carry no date of their own.

mod actors;
mod lexicon;
mod merge;
mod read;
mod vessels;

use chrono::{Duration, NaiveDate};

pub use lexicon::Aspect;
pub use merge::{assemble, publication_bounds};
pub use read::{read_document, Dating, DocActor, DocReading, Frame, PlaceRef, Tense};
pub use vessels::{vessels, Vessel, Vessels};

/// First and last day of a TIMEX3 value, as `YYYY-MM-DD`.
pub fn interval(value: &str) -> Option<(String, String)> {
    let (first, last) = days(value)?;
    let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    Some((fmt(first), fmt(last)))
}

/// First and last day of a TIMEX3 value: a day, an ISO week or its weekend (`2023-W29-WE`), a month,
/// a season (`2023-SU`) or a year.
pub fn days(value: &str) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(d) = crate::time::parse_date(value) {
        return Some((d, d));
    }
    if let Some((y, rest)) = value
        .split_once("-W")
        .filter(|(_, rest)| rest.starts_with(|c: char| c.is_ascii_digit()))
    {
        let (week, weekend) = match rest.split_once('-') {
            Some((w, "WE")) => (w, true),
            Some(_) => return None,
            None => (rest, false),
        };
        let monday =
            NaiveDate::from_isoywd_opt(y.parse().ok()?, week.parse().ok()?, chrono::Weekday::Mon)?;
        return Some(if weekend {
            (monday + Duration::days(5), monday + Duration::days(6))
        } else {
            (monday, monday + Duration::days(6))
        });
    }
    if let Some((y, season)) = value.split_once('-') {
        let year: i32 = y.parse().ok()?;
        let months = match season {
            "SP" => Some((3, 5)),
            "SU" => Some((6, 8)),
            "FA" => Some((9, 11)),
            "WI" => Some((12, 14)),
            _ => None,
        };
        let (first_month, last_month) = match months {
            Some(m) => m,
            None => {
                let m: u32 = season.parse().ok()?;
                (m, m)
            }
        };
        let first = NaiveDate::from_ymd_opt(year, first_month, 1)?;
        let after_last =
            NaiveDate::from_ymd_opt(year + (last_month as i32) / 12, last_month % 12 + 1, 1)?;
        return Some((first, after_last - Duration::days(1)));
    }
    let y: i32 = value.parse().ok()?;
    Some((
        NaiveDate::from_ymd_opt(y, 1, 1)?,
        NaiveDate::from_ymd_opt(y, 12, 31)?,
    ))
}

#[cfg(test)]
mod tests;
