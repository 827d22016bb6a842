//! "Did you mean …?" for misspelled time zones, command options and subcommands.

/// The candidate closest to `input` (edit distance, ignoring case), when it is close enough
/// to be a likely typo: at most a third of the input's length, and never less than 2.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lowered = input.to_lowercase();
    let allowed = (lowered.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| {
            (
                candidate,
                strsim::levenshtein(&lowered, &candidate.to_lowercase()),
            )
        })
        .filter(|(_, distance)| *distance <= allowed)
        .min_by_key(|(_, distance)| *distance)
        .map(|(candidate, _)| candidate)
}

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
    use super::{nearest, time_zone};

    #[test]
    fn nearest_finds_typos_only() {
        let options = ["period", "from", "to"];
        assert_eq!(nearest("perod", options), Some("period"));
        assert_eq!(nearest("Period", options), Some("period"));
        assert_eq!(nearest("colour", options), None);
        assert_eq!(nearest("mut", ["mute", "unmute", "status"]), Some("mute"));
    }

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
