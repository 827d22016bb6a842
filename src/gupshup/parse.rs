//! The two success shapes and the error envelope, read leniently.

use serde_json::Value;

/// The longest piece of a Gupshup body quoted in an error.
const DETAIL_CHARS: usize = 160;

/// Reads `{"balance": 41.938, "status": "success"}` (self-serve). Returns the amount and
/// `USD`: the endpoint has no currency field and its credits are USD.
///
/// # Errors
/// A description of what is missing or wrong.
pub fn parse_self_serve_balance(body: &str) -> Result<(f64, String), String> {
    let json = json(body)?;
    if let Some(error) = error_status(&json) {
        return Err(error);
    }
    let amount = number(&json["balance"]).ok_or_else(|| {
        format!(
            "no numeric \"balance\" in {}",
            detail(body).unwrap_or_default()
        )
    })?;
    Ok((amount, super::USD.to_string()))
}

/// Reads `{"status": "success", "walletResponse": {"currency": "USD", "currentBalance": -1.787,
/// "overDraftLimit": -20.0}}` (partner; `status` may be absent).
///
/// # Errors
/// A description of what is missing or wrong.
pub fn parse_partner_balance(body: &str) -> Result<(f64, String), String> {
    let json = json(body)?;
    if let Some(error) = error_status(&json) {
        return Err(error);
    }
    let wallet = &json["walletResponse"];
    if !wallet.is_object() {
        return Err(format!(
            "no \"walletResponse\" object in {}",
            detail(body).unwrap_or_default()
        ));
    }
    let amount = number(&wallet["currentBalance"])
        .ok_or_else(|| "no numeric \"walletResponse.currentBalance\"".to_string())?;
    let currency = match &wallet["currency"] {
        Value::String(code) if !code.trim().is_empty() => code.trim().to_ascii_uppercase(),
        Value::Null => super::USD.to_string(),
        other => {
            return Err(format!(
                "\"walletResponse.currency\" is not a code: {other}"
            ));
        }
    };
    Ok((amount, currency))
}

/// The partner login's `token`, or the app-token endpoint's `token.token`.
pub fn token(body: &str) -> Option<String> {
    let json: Value = serde_json::from_str(body).ok()?;
    match &json["token"] {
        Value::String(token) => Some(token.clone()),
        Value::Object(inner) => inner.get("token")?.as_str().map(str::to_string),
        _ => None,
    }
    .filter(|token| !token.is_empty())
}

/// Gupshup's own message from an error body: `message`, `data`, or the text itself.
pub fn detail(body: &str) -> Option<String> {
    let text = body.trim();
    if text.is_empty() {
        return None;
    }
    let message = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|json| {
            ["message", "data"]
                .iter()
                .find_map(|key| json[key].as_str().map(str::to_string))
        })
        .unwrap_or_else(|| text.to_string());
    Some(crate::chars::truncate(&message, DETAIL_CHARS))
}

pub(super) fn json(body: &str) -> Result<Value, String> {
    serde_json::from_str(body).map_err(|error| {
        format!(
            "not JSON ({error}): {}",
            detail(body).unwrap_or_else(|| "empty body".into())
        )
    })
}

/// `{"status": "error", "message": …}` inside a 2xx answer.
pub(super) fn error_status(json: &Value) -> Option<String> {
    (json["status"].as_str() == Some("error")).then(|| {
        json["message"]
            .as_str()
            .unwrap_or("status \"error\" without a message")
            .to_string()
    })
}

/// A JSON number, or a numeric string, as f64.
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_parse_with_or_without_status() {
        assert_eq!(
            parse_self_serve_balance(r#"{"balance":41.938,"status":"success"}"#),
            Ok((41.938, "USD".into()))
        );
        assert_eq!(
            parse_self_serve_balance(r#"{"balance":12}"#),
            Ok((12.0, "USD".into()))
        );
        assert_eq!(
            parse_partner_balance(
                r#"{"status":"success","walletResponse":{"currency":"USD","currentBalance":-1.787,"overDraftLimit":-20.0}}"#
            ),
            Ok((-1.787, "USD".into()))
        );
        assert_eq!(
            parse_partner_balance(
                r#"{"walletResponse":{"currency":"INR","currentBalance":120,"overDraftLimit":0}}"#
            ),
            Ok((120.0, "INR".into()))
        );
    }

    #[test]
    fn bad_bodies_say_what_is_wrong() {
        assert!(
            parse_self_serve_balance("Portal User Not Found With APIKey")
                .unwrap_err()
                .contains("Portal User Not Found")
        );
        assert!(
            parse_partner_balance(r#"{"status":"success"}"#)
                .unwrap_err()
                .contains("walletResponse")
        );
        assert_eq!(
            parse_self_serve_balance(r#"{"status":"error","message":"Invalid App Details"}"#),
            Err("Invalid App Details".into())
        );
        assert_eq!(
            token(r#"{"token":{"token":"xyz456"}}"#),
            Some("xyz456".into())
        );
        assert_eq!(
            token(r#"{"token":"abc","enableWallet":true}"#),
            Some("abc".into())
        );
        assert_eq!(
            detail(r#"{"message":"Invalid request"}"#),
            Some("Invalid request".into())
        );
    }
}
