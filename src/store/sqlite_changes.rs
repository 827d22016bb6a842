//! How the SQLite bulk writer marks the rows its upserts change: the per-row update
//! triggers are suspended inside its transaction (like the insert triggers, see
//! `sqlite_writer`); a temporary trigger records each changed row in a temporary table,
//! and commit marks what they record with one grouped statement each.
//!
//! **Why.** The update trigger's body runs two upserts into `aggregate_dirty` and a lookup
//! of the row's answers for every changed row. The benchmark's upsert (1M shuffled
//! inquiries into 10M, half of them changed, and 186,011 answers): the move of the staged
//! inquiries took 13.8 s with the trigger and 10.8 s logging and marking set-wise (in the
//! `sqlite3` shell), and `pulso import` 18.5–19.3 s → 17.8 s (docs/performance.md). The
//! answers are looked up in key order, once per changed inquiry.
//!
//! **Same marks.** The recording triggers fire on exactly the update triggers' `WHEN`
//! (migration `20261215000001`), and the marks are the spans the update triggers compute,
//! old and new: `the_writer_marks_changed_rows_as_the_triggers_would` compares them.

use rusqlite::Connection;

use super::{StoreError, failed};

/// An update trigger the writer stands in for, and how it does.
pub(super) struct ChangeLog {
    /// The suspended trigger.
    pub trigger: &'static str,
    /// Creates the temporary table and the trigger that fills it.
    start: &'static str,
    /// Marks the recorded rows, then drops the temporary table and trigger.
    mark: &'static [&'static str],
}

/// The change logs, one per table the bulk writer upserts.
pub(super) const CHANGE_LOGS: [ChangeLog; 2] = [
    ChangeLog {
        trigger: "inquiries_dirty_update",
        start: START_INQUIRY_LOG,
        mark: &[
            MARK_CHANGED_INQUIRIES,
            MARK_ANSWERS_OF_CHANGED,
            "DROP TRIGGER temp.pulso_log_inquiry_changes; \
             DROP TABLE temp.pulso_changed_inquiries",
        ],
    },
    ChangeLog {
        trigger: "survey_responses_dirty_update",
        start: START_SURVEY_LOG,
        mark: &[
            MARK_CHANGED_SURVEYS,
            "DROP TRIGGER temp.pulso_log_survey_changes; \
             DROP TABLE temp.pulso_changed_surveys",
        ],
    },
];

impl ChangeLog {
    /// Starts recording changed rows (the update trigger has just been dropped).
    pub(super) fn start(&self, connection: &Connection) -> Result<(), StoreError> {
        connection
            .execute_batch(self.start)
            .map_err(failed("recording changed rows"))
    }

    /// Marks the days of the recorded rows as the update trigger would have, and stops
    /// recording.
    pub(super) fn mark(&self, connection: &Connection) -> Result<(), StoreError> {
        for statement in self.mark {
            connection
                .execute_batch(statement)
                .map_err(failed("marking the days of changed rows"))?;
        }
        Ok(())
    }
}

