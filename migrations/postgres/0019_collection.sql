-- Collecting statistics from communities. An indicator may warn when a value moves more than
-- a share from the last period (the reporter then explains it in a comment). Rules tie the
-- indicators of one unit and period together (a part is at most its whole). A campaign asks
-- a data set for one period from a fixed list of communities by a deadline; the list, and
-- each community's regional office, are kept as they were when the campaign started, so its
-- completeness does not shift when memberships do. Drafts keep what a reporter typed, as
-- typed, until it is submitted. Staff lock a period when its figures are final. Reminders
-- sent are recorded so none goes twice.

ALTER TABLE stat_indicators ADD COLUMN warn_change_pct DOUBLE PRECISION;
ALTER TABLE stat_values ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
ALTER TABLE stat_value_changes ADD COLUMN review_note TEXT NOT NULL DEFAULT '';

CREATE TABLE stat_rules (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    left_code TEXT NOT NULL,
    -- le (≤), ge (≥) or eq (=) the sum of the right-hand indicators.
    operator TEXT NOT NULL,
    -- Indicator codes separated by spaces.
    right_codes TEXT NOT NULL,
    message_uk TEXT NOT NULL,
    message_en TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE stat_campaigns (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_id BIGINT NOT NULL REFERENCES stat_datasets (id),
    period TEXT NOT NULL,
    -- members (all member communities), office (one regional office's) or list.
    scope_kind TEXT NOT NULL,
    office_id BIGINT REFERENCES regional_offices (id),
    deadline_on DATE NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ
);
CREATE INDEX stat_campaigns_period ON stat_campaigns (period);

CREATE TABLE stat_campaign_units (
    campaign_id BIGINT NOT NULL REFERENCES stat_campaigns (id),
    unit_code TEXT NOT NULL REFERENCES units (code),
    office_id BIGINT REFERENCES regional_offices (id),
    -- open, submitted, returned or approved.
    status TEXT NOT NULL DEFAULT 'open',
    first_submitted_at TIMESTAMPTZ,
    submitted_at TIMESTAMPTZ,
    reviewed_at TIMESTAMPTZ,
    PRIMARY KEY (campaign_id, unit_code)
);
CREATE INDEX stat_campaign_units_unit ON stat_campaign_units (unit_code);

CREATE TABLE stat_drafts (
    campaign_id BIGINT NOT NULL REFERENCES stat_campaigns (id),
    unit_code TEXT NOT NULL,
    indicator_id BIGINT NOT NULL REFERENCES stat_indicators (id),
    raw TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    saved_by BIGINT REFERENCES users (id),
    saved_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (campaign_id, unit_code, indicator_id)
);

CREATE TABLE stat_locks (
    period TEXT PRIMARY KEY,
    locked_by BIGINT REFERENCES users (id),
    locked_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE stat_reminders (
    campaign_id BIGINT NOT NULL REFERENCES stat_campaigns (id),
    unit_code TEXT NOT NULL,
    -- before or after the deadline, or now-YYYY-MM-DD when staff asked on that day.
    kind TEXT NOT NULL,
    recipients BIGINT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (campaign_id, unit_code, kind)
);
