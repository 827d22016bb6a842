-- The inquiry database contract (see README "Inquiry database contract").
-- Instants are integer seconds since the Unix epoch, UTC: compact, and compared as integers.
CREATE TABLE IF NOT EXISTS inquiries (
    row_id       INTEGER PRIMARY KEY,
    workspace    TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    origin       TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'in_progress', 'resolved', 'expired')),
    operator_id  TEXT,
    requested_at INTEGER NOT NULL,
    attended_at  INTEGER,
    resolved_at  INTEGER,
    expired_at   INTEGER,
    UNIQUE (workspace, id)
);

-- One partial index per query shape; each indicator query names its index with INDEXED BY,
-- so SQLite can never fall back to scanning a workspace's rows.
CREATE INDEX IF NOT EXISTS inquiries_pending
    ON inquiries (workspace, requested_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS inquiries_in_progress
    ON inquiries (workspace, requested_at) WHERE status = 'in_progress';
CREATE INDEX IF NOT EXISTS inquiries_attended
    ON inquiries (workspace, attended_at, requested_at) WHERE attended_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS inquiries_resolved
    ON inquiries (workspace, resolved_at, attended_at, requested_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS inquiries_expired
    ON inquiries (workspace, expired_at) WHERE expired_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS survey_responses (
    row_id      INTEGER PRIMARY KEY,
    workspace   TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    inquiry_id  TEXT,
    kind        TEXT    NOT NULL CHECK (kind IN ('nps', 'csat')),
    score       INTEGER NOT NULL,
    answered_at INTEGER NOT NULL,
    UNIQUE (workspace, id)
);

CREATE INDEX IF NOT EXISTS survey_responses_answered
    ON survey_responses (workspace, answered_at, kind, score);
