-- The marking trigger functions compute epoch days with date_part (double precision)
-- instead of extract (numeric since PostgreSQL 14, several times slower per row), as the
-- indicator queries already do: about a tenth of a bulk import's time. Same days: a whole
-- second is exact in a double, and floor() of a microsecond instant is right. Replaced only
-- where the first version created them (pulso's own tables).
DO $$
BEGIN
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
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace,
                       floor(date_part('epoch', LEAST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint,
                       floor(date_part('epoch', GREATEST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint
                FROM old_rows
                ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1;
            ELSE
                -- Rows whose indicator columns changed, before and after; an upsert that
                -- changes none of them (re-importing a file) marks nothing.
                INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
                SELECT DISTINCT workspace,
                       floor(date_part('epoch', LEAST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint,
                       floor(date_part('epoch', GREATEST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint
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
    END IF;
END
$$;
