-- People who hold posts in communities (mayors, starostas, secretaries, deputies, executive
-- staff), and their posts over time. Each person decides which contacts are public.

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    is_email_public INTEGER NOT NULL DEFAULT 0,
    is_phone_public INTEGER NOT NULL DEFAULT 0,
    user_id INTEGER REFERENCES users (id),
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id),
    unit_code TEXT NOT NULL REFERENCES units (code),
    kind TEXT NOT NULL,
    since_on TEXT NOT NULL,
    until_on TEXT,
    end_reason TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX posts_unit ON posts (unit_code, kind, since_on);
CREATE INDEX posts_person ON posts (person_id);
