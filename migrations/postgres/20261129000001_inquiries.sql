-- The inquiry database contract (see README "Inquiry database contract").
-- When the platform already provides `inquiries` / `survey_responses` (tables or views,
-- created before `pulso migrate`), this migration leaves them alone.
DO $$
BEGIN
    IF to_regclass('inquiries') IS NULL THEN
        CREATE TABLE inquiries (
            workspace    text        NOT NULL,
            id           text        NOT NULL,
            channel      text        NOT NULL,
            origin       text        NOT NULL,
            status       text        NOT NULL
                CHECK (status IN ('pending', 'in_progress', 'resolved', 'expired')),
            operator_id  text,
            requested_at timestamptz NOT NULL,
            attended_at  timestamptz,
            resolved_at  timestamptz,
            expired_at   timestamptz,
            PRIMARY KEY (workspace, id)
        );
        -- One partial index per query shape (see the SQLite migration for the reasoning).
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
    END IF;

    IF to_regclass('survey_responses') IS NULL THEN
        CREATE TABLE survey_responses (
            workspace   text        NOT NULL,
            id          text        NOT NULL,
            inquiry_id  text,
            kind        text        NOT NULL CHECK (kind IN ('nps', 'csat')),
            score       smallint    NOT NULL,
            answered_at timestamptz NOT NULL,
            PRIMARY KEY (workspace, id)
        );
        CREATE INDEX survey_responses_answered
            ON survey_responses (workspace, answered_at, kind, score);
    END IF;
END
$$;
