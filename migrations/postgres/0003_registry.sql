-- The registry of territorial units (КАТОТТГ) with its editions, history, attributes and statuses.

CREATE TABLE registry_editions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edition_on DATE NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    loaded_at TIMESTAMPTZ NOT NULL,
    added BIGINT NOT NULL,
    renamed BIGINT NOT NULL,
    moved BIGINT NOT NULL,
    removed BIGINT NOT NULL
);

CREATE TABLE units (
    code TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    category TEXT NOT NULL,
    -- Deferred: an edition loads in key order, not parents first.
    parent_code TEXT REFERENCES units (code) DEFERRABLE INITIALLY DEFERRED,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    first_edition_id BIGINT NOT NULL REFERENCES registry_editions (id),
    removed_edition_id BIGINT REFERENCES registry_editions (id)
);
CREATE INDEX units_parent ON units (parent_code, sort_key);
CREATE INDEX units_level ON units (level, sort_key);

CREATE TABLE unit_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL REFERENCES units (code),
    edition_id BIGINT NOT NULL REFERENCES registry_editions (id),
    change TEXT NOT NULL,
    old_name_uk TEXT,
    new_name_uk TEXT,
    old_parent_code TEXT,
    new_parent_code TEXT
);
CREATE INDEX unit_changes_code ON unit_changes (code);

CREATE TABLE unit_aliases (
    old_code TEXT PRIMARY KEY,
    code TEXT NOT NULL REFERENCES units (code),
    edition_id BIGINT NOT NULL REFERENCES registry_editions (id)
);

CREATE TABLE data_sources (
    id TEXT PRIMARY KEY,
    title_uk TEXT NOT NULL,
    title_en TEXT NOT NULL,
    publisher TEXT NOT NULL,
    url TEXT NOT NULL,
    licence TEXT NOT NULL,
    retrieved_on DATE NOT NULL
);

CREATE TABLE unit_attributes (
    code TEXT NOT NULL REFERENCES units (code),
    key TEXT NOT NULL,
    value_text TEXT,
    value_number DOUBLE PRECISION,
    as_of_on DATE,
    source_id TEXT NOT NULL REFERENCES data_sources (id),
    PRIMARY KEY (code, key)
);

CREATE TABLE unit_statuses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL REFERENCES units (code),
    status TEXT NOT NULL,
    since_on DATE NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    created_by_user_id BIGINT REFERENCES users (id),
    UNIQUE (code, since_on)
);
