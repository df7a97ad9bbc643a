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

/// The share of an entry's importance that a match on one of its other names (a translation, a historic
/// or colonial name) keeps. A share rather than a fixed deduction, so a strong place's alias still beats a
/// weak place's main name ("Roma": Rome before Roma in Lesotho) while it loses to a fair-sized place
/// really called that: Hong Kong has the alias "Victoria", but a bare "Victoria" means the Seychelles
/// capital, Victoria in British Columbia or the Australian state first.
pub const ALIAS_WEIGHT: f64 = 0.65;

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
pub fn match_score(importance: f64, alias: bool) -> f64 {
    if alias {
        importance * ALIAS_WEIGHT
    } else {
        importance
    }
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
    fn alias_matches_rank_below_main_name_matches() {
        let hong_kong = importance("city", "PPLC", 7_396_076);
        let victoria_bc = importance("city", "PPL", 289_625);
        assert!(match_score(hong_kong, true) < match_score(victoria_bc, false));
        assert!(match_score(hong_kong, false) > match_score(victoria_bc, false));
        let rome = importance("city", "PPLC", 2_318_895);
        let roma_lesotho = importance("city", "PPL", 14_259);
        assert!(match_score(rome, true) > match_score(roma_lesotho, false));
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
