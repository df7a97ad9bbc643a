//! Small spherical-earth helpers shared by resolution, tracks and exporters.

/// Mean earth radius in km, as used for great-circle distances.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in km between two points given in degrees.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
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
