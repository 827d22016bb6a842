//! The configuration file and `PULSO_DATABASE_URL`: the embedded default, every problem
//! reported at once with its key path, and database passwords refused in files and never
//! shown.

use std::path::PathBuf;

use pulso::config::{Backend, Config, ConfigError, ConfigSource, EMBEDDED_DEFAULT, Locale};

/// Where the files parsed here claim to come from.
fn source() -> ConfigSource {
    ConfigSource::File(PathBuf::from("/etc/pulso/pulso.toml"))
}

/// A good `[[workspaces]]` entry.
const WORKSPACE: &str = r#"
[[workspaces]]
id = "ventas"
name = "Ventas"
timezone = "America/Mexico_City"
locale = "es"
"#;

/// A file with `[database] url = database_url`, one good workspace, and `extra`.
fn file(database_url: &str, extra: &str) -> String {
    format!("[database]\nurl = {database_url:?}\n{WORKSPACE}{extra}")
}

/// Parses `text` expecting [`ConfigError::Invalid`] from [`source`]; returns the problems.
fn problems(text: &str, env_database_url: Option<&str>) -> Vec<String> {
    match Config::parse(text, source(), env_database_url.map(str::to_string)) {
        Err(ConfigError::Invalid {
            source_name,
            problems,
        }) => {
            assert_eq!(source_name, source());
            problems
        }
        other => panic!("expected ConfigError::Invalid, got {other:?}"),
    }
}

/// Parses `text` expecting [`ConfigError::Syntax`]; returns the parser's message.
fn syntax_error(text: &str) -> String {
    match Config::parse(text, source(), None) {
        Err(ConfigError::Syntax {
            source_name,
            message,
        }) => {
            assert_eq!(source_name, source());
            message
        }
        other => panic!("expected ConfigError::Syntax, got {other:?}"),
    }
}

/// The compiled-in default is valid: SQLite, demo data on, one Spanish workspace.
#[test]
fn embedded_default_parses() {
    let config = Config::parse(EMBEDDED_DEFAULT, ConfigSource::Embedded, None).unwrap();
    assert_eq!(config.source, ConfigSource::Embedded);
    assert_eq!(config.database.backend(), Backend::Sqlite);
    assert_eq!(config.database.to_string(), "sqlite://data/pulso.db");
    assert!(config.demo.enabled);
    assert_eq!(
        (config.demo.inquiries, config.demo.days, config.demo.seed),
        (12000, 60, 7)
    );
    assert_eq!(config.workspaces.len(), 1);
    let workspace = &config.workspaces[0];
    assert_eq!(
        (workspace.id.as_str(), workspace.name.as_str()),
        ("default", "Demo")
    );
    assert_eq!(
        workspace.timezone,
        chrono_tz::America::Argentina::Buenos_Aires
    );
    assert_eq!(workspace.locale, Locale::Es);
}

/// A file with several mistakes gets one error listing all of them, each with its key path.
#[test]
fn several_problems_are_reported_at_once_with_their_key_paths() {
    let text = r#"
[database]
url = "sqlite://pulso.db"

[[workspaces]]
id = "ventas"
name = "Ventas"
timezone = "UTC"
locale = "fr"

[[workspaces]]
id = "soporte"
timezone = "America/Bueno_Aires"
locale = "es"

[[workspaces]]
id = "ventas"
name = "Ventas otra vez"
timezone = "Europe/Madrid"
locale = "en"
"#;
    let error = Config::parse(text, source(), None).unwrap_err();
    let expected = [
        r#"workspaces[0].locale: unknown locale "fr"; use "es", "en" or "pt""#,
        r#"workspaces[1].name: missing (add `name = "Customer service"`)"#,
        r#"workspaces[1].timezone: unknown time zone "America/Bueno_Aires" (did you mean "America/Argentina/Buenos_Aires"?)"#,
        r#"workspaces[2].id: "ventas" is already used by workspaces[0] (ids must be unique)"#,
    ];
    let shown = format!(
        "/etc/pulso/pulso.toml: 4 problem(s):\n  {}",
        expected.join("\n  ")
    );
    assert_eq!(error.to_string(), shown);
    let ConfigError::Invalid { problems, .. } = error else {
        panic!("expected ConfigError::Invalid, got {error:?}");
    };
    assert_eq!(problems, expected);
}

