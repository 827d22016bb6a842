//! A small typed builder for the TOML a test app runs on, so tests say what differs
//! (a digest schedule, a Gupshup workspace, a Discord base URL) instead of editing strings.
//!
//! It writes real `pulso.toml` text and parses it with [`Config::parse_with_env`], so every
//! test still goes through pulso's own validation; the database URL and the secrets come in
//! through the environment, as in production.

use ed25519_dalek::SigningKey;
use pulso::config::{Config, ConfigSource};

/// The bot token every test app is given.
pub const TOKEN: &str = "test-bot-token-Zx9";
/// The Discord application id of test apps (interactions carry it; answers go to its
/// webhook paths).
pub const APP_ID: u64 = 4242;
/// The environment variable the Gupshup workspaces read their API key from; the harness
/// sets it to [`crate::gupshup::KEY`].
pub const GUPSHUP_KEY_ENV: &str = "PULSO_TEST_GUPSHUP_KEY";

/// The key Discord would sign interactions with; test apps are configured with its public
/// half so signed requests verify (tests of the interactions endpoint sign with it).
pub fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

/// The `[discord]`, `[http]` and `[[workspaces]]` of a test app: the http transport (the
/// outbox then posts to the fake Discord, never the terminal) unless [`ConfigBuilder::transport`]
/// says otherwise, the harness token and public key, `[http] listen = "127.0.0.1:0"`,
/// `[demo] enabled = false`.
#[derive(Debug, Clone)]
pub struct ConfigBuilder {
    transport: &'static str,
    api_base: Option<String>,
    listen: String,
    workspaces: Vec<WorkspaceConfig>,
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        ConfigBuilder {
            transport: "http",
            api_base: None,
            listen: "127.0.0.1:0".into(),
            workspaces: Vec::new(),
        }
    }
}

impl ConfigBuilder {
    /// A config with the given workspaces and every default.
    pub fn with(workspaces: impl IntoIterator<Item = WorkspaceConfig>) -> ConfigBuilder {
        ConfigBuilder {
            workspaces: workspaces.into_iter().collect(),
            ..ConfigBuilder::default()
        }
    }

    /// `[discord] transport`: `"gateway"` makes [`crate::harness::TestApp::http`] start the
    /// gateway client too (it finds its gateway through `GET /gateway` on the fake Discord,
    /// see [`crate::fake_discord::FakeDiscord::use_gateway`]). `"console"` is for tests that
    /// call the handler and the outbox directly (its deliveries print to the test's stdout);
    /// [`crate::harness::TestApp::http`] refuses to run it, since its transport reads stdin.
    pub fn transport(mut self, transport: &'static str) -> ConfigBuilder {
        self.transport = transport;
        self
    }

    /// Discord's REST base URL; without it, the fake Discord of the app.
    pub fn api_base(mut self, base: &str) -> ConfigBuilder {
        self.api_base = Some(base.into());
        self
    }

    /// `[http] listen`; port 0 (the default) lets the system pick a free port.
    pub fn listen(mut self, address: &str) -> ConfigBuilder {
        self.listen = address.into();
        self
    }

    /// The TOML text, with `discord` and `gupshup` as the default base URLs. The database
    /// URL is a placeholder the environment overrides.
    pub fn toml(&self, discord: &str, gupshup: &str) -> String {
        let public_key = hex::encode(signing_key().verifying_key().to_bytes());
        let api_base = self.api_base.as_deref().unwrap_or(discord);
        let mut text = format!(
            "[database]\nurl = \"sqlite://unused.db\"\n\n[demo]\nenabled = false\n\n\
             [discord]\ntransport = \"{}\"\napplication_id = \"{APP_ID}\"\npublic_key = \"{public_key}\"\n\
             api_base = \"{api_base}\"\n\n[http]\nlisten = \"{}\"\n",
            self.transport, self.listen
        );
        for workspace in &self.workspaces {
            text.push_str(&workspace.toml(gupshup));
        }
        text
    }

    /// The validated config on the database at `database_url`, the fakes at `discord` and
    /// `gupshup`.
    pub fn build(&self, database_url: &str, discord: &str, gupshup: &str) -> Config {
        let text = self.toml(discord, gupshup);
        Config::parse_with_env(
            &text,
            ConfigSource::File("test.toml".into()),
            |name| match name {
                "PULSO_DATABASE_URL" => Some(database_url.to_string()),
                "PULSO_DISCORD_TOKEN" => Some(TOKEN.to_string()),
                GUPSHUP_KEY_ENV => Some(crate::gupshup::KEY.to_string()),
                _ => None,
            },
        )
        .unwrap_or_else(|problem| panic!("test config: {problem}\n{text}"))
    }
}

/// One `[[workspaces]]` table. Defaults: UTC, English, no guild, the default digest, no
/// WhatsApp provider.
#[derive(Debug, Clone)]
pub struct WorkspaceConfig {
    id: String,
    name: String,
    timezone: String,
    locale: String,
    guild_id: Option<u64>,
    digest: Option<String>,
    links: Option<String>,
    alerts_channel_id: Option<u64>,
    gupshup: Option<String>,
    whatsapp: Option<String>,
    balance: Option<String>,
    alerts: Vec<String>,
    keys: Vec<String>,
}

