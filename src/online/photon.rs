//! Photon, komoot's search-as-you-type geocoder over OpenStreetMap data (ODbL).
//!
//! It answers a GeoJSON FeatureCollection: coordinates as `[lon, lat]` numbers, the OSM tag as
//! `osm_key`/`osm_value`, and the extent as `[west, north, east, south]`.

use serde_json::Value;

use super::{coordinate, osm_kind, Answer, Failure};
use crate::story::PlaceKind;

pub fn search_url(base: &str, query: &str) -> Result<reqwest::Url, Failure> {
    reqwest::Url::parse_with_params(
        &format!("{base}/api/"),
        [("q", query), ("limit", "5"), ("lang", "en")],
    )
    .map_err(|_| Failure::Network)
}

pub fn parse(body: &str) -> Result<Vec<Answer>, Failure> {
    let value: Value = serde_json::from_str(body).map_err(|_| Failure::Malformed)?;
    let features = value
        .get("features")
        .and_then(Value::as_array)
        .ok_or(Failure::Malformed)?;
    Ok(features.iter().filter_map(answer).collect())
}

fn answer(feature: &Value) -> Option<Answer> {
    let point = feature.pointer("/geometry/coordinates")?.as_array()?;
    let lon = coordinate(point.first()?)?;
    let lat = coordinate(point.get(1)?)?;
    let props = feature.get("properties")?;
    let text = |key: &str| props.get(key).and_then(Value::as_str).unwrap_or("");
    let osm_type = match text("osm_type") {
        "N" => "node",
        "W" => "way",
        "R" => "relation",
        _ => "osm",
    };
    let id = format!("{osm_type}/{}", props.get("osm_id")?);
    // Photon has no rank; its `type` says which administrative level a boundary is.
    let kind = match (text("osm_key"), text("type")) {
        ("boundary", "country") => PlaceKind::Country,
        ("boundary", "state") => PlaceKind::Admin1,
        ("boundary", "county" | "district") => PlaceKind::Admin2,
        ("boundary", _) => PlaceKind::Region,
        (key, _) => osm_kind(key, text("osm_value"), None),
    };
    let bbox = props.get("extent").and_then(Value::as_array).and_then(|e| {
        let v: Vec<f64> = e.iter().filter_map(coordinate).collect();
        (v.len() == 4).then(|| [v[0], v[3], v[2], v[1]])
    });
    Some(Answer {
        id,
        name: text("name").to_string(),
        kind,
        lat,
        lon,
        country: Some(text("countrycode").to_ascii_uppercase()).filter(|c| c.len() == 2),
        bbox,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_feature_collection() {
        let body = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[129.7233,33.1592]},
             "properties":{"osm_type":"R","osm_id":3794389,"osm_key":"place","osm_value":"city",
              "type":"city","name":"Sasebo","countrycode":"JP","country":"Japan",
              "extent":[129.55,33.35,129.95,33.0]}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[129.71,33.16]},
             "properties":{"osm_type":"W","osm_id":5,"osm_key":"military","osm_value":"naval_base",
              "name":"Sasebo Naval Base"}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[]},"properties":{}}
        ]}"#;
        let answers = parse(body).unwrap();
        assert_eq!(answers.len(), 2, "the feature without a point is left out");
        assert_eq!(answers[0].id, "relation/3794389");
        assert_eq!(answers[0].kind, PlaceKind::City);
        assert_eq!(answers[0].country.as_deref(), Some("JP"));
        assert_eq!(answers[0].bbox, Some([129.55, 33.0, 129.95, 33.35]));
        assert!((answers[0].lat - 33.1592).abs() < 1e-9);
        assert_eq!(answers[1].kind, PlaceKind::Landmark);
        assert_eq!(answers[1].country, None);
        assert_eq!(parse("[]"), Err(Failure::Malformed));
        assert_eq!(
            parse(r#"{"type":"FeatureCollection","features":[]}"#),
            Ok(vec![])
        );
    }
}
