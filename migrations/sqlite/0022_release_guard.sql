-- A release never changes: the database refuses to update or delete one or its values, whatever
-- code or tool asks (the application only ever inserts them).
CREATE TRIGGER stat_releases_no_update BEFORE UPDATE ON stat_releases
BEGIN SELECT RAISE(ABORT, 'a release never changes'); END;
CREATE TRIGGER stat_releases_no_delete BEFORE DELETE ON stat_releases
BEGIN SELECT RAISE(ABORT, 'a release never changes'); END;
CREATE TRIGGER stat_release_values_no_update BEFORE UPDATE ON stat_release_values
BEGIN SELECT RAISE(ABORT, 'a release never changes'); END;
CREATE TRIGGER stat_release_values_no_delete BEFORE DELETE ON stat_release_values
BEGIN SELECT RAISE(ABORT, 'a release never changes'); END;
