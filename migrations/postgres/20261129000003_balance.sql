-- Gupshup balance monitor. Instants are integer epoch seconds on both backends.

-- Every balance reading, successful or not: the history behind the days-left estimate,
-- the indicator line and the poll cadence. A failed reading has no amount and says why.
CREATE TABLE IF NOT EXISTS balance_readings (
    id        BIGSERIAL PRIMARY KEY,
    workspace TEXT    NOT NULL,
    read_at   BIGINT NOT NULL,
    amount    DOUBLE PRECISION,
    currency  TEXT,
    error     TEXT
);
CREATE INDEX IF NOT EXISTS balance_readings_recent ON balance_readings (workspace, read_at);

-- The alert state machine of each workspace, so an episode survives restarts, and the
-- mute set by /alerts mute (written separately, never overwritten by a poll).
CREATE TABLE IF NOT EXISTS balance_alert_state (
    workspace        TEXT    PRIMARY KEY,
    level            TEXT    NOT NULL DEFAULT 'ok' CHECK (level IN ('ok', 'low', 'critical')),
    below_count      BIGINT NOT NULL DEFAULT 0,
    failures         BIGINT NOT NULL DEFAULT 0,
    unknown_notified BIGINT NOT NULL DEFAULT 0,
    episode          BIGINT NOT NULL DEFAULT 0,
    outages          BIGINT NOT NULL DEFAULT 0,
    reminders        BIGINT NOT NULL DEFAULT 0,
    since            BIGINT,
    last_notified_at BIGINT,
    muted_until      BIGINT,
    updated_at       BIGINT NOT NULL
);
