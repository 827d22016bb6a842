-- pulso's own tables for scheduled work. Instants are integer epoch seconds on both backends.

-- Messages waiting to be delivered to Discord (digests, alerts). Written in the same
-- transaction as the claim that produced them; delivered at least once, deduplicated by
-- Discord through a nonce derived from dedupe_key.
CREATE TABLE IF NOT EXISTS outbox (
    id              BIGSERIAL PRIMARY KEY,
    dedupe_key      TEXT    NOT NULL UNIQUE,
    workspace       TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    channel_id      TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    attachment_name TEXT,
    attachment      BYTEA,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until    BIGINT,
    last_error      TEXT,
    message_id      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

-- One row per scheduled digest occurrence: claimed (posted through the outbox) or skipped
-- (missed beyond the grace period). The primary key is the claim.
CREATE TABLE IF NOT EXISTS digest_runs (
    workspace  TEXT    NOT NULL,
    schedule   TEXT    NOT NULL,
    occurrence BIGINT NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('claimed', 'skipped')),
    late       BIGINT NOT NULL DEFAULT 0,
    decided_at BIGINT NOT NULL,
    outbox_id  BIGINT,
    PRIMARY KEY (workspace, schedule, occurrence)
);

-- Up to when each schedule's occurrences have been looked at, so downtime is noticed.
CREATE TABLE IF NOT EXISTS schedule_cursors (
    workspace     TEXT    NOT NULL,
    schedule      TEXT    NOT NULL,
    checked_until BIGINT NOT NULL,
    PRIMARY KEY (workspace, schedule)
);
