-- The association: regional offices (each covers oblasts), member communities with their dated
-- membership periods, and the professional sections.

CREATE TABLE regional_offices (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    head_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE regional_office_oblasts (
    oblast_code TEXT PRIMARY KEY REFERENCES units (code),
    office_id BIGINT NOT NULL REFERENCES regional_offices (id) ON DELETE CASCADE
);
CREATE INDEX regional_office_oblasts_office ON regional_office_oblasts (office_id);

CREATE TABLE memberships (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units (code),
    office_id BIGINT NOT NULL REFERENCES regional_offices (id),
    since_on DATE NOT NULL,
    decision_number TEXT NOT NULL DEFAULT '',
    decision_on DATE,
    until_on DATE,
    end_reason TEXT,
    end_decision_number TEXT NOT NULL DEFAULT '',
    end_decision_on DATE,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX memberships_open ON memberships (unit_code) WHERE until_on IS NULL;
CREATE INDEX memberships_unit ON memberships (unit_code, since_on);
CREATE INDEX memberships_office ON memberships (office_id);

CREATE TABLE sections (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    purpose_uk TEXT NOT NULL DEFAULT '',
    purpose_en TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL
);