/// Every kind of bad workspace value names its key and says how to fix it.
#[test]
fn each_bad_workspace_value_says_how_to_fix_it() {
    let text = r#"
[database]
url = "sqlite://pulso.db"

[[workspaces]]
id = "Soporte General"
name = "   "
timezone = "Nowhere/Qwertyuiopasdf"
locale = "ES"

[[workspaces]]
id = "norte"
name = "Norte"
timezone = "europe/madrid"
locale = "en-US"

[[workspaces]]
"#;
    assert_eq!(
        problems(text, None),
        [
            r#"workspaces[0].id: "Soporte General" is not a valid id (use 1 to 63 lowercase letters, digits, '-' or '_', starting with a letter or digit)"#,
            "workspaces[0].name: is empty (give the name shown in replies)",
            r#"workspaces[0].timezone: unknown time zone "Nowhere/Qwertyuiopasdf" (use an IANA name such as "America/Mexico_City")"#,
            r#"workspaces[0].locale: unknown locale "ES" (did you mean "es"?); use "es", "en" or "pt""#,
            r#"workspaces[1].timezone: unknown time zone "europe/madrid" (did you mean "Europe/Madrid"?)"#,
            r#"workspaces[1].locale: unknown locale "en-US" (did you mean "en"?); use "es", "en" or "pt""#,
            r#"workspaces[2].id: missing (add `id = "support"`)"#,
            r#"workspaces[2].name: missing (add `name = "Customer service"`)"#,
            r#"workspaces[2].timezone: missing (add `timezone = "America/Argentina/Buenos_Aires"`)"#,
            r#"workspaces[2].locale: missing (add `locale = "es"`)"#,
        ]
    );
}

/// A password in `[database] url`, as user info or as `?password=`, is refused and the
/// error never repeats it.
#[test]
fn a_password_in_the_file_is_refused_and_never_shown() {
    let refused = "database.url: contains a password; secrets never live in config files: \
                   remove it and set PULSO_DATABASE_URL instead";
    for url in [
        "postgres://pulso:hunter2@db.internal/pulso",
        "postgresql://pulso:hunter2@db.internal:5432/pulso?sslmode=require",
        "postgres://pulso@db.internal/pulso?sslmode=require&password=hunter2",
    ] {
        let text = file(url, "");
        assert_eq!(problems(&text, None), [refused], "{url}");
        // Overriding the URL from the environment does not make the file's secret fine.
        let env = Some("postgres://pulso@db.internal/pulso");
        assert_eq!(
            problems(&text, env),
            [refused],
            "{url} with the variable set"
        );
        let error = Config::parse(&text, source(), None).unwrap_err();
        let (shown, debug) = (error.to_string(), format!("{error:?}"));
        assert!(
            !shown.contains("hunter2"),
            "{url}: Display shows the password: {shown}"
        );
        assert!(
            !debug.contains("hunter2"),
            "{url}: Debug shows the password: {debug}"
        );
    }
}

/// `PULSO_DATABASE_URL` replaces the file's URL and may carry a password, which neither
/// `Display` nor `Debug` of the configuration shows.
#[test]
fn the_environment_url_overrides_the_file_and_its_password_is_hidden() {
    let text = file("sqlite://pulso.db", "");
    let cases = [
        (
            "postgres://pulso:s3cr3t-pw@db.internal:5432/pulso",
            "postgres://pulso:***@db.internal:5432/pulso",
        ),
        (
            "postgres://pulso@db.internal/pulso?password=s3cr3t-pw&sslmode=require",
            "postgres://pulso@db.internal/pulso?password=***&sslmode=require",
        ),
    ];
    for (url, redacted) in cases {
        let config = Config::parse(&text, source(), Some(url.to_string())).unwrap();
        assert_eq!(config.database.backend(), Backend::Postgres);
        assert_eq!(
            config.database.expose(),
            url,
            "the environment URL is the one used"
        );
        assert_eq!(config.database.to_string(), redacted);
        let debug = format!("{config:?}");
        assert!(
            !debug.contains("s3cr3t-pw"),
            "Debug shows the password: {debug}"
        );
        assert!(debug.contains(redacted), "{debug}");
    }
    // Without a `[database]` section at all, the environment is enough.
    let config = Config::parse(WORKSPACE, source(), Some("sqlite://other.db".into())).unwrap();
    assert_eq!(config.database.to_string(), "sqlite://other.db");
}

