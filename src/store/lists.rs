//! Lists of seconds read as one text value (`group_concat` / `string_agg`) instead of one row
//! per inquiry: sqlx's SQLite driver hands every row across threads on its own, so a busy
//! day read row by row cost milliseconds.

/// Seconds from a comma-separated list (`group_concat` / `string_agg`; NULL: none).
pub(super) fn parse_seconds_list(list: Option<&str>) -> Result<Vec<i64>, sqlx::Error> {
    parse_fields::<1>(list)?
        .into_iter()
        .map(|[seconds]| required(seconds))
        .collect()
}

/// `(resolution, attention + resolution)` seconds from `resolution:total` items, the
/// resolution empty when unknown.
pub(super) fn parse_resolved_list(
    list: Option<&str>,
) -> Result<Vec<(Option<i64>, i64)>, sqlx::Error> {
    parse_fields::<2>(list)?
        .into_iter()
        .map(|[resolution, total]| Ok((resolution, required(total)?)))
        .collect()
}

fn parse_seconds(text: &str) -> Result<i64, sqlx::Error> {
    text.trim()
        .parse()
        .map_err(|_| list_error(format!("{text:?} is not a whole number of seconds")))
}

fn list_error(problem: String) -> sqlx::Error {
    sqlx::Error::Decode(problem.into())
}

/// Items of up to `N` `:`-separated fields each (an empty field is `None`, a missing
/// trailing one too), from a comma-separated list.
pub(super) fn parse_fields<const N: usize>(
    list: Option<&str>,
) -> Result<Vec<[Option<i64>; N]>, sqlx::Error> {
    list.into_iter()
        .flat_map(|list| list.split(','))
        .map(|item| {
            let mut fields = [None; N];
            for (index, field) in item.split(':').enumerate() {
                let slot = fields
                    .get_mut(index)
                    .ok_or_else(|| list_error(format!("more than {N} fields in {item:?}")))?;
                *slot = (!field.is_empty())
                    .then(|| parse_seconds(field))
                    .transpose()?;
            }
            Ok(fields)
        })
        .collect()
}

/// The field that must be there, e.g. the instant of a timed item.
pub(super) fn required(field: Option<i64>) -> Result<i64, sqlx::Error> {
    field.ok_or_else(|| list_error("an item lacks a required field".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parse_and_bad_items_are_named() {
        assert_eq!(parse_seconds_list(None).unwrap(), Vec::<i64>::new());
        assert_eq!(
            parse_seconds_list(Some("5,-3,86400")).unwrap(),
            [5, -3, 86_400]
        );
        assert_eq!(
            parse_resolved_list(Some("60:300,:90")).unwrap(),
            [(Some(60), 300), (None, 90)]
        );
        let error = parse_seconds_list(Some("5,x")).unwrap_err().to_string();
        assert!(error.contains("\"x\" is not a whole number"), "{error}");
        assert!(parse_resolved_list(Some("60")).is_err());
        assert!(parse_resolved_list(Some("60:")).is_err());
        assert_eq!(
            parse_fields::<3>(Some("100:5:9,101::7,102")).unwrap(),
            [
                [Some(100), Some(5), Some(9)],
                [Some(101), None, Some(7)],
                [Some(102), None, None]
            ]
        );
        assert!(parse_fields::<2>(Some("1:2:3")).is_err());
        assert!(required(None).is_err());
    }
}
