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
/// Australian state, the Seychelles capital and Victoria in British Columbia.
pub const REDUNDANT_ALIAS_KM: f64 = 30.0;

/// The share of its score a redundant alias keeps.
pub const REDUNDANT_ALIAS_WEIGHT: f64 = 0.5;

/// A first-level division that shares its name with a city of at least this many people in the same
/// country is named after that city (São Paulo, Rio de Janeiro, New York, Murmansk, Shanghai, Busan), and
/// a bare name means the city more often: the division ranks right below it. Smaller towns named like a
/// state (Florida in Uruguay, Victoria in Texas) stay below the division.
pub const CITY_OVER_DIVISION_POPULATION: u64 = 100_000;

pub fn kind_code(kind: &str) -> Option<u8> {
    KIND_NAMES.iter().position(|k| *k == kind).map(|i| i as u8)
}

pub fn layer_code(layer: &str) -> Option<u8> {
    LAYER_TAGS.iter().position(|k| *k == layer).map(|i| i as u8)
}

/// Prior importance of a place, between 0 and 1, from its kind, feature code and population.
///
/// Countries come first, then continents, the hand-curated marine areas and regions, and first-level
/// divisions (a state or province name nearly always means the division, not a town named after it),
/// then cities
/// by population (a decade of population is worth 0.07, a national capital 0.15). A division that is
/// really a city (Beijing, Shanghai, Busan) yields to the city by [`DIVISION_CITY_KM`]. Ports sit below
/// any city of their name: the city stands for the port.
pub fn importance(kind: &str, feature_code: &str, population: u64) -> f64 {
    let pop = (population.max(1) as f64).log10(); // 0 ..= ~9.2
    let score = match kind {
        "country" => 0.9 + pop / 100.0,
        "ocean" => 0.85,
        "region" if feature_code == "CONT" => 0.85,
        "sea" => 0.8,
        "admin1" => 0.8,
        "strait" | "canal" | "gulf" | "channel" => 0.7,
        "bay" | "sound" | "landmark" => 0.6,
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

/// Importance of an entry of the project's table of regions and large islands (Middle East, Kashmir,
/// Hokkaido): news names them as places, so they rank with divisions, above towns called after them.
pub const REGION_TABLE_IMPORTANCE: f64 = 0.8;

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

/// One entry known by a name, with what ranking the entries of that name needs.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch {
    pub entry: u32,
    /// The name is one of the entry's aliases, not its main name.
    pub alias: bool,
    pub kind: u8,
    /// Position in [`LAYER_TAGS`].
    pub layer: u8,
    /// ISO alpha-2 as two bytes, zeros when none.
    pub country: [u8; 2],
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub importance: f64,
    /// Set by [`rank_matches`].
    pub score: f64,
}

/// Score the entries known by one name and order them best first, ties to the project's own tables, then
/// by entry number: the entry's
/// importance, less [`ALIAS_PENALTY`] for an alias, times [`REDUNDANT_ALIAS_WEIGHT`] for a redundant
/// alias; an alias below any main name from the project's own tables (they list the names news uses:
/// "White House" is the landmark, not Casablanca by translation); and a division named after a big
/// city of its country just below that city.
pub fn rank_matches(group: &mut [NameMatch]) {
    for m in group.iter_mut() {
        m.score = if m.alias {
            (m.importance - ALIAS_PENALTY).max(0.0)
        } else {
            m.importance
        };
    }
    let mains: Vec<(u8, f64, f64)> = group
        .iter()
        .filter(|m| !m.alias)
        .map(|m| (m.kind, m.lat, m.lon))
        .collect();
    for m in group.iter_mut().filter(|m| m.alias) {
        let redundant = mains.iter().any(|&(kind, lat, lon)| {
            kind == m.kind && within_km(lat, lon, m.lat, m.lon, REDUNDANT_ALIAS_KM)
        });
        if redundant {
            m.score *= REDUNDANT_ALIAS_WEIGHT;
        }
    }
    let curated = layer_code("mentionmap");
    let best_curated = group
        .iter()
        .filter(|m| !m.alias && Some(m.layer) == curated)
        .map(|m| m.score)
        .reduce(f64::max);
    if let Some(best) = best_curated {
        for m in group.iter_mut().filter(|m| m.alias) {
            m.score = m.score.min(best - 0.01).max(0.0);
        }
    }
    let (city, admin1) = (kind_code("city"), kind_code("admin1"));
    let big_cities: Vec<([u8; 2], f64)> = group
        .iter()
        .filter(|m| Some(m.kind) == city && m.population >= CITY_OVER_DIVISION_POPULATION)
        .map(|m| (m.country, m.score))
        .collect();
    for m in group.iter_mut().filter(|m| Some(m.kind) == admin1) {
        let below = big_cities
            .iter()
            .filter(|(country, _)| *country == m.country && *country != [0, 0])
            .map(|&(_, score)| score - 0.01)
            .fold(f64::INFINITY, f64::min);
        m.score = m.score.min(below).max(0.0);
    }
    // On equal scores the project's own entry comes first ("Red Sea": the sea, then the governorate).
    let not_curated = |m: &NameMatch| Some(m.layer) != curated;
    group.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(not_curated(a).cmp(&not_curated(b)))
            .then(a.entry.cmp(&b.entry))
    });
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
    fn divisions_outrank_towns_and_capitals_get_a_bonus() {
        assert!(importance("admin1", "ADM1", 0) > importance("city", "PPL", 10_000_000));
        assert!(importance("city", "PPLC", 5_000_000) > importance("admin1", "ADM1", 0));
        assert!(importance("region", "CONT", 0) > importance("admin1", "ADM1", 0));
        assert!(importance("city", "PPLC", 20_000) > importance("city", "PPL", 20_000));
        assert!(importance("country", "PCLI", 80_000) > importance("city", "PPLC", 20_000_000));
    }

    fn name_match(
        entry: u32,
        alias: bool,
        kind: &str,
        country: &str,
        population: u64,
    ) -> NameMatch {
        let code = kind_code(kind).unwrap();
        let feature = if kind == "admin1" { "ADM1" } else { "PPL" };
        NameMatch {
            entry,
            alias,
            kind: code,
            layer: layer_code("geonames").unwrap(),
            country: country.as_bytes().try_into().unwrap(),
            lat: f64::from(entry), // a degree apart: never "nearby"
            lon: 0.0,
            population,
            importance: importance(kind, feature, population),
            score: 0.0,
        }
    }

    fn order(group: &mut [NameMatch]) -> Vec<u32> {
        rank_matches(group);
        group.iter().map(|m| m.entry).collect()
    }

    #[test]
    fn famous_aliases_beat_small_towns_but_lose_ties() {
        // "Odessa": Odesa (alias) before Odessa, Texas
        let mut odessa = [
            name_match(0, false, "city", "US", 114_428),
            name_match(1, true, "city", "UA", 1_010_537),
        ];
        assert_eq!(order(&mut odessa), [1, 0]);
        let mut tie = [
            name_match(0, true, "city", "US", 50_000),
            name_match(1, false, "city", "GB", 50_000),
        ];
        assert_eq!(order(&mut tie), [1, 0]);
    }

    #[test]
    fn redundant_aliases_fall_behind() {
        let mut victoria = [
            name_match(0, true, "city", "HK", 7_396_076), // Hong Kong
            name_match(1, false, "city", "HK", 956_800),  // Victoria, its district
            name_match(2, false, "city", "CA", 289_625),  // Victoria, BC
        ];
        victoria[1].lat = victoria[0].lat + 0.05;
        assert_eq!(order(&mut victoria), [1, 2, 0]);
    }

    #[test]
    fn aliases_never_beat_a_main_name_of_the_projects_tables() {
        let mut white_house = [
            name_match(0, true, "city", "MA", 3_144_909), // Casablanca, by translation
            name_match(1, false, "landmark", "US", 0),
        ];
        white_house[1].layer = layer_code("mentionmap").unwrap();
        assert_eq!(order(&mut white_house), [1, 0]);
        let mut red_sea = [
            name_match(0, false, "admin1", "EG", 0),
            name_match(1, false, "sea", "EG", 0),
        ];
        red_sea[1].layer = layer_code("mentionmap").unwrap();
        red_sea[1].importance = red_sea[0].importance;
        assert_eq!(order(&mut red_sea), [1, 0]);
    }

    #[test]
    fn divisions_named_after_big_cities_rank_right_below_them() {
        let mut sao_paulo = [
            name_match(0, false, "admin1", "BR", 0),
            name_match(1, false, "city", "BR", 12_400_232),
            name_match(2, false, "city", "CV", 3_198),
        ];
        assert_eq!(order(&mut sao_paulo), [1, 0, 2]);
        // a small town named like the state, or a big city abroad, leaves the division first
        let mut victoria = [
            name_match(0, false, "city", "US", 67_574),
            name_match(1, false, "admin1", "AU", 0),
            name_match(2, false, "city", "CA", 289_625),
        ];
        assert_eq!(order(&mut victoria), [1, 2, 0]);
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
