//! *Resolution*: turning what an expression says ("last" + "month", "Sunday" in a past clause) into a
//! TIMEX3-style value, given the article's date (the *anchor*) and the way the clause leans.
//!
//! Rules, each chosen so that a value is only given when the words and the anchor settle it:
//! - A bare weekday is the most recent one on or before the anchor in a past (or tenseless) clause, the
//!   next one on or after it in a future or present-progressive clause. "last Sunday" is strictly before,
//!   "next Sunday" strictly after, "this Sunday" follows the tense but leans forward.
//! - A month, season, or day of a month without a year follows the same lean; a written day may stand
//!   up to [`GRACE_DAYS`] on the wrong side of the anchor, since datelines are often a day or two off.
//!   In a clause without tense ("Parliament votes on the deal on 9 January") it is the occurrence
//!   nearest the anchor: unlike a weekday, a written date says a lot, and news is about now.
//! - A year said earlier in the same sentence ("In 2022, the drills ran from July 25 to 30") frames
//!   the yearless dates after it.
//! - "05/06/2023" is read in the order the same document uses in its unambiguous numeric dates; else
//!   the one reading that fits the clause's tense, or the one reading within a month of the anchor;
//!   else null.
//! - "the past week" is the range from a week before the anchor to the anchor; "in recent months"
//!   and "the coming weeks" have no value (they are vague, not durations we could place).

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

use super::lexicon::{Season, Shift, Unit};
use super::scan::{What, When, YearRef};
use crate::story::{Granularity, Tense};

/// How far a written day may lie on the "wrong" side of the anchor for its tense.
pub const GRACE_DAYS: i64 = 7;

/// Which way a clause points from the anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lean {
    Back,
    Forward,
    /// In progress now: a range containing the anchor, else the next one.
    Around,
    /// Nothing tells: a weekday looks back, since news reports what has happened; a written date or
    /// month is the occurrence nearest the anchor.
    Unknown,
}

/// The lean of a clause: its tense, else its preposition ("since" looks back, "until" forward).
pub fn lean(tense: Option<Tense>, since: bool, until: bool) -> Lean {
    match tense {
        _ if since => Lean::Back,
        Some(Tense::Past) => Lean::Back,
        Some(Tense::Future) => Lean::Forward,
        Some(Tense::Present) => Lean::Around,
        None if until => Lean::Forward,
        None => Lean::Unknown,
    }
}

/// A resolved point or period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Day(NaiveDate),
    /// An ISO week, given by its Monday.
    Week(NaiveDate),
    /// The weekend of an ISO week, given by its Monday.
    Weekend(NaiveDate),
    Month(i32, u32),
    Season(i32, Season),
    Year(i32),
}

impl Value {
    pub fn granularity(self) -> Granularity {
        match self {
            Value::Day(_) => Granularity::Day,
            Value::Week(_) | Value::Weekend(_) => Granularity::Week,
            Value::Month(..) => Granularity::Month,
            Value::Season(..) => Granularity::Season,
            Value::Year(_) => Granularity::Year,
        }
    }

    /// The TIMEX3 value: `2023-07-16`, `2023-W29`, `2023-W29-WE`, `2023-07`, `2023-SU`, `2023`.
    pub fn timex(self) -> String {
        // written by hand: `format!` costs more than the rest of an expression's normalisation
        let mut s = String::with_capacity(11);
        match self {
            Value::Day(d) => {
                push_number(&mut s, d.year(), 4);
                s.push('-');
                push_number(&mut s, d.month() as i32, 2);
                s.push('-');
                push_number(&mut s, d.day() as i32, 2);
            }
            Value::Week(monday) | Value::Weekend(monday) => {
                let w = monday.iso_week();
                push_number(&mut s, w.year(), 4);
                s.push_str("-W");
                push_number(&mut s, w.week() as i32, 2);
                if matches!(self, Value::Weekend(_)) {
                    s.push_str("-WE");
                }
            }
            Value::Month(y, m) => {
                push_number(&mut s, y, 4);
                s.push('-');
                push_number(&mut s, m as i32, 2);
            }
            Value::Season(y, season) => {
                push_number(&mut s, y, 4);
                s.push('-');
                s.push_str(season.code());
            }
            Value::Year(y) => push_number(&mut s, y, 4),
        }
        s
    }

