//! Where a message goes, independent of how it is rendered there.
//!
//! Digests and alerts are queued with a [`Destination`] and rendered for it only when they
//! are delivered, so the same stored message can go to the terminal or to a Discord channel
//! (and later to other chat platforms) without anyone storing a platform's JSON.

use std::fmt;

use crate::config::Transport;

/// A place pulso posts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination {
    /// The terminal of a `pulso run` on the console transport (or `pulso digest --post`
    /// there): printed, with attachments written to disk.
    Console,
    /// A Discord text channel.
    DiscordChannel {
        /// The channel's snowflake id.
        channel_id: u64,
    },
}

impl Destination {
    /// Where a workspace's messages of one kind go: the channel configured for them, or on
    /// the console transport the terminal; `None` when a Discord transport has no channel
    /// configured (the caller logs that the message is not posted).
    pub fn configured(channel_id: Option<u64>, transport: Transport) -> Option<Destination> {
        match (channel_id, transport) {
            (Some(channel_id), _) => Some(Destination::DiscordChannel { channel_id }),
            (None, Transport::Console) => Some(Destination::Console),
            (None, _) => None,
        }
    }
}

impl Destination {
    /// How the outbox stores it: `console` or `discord:<channel id>`.
    pub fn storage_key(&self) -> String {
        match self {
            Destination::Console => "console".to_string(),
            Destination::DiscordChannel { channel_id } => format!("discord:{channel_id}"),
        }
    }

    /// Reads a [`Destination::storage_key`] back; `None` for text pulso never writes.
    pub fn from_storage_key(key: &str) -> Option<Destination> {
        match key.split_once(':') {
            None if key == "console" => Some(Destination::Console),
            Some(("discord", id)) => id
                .parse()
                .ok()
                .filter(|id| *id > 0)
                .map(|channel_id| Destination::DiscordChannel { channel_id }),
            _ => None,
        }
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::Console => f.write_str("the console"),
            Destination::DiscordChannel { channel_id } => write!(f, "Discord channel {channel_id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_channel_wins_and_the_console_needs_none() {
        assert_eq!(
            Destination::configured(Some(42), Transport::Console),
            Some(Destination::DiscordChannel { channel_id: 42 })
        );
        assert_eq!(
            Destination::configured(None, Transport::Console),
            Some(Destination::Console)
        );
        assert_eq!(Destination::configured(None, Transport::Gateway), None);
        assert_eq!(Destination::configured(None, Transport::Http), None);
    }

    #[test]
    fn storage_keys_read_back_and_refuse_what_pulso_never_writes() {
        for destination in [
            Destination::Console,
            Destination::DiscordChannel { channel_id: 1234 },
        ] {
            let key = destination.storage_key();
            assert_eq!(Destination::from_storage_key(&key), Some(destination));
        }
        for odd in [
            "",
            "0",
            "discord:",
            "discord:0",
            "discord:x",
            "slack:1",
            "console:1",
        ] {
            assert_eq!(Destination::from_storage_key(odd), None, "{odd}");
        }
    }
}
