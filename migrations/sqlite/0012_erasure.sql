-- A person's erasure (on their request): when it happened. What the law requires keeping (the
-- posts of public office with the name) stays and is marked by this date.

ALTER TABLE people ADD COLUMN erased_at TEXT;