    /// The year this value lies in, for framing later dates of the same sentence.
    pub fn year(self) -> i32 {
        match self {
            Value::Day(d) | Value::Week(d) | Value::Weekend(d) => d.year(),
            Value::Month(y, _) | Value::Season(y, _) | Value::Year(y) => y,
        }
    }
}

/// Append `n` in decimal, zero-padded to `width` digits.
fn push_number(s: &mut String, n: i32, width: usize) {
    if n < 0 {
        s.push('-');
    }
    let mut digits = [b'0'; 10];
    let mut rest = n.unsigned_abs();
    let mut len = 0;
    while rest > 0 || len < width {
        digits[len] = b'0' + (rest % 10) as u8;
        rest /= 10;
        len += 1;
    }
    s.extend(digits[..len].iter().rev().map(|&d| d as char));
}

/// Everything the resolution of one expression may draw on besides its words.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub anchor: Option<NaiveDate>,
    pub lean: Lean,
    /// A year said earlier in the sentence.
    pub frame: Option<i32>,
    /// The document's order for numeric dates, when its unambiguous ones show it.
    pub day_first: Option<bool>,
}

/// The value (and for a range, the last value) of an expression; None when it cannot be anchored.
pub fn resolve(what: &What, setting: &Setting) -> Option<(Value, Option<Value>)> {
    match *what {
        What::Point(when) => point(when, setting).map(|v| (v, None)),
        What::Range(from, to) => range(from, to, setting).map(|(a, b)| (a, Some(b))),
        What::PastSpan { unit, count } => {
            let anchor = setting.anchor?;
            Some((
                Value::Day(shift_by(anchor, unit, -(count as i32))?),
                Some(Value::Day(anchor)),
            ))
        }
        What::Ahead { unit, count } => {
            unit_offset(setting.anchor?, unit, count as i32).map(|v| (v, None))
        }
        What::Vague => None,
    }
}

fn point(when: When, s: &Setting) -> Option<Value> {
    let explicit_year = |year: YearRef| match year {
        YearRef::Explicit(y) => Some(y),
        YearRef::Relative(offset) => s.anchor.map(|a| a.year() + offset),
        YearRef::Unknown => s.frame,
    };
    match when {
        When::Date { year, month, day } => match explicit_year(year) {
            Some(y) => NaiveDate::from_ymd_opt(y, month, day).map(Value::Day),
            None => day_of_year(month, day, s.anchor?, s.lean).map(Value::Day),
        },
        When::Numeric {
            first,
            second,
            year,
        } => numeric(first, second, year, s).map(Value::Day),
        When::Month { year, month } => match explicit_year(year) {
            Some(y) => Some(Value::Month(y, month)),
            None => {
                let (y, m) = month_of(month, s.anchor?, s.lean);
                Some(Value::Month(y, m))
            }
        },
        When::Year(y) => Some(Value::Year(y)),
        When::Season { year, season } => match explicit_year(year) {
            Some(y) => Some(Value::Season(y, season)),
            None => {
                let idx = season_by_lean(season_index(s.anchor?), season, s.lean);
                Some(season_value(idx))
            }
        },
        When::Weekday(w) => {
            let a = s.anchor?;
            Some(Value::Day(match s.lean {
                Lean::Back | Lean::Unknown => on_or_before(a, w),
                Lean::Forward | Lean::Around => on_or_after(a, w),
            }))
        }
        When::ShiftedWeekday(w, shift) => {
            let a = s.anchor?;
            Some(Value::Day(match shift {
                Shift::Last | Shift::Past => on_or_before(a - Duration::days(1), w),
                Shift::Next | Shift::Coming => on_or_after(a + Duration::days(1), w),
                Shift::This if s.lean == Lean::Back => on_or_before(a, w),
                Shift::This => on_or_after(a, w),
            }))
        }
        When::ShiftedMonth(month, shift) => {
            let a = s.anchor?;
            let current = a.year() * 12 + a.month0() as i32;
            let target = month as i32 - 1;
            let index = match shift {
                Shift::Last | Shift::Past => {
                    let back = (current - target).rem_euclid(12);
                    current - if back == 0 { 12 } else { back }
                }
                Shift::Next | Shift::Coming => {
                    let ahead = (target - current).rem_euclid(12);
                    current + if ahead == 0 { 12 } else { ahead }
                }
                Shift::This => a.year() * 12 + target,
            };
            Some(Value::Month(index.div_euclid(12), month))
        }
        When::ShiftedSeason(season, shift) => {
            let a = s.anchor?;
            let current = season_index(a);
            let idx = match shift {
                Shift::Last | Shift::Past => latest_at_most(current - 1, season),
                Shift::Next | Shift::Coming => earliest_at_least(current + 1, season),
                // the current one, or else the one the tense points to: "this winter" is the
                // coming one in July ("will freeze") and the one just past in March ("fell")
                Shift::This => season_by_lean(current, season, s.lean),
            };
            Some(season_value(idx))
        }
        When::Weekend(shift) => {
            let a = s.anchor?;
            let this_week = monday_of(a);
            let weekend_now = a.weekday().number_from_monday() >= 6;
            let monday = match shift {
                Some(Shift::Last | Shift::Past) => this_week - Duration::weeks(1),
                Some(Shift::Next | Shift::Coming) => this_week + Duration::weeks(1),
                Some(Shift::This) => this_week,
                None if weekend_now => this_week,
                None if matches!(s.lean, Lean::Back | Lean::Unknown) => {
                    this_week - Duration::weeks(1)
                }
                None => this_week,
            };
            Some(Value::Weekend(monday))
        }
        When::DayOffset(n) => Some(Value::Day(s.anchor? + Duration::days(n))),
        When::UnitOffset { unit, offset } => unit_offset(s.anchor?, unit, offset),
    }
}

