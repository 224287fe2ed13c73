-- Issue 16 (security): a person's contact email counts only once its owner followed a mailed
-- link (tokens kept only as SHA-256 hashes); the club committee's explicit confirmation that an
-- applicant is a person already on record, and that record's own confirmation by mail when it
-- has an account or a verified address; a mayor's photo waiting for an editor's review.

ALTER TABLE people ADD COLUMN email_verified_at TIMESTAMPTZ;

-- Addresses already proven: a record's contact address that is its own account's verified login
-- address counts as verified from that moment (else every existing contact address would vanish).
UPDATE people SET email_verified_at = (
    SELECT u.email_verified_at FROM users u WHERE u.id = people.user_id
) WHERE email <> '' AND EXISTS (
    SELECT 1 FROM users u WHERE u.id = people.user_id AND u.email_verified_at IS NOT NULL
    AND LOWER(u.email) = LOWER(people.email)
);

CREATE TABLE person_email_tokens (
    token_hash TEXT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    email TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX person_email_tokens_person ON person_email_tokens (person_id);

ALTER TABLE club_applications ADD COLUMN match_person_id BIGINT REFERENCES people (id);
ALTER TABLE club_applications ADD COLUMN match_confirmed_by BIGINT REFERENCES users (id);
ALTER TABLE club_applications ADD COLUMN match_confirmed_at TIMESTAMPTZ;

CREATE TABLE club_link_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    application_id BIGINT NOT NULL REFERENCES club_applications (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    new_person_id BIGINT NOT NULL REFERENCES people (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ
);
CREATE INDEX club_link_requests_application ON club_link_requests (application_id);

CREATE TABLE person_photo_drafts (
    person_id BIGINT PRIMARY KEY REFERENCES people (id),
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    uploaded_at TIMESTAMPTZ NOT NULL
);
