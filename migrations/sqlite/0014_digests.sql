-- The weekly digest of the communities' work: a date range (Saturday to Friday by default),
-- its title, introduction and closing blocks in both languages, and its entries (news items)
-- in groups (the top group, then sectors in the sectors' order), each with an optional summary
-- for the digest only. Editors may pick items for the top group.

ALTER TABLE news_items ADD COLUMN is_top_pick INTEGER NOT NULL DEFAULT 0;

CREATE TABLE digests (
    id INTEGER PRIMARY KEY,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL UNIQUE,
    title_uk TEXT NOT NULL,
    title_en TEXT NOT NULL,
    intro_uk TEXT NOT NULL DEFAULT '',
    intro_en TEXT NOT NULL DEFAULT '',
    closing_uk TEXT NOT NULL DEFAULT '',
    closing_en TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    published_at TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    is_demo INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE digest_entries (
    id INTEGER PRIMARY KEY,
    digest_id INTEGER NOT NULL REFERENCES digests (id),
    item_id INTEGER NOT NULL REFERENCES news_items (id),
    group_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    summary_uk TEXT NOT NULL DEFAULT '',
    summary_en TEXT NOT NULL DEFAULT '',
    UNIQUE (digest_id, item_id)
) STRICT;
