//! Routing: drawing a leg the way a ship would sail it, over the *sea-lane network* (searoute's marnet,
//! shipped as `gazetteer/data/marnet.geojson`) instead of as a straight great circle across land.
//!
//! A *route* snaps each end of a leg to the nearest network node, finds the shortest path between the
//! two nodes (A* with great-circle edge lengths), and adds the real ends back on. The network is
//! packed into the binary at build time (`build.rs`) and turned into a graph once, on first use, with
//! the edges that cut across islands and headlands bent around them (`src/tracks/bends.rs`).
//!
//! The same network places *area waypoints*: a ship reported "in the Sea of Japan" is drawn at a
//! network node inside that sea, near where it came from and where it went next, so the track really
//! passes through the water named.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use rstar::primitives::GeomWithData;
use rstar::RTree;

use super::bends::BENDS;
use crate::geo_util::{haversine_km, EARTH_RADIUS_KM};

/// `gazetteer/data/marnet.geojson`, packed by `build.rs` (the format is described there).
const MARNET_PACKED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/marnet.bin"));

/// Passages left out of the network. The `northwest` lines are the Arctic links past the Bering
/// Strait (the Northwest Passage and the eastern end of the Northern Sea Route): ice-bound most of
/// the year; kept, they would send a leg from East Asia to Europe across the Arctic. searoute leaves
/// them out by default for the same reason.
const AVOIDED_PASSAGES: &[&str] = &["northwest"];

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

/// The sea-lane network as a graph: nodes with positions, edges with great-circle lengths in km.
pub struct SeaNetwork {
    /// `[lon, lat]`; a node on the antimeridian is stored once, at +180.
    positions: Vec<[f64; 2]>,
    /// Unit vectors of the positions, for the A* heuristic.
    unit: Vec<[f64; 3]>,
    /// Edges of node `n` are `targets[first_edge[n]..first_edge[n + 1]]` (compressed adjacency).
    first_edge: Vec<u32>,
    targets: Vec<u32>,
    lengths_km: Vec<f64>,
    /// Nodes by unit vector: the nearest in 3-D is the nearest on the sphere, across ±180 too.
    index: RTree<GeomWithData<[f64; 3], u32>>,
    /// See [`SeaNetwork::landmark_distances`].
    landmarks: OnceLock<Vec<[f32; LANDMARKS]>>,
    /// Searches already made, by their ends: a corpus names the same ports and seas again and again,
    /// and a search over the whole network costs as much as reading a few hundred articles.
    memo: Mutex<SearchMemo>,
}

/// See [`SeaNetwork::memo`]. Emptied when full, which bounds its memory and changes no answer.
#[derive(Default)]
struct SearchMemo {
    /// Way by sea (km) from a node to every node.
    by_sea_from: HashMap<u32, Arc<Vec<f64>>>,
    /// Shortest paths between two nodes, `None` when none joins them.
    paths: HashMap<(u32, u32), Option<Arc<[u32]>>>,
}

/// Whole-network distance tables kept at most (one is eight bytes a node).
const MEMO_TABLES: usize = 64;
/// Paths kept at most.
const MEMO_PATHS: usize = 4096;

/// The shipped network, built on first use and kept for the life of the process.
pub fn network() -> &'static SeaNetwork {
    static NETWORK: OnceLock<SeaNetwork> = OnceLock::new();
    NETWORK.get_or_init(SeaNetwork::shipped)
}

