-- The registry of territorial units (КАТОТТГ) with its editions, history, attributes and statuses.

CREATE TABLE registry_editions (
    id INTEGER PRIMARY KEY,
    edition_on TEXT NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    loaded_at TEXT NOT NULL,
    added INTEGER NOT NULL,
    renamed INTEGER NOT NULL,
    moved INTEGER NOT NULL,
    removed INTEGER NOT NULL
) STRICT;

CREATE TABLE units (
    code TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    category TEXT NOT NULL,
    parent_code TEXT REFERENCES units (code),
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    first_edition_id INTEGER NOT NULL REFERENCES registry_editions (id),
    removed_edition_id INTEGER REFERENCES registry_editions (id)
) STRICT;
CREATE INDEX units_parent ON units (parent_code, sort_key);
CREATE INDEX units_level ON units (level, sort_key);

-- What each edition changed, unit by unit: added, renamed, moved, removed.
CREATE TABLE unit_changes (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL REFERENCES units (code),
    edition_id INTEGER NOT NULL REFERENCES registry_editions (id),
    change TEXT NOT NULL,
    old_name_uk TEXT,
    new_name_uk TEXT,
    old_parent_code TEXT,
    new_parent_code TEXT
) STRICT;
CREATE INDEX unit_changes_code ON unit_changes (code);

-- A code an edition retired for a unit that lives on under a new code.
CREATE TABLE unit_aliases (
    old_code TEXT PRIMARY KEY,
    code TEXT NOT NULL REFERENCES units (code),
    edition_id INTEGER NOT NULL REFERENCES registry_editions (id)
) STRICT;

CREATE TABLE data_sources (
    id TEXT PRIMARY KEY,
    title_uk TEXT NOT NULL,
    title_en TEXT NOT NULL,
    publisher TEXT NOT NULL,
    url TEXT NOT NULL,
    licence TEXT NOT NULL,
    retrieved_on TEXT NOT NULL
) STRICT;

-- One attribute of a unit (hromada type, area, population …) with its source and date.
CREATE TABLE unit_attributes (
    code TEXT NOT NULL REFERENCES units (code),
    key TEXT NOT NULL,
    value_text TEXT,
    value_number REAL,
    as_of_on TEXT,
    source_id TEXT NOT NULL REFERENCES data_sources (id),
    PRIMARY KEY (code, key)
) STRICT;

-- Dated status: rear, frontline, occupied, deoccupied, from `since_on`.
CREATE TABLE unit_statuses (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL REFERENCES units (code),
    status TEXT NOT NULL,
    since_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by_user_id INTEGER REFERENCES users (id),
    UNIQUE (code, since_on)
) STRICT;