/// A bad `PULSO_DATABASE_URL` is reported under the variable's name, without its value.
#[test]
fn a_bad_environment_url_is_named_by_its_variable() {
    let text = file("sqlite://pulso.db", "");
    let found = problems(&text, Some("mysql://pulso:s3cr3t-pw@db.internal/pulso"));
    assert_eq!(
        found,
        [
            r#"PULSO_DATABASE_URL: unsupported scheme "mysql" (use "sqlite://FILE" or "postgres://USER@HOST/DB")"#
        ]
    );
    assert!(!format!("{found:?}").contains("s3cr3t-pw"));
}

/// A misspelt key is a syntax error naming the key, the keys allowed there, and the line.
#[test]
fn unknown_keys_are_syntax_errors_naming_the_key_and_line() {
    let message = syntax_error(&file("sqlite://pulso.db", "time_zone = \"UTC\"\n"));
    assert!(message.contains("line 9"), "{message}");
    assert!(message.contains("unknown field `time_zone`"), "{message}");
    assert!(message.contains("`timezone`"), "{message}");

    let message =
        syntax_error("[database]\nurl = \"sqlite://pulso.db\"\n\n[dmeo]\nenabled = true\n");
    assert!(message.contains("line 4"), "{message}");
    assert!(message.contains("unknown field `dmeo`"), "{message}");

    let message = syntax_error(&file("sqlite://pulso.db", "[demo]\nseeds = 3\n"));
    assert!(message.contains("line 10"), "{message}");
    assert!(message.contains("unknown field `seeds`"), "{message}");

    let error = Config::parse(
        &file("sqlite://pulso.db", "[demo]\nseeds = 3\n"),
        source(),
        None,
    )
    .unwrap_err();
    assert!(
        error.to_string().starts_with("/etc/pulso/pulso.toml: "),
        "{error}"
    );
}

/// A file with no `[[workspaces]]` is refused with how to add one.
#[test]
fn a_file_without_workspaces_is_refused() {
    assert_eq!(
        problems("[database]\nurl = \"sqlite://pulso.db\"\n", None),
        [
            "workspaces: none configured (add a [[workspaces]] entry with id, name, timezone and locale)"
        ]
    );
}

/// No database URL anywhere, or a SQLite URL without a file, is refused.
#[test]
fn a_missing_database_url_is_refused() {
    assert_eq!(
        problems(WORKSPACE, None),
        [
            r#"database.url: missing (add `[database] url = "sqlite://data/pulso.db"` or set PULSO_DATABASE_URL)"#
        ]
    );
    assert_eq!(
        problems(&file("sqlite://", ""), None),
        [r#"database.url: the sqlite URL has no file path (e.g. "sqlite://data/pulso.db")"#]
    );
}

/// A URL for any backend other than SQLite or PostgreSQL names its scheme.
#[test]
fn unsupported_url_schemes_are_refused() {
    for (url, scheme) in [
        ("mysql://pulso@db/pulso", "mysql"),
        ("data/pulso.db", "data/pulso.db"),
        ("file:pulso.db", "file"),
    ] {
        assert_eq!(
            problems(&file(url, ""), None),
            [format!(
                r#"database.url: unsupported scheme "{scheme}" (use "sqlite://FILE" or "postgres://USER@HOST/DB")"#
            )],
            "{url}"
        );
    }
}

/// Demo settings outside their ranges are refused; the edges and the defaults are accepted.
#[test]
fn demo_settings_must_be_in_range() {
    let bad = file(
        "sqlite://pulso.db",
        "[demo]\ninquiries = 0\ndays = 3651\nseed = -1\n",
    );
    assert_eq!(
        problems(&bad, None),
        [
            "demo.inquiries: 0 is out of range (use 1 to 5000000)",
            "demo.days: 3651 is out of range (use 1 to 3650)",
            "demo.seed: -1 is negative (use 0 or more)",
        ]
    );
    let too_many = file(
        "sqlite://pulso.db",
        "[demo]\ninquiries = 5000001\ndays = 0\n",
    );
    assert_eq!(
        problems(&too_many, None),
        [
            "demo.inquiries: 5000001 is out of range (use 1 to 5000000)",
            "demo.days: 0 is out of range (use 1 to 3650)"
        ]
    );

    let edges = file(
        "sqlite://pulso.db",
        "[demo]\nenabled = true\ninquiries = 5000000\ndays = 3650\nseed = 0\n",
    );
    let demo = Config::parse(&edges, source(), None).unwrap().demo;
    assert!(demo.enabled);
    assert_eq!((demo.inquiries, demo.days, demo.seed), (5_000_000, 3650, 0));
    let low = file("sqlite://pulso.db", "[demo]\ninquiries = 1\ndays = 1\n");
    let demo = Config::parse(&low, source(), None).unwrap().demo;
    assert_eq!((demo.inquiries, demo.days), (1, 1));

    let defaults = Config::parse(&file("sqlite://pulso.db", ""), source(), None)
        .unwrap()
        .demo;
    assert!(
        !defaults.enabled,
        "demo data is off unless the file turns it on"
    );
    assert_eq!(
        (defaults.inquiries, defaults.days, defaults.seed),
        (3000, 60, 1)
    );
}

/// `Config::load` reads the file it is given, and names a file it cannot read.
#[test]
fn load_reads_the_given_file_and_names_a_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pulso.toml");
    std::fs::write(&path, file("sqlite://pulso.db", "")).unwrap();
    let config = Config::load(Some(&path)).unwrap();
    assert_eq!(config.source, ConfigSource::File(path.clone()));
    assert_eq!(config.source.to_string(), path.display().to_string());
    let ids: Vec<&str> = config.workspaces.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ids, ["ventas"]);
    assert_eq!(
        config.workspaces[0].timezone,
        chrono_tz::America::Mexico_City
    );

    let missing = dir.path().join("missing.toml");
    let error = Config::load(Some(&missing)).unwrap_err();
    let ConfigError::Read { path: named, .. } = &error else {
        panic!("expected ConfigError::Read, got {error:?}");
    };
    assert_eq!(named, &missing);
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!(
            "{}: cannot read the config file: ",
            missing.display()
        )),
        "{shown}"
    );
    assert!(
        shown.ends_with("(check the path given with --config or PULSO_CONFIG)"),
        "{shown}"
    );

    assert_eq!(Config::load(None).unwrap().source, ConfigSource::Embedded);
}

