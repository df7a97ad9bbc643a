//! Building the *sea graph* (`graph.rs`) from the network's lines: done by `build.rs`, which packs
//! the graph into the binary, and by a test that checks the packed graph against it.

use std::collections::HashMap;

use super::bends::BENDS;
use super::graph::{chord_km, take, unit_vectors, SeaGraph, LANDMARKS, NONE};

/// Passages left out of the network. The `northwest` lines are the Arctic links past the Bering
/// Strait (the Northwest Passage and the eastern end of the Northern Sea Route): ice-bound most of
/// the year; kept, they would send a leg from East Asia to Europe across the Arctic. searoute leaves
/// them out by default for the same reason.
const AVOIDED_PASSAGES: &[&str] = &["northwest"];

/// A position's identity as a junction: the file's positions have 5 decimals, so equal keys are one
/// node; a node on the antimeridian has the same key at +180 and −180.
type NodeKey = (i64, i64);

fn node_key([lon, lat]: [f64; 2]) -> NodeKey {
    let lon = if lon <= -180.0 { 180.0 } else { lon };
    ((lon * 1e5).round() as i64, (lat * 1e5).round() as i64)
}

/// Build the graph from lines of `[lon, lat]` positions, each with its passage tag (or "").
pub fn from_lines(lines: &[(&str, Vec<[f64; 2]>)]) -> SeaGraph {
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
    let unit = unit_vectors(&positions);
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
    let mut graph = SeaGraph {
        positions,
        unit,
        first_edge,
        targets,
        lengths_km,
        landmarks: Vec::new(),
    };
    graph.landmarks = landmark_table(&graph);
    graph
}

fn landmark_table(graph: &SeaGraph) -> Vec<[f32; LANDMARKS]> {
    let n = graph.positions.len();
    let mut table = vec![[f32::INFINITY; LANDMARKS]; n];
    let mut nearest_landmark_km = vec![f64::INFINITY; n];
    let (from_first_node, _) = graph.search(0, None, |_| 0.0);
    let mut landmark = farthest(&from_first_node);
    for k in 0..LANDMARKS {
        let (distance, _) = graph.search(landmark, None, |_| 0.0);
        let rows = table.iter_mut().zip(&mut nearest_landmark_km);
        for ((row, nearest), &km) in rows.zip(&distance) {
            row[k] = km as f32;
            *nearest = nearest.min(km);
        }
        landmark = farthest(&nearest_landmark_km);
    }
    table
}

/// The graph as bytes for [`SeaGraph::unpack`]: node and edge counts (u32), then positions
/// (f64 pairs), first edges (u32), targets (u32), lengths (f64) and landmark rows (f32), all
/// little-endian.
pub fn pack(graph: &SeaGraph) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.extend((graph.positions.len() as u32).to_le_bytes());
    bytes.extend((graph.targets.len() as u32).to_le_bytes());
    for p in &graph.positions {
        bytes.extend(p[0].to_le_bytes());
        bytes.extend(p[1].to_le_bytes());
    }
    for v in graph.first_edge.iter().chain(&graph.targets) {
        bytes.extend(v.to_le_bytes());
    }
    for km in &graph.lengths_km {
        bytes.extend(km.to_le_bytes());
    }
    for km in graph.landmarks.iter().flatten() {
        bytes.extend(km.to_le_bytes());
    }
    bytes
}

/// The lines of the network as `build.rs` packs them from `marnet.geojson`, as (passage tag,
/// positions): per line, the tag's length (u8) and bytes, the position count (u32), then each
/// position as lon and lat in 1e-5 degrees (i32), all little-endian.
pub fn unpack_lines(mut bytes: &[u8]) -> Vec<(&str, Vec<[f64; 2]>)> {
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
