-- The state of each alert rule (queue_waiting, oldest_pending, attention_sla,
-- expired_spike) per workspace, as the rule engine keeps it between evaluations.
-- `version` grows by one per stored evaluation: an evaluation is stored only over the
-- version it read, so of replicas evaluating together exactly one writes the new state and
-- its messages (the others' writes find a newer version and are dropped).
CREATE TABLE IF NOT EXISTS alert_rule_states (
    workspace        TEXT   NOT NULL,
    rule             TEXT   NOT NULL,
    level            TEXT   NOT NULL CHECK (level IN ('ok', 'firing', 'critical')),
    episode          BIGINT NOT NULL DEFAULT 0,
    since            BIGINT,
    bad_since        BIGINT,
    last_value       REAL,
    last_notified_at BIGINT,
    reminders        BIGINT NOT NULL DEFAULT 0,
    acknowledged_by  TEXT,
    acknowledged_at  BIGINT,
    snoozed_until    BIGINT,
    failures         BIGINT NOT NULL DEFAULT 0,
    outages          BIGINT NOT NULL DEFAULT 0,
    evaluated_at     BIGINT NOT NULL,
    version          BIGINT NOT NULL,
    PRIMARY KEY (workspace, rule)
);
