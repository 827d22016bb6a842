-- When demo data was last written into a workspace (`pulso demo-data`, or the first run
-- with `[demo] enabled`). The live demo queue is timed from it, the same on every replica
-- and after restarts; a workspace without a row never gets live demo inquiries.
CREATE TABLE IF NOT EXISTS demo_starts (
    workspace  TEXT   PRIMARY KEY,
    started_at BIGINT NOT NULL
);
