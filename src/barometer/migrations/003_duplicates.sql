-- Duplicates: each document's MinHash signature (near-duplicate detection), and the copies that were not analysed
-- again because they repeat a stored document.
CREATE TABLE signatures (
    doc_id    VARCHAR PRIMARY KEY,
    minhash   BLOB                      -- 128 uint32 values of five-word shingles; NULL for a text under 20 words
);

CREATE TABLE duplicates (
    origin       VARCHAR PRIMARY KEY,   -- where the copy was read
    doc_id       VARCHAR NOT NULL,      -- the copy's own id
    original_id  VARCHAR NOT NULL,      -- the stored document it repeats
    kind         VARCHAR NOT NULL CHECK (kind IN ('exact', 'near')),
    similarity   DOUBLE NOT NULL,       -- estimated Jaccard similarity of word shingles; 1.0 when exact
    title        VARCHAR,
    url          VARCHAR,
    found_at     TIMESTAMP NOT NULL DEFAULT current_timestamp
);
