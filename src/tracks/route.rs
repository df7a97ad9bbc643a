//! Routing: drawing a leg the way a ship would sail it, over the *sea-lane network* (searoute's marnet,
//! shipped as `gazetteer/data/marnet.geojson`) instead of as a straight great circle across land.
//!
//! A *route* snaps each end of a leg to the nearest network node, finds the shortest path between the
//! two nodes (A* with great-circle edge lengths), and adds the real ends back on. The network is
//! turned into a graph at build time (`src/tracks/graph.rs`), with the edges that cut across islands
//! and headlands bent around them (`src/tracks/bends.rs`), and unpacked once, on first use.
//!
//! The same network places *area waypoints*: a ship reported "in the Sea of Japan" is drawn at a
//! network node inside that sea, near where it came from and where it went next, so the track really
//! passes through the water named.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::graph::{chord_km, to_unit, SeaGraph, Spread, LANDMARKS, NONE};
use crate::geo_util::haversine_km;

/// The graph of `gazetteer/data/marnet.geojson`, built and packed by `build.rs`.
const SEA_GRAPH_PACKED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/seagraph.bin"));

/// Farther than this from every network node, an end is not at sea and the leg is not routed.
pub const MAX_SNAP_KM: f64 = 500.0;

/// A leg as drawn: `[lon, lat]` positions, whether they follow the sea-lane network, and its length.
///
/// Longitudes are continuous: a leg crossing the antimeridian goes on past ±180 (179 → 181) rather
/// than jumping to the other side; the track builder folds it back within ±180° and the exporters cut it
/// where formats need it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutedLeg {
    pub coordinates: Vec<[f64; 2]>,
    pub routed: bool,
    pub length_km: f64,
}

/// The sea-lane network as a graph ([`SeaGraph`]), with an index for snapping positions to it.
pub struct SeaNetwork {
    graph: SeaGraph,
    /// Nodes by the z of their unit vector (the sine of their latitude), with it. The nearest node in
    /// 3-D is the nearest on the sphere, across ±180 too, and a node's z gap alone already bounds
    /// its 3-D distance, so a snap only looks at the nodes of a narrow band of latitude.
    by_z: Vec<(f64, u32)>,
    /// Searches already made, by their ends: a corpus names the same ports and seas again and again,
    /// and a search over the whole network costs as much as reading a few hundred articles.
    memo: Mutex<SearchMemo>,
}

/// See [`SeaNetwork::memo`]. Emptied when full, which bounds its memory and changes no answer.
#[derive(Default)]
struct SearchMemo {
    /// Searches spreading from a node, as far as they were carried.
    by_sea_from: HashMap<u32, Spread>,
    /// Shortest paths between two nodes, `None` when none joins them.
    paths: HashMap<(u32, u32), Option<Arc<[u32]>>>,
}

/// Spreading searches kept at most (one is nine bytes a node and its queue).
const MEMO_TABLES: usize = 64;
/// Paths kept at most.
const MEMO_PATHS: usize = 4096;

/// The shipped network, built on first use and kept for the life of the process.
pub fn network() -> &'static SeaNetwork {
    static NETWORK: OnceLock<SeaNetwork> = OnceLock::new();
    NETWORK.get_or_init(SeaNetwork::shipped)
}

/// Unpack the shipped network now rather than on the first route: a run that will draw tracks
/// starts this while documents are still being read, so the tracks do not wait for it on one core
/// at the end.
pub fn prepare() {
    network();
}

/// Route a leg between two `(lon, lat)` positions over the shipped network.
pub fn route(from: (f64, f64), to: (f64, f64)) -> RoutedLeg {
    network().route(from, to)
}

/// Where a track passes through a water area: the network node inside `bbox` (west, south, east,
/// north; west > east when it spans the antimeridian) that makes the shortest voyage by sea from
/// `prev` and on to `next`. Among near-equal choices (every node along that voyage) it takes the one
/// closest to the area's own point `centre`, so the waypoint sits well inside the water. Only the
/// middle of the box is searched when it holds nodes, because a box's edges often lie on land or in
/// a neighbouring sea. `None` when no node lies in the box.
pub fn water_point(
    bbox: [f64; 4],
    centre: (f64, f64),
    prev: Option<(f64, f64)>,
    next: Option<(f64, f64)>,
) -> Option<(f64, f64)> {
    network().water_point(bbox, centre, prev, next)
}

