//! Small spherical-earth helpers shared by resolution, tracks and exporters.

/// Mean earth radius in km, as used for great-circle distances.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in km between two points given in degrees.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    LatCos::new(lat1, lon1).km_to(&LatCos::new(lat2, lon2))
}

/// A point with the cosine of its latitude worked out once, for measuring from it to many others
/// (a document's candidate places to its other places): the same distances as [`haversine_km`],
/// with a third of its trigonometry.
#[derive(Debug, Clone, Copy)]
pub struct LatCos {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl LatCos {
    pub fn new(lat: f64, lon: f64) -> LatCos {
        LatCos {
            lat,
            lon,
            cos_lat: lat.to_radians().cos(),
        }
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// True when the great-circle distance to `other` is surely over `km`, told without trigonometry
    /// from the longitudes: over a difference in longitude `dl` (radians, at most π) the distance is
    /// at least `2R·√(cos φ1·cos φ2)·dl/π`, since `sin x ≥ 2x/π` on [0, π/2] and `asin y ≥ y`. The
    /// floor must clear `km` by more than rounding could add, so no answer differs from [`km_to`].
    ///
    /// [`km_to`]: LatCos::km_to
    pub fn surely_farther_than(&self, other: &LatCos, km: f64) -> bool {
        let dl = (other.lon - self.lon).abs().to_radians();
        let dl = dl.min(2.0 * std::f64::consts::PI - dl);
        let floor = 2.0 * EARTH_RADIUS_KM * (self.cos_lat * other.cos_lat).max(0.0).sqrt() * dl
            / std::f64::consts::PI;
        floor > km * (1.0 + 1e-9)
    }

    /// Great-circle distance in km.
    pub fn km_to(&self, other: &LatCos) -> f64 {
        km_of_haversine(self.haversine_to(other))
    }

    /// The haversine of the central angle to `other`: [`km_to`] grows with it, so a distance that is
    /// only compared with fixed bounds can be told from it and [`haversine_limit`]s, without the
    /// square root and arcsine.
    ///
    /// [`km_to`]: LatCos::km_to
    pub fn haversine_to(&self, other: &LatCos) -> f64 {
        let dp = other.lat.to_radians() - self.lat.to_radians();
        let dl = (other.lon - self.lon).to_radians();
        (dp / 2.0).sin().powi(2) + self.cos_lat * other.cos_lat * (dl / 2.0).sin().powi(2)
    }

    /// A floor and a ceiling of [`haversine_to`] worked out without trigonometry, since
    /// `x - x³/6 <= sin x <= x` for `x >= 0`: wherever both fall on the same side of a limit, so
    /// does the haversine. They hold it with room for rounding (a relative 10⁻⁹, where the
    /// arithmetic strays by a few parts in 10¹⁶).
    ///
    /// [`haversine_to`]: LatCos::haversine_to
    pub fn haversine_bounds(&self, other: &LatCos) -> (f64, f64) {
        let half_dp = ((other.lat.to_radians() - self.lat.to_radians()) / 2.0).abs();
        let half_dl = ((other.lon - self.lon).to_radians() / 2.0).abs();
        let cosines = self.cos_lat * other.cos_lat;
        if cosines.is_nan() || cosines < 0.0 {
            // latitudes beyond the poles: no bounds
            return (f64::NEG_INFINITY, f64::INFINITY);
        }
        let sine_floor = |x: f64| (x - x * x * x / 6.0).max(0.0);
        let floor = sine_floor(half_dp).powi(2) + cosines * sine_floor(half_dl).powi(2);
        let ceiling = half_dp * half_dp + cosines * half_dl * half_dl;
        (floor * (1.0 - 1e-9), ceiling * (1.0 + 1e-9))
    }
}

/// The great-circle distance in km of a haversine from [`LatCos::haversine_to`].
fn km_of_haversine(haversine: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * haversine.sqrt().asin()
}

/// The largest haversine whose distance is at most `km` (between 0 and half the circumference): a
/// haversine `h` from [`LatCos::haversine_to`] is within `km` exactly when `h <= haversine_limit(km)`,
/// since the distance never falls as the haversine grows. Found from the closed form, then moved to
/// the exact boundary of the rounded distances a step at a time.
pub fn haversine_limit(km: f64) -> f64 {
    assert!(km > 0.0 && km < std::f64::consts::PI * EARTH_RADIUS_KM);
    // the neighbouring numbers of a positive one are a step apart in its bits
    let up = |h: f64| f64::from_bits(h.to_bits() + 1);
    let down = |h: f64| f64::from_bits(h.to_bits() - 1);
    let mut limit = (km / (2.0 * EARTH_RADIUS_KM)).sin().powi(2);
    while km_of_haversine(limit) > km {
        limit = down(limit);
    }
    while km_of_haversine(up(limit)) <= km {
        limit = up(limit);
    }
    limit
}

/// Round to 6 decimals (about 10 cm), the precision every export uses.
pub fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {

    /// The longitude floor never calls two places farther apart than they are, over a grid of pairs
    /// from pole to pole and across the antimeridian; and it does rule out most pairs an ocean apart.
    #[test]
    fn longitude_floor_never_overstates_the_distance() {
        let mut ruled_out = 0;
        for lat1 in (-90..=90).step_by(5) {
            for lat2 in (-90..=90).step_by(7) {
                for dlon in (0..=360).step_by(3) {
                    let a = LatCos::new(f64::from(lat1), -180.0 + f64::from(dlon) * 0.5);
                    let b = LatCos::new(f64::from(lat2), -180.0 + f64::from(dlon));
                    for km in [50.0, 500.0, 5_000.0] {
                        if a.surely_farther_than(&b, km) {
                            ruled_out += 1;
                            assert!(a.km_to(&b) > km, "{lat1} {lat2} {dlon} {km}");
                        }
                    }
                }
            }
        }
        assert!(ruled_out > 50_000, "{ruled_out}");
        let (tokyo, lisbon) = (LatCos::new(35.7, 139.7), LatCos::new(38.7, -9.1));
        assert!(tokyo.surely_farther_than(&lisbon, 500.0));
        let (qingdao, shanghai) = (LatCos::new(36.1, 120.4), LatCos::new(31.2, 121.5));
        assert!(!qingdao.surely_farther_than(&shanghai, 500.0));
    }
    use super::*;

    /// Comparing haversines with a limit answers as comparing the distances would: at every number
    /// around each limit, and over a sweep of point pairs.
    #[test]
    fn haversine_limits_answer_as_the_distances() {
        for km in [50.0, 200.0, 500.0, 3_000.0] {
            let limit = haversine_limit(km);
            let mut h = limit;
            for _ in 0..2_000 {
                h = f64::from_bits(h.to_bits() - 1);
            }
            for _ in 0..4_000 {
                assert_eq!(h <= limit, km_of_haversine(h) <= km, "{km} {h}");
                h = f64::from_bits(h.to_bits() + 1);
            }
            assert!(km_of_haversine(limit) <= km);
            assert!(km_of_haversine(f64::from_bits(limit.to_bits() + 1)) > km);
        }
        let limits = [50.0, 200.0, 500.0].map(|km| (km, haversine_limit(km)));
        let mut within = 0;
        for lat in (0..600).map(|i| 30.0 + f64::from(i) * 0.0137) {
            for lon in (0..600).map(|i| 100.0 + f64::from(i) * 0.0191) {
                let (a, b) = (LatCos::new(35.0, 105.0), LatCos::new(lat, lon));
                for (km, limit) in limits {
                    let near = a.km_to(&b) <= km;
                    assert_eq!(a.haversine_to(&b) <= limit, near, "{lat} {lon} {km}");
                    within += usize::from(near);
                }
            }
        }
        assert!(within > 10_000, "{within}");
    }

    /// The bounds hold the haversine, near and far, across the antimeridian, at the poles and
    /// beyond them; and near points they are close enough to tell most distances from the limits.
    #[test]
    fn haversine_bounds_hold_the_haversine() {
        let limit = haversine_limit(200.0);
        let mut told = 0;
        for lat1 in (-100..=100).step_by(5) {
            for lat2 in (-100..=100).step_by(7) {
                for dlon in (0..=720).step_by(3) {
                    let a = LatCos::new(f64::from(lat1), -180.0 + f64::from(dlon) * 0.5);
                    let b = LatCos::new(f64::from(lat2) * 0.1 + f64::from(lat1), f64::from(dlon));
                    let h = a.haversine_to(&b);
                    let (floor, ceiling) = a.haversine_bounds(&b);
                    assert!(
                        floor <= h && h <= ceiling,
                        "{lat1} {lat2} {dlon}: {floor} {h} {ceiling}"
                    );
                    told += usize::from(floor > limit || ceiling <= limit);
                }
            }
        }
        assert!(told > 100_000, "{told}");
    }

    #[test]
    fn haversine_matches_known_distance() {
        // Qingdao to Shanghai is about 550 km.
        let d = haversine_km(36.0649, 120.3804, 31.2222, 121.4581);
        assert!((d - 548.0).abs() < 10.0, "{d}");
        assert_eq!(round6(1.23456789), 1.234568);
    }
}
