//! The GeoNames web service (searchJSON): the same data as the offline GeoNames layer but complete —
//! every anchorage, pier and naval installation — and current. It needs a free account's username,
//! and its data is under CC BY 4.0.
//!
//! Errors come back as HTTP 200 with a `status` object (bad username, daily credits spent), so they
//! are told apart from an empty answer here.

use serde_json::Value;

use super::{coordinate, Answer, Failure};
use crate::story::PlaceKind;

pub fn search_url(base: &str, query: &str, username: &str) -> Result<reqwest::Url, Failure> {
    reqwest::Url::parse_with_params(
        &format!("{base}/searchJSON"),
        [
            ("q", query),
            ("maxRows", "5"),
            ("lang", "en"),
            ("username", username),
        ],
    )
    .map_err(|_| Failure::Network)
}

pub fn parse(body: &str) -> Result<Vec<Answer>, Failure> {
    let value: Value = serde_json::from_str(body).map_err(|_| Failure::Malformed)?;
    if value.get("status").is_some() {
        return Err(Failure::Refused);
    }
    let items = value
        .get("geonames")
        .and_then(Value::as_array)
        .ok_or(Failure::Malformed)?;
    Ok(items.iter().filter_map(answer).collect())
}

fn answer(item: &Value) -> Option<Answer> {
    let text = |key: &str| item.get(key).and_then(Value::as_str).unwrap_or("");
    Some(Answer {
        id: item.get("geonameId")?.to_string(),
        name: text("name").to_string(),
        kind: kind(text("fcode")),
        lat: coordinate(item.get("lat")?)?,
        lon: coordinate(item.get("lng")?)?,
        country: Some(text("countryCode").to_string()).filter(|c| c.len() == 2),
        bbox: None,
    })
}

/// The kind a GeoNames feature code stands for.
fn kind(fcode: &str) -> PlaceKind {
    match fcode {
        c if c.starts_with("PCL") => PlaceKind::Country,
        "ADM1" => PlaceKind::Admin1,
        "ADM2" => PlaceKind::Admin2,
        c if c.starts_with("PPL") => PlaceKind::City,
        "STRT" => PlaceKind::Strait,
        "BAY" | "BAYS" | "COVE" => PlaceKind::Bay,
        "GULF" => PlaceKind::Gulf,
        "SEA" => PlaceKind::Sea,
        "OCN" => PlaceKind::Ocean,
        "SD" => PlaceKind::Sound,
        c if c.starts_with("CHN") => PlaceKind::Channel,
        c if c.starts_with("CNL") => PlaceKind::Canal,
        c if c.starts_with("ISL") => PlaceKind::Island,
        "PRT" | "HBR" | "HBRX" | "ANCH" | "PIER" | "DCKY" | "MAR" => PlaceKind::Port,
        _ => PlaceKind::Landmark,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_answers_and_tells_errors_from_empty() {
        let body = r#"{"totalResultsCount":2,"geonames":[
            {"geonameId":1790437,"name":"Yulin","lat":"18.22","lng":"109.56","countryCode":"CN",
             "fcl":"S","fcode":"MILB"},
            {"geonameId":173193,"name":"Tartus","lat":"34.88902","lng":"35.88659","countryCode":"SY",
             "fcl":"P","fcode":"PPLA"}]}"#;
        let answers = parse(body).unwrap();
        assert_eq!(answers[0].id, "1790437");
        assert_eq!(answers[0].kind, PlaceKind::Landmark);
        assert_eq!(answers[1].kind, PlaceKind::City);
        assert_eq!(answers[1].country.as_deref(), Some("SY"));
        assert_eq!(
            parse(r#"{"totalResultsCount":0,"geonames":[]}"#),
            Ok(vec![])
        );
        let spent = r#"{"status":{"message":"the daily limit of 20000 credits has been exceeded","value":18}}"#;
        assert_eq!(parse(spent), Err(Failure::Refused));
    }
}
