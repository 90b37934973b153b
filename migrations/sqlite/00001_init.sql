-- The first schema: the directory, cases, their history and the outbox.
-- Every timestamp is INTEGER unix milliseconds UTC (NULL for "not yet"), the
-- same as on PostgreSQL, so that comparisons, indexes and the store's code are
-- the same on both. Booleans are 0/1.

-- +goose Up
CREATE TABLE people (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    email              TEXT    NOT NULL UNIQUE, -- lower case; the store normalises
    name               TEXT    NOT NULL DEFAULT '',
    supervisor_id      INTEGER NULL REFERENCES people (id),
    unit               TEXT    NOT NULL DEFAULT '',
    roles              TEXT    NOT NULL DEFAULT '', -- ';'-joined
    slack_user_id      TEXT    NULL,
    mattermost_user_id TEXT    NULL,
    active             BOOLEAN NOT NULL DEFAULT 1,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX people_supervisor ON people (supervisor_id);
CREATE INDEX people_slack ON people (slack_user_id);
CREATE INDEX people_mattermost ON people (mattermost_user_id);

-- id is the case number people see as CASE-<n>. AUTOINCREMENT counts from 1
-- and never reuses a number, even that of the newest row.
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    status           TEXT    NOT NULL,
    reporter_id      INTEGER NOT NULL REFERENCES people (id),
    subject_id       INTEGER NULL REFERENCES people (id),
    link             TEXT    NOT NULL DEFAULT '',
    link_key         TEXT    NOT NULL DEFAULT '',
    description      TEXT    NOT NULL DEFAULT '',
    redacted_kinds   TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    categories       TEXT    NOT NULL DEFAULT '[]', -- JSON array of cases.Category
    top_category     TEXT    NOT NULL DEFAULT '',   -- categories[0].id, for GROUP BY
    rulebook_version TEXT    NOT NULL DEFAULT '',
    assignee_id      INTEGER NULL REFERENCES people (id),
    unit             TEXT    NOT NULL DEFAULT '',
    routing_reasons  TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    escalation_level INTEGER NOT NULL DEFAULT 0,
    outcome          TEXT    NULL,
    resolution_note  TEXT    NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    ack_due_at       INTEGER NULL,
    resolve_due_at   INTEGER NULL,
    acknowledged_at  INTEGER NULL,
    resolved_at      INTEGER NULL,
    withdrawn_at     INTEGER NULL
);
CREATE INDEX cases_reporter ON cases (reporter_id, created_at);
CREATE INDEX cases_assignee ON cases (assignee_id, status);
CREATE INDEX cases_link ON cases (link_key, created_at);
CREATE INDEX cases_ack_due ON cases (status, ack_due_at);
CREATE INDEX cases_resolve_due ON cases (status, resolve_due_at);
-- The summary reads only these two indexes, never the table (whose rows
-- carry descriptions): cases_created covers the medians' durations and serves
-- "filed since"; cases_summary covers the counts in the order they are
-- grouped, so SQLite aggregates without sorting 100,000 rows.
CREATE INDEX cases_created ON cases (created_at, acknowledged_at, resolved_at);
CREATE INDEX cases_summary ON cases (status, top_category, unit, outcome, created_at, ack_due_at, resolve_due_at);

CREATE TABLE case_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    at       INTEGER NOT NULL,
    actor_id INTEGER NULL REFERENCES people (id), -- NULL: the bot itself
    kind     TEXT    NOT NULL,
    detail   TEXT    NULL -- JSON object of strings
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- A case's history is a record (memo principle 7, directive §8 records): it
-- is only ever appended to. The database refuses UPDATE and DELETE so that no
-- code path, present or future, can rewrite it.
-- +goose StatementBegin
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only: DELETE refused');
END;
-- +goose StatementEnd

-- Messages owed, written in the same transaction as the change that owes
-- them and sent later by the delivery worker.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         INTEGER NULL REFERENCES cases (id),
    kind            TEXT    NOT NULL,
    recipient_id    INTEGER NULL REFERENCES people (id),
    channel         TEXT    NOT NULL DEFAULT '',
    text            TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER NULL,
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- +goose Down
DROP TABLE outbox;
DROP TRIGGER case_events_no_delete;
DROP TRIGGER case_events_no_update;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE people;
