//! `[discord]`, `[http]` and the per-workspace Discord keys, validated.

use std::fmt;
use std::net::SocketAddr;

use secrecy::SecretString;
use url::Url;

use super::raw::{RawDiscord, RawHttp, RawLinks};

/// Environment variable with the bot token.
pub const DISCORD_TOKEN_ENV: &str = "PULSO_DISCORD_TOKEN";

/// How slash commands reach pulso.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Commands typed on stdin, answers on stdout: no Discord account needed.
    Console,
    /// A serenity gateway client: one process per bot.
    Gateway,
    /// Discord's Interactions Endpoint URL: stateless, any number of replicas.
    Http,
}

impl Transport {
    fn parse(value: &str) -> Result<Transport, String> {
        match value {
            "console" => Ok(Transport::Console),
            "gateway" => Ok(Transport::Gateway),
            "http" => Ok(Transport::Http),
            other => Err(format!(
                "unknown transport {other:?} (use \"console\", \"gateway\" or \"http\")"
            )),
        }
    }
}

/// Validated `[discord]` settings.
#[derive(Clone)]
pub struct DiscordSettings {
    /// Where commands come from.
    pub transport: Transport,
    /// The application id; needed for deferred replies and command registration.
    pub application_id: Option<u64>,
    /// The application's public key, for verifying interaction signatures.
    pub public_key: Option<[u8; 32]>,
    /// Send REST calls here instead of <https://discord.com> (no path).
    pub api_base: Option<String>,
    /// The bot token, from `PULSO_DISCORD_TOKEN`.
    pub token: Option<SecretString>,
}

impl fmt::Debug for DiscordSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DiscordSettings")
            .field("transport", &self.transport)
            .field("application_id", &self.application_id)
            .field("public_key", &self.public_key.map(hex::encode))
            .field("api_base", &self.api_base)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// Validated `[http]` settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpSettings {
    /// Address the HTTP server binds.
    pub listen: SocketAddr,
}

/// "View details" targets in the Customer Service module; resolved inquiries have none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// Pending inquiries section.
    pub pending: Option<Url>,
    /// In-progress inquiries section.
    pub in_progress: Option<Url>,
    /// Expired inquiries section.
    pub expired: Option<Url>,
    /// One inquiry's page (low_survey messages link each answer's inquiry).
    pub inquiry: Option<InquiryLink>,
}

/// `links.inquiry`: a URL template whose `{id}` is replaced by an inquiry's id, e.g.
/// `https://cs.example.com/inquiries/{id}`. Checked when the file is read, so a message
/// never carries a broken link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InquiryLink(String);

impl InquiryLink {
    /// Checks `template`: it holds `{id}` and, with an id put in, is an http(s) URL.
    ///
    /// # Errors
    /// What is wrong, with an example of the accepted form.
    pub fn parse(template: &str) -> Result<InquiryLink, String> {
        let example = "e.g. \"https://cs.example.com/inquiries/{id}\"";
        if !template.contains("{id}") {
            return Err(format!(
                "{template:?} has no {{id}} where the inquiry id goes; {example}"
            ));
        }
        match Url::parse(&template.replace("{id}", "0")) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
                Ok(InquiryLink(template.to_string()))
            }
            _ => Err(format!("{template:?} is not an http(s) URL; {example}")),
        }
    }

    /// The page of inquiry `id`; the id is percent-encoded, so any id stays one path
    /// segment or query value.
    pub fn for_id(&self, id: &str) -> String {
        let mut encoded = String::with_capacity(id.len());
        for byte in id.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                encoded.push(char::from(byte));
            } else {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
        self.0.replace("{id}", &encoded)
    }
}

