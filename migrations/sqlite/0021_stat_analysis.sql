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
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL,
    changed_at TEXT NOT NULL
) STRICT;

ALTER TABLE stat_indicators ADD COLUMN is_per_capita INTEGER NOT NULL DEFAULT 0;
UPDATE stat_indicators SET is_per_capita = 1 WHERE code LIKE 'budget\_%' ESCAPE '\';

CREATE TABLE stat_releases (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES stat_datasets (id),
    period TEXT NOT NULL,
    version INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    value_count INTEGER NOT NULL,
    published_by INTEGER REFERENCES users (id),
    published_at TEXT NOT NULL,
    UNIQUE (dataset_id, period, version)
) STRICT;

CREATE TABLE stat_release_values (
    release_id INTEGER NOT NULL REFERENCES stat_releases (id),
    unit_code TEXT NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES stat_indicators (id),
    value REAL NOT NULL,
    is_partial INTEGER NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (release_id, indicator_id, unit_code)
) STRICT;
