-- `pulso import` into an empty table inserts its rows bare and builds every index at the
-- end by sorting (docs/performance.md, "first load"): rows in any order then cost what rows
-- in time order cost. A table-level UNIQUE (workspace, id) is an automatic index SQLite
-- never lets anyone drop, so both tables are rebuilt with that key as a named unique index
-- instead. Same columns, same row ids (the low_survey cursor counts them), same indexes and
-- triggers; ON CONFLICT (workspace, id) matches a unique index as it matched the constraint.
-- The copy writes every row once: on a large database this migration takes as long as
-- rewriting the file.

CREATE TABLE inquiries_rebuilt (
    row_id       INTEGER PRIMARY KEY,
    workspace    TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    origin       TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'in_progress', 'resolved', 'expired')),
    operator_id  TEXT,
    requested_at INTEGER NOT NULL,
    attended_at  INTEGER,
    resolved_at  INTEGER,
    expired_at   INTEGER
);
INSERT INTO inquiries_rebuilt
    SELECT row_id, workspace, id, channel, origin, status, operator_id, requested_at,
           attended_at, resolved_at, expired_at
    FROM inquiries ORDER BY row_id;
-- Dropping a table drops its indexes and triggers, and fires no delete trigger: the day
-- aggregates stay valid, since the same rows come back.
DROP TABLE inquiries;
ALTER TABLE inquiries_rebuilt RENAME TO inquiries;

CREATE UNIQUE INDEX inquiries_key ON inquiries (workspace, id);
CREATE INDEX inquiries_pending
    ON inquiries (workspace, requested_at) WHERE status = 'pending';
CREATE INDEX inquiries_in_progress
    ON inquiries (workspace, requested_at) WHERE status = 'in_progress';
CREATE INDEX inquiries_attended
    ON inquiries (workspace, attended_at, requested_at) WHERE attended_at IS NOT NULL;
CREATE INDEX inquiries_resolved
    ON inquiries (workspace, resolved_at, attended_at, requested_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX inquiries_expired
    ON inquiries (workspace, expired_at) WHERE expired_at IS NOT NULL;

CREATE TABLE survey_responses_rebuilt (
    row_id      INTEGER PRIMARY KEY,
    workspace   TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    inquiry_id  TEXT,
    kind        TEXT    NOT NULL CHECK (kind IN ('nps', 'csat')),
    score       INTEGER NOT NULL,
    answered_at INTEGER NOT NULL
);
INSERT INTO survey_responses_rebuilt
    SELECT row_id, workspace, id, inquiry_id, kind, score, answered_at
    FROM survey_responses ORDER BY row_id;
DROP TABLE survey_responses;
ALTER TABLE survey_responses_rebuilt RENAME TO survey_responses;

CREATE UNIQUE INDEX survey_responses_key ON survey_responses (workspace, id);
CREATE INDEX survey_responses_answered
    ON survey_responses (workspace, answered_at, kind, score);
CREATE INDEX survey_responses_inserted
    ON survey_responses (workspace, row_id, kind, score);

-- The marking triggers of 20261201000001, 20261204000001 and 20261205000001, unchanged.
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
END;

CREATE TRIGGER inquiries_dirty_update AFTER UPDATE ON inquiries
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

CREATE TRIGGER survey_responses_dirty_insert AFTER INSERT ON survey_responses BEGIN
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT NEW.workspace, day, day
    FROM (SELECT (NEW.answered_at - ((NEW.answered_at % 86400 + 86400) % 86400)) / 86400 AS day)
    WHERE true
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER survey_responses_dirty_delete AFTER DELETE ON survey_responses BEGIN
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day)
    SELECT OLD.workspace, day, day
    FROM (SELECT (OLD.answered_at - ((OLD.answered_at % 86400 + 86400) % 86400)) / 86400 AS day)
    WHERE true
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER survey_responses_dirty_update AFTER UPDATE ON survey_responses
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
