//! The *static picture* of a story: the map page's view (basemap, places, events, tracks, legend) drawn
//! once, as SVG, for reports and READMEs. [`super::png`] rasterises the same picture.
//!
//! It shows the whole story at once (no time slider) in the page's Web Mercator projection and
//! [`map_style`] colours, fitted to the data. Article text (place names) is escaped as XML text, and
//! characters XML cannot hold are dropped, so any article gives a well-formed picture.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::map_style::{self, COLOURS, KIND_GROUPS};
use super::xml::xml_text;
use super::Writer;
use crate::story::{Modality, PlaceKind, Story};

pub struct MapSvg;

pub(super) const WIDTH: f64 = 1200.0;
pub(super) const HEIGHT: f64 = 760.0;

const SANS: &str = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";
const SERIF: &str = "Georgia, 'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif";
const MAX_LAT: f64 = 85.05113;
const ARROW_SPACING: f64 = 140.0;
const LEGEND_WIDTH: f64 = 218.0;

impl Writer for MapSvg {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        out.write_all(render_svg(story)?.as_bytes())?;
        Ok(())
    }
}

/// Web Mercator in world units: the whole world is the unit square.
fn merc_x(lon: f64) -> f64 {
    (lon + 180.0) / 360.0
}

fn merc_y(lat: f64) -> f64 {
    let phi = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    (1.0 - (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln() / std::f64::consts::PI) / 2.0
}

/// Screen = world × k + offset, in picture pixels.
struct View {
    k: f64,
    x: f64,
    y: f64,
}

impl View {
    /// Fit the world box `[min_x, min_y, max_x, max_y]` into the picture, leaving room for the title
    /// and the legend; a lone place gets a regional view rather than a street map.
    fn fit(bounds: Option<[f64; 4]>) -> View {
        let [min_x, min_y, max_x, max_y] = bounds.unwrap_or([0.0, 0.2, 1.0, 0.8]);
        let min_span = 8.0 / 360.0;
        let (left, right, top, bottom) = (LEGEND_WIDTH + 36.0, 40.0, 64.0, 40.0);
        let (w, h) = (WIDTH - left - right, HEIGHT - top - bottom);
        let k = (w / (max_x - min_x).max(min_span))
            .min(h / (max_y - min_y).max(min_span))
            .max(WIDTH.min(HEIGHT) / 1.6);
        View {
            k,
            x: left + w / 2.0 - (min_x + max_x) / 2.0 * k,
            y: top + h / 2.0 - (min_y + max_y) / 2.0 * k,
        }
    }

    fn point(&self, wx: f64, wy: f64) -> (f64, f64) {
        (wx * self.k + self.x, wy * self.k + self.y)
    }
}

/// Shift a longitude by whole turns so that a line from `previous` takes the short way round.
fn unwrap(lon: f64, previous: Option<f64>) -> f64 {
    let Some(previous) = previous else { return lon };
    // whole turns counted, not stepped through: a hand-edited story can hold a longitude of 1e16
    let gap = lon - previous;
    if gap > 180.0 {
        lon - ((gap - 180.0) / 360.0).ceil() * 360.0
    } else if gap < -180.0 {
        lon + ((-180.0 - gap) / 360.0).ceil() * 360.0
    } else {
        lon
    }
}

#[derive(Deserialize)]
struct Basemap {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: FeatureProperties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct FeatureProperties {
    layer: String,
    iso2: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

impl Geometry {
    fn rings(&self) -> Vec<&Vec<[f64; 2]>> {
        match self {
            Geometry::Polygon(rings) => rings.iter().collect(),
            Geometry::MultiPolygon(polygons) => polygons.iter().flatten().collect(),
        }
    }
}

/// A track leg in world units, longitudes unwrapped along the track.
struct Line {
    points: Vec<(f64, f64)>,
    planned: bool,
}

/// Build the whole picture.
pub(super) fn render_svg(story: &Story) -> Result<String> {
    let basemap: Basemap =
        serde_json::from_str(map_style::BASEMAP).context("the embedded basemap is not valid")?;
    let lines = track_lines(story);
    let view = View::fit(focus_bounds(story, &lines));
    let max_mentions = story.places.iter().map(|p| p.mentions).max().unwrap_or(1);

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"{SANS}\">\n\
         <clipPath id=\"frame\"><rect width=\"{WIDTH}\" height=\"{HEIGHT}\"/></clipPath>\n\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{}\"/>\n<g clip-path=\"url(#frame)\">\n",
        COLOURS.sea
    );
    graticule(&mut svg, &view);
    land(&mut svg, &view, &basemap, &mentioned_countries(story));
    ocean_labels(&mut svg, &view, story);
    tracks(&mut svg, &view, &lines);
    stops(&mut svg, &view, story);
    places(&mut svg, &view, story, max_mentions);
    events(&mut svg, &view, story, max_mentions);
    let (title_svg, title_box) = title(story, places_outside(&view, story, max_mentions));
    let (legend_svg, legend_box) = legend(story, max_mentions);
    labels(
        &mut svg,
        &view,
        story,
        max_mentions,
        &[title_box, legend_box],
    );
    svg.push_str("</g>\n");
    svg.push_str(&title_svg);
    svg.push_str(&legend_svg);
    attribution(&mut svg, story);
    svg.push_str("</svg>\n");
    Ok(svg)
}

fn track_lines(story: &Story) -> Vec<Line> {
    let mut lines = Vec::new();
    for track in &story.tracks {
        let mut previous = None;
        let lons: Vec<f64> = track
            .waypoints
            .iter()
            .map(|w| {
                let lon = unwrap(w.lon, previous);
                previous = Some(lon);
                lon
            })
            .collect();
        for leg in &track.legs {
            let mut coordinates = leg.coordinates.clone();
            if coordinates.len() < 2 {
                if let (Some(a), Some(b)) =
                    (track.waypoints.get(leg.from), track.waypoints.get(leg.to))
                {
                    coordinates = vec![[a.lon, a.lat], [b.lon, b.lat]];
                }
            }
            if coordinates.len() < 2 {
                continue;
            }
            let mut last = lons.get(leg.from).copied();
            let points = coordinates
                .iter()
                .map(|[lon, lat]| {
                    let lon = unwrap(*lon, last);
                    last = Some(lon);
                    (merc_x(lon), merc_y(*lat))
                })
                .collect();
            lines.push(Line {
                points,
                planned: leg.planned,
            });
        }
    }
    lines
}

fn data_bounds(story: &Story, lines: &[Line]) -> Option<[f64; 4]> {
    bounds_of(
        story
            .places
            .iter()
            .map(|p| (merc_x(p.lon), merc_y(p.lat)))
            .chain(lines.iter().flat_map(|l| l.points.iter().copied())),
    )
}

fn bounds_of(points: impl Iterator<Item = (f64, f64)>) -> Option<[f64; 4]> {
    points.fold(None, |acc, (x, y)| {
        Some(match acc {
            None => [x, y, x, y],
            Some([a, b, c, d]) => [a.min(x), b.min(y), c.max(x), d.max(y)],
        })
    })
}

/// Where the story happens, as in the page's first view: every track and event, and the places nearest
/// the weighted middle of the mentions until they hold [`map_style::FOCUS_SHARE`] of them.
fn focus_bounds(story: &Story, lines: &[Line]) -> Option<[f64; 4]> {
    let weighted: Vec<(usize, f64, f64, f64)> = story
        .places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.mentions > 0)
        .map(|(i, p)| (i, merc_x(p.lon), merc_y(p.lat), p.mentions as f64))
        .collect();
    let total: f64 = weighted.iter().map(|w| w.3).sum();
    if total == 0.0 {
        return data_bounds(story, lines);
    }
    let mx = weighted_median(weighted.iter().map(|w| (w.1, w.3)).collect());
    let my = weighted_median(weighted.iter().map(|w| (w.2, w.3)).collect());
    let mut by_distance = weighted;
    by_distance.sort_by(|a, b| {
        (a.1 - mx)
            .hypot(a.2 - my)
            .total_cmp(&(b.1 - mx).hypot(b.2 - my))
            .then(a.0.cmp(&b.0))
    });
    let mut covered = 0.0;
    let mut points = Vec::new();
    for (_, x, y, weight) in by_distance {
        if covered >= map_style::FOCUS_SHARE * total {
            break;
        }
        points.push((x, y));
        covered += weight;
    }
    let event_places = story
        .events
        .iter()
        .filter_map(|e| e.place().and_then(|id| story.place(id)))
        .map(|p| (merc_x(p.lon), merc_y(p.lat)));
    bounds_of(
        points
            .into_iter()
            .chain(event_places)
            .chain(lines.iter().flat_map(|l| l.points.iter().copied())),
    )
}

fn weighted_median(mut pairs: Vec<(f64, f64)>) -> f64 {
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = pairs.iter().map(|p| p.1).sum::<f64>() / 2.0;
    let mut acc = 0.0;
    for (value, weight) in &pairs {
        acc += weight;
        if acc >= half {
            return *value;
        }
    }
    pairs.last().map_or(0.5, |p| p.0)
}

fn mentioned_countries(story: &Story) -> Vec<String> {
    story
        .places
        .iter()
        .filter(|p| p.kind == PlaceKind::Country)
        .map(|p| {
            p.country
                .clone()
                .unwrap_or_else(|| p.id.trim_start_matches("country:").to_string())
        })
        .collect()
}

/// The copies of the world (whole turns) that the picture shows, so the Pacific stays whole.
fn world_copies(view: &View) -> std::ops::RangeInclusive<i32> {
    let from = (-view.x / view.k).floor().max(-2.0) as i32;
    let to = ((WIDTH - view.x) / view.k).floor().min(2.0) as i32;
    from..=to
}

fn graticule(svg: &mut String, view: &View) {
    let degrees_per_pixel = 360.0 / view.k;
    let step = [1.0, 2.0, 5.0, 10.0, 15.0, 30.0]
        .into_iter()
        .find(|s| s / degrees_per_pixel >= 90.0)
        .unwrap_or(30.0);
    let mut d = String::new();
    let west = (-view.x / view.k) * 360.0 - 180.0;
    let east = ((WIDTH - view.x) / view.k) * 360.0 - 180.0;
    let mut lon = (west / step).ceil() * step;
    while lon <= east {
        let (x, _) = view.point(merc_x(lon), 0.0);
        let _ = write!(d, "M{x:.1} 0V{HEIGHT}");
        lon += step;
    }
    let mut lat = (-80.0 / step).ceil() * step;
    while lat <= 80.0 {
        let (_, y) = view.point(0.0, merc_y(lat));
        if (0.0..=HEIGHT).contains(&y) {
            let _ = write!(d, "M0 {y:.1}H{WIDTH}");
        }
        lat += step;
    }
    let _ = writeln!(
        svg,
        "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>",
        COLOURS.graticule
    );
}

fn land(svg: &mut String, view: &View, basemap: &Basemap, mentioned: &[String]) {
    let (mut land, mut borders, mut tinted) = (String::new(), String::new(), String::new());
    for copy in world_copies(view) {
        for feature in &basemap.features {
            let is_land = feature.properties.layer == "land";
            let is_tinted = feature
                .properties
                .iso2
                .as_ref()
                .is_some_and(|code| mentioned.contains(code));
            for ring in feature.geometry.rings() {
                let Some(d) = ring_path(view, ring, f64::from(copy)) else {
                    continue;
                };
                if is_land {
                    land.push_str(&d);
                } else {
                    borders.push_str(&d);
                    if is_tinted {
                        tinted.push_str(&d);
                    }
                }
            }
        }
    }
    let _ = writeln!(
        svg,
        "<path d=\"{land}\" fill=\"{}\"/>\n<path d=\"{tinted}\" fill=\"{}\"/>\n\
         <path d=\"{borders}\" fill=\"none\" stroke=\"{}\" stroke-width=\"0.6\" stroke-linejoin=\"round\"/>\n\
         <path d=\"{land}\" fill=\"none\" stroke=\"{}\" stroke-width=\"0.8\" stroke-linejoin=\"round\"/>",
        COLOURS.land, COLOURS.land_mentioned, COLOURS.border, COLOURS.coast
    );
}

/// A ring as path data, or nothing when it lies wholly outside the picture.
fn ring_path(view: &View, ring: &[[f64; 2]], copy: f64) -> Option<String> {
    let points: Vec<(f64, f64)> = ring
        .iter()
        .map(|[lon, lat]| view.point(merc_x(*lon) + copy, merc_y(*lat)))
        .collect();
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in &points {
        min_x = min_x.min(*x);
        max_x = max_x.max(*x);
        min_y = min_y.min(*y);
        max_y = max_y.max(*y);
    }
    if max_x < 0.0 || min_x > WIDTH || max_y < 0.0 || min_y > HEIGHT || points.len() < 3 {
        return None;
    }
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { 'M' } else { 'L' });
    }
    d.push('Z');
    Some(d)
}