/// The first and last value of a range, each end read with the other in mind.
fn range(from: When, to: When, s: &Setting) -> Option<(Value, Value)> {
    match (from, to) {
        (
            When::Date {
                year: y1,
                month: m1,
                day: d1,
            },
            When::Date {
                year: y2,
                month: m2,
                day: d2,
            },
        ) if y1 == YearRef::Unknown && y2 == YearRef::Unknown && s.frame.is_none() => {
            let a = s.anchor?;
            let (start, end) = ordered_range(
                a,
                s.lean,
                |at, lean| day_of_year(m1, d1, at, lean),
                |at, lean| day_of_year(m2, d2, at, lean),
            )?;
            Some((Value::Day(start), Value::Day(end)))
        }
        (When::Date { .. }, When::Date { .. }) => {
            let (start, end) = (point(from, s)?, point(to, s)?);
            match (start, end, s.frame) {
                // a frame names the year of the start: "In 2022, from December 28 to January 3"
                (Value::Day(a), Value::Day(b), Some(_)) if b < a => {
                    Some((start, Value::Day(b.with_year(b.year() + 1)?)))
                }
                _ => Some((start, end)),
            }
        }
        (When::Weekday(w1), When::Weekday(w2)) => {
            let a = s.anchor?;
            let (start, end) = ordered_range(
                a,
                s.lean,
                |at, lean| Some(weekday_from(at, w1, lean)),
                |at, lean| Some(weekday_from(at, w2, lean)),
            )?;
            Some((Value::Day(start), Value::Day(end)))
        }
        (
            When::Month {
                year: YearRef::Unknown,
                month: m1,
            },
            When::Month {
                year: YearRef::Unknown,
                month: m2,
            },
        ) if s.frame.is_none() => {
            let a = s.anchor?;
            let first_day = |(y, m): (i32, u32)| NaiveDate::from_ymd_opt(y, m, 1);
            let (start, end) = ordered_range(
                a,
                s.lean,
                |at, lean| first_day(month_of(m1, at, lean)),
                |at, lean| first_day(month_of(m2, at, lean)),
            )?;
            Some((
                Value::Month(start.year(), start.month()),
                Value::Month(end.year(), end.month()),
            ))
        }
        _ => Some((point(from, s)?, point(to, s)?)),
    }
}

