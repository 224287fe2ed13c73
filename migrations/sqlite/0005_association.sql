-- The association: regional offices (each covers oblasts), member communities with their dated
-- membership periods, and the professional sections.

CREATE TABLE regional_offices (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    head_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) STRICT;

-- An oblast (or Kyiv, or Sevastopol) belongs to at most one office.
CREATE TABLE regional_office_oblasts (
    oblast_code TEXT PRIMARY KEY REFERENCES units (code),
    office_id INTEGER NOT NULL REFERENCES regional_offices (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX regional_office_oblasts_office ON regional_office_oblasts (office_id);

-- One period of membership: from the council's decision to join until the community
-- suspended or left (NULL while it lasts). Rejoining opens a new period; the history stays.
CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units (code),
    office_id INTEGER NOT NULL REFERENCES regional_offices (id),
    since_on TEXT NOT NULL,
    decision_number TEXT NOT NULL DEFAULT '',
    decision_on TEXT,
    until_on TEXT,
    end_reason TEXT,
    end_decision_number TEXT NOT NULL DEFAULT '',
    end_decision_on TEXT,
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) STRICT;
-- A community is a member at most once at a time.
CREATE UNIQUE INDEX memberships_open ON memberships (unit_code) WHERE until_on IS NULL;
CREATE INDEX memberships_unit ON memberships (unit_code, since_on);
CREATE INDEX memberships_office ON memberships (office_id);

CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    purpose_uk TEXT NOT NULL DEFAULT '',
    purpose_en TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
) STRICT;

