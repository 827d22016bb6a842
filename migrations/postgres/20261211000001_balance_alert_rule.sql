-- The Gupshup balance becomes one rule of the alert engine, named 'balance': its state
-- moves from balance_alert_state into alert_rule_states, next to the other rules'.
--
-- `bad_observations` is the engine's count of bad observations in a row while ok (the
-- balance's `pending_polls`; 1 is enough for the queue rules, whose rows start at 0).
ALTER TABLE alert_rule_states ADD COLUMN IF NOT EXISTS bad_observations BIGINT NOT NULL DEFAULT 0;

-- Every balance state, as the engine keeps it: low is firing; the episode, outage and
-- reminder numbers carry over, so the dedupe keys of new messages never meet those queued
-- before (and the next reminder of an open episode continues its numbering); the mute
-- becomes the rule's snooze; the pending low readings the new count. The unknown warning's
-- flag is not kept: it was set exactly when failures reached 3, which the engine reads
-- from `failures`. A configured rule named 'balance' (reserved from now on) gives way.
DELETE FROM alert_rule_states
WHERE rule = 'balance' AND workspace IN (SELECT workspace FROM balance_alert_state);
INSERT INTO alert_rule_states (workspace, rule, level, episode, since, bad_since, last_value,
    last_notified_at, reminders, acknowledged_by, acknowledged_at, snoozed_until, failures,
    outages, bad_observations, evaluated_at, version)
SELECT workspace, 'balance',
    CASE level WHEN 'low' THEN 'firing' WHEN 'critical' THEN 'critical' ELSE 'ok' END,
    episode, since, CASE WHEN level = 'ok' AND below_count > 0 THEN updated_at END, NULL,
    last_notified_at, reminders, NULL, NULL, muted_until, failures, outages,
    CASE WHEN level = 'ok' THEN below_count ELSE 0 END, updated_at, 1
FROM balance_alert_state;

DROP TABLE IF EXISTS balance_alert_state;
