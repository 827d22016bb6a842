//! "Did you mean …?" for misspelled time zones.

/// The IANA zone closest to `input`, when one is close enough to be a likely typo.
///
/// Zones are compared by their last segment (the city) first, so "America/Bueno_Aires"
/// finds Buenos Aires; among equally close cities the canonical, more specific name wins
/// ("America/Argentina/Buenos_Aires" over the legacy link "America/Buenos_Aires").
pub fn time_zone(input: &str) -> Option<&'static str> {
    let lowered = input.to_ascii_lowercase();
    let city = |name: &str| name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    let input_city = city(&lowered);
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .map(|name| {
            let city_distance = strsim::levenshtein(&input_city, &city(name));
            let full_distance = strsim::levenshtein(&lowered, &name.to_ascii_lowercase());
            let segments = name.matches('/').count();
            (name, city_distance, full_distance, segments)
        })
        .filter(|(_, city_distance, full_distance, _)| {
            let allowed = (input_city.len() / 3).max(2);
            *city_distance <= allowed || *full_distance <= allowed
        })
        .min_by_key(|(_, city_distance, full_distance, segments)| {
            (
                (*city_distance).min(*full_distance),
                std::cmp::Reverse(*segments),
                *full_distance,
            )
        })
        .map(|(name, ..)| name)
}

#[cfg(test)]
mod tests {
    use super::time_zone;

    #[test]
    fn suggests_canonical_buenos_aires() {
        assert_eq!(
            time_zone("America/Bueno_Aires"),
            Some("America/Argentina/Buenos_Aires")
        );
    }

    #[test]
    fn suggests_case_fix_and_nothing_for_garbage() {
        assert_eq!(time_zone("europe/madrid"), Some("Europe/Madrid"));
        assert_eq!(time_zone("Nowhere/Qwertyuiopasdf"), None);
    }
}
