//! mentionmap turns news text into maps.
//!
//! The data flows one way, one module per stage:
//! [`ingest`] (documents) → [`geoparse`] (mentions → places) → [`time`] (temporal expressions) →
//! [`events`] (who did what, where, when) → [`tracks`] (ordered legs at sea) → [`export`] (one module per
//! output format). Every stage adds to the [`story::Story`], the one model every exporter reads;
//! [`pipeline`] runs the stages: each document's on every core (the map step), then the steps across
//! documents (the reduce step, which `merge` also runs over stories extracted apart). [`online`] is
//! the opt-in web geocoder for names the offline [`gazetteer`] cannot place. The command line
//! (`src/cmd`) is a thin layer over this library.

pub mod eval;
pub mod events;
pub mod export;
pub mod gazetteer;
pub mod geo_util;
pub mod geoparse;
pub mod ingest;
pub mod online;
pub mod output;
pub mod pipeline;
pub mod story;
pub mod text;
pub mod time;
pub mod tracks;

/// A number below `below` from a small linear congruential generator, for the tests that make their
/// inputs at random: the same inputs on every run.
#[cfg(test)]
pub(crate) fn next_below(seed: &mut u64, below: usize) -> usize {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    (*seed >> 33) as usize % below
}
