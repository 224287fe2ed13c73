-- Settings admins change at run time (such as the club committee's quorum), the chair's
-- decisions on club applications, applicants' answers to questions, club membership, and the
-- delegates a member names.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

ALTER TABLE club_applications ADD COLUMN is_listing_agreed INTEGER NOT NULL DEFAULT 0;

CREATE TABLE club_decisions (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES club_applications (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX club_decisions_application ON club_decisions (application_id);

CREATE TABLE club_answers (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES club_applications (id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX club_answers_application ON club_answers (application_id);

CREATE TABLE club_members (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id),
    application_id INTEGER REFERENCES club_applications (id),
    since_on TEXT NOT NULL,
    is_listed INTEGER NOT NULL DEFAULT 0,
    resigned_on TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX club_members_current ON club_members (person_id) WHERE resigned_on IS NULL;

CREATE TABLE club_delegates (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
CREATE UNIQUE INDEX club_delegates_current ON club_delegates (person_id, user_id)
    WHERE revoked_at IS NULL;
CREATE INDEX club_delegates_user ON club_delegates (user_id);
