-- Every timestamp column is named `at` or `…_at`: the portable archive and the schema parity
-- test read a SQLite TEXT column's kind from its name.
ALTER TABLE rate_limits RENAME COLUMN window_start TO window_started_at;
ALTER TABLE outbox RENAME COLUMN lease_until TO lease_expires_at;