/// Build the shipped network and its search tables now rather than on the first route: a run that
/// will draw tracks starts this while documents are still being read, so the tracks do not wait for it
/// on one core at the end.
pub fn prepare() {
    network().landmark_distances();
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
    /// Build the graph of the network embedded in the binary (what [`network`] keeps).
    pub fn shipped() -> SeaNetwork {
        SeaNetwork::from_lines(&unpack(MARNET_PACKED))
    }

    /// Build the graph from lines of `[lon, lat]` positions, each with its passage tag (or "").
    fn from_lines(lines: &[(&str, Vec<[f64; 2]>)]) -> SeaNetwork {
        let mut ids: HashMap<NodeKey, u32> = HashMap::new();
        let mut positions: Vec<[f64; 2]> = Vec::new();
        let mut edges: Vec<(u32, u32)> = Vec::new();
        // Bent edges by their ends, both ways round, with the points between in walking order.
        let mut bends: HashMap<(NodeKey, NodeKey), Vec<[f64; 2]>> = HashMap::new();
        for bend in BENDS {
            let [a, b] = bend.ends.map(node_key);
            bends.insert((a, b), bend.via.to_vec());
            bends.insert((b, a), bend.via.iter().rev().copied().collect());
        }
        for (passage, line) in lines {
            if AVOIDED_PASSAGES.contains(passage) {
                continue;
            }
            let mut previous: Option<u32> = None;
            for (i, &point) in line.iter().enumerate() {
                let bent = i
                    .checked_sub(1)
                    .and_then(|b| bends.get(&(node_key(line[b]), node_key(point))));
                let via = bent.map_or(&[][..], |v| v.as_slice());
                for &[lon, lat] in via.iter().chain([&point]) {
                    let lon = if lon <= -180.0 { 180.0 } else { lon };
                    let id = *ids.entry(node_key([lon, lat])).or_insert_with(|| {
                        positions.push([lon, lat]);
                        (positions.len() - 1) as u32
                    });
                    if let Some(p) = previous.filter(|&p| p != id) {
                        edges.push((p, id));
                    }
                    previous = Some(id);
                }
            }
        }
        // Dropping avoided passages strands a few lines (the Chukchi Sea's); a leg must never snap to
        // a node it cannot leave, so only the largest connected part is kept.
        let keep = largest_component(positions.len(), &edges);
        let mut new_id = vec![NONE; positions.len()];
        let mut kept_positions = Vec::new();
        for (old, position) in positions.iter().enumerate() {
            if keep[old] {
                new_id[old] = kept_positions.len() as u32;
                kept_positions.push(*position);
            }
        }
        let positions = kept_positions;
        let edges: Vec<(u32, u32)> = edges
            .iter()
            .filter(|&&(a, _)| keep[a as usize])
            .map(|&(a, b)| (new_id[a as usize], new_id[b as usize]))
            .collect();
        let unit: Vec<[f64; 3]> = positions
            .iter()
            .map(|&[lon, lat]| to_unit(lon, lat))
            .collect();
        let mut degree = vec![0u32; positions.len() + 1];
        for &(a, b) in &edges {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        let mut first_edge = Vec::with_capacity(positions.len() + 1);
        let mut total = 0u32;
        for d in &degree[..positions.len()] {
            first_edge.push(total);
            total += d;
        }
        first_edge.push(total);
        let mut fill: Vec<u32> = first_edge[..positions.len()].to_vec();
        let mut targets = vec![0u32; total as usize];
        let mut lengths_km = vec![0f64; total as usize];
        for &(a, b) in &edges {
            let km = chord_km(&unit[a as usize], &unit[b as usize]);
            for (from, to) in [(a, b), (b, a)] {
                let slot = fill[from as usize] as usize;
                targets[slot] = to;
                lengths_km[slot] = km;
                fill[from as usize] += 1;
            }
        }
        let index = RTree::bulk_load(
            unit.iter()
                .enumerate()
                .map(|(i, u)| GeomWithData::new(*u, i as u32))
                .collect(),
        );
        SeaNetwork {
            positions,
            unit,
            first_edge,
            targets,
            lengths_km,
            index,
            landmarks: OnceLock::new(),
            memo: Mutex::default(),
        }
    }

    pub fn node_count(&self) -> usize {
        self.positions.len()
    }

    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// Every edge as its two end positions, the second's longitude continuous with the first's
    /// (for drawing the network, or checking it against a coastline).
    pub fn segments(&self) -> Vec<[[f64; 2]; 2]> {
        let mut segments = Vec::with_capacity(self.edge_count());
        for a in 0..self.positions.len() {
            let edges = self.first_edge[a] as usize..self.first_edge[a + 1] as usize;
            for &b in &self.targets[edges] {
                if (b as usize) > a {
                    let line = finish(vec![self.positions[a], self.positions[b as usize]], true);
                    segments.push([line.coordinates[0], line.coordinates[1]]);
                }
            }
        }
        segments
    }

    /// The nearest node to a `(lon, lat)` position, and its distance in km.
    pub fn snap(&self, (lon, lat): (f64, f64)) -> (u32, f64) {
        let u = to_unit(lon, lat);
        let nearest = self
            .index
            .nearest_neighbor(&u)
            .expect("the network has nodes");
        (nearest.data, chord_km(&u, nearest.geom()))
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
        coordinates.extend(path.iter().map(|&n| self.positions[n as usize]));
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

    /// Way by sea (km) from `start` to every node.
    fn by_sea_from(&self, start: u32) -> Arc<Vec<f64>> {
        if let Some(table) = self.memo().by_sea_from.get(&start) {
            return Arc::clone(table);
        }
        let table = Arc::new(self.search(start, None).0);
        let mut memo = self.memo();
        if memo.by_sea_from.len() >= MEMO_TABLES {
            memo.by_sea_from.clear();
        }
        memo.by_sea_from.insert(start, Arc::clone(&table));
        table
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
        let n = self.positions.len();
        let mut distance = vec![f64::INFINITY; n];
        let mut previous = vec![NONE; n];
        let mut done = vec![false; n];
        let bounds = goal.map(|g| (g, self.landmark_distances()));
        let estimate = |node: u32| match bounds {
            Some((g, table)) => self.lower_bound_km(table, node, g),
            None => 0.0,
        };
        let mut queue = BinaryHeap::new();
        distance[start as usize] = 0.0;
        queue.push(Queued {
            priority: estimate(start),
            node: start,
        });
        while let Some(Queued { node, .. }) = queue.pop() {
            if std::mem::replace(&mut done[node as usize], true) {
                continue;
            }
            if Some(node) == goal {
                break;
            }
            let here = distance[node as usize];
            let edges = self.first_edge[node as usize] as usize
                ..self.first_edge[node as usize + 1] as usize;
            for e in edges {
                let next = self.targets[e];
                let via = here + self.lengths_km[e];
                if via < distance[next as usize] {
                    distance[next as usize] = via;
                    previous[next as usize] = node;
                    queue.push(Queued {
                        priority: via + estimate(next),
                        node: next,
                    });
                }
            }
        }
        (distance, previous)
    }

    /// A lower bound on the way by sea from `node` to `goal`, for A*: the larger of the great-circle
    /// distance (no edge is shorter than the great circle between its ends) and the landmark bound
    /// (by the triangle inequality, the way from node to goal is at least the difference of their
    /// ways to any landmark). The landmark bound is what makes long legs fast: around a continent
    /// the great circle badly understates the remaining way.
    fn lower_bound_km(&self, table: &[[f32; LANDMARKS]], node: u32, goal: u32) -> f64 {
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
        let by_great_circle = chord_km(&self.unit[node as usize], &self.unit[goal as usize]);
        by_landmarks.max(by_great_circle)
    }

    /// Way by sea (km) from each of [`LANDMARKS`] far-apart nodes to every node, computed on first
    /// use. Landmarks are chosen farthest-first: each is the node farthest from those already chosen.
    fn landmark_distances(&self) -> &[[f32; LANDMARKS]] {
        self.landmarks.get_or_init(|| {
            let n = self.positions.len();
            let mut table = vec![[f32::INFINITY; LANDMARKS]; n];
            let mut nearest_landmark_km = vec![f64::INFINITY; n];
            let (from_first_node, _) = self.search(0, None);
            let mut landmark = farthest(&from_first_node);
            for k in 0..LANDMARKS {
                let (distance, _) = self.search(landmark, None);
                let rows = table.iter_mut().zip(&mut nearest_landmark_km);
                for ((row, nearest), &km) in rows.zip(&distance) {
                    row[k] = km as f32;
                    *nearest = nearest.min(km);
                }
                landmark = farthest(&nearest_landmark_km);
            }
            table
        })
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
                let by_sea = self.by_sea_from(node);
                for (total, &c) in voyage_km.iter_mut().zip(&candidates) {
                    *total += snap_km + by_sea[c as usize];
                }
            } else {
                for (total, &c) in voyage_km.iter_mut().zip(&candidates) {
                    let [lon, lat] = self.positions[c as usize];
                    *total += haversine_km(neighbour.1, neighbour.0, lat, lon);
                }
            }
        }
        let shortest = voyage_km.iter().copied().fold(f64::INFINITY, f64::min);
        // Nodes along the same shortest voyage differ only by rounding; a few km either way is
        // the same choice for a map.
        let slack = (shortest * 0.01).max(5.0);
        let off_centre = |c: u32| {
            let [lon, lat] = self.positions[c as usize];
            haversine_km(centre.1, centre.0, lat, lon)
        };
        candidates
            .iter()
            .zip(&voyage_km)
            .filter(|(_, &km)| km <= shortest + slack)
            .map(|(&c, _)| c)
            .min_by(|&a, &b| off_centre(a).total_cmp(&off_centre(b)))
            .map(|c| {
                let [lon, lat] = self.positions[c as usize];
                (lon, lat)
            })
    }

    fn nodes_in(&self, bbox: [f64; 4]) -> Vec<u32> {
        (0..self.positions.len() as u32)
            .filter(|&n| {
                let [lon, lat] = self.positions[n as usize];
                bbox_contains(bbox, lon, lat)
            })
            .collect()
    }
}

