-- Mayors' pages: each text field (biography, vision, social impact, achievements) in each
-- language has the text being edited, the text an editor published, and a state (draft,
-- reviewed). A person's photo is kept here too, already resized and stripped of metadata.

CREATE TABLE mayor_texts (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id),
    field TEXT NOT NULL,
    lang TEXT NOT NULL,
    draft TEXT NOT NULL,
    published TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    edited_by INTEGER REFERENCES users (id),
    edited_at TEXT NOT NULL,
    reviewed_by INTEGER REFERENCES users (id),
    reviewed_at TEXT,
    UNIQUE (person_id, field, lang)
) STRICT;

CREATE TABLE person_photos (
    person_id INTEGER PRIMARY KEY REFERENCES people (id),
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES users (id),
    uploaded_at TEXT NOT NULL
) STRICT;
