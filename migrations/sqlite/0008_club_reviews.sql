-- Committee members' reviews of club applications: one per member and application (a second
-- one replaces the first), a recommendation and a comment.
CREATE TABLE club_reviews (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES club_applications (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    recommendation TEXT NOT NULL,
    comment TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (application_id, user_id)
) STRICT;
