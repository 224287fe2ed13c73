-- Professional sections at work: officials ask to join and a coordinator (role
-- section_coordinator, scoped to the section; formerly section_member) approves; coordinators
-- post announcements and upload materials, which members download.

UPDATE user_roles SET role = 'section_coordinator' WHERE role = 'section_member';

CREATE TABLE section_members (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    requested_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by INTEGER REFERENCES users (id)
) STRICT;
CREATE UNIQUE INDEX section_members_open ON section_members (section_id, user_id)
    WHERE status IN ('pending', 'approved');
CREATE INDEX section_members_user ON section_members (user_id);

CREATE TABLE section_announcements (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    lang TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX section_announcements_section ON section_announcements (section_id, created_at);

CREATE TABLE section_materials (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections (id),
    title TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    size_bytes INTEGER NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE INDEX section_materials_section ON section_materials (section_id, uploaded_at);
