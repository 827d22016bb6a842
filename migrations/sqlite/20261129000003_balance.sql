-- Gupshup balance monitor. Instants are integer epoch seconds on both backends.

-- Every balance reading, successful or not: the history behind the days-left estimate,
-- the indicator line and the poll cadence. A failed reading has no amount and says why.
CREATE TABLE IF NOT EXISTS balance_readings (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace TEXT    NOT NULL,
    read_at   INTEGER NOT NULL,
    amount    REAL,
    currency  TEXT,
    error     TEXT
);
CREATE INDEX IF NOT EXISTS balance_readings_recent ON balance_readings (workspace, read_at);

-- The alert state machine of each workspace, so an episode survives restarts, and the
-- mute set by /alerts mute (written separately, never overwritten by a poll).
CREATE TABLE IF NOT EXISTS balance_alert_state (
    workspace        TEXT    PRIMARY KEY,
    level            TEXT    NOT NULL DEFAULT 'ok' CHECK (level IN ('ok', 'low', 'critical')),
    below_count      INTEGER NOT NULL DEFAULT 0,
    failures         INTEGER NOT NULL DEFAULT 0,
    unknown_notified INTEGER NOT NULL DEFAULT 0,
    episode          INTEGER NOT NULL DEFAULT 0,
    outages          INTEGER NOT NULL DEFAULT 0,
    reminders        INTEGER NOT NULL DEFAULT 0,
    since            INTEGER,
    last_notified_at INTEGER,
    muted_until      INTEGER,
    updated_at       INTEGER NOT NULL
);
