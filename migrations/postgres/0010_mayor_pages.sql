-- Mayors' pages: each text field (biography, vision, social impact, achievements) in each
-- language has the text being edited, the text an editor published, and a state (draft,
-- reviewed). A person's photo is kept here too, already resized and stripped of metadata.

CREATE TABLE mayor_texts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    field TEXT NOT NULL,
    lang TEXT NOT NULL,
    draft TEXT NOT NULL,
    published TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    edited_by BIGINT REFERENCES users (id),
    edited_at TIMESTAMPTZ NOT NULL,
    reviewed_by BIGINT REFERENCES users (id),
    reviewed_at TIMESTAMPTZ,
    UNIQUE (person_id, field, lang)
);

CREATE TABLE person_photos (
    person_id BIGINT PRIMARY KEY REFERENCES people (id),
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    uploaded_at TIMESTAMPTZ NOT NULL
);
