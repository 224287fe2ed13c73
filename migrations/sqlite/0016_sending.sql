-- Sending in bulk. A body shared by many outbox messages (one digest variant for thousands of
-- subscribers) is stored once; each message carries its own fills (placeholder → value, such
-- as the subscriber's secret in the unsubscribe link) and extra headers (List-Unsubscribe).
-- A lease has an owner (one running instance), which renews it while it works, so a lease
-- left by a killed instance runs out in seconds.
-- Jobs: background work that must not block a page and must resume after a restart.
-- A digest's sending: one delivery row per subscriber (unique, so a resumed or repeated send
-- never queues a second copy), pointing at its outbox message.

CREATE TABLE outbox_bodies (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT
) STRICT;

ALTER TABLE outbox ADD COLUMN body_id INTEGER REFERENCES outbox_bodies (id);
ALTER TABLE outbox ADD COLUMN fills TEXT;
ALTER TABLE outbox ADD COLUMN headers TEXT;
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_owner TEXT,
    lease_expires_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
) STRICT;
CREATE INDEX jobs_due ON jobs (status, next_attempt_at);

CREATE TABLE digest_sends (
    digest_id INTEGER PRIMARY KEY REFERENCES digests (id),
    job_id INTEGER REFERENCES jobs (id),
    started_by INTEGER REFERENCES users (id),
    started_at TEXT NOT NULL,
    queued_at TEXT
) STRICT;

CREATE TABLE digest_deliveries (
    id INTEGER PRIMARY KEY,
    digest_id INTEGER NOT NULL REFERENCES digests (id),
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
    outbox_id INTEGER REFERENCES outbox (id),
    created_at TEXT NOT NULL,
    UNIQUE (digest_id, subscriber_id)
) STRICT;
CREATE INDEX digest_deliveries_outbox ON digest_deliveries (outbox_id);
