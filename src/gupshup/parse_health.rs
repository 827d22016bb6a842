//! Gupshup's health bodies (app health, waba/info, ratings, templates) read leniently into
//! the domain records: unknown keys are ignored, missing optional fields are `None`, enums
//! keep Gupshup's word (upper-cased). Only what a record cannot do without is required,
//! and its absence is named in the error.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::GupshupError;
use super::parse::{detail, error_status, json};
use crate::domain::{AccountStatus, AppHealth, Quality, Ratings, Template, Tier};

/// `eventTime` values under this are epoch seconds, not milliseconds (10^11 ms is 1973,
/// 10^11 s is year 5138).
const SECONDS_BELOW: f64 = 1e11;

/// The 400 messages of the health endpoint that say the app itself cannot serve (the
/// chatbot is down), compared lower-case without the final dot.
const NOT_LIVE: &[&str] = &[
    "app is not live",
    "waba id not found",
    "waba id is invalid",
    "error while getting waba info",
];

/// The health endpoint's word for a refused token, sent as a 400.
const AUTH_FAILED: &str = "authentication failed";

/// Reads `{"status":"success","healthy":"true"}`; `healthy` may be a string or a boolean.
///
/// # Errors
/// A description of what is missing or wrong.
pub fn parse_app_health(body: &str) -> Result<AppHealth, String> {
    let json = object(body)?;
    let healthy = match &json["healthy"] {
        Value::Bool(healthy) => *healthy,
        Value::String(text) if text.trim().eq_ignore_ascii_case("true") => true,
        Value::String(text) if text.trim().eq_ignore_ascii_case("false") => false,
        Value::Null => return Err(missing("healthy", body)),
        other => return Err(format!("\"healthy\" is neither true nor false: {other}")),
    };
    Ok(AppHealth {
        healthy,
        reason: None,
    })
}

/// What a refusal of the health endpoint means: a 400 "App is not live." (or another of
/// Gupshup's 400s about the app or its WABA) is an answer, the app is not healthy, with
/// Gupshup's words as the reason; a 400 "Authentication Failed" is a refused token
/// ([`GupshupError::Auth`]); anything else stays the error it was.
///
/// # Errors
/// `error`, or [`GupshupError::Auth`] for "Authentication Failed".
pub fn health_refusal(error: GupshupError) -> Result<AppHealth, GupshupError> {
    let GupshupError::Rejected {
        status: 400,
        detail,
    } = &error
    else {
        return Err(error);
    };
    let words = detail.trim().trim_end_matches('.').to_ascii_lowercase();
    if words == AUTH_FAILED {
        return Err(GupshupError::Auth {
            status: 400,
            detail: detail.clone(),
        });
    }
    if NOT_LIVE.iter().any(|prefix| words.starts_with(prefix)) {
        return Ok(AppHealth {
            healthy: false,
            reason: Some(detail.trim().to_string()),
        });
    }
    Err(error)
}

/// Reads `{"status":"success","wabaInfo":{…}}`: enums upper-cased; `reasons` are each
/// `errors[]` description (with " — " and its possible solution) then each
/// `additionalInfo` line.
///
/// # Errors
/// A description of what is missing or wrong.
pub fn parse_account(body: &str) -> Result<AccountStatus, String> {
    let json = object(body)?;
    let info = &json["wabaInfo"];
    if !info.is_object() {
        return Err(missing("wabaInfo", body));
    }
    let mut reasons = Vec::new();
    for error in list(info, "errors") {
        let description = text(&error["error_description"])
            .or_else(|| text(&error["error_code"]).map(|code| format!("error {code}")));
        let Some(description) = description else {
            continue;
        };
        reasons.push(match text(&error["possible_solution"]) {
            Some(solution) => format!("{description} — {solution}"),
            None => description,
        });
    }
    reasons.extend(list(info, "additionalInfo").iter().filter_map(text));
    Ok(AccountStatus {
        account_status: upper(&info["accountStatus"]),
        docker_status: upper(&info["dockerStatus"]),
        can_send: upper(&info["canSendMessage"]),
        messaging_limit: upper(&info["messagingLimit"]),
        phone_quality: upper(&info["phoneQuality"]),
        phone: text(&info["phone"]),
        verified_name: text(&info["verifiedName"]),
        reasons,
    })
}

