-- Accounts hardening (issue 16).
--
-- An API token carries the privileges of its creation: `second_factor_at` is set when the
-- token was made by a session that had passed the second factor, or by an operator with
-- `hromada token create`; only such a token may act as staff. Any change of roles (a staff
-- role granted, a role removed), of the second factor or of the password revokes the tokens.
ALTER TABLE api_tokens ADD COLUMN second_factor_at TIMESTAMPTZ;

-- Tokens made before this column existed keep staff powers only if their account was staff
-- when they were made and its second factor has not been reset since: a token older than a
-- staff grant gained powers it was never made with, so it stays without the second factor.
UPDATE api_tokens SET second_factor_at = created_at
WHERE revoked_at IS NULL
  AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = api_tokens.user_id
      AND r.role IN ('admin', 'editor', 'coordinator', 'club_committee', 'club_chair'))
  AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = api_tokens.user_id
      AND r.role IN ('admin', 'editor', 'coordinator', 'club_committee', 'club_chair')
      AND r.created_at > api_tokens.created_at)
  AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'user'
      AND a.entity_id = CAST(api_tokens.user_id AS TEXT)
      AND a.action = 'reset_second_factor' AND a.at > api_tokens.created_at);

-- Browsers that signed in to an account with its password (a cookie, stored as SHA-256):
-- failed logins from elsewhere never hold back the right password from a known device.
CREATE TABLE login_devices (
    token_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_hash, user_id)
);
CREATE INDEX login_devices_user ON login_devices (user_id);
