-- Municipal statistics. Indicators are bilingual, typed (integer, decimal, percent, yes/no),
-- collected per year, quarter or month, with a valid range, a source and the rule that adds
-- them up the registry (sum, weighted_mean:<indicator code>, mean, min, max, none). Data sets
-- group indicators for collection, in sections with help texts. A value belongs to a unit (a
-- codifier code), an indicator and a period (2022, 2022-Q3, 2022-07) and has a state (draft,
-- submitted, approved, returned); every change to a value is kept in stat_value_changes.

CREATE TABLE stat_indicators (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    definition_uk TEXT NOT NULL DEFAULT '',
    definition_en TEXT NOT NULL DEFAULT '',
    measure_uk TEXT NOT NULL DEFAULT '',
    measure_en TEXT NOT NULL DEFAULT '',
    value_type TEXT NOT NULL,
    periodicity TEXT NOT NULL,
    min_value DOUBLE PRECISION,
    max_value DOUBLE PRECISION,
    source_uk TEXT NOT NULL DEFAULT '',
    source_en TEXT NOT NULL DEFAULT '',
    aggregation TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE stat_datasets (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_uk TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    periodicity TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE stat_dataset_items (
    dataset_id BIGINT NOT NULL REFERENCES stat_datasets (id),
    indicator_id BIGINT NOT NULL REFERENCES stat_indicators (id),
    section_uk TEXT NOT NULL DEFAULT '',
    section_en TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    help_uk TEXT NOT NULL DEFAULT '',
    help_en TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (dataset_id, indicator_id)
);

CREATE TABLE stat_values (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_code TEXT NOT NULL,
    indicator_id BIGINT NOT NULL REFERENCES stat_indicators (id),
    period TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    state TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    is_partial BOOLEAN NOT NULL DEFAULT FALSE,
    entered_by BIGINT REFERENCES users (id),
    entered_at TIMESTAMPTZ NOT NULL,
    UNIQUE (unit_code, indicator_id, period)
);
CREATE INDEX stat_values_indicator ON stat_values (indicator_id, period);

CREATE TABLE stat_value_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    value_id BIGINT NOT NULL REFERENCES stat_values (id),
    value DOUBLE PRECISION NOT NULL,
    state TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    changed_by BIGINT REFERENCES users (id),
    changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX stat_value_changes_value ON stat_value_changes (value_id);
