//! Tracks: the described movement of each ship or group — its *waypoints* (the places its events put it,
//! in the order `order.rs` works out from dates and the articles' cues) and the *legs* between them.
//!
//! Happened events make the travelled line; planned ones ("will sail on to") stand apart as planned
//! waypoints and legs, never joined into what happened.

// the network is built into a graph at build time (`build.rs`); the program itself builds it only in a test
#[cfg(test)]
mod bends;
mod graph;
#[cfg(test)]
mod graph_build;
mod order;
pub mod route;

use rayon::prelude::*;

use crate::story::{ActorKind, Leg, PlaceKind, Story, Track, Waypoint};

/// Build one track per ship or group that has at least two waypoints. An event actor the story has
/// no entry for (a story written by hand) is taken for a ship.
pub fn build_tracks(story: &Story) -> Vec<Track> {
    let mut movers: Vec<&str> = story
        .actors
        .iter()
        .filter(|a| matches!(a.kind, ActorKind::Ship | ActorKind::Group))
        .map(|a| a.name.as_str())
        .collect();
    for e in &story.events {
        if !movers.contains(&e.actor.as_str()) && !story.actors.iter().any(|a| a.name == e.actor) {
            movers.push(&e.actor);
        }
    }
    // actors, and the legs of each, are routed side by side: routing runs after every document is
    // read, on the story as a whole, where nothing else keeps the other cores busy
    let routed: Vec<(&str, Vec<Waypoint>, Vec<Leg>)> = movers
        .into_par_iter()
        .filter_map(|actor| {
            let mut waypoints = order::waypoints(story, actor);
            if waypoints.len() < 2 {
                return None;
            }
            place_water_waypoints(story, &mut waypoints);
            let legs = waypoints
                .par_windows(2)
                .enumerate()
                .map(|(i, w)| {
                    let leg = route::route((w[0].lon, w[0].lat), (w[1].lon, w[1].lat));
                    Leg {
                        from: i,
                        to: i + 1,
                        planned: w[1].planned,
                        routed: leg.routed,
                        // The router runs on past 180° (179 → 181); the story keeps longitudes within
                        // ±180 and the exporters cut lines where they jump.
                        coordinates: leg
                            .coordinates
                            .into_iter()
                            .map(|[lon, lat]| [(lon + 180.0).rem_euclid(360.0) - 180.0, lat])
                            .collect(),
                    }
                })
                .collect();
            Some((actor, waypoints, legs))
        })
        .collect();
    routed
        .into_iter()
        .enumerate()
        .map(|(i, (actor, waypoints, legs))| Track {
            id: format!("t{}", i + 1),
            actor: actor.to_string(),
            waypoints,
            legs,
        })
        .collect()
}

/// Move each waypoint in a sea, strait or other water area from the area's label point to where the
/// track passes through that water, given the waypoints before and after it.
/// Half the side of the box searched for sea off a country, island or region passed by ship.
const LAND_AREA_REACH_DEG: f64 = 4.0;

fn place_water_waypoints(story: &Story, waypoints: &mut [Waypoint]) {
    for i in 0..waypoints.len() {
        let Some(place) = story.place(&waypoints[i].place) else {
            continue;
        };
        // A ship "passing Taiwan" is in the water off it: a land area passed at sea is looked for within
        // a few degrees of its point, like a sea within its box.
        let bbox = match place.kind {
            k if k.is_water() => match place.bbox {
                Some(b) => b,
                None => continue,
            },
            PlaceKind::Country | PlaceKind::Island | PlaceKind::Region => [
                place.lon - LAND_AREA_REACH_DEG,
                place.lat - LAND_AREA_REACH_DEG,
                place.lon + LAND_AREA_REACH_DEG,
                place.lat + LAND_AREA_REACH_DEG,
            ],
            _ => continue,
        };
        let prev = i
            .checked_sub(1)
            .map(|p| (waypoints[p].lon, waypoints[p].lat));
        let next = waypoints.get(i + 1).map(|n| (n.lon, n.lat));
        if let Some((lon, lat)) = route::water_point(bbox, (place.lon, place.lat), prev, next) {
            waypoints[i].lon = lon;
            waypoints[i].lat = lat;
        }
    }
}

fn later(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Points along the great circle between two positions, about one every 50 km, as `[lon, lat]`.
pub fn great_circle(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> Vec<[f64; 2]> {
    let km = crate::geo_util::haversine_km(lat1, lon1, lat2, lon2);
    let steps = ((km / 50.0).ceil() as usize).clamp(1, 200);
    let (p1, l1, p2, l2) = (
        lat1.to_radians(),
        lon1.to_radians(),
        lat2.to_radians(),
        lon2.to_radians(),
    );
    let d = km / crate::geo_util::EARTH_RADIUS_KM;
    (0..=steps)
        .map(|i| {
            let f = i as f64 / steps as f64;
            if d < 1e-9 {
                return [lon1, lat1];
            }
            let a = ((1.0 - f) * d).sin() / d.sin();
            let b = (f * d).sin() / d.sin();
            let x = a * p1.cos() * l1.cos() + b * p2.cos() * l2.cos();
            let y = a * p1.cos() * l1.sin() + b * p2.cos() * l2.sin();
            let z = a * p1.sin() + b * p2.sin();
            [
                y.atan2(x).to_degrees(),
                z.atan2((x * x + y * y).sqrt()).to_degrees(),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn great_circle_ends_at_both_points() {
        let line = great_circle(120.38, 36.06, 134.0, 40.0);
        let (first, last) = (line[0], *line.last().unwrap());
        assert!((first[0] - 120.38).abs() < 1e-9 && (first[1] - 36.06).abs() < 1e-9);
        assert!((last[0] - 134.0).abs() < 1e-6 && (last[1] - 40.0).abs() < 1e-6);
        assert!(line.len() > 10);
    }
}
