-- A news item's cover image: a clean JPEG re-encoded from the upload (see web::images), with
-- its text alternative in each language (empty: the image is decorative).

CREATE TABLE news_covers (
    item_id BIGINT PRIMARY KEY REFERENCES news_items (id),
    bytes BYTEA NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    alt_uk TEXT NOT NULL DEFAULT '',
    alt_en TEXT NOT NULL DEFAULT '',
    uploaded_by BIGINT REFERENCES users (id),
    uploaded_at TIMESTAMPTZ NOT NULL
);
