-- Documents and the records found in them; every record keeps its evidence (document, sentence, offsets).
CREATE TABLE documents (
    id            VARCHAR PRIMARY KEY,
    content_hash  VARCHAR NOT NULL UNIQUE,
    origin        VARCHAR NOT NULL,
    title         VARCHAR,
    url           VARCHAR,
    date          DATE,
    source        VARCHAR,
    authors       VARCHAR[],
    text          VARCHAR NOT NULL,
    removed       VARCHAR[],
    truncated     BOOLEAN NOT NULL,
    language      VARCHAR,
    tone_score    DOUBLE,
    tone_positive DOUBLE,
    tone_negative DOUBLE,
    ingested_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE actors (
    doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
    text VARCHAR, start_char INTEGER, end_char INTEGER, name VARCHAR, country VARCHAR, role VARCHAR,
    kind VARCHAR, code VARCHAR, office VARCHAR, affiliation VARCHAR,
    PRIMARY KEY (doc_id, seq)
);

CREATE TABLE events (
    doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
    date DATE,
    source_code VARCHAR, source_country VARCHAR, source_name VARCHAR,
    target_code VARCHAR, target_country VARCHAR, target_name VARCHAR,
    code VARCHAR NOT NULL, root VARCHAR NOT NULL, name VARCHAR, quad_class INTEGER, goldstein DOUBLE,
    plover VARCHAR, verb VARCHAR, negated BOOLEAN, reported BOOLEAN,
    sentence VARCHAR, start_char INTEGER, end_char INTEGER,
    record JSON,
    PRIMARY KEY (doc_id, seq)
);

CREATE TABLE quotes (
    doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
    kind VARCHAR, text VARCHAR, start_char INTEGER, end_char INTEGER, cue VARCHAR,
    speaker_name VARCHAR, speaker_code VARCHAR, speaker_country VARCHAR, speaker_affiliation VARCHAR,
    audience VARCHAR,
    record JSON,
    PRIMARY KEY (doc_id, seq)
);

CREATE TABLE forecasts (
    doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
    text VARCHAR, start_char INTEGER, end_char INTEGER, cue VARCHAR, probability DOUBLE, polarity VARCHAR,
    horizon DATE, status VARCHAR,
    forecaster_name VARCHAR, forecaster_country VARCHAR, forecaster_affiliation VARCHAR,
    event_code VARCHAR, event_source_country VARCHAR, event_target_country VARCHAR,
    outcome VARCHAR,
    record JSON,
    PRIMARY KEY (doc_id, seq)
);

CREATE TABLE failures (
    origin VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    document_id VARCHAR,
    failed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (origin, stage)
);

CREATE INDEX events_dyad ON events (source_country, target_country, date);