fn ocean_labels(svg: &mut String, view: &View, story: &Story) {
    for copy in world_copies(view) {
        for (name, lat, lon) in map_style::OCEAN_LABELS {
            if story.places.iter().any(|p| p.name == *name) {
                continue;
            }
            let (x, y) = view.point(merc_x(*lon) + f64::from(copy), merc_y(*lat));
            if (-80.0..WIDTH + 80.0).contains(&x) && (-20.0..HEIGHT + 20.0).contains(&y) {
                let _ = writeln!(
                    svg,
                    "<text x=\"{x:.1}\" y=\"{y:.1}\" font-family=\"{SERIF}\" font-style=\"italic\" \
                     font-size=\"15\" fill=\"{}\" text-anchor=\"middle\" dominant-baseline=\"middle\">{}</text>",
                    COLOURS.ocean_label,
                    xml_text(name)
                );
            }
        }
    }
}

fn tracks(svg: &mut String, view: &View, lines: &[Line]) {
    for line in lines {
        let points: Vec<(f64, f64)> = line
            .points
            .iter()
            .map(|(x, y)| view.point(*x, *y))
            .collect();
        let mut d = String::new();
        for (i, (x, y)) in points.iter().enumerate() {
            let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { 'M' } else { 'L' });
        }
        let dash = if line.planned {
            " stroke-dasharray=\"7 5\""
        } else {
            ""
        };
        let _ = writeln!(
            svg,
            "<path d=\"{d}\" fill=\"none\" stroke=\"#ffffff\" stroke-opacity=\"0.85\" stroke-width=\"4.7\" \
             stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n\
             <path class=\"leg\" d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.2\" \
             stroke-linejoin=\"round\" stroke-linecap=\"round\"{dash}/>",
            COLOURS.track
        );
        for (x, y, angle) in arrow_positions(&points) {
            let _ = writeln!(
                svg,
                "<path d=\"M6.2 0L-4.3 4.6L-2.2 0L-4.3 -4.6Z\" fill=\"{}\" \
                 transform=\"translate({x:.1} {y:.1}) rotate({angle:.1})\"/>",
                COLOURS.track
            );
        }
    }
}

