//! Durations written for people: `90s`, `5m`, `6h`, `1h30m`, `2d`.

use std::time::Duration;

/// Parses a duration made of `<number><unit>` parts, units `s`, `m`, `h`, `d`.
///
/// # Errors
/// A message saying what is wrong and showing the accepted form.
pub fn parse(text: &str) -> Result<Duration, String> {
    let hint = "write it like \"90s\", \"5m\", \"6h\", \"1h30m\" or \"2d\"";
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!("empty duration; {hint}"));
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in trimmed.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(format!("{text:?} has an unknown unit {c:?}; {hint}")),
        };
        let value: u64 = number
            .parse()
            .map_err(|_| format!("{text:?} has a unit without a number; {hint}"))?;
        total = value
            .checked_mul(unit)
            .and_then(|seconds| total.checked_add(seconds))
            .ok_or_else(|| format!("{text:?} is too long"))?;
        number.clear();
    }
    if !number.is_empty() {
        return Err(format!("{text:?} ends without a unit; {hint}"));
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::parse;
    use std::time::Duration;

    #[test]
    fn parses_compound_durations() {
        assert_eq!(parse("6h"), Ok(Duration::from_secs(6 * 3600)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("2d"), Ok(Duration::from_secs(172_800)));
    }

    #[test]
    fn rejects_malformed_durations() {
        assert!(parse("6").unwrap_err().contains("ends without a unit"));
        assert!(parse("6x").unwrap_err().contains("unknown unit 'x'"));
        assert!(parse("h").unwrap_err().contains("without a number"));
        assert!(parse("").unwrap_err().contains("empty"));
    }
}
