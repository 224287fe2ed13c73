-- Committee members' reviews of club applications: one per member and application (a second
-- one replaces the first), a recommendation and a comment.
CREATE TABLE club_reviews (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES club_applications (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    recommendation TEXT NOT NULL,
    comment TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (application_id, user_id)
);