/// The stops of every track, as on the page: small white circles, dashed when only planned.
fn stops(svg: &mut String, view: &View, story: &Story) {
    for track in &story.tracks {
        let mut previous = None;
        for w in &track.waypoints {
            let lon = unwrap(w.lon, previous);
            previous = Some(lon);
            let (x, y) = view.point(merc_x(lon), merc_y(w.lat));
            let dash = if w.planned {
                " stroke-dasharray=\"2 2\""
            } else {
                ""
            };
            let _ = writeln!(
                svg,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"#ffffff\" stroke=\"{}\" \
                 stroke-width=\"1.5\"{dash}/>",
                COLOURS.track
            );
        }
    }
}

/// Where arrowheads go along a line in pixels, and which way they point (degrees): as on the page,
/// one every [`ARROW_SPACING`] pixels, or one past the middle of a short line.
fn arrow_positions(points: &[(f64, f64)]) -> Vec<(f64, f64, f64)> {
    let total: f64 = points
        .windows(2)
        .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
        .sum();
    if total < 14.0 {
        return Vec::new();
    }
    let mut at = Vec::new();
    if total < ARROW_SPACING {
        at.push(total * 0.6);
    }
    let mut d = ARROW_SPACING * 0.6;
    while d < total - 8.0 {
        at.push(d);
        d += ARROW_SPACING;
    }
    let mut arrows = Vec::new();
    let mut walked = 0.0;
    let mut next = at.iter().peekable();
    for w in points.windows(2) {
        let (dx, dy) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
        let len = dx.hypot(dy);
        while let Some(&&target) = next.peek() {
            if target > walked + len {
                break;
            }
            let f = if len > 0.0 {
                (target - walked) / len
            } else {
                0.0
            };
            arrows.push((w[0].0 + dx * f, w[0].1 + dy * f, dy.atan2(dx).to_degrees()));
            next.next();
        }
        walked += len;
    }
    arrows
}

