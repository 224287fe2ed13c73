-- Secrets at rest (issue 16). A subscriber's `manage_token` now holds the SHA-256 of the
-- secret in their links, and `manage_sealed` the secret itself sealed with the key from
-- HROMADA_SECRET_KEY_FILE, so each digest mail can carry it while a copy of the database
-- cannot use it. Rows from before are sealed by the server at start-up (SQL has no key).
-- The outbox's `fills` column now holds sealed JSON as well (links with secrets in them).
ALTER TABLE subscribers ADD COLUMN manage_sealed TEXT;
-- Sent messages need their fills no more; from now on the worker drops them on sending.
UPDATE outbox SET fills = NULL WHERE status = 'sent';
