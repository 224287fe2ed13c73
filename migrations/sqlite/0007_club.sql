-- The Mayors' Club: applications from current and former heads of communities. The applicant
-- follows their application through a secret link; one open application per email address.

CREATE TABLE club_applications (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    community_code TEXT NOT NULL REFERENCES units (code),
    term_since_on TEXT NOT NULL,
    term_until_on TEXT,
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    motivation TEXT NOT NULL,
    lang TEXT NOT NULL,
    status TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    decided_at TEXT
) STRICT;
CREATE UNIQUE INDEX club_applications_open ON club_applications (email)
    WHERE status IN ('submitted', 'more_info');
