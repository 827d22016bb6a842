-- What Gupshup last said about each WhatsApp health signal of a workspace (app_health,
-- account, quality, templates), for the health rules and for `/whatsapp`, which answers
-- from here and never calls Gupshup.
--
-- A call is claimed before Gupshup is asked: `called_at` is set to the claim's time when
-- no call was made within the signal's interval and no other replica's lease
-- (`leased_until`) is running, so a crash mid-call still counts and the ratings endpoint
-- (once per 24 h per app) is called once across restarts and replicas. Storing the poll
-- ends the lease. `reading` is the last good reading (JSON of domain::WhatsappReading) and
-- `read_at` its time; `error` and `error_at` the failure of the last call, cleared by the
-- next good one (the last good reading stays, so a failure never looks like a recovery).
CREATE TABLE IF NOT EXISTS whatsapp_signals (
    workspace    TEXT   NOT NULL,
    signal       TEXT   NOT NULL CHECK (signal IN ('app_health', 'account', 'quality', 'templates')),
    called_at    BIGINT,
    leased_until BIGINT NOT NULL DEFAULT 0,
    read_at      BIGINT,
    reading      TEXT,
    error_at     BIGINT,
    error        TEXT,
    PRIMARY KEY (workspace, signal)
);
