-- Retention under the records schedule (memo principle 7, directive §8): a
-- case closed longer ago than RETENTION_PERIOD is disposed of. What stays is
-- one row per disposed case in disposals, without people or words: its
-- number (so that /report case can say when it went, and numbers are never
-- reused), category, unit, status, outcome and dates. Everything else about
-- the case — its row, history, messages and card references — is deleted in
-- the same transaction as the disposals row is written.
--
-- case_events stays append-only for every case that exists: DELETE is now
-- allowed only for the events of a case already in disposals; UPDATE and
-- TRUNCATE are refused as before (same function, same triggers).

-- +goose Up
CREATE TABLE disposals (
    case_id      BIGINT NOT NULL PRIMARY KEY, -- no REFERENCES: the case row is gone
    top_category TEXT   NOT NULL DEFAULT '',
    unit         TEXT   NOT NULL DEFAULT '',
    status       TEXT   NOT NULL,             -- resolved or withdrawn
    outcome      TEXT   NULL,
    created_at   BIGINT NOT NULL,
    closed_at    BIGINT NOT NULL,
    disposed_at  BIGINT NOT NULL
);

-- The retention pass reads only closed cases, through these partial indexes
-- (open and acknowledged cases are not in them).
CREATE INDEX cases_resolved_at ON cases (resolved_at, id) WHERE status = 'resolved';
CREATE INDEX cases_withdrawn_at ON cases (withdrawn_at, id) WHERE status = 'withdrawn';

-- The nested IFs matter: the TRUNCATE trigger is per statement and has no OLD.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM disposals WHERE case_id = OLD.case_id) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
DROP INDEX cases_withdrawn_at;
DROP INDEX cases_resolved_at;
DROP TABLE disposals;
