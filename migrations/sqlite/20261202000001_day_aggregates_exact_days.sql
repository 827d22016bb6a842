-- Day aggregates now keep a quiet day's durations one by one (encoding version 2, see
-- src/indicators/facts.rs). Rows in the old encoding would be rebuilt on first read anyway;
-- dropping them here avoids a warning per workspace. They are rebuilt while answering.
DELETE FROM day_aggregates;
