-- Out-of-office delegation (issue 6): while a person is away, cases routed
-- to them go to their delegate. One row per person; until is the exclusive
-- end in Unix milliseconds, and expired rows are ignored when read.

-- +goose Up
CREATE TABLE delegations (
    person_id   INTEGER NOT NULL PRIMARY KEY REFERENCES people (id),
    delegate_id INTEGER NOT NULL REFERENCES people (id),
    until       INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    CHECK (delegate_id <> person_id)
);

-- +goose Down
DROP TABLE delegations;