const NONE: u32 = u32::MAX;

/// A position's identity as a junction: the file's positions have 5 decimals, so equal keys are one
/// node; a node on the antimeridian has the same key at +180 and −180.
type NodeKey = (i64, i64);

fn node_key([lon, lat]: [f64; 2]) -> NodeKey {
    let lon = if lon <= -180.0 { 180.0 } else { lon };
    ((lon * 1e5).round() as i64, (lat * 1e5).round() as i64)
}

/// How many landmarks bound the A* search. More tighten the bound but cost a full Dijkstra each, once.
const LANDMARKS: usize = 16;

/// The lines of the packed network, as (passage tag, positions).
fn unpack(mut bytes: &[u8]) -> Vec<(&str, Vec<[f64; 2]>)> {
    fn take<'a>(bytes: &mut &'a [u8], n: usize) -> &'a [u8] {
        let (head, rest) = bytes.split_at(n);
        *bytes = rest;
        head
    }
    let mut lines = Vec::new();
    while !bytes.is_empty() {
        let tag_len = take(&mut bytes, 1)[0] as usize;
        let passage = std::str::from_utf8(take(&mut bytes, tag_len)).expect("ASCII passage tag");
        let count = u32::from_le_bytes(take(&mut bytes, 4).try_into().unwrap()) as usize;
        let line = take(&mut bytes, count * 8)
            .chunks_exact(8)
            .map(|p| {
                let lon = i32::from_le_bytes(p[..4].try_into().unwrap());
                let lat = i32::from_le_bytes(p[4..].try_into().unwrap());
                [f64::from(lon) / 1e5, f64::from(lat) / 1e5]
            })
            .collect();
        lines.push((passage, line));
    }
    lines
}

