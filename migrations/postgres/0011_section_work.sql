-- Professional sections at work: officials ask to join and a coordinator (role
-- section_coordinator, scoped to the section; formerly section_member) approves; coordinators
-- post announcements and upload materials, which members download.

UPDATE user_roles SET role = 'section_coordinator' WHERE role = 'section_member';

CREATE TABLE section_members (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    section_id BIGINT NOT NULL REFERENCES sections (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    requested_at TIMESTAMPTZ NOT NULL,
    decided_at TIMESTAMPTZ,
    decided_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX section_members_open ON section_members (section_id, user_id)
    WHERE status IN ('pending', 'approved');
CREATE INDEX section_members_user ON section_members (user_id);

CREATE TABLE section_announcements (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    section_id BIGINT NOT NULL REFERENCES sections (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    lang TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX section_announcements_section ON section_announcements (section_id, created_at);

CREATE TABLE section_materials (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    section_id BIGINT NOT NULL REFERENCES sections (id),
    title TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    size_bytes BIGINT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ
);
CREATE INDEX section_materials_section ON section_materials (section_id, uploaded_at);
