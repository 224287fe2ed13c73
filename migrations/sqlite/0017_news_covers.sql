-- A news item's cover image: a clean JPEG re-encoded from the upload (see web::images), with
-- its text alternative in each language (empty: the image is decorative).

CREATE TABLE news_covers (
    item_id INTEGER PRIMARY KEY REFERENCES news_items (id),
    bytes BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    alt_uk TEXT NOT NULL DEFAULT '',
    alt_en TEXT NOT NULL DEFAULT '',
    uploaded_by INTEGER REFERENCES users (id),
    uploaded_at TEXT NOT NULL
) STRICT;
