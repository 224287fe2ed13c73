-- Subscribers to the digest, with double opt-in: a pending address becomes confirmed through the
-- link mailed to it. The manage secret opens the preferences page and the one-click
-- unsubscribe (it is stored as is, since every digest mail carries it; it grants only that);
-- the confirmation secret is stored hashed and expires.

CREATE TABLE subscribers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL,
    sectors TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    manage_token TEXT NOT NULL UNIQUE,
    confirm_hash TEXT,
    confirm_expires_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    unsubscribed_at TIMESTAMPTZ
);
