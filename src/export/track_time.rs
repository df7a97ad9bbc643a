//! *Track time*: when a track is at each of its waypoints and at each vertex of its legs, so that
//! time sliders (Google Earth's gx:Track, Leaflet.TimeDimension, QGIS's temporal controller) can move
//! a ship along its line.
//!
//! The story dates waypoints by day, sometimes coarser (a whole month). A day is placed at noon UTC.
//! A ship arrives at a waypoint at the start of its dates and leaves at the end, but never after the next
//! waypoint's arrival, so a coarse "in July" does not push the departure past a dated "on July 20"
//! further on. A waypoint without a date between two dated ones is placed by distance along the track;
//! one before the first or after the last date stays untimed, and so do the legs that touch it.
//! Along a leg, time is spread in proportion to distance, and the times of a track never go backwards.

use chrono::{DateTime, NaiveTime};

use crate::geo_util::haversine_km;
use crate::story::{Leg, Track, Waypoint};

/// When a track is at one waypoint, in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stay {
    pub arrive: i64,
    pub depart: i64,
    /// True when the waypoint had no date of its own and was placed between its dated neighbours.
    pub interpolated: bool,
}

/// A leg's departure and arrival, when both ends are timed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegTime {
    pub depart: i64,
    pub arrive: i64,
    pub interpolated: bool,
}

/// Noon UTC of a `YYYY-MM-DD` date, in Unix seconds.
fn noon(date: &str) -> Option<i64> {
    let day = crate::time::parse_date(date)?;
    Some(
        day.and_time(NaiveTime::from_hms_opt(12, 0, 0)?)
            .and_utc()
            .timestamp(),
    )
}

/// RFC 3339 UTC with seconds, the one time format every export writes.
pub fn iso(seconds: i64) -> String {
    DateTime::from_timestamp(seconds, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// The stays of every waypoint of a track, `None` where it cannot be timed.
pub fn stays(track: &Track) -> Vec<Option<Stay>> {
    let dated: Vec<Option<(i64, i64)>> = track.waypoints.iter().map(own_dates).collect();
    let n = dated.len();
    let mut out: Vec<Option<Stay>> = vec![None; n];
    for i in 0..n {
        let Some((arrive, last)) = dated[i] else {
            continue;
        };
        let next_arrival = dated[i + 1..].iter().flatten().map(|d| d.0).next();
        let depart = next_arrival.map_or(last, |a| a.clamp(arrive, last));
        out[i] = Some(Stay {
            arrive,
            depart,
            interpolated: false,
        });
    }
    // Undated waypoints between two timed ones: in proportion to distance along the track.
    let along = cumulative_km(&track.waypoints);
    for i in 0..n {
        if out[i].is_some() {
            continue;
        }
        let before = (0..i).rev().find_map(|j| out[j].map(|s| (j, s)));
        let after = (i + 1..n).find_map(|j| dated[j].map(|d| (j, d.0)));
        if let (Some((a, stay)), Some((b, arrive_b))) = (before, after) {
            let span = along[b] - along[a];
            let f = if span > 0.0 {
                (along[i] - along[a]) / span
            } else {
                (i - a) as f64 / (b - a) as f64
            };
            let t = stay.depart + ((arrive_b - stay.depart) as f64 * f).round() as i64;
            out[i] = Some(Stay {
                arrive: t,
                depart: t,
                interpolated: true,
            });
        }
    }
    // Never backwards: a planned waypoint can be dated before the last thing that happened.
    let mut latest = i64::MIN;
    for stay in out.iter_mut().flatten() {
        stay.arrive = stay.arrive.max(latest);
        stay.depart = stay.depart.max(stay.arrive);
        latest = stay.depart;
    }
    out
}

fn own_dates(w: &Waypoint) -> Option<(i64, i64)> {
    let first = noon(w.start.as_deref().or(w.end.as_deref())?)?;
    let last = w.end.as_deref().and_then(noon).unwrap_or(first);
    Some((first.min(last), first.max(last)))
}

fn cumulative_km(waypoints: &[Waypoint]) -> Vec<f64> {
    let mut total = 0.0;
    let mut out = Vec::with_capacity(waypoints.len());
    for (i, w) in waypoints.iter().enumerate() {
        if i > 0 {
            let p = &waypoints[i - 1];
            total += haversine_km(p.lat, p.lon, w.lat, w.lon);
        }
        out.push(total);
    }
    out
}

/// When a leg leaves and arrives, given the stays of its track.
pub fn leg_time(leg: &Leg, stays: &[Option<Stay>]) -> Option<LegTime> {
    let from = (*stays.get(leg.from)?)?;
    let to = (*stays.get(leg.to)?)?;
    Some(LegTime {
        depart: from.depart,
        arrive: to.arrive.max(from.depart),
        interpolated: from.interpolated || to.interpolated,
    })
}

/// Length of a line in km.
pub fn line_km(coordinates: &[[f64; 2]]) -> f64 {
    coordinates
        .windows(2)
        .map(|w| haversine_km(w[0][1], w[0][0], w[1][1], w[1][0]))
        .sum()
}

/// Fraction of the line's length reached at each vertex (0 at the first, 1 at the last); by vertex
/// count when the line has no length.
pub fn fractions_along(coordinates: &[[f64; 2]]) -> Vec<f64> {
    let total = line_km(coordinates);
    let last = coordinates.len().saturating_sub(1).max(1) as f64;
    let mut done = 0.0;
    coordinates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i > 0 {
                let p = coordinates[i - 1];
                done += haversine_km(p[1], p[0], c[1], c[0]);
            }
            if total > 0.0 {
                done / total
            } else {
                i as f64 / last
            }
        })
        .collect()
}

