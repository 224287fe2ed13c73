-- Statistics imports uploaded through the pages or the API: the file waits here until a job
-- imports it (any instance may), then only the outcome is kept: counts and the bad rows, each
-- with its line and reason, for the downloadable report.

CREATE TABLE stat_imports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name TEXT NOT NULL,
    -- csv or xlsx.
    kind TEXT NOT NULL,
    -- all (every row or none) or good (the good rows, the bad ones reported).
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    file BYTEA,
    -- queued, running, done or failed.
    status TEXT NOT NULL,
    rows_read BIGINT NOT NULL DEFAULT 0,
    good BIGINT NOT NULL DEFAULT 0,
    bad BIGINT NOT NULL DEFAULT 0,
    written BIGINT NOT NULL DEFAULT 0,
    is_committed BOOLEAN NOT NULL DEFAULT FALSE,
    -- JSON list of {line, key, found}.
    errors TEXT NOT NULL DEFAULT '[]',
    failure TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
