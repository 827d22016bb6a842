-- Breakdowns and filters (README "Breakdowns and filters"): the indicators per operator,
-- origin and channel, read from per-day aggregates split by each of them.
--
-- `day_group_aggregates` holds, per workspace, dimension and complete local day, the facts
-- of every value of that dimension (`GroupedFacts` in src/domain/groups.rs). It follows the
-- rules of `day_aggregates`: the same marks in `aggregate_dirty` invalidate both.
CREATE TABLE IF NOT EXISTS day_group_aggregates (
    row_id    INTEGER PRIMARY KEY,
    workspace TEXT    NOT NULL,
    dimension TEXT    NOT NULL,  -- 'operator', 'origin' or 'channel'
    day       INTEGER NOT NULL,
    timezone  TEXT    NOT NULL,
    day_start INTEGER NOT NULL,
    day_end   INTEGER NOT NULL,
    built_at  INTEGER NOT NULL,
    facts     BLOB    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS day_group_aggregates_key
    ON day_group_aggregates (workspace, dimension, day, timezone);

-- A survey answer belongs to the inquiry it names, so an answer's group changes when its
-- inquiry appears, disappears or changes operator, origin or channel: the inquiry triggers
-- then mark the days of the answers that name it, found through this index. The triggers
-- do not name it (INDEXED BY): while an import builds the table's indexes at commit it is
-- briefly absent, and the writer finishes the survey table before the inquiries for that.
CREATE INDEX IF NOT EXISTS survey_responses_inquiry
    ON survey_responses (workspace, inquiry_id, answered_at);

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
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT DISTINCT workspace, (answered_at - ((answered_at % 86400 + 86400) % 86400)) / 86400,
           (answered_at - ((answered_at % 86400 + 86400) % 86400)) / 86400
    FROM survey_responses
    WHERE workspace = NEW.workspace AND inquiry_id = NEW.id
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER IF EXISTS inquiries_dirty_delete;
CREATE TRIGGER inquiries_dirty_delete AFTER DELETE ON inquiries BEGIN
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
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT DISTINCT workspace, (answered_at - ((answered_at % 86400 + 86400) % 86400)) / 86400,
           (answered_at - ((answered_at % 86400 + 86400) % 86400)) / 86400
    FROM survey_responses
    WHERE workspace = OLD.workspace AND inquiry_id = OLD.id
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

-- Now also when the operator, origin, channel or id changes (the groups move), and then
-- the days of the answers naming the old and the new inquiry as well.
DROP TRIGGER IF EXISTS inquiries_dirty_update;
CREATE TRIGGER inquiries_dirty_update AFTER UPDATE ON inquiries
WHEN OLD.workspace IS NOT NEW.workspace OR OLD.status IS NOT NEW.status
  OR OLD.requested_at IS NOT NEW.requested_at OR OLD.attended_at IS NOT NEW.attended_at
  OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.expired_at IS NOT NEW.expired_at
  OR OLD.id IS NOT NEW.id OR OLD.operator_id IS NOT NEW.operator_id
  OR OLD.origin IS NOT NEW.origin OR OLD.channel IS NOT NEW.channel
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
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT DISTINCT workspace, (answered_at - ((answered_at % 86400 + 86400) % 86400)) / 86400,
           (answered_at - ((answered_at % 86400 + 86400) % 86400)) / 86400
    FROM survey_responses
    WHERE (workspace = OLD.workspace AND inquiry_id = OLD.id)
       OR (workspace = NEW.workspace AND inquiry_id = NEW.id)
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

-- An answer moved to another inquiry changes group on the day it was answered.
DROP TRIGGER IF EXISTS survey_responses_dirty_update;
CREATE TRIGGER survey_responses_dirty_update AFTER UPDATE ON survey_responses
WHEN OLD.workspace IS NOT NEW.workspace OR OLD.kind IS NOT NEW.kind
  OR OLD.score IS NOT NEW.score OR OLD.answered_at IS NOT NEW.answered_at
  OR OLD.inquiry_id IS NOT NEW.inquiry_id
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

-- Calendar months of group aggregates, for long breakdowns: a month of one operator holds
-- a few thousand durations of a kind in a few hundred histogram buckets, so a year reads
-- twelve rows per group instead of 365 days of durations. Rebuilt from its days; any mark
-- overlapping [month_start, month_end) deletes it (src/store/month_rollups.rs).
CREATE TABLE IF NOT EXISTS month_group_aggregates (
    row_id      INTEGER PRIMARY KEY,
    workspace   TEXT    NOT NULL,
    dimension   TEXT    NOT NULL,
    month       INTEGER NOT NULL,  -- the number of its first local day
    timezone    TEXT    NOT NULL,
    month_start INTEGER NOT NULL,
    month_end   INTEGER NOT NULL,
    built_at    INTEGER NOT NULL,
    facts       BLOB    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS month_group_aggregates_key
    ON month_group_aggregates (workspace, dimension, month, timezone);
