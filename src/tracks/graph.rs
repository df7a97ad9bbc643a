//! The *sea graph*: the sea-lane network as nodes and edges with great-circle lengths, plus the
//! landmark tables that bound the router's A* search.
//!
//! Building it (`graph_build.rs`: joining the network's lines into junctions, bending edges around
//! land, keeping the connected part, and the landmark tables, which take a whole-network search
//! each) costs as much as reading hundreds of articles, and its result never changes between runs.
//! So `build.rs` builds it once and packs it into the binary; the program only unpacks it.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::geo_util::EARTH_RADIUS_KM;

/// How many landmarks bound the A* search. More tighten the bound but cost a full Dijkstra each
/// when the graph is built.
pub const LANDMARKS: usize = 16;

pub const NONE: u32 = u32::MAX;

/// The graph; see the module comment.
pub struct SeaGraph {
    /// `[lon, lat]`; a node on the antimeridian is stored once, at +180.
    pub positions: Vec<[f64; 2]>,
    /// Unit vectors of the positions (worked out on unpacking, not packed).
    pub unit: Vec<[f64; 3]>,
    /// Edges of node `n` are `targets[first_edge[n]..first_edge[n + 1]]` (compressed adjacency).
    pub first_edge: Vec<u32>,
    pub targets: Vec<u32>,
    pub lengths_km: Vec<f64>,
    /// Way by sea (km) from each of [`LANDMARKS`] far-apart nodes to every node. Landmarks are
    /// chosen farthest-first: each is the node farthest from those already chosen.
    pub landmarks: Vec<[f32; LANDMARKS]>,
}

impl SeaGraph {
    /// Shortest distances (km) and predecessors from `start`: A* guided by `estimate` (a lower
    /// bound on the way left to `goal`) that stops at `goal` when one is given, a full Dijkstra
    /// otherwise.
    pub fn search(
        &self,
        start: u32,
        goal: Option<u32>,
        estimate: impl Fn(u32) -> f64,
    ) -> (Vec<f64>, Vec<u32>) {
        let n = self.positions.len();
        let mut distance = vec![f64::INFINITY; n];
        let mut previous = vec![NONE; n];
        let mut done = vec![false; n];
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

    /// Settle nodes of `spread` until every one of `nodes` is settled (or none is left); their ways
    /// by sea (km) from its start, in order.
    pub fn ways_by_sea(&self, spread: &mut Spread, nodes: &[u32]) -> Vec<f64> {
        nodes
            .iter()
            .map(|&node| {
                while !spread.settled[node as usize] {
                    let Some(Queued { node: next, .. }) = spread.queue.pop() else {
                        break;
                    };
                    if std::mem::replace(&mut spread.settled[next as usize], true) {
                        continue;
                    }
                    let here = spread.distance[next as usize];
                    let edges = self.first_edge[next as usize] as usize
                        ..self.first_edge[next as usize + 1] as usize;
                    for e in edges {
                        let far = self.targets[e];
                        let via = here + self.lengths_km[e];
                        if via < spread.distance[far as usize] {
                            spread.distance[far as usize] = via;
                            spread.queue.push(Queued {
                                priority: via,
                                node: far,
                            });
                        }
                    }
                }
                spread.distance[node as usize]
            })
            .collect()
    }

    /// The graph packed by `graph_build::pack` (the layout is described there).
    pub fn unpack(mut bytes: &[u8]) -> SeaGraph {
        let nodes = u32::from_le_bytes(take(&mut bytes, 4).try_into().unwrap()) as usize;
        let edges = u32::from_le_bytes(take(&mut bytes, 4).try_into().unwrap()) as usize;
        let f64s = |bytes: &[u8]| -> Vec<f64> {
            bytes
                .chunks_exact(8)
                .map(|b| f64::from_le_bytes(b.try_into().unwrap()))
                .collect()
        };
        let u32s = |bytes: &[u8]| -> Vec<u32> {
            bytes
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes(b.try_into().unwrap()))
                .collect()
        };
        let positions: Vec<[f64; 2]> = f64s(take(&mut bytes, nodes * 16))
            .chunks_exact(2)
            .map(|p| [p[0], p[1]])
            .collect();
        let first_edge = u32s(take(&mut bytes, (nodes + 1) * 4));
        let targets = u32s(take(&mut bytes, edges * 4));
        let lengths_km = f64s(take(&mut bytes, edges * 8));
        let landmarks = take(&mut bytes, nodes * LANDMARKS * 4)
            .chunks_exact(LANDMARKS * 4)
            .map(|row| {
                let mut kms = [0f32; LANDMARKS];
                for (km, b) in kms.iter_mut().zip(row.chunks_exact(4)) {
                    *km = f32::from_le_bytes(b.try_into().unwrap());
                }
                kms
            })
            .collect();
        assert!(bytes.is_empty(), "sea graph packed with another layout");
        SeaGraph {
            unit: unit_vectors(&positions),
            positions,
            first_edge,
            targets,
            lengths_km,
            landmarks,
        }
    }
}

/// A Dijkstra search from one node that is carried on only as far as asked
/// ([`SeaGraph::ways_by_sea`]): a water area is usually near where the ship came from, and the
/// nodes settled first, in order of distance, get the same ways as a search over the whole network.
pub struct Spread {
    distance: Vec<f64>,
    settled: Vec<bool>,
    queue: BinaryHeap<Queued>,
}

impl Spread {
    pub fn new(graph: &SeaGraph, start: u32) -> Spread {
        let n = graph.positions.len();
        let mut distance = vec![f64::INFINITY; n];
        distance[start as usize] = 0.0;
        let mut queue = BinaryHeap::new();
        queue.push(Queued {
            priority: 0.0,
            node: start,
        });
        Spread {
            distance,
            settled: vec![false; n],
            queue,
        }
    }
}

pub fn take<'a>(bytes: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, rest) = bytes.split_at(n);
    *bytes = rest;
    head
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

pub fn unit_vectors(positions: &[[f64; 2]]) -> Vec<[f64; 3]> {
    positions
        .iter()
        .map(|&[lon, lat]| to_unit(lon, lat))
        .collect()
}

pub fn to_unit(lon: f64, lat: f64) -> [f64; 3] {
    let (lon, lat) = (lon.to_radians(), lat.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Great-circle distance between two unit vectors.
pub fn chord_km(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let chord = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt();
    2.0 * EARTH_RADIUS_KM * (chord / 2.0).min(1.0).asin()
}
