//! Nominatim, OpenStreetMap's geocoder (the default provider), and any server speaking its API — a
//! self-hosted Nominatim set with `--online-url`. Its data is OpenStreetMap's, under the ODbL.
//!
//! The search endpoint answers a JSON array of features; coordinates come as strings, and the
//! bounding box as `[south, north, west, east]`.

use serde_json::Value;

use super::{coordinate, osm_kind, Answer, Failure};

/// The search request for a free-text name: top five, English names, with the country code.
pub fn search_url(base: &str, query: &str) -> Result<reqwest::Url, Failure> {
    let endpoint = if base.ends_with("/search") {
        base.to_string()
    } else {
        format!("{base}/search")
    };
    reqwest::Url::parse_with_params(
        &endpoint,
        [
            ("q", query),
            ("format", "jsonv2"),
            ("limit", "5"),
            ("addressdetails", "1"),
            ("accept-language", "en"),
        ],
    )
    .map_err(|_| Failure::Network)
}

/// The answers in the provider's order. A body that is not a JSON array is malformed; a feature
/// without usable coordinates is left out.
pub fn parse(body: &str) -> Result<Vec<Answer>, Failure> {
    let value: Value = serde_json::from_str(body).map_err(|_| Failure::Malformed)?;
    let items = value.as_array().ok_or(Failure::Malformed)?;
    Ok(items.iter().filter_map(answer).collect())
}

fn answer(item: &Value) -> Option<Answer> {
    let lat = coordinate(item.get("lat")?)?;
    let lon = coordinate(item.get("lon")?)?;
    let text = |key: &str| item.get(key).and_then(Value::as_str).unwrap_or("");
    let id = match (text("osm_type"), item.get("osm_id")) {
        (osm_type, Some(osm_id)) if !osm_type.is_empty() => format!("{osm_type}/{osm_id}"),
        _ => format!("place/{}", item.get("place_id")?),
    };
    let name = match text("name") {
        "" => text("display_name").split(',').next()?.trim().to_string(),
        name => name.to_string(),
    };
    // jsonv2 says `category`, the older `json` format `class`.
    let key = match text("category") {
        "" => text("class"),
        category => category,
    };
    let rank = item.get("place_rank").and_then(Value::as_u64);
    let bbox = item
        .get("boundingbox")
        .and_then(Value::as_array)
        .and_then(|b| {
            let v: Vec<f64> = b.iter().filter_map(coordinate).collect();
            (v.len() == 4).then(|| [v[2], v[0], v[3], v[1]])
        });
    Some(Answer {
        id,
        name,
        kind: osm_kind(key, text("type"), rank),
        lat,
        lon,
        country: item
            .pointer("/address/country_code")
            .and_then(Value::as_str)
            .map(str::to_ascii_uppercase),
        bbox,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::PlaceKind;

    #[test]
    fn reads_a_recorded_answer() {
        let body = include_str!("../../tests/fixtures/online/nominatim-tartus.json");
        let answers = parse(body).unwrap();
        assert_eq!(answers.len(), 2);
        let tartus = &answers[0];
        assert_eq!(tartus.id, "relation/2213707");
        assert_eq!(tartus.name, "Tartus");
        assert_eq!(tartus.kind, PlaceKind::City);
        assert_eq!(tartus.country.as_deref(), Some("SY"));
        assert!((tartus.lat - 34.8886).abs() < 1e-3 && (tartus.lon - 35.8866).abs() < 1e-3);
        let [w, s, e, n] = tartus.bbox.unwrap();
        assert!(w < e && s < n && w < tartus.lon && tartus.lat < n);
        assert_eq!(answers[1].kind, PlaceKind::Port);
    }

    #[test]
    fn empty_and_malformed_bodies() {
        assert_eq!(parse("[]"), Ok(vec![]));
        assert_eq!(
            parse("[{\"lat\": \"x\"}]"),
            Ok(vec![]),
            "no usable coordinates"
        );
        assert_eq!(parse("{\"error\": \"x\"}"), Err(Failure::Malformed));
        assert_eq!(parse("[{\"lat\": "), Err(Failure::Malformed));
    }

    #[test]
    fn url_keeps_the_query_intact() {
        let url = search_url("http://127.0.0.1:8080/nominatim", "Port of Spain & Co").unwrap();
        assert_eq!(url.path(), "/nominatim/search");
        let q: Vec<_> = url.query_pairs().filter(|(k, _)| k == "q").collect();
        assert_eq!(q[0].1, "Port of Spain & Co");
        let already = search_url("http://localhost/search", "x").unwrap();
        assert_eq!(already.path(), "/search");
    }
}
