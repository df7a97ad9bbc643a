//! *Importance*: the prior that ranks the places sharing a name before any context is known — how likely
//! a bare "Victoria" or "Georgia" means each of them.
//!
//! Kinds are handled here by their story names (`city`, `sea`, ...), because this file is also compiled
//! into `build.rs`, which has no access to the story model; the index stores a kind as its position in
//! [`KIND_NAMES`], which follows `PlaceKind::ALL`.

/// Every place kind, in the order of `PlaceKind::ALL`.
pub const KIND_NAMES: [&str; 16] = [
    "country", "admin1", "admin2", "city", "port", "sea", "strait", "channel", "gulf", "bay",
    "sound", "canal", "ocean", "island", "region", "landmark",
];

/// Where an entry came from, stored as its position in this list.
pub const LAYER_TAGS: [&str; 4] = ["geonames", "natural-earth", "searoute", "mentionmap"];

/// How much less a match on one of an entry's other names (a translation, a historic name) counts than
/// a match on its main name: enough to put the place really called that first when the two weigh about
/// the same, little enough that "Calcutta", "Madras", "Odessa" and "St. Petersburg" still mean Kolkata,
/// Chennai, Odesa and Saint Petersburg rather than the small towns with those main names.
pub const ALIAS_PENALTY: f64 = 0.02;

/// An alias is *redundant* when a place of the same kind within this distance has it as its main name:
/// that place is what the name means. Hong Kong has the alias "Victoria", and GeoNames also has Victoria,
/// the city district of Hong Kong; a bare "Victoria" should not bring up Hong Kong as a whole, above the
/// Seychelles capital and Victoria in British Columbia.
pub const REDUNDANT_ALIAS_KM: f64 = 30.0;

/// The share of its score a redundant alias keeps.
pub const REDUNDANT_ALIAS_WEIGHT: f64 = 0.5;

pub fn kind_code(kind: &str) -> Option<u8> {
    KIND_NAMES.iter().position(|k| *k == kind).map(|i| i as u8)
}

pub fn layer_code(layer: &str) -> Option<u8> {
    LAYER_TAGS.iter().position(|k| *k == layer).map(|i| i as u8)
}

/// Prior importance of a place, between 0 and 1, from its kind, feature code and population.
///
/// Countries come first, then the hand-curated marine areas, then first-level divisions, then cities by
/// population (a decade of population is worth 0.07, a national capital 0.15). Divisions carry no
/// population in the shipped data, so a big city outranks the division of the same name (Beijing,
/// Shanghai, Busan) while a division outranks a village. Ports sit below any city of their name: the
/// city stands for the port.
pub fn importance(kind: &str, feature_code: &str, population: u64) -> f64 {
    let pop = (population.max(1) as f64).log10(); // 0 ..= ~9.2
    let score = match kind {
        "country" => 0.9 + pop / 100.0,
        "ocean" => 0.85,
        "sea" => 0.8,
        "strait" | "canal" | "gulf" | "channel" => 0.7,
        "bay" | "sound" | "landmark" => 0.6,
        "admin1" => 0.55 + pop / 100.0,
        "city" => {
            let seat = match feature_code {
                "PPLC" => 0.15,
                "PPLA" => 0.05,
                "PPLA2" => 0.02,
                _ => 0.0,
            };
            0.2 + pop * 0.07 + seat
        }
        "admin2" => 0.3 + pop / 100.0,
        "port" => 0.3,
        _ => 0.4, // island, region
    };
    score.clamp(0.0, 1.0)
}

/// Importance of a physical feature (sea, bay, island, region) from a bulk source such as the full GeoNames
/// dump. It lists hundreds of thousands of coves and islets; they must not outrank towns or the curated
/// marine table the way a hand-picked sea does.
pub fn bulk_feature_importance(kind: &str, feature_code: &str, population: u64) -> f64 {
    match kind {
        "ocean" | "sea" => 0.45,
        "strait" | "canal" | "gulf" | "channel" => 0.35,
        "bay" | "sound" | "island" | "region" | "landmark" => {
            0.25 + (population.max(1) as f64).log10() / 100.0
        }
        _ => importance(kind, feature_code, population),
    }
}

/// The score of an entry found under one of its names.
pub fn match_score(importance: f64, alias: bool, redundant: bool) -> f64 {
    let score = if alias {
        (importance - ALIAS_PENALTY).max(0.0)
    } else {
        importance
    };
    if redundant {
        score * REDUNDANT_ALIAS_WEIGHT
    } else {
        score
    }
}

/// True when two points are within `km` of each other (equirectangular: exact enough at tens of km).
pub fn within_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64, km: f64) -> bool {
    const KM_PER_DEGREE: f64 = 111.195;
    let mut dlon = (lon1 - lon2).abs();
    if dlon > 180.0 {
        dlon = 360.0 - dlon;
    }
    let x = dlon * ((lat1 + lat2) / 2.0).to_radians().cos();
    let y = lat1 - lat2;
    (x * x + y * y).sqrt() * KM_PER_DEGREE <= km
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_cities_outrank_their_division_and_capitals_get_a_bonus() {
        let beijing = importance("city", "PPLC", 18_960_744);
        let beijing_division = importance("admin1", "ADM1", 0);
        let busan = importance("city", "PPL", 3_400_000);
        assert!(beijing > beijing_division && busan > beijing_division);
        assert!(importance("admin1", "ADM1", 0) > importance("city", "PPL", 5_000));
        assert!(importance("city", "PPLC", 20_000) > importance("city", "PPL", 20_000));
        assert!(importance("country", "PCLI", 80_000) > importance("city", "PPLC", 20_000_000));
    }

    #[test]
    fn famous_aliases_beat_small_towns_but_lose_ties_and_redundancy() {
        let odesa = importance("city", "PPL", 1_010_537);
        let odessa_texas = importance("city", "PPL", 114_428);
        assert!(match_score(odesa, true, false) > match_score(odessa_texas, false, false));
        let same = importance("city", "PPL", 50_000);
        assert!(match_score(same, true, false) < match_score(same, false, false));
        let hong_kong = importance("city", "PPLC", 7_396_076);
        let victoria_bc = importance("city", "PPL", 289_625);
        assert!(match_score(hong_kong, true, true) < match_score(victoria_bc, false, false));
    }

    #[test]
    fn distances_wrap_the_antimeridian() {
        assert!(within_km(22.2783, 114.1747, 22.2875, 114.1442, 30.0));
        assert!(!within_km(22.2783, 114.1747, 48.4359, -123.3516, 30.0));
        assert!(within_km(65.0, 179.9, 65.0, -179.9, 30.0));
        assert!(!within_km(0.0, 0.0, 0.3, 0.0, 30.0));
    }

    #[test]
    fn bulk_coves_rank_below_towns_and_curated_seas() {
        assert!(bulk_feature_importance("bay", "COVE", 0) < importance("city", "PPL", 2_000));
        assert!(bulk_feature_importance("sea", "SEA", 0) < importance("sea", "", 0));
        assert_eq!(
            bulk_feature_importance("city", "PPL", 5_000),
            importance("city", "PPL", 5_000)
        );
    }
}
