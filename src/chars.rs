//! Cutting text by characters (Unicode scalar values), the unit Discord's limits and
//! pulso's one-line error details are counted in, so a cut never splits a character.

/// Cuts `text` to at most `max` characters, ending with "…" when something was cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_by_characters_and_marks_the_cut() {
        assert_eq!(truncate("añoño", 5), "añoño");
        assert_eq!(truncate("añoños", 5), "añoñ…");
        assert_eq!(truncate("", 3), "");
    }
}