/// Inquiries: the key, earliest and latest instant before and after, of each row whose
/// indicator or group columns changed (the update trigger's `WHEN`).
const START_INQUIRY_LOG: &str = "\
    CREATE TEMP TABLE pulso_changed_inquiries (\
        old_workspace TEXT, old_id TEXT, old_lo INTEGER, old_hi INTEGER, \
        new_workspace TEXT, new_id TEXT, new_lo INTEGER, new_hi INTEGER); \
    CREATE TEMP TRIGGER pulso_log_inquiry_changes AFTER UPDATE ON main.inquiries \
    WHEN OLD.workspace IS NOT NEW.workspace OR OLD.status IS NOT NEW.status \
      OR OLD.requested_at IS NOT NEW.requested_at OR OLD.attended_at IS NOT NEW.attended_at \
      OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.expired_at IS NOT NEW.expired_at \
      OR OLD.id IS NOT NEW.id OR OLD.operator_id IS NOT NEW.operator_id \
      OR OLD.origin IS NOT NEW.origin OR OLD.channel IS NOT NEW.channel \
    BEGIN \
        INSERT INTO pulso_changed_inquiries VALUES (OLD.workspace, OLD.id, \
            min(OLD.requested_at, coalesce(OLD.attended_at, OLD.requested_at), \
                coalesce(OLD.resolved_at, OLD.requested_at), coalesce(OLD.expired_at, OLD.requested_at)), \
            max(OLD.requested_at, coalesce(OLD.attended_at, OLD.requested_at), \
                coalesce(OLD.resolved_at, OLD.requested_at), coalesce(OLD.expired_at, OLD.requested_at)), \
            NEW.workspace, NEW.id, \
            min(NEW.requested_at, coalesce(NEW.attended_at, NEW.requested_at), \
                coalesce(NEW.resolved_at, NEW.requested_at), coalesce(NEW.expired_at, NEW.requested_at)), \
            max(NEW.requested_at, coalesce(NEW.attended_at, NEW.requested_at), \
                coalesce(NEW.resolved_at, NEW.requested_at), coalesce(NEW.expired_at, NEW.requested_at))); \
    END";

/// The old and new spans of the changed inquiries, once each.
const MARK_CHANGED_INQUIRIES: &str = "INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
     SELECT workspace, (lo - ((lo % 86400 + 86400) % 86400)) / 86400, \
            (hi - ((hi % 86400 + 86400) % 86400)) / 86400 \
     FROM (SELECT old_workspace AS workspace, old_lo AS lo, old_hi AS hi \
           FROM temp.pulso_changed_inquiries \
           UNION ALL SELECT new_workspace, new_lo, new_hi FROM temp.pulso_changed_inquiries) \
     WHERE true GROUP BY 1, 2, 3 \
     ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1";

/// The days of the answers naming a changed inquiry, before or after: `UNION` looks each
/// key up once, in key order.
const MARK_ANSWERS_OF_CHANGED: &str = "INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
     SELECT DISTINCT s.workspace, \
            (s.answered_at - ((s.answered_at % 86400 + 86400) % 86400)) / 86400, \
            (s.answered_at - ((s.answered_at % 86400 + 86400) % 86400)) / 86400 \
     FROM (SELECT old_workspace AS workspace, old_id AS id FROM temp.pulso_changed_inquiries \
           UNION SELECT new_workspace, new_id FROM temp.pulso_changed_inquiries) c \
     CROSS JOIN survey_responses s INDEXED BY survey_responses_inquiry \
       ON s.workspace = c.workspace AND s.inquiry_id = c.id \
     WHERE true \
     ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1";

/// Survey answers: the workspace and instant before and after of each changed answer.
const START_SURVEY_LOG: &str = "\
    CREATE TEMP TABLE pulso_changed_surveys (\
        old_workspace TEXT, old_at INTEGER, new_workspace TEXT, new_at INTEGER); \
    CREATE TEMP TRIGGER pulso_log_survey_changes AFTER UPDATE ON main.survey_responses \
    WHEN OLD.workspace IS NOT NEW.workspace OR OLD.kind IS NOT NEW.kind \
      OR OLD.score IS NOT NEW.score OR OLD.answered_at IS NOT NEW.answered_at \
      OR OLD.inquiry_id IS NOT NEW.inquiry_id \
    BEGIN \
        INSERT INTO pulso_changed_surveys \
        VALUES (OLD.workspace, OLD.answered_at, NEW.workspace, NEW.answered_at); \
    END";

/// The old and new days of the changed answers, once each.
const MARK_CHANGED_SURVEYS: &str = "INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
     SELECT workspace, day, day \
     FROM (SELECT workspace, (at - ((at % 86400 + 86400) % 86400)) / 86400 AS day \
           FROM (SELECT old_workspace AS workspace, old_at AS at FROM temp.pulso_changed_surveys \
                 UNION ALL SELECT new_workspace, new_at FROM temp.pulso_changed_surveys)) \
     WHERE true GROUP BY 1, 2 \
     ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1";
