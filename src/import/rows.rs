//! One CSV record as a row: fields read by column name, each fault pushed as
//! `(column, problem)` so the import can list every problem of a line at once.

use chrono::{DateTime, Timelike, Utc};

use crate::domain::{Inquiry, InquiryStatus, SurveyKind, SurveyResponse};

/// Which of the two files.
#[derive(Debug, Clone, Copy)]
pub(super) enum FileKind {
    /// `--inquiries`.
    Inquiries,
    /// `--surveys`.
    Surveys,
}

impl FileKind {
    /// The columns a file of this kind has, in pulso's order.
    pub(super) fn columns(self) -> &'static [&'static str] {
        match self {
            FileKind::Inquiries => &super::INQUIRY_COLUMNS,
            FileKind::Surveys => &super::SURVEY_COLUMNS,
        }
    }

    /// How a record of this kind is parsed.
    pub(super) fn parser(self) -> RowParser {
        match self {
            FileKind::Inquiries => parse_inquiry,
            FileKind::Surveys => parse_survey,
        }
    }
}

/// A parsed row of either file.
pub(super) enum Row {
    /// From an inquiries file.
    Inquiry(Inquiry),
    /// From a survey answers file.
    Survey(SurveyResponse),
}

/// Parses one record given as `column → field`; pushes `(column, problem)` for each fault.
pub(super) type RowParser = fn(&Fields<'_>, &mut Vec<(String, String)>) -> Option<Row>;

/// One record, read by column name.
pub(super) struct Fields<'a> {
    /// The record as read.
    pub(super) record: &'a csv::StringRecord,
    /// For each of `columns`, its position in the file's header.
    pub(super) order: &'a [usize],
    /// The columns the file type defines, in pulso's order.
    pub(super) columns: &'a [&'a str],
}

impl Fields<'_> {
    /// The trimmed field of `column`; empty when the file lacks it.
    pub(super) fn get(&self, column: &str) -> &str {
        self.columns
            .iter()
            .position(|name| *name == column)
            .and_then(|index| self.record.get(self.order[index]))
            .map(str::trim)
            .unwrap_or_default()
    }

    fn optional(&self, column: &str) -> Option<String> {
        Some(self.get(column))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }

    fn required(&self, column: &str, faults: &mut Vec<(String, String)>) -> Option<String> {
        let value = self.optional(column);
        if value.is_none() {
            faults.push((column.into(), "required, but empty".into()));
        }
        value
    }

    fn parsed<T: std::str::FromStr<Err = String>>(
        &self,
        column: &str,
        faults: &mut Vec<(String, String)>,
    ) -> Option<T> {
        let value = self.required(column, faults)?;
        value
            .parse()
            .map_err(|problem| faults.push((column.into(), problem)))
            .ok()
    }

    fn instant(
        &self,
        column: &str,
        faults: &mut Vec<(String, String)>,
    ) -> Option<Option<DateTime<Utc>>> {
        let Some(value) = self.optional(column) else {
            return Some(None);
        };
        match DateTime::parse_from_rfc3339(&value) {
            Ok(at) => Some(at.with_timezone(&Utc).with_nanosecond(0)),
            Err(error) => {
                faults.push((
                    column.into(),
                    format!("{value:?} is not an RFC 3339 instant ({error}); write e.g. 2026-03-01T14:05:00Z"),
                ));
                None
            }
        }
    }
}

/// An inquiry row, checked field by field and then for consistency (status vs instants).
pub(super) fn parse_inquiry(
    fields: &Fields<'_>,
    faults: &mut Vec<(String, String)>,
) -> Option<Row> {
    let id = fields.required("id", faults);
    let workspace = fields.required("workspace", faults);
    let channel = fields.required("channel", faults);
    let origin = fields.required("origin", faults);
    let status = fields.parsed::<InquiryStatus>("status", faults);
    let requested_at = match fields.instant("requested_at", faults) {
        Some(None) => {
            faults.push(("requested_at".into(), "required, but empty".into()));
            None
        }
        other => other.flatten(),
    };
    let attended_at = fields.instant("attended_at", faults);
    let resolved_at = fields.instant("resolved_at", faults);
    let expired_at = fields.instant("expired_at", faults);
    let inquiry = Inquiry {
        workspace: workspace?,
        id: id?,
        channel: channel?,
        origin: origin?,
        status: status?,
        operator_id: fields.optional("operator_id"),
        requested_at: requested_at?,
        attended_at: attended_at?,
        resolved_at: resolved_at?,
        expired_at: expired_at?,
    };
    let before = faults.len();
    faults.extend(
        inquiry
            .consistency_problems()
            .into_iter()
            .map(|(column, problem)| (column.to_string(), problem)),
    );
    (faults.len() == before).then_some(Row::Inquiry(inquiry))
}

/// A survey answer row; its score must lie in its kind's range (NPS 0–10, CSAT 1–5).
pub(super) fn parse_survey(fields: &Fields<'_>, faults: &mut Vec<(String, String)>) -> Option<Row> {
    let id = fields.required("id", faults);
    let workspace = fields.required("workspace", faults);
    let kind = fields.parsed::<SurveyKind>("kind", faults);
    let score = fields.required("score", faults).and_then(|value| {
        value
            .parse::<i16>()
            .map_err(|_| faults.push(("score".into(), format!("{value:?} is not a whole number"))))
            .ok()
    });
    let answered_at = match fields.instant("answered_at", faults) {
        Some(None) => {
            faults.push(("answered_at".into(), "required, but empty".into()));
            None
        }
        other => other.flatten(),
    };
    let (kind, score) = (kind?, score?);
    let range = kind.score_range();
    if !range.contains(&score) {
        faults.push((
            "score".into(),
            format!(
                "{score} is out of range for {} (use {} to {})",
                kind.as_str(),
                range.start(),
                range.end()
            ),
        ));
        return None;
    }
    Some(Row::Survey(SurveyResponse {
        workspace: workspace?,
        id: id?,
        inquiry_id: fields.optional("inquiry_id"),
        kind,
        score,
        answered_at: answered_at?,
    }))
}
