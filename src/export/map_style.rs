//! The *map style*: colours, marker sizes, ocean labels and the basemap shared by the two pictures of a
//! story, the interactive page (`map.html`) and the static picture (SVG, PNG).
//!
//! It lives in one place so that both pictures read the same way: a reader who learnt the legend on the
//! page recognises it in a report. The page receives it as JSON; the static picture reads it directly.

use serde::Serialize;

use crate::story::PlaceKind;

/// Natural Earth 110m land and country outlines as compact GeoJSON (public domain), built by
/// `gazetteer/build.py`.
pub(super) const BASEMAP: &str = include_str!("../../gazetteer/data/basemap.json");

/// Places of these kinds share a colour and a legend line.
#[derive(Debug, Serialize)]
pub(super) struct KindGroup {
    pub label: &'static str,
    pub colour: &'static str,
    pub kinds: &'static [PlaceKind],
}

/// Colours after Okabe and Ito's palette, which stays distinguishable for colour-blind readers; water is
/// blue because readers expect it.
pub(super) const KIND_GROUPS: &[KindGroup] = &[
    KindGroup {
        label: "Country",
        colour: "#cc79a7",
        kinds: &[PlaceKind::Country],
    },
    KindGroup {
        label: "Province or region",
        colour: "#e69f00",
        kinds: &[PlaceKind::Admin1, PlaceKind::Admin2, PlaceKind::Region],
    },
    KindGroup {
        label: "City",
        colour: "#d55e00",
        kinds: &[PlaceKind::City],
    },
    KindGroup {
        label: "Port",
        colour: "#009e73",
        kinds: &[PlaceKind::Port],
    },
    KindGroup {
        label: "Sea, strait or ocean",
        colour: "#0072b2",
        kinds: &[
            PlaceKind::Sea,
            PlaceKind::Strait,
            PlaceKind::Channel,
            PlaceKind::Gulf,
            PlaceKind::Bay,
            PlaceKind::Sound,
            PlaceKind::Canal,
            PlaceKind::Ocean,
        ],
    },
    KindGroup {
        label: "Island",
        colour: "#8c6d31",
        kinds: &[PlaceKind::Island],
    },
    KindGroup {
        label: "Landmark",
        colour: "#666666",
        kinds: &[PlaceKind::Landmark],
    },
];

/// The colours of everything that is not a place.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Colours {
    pub sea: &'static str,
    pub land: &'static str,
    /// Countries the story mentions are tinted, so the reader sees at once which states it involves.
    pub land_mentioned: &'static str,
    pub border: &'static str,
    pub coast: &'static str,
    pub graticule: &'static str,
    pub water_label: &'static str,
    pub ocean_label: &'static str,
    pub label: &'static str,
    pub halo: &'static str,
    pub track: &'static str,
    pub selected: &'static str,
    pub event: &'static str,
    pub event_stroke: &'static str,
}

pub(super) const COLOURS: Colours = Colours {
    sea: "#d9e6ef",
    land: "#f7f4ee",
    land_mentioned: "#ebe0c8",
    border: "#c9c0b0",
    coast: "#9fb1bf",
    graticule: "#e9f0f5",
    water_label: "#3f6f94",
    ocean_label: "#8ba6bb",
    label: "#262626",
    halo: "#ffffff",
    track: "#1f3a56",
    selected: "#d55e00",
    event: "#f0e442",
    event_stroke: "#333333",
};

/// Marker radius in pixels: area grows with the number of mentions, up to a cap so that one much-cited
/// country does not cover its neighbours.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MarkerSize {
    pub min: f64,
    pub max: f64,
    pub per_sqrt_mention: f64,
}

pub(super) const MARKER_SIZE: MarkerSize = MarkerSize {
    min: 3.0,
    max: 18.0,
    per_sqrt_mention: 2.4,
};

/// Radius of a place marker with `mentions` mentions when the most-mentioned place has `max_mentions`.
pub(super) fn marker_radius(mentions: usize, max_mentions: usize) -> f64 {
    let s = &MARKER_SIZE;
    let per = s
        .per_sqrt_mention
        .min((s.max - s.min) / (max_mentions.max(1) as f64).sqrt());
    s.min + per * (mentions as f64).sqrt()
}

/// Ocean names drawn faintly on the basemap so that a view of open water still says where it is. Story
/// places with the same name are labelled instead. Positions are ours, chosen to sit in open water.
pub(super) const OCEAN_LABELS: &[(&str, f64, f64)] = &[
    ("Pacific Ocean", 22.0, 162.0),
    ("Pacific Ocean", -8.0, -128.0),
    ("Atlantic Ocean", 28.0, -45.0),
    ("Atlantic Ocean", -22.0, -18.0),
    ("Indian Ocean", -18.0, 78.0),
    ("Arctic Ocean", 79.0, -35.0),
    ("Southern Ocean", -62.0, 60.0),
];

/// The share of all mentions that the first view of a map shows: the places nearest the weighted middle
/// of the mentions are taken until they hold this share, so that a capital quoted once, or a name
/// resolved on another continent, does not shrink the story to a corner of a world map. Every track and
/// event is always in view.
pub(super) const FOCUS_SHARE: f64 = 0.8;

/// Everything the page's script needs to draw in this style.
pub(super) fn style_json() -> serde_json::Value {
    let oceans: Vec<_> = OCEAN_LABELS
        .iter()
        .map(|(name, lat, lon)| serde_json::json!({ "name": name, "lat": lat, "lon": lon }))
        .collect();
    serde_json::json!({
        "groups": KIND_GROUPS,
        "colours": COLOURS,
        "markerSize": MARKER_SIZE,
        "oceans": oceans,
        "focusShare": FOCUS_SHARE,
    })
}

/// The group of a kind: every kind belongs to exactly one.
pub(super) fn group_of(kind: PlaceKind) -> &'static KindGroup {
    KIND_GROUPS
        .iter()
        .find(|g| g.kinds.contains(&kind))
        .expect("every place kind has a group")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_in_exactly_one_group() {
        for kind in PlaceKind::ALL {
            let n = KIND_GROUPS
                .iter()
                .filter(|g| g.kinds.contains(&kind))
                .count();
            assert_eq!(n, 1, "{kind:?}");
        }
    }

    #[test]
    fn marker_radius_grows_with_mentions_and_stays_capped() {
        assert!(marker_radius(1, 30) < marker_radius(4, 30));
        assert!(
            (marker_radius(1, 1) - (MARKER_SIZE.min + MARKER_SIZE.per_sqrt_mention)).abs() < 1e-9
        );
        assert!(marker_radius(10_000, 10_000) <= MARKER_SIZE.max + 1e-9);
    }
}
