-- The deadline worker (issue 6) reads durable rows, not in-memory timers:
-- next_action_at is when a case next needs the bot (a reminder or an
-- escalation), NULL when nothing is owed (closed cases); escalate_at is when
-- an unacknowledged case goes one level up (NULL unless open); reminders
-- counts the reminders sent. Times are unix milliseconds, as everywhere.

-- +goose Up
ALTER TABLE cases ADD COLUMN next_action_at BIGINT  NULL;
ALTER TABLE cases ADD COLUMN reminders      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN escalate_at    BIGINT  NULL;

-- Cases filed before this migration: escalation 24 hours after filing, and
-- the next action at the first deadline that applies.
UPDATE cases SET escalate_at = created_at + 86400000 WHERE status = 'open';
UPDATE cases SET next_action_at = LEAST(ack_due_at, escalate_at) WHERE status = 'open';
UPDATE cases SET next_action_at = resolve_due_at WHERE status = 'acknowledged';

-- The scan reads only rows that are due: closed cases (NULL) are not in
-- the index at all.
CREATE INDEX cases_next_action ON cases (next_action_at, id) WHERE next_action_at IS NOT NULL;

-- +goose Down
DROP INDEX cases_next_action;
ALTER TABLE cases DROP COLUMN escalate_at;
ALTER TABLE cases DROP COLUMN reminders;
ALTER TABLE cases DROP COLUMN next_action_at;
