-- Per-day pre-aggregates of the windowed indicators and the marks that invalidate them
-- (README "Performance"). Days are local days of the workspace zone, numbered from
-- 1970-01-01; the zone is part of the key, so a zone change never reuses an aggregate.
CREATE TABLE IF NOT EXISTS day_aggregates (
    row_id    INTEGER PRIMARY KEY,
    workspace TEXT    NOT NULL,
    day       INTEGER NOT NULL,
    timezone  TEXT    NOT NULL,
    day_start INTEGER NOT NULL,  -- the day's UTC window [day_start, day_end), epoch seconds
    day_end   INTEGER NOT NULL,
    built_at  INTEGER NOT NULL,
    facts     BLOB    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS day_aggregates_key ON day_aggregates (workspace, day, timezone);

-- Every write to the inquiry tables marks the UTC days (epoch days) its old and new rows
-- touch, in the writing transaction. A mark makes every aggregate it overlaps unusable until
-- rebuilt; `version` changes when the same span is marked again, so a rebuild that started
-- before the write can tell it missed it.
CREATE TABLE IF NOT EXISTS aggregate_dirty (
    workspace TEXT    NOT NULL,
    lo_day    INTEGER NOT NULL,
    hi_day    INTEGER NOT NULL,
    version   INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace, lo_day, hi_day)
) WITHOUT ROWID;

-- floor(x / 86400) for any sign: (x - ((x % 86400 + 86400) % 86400)) / 86400.
CREATE TRIGGER IF NOT EXISTS inquiries_dirty_insert AFTER INSERT ON inquiries BEGIN
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

CREATE TRIGGER IF NOT EXISTS inquiries_dirty_delete AFTER DELETE ON inquiries BEGIN
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT OLD.workspace, (lo - ((lo % 86400 + 86400) % 86400)) / 86400,
           (hi - ((hi % 86400 + 86400) % 86400)) / 86400
    FROM (SELECT min(OLD.requested_at, coalesce(OLD.attended_at, OLD.requested_at),
                     coalesce(OLD.resolved_at, OLD.requested_at),
                     coalesce(OLD.expired_at, OLD.requested_at)) AS lo,
                 max(OLD.requested_at, coalesce(OLD.attended_at, OLD.requested_at),
                     coalesce(OLD.resolved_at, OLD.requested_at),
                     coalesce(OLD.expired_at, OLD.requested_at)) AS hi) WHERE true
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

-- An upsert that changes nothing the indicators read (re-importing a file) marks nothing.
CREATE TRIGGER IF NOT EXISTS inquiries_dirty_update AFTER UPDATE ON inquiries
WHEN OLD.workspace IS NOT NEW.workspace OR OLD.status IS NOT NEW.status
  OR OLD.requested_at IS NOT NEW.requested_at OR OLD.attended_at IS NOT NEW.attended_at
  OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.expired_at IS NOT NEW.expired_at
BEGIN
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT workspace, (lo - ((lo % 86400 + 86400) % 86400)) / 86400,
           (hi - ((hi % 86400 + 86400) % 86400)) / 86400
    FROM (SELECT OLD.workspace AS workspace,
                 min(OLD.requested_at, coalesce(OLD.attended_at, OLD.requested_at),
                     coalesce(OLD.resolved_at, OLD.requested_at),
                     coalesce(OLD.expired_at, OLD.requested_at)) AS lo,
                 max(OLD.requested_at, coalesce(OLD.attended_at, OLD.requested_at),
                     coalesce(OLD.resolved_at, OLD.requested_at),
                     coalesce(OLD.expired_at, OLD.requested_at)) AS hi
          UNION ALL
          SELECT NEW.workspace,
                 min(NEW.requested_at, coalesce(NEW.attended_at, NEW.requested_at),
                     coalesce(NEW.resolved_at, NEW.requested_at),
                     coalesce(NEW.expired_at, NEW.requested_at)),
                 max(NEW.requested_at, coalesce(NEW.attended_at, NEW.requested_at),
                     coalesce(NEW.resolved_at, NEW.requested_at),
                     coalesce(NEW.expired_at, NEW.requested_at))) WHERE true
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER IF NOT EXISTS survey_responses_dirty_insert AFTER INSERT ON survey_responses BEGIN
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT NEW.workspace, day, day
    FROM (SELECT (NEW.answered_at - ((NEW.answered_at % 86400 + 86400) % 86400)) / 86400 AS day)
    WHERE true
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER IF NOT EXISTS survey_responses_dirty_delete AFTER DELETE ON survey_responses BEGIN
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT OLD.workspace, day, day
    FROM (SELECT (OLD.answered_at - ((OLD.answered_at % 86400 + 86400) % 86400)) / 86400 AS day)
    WHERE true
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER IF NOT EXISTS survey_responses_dirty_update AFTER UPDATE ON survey_responses
WHEN OLD.workspace IS NOT NEW.workspace OR OLD.kind IS NOT NEW.kind
  OR OLD.score IS NOT NEW.score OR OLD.answered_at IS NOT NEW.answered_at
BEGIN
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT workspace, day, day
    FROM (SELECT OLD.workspace AS workspace,
                 (OLD.answered_at - ((OLD.answered_at % 86400 + 86400) % 86400)) / 86400 AS day
          UNION ALL
          SELECT NEW.workspace,
                 (NEW.answered_at - ((NEW.answered_at % 86400 + 86400) % 86400)) / 86400)
    WHERE true
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;
