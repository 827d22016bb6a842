-- One scheduled balance poll per workspace and scheduler tick, whichever replica runs it.
-- Every replica's 30-second tick polls the workspaces that are due, so two replicas used to
-- store the same poll twice (and both advance the alert machine). A scheduled poll records
-- its tick slot (epoch seconds of the tick's 30-second boundary); the first replica to store
-- a slot wins and the other's whole poll (reading, state, alerts) is dropped. Manual polls
-- (`pulso balance`, `--check`) and older rows leave it NULL, which never conflicts.
ALTER TABLE balance_readings ADD COLUMN poll_slot INTEGER;
CREATE UNIQUE INDEX IF NOT EXISTS balance_readings_one_per_slot ON balance_readings (workspace, poll_slot);
