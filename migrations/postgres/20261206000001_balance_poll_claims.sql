-- A scheduled balance poll is claimed before Gupshup is asked, so replicas ask once. The
-- claim is a lease per workspace: the first replica to take it polls, and every other skips
-- the workspace until the poll stores its reading (which releases the lease) or the lease
-- runs out, which covers a poll's longest run (every try, timeout and backoff, for a partner
-- login as well as the balance). So a slow Gupshup is not asked again by the next tick of
-- another replica, and a replica that dies mid-poll only holds the workspace until its lease
-- ends. `poll_slot` is the tick of the poll holding the lease: a slot is never polled twice.
-- The reading's own unique slot (20261203000001) stays as the store's guarantee.
CREATE TABLE IF NOT EXISTS balance_poll_claims (
    workspace    TEXT    PRIMARY KEY,
    poll_slot    BIGINT  NOT NULL,
    leased_until BIGINT  NOT NULL
);
