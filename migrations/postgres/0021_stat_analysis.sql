-- The analysis and publication side of statistics.
--
-- stat_revision is one counter raised in the same transaction as every change to values
-- (import, submission, review, the shipped load). App instances keep approved values in
-- memory for rankings and aggregates and reload them when this number moves.
--
-- is_per_capita marks indicators that are also shown per inhabitant (money and counts that
-- add up), divided by the population of the same year or the latest before it.
--
-- A release is an immutable, dated copy of a data set's approved values for one period, with
-- its own address. Publishing the period again after corrections makes the next version,
-- which must say what changed; earlier versions stay as they were.

CREATE TABLE stat_revision (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE stat_indicators ADD COLUMN is_per_capita BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE stat_indicators SET is_per_capita = TRUE WHERE code LIKE 'budget\_%' ESCAPE '\';

CREATE TABLE stat_releases (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_id BIGINT NOT NULL REFERENCES stat_datasets (id),
    period TEXT NOT NULL,
    version BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    value_count BIGINT NOT NULL,
    published_by BIGINT REFERENCES users (id),
    published_at TIMESTAMPTZ NOT NULL,
    UNIQUE (dataset_id, period, version)
);

CREATE TABLE stat_release_values (
    release_id BIGINT NOT NULL REFERENCES stat_releases (id),
    unit_code TEXT NOT NULL,
    indicator_id BIGINT NOT NULL REFERENCES stat_indicators (id),
    value DOUBLE PRECISION NOT NULL,
    is_partial BOOLEAN NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (release_id, indicator_id, unit_code)
);
