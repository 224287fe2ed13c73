-- One counter that moves whenever an audited change may show on a public page. Each app
-- instance keeps the public pages anonymous visitors see rendered in memory (web/cache.rs) and
-- starts over when this number moves, so several instances stay in step. Sign-ins, tokens,
-- subscriptions, mail and jobs show on no public page and leave it alone. No row until the
-- first change: an archive imports into a database whose tables are all empty.
CREATE TABLE public_revision (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);

CREATE FUNCTION public_revision_raise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public_revision (id, revision) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET revision = public_revision.revision + 1;
    RETURN NULL;
END
$$;

-- Deferred to the commit: the counter's row is locked only between this and the commit, so
-- concurrent writers never wait on each other for long nor deadlock over it, and a reader
-- never sees the number move before the change it stands for is visible.
CREATE CONSTRAINT TRIGGER audit_log_public_revision AFTER INSERT ON audit_log
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (NEW.entity NOT IN ('api_token', 'outbox', 'job', 'subscriber')
          AND NEW.action NOT IN ('login', 'logout', 'password_changed', 'password_reset',
                                 'reset_requested', 'verification_sent'))
    EXECUTE FUNCTION public_revision_raise();
