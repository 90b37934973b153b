-- Several `bot serve` replicas share the outbox (issue 6): a worker claims
-- due rows for a lease (claimed_by, claimed_until: unix ms) in one
-- immediate transaction (SQLite has a single writer), and only the claim's
-- owner may mark them. A claim left by a crashed worker ends with its
-- lease. dead_letter_of is, on a notice telling compliance that a message
-- was given up on, that message's id (never followed by a notice of its own).

-- +goose Up
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NULL;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER NULL;
ALTER TABLE outbox ADD COLUMN dead_letter_of INTEGER NULL;

-- +goose Down
ALTER TABLE outbox DROP COLUMN dead_letter_of;
ALTER TABLE outbox DROP COLUMN claimed_until;
ALTER TABLE outbox DROP COLUMN claimed_by;