/// Reads the ratings answer: `None` for "no event update available" (nothing changed
/// since the last event), else the event with its limits and the phone's quality.
/// `eventTime` is epoch milliseconds (seconds accepted when under 10^11).
///
/// # Errors
/// A description of what is missing or wrong.
pub fn parse_ratings(body: &str) -> Result<Option<Ratings>, String> {
    let json = object(body)?;
    const KEYS: [&str; 5] = [
        "phoneQuality",
        "currentLimit",
        "oldLimit",
        "event",
        "eventTime",
    ];
    if KEYS.iter().all(|key| json[key].is_null()) {
        let message = text(&json["message"]).unwrap_or_default();
        if message.to_ascii_lowercase().contains("no event") {
            return Ok(None);
        }
        return Err(format!(
            "the ratings answer has none of {}: {}",
            KEYS.join(", "),
            detail(body).unwrap_or_default()
        ));
    }
    let tier = |key: &str| text(&json[key]).map(Tier);
    Ok(Some(Ratings {
        quality: text(&json["phoneQuality"]).map(|word| Quality::parse(&word)),
        current_limit: tier("currentLimit"),
        old_limit: tier("oldLimit"),
        event: upper(&json["event"]),
        event_time: epoch(&json["eventTime"]),
    }))
}

/// Reads `{"status":"success","templates":[…]}` (partner and self-serve lists alike):
/// `status` upper-cased, `quality` GREEN/YELLOW/RED or HIGH/MEDIUM/LOW, `containerMeta`
/// and every other key ignored. A template's name is its `elementName`, else its id.
///
/// # Errors
/// A description of what is missing or wrong: no `templates` array, a template without
/// an id and a name, or without a status.
pub fn parse_templates(body: &str) -> Result<Vec<Template>, String> {
    let json = object(body)?;
    let Some(items) = json["templates"].as_array() else {
        return Err(missing("templates", body));
    };
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let id = text(&item["id"]);
            let name = text(&item["elementName"]);
            let (id, name) = match (id, name) {
                (Some(id), Some(name)) => (id, name),
                (Some(id), None) => (id.clone(), id),
                (None, Some(name)) => (name.clone(), name),
                (None, None) => {
                    return Err(format!(
                        "templates[{index}] has neither \"id\" nor \"elementName\""
                    ));
                }
            };
            let status = upper(&item["status"])
                .ok_or_else(|| format!("templates[{index}] ({name}) has no \"status\""))?;
            Ok(Template {
                id,
                name,
                language: text(&item["languageCode"]),
                category: upper(&item["category"]),
                status,
                quality: text(&item["quality"]).map(|word| Quality::parse(&word)),
                reason: text(&item["reason"]),
            })
        })
        .collect()
}

/// A JSON object that is not `{"status":"error",…}` (indexing it with a missing key gives
/// `null`).
fn object(body: &str) -> Result<Value, String> {
    let json = json(body)?;
    if let Some(error) = error_status(&json) {
        return Err(error);
    }
    if !json.is_object() {
        return Err(format!(
            "not a JSON object: {}",
            detail(body).unwrap_or_default()
        ));
    }
    Ok(json)
}

fn missing(key: &str, body: &str) -> String {
    format!("no \"{key}\" in {}", detail(body).unwrap_or_default())
}

/// The array at `key`, or nothing (missing or not an array).
fn list<'a>(object: &'a Value, key: &str) -> &'a [Value] {
    object[key].as_array().map_or(&[], Vec::as_slice)
}

/// A non-empty string (trimmed), or a number written out.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_string()).filter(|text| !text.is_empty()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn upper(value: &Value) -> Option<String> {
    text(value).map(|text| text.to_ascii_uppercase())
}

/// Epoch milliseconds (or seconds, when small) as a number or a numeric string.
fn epoch(value: &Value) -> Option<DateTime<Utc>> {
    let number = match value {
        Value::Number(number) => number.as_f64()?,
        Value::String(text) => text.trim().parse().ok()?,
        _ => return None,
    };
    if !number.is_finite() {
        return None;
    }
    let millis = if number.abs() < SECONDS_BELOW {
        number * 1000.0
    } else {
        number
    };
    DateTime::from_timestamp_millis(millis as i64)
}

#[cfg(test)]
#[path = "parse_health_tests.rs"]
mod tests;
