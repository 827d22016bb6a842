-- The outbox stores what to say and where, not a platform's request body: `destination`
-- ('console' or 'discord:<channel id>') replaces `channel_id` (where '0' meant the
-- console), and `format` says how `payload` is written: 'reply' (pulso's transport-neutral
-- reply model, JSON) for every new row; 'discord-message' (Discord's create-message body)
-- for rows queued before this upgrade, which the deliverer still reads.
-- SQLite cannot drop a NOT NULL column in place, so the table is rebuilt, ids kept.
CREATE TABLE outbox_upgraded (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key      TEXT    NOT NULL UNIQUE,
    workspace       TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    destination     TEXT    NOT NULL,
    format          TEXT    NOT NULL CHECK (format IN ('reply', 'discord-message')),
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
INSERT INTO outbox_upgraded (id, dedupe_key, workspace, kind, destination, format, payload,
    attachment_name, attachment, status, attempts, next_attempt_at, locked_until, last_error,
    message_id, created_at, sent_at)
SELECT id, dedupe_key, workspace, kind,
       CASE WHEN channel_id = '0' THEN 'console' ELSE 'discord:' || channel_id END,
       'discord-message', payload, attachment_name, attachment, status, attempts,
       next_attempt_at, locked_until, last_error, message_id, created_at, sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_upgraded RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
