-- Per-day pre-aggregates of the windowed indicators and the marks that invalidate them
-- (README "Performance"; the SQLite migration explains the columns).
CREATE TABLE IF NOT EXISTS day_aggregates (
    workspace text    NOT NULL,
    day       bigint  NOT NULL,
    timezone  text    NOT NULL,
    day_start bigint  NOT NULL,
    day_end   bigint  NOT NULL,
    built_at  bigint  NOT NULL,
    facts     bytea   NOT NULL,
    PRIMARY KEY (workspace, day, timezone)
);
-- A day is 1-4 KB of varints that compress to about half: MAIN keeps it compressed in the
-- row (no TOAST lookup per day when a year of days is read) unless it cannot fit.
ALTER TABLE day_aggregates ALTER COLUMN facts SET STORAGE MAIN;

CREATE TABLE IF NOT EXISTS aggregate_dirty (
    workspace text   NOT NULL,
    lo_day    bigint NOT NULL,
    hi_day    bigint NOT NULL,
    version   bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace, lo_day, hi_day)
);

-- Marks are written by statement-level triggers (one INSERT per statement, not per row) and
-- only on the tables pulso created: a platform's views have no triggers, and pulso then
-- applies the settle rule for external sources instead (README "Performance").
DO $$
BEGIN
    -- Only on pulso's own tables (its indexes are there); views and platform tables are left alone.
    IF to_regclass('inquiries_resolved') IS NOT NULL THEN
        CREATE OR REPLACE FUNCTION pulso_mark_inquiries() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace,
                       floor(extract(epoch FROM LEAST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint,
                       floor(extract(epoch FROM GREATEST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint
                FROM new_rows
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace,
                       floor(extract(epoch FROM LEAST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint,
                       floor(extract(epoch FROM GREATEST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint
                FROM old_rows
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            ELSE
                -- Rows whose indicator columns changed, before and after; an upsert that
                -- changes none of them (re-importing a file) marks nothing.
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace,
                       floor(extract(epoch FROM LEAST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint,
                       floor(extract(epoch FROM GREATEST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint
                FROM ((SELECT workspace, status, requested_at, attended_at, resolved_at, expired_at FROM old_rows
                       EXCEPT ALL
                       SELECT workspace, status, requested_at, attended_at, resolved_at, expired_at FROM new_rows)
                      UNION ALL
                      (SELECT workspace, status, requested_at, attended_at, resolved_at, expired_at FROM new_rows
                       EXCEPT ALL
                       SELECT workspace, status, requested_at, attended_at, resolved_at, expired_at FROM old_rows)) changed
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            END IF;
            RETURN NULL;
        END
        $f$;
        CREATE TRIGGER inquiries_dirty_insert AFTER INSERT ON inquiries
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pulso_mark_inquiries();
        CREATE TRIGGER inquiries_dirty_update AFTER UPDATE ON inquiries
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION pulso_mark_inquiries();
        CREATE TRIGGER inquiries_dirty_delete AFTER DELETE ON inquiries
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pulso_mark_inquiries();
    END IF;

    IF to_regclass('survey_responses_answered') IS NOT NULL THEN
        CREATE OR REPLACE FUNCTION pulso_mark_surveys() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace, floor(extract(epoch FROM answered_at) / 86400)::bigint,
                       floor(extract(epoch FROM answered_at) / 86400)::bigint
                FROM new_rows
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace, floor(extract(epoch FROM answered_at) / 86400)::bigint,
                       floor(extract(epoch FROM answered_at) / 86400)::bigint
                FROM old_rows
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            ELSE
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace, floor(extract(epoch FROM answered_at) / 86400)::bigint,
                       floor(extract(epoch FROM answered_at) / 86400)::bigint
                FROM ((SELECT workspace, kind, score, answered_at FROM old_rows
                       EXCEPT ALL SELECT workspace, kind, score, answered_at FROM new_rows)
                      UNION ALL
                      (SELECT workspace, kind, score, answered_at FROM new_rows
                       EXCEPT ALL SELECT workspace, kind, score, answered_at FROM old_rows)) changed
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            END IF;
            RETURN NULL;
        END
        $f$;
        CREATE TRIGGER survey_responses_dirty_insert AFTER INSERT ON survey_responses
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pulso_mark_surveys();
        CREATE TRIGGER survey_responses_dirty_update AFTER UPDATE ON survey_responses
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION pulso_mark_surveys();
        CREATE TRIGGER survey_responses_dirty_delete AFTER DELETE ON survey_responses
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pulso_mark_surveys();
    END IF;
END
$$;
