-- News: items in Ukrainian and English (either may be missing), tagged with sectors (a managed
-- bilingual list) and the communities they concern, moving draft → in review → published →
-- withdrawn. Bodies are Markdown; the sanitized HTML is rendered at save time.

CREATE TABLE news_sectors (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    is_campaign INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE news_items (
    id INTEGER PRIMARY KEY,
    title_uk TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    summary_uk TEXT NOT NULL DEFAULT '',
    summary_en TEXT NOT NULL DEFAULT '',
    body_uk TEXT NOT NULL DEFAULT '',
    body_en TEXT NOT NULL DEFAULT '',
    body_html_uk TEXT NOT NULL DEFAULT '',
    body_html_en TEXT NOT NULL DEFAULT '',
    source_url TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    author_id INTEGER REFERENCES users (id),
    published_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    is_demo INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX news_items_published ON news_items (state, published_at);

CREATE TABLE news_item_sectors (
    item_id INTEGER NOT NULL REFERENCES news_items (id),
    sector_id INTEGER NOT NULL REFERENCES news_sectors (id),
    PRIMARY KEY (item_id, sector_id)
) STRICT;
CREATE INDEX news_item_sectors_sector ON news_item_sectors (sector_id);

CREATE TABLE news_item_units (
    item_id INTEGER NOT NULL REFERENCES news_items (id),
    unit_code TEXT NOT NULL REFERENCES units (code),
    oblast_code TEXT NOT NULL,
    PRIMARY KEY (item_id, unit_code)
) STRICT;
CREATE INDEX news_item_units_unit ON news_item_units (unit_code);
CREATE INDEX news_item_units_oblast ON news_item_units (oblast_code);
