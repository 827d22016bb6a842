-- A scheduled balance poll is claimed before Gupshup is asked, so replicas whose ticks fire
-- together ask once: the first replica to insert (workspace, poll_slot) polls and the others
-- skip the workspace in that tick. The reading's own unique slot (20261203000001) stays as
-- the guarantee that a slot is stored once. A replica that dies between its claim and its
-- reading leaves the poll due, so the next tick (a new slot) polls it. Claims older than a
-- day are pruned by the claim that follows them.
CREATE TABLE IF NOT EXISTS balance_poll_claims (
    workspace  TEXT    NOT NULL,
    poll_slot  INTEGER NOT NULL,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (workspace, poll_slot)
);