/// Places, big circles first so that small ones stay visible on top.
fn place_order(story: &Story, max_mentions: usize) -> Vec<(usize, f64)> {
    let mut order: Vec<(usize, f64)> = story
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| (i, map_style::marker_radius(p.mentions, max_mentions)))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    order
}

fn places(svg: &mut String, view: &View, story: &Story, max_mentions: usize) {
    for (i, r) in place_order(story, max_mentions) {
        let p = &story.places[i];
        let (x, y) = view.point(merc_x(p.lon), merc_y(p.lat));
        let _ = writeln!(
            svg,
            "<circle class=\"place\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{}\" fill-opacity=\"0.8\" \
             stroke=\"#ffffff\" stroke-width=\"1\"/>",
            map_style::group_of(p.kind).colour
        );
    }
}

fn events(svg: &mut String, view: &View, story: &Story, max_mentions: usize) {
    let mut at_place: Vec<&str> = Vec::new();
    for event in &story.events {
        let Some(place) = event.place().and_then(|id| story.place(id)) else {
            continue;
        };
        let slot = at_place.iter().filter(|id| **id == place.id).count() as f64;
        at_place.push(&place.id);
        let r = map_style::marker_radius(place.mentions, max_mentions);
        let (x, y) = view.point(merc_x(place.lon), merc_y(place.lat));
        let offset = r * 0.7 + 6.0;
        let (x, y) = (x + offset + slot * 12.0, y - offset);
        let (fill, dash) = match event.modality {
            Modality::Planned => ("#ffffff", " stroke-dasharray=\"2 2\""),
            Modality::Happened => (COLOURS.event, ""),
        };
        let _ = writeln!(
            svg,
            "<path class=\"event\" d=\"M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z\" fill=\"{fill}\" \
             stroke=\"{}\" stroke-width=\"1.3\"{dash}/>",
            y - 6.0,
            x + 6.0,
            y + 6.0,
            x - 6.0,
            COLOURS.event_stroke
        );
    }
}

