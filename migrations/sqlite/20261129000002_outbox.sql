-- pulso's own tables for scheduled work. Instants are integer epoch seconds on both backends.

-- Messages waiting to be delivered to Discord (digests, alerts). Written in the same
-- transaction as the claim that produced them; delivered at least once, deduplicated by
-- Discord through a nonce derived from dedupe_key.
CREATE TABLE IF NOT EXISTS outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key      TEXT    NOT NULL UNIQUE,
    workspace       TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    channel_id      TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    attachment_name TEXT,
    attachment      BLOB,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_until    INTEGER,
    last_error      TEXT,
    message_id      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

-- One row per scheduled digest occurrence: claimed (posted through the outbox) or skipped
-- (missed beyond the grace period). The primary key is the claim.
CREATE TABLE IF NOT EXISTS digest_runs (
    workspace  TEXT    NOT NULL,
    schedule   TEXT    NOT NULL,
    occurrence INTEGER NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('claimed', 'skipped')),
    late       INTEGER NOT NULL DEFAULT 0,
    decided_at INTEGER NOT NULL,
    outbox_id  INTEGER,
    PRIMARY KEY (workspace, schedule, occurrence)
);

-- Up to when each schedule's occurrences have been looked at, so downtime is noticed.
CREATE TABLE IF NOT EXISTS schedule_cursors (
    workspace     TEXT    NOT NULL,
    schedule      TEXT    NOT NULL,
    checked_until INTEGER NOT NULL,
    PRIMARY KEY (workspace, schedule)
);
