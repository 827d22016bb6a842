-- The outbox stores what to say and where, not a platform's request body: `destination`
-- ('console' or 'discord:<channel id>') replaces `channel_id` (where '0' meant the
-- console), and `format` says how `payload` is written: 'reply' (pulso's transport-neutral
-- reply model, JSON) for every new row; 'discord-message' (Discord's create-message body)
-- for rows queued before this upgrade, which the deliverer still reads.
ALTER TABLE outbox ADD COLUMN destination TEXT;
UPDATE outbox SET destination = CASE WHEN channel_id = '0' THEN 'console' ELSE 'discord:' || channel_id END;
ALTER TABLE outbox ALTER COLUMN destination SET NOT NULL;
ALTER TABLE outbox ADD COLUMN format TEXT NOT NULL DEFAULT 'discord-message'
    CHECK (format IN ('reply', 'discord-message'));
ALTER TABLE outbox ALTER COLUMN format DROP DEFAULT;
ALTER TABLE outbox DROP COLUMN channel_id;
