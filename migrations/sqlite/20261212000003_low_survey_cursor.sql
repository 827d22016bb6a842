-- The low_survey alert rule reports each low survey answer once. Its cursor is kept with
-- the rule's state and written in the same transaction as the message it decided (see
-- 20261208000001): `survey_position` is the first position not yet considered, in the
-- order `survey_order` names ('inserted': the row id here).
ALTER TABLE alert_rule_states ADD COLUMN survey_order TEXT
    CHECK (survey_order IN ('inserted', 'answered'));
ALTER TABLE alert_rule_states ADD COLUMN survey_position BIGINT;

-- New answers of a workspace in insertion order: the rule reads a row id range of one
-- workspace (kind and score in the index, so counting reads no table row). The row id, not
-- answered_at: an answer imported late with an old answered_at is still new.
CREATE INDEX IF NOT EXISTS survey_responses_inserted
    ON survey_responses (workspace, row_id, kind, score);