/// Names beside the circles, water first then by mentions, skipping any that would overlap another
/// or a `reserved` box (`[x, y, width, height]`: the title, the legend).
fn labels(
    svg: &mut String,
    view: &View,
    story: &Story,
    max_mentions: usize,
    reserved: &[[f64; 4]],
) {
    let mut order = place_order(story, max_mentions);
    order.sort_by(|a, b| {
        let (pa, pb) = (&story.places[a.0], &story.places[b.0]);
        pb.kind
            .is_water()
            .cmp(&pa.kind.is_water())
            .then(pb.mentions.cmp(&pa.mentions))
            .then(a.0.cmp(&b.0))
    });
    let mut placed: Vec<[f64; 4]> = reserved.to_vec();
    // Names already written, with where: two entries for one town (a city and its port) get one label.
    let mut written: Vec<(String, f64, f64)> = Vec::new();
    for (i, r) in order {
        let p = &story.places[i];
        let (x, y) = view.point(merc_x(p.lon), merc_y(p.lat));
        if !(0.0..=WIDTH).contains(&x) || !(0.0..=HEIGHT).contains(&y) {
            continue;
        }
        let mut name: String = p.name.chars().take(40).collect();
        if p.name.chars().count() > 40 {
            name.pop();
            name.push('…');
        }
        let (name, per_char, style) = if p.kind == PlaceKind::Country {
            (
                name.to_uppercase(),
                7.6,
                format!(
                    "font-size=\"11\" font-weight=\"bold\" fill=\"{}\"",
                    COLOURS.label
                ),
            )
        } else if p.kind.is_water() {
            (
                name,
                6.4,
                format!(
                    "font-size=\"12\" font-style=\"italic\" font-family=\"{SERIF}\" fill=\"{}\"",
                    COLOURS.water_label
                ),
            )
        } else {
            (
                name,
                6.8,
                format!("font-size=\"12\" fill=\"{}\"", COLOURS.label),
            )
        };
        if written
            .iter()
            .any(|(n, wx, wy)| *n == name && (wx - x).hypot(wy - y) < 30.0)
        {
            continue;
        }
        let w = name.chars().count() as f64 * per_char;
        let h = 14.0;
        let gap = r + 3.0;
        let options: Vec<(f64, f64)> = if p.kind.is_water() {
            vec![
                (x - w / 2.0, y + gap + h / 2.0),
                (x - w / 2.0, y - gap - h / 2.0),
            ]
        } else {
            vec![
                (x + gap, y),
                (x - gap - w, y),
                (x - w / 2.0, y - gap - h / 2.0),
                (x - w / 2.0, y + gap + h / 2.0),
            ]
        };
        for (lx, ly) in options {
            let rect = [lx - 2.0, ly - h / 2.0, w + 4.0, h];
            let outside = rect[0] < 0.0
                || rect[1] < 0.0
                || rect[0] + rect[2] > WIDTH
                || rect[1] + rect[3] > HEIGHT;
            let overlaps = outside
                || placed.iter().any(|q| {
                    rect[0] < q[0] + q[2]
                        && q[0] < rect[0] + rect[2]
                        && rect[1] < q[1] + q[3]
                        && q[1] < rect[1] + rect[3]
                });
            if overlaps {
                continue;
            }
            placed.push(rect);
            written.push((name.clone(), x, y));
            let _ = writeln!(
                svg,
                "<text x=\"{lx:.1}\" y=\"{:.1}\" {style} stroke=\"{}\" stroke-width=\"3\" \
                 stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>",
                ly + 4.0,
                COLOURS.halo,
                xml_text(&name)
            );
            break;
        }
    }
}

/// `5 documents · 26 places · …` with the story's date range.
fn summary(story: &Story) -> String {
    fn count(n: usize, word: &str) -> String {
        format!("{n} {word}{}", if n == 1 { "" } else { "s" })
    }
    let mut parts = vec![
        count(story.documents.len(), "document"),
        count(story.places.len(), "place"),
        count(story.events.len(), "event"),
        count(story.tracks.len(), "track"),
    ];
    let dates: Vec<chrono::NaiveDate> = story
        .events
        .iter()
        .flat_map(|e| [&e.start, &e.end])
        .chain(
            story
                .tracks
                .iter()
                .flat_map(|t| t.waypoints.iter().flat_map(|w| [&w.start, &w.end])),
        )
        .flatten()
        .filter_map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .collect();
    if let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) {
        parts.push(range_label(*first, *last));
    }
    parts.join(" · ")
}