impl WorkspaceConfig {
    /// A workspace `id` named `name`.
    pub fn new(id: &str, name: &str) -> WorkspaceConfig {
        WorkspaceConfig {
            id: id.into(),
            name: name.into(),
            timezone: "UTC".into(),
            locale: "en".into(),
            guild_id: None,
            digest: None,
            links: None,
            alerts_channel_id: None,
            gupshup: None,
            whatsapp: None,
            balance: None,
            alerts: Vec::new(),
            keys: Vec::new(),
        }
    }

    /// Its IANA time zone.
    pub fn timezone(mut self, timezone: &str) -> WorkspaceConfig {
        self.timezone = timezone.into();
        self
    }

    /// `es`, `en` or `pt`.
    pub fn locale(mut self, locale: &str) -> WorkspaceConfig {
        self.locale = locale.into();
        self
    }

    /// The Discord server bound to it (required once several workspaces share the bot).
    pub fn guild(mut self, guild_id: u64) -> WorkspaceConfig {
        self.guild_id = Some(guild_id);
        self
    }

    /// The keys of its `digest = { … }` table, e.g. `schedule = "0 9 * * *", channel_id = "777"`.
    pub fn digest(mut self, keys: &str) -> WorkspaceConfig {
        self.digest = Some(keys.into());
        self
    }

    /// The keys of its `links = { … }` table (the "View details" buttons), e.g.
    /// `pending = "https://example.com/pending"`.
    pub fn links(mut self, keys: &str) -> WorkspaceConfig {
        self.links = Some(keys.into());
        self
    }

    /// The channel balance alerts go to.
    pub fn alerts_channel(mut self, channel_id: u64) -> WorkspaceConfig {
        self.alerts_channel_id = Some(channel_id);
        self
    }

    /// On Gupshup (the fake one), with `extra` keys of its `gupshup` table (e.g.
    /// `, mode = "partner"`); the key is read from [`GUPSHUP_KEY_ENV`], the test key.
    pub fn gupshup(mut self, extra: &str) -> WorkspaceConfig {
        self.gupshup = Some(extra.into());
        self
    }

    /// More keys of its `whatsapp = { provider = "gupshup" … }` table (with Gupshup),
    /// e.g. `, quality = false`.
    pub fn whatsapp(mut self, extra: &str) -> WorkspaceConfig {
        self.whatsapp = Some(extra.into());
        self
    }

    /// The keys of its `balance = { … }` table, e.g. `poll_every = "10m"`.
    pub fn balance(mut self, keys: &str) -> WorkspaceConfig {
        self.balance = Some(keys.into());
        self
    }

    /// More keys of the workspace as TOML lines, e.g. `admin_roles = ["88"]`, for settings
    /// the builder has no method for.
    pub fn keys(mut self, lines: &str) -> WorkspaceConfig {
        self.keys.push(lines.into());
        self
    }

    /// One `[[workspaces.alerts]]` rule, given by its keys, e.g.
    /// `rule = "queue_waiting"\nthreshold = 5`.
    pub fn alert_rule(mut self, keys: &str) -> WorkspaceConfig {
        self.alerts.push(keys.into());
        self
    }

    fn toml(&self, gupshup_base: &str) -> String {
        let mut text = format!(
            "\n[[workspaces]]\nid = \"{}\"\nname = \"{}\"\ntimezone = \"{}\"\nlocale = \"{}\"\n",
            self.id, self.name, self.timezone, self.locale
        );
        if let Some(guild) = self.guild_id {
            text.push_str(&format!("guild_id = \"{guild}\"\n"));
        }
        if let Some(digest) = &self.digest {
            text.push_str(&format!("digest = {{ {digest} }}\n"));
        }
        if let Some(links) = &self.links {
            text.push_str(&format!("links = {{ {links} }}\n"));
        }
        if let Some(channel) = self.alerts_channel_id {
            text.push_str(&format!("alerts_channel_id = \"{channel}\"\n"));
        }
        if let Some(extra) = &self.gupshup {
            text.push_str(&format!(
                "whatsapp = {{ provider = \"gupshup\"{} }}\ngupshup = {{ api_key_env = \"{GUPSHUP_KEY_ENV}\", \
                 base_url = \"{gupshup_base}\", partner_base_url = \"{gupshup_base}\"{extra} }}\n",
                self.whatsapp.as_deref().unwrap_or_default()
            ));
        }
        if let Some(balance) = &self.balance {
            text.push_str(&format!("balance = {{ {balance} }}\n"));
        }
        for lines in &self.keys {
            text.push_str(&format!("{lines}\n"));
        }
        // Tables last: every key above belongs to the workspace itself.
        for rule in &self.alerts {
            text.push_str(&format!("[[workspaces.alerts]]\n{rule}\n"));
        }
        text
    }
}
