-- Statistics imports uploaded through the pages or the API: the file waits here until a job
-- imports it (any instance may), then only the outcome is kept: counts and the bad rows, each
-- with its line and reason, for the downloadable report.

CREATE TABLE stat_imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    -- csv or xlsx.
    kind TEXT NOT NULL,
    -- all (every row or none) or good (the good rows, the bad ones reported).
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    file BLOB,
    -- queued, running, done or failed.
    status TEXT NOT NULL,
    rows_read INTEGER NOT NULL DEFAULT 0,
    good INTEGER NOT NULL DEFAULT 0,
    bad INTEGER NOT NULL DEFAULT 0,
    written INTEGER NOT NULL DEFAULT 0,
    is_committed INTEGER NOT NULL DEFAULT 0,
    -- JSON list of {line, key, found}.
    errors TEXT NOT NULL DEFAULT '[]',
    failure TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    finished_at TEXT
) STRICT;