/// `20–23 Jul 2023`, `30 Jun – 2 Jul 2023`, as the page writes a range of days.
fn range_label(first: chrono::NaiveDate, last: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let full = |d: chrono::NaiveDate| d.format("%-d %b %Y").to_string();
    if first == last {
        full(first)
    } else if first.year() != last.year() {
        format!("{} – {}", full(first), full(last))
    } else if first.month() != last.month() {
        format!("{} – {}", first.format("%-d %b"), full(last))
    } else {
        format!("{}–{}", first.day(), full(last))
    }
}

/// How many places the picture leaves out (their circles lie wholly outside it).
fn places_outside(view: &View, story: &Story, max_mentions: usize) -> usize {
    story
        .places
        .iter()
        .filter(|p| {
            let r = map_style::marker_radius(p.mentions, max_mentions) + 2.0;
            let (x, y) = view.point(merc_x(p.lon), merc_y(p.lat));
            x < -r || y < -r || x > WIDTH + r || y > HEIGHT + r
        })
        .count()
}

/// The title bar, and the box it covers.
fn title(story: &Story, outside: usize) -> (String, [f64; 4]) {
    let mut text = summary(story);
    if outside > 0 {
        let _ = write!(
            text,
            " · {outside} place{} outside the picture",
            if outside == 1 { "" } else { "s" }
        );
    }
    let w = 142.0 + text.chars().count() as f64 * 5.9;
    let svg = format!(
        "<rect x=\"12\" y=\"12\" width=\"{w:.1}\" height=\"32\" rx=\"5\" fill=\"#17324d\"/>\n\
         <text x=\"24\" y=\"33\" font-size=\"15\" font-weight=\"bold\" fill=\"#ffffff\">mentionmap</text>\n\
         <text x=\"130\" y=\"33\" font-size=\"13\" fill=\"#c8d6e4\">{}</text>\n",
        xml_text(&text)
    );
    (svg, [12.0, 12.0, w, 32.0])
}

