-- People who hold posts in communities (mayors, starostas, secretaries, deputies, executive
-- staff), and their posts over time. Each person decides which contacts are public.

CREATE TABLE people (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    is_email_public BOOLEAN NOT NULL DEFAULT FALSE,
    is_phone_public BOOLEAN NOT NULL DEFAULT FALSE,
    user_id BIGINT REFERENCES users (id),
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE posts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    unit_code TEXT NOT NULL REFERENCES units (code),
    kind TEXT NOT NULL,
    since_on DATE NOT NULL,
    until_on DATE,
    end_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX posts_unit ON posts (unit_code, kind, since_on);
CREATE INDEX posts_person ON posts (person_id);
