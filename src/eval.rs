//! Evaluation on public geoparsing benchmarks (LGL, TR-News, GeoVirus): how well mentionmap finds place
//! names (*recognition*), resolves them when handed the correct names (*given gold*), and does both
//! (*end to end*), with the measures the literature uses.
//!
//! Gold offsets in these files are sometimes off by a character; a span is *repaired* by finding its phrase
//! near the stated offset, and repairs are counted.

use anyhow::{bail, Context, Result};
use quick_xml::events::Event as XmlEvent;
use quick_xml::Reader;
use serde::Serialize;

use std::collections::HashMap;
use std::sync::OnceLock;

use geo::Contains;

use crate::gazetteer::{EntryId, Gazetteer};
use crate::geo_util::haversine_km;
use crate::geoparse::{self, PreparedText};
use crate::story::PlaceKind;

/// Half the earth's circumference: the worst possible error, and the scale of the AUC.
const MAX_ERROR_KM: f64 = 20039.0;

/// One gold toponym, offsets in code points.
#[derive(Debug, Clone)]
pub struct GoldToponym {
    pub start: usize,
    pub end: usize,
    pub phrase: String,
    pub coordinates: Option<(f64, f64)>,
    /// The gold GeoNames id (LGL, TR-News), when given.
    pub geonameid: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct GoldArticle {
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
}

#[derive(Debug, Default)]
pub struct Corpus {
    pub articles: Vec<GoldArticle>,
    /// Gold spans whose offsets did not match their phrase and were moved to where the phrase is.
    pub repaired_spans: usize,
    /// Gold spans whose phrase was not found near the stated offset (dropped).
    pub unmatched_spans: usize,
}

/// Read a benchmark file: `<article><text>…</text>` with `<toponym>` (LGL, TR-News) or `<location>`
/// (GeoVirus) entries giving phrase/name, start, end, and lat/lon.
pub fn read_corpus(xml: &str) -> Result<Corpus> {
    let mut reader = Reader::from_str(xml);
    let mut corpus = Corpus::default();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut current: Option<Vec<(String, String)>> = None; // fields of the toponym being read
    let mut raw_toponyms: Vec<Vec<(String, String)>> = Vec::new();
    loop {
        match reader
            .read_event()
            .with_context(|| format!("XML error at byte {}", reader.buffer_position()))?
        {
            XmlEvent::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name == "toponym" || name == "location" {
                    current = Some(Vec::new());
                }
                if let (Some(fields), true) = (current.as_mut(), name == "gaztag") {
                    // a GeoNames id is digits: its raw value needs no unescaping
                    if let Some(id) = e.try_get_attribute("geonameid").ok().flatten() {
                        fields.push(("geonameid".into(), id.value.into_owned()));
                    }
                }
                if name == "article" {
                    text.clear();
                    raw_toponyms.clear();
                }
                path.push(name);
            }
            XmlEvent::End(e) => {
                let name = e.name().as_ref().to_string();
                path.pop();
                if name == "toponym" || name == "location" {
                    raw_toponyms.extend(current.take());
                } else if name == "article" {
                    let article = build_article(&text, &raw_toponyms, &mut corpus);
                    corpus.articles.push(article);
                }
            }
            XmlEvent::Text(t) => {
                // entities arrive as separate GeneralRef events
                let value = t.into_inner().into_owned();
                push_text(&path, &value, &mut text, &mut current);
            }
            XmlEvent::CData(t) => {
                let value = t.into_inner().into_owned();
                push_text(&path, &value, &mut text, &mut current);
            }
            XmlEvent::GeneralRef(r) => {
                let name = r.as_ref().to_string();
                let resolved = match name.as_str() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    _ => r
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(|c| c.to_string())
                        .unwrap_or_default(),
                };
                push_text(&path, &resolved, &mut text, &mut current);
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    if corpus.articles.is_empty() {
        bail!("no <article> elements found");
    }
    Ok(corpus)
}

fn push_text(
    path: &[String],
    value: &str,
    text: &mut String,
    current: &mut Option<Vec<(String, String)>>,
) {
    let Some(leaf) = path.last() else { return };
    if leaf == "text" && current.is_none() {
        text.push_str(value);
    } else if let Some(fields) = current.as_mut() {
        match fields.iter_mut().find(|(k, _)| k == leaf) {
            Some((_, v)) => v.push_str(value),
            None => fields.push((leaf.clone(), value.to_string())),
        }
    }
}

fn build_article(text: &str, raw: &[Vec<(String, String)>], corpus: &mut Corpus) -> GoldArticle {
    let chars: Vec<char> = text.chars().collect();
    let mut toponyms = Vec::new();
    for fields in raw {
        let get = |k: &str| {
            fields
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.trim().to_string())
        };
        let Some(phrase) = get("phrase").or_else(|| get("name")) else {
            continue;
        };
        let (Some(start), Some(end)) = (
            get("start").and_then(|s| s.parse::<usize>().ok()),
            get("end").and_then(|s| s.parse::<usize>().ok()),
        ) else {
            continue;
        };
        let coordinates = get("lat")
            .zip(get("lon"))
            .and_then(|(a, b)| Some((a.parse::<f64>().ok()?, b.parse::<f64>().ok()?)));
        let phrase_chars: Vec<char> = phrase.chars().collect();
        let matches_at = |s: usize| {
            s + phrase_chars.len() <= chars.len()
                && chars[s..s + phrase_chars.len()] == phrase_chars[..]
        };
        let fixed = if end >= start && matches_at(start) {
            Some(start)
        } else {
            // nearest occurrence within 40 characters of the stated start
            (1..=40usize)
                .flat_map(|d| [start.checked_sub(d), Some(start + d)])
                .flatten()
                .find(|&s| matches_at(s))
                .inspect(|_| corpus.repaired_spans += 1)
        };
        match fixed {
            Some(s) => toponyms.push(GoldToponym {
                start: s,
                end: s + phrase_chars.len(),
                phrase,
                coordinates,
                geonameid: get("geonameid").and_then(|g| g.parse().ok()),
            }),
            None => corpus.unmatched_spans += 1,
        }
    }
    GoldArticle {
        text: text.to_string(),
        toponyms,
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Recognition {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub overlap_precision: f64,
    pub overlap_recall: f64,
    pub overlap_f1: f64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Resolution {
    pub n: usize,
    pub acc161: f64,
    pub mean_km: f64,
    pub median_km: f64,
    pub auc: f64,
}

/// A gold toponym resolved more than 161 km off, for `eval --show-errors`.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub phrase: String,
    pub gold: (f64, f64),
    pub predicted: Option<(f64, f64)>,
    pub km: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub articles: usize,
    pub gold_toponyms: usize,
    pub repaired_spans: usize,
    pub unmatched_spans: usize,
    pub recognition: Recognition,
    pub given_gold: Resolution,
    /// The same, by distance alone: a right country far from the corpus' reference point counts as wrong.
    pub given_gold_by_distance: Resolution,
    pub end_to_end: Resolution,
    #[serde(skip)]
    pub misses: Vec<Miss>,
    /// Predicted mentions that overlap no gold toponym, for `eval --show-errors`.
    #[serde(skip)]
    pub false_positives: Vec<String>,
    /// Gold toponyms no predicted mention overlaps.
    #[serde(skip)]
    pub false_negatives: Vec<String>,
}

/// Score the geoparser on a corpus. With `count_demonyms`, demonyms ("Turkish") count as toponyms found,
/// as in corpora that tag them (TR-News, LGL); GeoVirus does not.
pub fn evaluate(gazetteer: &Gazetteer, corpus: &Corpus, count_demonyms: bool) -> Report {
    let (mut predicted, mut gold_total, mut exact_tp, mut overlap_pred_tp, mut overlap_gold_tp) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut given_errors = Vec::new();
    let mut e2e_errors = Vec::new();
    let mut misses = Vec::new();
    let mut given_strict = Vec::new();
    let mut false_positives = Vec::new();
    let mut false_negatives = Vec::new();
    for article in &corpus.articles {
        let prepared = PreparedText::new("eval", &article.text);
        let (mut mentions, demonyms) = geoparse::geoparse(gazetteer, &prepared);
        if count_demonyms {
            mentions.extend(
                demonyms
                    .into_iter()
                    .map(|d| demonym_as_mention(gazetteer, d)),
            );
        }
        let spans: Vec<(usize, usize)> =
            article.toponyms.iter().map(|t| (t.start, t.end)).collect();
        let given = geoparse::resolve_spans(gazetteer, &prepared, &spans);
        predicted += mentions.len();
        gold_total += article.toponyms.len();
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        for m in &mentions {
            if article
                .toponyms
                .iter()
                .any(|t| overlaps((m.start, m.end), (t.start, t.end)))
            {
                overlap_pred_tp += 1;
            } else {
                false_positives.push(m.text.clone());
            }
        }
        for (gold, resolved) in article.toponyms.iter().zip(&given) {
            if mentions
                .iter()
                .any(|m| m.start == gold.start && m.end == gold.end)
            {
                exact_tp += 1;
            }
            let matched = mentions
                .iter()
                .find(|m| overlaps((m.start, m.end), (gold.start, gold.end)));
            if matched.is_some() {
                overlap_gold_tp += 1;
            } else {
                false_negatives.push(gold.phrase.clone());
            }
            let Some((glat, glon)) = gold.coordinates else {
                continue;
            };
            let error = |entry: Option<EntryId>| scored_error(gazetteer, entry, gold, (glat, glon));
            let km = error(*resolved);
            given_strict.push(resolved.map_or(MAX_ERROR_KM, |id| {
                let e = gazetteer.entry(id);
                haversine_km(e.lat, e.lon, glat, glon)
            }));
            if km > 161.0 {
                misses.push(Miss {
                    phrase: gold.phrase.clone(),
                    gold: (glat, glon),
                    predicted: resolved
                        .map(|id| (gazetteer.entry(id).lat, gazetteer.entry(id).lon)),
                    km,
                });
            }
            given_errors.push(km);
            if let Some(m) = matched {
                e2e_errors.push(error(m.place.as_deref().and_then(|p| gazetteer.find_id(p))));
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let f1 = |p: f64, r: f64| {
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    };
    let (p, r) = (ratio(exact_tp, predicted), ratio(exact_tp, gold_total));
    let (op, or) = (
        ratio(overlap_pred_tp, predicted),
        ratio(overlap_gold_tp, gold_total),
    );
    Report {
        articles: corpus.articles.len(),
        gold_toponyms: gold_total,
        repaired_spans: corpus.repaired_spans,
        unmatched_spans: corpus.unmatched_spans,
        recognition: Recognition {
            precision: p,
            recall: r,
            f1: f1(p, r),
            overlap_precision: op,
            overlap_recall: or,
            overlap_f1: f1(op, or),
        },
        given_gold: resolution_scores(given_errors),
        given_gold_by_distance: resolution_scores(given_strict),
        end_to_end: resolution_scores(e2e_errors),
        misses,
        false_positives,
        false_negatives,
    }
}

/// A demonym scored as a mention of its country.
fn demonym_as_mention(gazetteer: &Gazetteer, d: crate::story::Demonym) -> crate::story::Mention {
    let country = gazetteer.country(&d.country).map(|id| gazetteer.entry(id));
    crate::story::Mention {
        doc: d.doc.into(),
        start: d.start,
        end: d.end,
        text: d.text,
        place: country.map(|c| c.id.clone()),
        lat: country.map(|c| c.lat),
        lon: country.map(|c| c.lon),
        confidence: 1.0,
        role: None,
        sentence: "".into(),
        candidates: Vec::new(),
    }
}

/// The error of a resolution in km. The same GeoNames feature is right even where our point for it
/// differs from GeoNames'; a country is right when the gold point lies inside its outline, since
/// corpora disagree on which single point stands for a country (GeoNames puts China at 35N 105E,
/// Wikipedia at 35N 103E).
fn scored_error(
    gazetteer: &Gazetteer,
    entry: Option<EntryId>,
    gold: &GoldToponym,
    (glat, glon): (f64, f64),
) -> f64 {
    let Some(id) = entry else { return MAX_ERROR_KM };
    let e = gazetteer.entry(id);
    if gold.geonameid.is_some() && e.geonameid == gold.geonameid {
        return 0.0;
    }
    if e.kind == PlaceKind::Country {
        let inside = e
            .country
            .as_deref()
            .and_then(|cc| country_outlines().get(cc))
            .is_some_and(|outline| outline.contains(&geo::Point::new(glon, glat)));
        if inside {
            return 0.0;
        }
    }
    haversine_km(e.lat, e.lon, glat, glon)
}

/// Country outlines from the shipped basemap (Natural Earth 1:110m), by ISO code.
fn country_outlines() -> &'static HashMap<String, geo::MultiPolygon<f64>> {
    static OUTLINES: OnceLock<HashMap<String, geo::MultiPolygon<f64>>> = OnceLock::new();
    OUTLINES.get_or_init(|| {
        let collection: geojson::FeatureCollection = include_str!("../gazetteer/data/basemap.json")
            .parse()
            .expect("shipped basemap is GeoJSON");
        let mut out: HashMap<String, geo::MultiPolygon<f64>> = HashMap::new();
        for feature in collection.features {
            let Some(iso) = feature
                .property("iso2")
                .and_then(|v| v.as_str())
                .map(str::to_string)
            else {
                continue;
            };
            let Some(geometry) = feature.geometry else {
                continue;
            };
            let polygons: Vec<geo::Polygon<f64>> = match geo::Geometry::<f64>::try_from(geometry) {
                Ok(geo::Geometry::Polygon(p)) => vec![p],
                Ok(geo::Geometry::MultiPolygon(mp)) => mp.0,
                _ => continue,
            };
            out.entry(iso)
                .or_insert_with(|| geo::MultiPolygon(Vec::new()))
                .0
                .extend(polygons);
        }
        out
    })
}

/// acc@161, mean, median and the AUC of ln(error + 1) / ln(20039) over the sorted errors.
pub fn resolution_scores(mut errors: Vec<f64>) -> Resolution {
    let n = errors.len();
    if n == 0 {
        return Resolution::default();
    }
    errors.sort_by(f64::total_cmp);
    let median = if n % 2 == 1 {
        errors[n / 2]
    } else {
        (errors[n / 2 - 1] + errors[n / 2]) / 2.0
    };
    let logs: Vec<f64> = errors
        .iter()
        .map(|e| (e + 1.0).ln() / (MAX_ERROR_KM.ln()))
        .collect();
    let auc = if n == 1 {
        logs[0]
    } else {
        logs.windows(2).map(|w| (w[0] + w[1]) / 2.0).sum::<f64>() / (n - 1) as f64
    };
    Resolution {
        n,
        acc161: errors.iter().filter(|&&e| e <= 161.0).count() as f64 / n as f64,
        mean_km: errors.iter().sum::<f64>() / n as f64,
        median_km: median,
        auc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_benchmark_layouts_and_repairs_shifted_spans() {
        let xml = r#"<articles><article docid="1"><text><![CDATA[Ships left Qingdao for Shanghai.]]></text>
            <toponyms><toponym><phrase>Qingdao</phrase><start>11</start><end>18</end>
            <gaztag geonameid="1797929"><lat>36.06</lat><lon>120.38</lon></gaztag></toponym>
            <toponym><phrase>Shanghai</phrase><start>24</start><end>32</end></toponym></toponyms></article>
            <article><text>Flu in Hanoi &amp; Hue.</text><locations><location><name>Hanoi</name><start>8</start>
            <end>13</end><lat>21.0</lat><lon>105.8</lon></location></locations></article></articles>"#;
        let corpus = read_corpus(xml).unwrap();
        assert_eq!(corpus.articles.len(), 2);
        let first = &corpus.articles[0].toponyms;
        assert_eq!(
            (first[0].start, first[0].coordinates),
            (11, Some((36.06, 120.38)))
        );
        // "Shanghai" stated at 24 but stands at 23: repaired
        assert_eq!(first[1].start, 23);
        assert_eq!(corpus.articles[1].text, "Flu in Hanoi & Hue.");
        assert_eq!(corpus.articles[1].toponyms[0].start, 7);
        assert_eq!(corpus.repaired_spans, 2);
    }

    #[test]
    fn scores_match_hand_computation() {
        let r = resolution_scores(vec![0.0, 100.0, 1000.0, 20039.0]);
        assert_eq!(r.n, 4);
        assert_eq!(r.acc161, 0.5);
        assert_eq!(r.median_km, 550.0);
        let logs = [0.0f64, 101f64.ln(), 1001f64.ln(), 20040f64.ln()].map(|v| v / 20039f64.ln());
        let auc =
            ((logs[0] + logs[1]) / 2.0 + (logs[1] + logs[2]) / 2.0 + (logs[2] + logs[3]) / 2.0)
                / 3.0;
        assert!((r.auc - auc).abs() < 1e-12);
    }
}