/// Looking a workspace up picks the first by default and names an unknown id with the
/// configured ones.
#[test]
fn workspace_lookup_defaults_to_the_first_and_names_unknown_ids() {
    let extra =
        "\n[[workspaces]]\nid = \"norte\"\nname = \"Norte\"\ntimezone = \"UTC\"\nlocale = \"en\"\n";
    let config = Config::parse(&file("sqlite://pulso.db", extra), source(), None).unwrap();
    assert_eq!(config.workspace(None).unwrap().id, "ventas");
    assert_eq!(config.workspace(Some("norte")).unwrap().locale, Locale::En);
    assert_eq!(
        config.workspace(Some("sur")).unwrap_err(),
        r#"unknown workspace "sur" (configured: ventas, norte; see /etc/pulso/pulso.toml)"#
    );
}

/// A syntax error quotes the offending line; a password on that line is masked.
#[test]
fn a_syntax_error_never_echoes_a_password() {
    let text = "[database]\nurl = postgres://pulso:hunter2-secret@db/pulso\n";
    let error = pulso::config::Config::parse(
        text,
        pulso::config::ConfigSource::File("bad.toml".into()),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(error.starts_with("bad.toml:"), "{error}");
    assert!(!error.contains("hunter2-secret"), "{error}");
    assert!(error.contains("pulso:***@db"), "{error}");
}

/// `PULSO_HTTP_LISTEN` replaces `[http] listen` (containers listen on 0.0.0.0 without
/// editing the baked-in file); a bad value is named by its variable.
#[test]
fn the_environment_listen_address_overrides_the_file() {
    let text = file(
        "sqlite://data/pulso.db",
        "[http]\nlisten = \"127.0.0.1:8787\"\n",
    );
    let env = |listen: &'static str| {
        move |name: &str| (name == "PULSO_HTTP_LISTEN").then(|| listen.to_string())
    };
    let config = Config::parse_with_env(&text, source(), env("0.0.0.0:9999")).unwrap();
    assert_eq!(config.http.listen.to_string(), "0.0.0.0:9999");
    let config = Config::parse_with_env(&text, source(), |_| None).unwrap();
    assert_eq!(config.http.listen.to_string(), "127.0.0.1:8787");
    match Config::parse_with_env(&text, source(), env("everywhere")) {
        Err(ConfigError::Invalid { problems, .. }) => assert_eq!(
            problems,
            ["PULSO_HTTP_LISTEN: \"everywhere\" is not a socket address (e.g. \"0.0.0.0:8787\")"]
        ),
        other => panic!("expected ConfigError::Invalid, got {other:?}"),
    }
}