/// The legend, and the box it covers.
fn legend(story: &Story, max_mentions: usize) -> (String, [f64; 4]) {
    let mut rows: Vec<String> = Vec::new();
    let mut y = 0.0;
    for group in KIND_GROUPS {
        let n = story
            .places
            .iter()
            .filter(|p| group.kinds.contains(&p.kind))
            .count();
        if n == 0 {
            continue;
        }
        y += 20.0;
        rows.push(format!(
            "<circle cx=\"20\" cy=\"{:.1}\" r=\"6\" fill=\"{}\" fill-opacity=\"0.8\" stroke=\"#ffffff\"/>\
             <text x=\"34\" y=\"{y:.1}\" font-size=\"12\" fill=\"{}\">{}</text>\
             <text x=\"206\" y=\"{y:.1}\" font-size=\"12\" fill=\"#5f6b78\" text-anchor=\"end\">{n}</text>",
            y - 4.0,
            group.colour,
            COLOURS.label,
            group.label
        ));
    }
    if story.places.iter().any(|p| p.kind == PlaceKind::Country) {
        y += 20.0;
        rows.push(format!(
            "<rect x=\"12\" y=\"{:.1}\" width=\"16\" height=\"11\" rx=\"2\" fill=\"{}\" stroke=\"#c9c0b0\"/>\
             <text x=\"34\" y=\"{y:.1}\" font-size=\"12\" fill=\"{}\">Country mentioned</text>",
            y - 10.0,
            COLOURS.land_mentioned,
            COLOURS.label
        ));
    }
    if !story.places.is_empty() {
        let steps: Vec<usize> = if max_mentions >= 10 {
            vec![
                1,
                (max_mentions as f64 / 4.0).round() as usize,
                max_mentions,
            ]
        } else if max_mentions > 1 {
            vec![1, max_mentions]
        } else {
            vec![1]
        };
        y += 22.0;
        rows.push(format!(
            "<text x=\"12\" y=\"{y:.1}\" font-size=\"11\" fill=\"#5f6b78\">MENTIONS</text>"
        ));
        let biggest = map_style::marker_radius(max_mentions, max_mentions);
        let base = y + 8.0 + 2.0 * biggest;
        let mut x = 12.0;
        for n in steps {
            let r = map_style::marker_radius(n, max_mentions);
            rows.push(format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r:.1}\" fill=\"#bbbbbb\" stroke=\"#ffffff\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#5f6b78\" text-anchor=\"middle\">{n}</text>",
                x + biggest,
                base - r,
                x + biggest,
                base + 14.0
            ));
            x += 2.0 * biggest + 14.0;
        }
        y = base + 18.0;
    }
    if !story.events.is_empty() {
        y += 20.0;
        rows.push(format!(
            "<path d=\"M20 {:.1}L26 {:.1}L20 {:.1}L14 {:.1}Z\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.3\"/>\
             <text x=\"34\" y=\"{y:.1}\" font-size=\"12\" fill=\"{}\">Event</text>",
            y - 10.0,
            y - 4.0,
            y + 2.0,
            y - 4.0,
            COLOURS.event,
            COLOURS.event_stroke,
            COLOURS.label
        ));
    }
    if !story.tracks.is_empty() {
        let any_planned = story
            .tracks
            .iter()
            .any(|t| t.legs.iter().any(|l| l.planned));
        for (label, dash) in [
            ("Track, arrows show direction", ""),
            ("Planned leg", " stroke-dasharray=\"6 4\""),
        ] {
            if !dash.is_empty() && !any_planned {
                continue;
            }
            y += 20.0;
            rows.push(format!(
                "<path d=\"M10 {:.1}H25\" stroke=\"{}\" stroke-width=\"2.2\" fill=\"none\"{dash}/>\
                 <path d=\"M29 {:.1}L22 {:.1}L24 {:.1}L22 {:.1}Z\" fill=\"{}\"/>\
                 <text x=\"34\" y=\"{y:.1}\" font-size=\"12\" fill=\"{}\">{label}</text>",
                y - 4.0,
                COLOURS.track,
                y - 4.0,
                y - 8.0,
                y - 4.0,
                y,
                COLOURS.track,
                COLOURS.label
            ));
        }
    }
    if rows.is_empty() {
        return (String::new(), [0.0; 4]);
    }
    let height = y + 12.0;
    let top = HEIGHT - 28.0 - height;
    let svg = format!(
        "<g transform=\"translate(12 {:.1})\"><rect width=\"{LEGEND_WIDTH}\" height=\"{height:.1}\" rx=\"6\" \
         fill=\"#ffffff\" fill-opacity=\"0.94\" stroke=\"#dde3e9\"/>{}</g>\n",
        top,
        rows.concat()
    );
    (svg, [12.0, top, LEGEND_WIDTH, height])
}

