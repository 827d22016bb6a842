-- pulso's own writer (import, demo data, bench) marks the day spans of the rows it inserts
-- itself, one grouped statement per batch, instead of one marking upsert per row from the
-- insert triggers: the per-row upsert cost more than the row's own insert (README
-- "Performance"). While the writer's transaction holds a row here, the insert triggers
-- skip. The row is added and removed inside that transaction, so no other connection ever
-- sees it, and a crashed writer rolls it back with everything else. Updates and deletes
-- are still marked by their triggers, for every writer.
CREATE TABLE IF NOT EXISTS aggregate_marking_by_writer (
    held INTEGER NOT NULL
);

DROP TRIGGER IF EXISTS inquiries_dirty_insert;
CREATE TRIGGER inquiries_dirty_insert AFTER INSERT ON inquiries
WHEN NOT EXISTS (SELECT 1 FROM aggregate_marking_by_writer)
BEGIN
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT NEW.workspace, (lo - ((lo % 86400 + 86400) % 86400)) / 86400,
           (hi - ((hi % 86400 + 86400) % 86400)) / 86400
    FROM (SELECT min(NEW.requested_at, coalesce(NEW.attended_at, NEW.requested_at),
                     coalesce(NEW.resolved_at, NEW.requested_at),
                     coalesce(NEW.expired_at, NEW.requested_at)) AS lo,
                 max(NEW.requested_at, coalesce(NEW.attended_at, NEW.requested_at),
                     coalesce(NEW.resolved_at, NEW.requested_at),
                     coalesce(NEW.expired_at, NEW.requested_at)) AS hi) WHERE true
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER IF EXISTS survey_responses_dirty_insert;
CREATE TRIGGER survey_responses_dirty_insert AFTER INSERT ON survey_responses
WHEN NOT EXISTS (SELECT 1 FROM aggregate_marking_by_writer)
BEGIN
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT NEW.workspace, day, day
    FROM (SELECT (NEW.answered_at - ((NEW.answered_at % 86400 + 86400) % 86400)) / 86400 AS day)
    WHERE true
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;
