-- pulso's own writer (import, demo data, bench) now drops the two insert triggers inside its
-- transaction and creates them again, from the text stored in sqlite_master, just before it
-- commits; it marks the day spans of the rows it wrote itself (src/store/sqlite_writer.rs).
-- Invoking a row trigger at all cost about as much as inserting the row, so the hold of
-- 20261204000001, which the triggers checked on every insert, goes away, and the insert
-- triggers are again those of 20261201000001.
DROP TRIGGER IF EXISTS inquiries_dirty_insert;
CREATE TRIGGER inquiries_dirty_insert AFTER INSERT ON inquiries BEGIN
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
CREATE TRIGGER survey_responses_dirty_insert AFTER INSERT ON survey_responses BEGIN
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT NEW.workspace, day, day
    FROM (SELECT (NEW.answered_at - ((NEW.answered_at % 86400 + 86400) % 86400)) / 86400 AS day)
    WHERE true
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

DROP TABLE IF EXISTS aggregate_marking_by_writer;
