-- The weekly digest of the communities' work: a date range (Saturday to Friday by default),
-- its title, introduction and closing blocks in both languages, and its entries (news items)
-- in groups (the top group, then sectors in the sectors' order), each with an optional summary
-- for the digest only. Editors may pick items for the top group.

ALTER TABLE news_items ADD COLUMN is_top_pick BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE digests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL UNIQUE,
    title_uk TEXT NOT NULL,
    title_en TEXT NOT NULL,
    intro_uk TEXT NOT NULL DEFAULT '',
    intro_en TEXT NOT NULL DEFAULT '',
    closing_uk TEXT NOT NULL DEFAULT '',
    closing_en TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    published_at TIMESTAMPTZ,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE digest_entries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    digest_id BIGINT NOT NULL REFERENCES digests (id),
    item_id BIGINT NOT NULL REFERENCES news_items (id),
    group_key TEXT NOT NULL,
    position BIGINT NOT NULL,
    summary_uk TEXT NOT NULL DEFAULT '',
    summary_en TEXT NOT NULL DEFAULT '',
    UNIQUE (digest_id, item_id)
);
