-- Sending in bulk. A body shared by many outbox messages (one digest variant for thousands of
-- subscribers) is stored once; each message carries its own fills (placeholder → value, such
-- as the subscriber's secret in the unsubscribe link) and extra headers (List-Unsubscribe).
-- A lease has an owner (one running instance), which renews it while it works, so a lease
-- left by a killed instance runs out in seconds.
-- Jobs: background work that must not block a page and must resume after a restart.
-- A digest's sending: one delivery row per subscriber (unique, so a resumed or repeated send
-- never queues a second copy), pointing at its outbox message.

CREATE TABLE outbox_bodies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT
);

ALTER TABLE outbox ADD COLUMN body_id BIGINT REFERENCES outbox_bodies (id);
ALTER TABLE outbox ADD COLUMN fills TEXT;
ALTER TABLE outbox ADD COLUMN headers TEXT;
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;

CREATE TABLE jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_owner TEXT,
    lease_expires_at TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
CREATE INDEX jobs_due ON jobs (status, next_attempt_at);

CREATE TABLE digest_sends (
    digest_id BIGINT PRIMARY KEY REFERENCES digests (id),
    job_id BIGINT REFERENCES jobs (id),
    started_by BIGINT REFERENCES users (id),
    started_at TIMESTAMPTZ NOT NULL,
    queued_at TIMESTAMPTZ
);

CREATE TABLE digest_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    digest_id BIGINT NOT NULL REFERENCES digests (id),
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id),
    outbox_id BIGINT REFERENCES outbox (id),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (digest_id, subscriber_id)
);
CREATE INDEX digest_deliveries_outbox ON digest_deliveries (outbox_id);
