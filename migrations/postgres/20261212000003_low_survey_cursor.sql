-- The low_survey alert rule reports each low survey answer once. Its cursor is kept with
-- the rule's state and written in the same transaction as the message it decided (see
-- 20261208000001): `survey_position` is the first position not yet considered, in the
-- order `survey_order` names ('inserted': `survey_responses.inserted_seq`; 'answered':
-- epoch seconds of answered_at, for a platform's views).
ALTER TABLE alert_rule_states
    ADD COLUMN IF NOT EXISTS survey_order text CHECK (survey_order IN ('inserted', 'answered')),
    ADD COLUMN IF NOT EXISTS survey_position bigint;

-- On pulso's own survey table, an insertion order: a sequence value per inserted row (an
-- upsert that updates a row keeps it). answered_at cannot serve: an answer imported late
-- with an old answered_at would never be new. The column is added empty and its default
-- set afterwards, so existing rows (history, never reported) stay NULL and the table is not
-- rewritten; the partial index holds only numbered rows. A sequence value is taken when a
-- row is inserted, not when it commits, so the rule reads the sequence only under a SHARE
-- lock (no insert in flight; src/store/survey_alerts.rs). A platform's views are left
-- alone: there the rule follows answered_at.
DO $$
BEGIN
    IF to_regclass('survey_responses_answered') IS NOT NULL THEN
        ALTER TABLE survey_responses ADD COLUMN IF NOT EXISTS inserted_seq bigint;
        CREATE SEQUENCE IF NOT EXISTS survey_responses_inserted_seq
            OWNED BY survey_responses.inserted_seq;
        ALTER TABLE survey_responses
            ALTER COLUMN inserted_seq SET DEFAULT nextval('survey_responses_inserted_seq');
        CREATE INDEX IF NOT EXISTS survey_responses_inserted
            ON survey_responses (workspace, inserted_seq, kind, score)
            WHERE inserted_seq IS NOT NULL;
    END IF;
END
$$;
