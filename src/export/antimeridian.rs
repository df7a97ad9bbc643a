//! The *antimeridian* (longitude ±180°): a line that crosses it must be cut there, because flat-map
//! readers (GDAL, QGIS, Leaflet) join consecutive positions the short way in *longitude*, and a step
//! from 179° to −179° would otherwise be drawn as a line right across the world (RFC 7946 §3.1.9).
//!
//! Each vertex carries a *measure* (a fraction along a leg, or a time in seconds) that is interpolated
//! at the cut, so per-vertex times stay aligned with the positions of each part.

/// A position `[lon, lat]` and the measure at it.
pub type Vertex = ([f64; 2], f64);

/// Cut a line wherever a step crosses the antimeridian; returns the parts, each with ≥ 2 vertices.
///
/// A step crosses when its longitudes differ by more than 180°: going the short way round the globe
/// then means passing ±180°. The cut point is interpolated in unwrapped longitude and appears at the end
/// of one part (at +180 or −180) and at the start of the next (at the opposite sign).
pub fn split(line: &[Vertex]) -> Vec<Vec<Vertex>> {
    let mut parts: Vec<Vec<Vertex>> = Vec::new();
    let mut current: Vec<Vertex> = Vec::new();
    for &(pos, measure) in line {
        if let Some(&(prev, prev_measure)) = current.last() {
            let step = pos[0] - prev[0];
            if step.abs() > 180.0 {
                let edge = if prev[0] > 0.0 { 180.0 } else { -180.0 };
                let unwrapped = pos[0] - 360.0 * step.signum();
                let f = (edge - prev[0]) / (unwrapped - prev[0]);
                let lat = crate::geo_util::round6(prev[1] + f * (pos[1] - prev[1]));
                let at = prev_measure + f * (measure - prev_measure);
                if prev != [edge, lat] {
                    current.push(([edge, lat], at));
                }
                parts.push(std::mem::take(&mut current));
                current.push(([-edge, lat], at));
                if pos == [-edge, lat] {
                    continue;
                }
            }
        }
        current.push((pos, measure));
    }
    parts.push(current);
    parts.retain(|p| p.len() >= 2);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_without_crossing_stays_whole() {
        let line = [([120.0, 36.0], 0.0), ([135.0, 40.0], 1.0)];
        assert_eq!(split(&line), vec![line.to_vec()]);
    }

    #[test]
    fn eastward_crossing_is_cut_at_both_edges_with_interpolated_measure() {
        // 170°E to 170°W: 20° of longitude, half of it before the antimeridian.
        let line = [([170.0, 50.0], 0.0), ([-170.0, 52.0], 1.0)];
        let parts = split(&line);
        assert_eq!(
            parts,
            vec![
                vec![([170.0, 50.0], 0.0), ([180.0, 51.0], 0.5)],
                vec![([-180.0, 51.0], 0.5), ([-170.0, 52.0], 1.0)],
            ]
        );
    }

    #[test]
    fn westward_crossing_is_cut_too() {
        let line = [([-175.0, 10.0], 0.0), ([175.0, 20.0], 10.0)];
        let parts = split(&line);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].last().unwrap().0, [-180.0, 15.0]);
        assert_eq!(parts[1][0].0, [180.0, 15.0]);
        assert_eq!(parts[1][0].1, 5.0);
    }

    #[test]
    fn vertex_on_the_antimeridian_does_not_leave_a_one_point_part() {
        let line = [
            ([179.0, 0.0], 0.0),
            ([180.0, 0.0], 1.0),
            ([-179.0, 0.0], 2.0),
        ];
        let parts = split(&line);
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|p| p.len() >= 2), "{parts:?}");
        assert_eq!(parts[0].last().unwrap().0, [180.0, 0.0]);
        assert_eq!(parts[1][0].0, [-180.0, 0.0]);
    }
}
