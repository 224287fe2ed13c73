-- One counter that moves whenever an audited change may show on a public page. Each app
-- instance keeps the public pages anonymous visitors see rendered in memory (web/cache.rs) and
-- starts over when this number moves, so several instances stay in step. Sign-ins, tokens,
-- subscriptions, mail and jobs show on no public page and leave it alone. No row until the
-- first change: an archive imports into a database whose tables are all empty.
CREATE TABLE public_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
) STRICT;

-- SQLite runs one writer at a time, so raising the counter inside the transaction is enough.
CREATE TRIGGER audit_log_public_revision AFTER INSERT ON audit_log
WHEN NEW.entity NOT IN ('api_token', 'outbox', 'job', 'subscriber')
 AND NEW.action NOT IN ('login', 'logout', 'password_changed', 'password_reset',
                        'reset_requested', 'verification_sent')
BEGIN
    INSERT INTO public_revision (id, revision) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET revision = revision + 1;
END;
