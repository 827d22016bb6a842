-- Breakdowns and filters (README "Breakdowns and filters"); the SQLite migration of the
-- same name explains the table. The same marks invalidate both kinds of aggregates.
CREATE TABLE IF NOT EXISTS day_group_aggregates (
    workspace text    NOT NULL,
    dimension text    NOT NULL,
    day       bigint  NOT NULL,
    timezone  text    NOT NULL,
    day_start bigint  NOT NULL,
    day_end   bigint  NOT NULL,
    built_at  bigint  NOT NULL,
    facts     bytea   NOT NULL,
    PRIMARY KEY (workspace, dimension, day, timezone)
);
ALTER TABLE day_group_aggregates ALTER COLUMN facts SET STORAGE MAIN;

-- Calendar months of group aggregates (the SQLite migration explains them).
CREATE TABLE IF NOT EXISTS month_group_aggregates (
    workspace   text    NOT NULL,
    dimension   text    NOT NULL,
    month       bigint  NOT NULL,
    timezone    text    NOT NULL,
    month_start bigint  NOT NULL,
    month_end   bigint  NOT NULL,
    built_at    bigint  NOT NULL,
    facts       bytea   NOT NULL,
    PRIMARY KEY (workspace, dimension, month, timezone)
);
ALTER TABLE month_group_aggregates ALTER COLUMN facts SET STORAGE MAIN;

-- On pulso's own tables only: an answer belongs to the inquiry it names, so the inquiry
-- trigger marks the days of the answers naming an inquiry that appears, disappears or
-- changes operator, origin, channel or id; an answer moved to another inquiry marks its day.
DO $$
BEGIN
    IF to_regclass('survey_responses_answered') IS NOT NULL THEN
        CREATE INDEX IF NOT EXISTS survey_responses_inquiry
            ON survey_responses (workspace, inquiry_id, answered_at);
    END IF;
    IF to_regprocedure('pulso_mark_inquiries()') IS NOT NULL THEN
        CREATE OR REPLACE FUNCTION pulso_mark_inquiries() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace,
                       floor(date_part('epoch', LEAST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint,
                       floor(date_part('epoch', GREATEST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint
                FROM new_rows
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT s.workspace, floor(date_part('epoch', s.answered_at) / 86400)::bigint,
                       floor(date_part('epoch', s.answered_at) / 86400)::bigint
                FROM survey_responses s
                WHERE EXISTS (SELECT 1 FROM new_rows n WHERE n.workspace = s.workspace AND n.id = s.inquiry_id)
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace,
                       floor(date_part('epoch', LEAST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint,
                       floor(date_part('epoch', GREATEST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint
                FROM old_rows
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT s.workspace, floor(date_part('epoch', s.answered_at) / 86400)::bigint,
                       floor(date_part('epoch', s.answered_at) / 86400)::bigint
                FROM survey_responses s
                WHERE EXISTS (SELECT 1 FROM old_rows o WHERE o.workspace = s.workspace AND o.id = s.inquiry_id)
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            ELSE
                -- Rows whose indicator or group columns changed, before and after; an
                -- upsert that changes none of them (re-importing a file) marks nothing.
                WITH changed AS MATERIALIZED (
                    (SELECT workspace, id, status, operator_id, origin, channel,
                            requested_at, attended_at, resolved_at, expired_at FROM old_rows
                     EXCEPT ALL
                     SELECT workspace, id, status, operator_id, origin, channel,
                            requested_at, attended_at, resolved_at, expired_at FROM new_rows)
                    UNION ALL
                    (SELECT workspace, id, status, operator_id, origin, channel,
                            requested_at, attended_at, resolved_at, expired_at FROM new_rows
                     EXCEPT ALL
                     SELECT workspace, id, status, operator_id, origin, channel,
                            requested_at, attended_at, resolved_at, expired_at FROM old_rows))
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace, lo_day, hi_day
                FROM (SELECT workspace,
                             floor(date_part('epoch', LEAST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint AS lo_day,
                             floor(date_part('epoch', GREATEST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint AS hi_day
                      FROM changed
                      UNION ALL
                      SELECT s.workspace, floor(date_part('epoch', s.answered_at) / 86400)::bigint,
                             floor(date_part('epoch', s.answered_at) / 86400)::bigint
                      FROM survey_responses s
                      WHERE EXISTS (SELECT 1 FROM changed c
                                    WHERE c.workspace = s.workspace AND c.id = s.inquiry_id)) spans
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            END IF;
            RETURN NULL;
        END
        $f$;
    END IF;
    IF to_regprocedure('pulso_mark_surveys()') IS NOT NULL THEN
        CREATE OR REPLACE FUNCTION pulso_mark_surveys() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace, floor(date_part('epoch', answered_at) / 86400)::bigint,
                       floor(date_part('epoch', answered_at) / 86400)::bigint
                FROM new_rows
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace, floor(date_part('epoch', answered_at) / 86400)::bigint,
                       floor(date_part('epoch', answered_at) / 86400)::bigint
                FROM old_rows
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            ELSE
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace, floor(date_part('epoch', answered_at) / 86400)::bigint,
                       floor(date_part('epoch', answered_at) / 86400)::bigint
                FROM ((SELECT workspace, inquiry_id, kind, score, answered_at FROM old_rows
                       EXCEPT ALL SELECT workspace, inquiry_id, kind, score, answered_at FROM new_rows)
                      UNION ALL
                      (SELECT workspace, inquiry_id, kind, score, answered_at FROM new_rows
                       EXCEPT ALL SELECT workspace, inquiry_id, kind, score, answered_at FROM old_rows)) changed
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            END IF;
            RETURN NULL;
        END
        $f$;
    END IF;
END
$$;
