-- A release never changes: the database refuses to update or delete one or its values, whatever
-- code or tool asks (the application only ever inserts them).
CREATE FUNCTION stat_release_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a release never changes';
END
$$;
CREATE TRIGGER stat_releases_immutable BEFORE UPDATE OR DELETE ON stat_releases
    FOR EACH ROW EXECUTE FUNCTION stat_release_immutable();
CREATE TRIGGER stat_release_values_immutable BEFORE UPDATE OR DELETE ON stat_release_values
    FOR EACH ROW EXECUTE FUNCTION stat_release_immutable();
