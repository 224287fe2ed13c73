-- Four eyes on collected statistics: who typed values into a community's report or submitted
-- it, so that none of them approves it (an admin may, with a written reason in the audit log).
-- Reports in progress keep their history: the authors of their drafts, and of the submitted
-- values of reports waiting for review, are recorded from what is on file.

CREATE TABLE stat_report_contributors (
    campaign_id INTEGER NOT NULL REFERENCES stat_campaigns (id),
    unit_code TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    first_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, unit_code, user_id)
) STRICT;

INSERT INTO stat_report_contributors (campaign_id, unit_code, user_id, first_at)
SELECT campaign_id, unit_code, saved_by, MIN(saved_at) FROM stat_drafts
WHERE saved_by IS NOT NULL
GROUP BY campaign_id, unit_code, saved_by;

INSERT INTO stat_report_contributors (campaign_id, unit_code, user_id, first_at)
SELECT u.campaign_id, u.unit_code, h.changed_by, MIN(h.changed_at)
FROM stat_campaign_units u
JOIN stat_campaigns c ON c.id = u.campaign_id
JOIN stat_values v ON v.unit_code = u.unit_code AND v.period = c.period
JOIN stat_value_changes h ON h.value_id = v.id
WHERE u.status = 'submitted' AND h.state = 'submitted' AND h.changed_by IS NOT NULL
GROUP BY u.campaign_id, u.unit_code, h.changed_by
ON CONFLICT (campaign_id, unit_code, user_id) DO NOTHING;