/// The time at a fraction of a leg, in Unix seconds.
pub fn at_fraction(time: LegTime, fraction: f64) -> i64 {
    time.depart + ((time.arrive - time.depart) as f64 * fraction).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waypoint(name: &str, lon: f64, start: Option<&str>, end: Option<&str>) -> Waypoint {
        Waypoint {
            sources: Vec::new(),
            place: name.into(),
            name: name.into(),
            lat: 0.0,
            lon,
            start: start.map(String::from),
            end: end.map(String::from),
            events: vec![],
            planned: false,
        }
    }

    fn track(waypoints: Vec<Waypoint>) -> Track {
        Track {
            id: "t1".into(),
            actor: "A".into(),
            waypoints,
            legs: vec![],
        }
    }

    #[test]
    fn days_are_placed_at_noon_and_printed_as_rfc3339() {
        let t = noon("2023-07-16").unwrap();
        assert_eq!(iso(t), "2023-07-16T12:00:00Z");
    }

    #[test]
    fn coarse_stay_leaves_no_later_than_the_next_arrival() {
        let s = stays(&track(vec![
            waypoint("a", 0.0, Some("2023-07-01"), Some("2023-07-31")),
            waypoint("b", 1.0, Some("2023-07-20"), Some("2023-07-20")),
        ]));
        let a = s[0].unwrap();
        assert_eq!(iso(a.arrive), "2023-07-01T12:00:00Z");
        assert_eq!(iso(a.depart), "2023-07-20T12:00:00Z");
    }

    #[test]
    fn undated_waypoint_between_dated_ones_is_placed_by_distance() {
        let s = stays(&track(vec![
            waypoint("a", 0.0, Some("2023-07-10"), None),
            waypoint("b", 1.0, None, None),
            waypoint("c", 4.0, Some("2023-07-20"), None),
        ]));
        let b = s[1].unwrap();
        assert!(b.interpolated);
        // A quarter of the way (1° of 4° along the equator) through ten days.
        assert_eq!(iso(b.arrive), "2023-07-13T00:00:00Z");
    }

    #[test]
    fn undated_ends_stay_untimed_and_times_never_go_backwards() {
        let s = stays(&track(vec![
            waypoint("a", 0.0, None, None),
            waypoint("b", 1.0, Some("2023-07-20"), None),
            waypoint("c", 2.0, Some("2023-07-18"), None),
            waypoint("d", 3.0, None, None),
        ]));
        assert_eq!(s[0], None);
        assert_eq!(s[3], None);
        assert!(s[2].unwrap().arrive >= s[1].unwrap().depart);
    }

    #[test]
    fn fractions_follow_distance() {
        let f = fractions_along(&[[0.0, 0.0], [1.0, 0.0], [4.0, 0.0]]);
        assert_eq!(f[0], 0.0);
        assert!((f[1] - 0.25).abs() < 1e-9);
        assert_eq!(f[2], 1.0);
    }
}