impl SeaNetwork {
    /// The network embedded in the binary (what [`network`] keeps).
    pub fn shipped() -> SeaNetwork {
        SeaNetwork::from_graph(SeaGraph::unpack(SEA_GRAPH_PACKED))
    }

    fn from_graph(graph: SeaGraph) -> SeaNetwork {
        let mut by_z: Vec<(f64, u32)> = (graph.unit.iter().enumerate())
            .map(|(node, u)| (u[2], node as u32))
            .collect();
        by_z.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        SeaNetwork {
            graph,
            by_z,
            memo: Mutex::default(),
        }
    }

    pub fn node_count(&self) -> usize {
        self.graph.positions.len()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.targets.len() / 2
    }

    /// Every edge as its two end positions, the second's longitude continuous with the first's
    /// (for drawing the network, or checking it against a coastline).
    pub fn segments(&self) -> Vec<[[f64; 2]; 2]> {
        let mut segments = Vec::with_capacity(self.edge_count());
        for a in 0..self.graph.positions.len() {
            let edges = self.graph.first_edge[a] as usize..self.graph.first_edge[a + 1] as usize;
            for &b in &self.graph.targets[edges] {
                if (b as usize) > a {
                    let line = finish(
                        vec![self.graph.positions[a], self.graph.positions[b as usize]],
                        true,
                    );
                    segments.push([line.coordinates[0], line.coordinates[1]]);
                }
            }
        }
        segments
    }

    /// The nearest node to a `(lon, lat)` position, and its distance in km.
    pub fn snap(&self, (lon, lat): (f64, f64)) -> (u32, f64) {
        let u = to_unit(lon, lat);
        let squared_3d = |node: u32| {
            let v = &self.graph.unit[node as usize];
            (u[0] - v[0]).powi(2) + (u[1] - v[1]).powi(2) + (u[2] - v[2]).powi(2)
        };
        // Walk out from the position's z both ways, nearer z first, until the z gap alone is at
        // least the best distance found.
        let mut below = self.by_z.partition_point(|&(z, _)| z < u[2]);
        let mut above = below;
        let (mut best, mut best_squared) = (NONE, f64::INFINITY);
        loop {
            let gap_below = below.checked_sub(1).map(|b| u[2] - self.by_z[b].0);
            let gap_above = self.by_z.get(above).map(|&(z, _)| z - u[2]);
            let (gap, node) = match (gap_below, gap_above) {
                (Some(g), Some(a)) if g <= a => {
                    below -= 1;
                    (g, self.by_z[below].1)
                }
                (Some(g), None) => {
                    below -= 1;
                    (g, self.by_z[below].1)
                }
                (_, Some(a)) => {
                    above += 1;
                    (a, self.by_z[above - 1].1)
                }
                (None, None) => break,
            };
            if gap.powi(2) >= best_squared {
                break;
            }
            let squared = squared_3d(node);
            if squared < best_squared {
                (best, best_squared) = (node, squared);
            }
        }
        (best, chord_km(&u, &self.graph.unit[best as usize]))
    }

    /// Route a leg between two `(lon, lat)` positions; a great circle (`routed: false`) when an end
    /// is farther than [`MAX_SNAP_KM`] from the network, when the ends are nearer each other than
    /// to the network, or when no path joins them.
    pub fn route(&self, from: (f64, f64), to: (f64, f64)) -> RoutedLeg {
        let (start, start_km) = self.snap(from);
        let (goal, goal_km) = self.snap(to);
        // Ends nearer each other than to the network (a city and its port) are joined directly:
        // sailing out to a sea lane and back would draw a detour no ship made.
        let direct_km = haversine_km(from.1, from.0, to.1, to.0);
        let at_sea = start_km <= MAX_SNAP_KM && goal_km <= MAX_SNAP_KM;
        let path = if at_sea && direct_km >= start_km.max(goal_km) {
            self.shortest_path(start, goal)
        } else {
            None
        };
        let Some(path) = path else {
            return finish(super::great_circle(from.0, from.1, to.0, to.1), false);
        };
        let mut coordinates = Vec::with_capacity(path.len() + 2);
        coordinates.push([from.0, from.1]);
        coordinates.extend(path.iter().map(|&n| self.graph.positions[n as usize]));
        coordinates.push([to.0, to.1]);
        coordinates.dedup_by(|b, a| haversine_km(a[1], a[0], b[1], b[0]) < 0.001);
        finish(coordinates, true)
    }

