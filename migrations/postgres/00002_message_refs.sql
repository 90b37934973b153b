-- Where a chat platform posted each case card, so that a change to the case
-- updates the card in place, across restarts (issue 4).

-- +goose Up
CREATE TABLE message_refs (
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    person_id  BIGINT NOT NULL REFERENCES people (id),
    platform   TEXT   NOT NULL,
    channel    TEXT   NOT NULL,
    message_id TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, person_id, platform)
);

-- +goose Down
DROP TABLE message_refs;