fn attribution(svg: &mut String, story: &Story) {
    let mut credits = story.generator.attribution.clone();
    if !credits.iter().any(|c| c.contains("Natural Earth")) {
        credits.push("Basemap: Natural Earth, public domain".into());
    }
    let text = credits.join(" · ");
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#5f6b78\" text-anchor=\"end\" \
         stroke=\"#ffffff\" stroke-width=\"3\" stroke-opacity=\"0.8\" paint-order=\"stroke\">{}</text>",
        WIDTH - 8.0,
        HEIGHT - 8.0,
        xml_text(&text)
    );
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::story::{Action, Document, Event, Leg, Place, Source, Track, Waypoint};

    pub(crate) const INJECTION: &str =
        "</script><script>alert(1)</script>\"><img src=x onerror=alert(1)>";

    fn place(id: &str, name: &str, kind: PlaceKind, lat: f64, lon: f64, mentions: usize) -> Place {
        Place {
            id: id.into(),
            name: name.into(),
            kind,
            lat,
            lon,
            country: None,
            bbox: None,
            gazetteer: "test".into(),
            gazetteer_id: id.into(),
            mentions,
        }
    }

    /// A small story with a track across the antimeridian and article text full of markup.
    pub(crate) fn sample_story() -> Story {
        let waypoint = |place: &str, name: &str, lat, lon, day: &str, planned| Waypoint {
            sources: Vec::new(),
            place: place.into(),
            name: name.into(),
            lat,
            lon,
            start: Some(day.into()),
            end: Some(day.into()),
            events: vec![],
            planned,
        };
        Story {
            documents: vec![Document {
                id: "d1".into(),
                path: "a.txt".into(),
                title: Some(INJECTION.into()),
                url: None,
                source: None,
                published: Some("2023-07-16".into()),
                date_source: Default::default(),
                chars: 10,
            }],
            places: vec![
                place("country:CN", "China", PlaceKind::Country, 35.0, 105.0, 9),
                place(
                    "gn:1",
                    &format!("Qingdao {INJECTION}\u{1}"),
                    PlaceKind::City,
                    36.06,
                    120.38,
                    2,
                ),
                place("marine:soj", "Sea of Japan", PlaceKind::Sea, 40.0, 135.0, 4),
                place("gn:2", "Suva", PlaceKind::Port, -18.14, 178.44, 1),
            ],
            events: vec![Event {
                after: Vec::new(),
                partners: Vec::new(),
                id: "e1".into(),
                actor: INJECTION.into(),
                action: Action::Exercise,
                places: vec!["marine:soj".into()],
                start: Some("2023-07-20".into()),
                end: Some("2023-07-23".into()),
                when: None,
                modality: Modality::Planned,
                sources: vec![Source {
                    when: None,
                    doc: "d1".into(),
                    start: 0,
                    end: 5,
                    sentence: INJECTION.into(),
                }],
            }],
            tracks: vec![Track {
                id: "t1".into(),
                actor: "flotilla".into(),
                waypoints: vec![
                    waypoint("gn:1", "Qingdao", 36.06, 120.38, "2023-07-16", false),
                    waypoint("gn:2", "Suva", -18.14, 178.44, "2023-07-30", false),
                    waypoint("gn:3", "Apia", -13.83, -171.76, "2023-08-02", true),
                ],
                legs: vec![
                    Leg {
                        from: 0,
                        to: 1,
                        planned: false,
                        routed: false,
                        coordinates: vec![[120.38, 36.06], [150.0, 10.0], [178.44, -18.14]],
                    },
                    Leg {
                        from: 1,
                        to: 2,
                        planned: true,
                        routed: false,
                        coordinates: vec![],
                    },
                ],
            }],
            ..Story::default()
        }
    }

    #[test]
    fn unwrap_takes_the_short_way_in_one_step_whatever_the_longitude() {
        assert_eq!(unwrap(190.0, Some(0.0)), -170.0);
        assert_eq!(unwrap(180.0, Some(0.0)), 180.0);
        assert_eq!(unwrap(-540.5, Some(0.0)), -180.5 + 360.0);
        assert_eq!(unwrap(170.0, Some(-170.0)), -190.0);
        // found by the story fuzz target: stepping 360 at a time never finished
        let far = unwrap(1.39e16, Some(140.0));
        assert!((far - 140.0).abs() <= 180.0 + 1.0, "{far}");
    }

    #[test]
    fn picture_is_well_formed_xml_with_one_mark_per_place_leg_and_event() {
        let story = sample_story();
        let svg = render_svg(&story).unwrap();
        let mut reader = quick_xml::Reader::from_str(&svg);
        let mut elements = 0;
        loop {
            match reader.read_event().unwrap() {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_) => {
                    elements += 1
                }
                _ => {}
            }
        }
        assert!(elements > 20);
        assert_eq!(svg.matches("class=\"place\"").count(), story.places.len());
        assert_eq!(svg.matches("class=\"leg\"").count(), 2);
        assert_eq!(svg.matches("class=\"event\"").count(), 1);
        assert_eq!(
            svg.matches("stroke-dasharray=\"7 5\"").count(),
            1,
            "planned leg dashed"
        );
        assert!(!svg.contains("<script") && !svg.contains("<img") && !svg.contains('\u{1}'));
        assert!(svg.contains("Qingdao &lt;/script&gt;&lt;script&gt;alert(1)"));
        assert_eq!(svg, render_svg(&story).unwrap(), "same story, same bytes");
    }

    #[test]
    fn track_across_the_antimeridian_takes_the_short_way() {
        let lines = track_lines(&sample_story());
        let planned = &lines[1].points;
        // Suva (178.44 E) to Apia (171.76 W) is 9.8 degrees east, not 350 degrees west.
        let span = (planned[1].0 - planned[0].0) * 360.0;
        assert!((span - 9.8).abs() < 0.01, "{span}");
    }

    #[test]
    fn date_ranges_read_like_the_page() {
        let d = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            range_label(d("2023-07-20"), d("2023-07-23")),
            "20–23 Jul 2023"
        );
        assert_eq!(
            range_label(d("2023-06-30"), d("2023-07-02")),
            "30 Jun – 2 Jul 2023"
        );
        assert_eq!(
            range_label(d("2022-12-31"), d("2023-01-01")),
            "31 Dec 2022 – 1 Jan 2023"
        );
        assert_eq!(range_label(d("2023-07-16"), d("2023-07-16")), "16 Jul 2023");
    }

    #[test]
    fn arrows_point_along_the_line() {
        let arrows = arrow_positions(&[(0.0, 0.0), (0.0, 400.0)]);
        assert_eq!(arrows.len(), 3);
        assert!(arrows
            .iter()
            .all(|(x, _, angle)| *x == 0.0 && (*angle - 90.0).abs() < 1e-9));
        assert!(arrow_positions(&[(0.0, 0.0), (5.0, 0.0)]).is_empty());
    }
}