/// Which nodes belong to the largest connected part of the graph (union-find over the edges).
fn largest_component(nodes: usize, edges: &[(u32, u32)]) -> Vec<bool> {
    let mut parent: Vec<u32> = (0..nodes as u32).collect();
    fn root(parent: &mut [u32], mut node: u32) -> u32 {
        while parent[node as usize] != node {
            let up = parent[parent[node as usize] as usize];
            parent[node as usize] = up;
            node = up;
        }
        node
    }
    for &(a, b) in edges {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra as usize] = rb;
    }
    let mut size = vec![0usize; nodes];
    let roots: Vec<u32> = (0..nodes as u32).map(|n| root(&mut parent, n)).collect();
    for &r in &roots {
        size[r as usize] += 1;
    }
    let biggest = (0..nodes).max_by_key(|&r| size[r]).unwrap_or(0) as u32;
    roots.iter().map(|&r| r == biggest).collect()
}

/// The reachable node with the largest distance.
fn farthest(distance: &[f64]) -> u32 {
    let (mut best, mut best_km) = (0, -1.0);
    for (node, &km) in distance.iter().enumerate() {
        if km.is_finite() && km > best_km {
            (best, best_km) = (node, km);
        }
    }
    best as u32
}

/// A node waiting in the search queue; the heap pops the smallest priority first.
struct Queued {
    priority: f64,
    node: u32,
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Queued {}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .priority
            .total_cmp(&self.priority)
            .then(other.node.cmp(&self.node))
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

fn to_unit(lon: f64, lat: f64) -> [f64; 3] {
    let (lon, lat) = (lon.to_radians(), lat.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Great-circle distance between two unit vectors.
fn chord_km(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let chord = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt();
    2.0 * EARTH_RADIUS_KM * (chord / 2.0).min(1.0).asin()
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
            let edges =
                net.first_edge[a as usize] as usize..net.first_edge[a as usize + 1] as usize;
            assert!(
                !net.targets[edges].contains(&b),
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
            let bound = net.lower_bound_km(net.landmark_distances(), start, goal);
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
