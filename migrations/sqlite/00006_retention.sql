-- Retention under the records schedule (memo principle 7, directive §8): a
-- case closed longer ago than RETENTION_PERIOD is disposed of. What stays is
-- one row per disposed case in disposals, without people or words: its
-- number (so that /report case can say when it went), category, unit,
-- status, outcome and dates. Everything else about the case — its row,
-- history, messages and card references — is deleted in the same
-- transaction as the disposals row is written. cases.id is AUTOINCREMENT
-- (00001), so the number of a disposed case is never given out again.
--
-- case_events stays append-only for every case that exists: DELETE is now
-- allowed only for the events of a case already in disposals; UPDATE is
-- refused as before.

-- +goose Up
CREATE TABLE disposals (
    case_id      INTEGER NOT NULL PRIMARY KEY, -- no REFERENCES: the case row is gone
    top_category TEXT    NOT NULL DEFAULT '',
    unit         TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL,             -- resolved or withdrawn
    outcome      TEXT    NULL,
    created_at   INTEGER NOT NULL,
    closed_at    INTEGER NOT NULL,
    disposed_at  INTEGER NOT NULL
);

-- The retention pass reads only closed cases, through these partial indexes
-- (open and acknowledged cases are not in them).
CREATE INDEX cases_resolved_at ON cases (resolved_at, id) WHERE status = 'resolved';
CREATE INDEX cases_withdrawn_at ON cases (withdrawn_at, id) WHERE status = 'withdrawn';

DROP TRIGGER case_events_no_delete;
-- +goose StatementBegin
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
WHEN NOT EXISTS (SELECT 1 FROM disposals WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only: DELETE refused');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER case_events_no_delete;
-- +goose StatementBegin
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only: DELETE refused');
END;
-- +goose StatementEnd
DROP INDEX cases_withdrawn_at;
DROP INDEX cases_resolved_at;
DROP TABLE disposals;
