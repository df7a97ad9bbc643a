//! The *antimeridian* (±180° longitude): where a line must be cut for formats that want every
//! longitude within −180…180, as RFC 7946 §3.1.9 asks of GeoJSON.
//!
//! Tracks keep continuous longitudes (a leg may run on to 185°) so that a web map draws them without a
//! stroke across the whole world; exporters that need ±180 call [`split_antimeridian`].

/// Cut a line of `[lon, lat]` positions where it crosses ±180 and return the parts, each with every
/// longitude within −180…180. A part ending on the antimeridian ends at +180 or −180, whichever side
/// it lies on, and the next part starts on the other. Each step between two positions is taken the
/// short way round, so both continuous lines (179 → 181) and wrapped ones (179 → −179) work.
pub fn split_antimeridian(line: &[[f64; 2]]) -> Vec<Vec<[f64; 2]>> {
    let Some(&first) = line.first() else {
        return Vec::new();
    };
    // Continuous longitudes first: each step is at most 180° east or west.
    let mut continuous = vec![first];
    for &[lon, lat] in &line[1..] {
        let before = continuous.last().unwrap()[0];
        continuous.push([lon + ((before - lon) / 360.0).round() * 360.0, lat]);
    }
    if continuous.len() == 1 {
        return vec![vec![[wrap(first[0]), first[1]]]];
    }
    let mut parts: Vec<Vec<[f64; 2]>> = Vec::new();
    // The current part's copy of the world: its longitudes are `lon - 360 * band`.
    let mut band = band_of(continuous[0][0]);
    let mut part: Vec<[f64; 2]> = Vec::new();
    for step in continuous.windows(2) {
        let ([lon_a, lat_a], [lon_b, lat_b]) = (step[0], step[1]);
        // Cut points: meridians at 180 + 360k strictly between the two longitudes.
        let (low, high) = (lon_a.min(lon_b), lon_a.max(lon_b));
        let mut cuts: Vec<f64> = Vec::new();
        let mut meridian = ((low - 180.0) / 360.0).floor() * 360.0 + 180.0;
        while meridian <= low {
            meridian += 360.0;
        }
        while meridian < high {
            cuts.push((meridian - lon_a) / (lon_b - lon_a));
            meridian += 360.0;
        }
        cuts.sort_by(f64::total_cmp);
        let mut start = [lon_a, lat_a];
        for t in cuts.into_iter().chain([1.0]) {
            let end = [lon_a + t * (lon_b - lon_a), lat_a + t * (lat_b - lat_a)];
            let piece_band = if fits(band, start[0]) && fits(band, end[0]) {
                band
            } else {
                band_of((start[0] + end[0]) / 2.0)
            };
            if piece_band != band && !part.is_empty() {
                parts.push(std::mem::take(&mut part));
            }
            band = piece_band;
            let shift = 360.0 * band as f64;
            let (s, e) = (
                [clamp180(start[0] - shift), start[1]],
                [clamp180(end[0] - shift), end[1]],
            );
            if part.last() != Some(&s) {
                part.push(s);
            }
            part.push(e);
            start = end;
        }
    }
    parts.push(part);
    parts
}

/// Which copy of the world a continuous longitude is in: 0 for −180…180, 1 for 180…540, and so on.
fn band_of(lon: f64) -> i64 {
    (lon / 360.0).round() as i64
}

/// Whether a continuous longitude lies within a band's −180…180, allowing for rounding at the edge.
fn fits(band: i64, lon: f64) -> bool {
    (lon - 360.0 * band as f64).abs() <= 180.0 + 1e-9
}

fn clamp180(lon: f64) -> f64 {
    lon.clamp(-180.0, 180.0)
}

fn wrap(lon: f64) -> f64 {
    (lon + 180.0).rem_euclid(360.0) - 180.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_that_stays_on_one_side_is_one_part() {
        let line = [[120.0, 30.0], [130.0, 35.0], [140.0, 40.0]];
        assert_eq!(split_antimeridian(&line), vec![line.to_vec()]);
    }

    #[test]
    fn eastward_crossing_is_cut_at_plus_then_minus_180() {
        let parts = split_antimeridian(&[[170.0, 50.0], [190.0, 60.0]]);
        assert_eq!(
            parts,
            vec![
                vec![[170.0, 50.0], [180.0, 55.0]],
                vec![[-180.0, 55.0], [-170.0, 60.0]]
            ]
        );
    }

    #[test]
    fn wrapped_input_is_taken_the_short_way() {
        let continuous = split_antimeridian(&[[170.0, 50.0], [190.0, 60.0]]);
        let wrapped = split_antimeridian(&[[170.0, 50.0], [-170.0, 60.0]]);
        assert_eq!(continuous, wrapped);
    }

    #[test]
    fn westward_crossing_and_back() {
        let parts = split_antimeridian(&[[-175.0, 0.0], [175.0, 10.0], [-170.0, 20.0]]);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], vec![[-175.0, 0.0], [-180.0, 5.0]]);
        assert_eq!(parts[1][0], [180.0, 5.0]);
        assert_eq!(parts[1][1], [175.0, 10.0]);
        assert_eq!(parts[2][0][0], -180.0);
        assert_eq!(*parts[2].last().unwrap(), [-170.0, 20.0]);
        for part in &parts {
            assert!(part.iter().all(|p| (-180.0..=180.0).contains(&p[0])));
        }
    }

    #[test]
    fn vertex_on_the_antimeridian_is_not_doubled() {
        let parts = split_antimeridian(&[[170.0, 0.0], [180.0, 1.0], [-170.0, 2.0]]);
        assert_eq!(
            parts,
            vec![
                vec![[170.0, 0.0], [180.0, 1.0]],
                vec![[-180.0, 1.0], [-170.0, 2.0]]
            ]
        );
    }

    #[test]
    fn line_along_the_antimeridian_is_not_cut() {
        let parts = split_antimeridian(&[[179.0, 0.0], [180.0, 1.0], [180.0, 5.0], [179.0, 6.0]]);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].len(), 4);
    }

    #[test]
    fn empty_and_single_point_lines() {
        assert!(split_antimeridian(&[]).is_empty());
        assert_eq!(
            split_antimeridian(&[[190.0, 1.0]]),
            vec![vec![[-170.0, 1.0]]]
        );
    }
}