/// A range of two yearless or weekly points: `first(at, lean)` / `last(at, lean)` give the point's
/// occurrence on or before `at` (lean [`Lean::Back`]) or on or after it ([`Lean::Forward`]).
///
/// Looking back, the range ends last on or before the anchor; looking forward, it starts first on or
/// after it; in progress, it is the one around the anchor if there is one, else the next; when nothing
/// tells, whichever of the two lies nearer the anchor.
fn ordered_range(
    anchor: NaiveDate,
    lean: Lean,
    first: impl Fn(NaiveDate, Lean) -> Option<NaiveDate>,
    last: impl Fn(NaiveDate, Lean) -> Option<NaiveDate>,
) -> Option<(NaiveDate, NaiveDate)> {
    let backward = || {
        let end = last(anchor, Lean::Back)?;
        Some((first(end, Lean::Back)?, end))
    };
    let forward = |from: NaiveDate| {
        let start = first(from, Lean::Forward)?;
        Some((start, last(start, Lean::Forward)?))
    };
    match lean {
        Lean::Back => backward(),
        Lean::Forward => forward(anchor),
        Lean::Around => {
            let start = first(anchor, Lean::Back)?;
            let end = last(start, Lean::Forward)?;
            if end >= anchor {
                Some((start, end))
            } else {
                forward(anchor)
            }
        }
        Lean::Unknown => {
            let distance = |(start, end): (NaiveDate, NaiveDate)| {
                if start <= anchor && anchor <= end {
                    0
                } else {
                    (start - anchor)
                        .num_days()
                        .abs()
                        .min((end - anchor).num_days().abs())
                }
            };
            match (backward(), forward(anchor)) {
                (Some(b), Some(f)) if distance(f) < distance(b) => Some(f),
                (Some(b), _) => Some(b),
                (None, f) => f,
            }
        }
    }
}

fn weekday_from(at: NaiveDate, weekday: Weekday, lean: Lean) -> NaiveDate {
    match lean {
        Lean::Back | Lean::Unknown => on_or_before(at, weekday),
        Lean::Forward | Lean::Around => on_or_after(at, weekday),
    }
}

/// The year of a yearless day of a month: the one the lean points to, allowing [`GRACE_DAYS`].
fn day_of_year(month: u32, day: u32, anchor: NaiveDate, lean: Lean) -> Option<NaiveDate> {
    let grace = Duration::days(GRACE_DAYS);
    let candidates = (anchor.year() - 1..=anchor.year() + 1)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day));
    match lean {
        Lean::Back => candidates.filter(|d| *d <= anchor + grace).max(),
        Lean::Forward | Lean::Around => candidates.filter(|d| *d >= anchor - grace).min(),
        Lean::Unknown => candidates.min_by_key(|d| (*d - anchor).num_days().abs()),
    }
}

/// The year of a yearless month: on or before the anchor's month looking back, on or after ahead,
/// else the nearest.
fn month_of(month: u32, anchor: NaiveDate, lean: Lean) -> (i32, u32) {
    let ahead = month as i32 - anchor.month() as i32;
    let year = match lean {
        Lean::Back if ahead > 0 => anchor.year() - 1,
        Lean::Forward | Lean::Around if ahead < 0 => anchor.year() + 1,
        // the nearest; six months either way is taken as past
        Lean::Unknown if ahead > 6 => anchor.year() - 1,
        Lean::Unknown if ahead < -6 => anchor.year() + 1,
        _ => anchor.year(),
    };
    (year, month)
}

/// The two readings of "05/06/2023", settled as the module documentation says.
fn numeric(first: u32, second: u32, year: i32, s: &Setting) -> Option<NaiveDate> {
    let day_first = NaiveDate::from_ymd_opt(year, second, first)?;
    let month_first = NaiveDate::from_ymd_opt(year, first, second)?;
    match s.day_first {
        Some(true) => return Some(day_first),
        Some(false) => return Some(month_first),
        None => {}
    }
    let anchor = s.anchor?;
    let grace = Duration::days(GRACE_DAYS);
    let fits = |d: NaiveDate| match s.lean {
        Lean::Back => d <= anchor + grace,
        Lean::Forward | Lean::Around => d >= anchor - grace,
        Lean::Unknown => true,
    };
    let near = |d: NaiveDate| (d - anchor).num_days().abs() <= 31;
    match (fits(day_first), fits(month_first)) {
        (true, false) => Some(day_first),
        (false, true) => Some(month_first),
        (true, true) => match (near(day_first), near(month_first)) {
            (true, false) => Some(day_first),
            (false, true) => Some(month_first),
            _ => None,
        },
        (false, false) => None,
    }
}

