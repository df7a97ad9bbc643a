//! *Bends*: corrections to the sea-lane network where a straight edge between two points at sea cuts
//! across an island, a headland or the bend of a strait.
//!
//! searoute's network is drawn for routing, not for display: its long straight edges clip small
//! islands (Cape Verde, Guadalupe, the Aleutians) and coasts (Rio Grande do Sul, Suriname), and its
//! Dardanelles is one straight line that cuts the strait's bends over land. Drawn on a map, such a
//! leg crosses land. Each entry here names an edge by its two ends, exactly as in `marnet.geojson`, and
//! the points at sea it is bent through, from the first end to the second. The points were picked
//! during development with a search for the nearest clear detour (about 5 km off land where the
//! water allows), checked against Natural Earth 1:50m land, and rounded to 0.01°;
//! `tests/routing.rs` checks every network edge again when that land file is at hand.
//!
//! Two edges are left as they are because they follow real channels too narrow for that scale: the
//! Port Mansfield cut through Padre Island (Texas) and a channel in the Chilean fjords near 45.4° S.

/// One bent edge; positions are `[lon, lat]`.
pub struct Bend {
    /// The edge's two ends, as in `marnet.geojson`.
    pub ends: [[f64; 2]; 2],
    /// The points it passes through, walking from the first end to the second.
    pub via: &'static [[f64; 2]],
}