/// Parses `[discord]`; `token` is the value of `PULSO_DISCORD_TOKEN`.
pub fn discord_settings(
    raw: &RawDiscord,
    token: Option<String>,
    problems: &mut Vec<String>,
) -> DiscordSettings {
    let transport = match raw.transport.as_deref().map(Transport::parse) {
        None => Transport::Console,
        Some(Ok(transport)) => transport,
        Some(Err(problem)) => {
            problems.push(format!("discord.transport: {problem}"));
            Transport::Console
        }
    };
    let application_id = raw
        .application_id
        .as_ref()
        .and_then(|value| snowflake(value, "discord.application_id", problems));
    let public_key = raw.public_key.as_deref().and_then(|key| {
        let decoded = hex::decode(key.trim())
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok());
        if decoded.is_none() {
            problems.push(
                "discord.public_key: not a 64-digit hex key (copy \"Public Key\" from the application's General Information page)"
                    .to_string(),
            );
        }
        decoded
    });
    let api_base = raw.api_base.as_deref().and_then(|base| match Url::parse(base) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.path() == "/" => {
            Some(base.trim_end_matches('/').to_string())
        }
        _ => {
            problems.push(format!(
                "discord.api_base: {base:?} is not a base URL (use scheme://host[:port] with no path, e.g. \"http://127.0.0.1:3000\")"
            ));
            None
        }
    });
    let token = token.filter(|token| !token.trim().is_empty());
    match transport {
        Transport::Gateway if token.is_none() => problems.push(format!(
            "discord.transport: \"gateway\" needs the bot token in {DISCORD_TOKEN_ENV}"
        )),
        Transport::Http => {
            if application_id.is_none() && raw.application_id.is_none() {
                problems.push(
                    "discord.application_id: required for transport \"http\" (the application's id)".to_string(),
                );
            }
            if raw.public_key.is_none() {
                problems.push(
                    "discord.public_key: required for transport \"http\" (to verify interaction signatures)".to_string(),
                );
            }
        }
        _ => {}
    }
    DiscordSettings {
        transport,
        application_id,
        public_key,
        api_base,
        token: token.map(SecretString::from),
    }
}

/// Parses `[http]`.
pub fn http_settings(
    raw: &RawHttp,
    env_listen: Option<String>,
    problems: &mut Vec<String>,
) -> HttpSettings {
    let default = SocketAddr::from(([127, 0, 0, 1], 8787));
    let (listen, key) = match (env_listen, raw.listen.as_deref()) {
        (Some(listen), _) => (Some(listen), HTTP_LISTEN_ENV),
        (None, listen) => (listen.map(str::to_string), "http.listen"),
    };
    let listen = match listen {
        None => default,
        Some(listen) => listen.trim().parse().unwrap_or_else(|_| {
            problems.push(format!(
                "{key}: {listen:?} is not a socket address (e.g. \"0.0.0.0:8787\")"
            ));
            default
        }),
    };
    HttpSettings { listen }
}

/// Overrides `[http] listen`, so a container can listen on `0.0.0.0:8787` without editing
/// the configuration baked into its image.
pub const HTTP_LISTEN_ENV: &str = "PULSO_HTTP_LISTEN";

/// Parses a workspace's `links` table.
pub fn links(raw: &RawLinks, key: &str, problems: &mut Vec<String>) -> Links {
    let mut url = |field: &str, value: &Option<String>| {
        value.as_deref().and_then(|value| match Url::parse(value) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url),
            _ => {
                problems.push(format!(
                    "{key}.links.{field}: {value:?} is not an http(s) URL"
                ));
                None
            }
        })
    };
    Links {
        pending: url("pending", &raw.pending),
        in_progress: url("in_progress", &raw.in_progress),
        expired: url("expired", &raw.expired),
        inquiry: raw.inquiry.as_deref().and_then(|template| {
            InquiryLink::parse(template)
                .map_err(|problem| problems.push(format!("{key}.links.inquiry: {problem}")))
                .ok()
        }),
    }
}

/// A Discord id, written as a TOML integer or a string of digits.
pub fn snowflake(value: &toml::Value, key: &str, problems: &mut Vec<String>) -> Option<u64> {
    let parsed = match value {
        toml::Value::Integer(id) => u64::try_from(*id).ok(),
        toml::Value::String(id) => id.trim().parse::<u64>().ok(),
        _ => None,
    };
    match parsed {
        Some(id) if id > 0 => Some(id),
        _ => {
            problems.push(format!(
                "{key}: {value} is not a Discord id (copy it with Developer Mode on, e.g. \"123456789012345678\")"
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inquiry_links_need_an_id_and_http() {
        let link = InquiryLink::parse("https://cs.example.com/i/{id}?tab=survey").unwrap();
        assert_eq!(
            link.for_id("c 17/ñ"),
            "https://cs.example.com/i/c%2017%2F%C3%B1?tab=survey"
        );
        for bad in [
            "https://cs.example.com/i/",
            "ftp://cs.example.com/{id}",
            "cs.example.com/{id}",
        ] {
            assert!(InquiryLink::parse(bad).is_err(), "{bad}");
        }
        assert!(
            InquiryLink::parse("https://cs.example.com/i")
                .unwrap_err()
                .contains("has no {id}")
        );
    }
}