/// `offset` units away from the anchor: a day, an ISO week, a month or a year.
fn unit_offset(anchor: NaiveDate, unit: Unit, offset: i32) -> Option<Value> {
    match unit {
        Unit::Day => Some(Value::Day(anchor + Duration::days(offset as i64))),
        Unit::Week => Some(Value::Week(monday_of(
            anchor + Duration::weeks(offset as i64),
        ))),
        Unit::Weekend => Some(Value::Weekend(monday_of(
            anchor + Duration::weeks(offset as i64),
        ))),
        Unit::Month => {
            let index = anchor.year() * 12 + anchor.month0() as i32 + offset;
            Some(Value::Month(
                index.div_euclid(12),
                index.rem_euclid(12) as u32 + 1,
            ))
        }
        Unit::Year => Some(Value::Year(anchor.year() + offset)),
        Unit::Hour => None,
    }
}

/// The anchor moved by `count` units (negative: back), keeping the day of the month where it can.
fn shift_by(anchor: NaiveDate, unit: Unit, count: i32) -> Option<NaiveDate> {
    let months = |n: i32| Months::new(n.unsigned_abs());
    match unit {
        Unit::Hour => Some(anchor + Duration::days((count as i64 * 3600).div_euclid(86_400))),
        Unit::Day => Some(anchor + Duration::days(count as i64)),
        Unit::Week | Unit::Weekend => Some(anchor + Duration::weeks(count as i64)),
        Unit::Month if count < 0 => anchor.checked_sub_months(months(count)),
        Unit::Month => anchor.checked_add_months(months(count)),
        Unit::Year if count < 0 => anchor.checked_sub_months(months(count * 12)),
        Unit::Year => anchor.checked_add_months(months(count * 12)),
    }
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

fn on_or_before(anchor: NaiveDate, weekday: Weekday) -> NaiveDate {
    let back = (anchor.weekday().num_days_from_monday() as i64
        - weekday.num_days_from_monday() as i64)
        .rem_euclid(7);
    anchor - Duration::days(back)
}

fn on_or_after(anchor: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (weekday.num_days_from_monday() as i64
        - anchor.weekday().num_days_from_monday() as i64)
        .rem_euclid(7);
    anchor + Duration::days(ahead)
}

/// The season the anchor lies in, counted as `year * 4 + index` with winter in its December's year.
fn season_index(anchor: NaiveDate) -> i32 {
    let (year, season) = match anchor.month() {
        1 | 2 => (anchor.year() - 1, Season::Winter),
        3..=5 => (anchor.year(), Season::Spring),
        6..=8 => (anchor.year(), Season::Summer),
        9..=11 => (anchor.year(), Season::Autumn),
        _ => (anchor.year(), Season::Winter),
    };
    year * 4 + season.index()
}

/// The occurrence of `season` that the lean points to from the season `current`, itself if current.
fn season_by_lean(current: i32, season: Season, lean: Lean) -> i32 {
    let (back, ahead) = (
        latest_at_most(current, season),
        earliest_at_least(current, season),
    );
    match lean {
        Lean::Back => back,
        Lean::Forward | Lean::Around => ahead,
        Lean::Unknown if ahead - current < current - back => ahead,
        Lean::Unknown => back,
    }
}

fn latest_at_most(index: i32, season: Season) -> i32 {
    index - (index - season.index()).rem_euclid(4)
}

fn earliest_at_least(index: i32, season: Season) -> i32 {
    index + (season.index() - index).rem_euclid(4)
}

fn season_value(index: i32) -> Value {
    Value::Season(index.div_euclid(4), Season::from_index(index))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn setting(anchor: &str, lean: Lean) -> Setting {
        Setting {
            anchor: Some(day(anchor)),
            lean,
            frame: None,
            day_first: None,
        }
    }

    fn value(when: When, anchor: &str, lean: Lean) -> String {
        point(when, &setting(anchor, lean)).unwrap().timex()
    }

    #[test]
    fn weekdays_on_the_anchor_day_and_around_it() {
        // 2023-07-20 is a Thursday
        assert_eq!(
            value(When::Weekday(Weekday::Thu), "2023-07-20", Lean::Back),
            "2023-07-20"
        );
        assert_eq!(
            value(When::Weekday(Weekday::Sun), "2023-07-20", Lean::Back),
            "2023-07-16"
        );
        assert_eq!(
            value(When::Weekday(Weekday::Sun), "2023-07-20", Lean::Forward),
            "2023-07-23"
        );
        let last_thu = When::ShiftedWeekday(Weekday::Thu, Shift::Last);
        assert_eq!(value(last_thu, "2023-07-20", Lean::Back), "2023-07-13");
        let next_fri = When::ShiftedWeekday(Weekday::Fri, Shift::Next);
        assert_eq!(value(next_fri, "2023-07-20", Lean::Back), "2023-07-21");
    }

    #[test]
    fn yearless_days_cross_the_new_year_by_lean_with_grace() {
        let d = |m, d| When::Date {
            year: YearRef::Unknown,
            month: m,
            day: d,
        };
        assert_eq!(value(d(12, 28), "2024-01-03", Lean::Back), "2023-12-28");
        assert_eq!(value(d(1, 9), "2023-12-20", Lean::Forward), "2024-01-09");
        // a few days after the anchor in a past clause: the dateline is off, not the year
        assert_eq!(value(d(7, 22), "2023-07-20", Lean::Back), "2023-07-22");
        assert_eq!(value(d(8, 15), "2023-07-20", Lean::Back), "2022-08-15");
    }

    #[test]
    fn seasons_and_winter_years() {
        let this = |s| When::ShiftedSeason(s, Shift::This);
        let last = |s| When::ShiftedSeason(s, Shift::Last);
        assert_eq!(
            value(this(Season::Summer), "2023-07-20", Lean::Back),
            "2023-SU"
        );
        assert_eq!(
            value(last(Season::Summer), "2023-07-20", Lean::Back),
            "2022-SU"
        );
        assert_eq!(
            value(last(Season::Summer), "2023-10-20", Lean::Back),
            "2023-SU"
        );
        assert_eq!(
            value(this(Season::Winter), "2024-01-15", Lean::Back),
            "2023-WI"
        );
        let this_winter = |anchor, lean| value(this(Season::Winter), anchor, lean);
        assert_eq!(this_winter("2023-07-20", Lean::Forward), "2023-WI");
        assert_eq!(this_winter("2024-03-02", Lean::Back), "2023-WI");
        assert_eq!(
            value(last(Season::Winter), "2023-07-20", Lean::Back),
            "2022-WI"
        );
    }

    #[test]
    fn numeric_dates_by_plausibility() {
        let n = When::Numeric {
            first: 7,
            second: 6,
            year: 2023,
        };
        // 7 June is six weeks back, 6 July two weeks back: only one is within a month
        assert_eq!(value(n, "2023-07-20", Lean::Back), "2023-07-06");
        let far = When::Numeric {
            first: 3,
            second: 4,
            year: 2023,
        };
        assert_eq!(point(far, &setting("2023-07-20", Lean::Back)), None);
        let mut known = setting("2023-07-20", Lean::Back);
        known.day_first = Some(true);
        assert_eq!(point(far, &known).unwrap().timex(), "2023-04-03");
    }

    #[test]
    fn values_are_zero_padded() {
        assert_eq!(Value::Day(day("0987-03-04")).timex(), "0987-03-04");
        assert_eq!(Value::Month(12345, 11).timex(), "12345-11");
        assert_eq!(Value::Year(-44).timex(), "-0044");
        assert_eq!(Value::Season(2023, Season::Winter).timex(), "2023-WI");
    }

    #[test]
    fn weeks_and_weekends_are_iso() {
        let a = day("2023-01-01"); // a Sunday, in ISO week 2022-W52
        assert_eq!(unit_offset(a, Unit::Week, 0).unwrap().timex(), "2022-W52");
        assert_eq!(unit_offset(a, Unit::Week, 1).unwrap().timex(), "2023-W01");
        let s = setting("2023-07-19", Lean::Back);
        assert_eq!(
            point(When::Weekend(None), &s).unwrap().timex(),
            "2023-W28-WE"
        );
        let s = setting("2023-07-19", Lean::Forward);
        assert_eq!(
            point(When::Weekend(None), &s).unwrap().timex(),
            "2023-W29-WE"
        );
    }
}
