-- The forecast register: an outcome per forecast, proposed from later events or set by a user, with its evidence.
-- Outcomes live in their own table so that re-ingesting a document never touches a user's judgement.
ALTER TABLE forecasts DROP COLUMN outcome;

CREATE TABLE resolutions (
    doc_id          VARCHAR NOT NULL,
    seq             INTEGER NOT NULL,
    outcome         VARCHAR NOT NULL CHECK (outcome IN ('yes', 'no')),  -- did the predicted event happen?
    method          VARCHAR NOT NULL CHECK (method IN ('events', 'user')),
    evidence_doc_id VARCHAR,
    evidence_seq    INTEGER,
    evidence        VARCHAR,            -- the event's sentence, or why the horizon passed without one
    note            VARCHAR,
    resolved_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (doc_id, seq)
);
