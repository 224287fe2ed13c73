-- Settings admins change at run time (such as the club committee's quorum), the chair's
-- decisions on club applications, applicants' answers to questions, club membership, and the
-- delegates a member names.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE club_applications ADD COLUMN is_listing_agreed BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE club_decisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES club_applications (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX club_decisions_application ON club_decisions (application_id);

CREATE TABLE club_answers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES club_applications (id),
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX club_answers_application ON club_answers (application_id);

CREATE TABLE club_members (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    application_id BIGINT REFERENCES club_applications (id),
    since_on DATE NOT NULL,
    is_listed BOOLEAN NOT NULL DEFAULT FALSE,
    resigned_on DATE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX club_members_current ON club_members (person_id) WHERE resigned_on IS NULL;

CREATE TABLE club_delegates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX club_delegates_current ON club_delegates (person_id, user_id)
    WHERE revoked_at IS NULL;
CREATE INDEX club_delegates_user ON club_delegates (user_id);
