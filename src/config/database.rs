//! The database URL: which backend, and where, without ever printing a password.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// The two supported backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file: the zero-setup default, one process at a time.
    Sqlite,
    /// PostgreSQL: production, several replicas on one server.
    Postgres,
}

/// How pulso uses day aggregates (`[database]` keys of the same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggregatePolicy {
    /// `false` reads every window live (exact percentiles, slow on long windows).
    pub enabled: bool,
    /// External sources only: days that ended less than this many days ago are read live.
    pub external_settle_days: u32,
    /// External sources only: an aggregate older than this is rebuilt.
    pub external_max_age_hours: u32,
}

impl AggregatePolicy {
    /// Aggregates on; for external sources a 2-day settle time and a 24-hour maximum age.
    pub const DEFAULT: AggregatePolicy = AggregatePolicy {
        enabled: true,
        external_settle_days: 2,
        external_max_age_hours: 24,
    };
}

impl Default for AggregatePolicy {
    fn default() -> Self {
        AggregatePolicy::DEFAULT
    }
}

/// A database URL known to name a supported backend.
///
/// The full URL is a secret (it may hold a password); `Display` shows it with the
/// password replaced by `***`.
#[derive(Clone)]
pub struct DatabaseUrl {
    backend: Backend,
    url: SecretString,
    redacted: String,
}

impl DatabaseUrl {
    /// Parses `url`. A password is only accepted when the URL comes from the environment
    /// (`from_env`), because secrets never live in config files.
    ///
    /// # Errors
    /// A one-line description of the problem and its fix.
    pub fn parse(url: &str, from_env: bool) -> Result<DatabaseUrl, String> {
        let url = url.trim();
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let (path, query) = path.split_once('?').unwrap_or((path, ""));
            if path.is_empty() {
                return Err(
                    "the sqlite URL has no file path (e.g. \"sqlite://data/pulso.db\")".into(),
                );
            }
            // The schedule claims, the outbox and the alert states must survive a restart,
            // and the bulk writer opens the file on a connection of its own.
            if path == ":memory:" || query.split('&').any(|pair| pair == "mode=memory") {
                return Err(
                    "an in-memory SQLite database would lose pulso's state on restart: name a file (e.g. \"sqlite://data/pulso.db\")".into(),
                );
            }
            return Ok(DatabaseUrl {
                backend: Backend::Sqlite,
                url: SecretString::from(url.to_string()),
                redacted: url.to_string(),
            });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut parsed = url::Url::parse(url)
                .map_err(|error| format!("not a valid PostgreSQL URL: {error}"))?;
            // The driver also takes a password as `?password=…`.
            let query_password = parsed.query_pairs().any(|(key, _)| key == "password");
            if parsed.password().is_some() || query_password {
                if !from_env {
                    return Err(format!(
                        "contains a password; secrets never live in config files: remove it and set {} instead",
                        super::DATABASE_URL_ENV
                    ));
                }
                if parsed.password().is_some() {
                    // Cannot fail for a URL that already has a password.
                    let _ = parsed.set_password(Some("***"));
                }
                if query_password {
                    let pairs: Vec<(String, String)> = parsed
                        .query_pairs()
                        .map(|(key, value)| {
                            let value = if key == "password" {
                                "***".into()
                            } else {
                                value.into_owned()
                            };
                            (key.into_owned(), value)
                        })
                        .collect();
                    parsed.query_pairs_mut().clear().extend_pairs(pairs);
                }
            }
            return Ok(DatabaseUrl {
                backend: Backend::Postgres,
                url: SecretString::from(url.to_string()),
                redacted: parsed.to_string(),
            });
        }
        let scheme = url.split(':').next().unwrap_or_default();
        Err(format!(
            "unsupported scheme {scheme:?} (use \"sqlite://FILE\" or \"postgres://USER@HOST/DB\")"
        ))
    }

    /// Which backend the URL names.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The full URL, for the one place that connects.
    pub fn expose(&self) -> &str {
        self.url.expose_secret()
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted)
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted)
    }
}

/// Masks what looks like a password in free text: the `pass` of `scheme://user:pass@host`
/// and the value of `password=`. Used on parser messages that quote the config file.
pub fn redact_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '/'))
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match (authority.rfind('@'), authority.find(':')) {
            (Some(at_sign), Some(colon)) if colon < at_sign => {
                out.push_str(&authority[..=colon]);
                out.push_str("***");
                out.push_str(&authority[at_sign..]);
            }
            _ => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    let mut masked = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("password=") {
        let (head, tail) = rest.split_at(at + "password=".len());
        masked.push_str(head);
        masked.push_str("***");
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | '"' | '\''))
            .unwrap_or(tail.len());
        rest = &tail[end..];
    }
    masked.push_str(rest);
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_quoted_config_lines_are_masked() {
        let text = "3 | url = postgres://pulso:hunter2@db/pulso?password=s3cret&x=1";
        let masked = redact_passwords(text);
        assert_eq!(
            masked,
            "3 | url = postgres://pulso:***@db/pulso?password=***&x=1"
        );
        assert_eq!(
            redact_passwords("sqlite://data/pulso.db"),
            "sqlite://data/pulso.db"
        );
    }

    #[test]
    fn password_is_redacted_and_refused_in_files() {
        let url = "postgres://pulso:hunter2@db.internal/pulso";
        let from_env = DatabaseUrl::parse(url, true).unwrap();
        assert_eq!(
            from_env.to_string(),
            "postgres://pulso:***@db.internal/pulso"
        );
        assert!(!format!("{from_env:?}").contains("hunter2"));
        let error = DatabaseUrl::parse(url, false).unwrap_err();
        assert!(error.contains("PULSO_DATABASE_URL"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn in_memory_sqlite_is_refused() {
        for url in [
            "sqlite::memory:",
            "sqlite://:memory:",
            "sqlite://x.db?mode=memory",
        ] {
            let error = DatabaseUrl::parse(url, false).unwrap_err();
            assert!(error.contains("in-memory"), "{url}: {error}");
        }
        assert!(DatabaseUrl::parse("sqlite://x.db?mode=rwc", false).is_ok());
    }

    #[test]
    fn unknown_scheme_is_named() {
        let error = DatabaseUrl::parse("mysql://x/y", false).unwrap_err();
        assert!(error.contains("\"mysql\""), "{error}");
    }
}
