-- A message may edit an earlier one instead of posting: `edits` holds the dedupe key of the
-- message it edits (e.g. an alert episode's first message, edited to show it resolved).
-- It is delivered once that message has been, to the same place.
ALTER TABLE outbox ADD COLUMN edits TEXT;