pub const BENDS: &[Bend] = &[
    Bend {
        ends: [[26.2, 40.1], [26.76819, 40.44068]],
        via: &[
            [26.18, 40.08],
            [26.22, 40.06],
            [26.29, 40.08],
            [26.39, 40.14],
        ],
    },
    Bend {
        ends: [[-64.8, 32.3], [-66.13623, 31.70897]],
        via: &[[-64.88, 32.32]],
    },
    Bend {
        ends: [[-64.8, 32.3], [-64.255, 32.03885]],
        via: &[[-64.68, 32.43]],
    },
    Bend {
        ends: [[-60.0, 50.0], [-54.0, 52.5]],
        via: &[[-55.42, 52.0]],
    },
    Bend {
        ends: [[-51.9, 5.4], [-55.4, 6.1]],
        via: &[[-54.47, 5.98]],
    },
    Bend {
        ends: [[-53.95201, 5.8142], [-55.4, 6.1]],
        via: &[[-54.47, 5.98]],
    },
    Bend {
        ends: [[-55.1445, 6.0549], [-53.95201, 5.8142]],
        via: &[[-54.42, 5.97]],
    },
    Bend {
        ends: [[-51.8, -32.2], [-54.6, -35.25]],
        via: &[[-52.7, -33.28], [-53.22, -33.77], [-53.74, -34.41]],
    },
    Bend {
        ends: [[-23.0, 15.0], [-23.3185, 15.2424]],
        via: &[[-23.26, 15.11]],
    },
    Bend {
        ends: [[-7.1, 34.4], [-5.75, 35.95]],
        via: &[[-5.98, 35.8]],
    },
    Bend {
        ends: [[3.72842, 40.34184], [4.5091, 39.7329]],
        via: &[[4.29, 40.05]],
    },
    Bend {
        ends: [[8.3614, 39.831], [8.4301, 38.6096]],
        via: &[[8.3, 39.04]],
    },
    Bend {
        ends: [[19.9547, 39.8141], [19.21967, 39.7878]],
        via: &[[19.81, 39.87]],
    },
    Bend {
        ends: [[20.4876, 38.5495], [21.1468, 38.2266]],
        via: &[[20.71, 38.51]],
    },
    Bend {
        ends: [[22.39158, 36.3728], [23.6, 36.5]],
        via: &[[23.15, 36.4]],
    },
    Bend {
        ends: [[24.2489, 36.91625], [24.53513, 36.49003]],
        via: &[[24.27, 36.65]],
    },
    Bend {
        ends: [[78.424, 73.2304], [78.8634, 72.5846]],
        via: &[[78.49, 72.83]],
    },
    Bend {
        ends: [[-144.14727, -16.01159], [-142.5937, -17.5438]],
        via: &[[-143.47, -16.56]],
    },
    Bend {
        ends: [[123.0, 19.0], [120.0, 19.0]],
        via: &[[121.93, 18.82], [121.85, 18.78]],
    },
    Bend {
        ends: [[129.91259, -5.00205], [131.4, -3.0]],
        via: &[[130.86, -3.86]],
    },
    Bend {
        ends: [[130.8, -12.2], [130.0, -10.6]],
        via: &[[130.04, -11.86]],
    },
    Bend {
        ends: [[131.4, -3.0], [134.42312, -4.9504]],
        via: &[[132.88, -4.09]],
    },
    Bend {
        ends: [[167.7, -23.0], [166.0, -21.0]],
        via: &[[166.98, -22.06]],
    },
    Bend {
        ends: [[168.1, -18.0], [167.7, -23.0]],
        via: &[[167.77, -21.4]],
    },
    Bend {
        ends: [[167.9, 59.6], [180.0, 62.1]],
        via: &[[170.38, 59.92]],
    },
    Bend {
        ends: [[172.9, 52.6], [180.0, 62.1]],
        via: &[[173.44, 52.8]],
    },
    Bend {
        ends: [[-135.0002, -10.0367], [-140.0, -10.0]],
        via: &[[-139.13, -10.06]],
    },
    Bend {
        ends: [[-176.7, 51.6], [-176.95536, 52.85717]],
        via: &[[-176.98, 51.59], [-176.99, 51.72]],
    },
    Bend {
        ends: [[25.87907, 40.81534], [25.25892, 40.23204]],
        via: &[[25.44, 40.53]],
    },
    Bend {
        ends: [[-118.1215, 33.6276], [-120.61346, 32.93097]],
        via: &[[-119.48, 33.17]],
    },
    Bend {
        ends: [[-177.41605, 64.72074], [-172.3, 64.2]],
        via: &[[-173.24, 64.24]],
    },
    Bend {
        ends: [[173.1, 1.1], [169.8542, -1.6924]],
        via: &[[172.97, 1.06]],
    },
    Bend {
        ends: [[162.70752, -9.46314], [160.0, -10.0]],
        via: &[[161.56, -9.8], [161.04, -9.86], [160.68, -9.97]],
    },
    Bend {
        ends: [[-117.49136, 28.69643], [-120.0, 30.0]],
        via: &[[-118.29, 29.22]],
    },
    Bend {
        ends: [[180.0, 50.0], [172.9, 52.6]],
        via: &[[173.38, 52.36]],
    },
    Bend {
        ends: [[180.0, 50.0], [179.54672, 52.44436]],
        via: &[[179.85, 51.97]],
    },
    Bend {
        ends: [[-74.0561, 40.6285], [-74.0724, 40.65238]],
        via: &[[-74.05, 40.66]],
    },
    Bend {
        ends: [[-73.65234, -45.36373], [-73.82812, -45.71001]],
        via: &[[-73.78, -45.53]],
    },
    Bend {
        ends: [[55.28617, -20.92441], [57.45426, -20.01898]],
        via: &[[55.32, -20.85]],
    },
    Bend {
        ends: [[113.91724, 22.45165], [113.87054, 22.36151]],
        via: &[[113.85, 22.45]],
    },
    Bend {
        ends: [[72.53416, -7.3356], [70.0, -10.0]],
        via: &[[72.51, -7.44]],
    },
    Bend {
        ends: [[99.9646, -1.05463], [96.71602, -4.20047]],
        via: &[[99.3, -1.78]],
    },
    Bend {
        ends: [[-71.89096, 46.67203], [-72.19418, 46.54728]],
        via: &[[-72.01, 46.6]],
    },
    Bend {
        ends: [[-72.2818, 46.43212], [-72.8064, 46.21785]],
        via: &[[-72.367, 46.41], [-72.42, 46.387]],
    },
    Bend {
        ends: [[4.70489, 60.85428], [5.14148, 60.26416]],
        via: &[[5.09, 60.4]],
    },
    Bend {
        ends: [[-6.72084, 57.08991], [-6.0911, 57.0088]],
        via: &[[-6.3, 57.09]],
    },
    Bend {
        ends: [[-26.77917, 70.89328], [-27.76245, 70.88968]],
        via: &[[-27.6, 70.93]],
    },
    Bend {
        ends: [[10.06399, 58.98819], [10.24708, 59.03234]],
        via: &[[10.22, 58.97]],
    },
    Bend {
        ends: [[-4.79948, 58.7], [-5.72971, 58.11474]],
        via: &[[-5.09, 58.6]],
    },
    Bend {
        ends: [[20.4876, 38.5495], [20.8281, 38.1662]],
        via: &[[20.69, 38.52]],
    },
    Bend {
        ends: [[153.63526, -5.1353], [155.8, -5.0]],
        via: &[[154.62, -4.97]],
    },
    Bend {
        ends: [[-14.3, -8.0], [-20.0, -2e-05]],
        via: &[[-14.29, -7.88]],
    },
    Bend {
        ends: [[3.1948, 39.82258], [3.1948, 40.03103]],
        via: &[[3.24, 39.92]],
    },
    Bend {
        ends: [[73.56088, 4.14388], [72.59771, 5.32863]],
        via: &[[73.57, 4.25]],
    },
    Bend {
        ends: [[-71.6053, 10.6083], [-71.5504, 11.1693]],
        via: &[[-71.57, 10.66]],
    },
    Bend {
        ends: [[-25.06977, 16.4894], [-24.0679, 18.8249]],
        via: &[[-24.84, 16.81]],
    },
    Bend {
        ends: [[71.14326, -6.07194], [72.53416, -7.3356]],
        via: &[[72.53, -7.23]],
    },
    Bend {
        ends: [[-17.819, -5.0879], [-14.3, -8.0]],
        via: &[[-14.43, -8.01]],
    },
    Bend {
        ends: [[173.1, 1.1], [170.79878, -7.16253]],
        via: &[[173.12, 0.92]],
    },
];