    /// Nodes from `start` to `goal` along the shortest path, both included.
    fn shortest_path(&self, start: u32, goal: u32) -> Option<Arc<[u32]>> {
        if let Some(path) = self.memo().paths.get(&(start, goal)) {
            return path.clone();
        }
        let (_, previous) = self.search(start, Some(goal));
        let mut path = vec![goal];
        let mut node = goal;
        let path = loop {
            if node == start {
                path.reverse();
                break Some(Arc::from(path));
            }
            node = previous[node as usize];
            if node == NONE {
                break None;
            }
            path.push(node);
        };
        let mut memo = self.memo();
        if memo.paths.len() >= MEMO_PATHS {
            memo.paths.clear();
        }
        memo.paths.insert((start, goal), path.clone());
        path
    }

    /// Ways by sea (km) from `start` to each of `nodes`.
    fn by_sea_from(&self, start: u32, nodes: &[u32]) -> Vec<f64> {
        let carried = self.memo().by_sea_from.remove(&start);
        let mut spread = carried.unwrap_or_else(|| Spread::new(&self.graph, start));
        let ways = self.graph.ways_by_sea(&mut spread, nodes);
        let mut memo = self.memo();
        if memo.by_sea_from.len() >= MEMO_TABLES {
            memo.by_sea_from.clear();
        }
        memo.by_sea_from.insert(start, spread);
        ways
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, SearchMemo> {
        // a panic elsewhere cannot leave the memo half-written: each change is one insert or clear
        self.memo
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Shortest distances (km) and predecessors from `start`: A* that stops at `goal` when one is
    /// given, a full Dijkstra otherwise.
    fn search(&self, start: u32, goal: Option<u32>) -> (Vec<f64>, Vec<u32>) {
        match goal {
            Some(g) => self
                .graph
                .search(start, goal, |node| self.lower_bound_km(node, g)),
            None => self.graph.search(start, None, |_| 0.0),
        }
    }

    /// A lower bound on the way by sea from `node` to `goal`, for A*: the larger of the great-circle
    /// distance (no edge is shorter than the great circle between its ends) and the landmark bound
    /// (by the triangle inequality, the way from node to goal is at least the difference of their
    /// ways to any landmark). The landmark bound is what makes long legs fast: around a continent
    /// the great circle badly understates the remaining way.
    fn lower_bound_km(&self, node: u32, goal: u32) -> f64 {
        let table: &[[f32; LANDMARKS]] = &self.graph.landmarks;
        let (at, to) = (&table[node as usize], &table[goal as usize]);
        let mut bound = 0f32;
        for (a, b) in at.iter().zip(to) {
            let gap = (a - b).abs();
            if gap > bound && gap.is_finite() {
                bound = gap;
            }
        }
        // f32 rounding must not push the bound over the true distance.
        let by_landmarks = f64::from(bound) - 0.05;
        let by_great_circle = chord_km(
            &self.graph.unit[node as usize],
            &self.graph.unit[goal as usize],
        );
        by_landmarks.max(by_great_circle)
    }

    /// See [`water_point`].
    pub fn water_point(
        &self,
        bbox: [f64; 4],
        centre: (f64, f64),
        prev: Option<(f64, f64)>,
        next: Option<(f64, f64)>,
    ) -> Option<(f64, f64)> {
        let inner = shrink_bbox(bbox, 0.2);
        let mut candidates: Vec<u32> = self.nodes_in(inner);
        if candidates.is_empty() {
            candidates = self.nodes_in(bbox);
        }
        if candidates.is_empty() {
            return None;
        }
        let mut voyage_km = vec![0.0; candidates.len()];
        for neighbour in [prev, next].into_iter().flatten() {
            let (node, snap_km) = self.snap(neighbour);
            if snap_km <= MAX_SNAP_KM {
                let by_sea = self.by_sea_from(node, &candidates);
                for (total, km) in voyage_km.iter_mut().zip(by_sea) {
                    *total += snap_km + km;
                }
            } else {
                for (total, &c) in voyage_km.iter_mut().zip(&candidates) {
                    let [lon, lat] = self.graph.positions[c as usize];
                    *total += haversine_km(neighbour.1, neighbour.0, lat, lon);
                }
            }
        }
        let shortest = voyage_km.iter().copied().fold(f64::INFINITY, f64::min);
        // Nodes along the same shortest voyage differ only by rounding; a few km either way is
        // the same choice for a map.
        let slack = (shortest * 0.01).max(5.0);
        let off_centre = |c: u32| {
            let [lon, lat] = self.graph.positions[c as usize];
            haversine_km(centre.1, centre.0, lat, lon)
        };
        candidates
            .iter()
            .zip(&voyage_km)
            .filter(|(_, &km)| km <= shortest + slack)
            .map(|(&c, _)| c)
            .min_by(|&a, &b| off_centre(a).total_cmp(&off_centre(b)))
            .map(|c| {
                let [lon, lat] = self.graph.positions[c as usize];
                (lon, lat)
            })
    }

    fn nodes_in(&self, bbox: [f64; 4]) -> Vec<u32> {
        (0..self.graph.positions.len() as u32)
            .filter(|&n| {
                let [lon, lat] = self.graph.positions[n as usize];
                bbox_contains(bbox, lon, lat)
            })
            .collect()
    }
}

/// Make longitudes continuous and measure the line.
fn finish(mut coordinates: Vec<[f64; 2]>, routed: bool) -> RoutedLeg {
    for i in 1..coordinates.len() {
        let before = coordinates[i - 1][0];
        let lon = &mut coordinates[i][0];
        *lon += ((before - *lon) / 360.0).round() * 360.0;
    }
    let length_km = coordinates
        .windows(2)
        .map(|w| haversine_km(w[0][1], w[0][0], w[1][1], w[1][0]))
        .sum();
    RoutedLeg {
        coordinates,
        routed,
        length_km,
    }
}

/// Whether a box (west, south, east, north; west > east across the antimeridian) holds a point.
pub fn bbox_contains([west, south, east, north]: [f64; 4], lon: f64, lat: f64) -> bool {
    let lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
    let in_lon = if west <= east {
        (west..=east).contains(&lon)
    } else {
        lon >= west || lon <= east
    };
    in_lon && (south..=north).contains(&lat)
}

/// The box with `fraction` of its width and height taken off each side.
fn shrink_bbox([west, south, east, north]: [f64; 4], fraction: f64) -> [f64; 4] {
    let width = (east - west).rem_euclid(360.0);
    let height = north - south;
    let wrap = |lon: f64| (lon + 180.0).rem_euclid(360.0) - 180.0;
    [
        wrap(west + width * fraction),
        south + height * fraction,
        wrap(east - width * fraction),
        north - height * fraction,
    ]
}

#[cfg(test)]
mod tests {
    use super::super::bends::BENDS;
    use super::super::graph_build;
    use super::*;

    /// Whether the drawn line (straight between positions) comes within `km` of a point.
    fn passes_near(leg: &RoutedLeg, lon: f64, lat: f64, km: f64) -> bool {
        leg.coordinates.windows(2).any(|w| {
            (0..=100).any(|i| {
                let t = i as f64 / 100.0;
                let p = [
                    w[0][0] + t * (w[1][0] - w[0][0]),
                    w[0][1] + t * (w[1][1] - w[0][1]),
                ];
                haversine_km(p[1], p[0], lat, lon) <= km
            })
        })
    }

    /// The graph packed at build time is the one this code builds from the network's lines, and
    /// unpacks to the same graph.
    #[test]
    fn packed_graph_is_the_one_built_from_the_lines() {
        let lines = include_bytes!(concat!(env!("OUT_DIR"), "/marnet.bin"));
        let built = graph_build::from_lines(&graph_build::unpack_lines(lines));
        assert!(built.positions.len() > 9_000);
        assert!(graph_build::pack(&built) == SEA_GRAPH_PACKED);
        let unpacked = SeaGraph::unpack(SEA_GRAPH_PACKED);
        assert!(graph_build::pack(&unpacked) == SEA_GRAPH_PACKED);
        assert!(unpacked.unit == built.unit);
    }

    /// A search carried only as far as some nodes gives them the ways a whole-network search
    /// gives, and carried on further later, the ways of the farther nodes too.
    #[test]
    fn spreading_search_agrees_with_the_whole_network_search() {
        let net = network();
        let n = net.node_count() as u32;
        for i in 0..12u32 {
            let start = (i * 7919 + 5) % n;
            let (whole, _) = net.search(start, None);
            let mut spread = Spread::new(&net.graph, start);
            let mut nearest: Vec<u32> = (0..n).collect();
            nearest.sort_by(|&a, &b| whole[a as usize].total_cmp(&whole[b as usize]));
            let near = [nearest[40], nearest[3], nearest[200]];
            let far = [
                nearest[n as usize - 1],
                (i * 104_729 + 31) % n,
                nearest[100],
            ];
            for nodes in [&near[..], &far[..], &near[..]] {
                let ways = net.graph.ways_by_sea(&mut spread, nodes);
                for (&node, km) in nodes.iter().zip(ways) {
                    assert_eq!(
                        km.to_bits(),
                        whole[node as usize].to_bits(),
                        "{start} -> {node}"
                    );
                }
            }
        }
    }

    /// A snap finds the node a look at every node finds.
    #[test]
    fn snap_finds_the_nearest_of_all_nodes() {
        let net = network();
        let mut seed = 11u64;
        for i in 0..3_000u32 {
            // a grid over the globe, then positions near nodes (where ports and seas are)
            let (lon, lat) = if i < 1_800 {
                (
                    f64::from(i % 60) * 6.0 - 179.5,
                    f64::from(i / 60) * 6.0 - 89.0,
                )
            } else {
                let [lon, lat] =
                    net.graph.positions[crate::next_below(&mut seed, net.node_count())];
                let jitter = |seed: &mut u64| crate::next_below(seed, 2_001) as f64 / 1_000.0 - 1.0;
                (lon + jitter(&mut seed), lat + jitter(&mut seed))
            };
            let u = to_unit(lon, lat);
            let everyone = (0..net.node_count() as u32)
                .min_by(|&a, &b| {
                    let (ua, ub) = (&net.graph.unit[a as usize], &net.graph.unit[b as usize]);
                    let squared = |v: &[f64; 3]| {
                        (u[0] - v[0]).powi(2) + (u[1] - v[1]).powi(2) + (u[2] - v[2]).powi(2)
                    };
                    squared(ua).total_cmp(&squared(ub))
                })
                .unwrap();
            let (node, km) = net.snap((lon, lat));
            assert_eq!(node, everyone, "{lon} {lat}");
            assert_eq!(km, chord_km(&u, &net.graph.unit[everyone as usize]));
        }
    }

    #[test]
    fn antimeridian_vertices_are_one_node() {
        let net = network();
        let (east, east_km) = net.snap((180.0, 62.1));
        let (west, west_km) = net.snap((-180.0, 62.1));
        assert_eq!(east, west);
        assert!(east_km < 0.01 && west_km < 0.01);
    }

    #[test]
    fn network_is_the_shipped_marnet_without_arctic_links() {
        let net = network();
        assert!(net.node_count() > 9_000, "{}", net.node_count());
        assert!(net.edge_count() > 15_000, "{}", net.edge_count());
        let (from_first, _) = net.search(0, None);
        assert!(from_first.iter().all(|km| km.is_finite()));
        // The Chukchi Sea lines hang on the Bering Strait only by the avoided Arctic link.
        assert!(net.snap((-174.0, 70.0)).1 > 100.0);
    }

    #[test]
    fn every_bend_replaces_its_straight_edge() {
        let net = network();
        for bend in BENDS {
            let [(a, a_km), (b, b_km)] = bend.ends.map(|[lon, lat]| net.snap((lon, lat)));
            // A bend whose ends are no longer network nodes (a rebuilt marnet) would be silently lost.
            assert!(
                a_km < 0.01 && b_km < 0.01,
                "{:?} is not in the network",
                bend.ends
            );
            let edges = net.graph.first_edge[a as usize] as usize
                ..net.graph.first_edge[a as usize + 1] as usize;
            assert!(
                !net.graph.targets[edges].contains(&b),
                "{:?} still straight",
                bend.ends
            );
            let leg = net.route(
                (bend.ends[0][0], bend.ends[0][1]),
                (bend.ends[1][0], bend.ends[1][1]),
            );
            let [lon, lat] = bend.via[0];
            assert!(passes_near(&leg, lon, lat, 1.0), "{:?} not bent", bend.ends);
        }
    }

    #[test]
    fn leg_across_the_pacific_stays_continuous() {
        // Yokohama to San Francisco crosses the antimeridian.
        let leg = route((139.64, 35.45), (-122.42, 37.8));
        assert!(leg.routed);
        for w in leg.coordinates.windows(2) {
            assert!((w[1][0] - w[0][0]).abs() < 180.0, "{w:?}");
        }
        assert!(leg.coordinates.iter().any(|c| c[0] > 180.0));
        assert!(
            leg.length_km > 8_000.0 && leg.length_km < 10_500.0,
            "{}",
            leg.length_km
        );
    }

    #[test]
    fn landmark_bound_keeps_paths_shortest() {
        let net = network();
        let n = net.node_count() as u32;
        for i in 0..40u32 {
            let (start, goal) = ((i * 7919) % n, (i * 104_729 + 31) % n);
            let (plain, _) = net.search(start, None);
            let (guided, _) = net.search(start, Some(goal));
            let (a, b) = (plain[goal as usize], guided[goal as usize]);
            assert!((a - b).abs() < 1e-6, "{start} -> {goal}: {a} vs {b}");
            let bound = net.lower_bound_km(start, goal);
            assert!(
                bound <= a + 1e-6,
                "{start} -> {goal}: bound {bound} over {a}"
            );
        }
    }

    #[test]
    fn ends_nearer_each_other_than_the_network_are_joined_directly() {
        // Qingdao the city and Qingdao the port, 0.4 km apart.
        let leg = route((120.38042, 36.06488), (120.38533, 36.06499));
        assert!(!leg.routed);
        assert!(leg.length_km < 1.0, "{}", leg.length_km);
    }

    #[test]
    fn inland_ends_fall_back_to_a_great_circle() {
        // Ulaanbaatar to Almaty: both far from any sea.
        let leg = route((106.9, 47.9), (76.9, 43.2));
        assert!(!leg.routed);
        assert_eq!(leg.coordinates.first(), Some(&[106.9, 47.9]));
    }

    #[test]
    fn suez_canal_is_passable() {
        let leg = route((32.30, 31.26), (32.55, 29.95));
        assert!(leg.routed);
        assert!(leg.length_km < 250.0, "{}", leg.length_km);
        assert!(
            passes_near(&leg, 32.33, 30.6, 20.0),
            "{:?}",
            leg.coordinates
        );
    }

    /// A search made again is answered from the memo, with the answer a fresh network gives.
    #[test]
    fn searches_made_again_come_from_the_memo_unchanged() {
        let net = SeaNetwork::shipped();
        let (qingdao, busan) = ((120.38, 36.06), (129.04, 35.10));
        let first = net.route(qingdao, busan);
        assert!(first.routed);
        assert_eq!(net.memo().paths.len(), 1);
        assert_eq!(net.route(qingdao, busan), first);
        assert_eq!(net.memo().paths.len(), 1);
        let sea_of_japan = [127.3, 33.9, 142.3, 52.2];
        let point = net.water_point(sea_of_japan, (135.0, 40.0), Some(qingdao), None);
        let tables = net.memo().by_sea_from.len();
        assert_eq!(tables, 1);
        assert_eq!(
            net.water_point(sea_of_japan, (135.0, 40.0), Some(qingdao), None),
            point
        );
        assert_eq!(net.memo().by_sea_from.len(), tables);
        let fresh = SeaNetwork::shipped();
        assert_eq!(fresh.route(qingdao, busan), first);
        assert_eq!(
            fresh.water_point(sea_of_japan, (135.0, 40.0), Some(qingdao), None),
            point
        );
    }

    #[test]
    fn water_point_prefers_the_voyage_and_the_middle_of_the_box() {
        let sea_of_japan = [127.3, 33.9, 142.3, 52.2];
        let qingdao = (120.38, 36.06);
        let (lon, lat) = water_point(sea_of_japan, (135.0, 40.0), Some(qingdao), None).unwrap();
        assert!(
            bbox_contains(shrink_bbox(sea_of_japan, 0.2), lon, lat),
            "{lon} {lat}"
        );
        // Reached from Qingdao, the nearest part of the sea is its south-west, not Vladivostok's side.
        assert!(lat < 41.0 && lon < 134.0, "{lon} {lat}");
    }

    #[test]
    fn boxes_across_the_antimeridian() {
        let pacific = [99.0, -60.0, -67.0, 66.0];
        assert!(bbox_contains(pacific, -150.0, 0.0));
        assert!(bbox_contains(pacific, 185.0, 0.0));
        assert!(!bbox_contains(pacific, 0.0, 0.0));
        let inner = shrink_bbox(pacific, 0.25);
        assert!(bbox_contains(inner, 180.0, 0.0));
        assert!(!bbox_contains(inner, 110.0, 0.0));
    }
}
