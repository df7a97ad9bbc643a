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

    /// Great-circle distance in km.
    pub fn km_to(&self, other: &LatCos) -> f64 {
        let dp = other.lat.to_radians() - self.lat.to_radians();
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + self.cos_lat * other.cos_lat * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

/// Round to 6 decimals (about 10 cm), the precision every export uses.
pub fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_known_distance() {
        // Qingdao to Shanghai is about 550 km.
        let d = haversine_km(36.0649, 120.3804, 31.2222, 121.4581);
        assert!((d - 548.0).abs() < 10.0, "{d}");
        assert_eq!(round6(1.23456789), 1.234568);
    }
}
