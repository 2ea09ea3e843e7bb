-- Albums carry what their listings show (photo count, first photo) and a
-- revision that moves whenever anything a listing of the album shows changes:
-- the album, its membership and order, its photos and their variants.
-- Triggers keep them, so every writer (this release, the previous one, a
-- restore, a hand-written fix) keeps them right; readers can trust a page
-- cached under an album's revision for as long as the revision stands.

ALTER TABLE albums
    ADD COLUMN revision bigint NOT NULL DEFAULT 1,
    ADD COLUMN photo_count bigint NOT NULL DEFAULT 0,
    ADD COLUMN first_photo_id uuid;

UPDATE albums a SET
    photo_count = (SELECT count(*) FROM album_photos ap WHERE ap.album_id = a.id),
    first_photo_id = (SELECT ap.photo_id FROM album_photos ap WHERE ap.album_id = a.id
                      ORDER BY ap.position, ap.photo_id LIMIT 1);

-- Any change to an album row is a new revision, whoever makes it.
CREATE FUNCTION albums_next_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.revision = OLD.revision THEN
        NEW.revision := OLD.revision + 1;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER albums_next_revision BEFORE UPDATE ON albums
    FOR EACH ROW EXECUTE FUNCTION albums_next_revision();

-- Membership or order changed: recount, find the first photo again (which
-- also makes a new revision). Statement-level, so adding a hundred photos
-- in one statement recounts once; `changed` is the transition table.
CREATE FUNCTION album_photos_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE albums a SET
        photo_count = (SELECT count(*) FROM album_photos ap WHERE ap.album_id = a.id),
        first_photo_id = (SELECT ap.photo_id FROM album_photos ap WHERE ap.album_id = a.id
                          ORDER BY ap.position, ap.photo_id LIMIT 1)
    WHERE a.id IN (SELECT DISTINCT album_id FROM changed);
    RETURN NULL;
END
$$;

CREATE TRIGGER album_photos_inserted AFTER INSERT ON album_photos
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION album_photos_changed();
CREATE TRIGGER album_photos_updated AFTER UPDATE ON album_photos
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION album_photos_changed();
CREATE TRIGGER album_photos_deleted AFTER DELETE ON album_photos
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION album_photos_changed();

-- A photo, or one of its variants, changed: every album holding it shows
-- something new. (A deleted photo leaves its albums through the cascade on
-- album_photos, which the triggers above see.)
CREATE FUNCTION album_photo_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE albums a SET revision = a.revision + 1
    WHERE a.id IN (SELECT DISTINCT ap.album_id FROM album_photos ap
                   JOIN changed c ON c.photo_id = ap.photo_id);
    RETURN NULL;
END
$$;

-- photos has `id`, photo_variants `photo_id`: one view of each for the
-- function above.
CREATE FUNCTION photos_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE albums a SET revision = a.revision + 1
    WHERE a.id IN (SELECT DISTINCT ap.album_id FROM album_photos ap
                   JOIN changed c ON c.id = ap.photo_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER photos_updated AFTER UPDATE ON photos
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION photos_changed();

CREATE TRIGGER photo_variants_inserted AFTER INSERT ON photo_variants
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION album_photo_content_changed();
CREATE TRIGGER photo_variants_updated AFTER UPDATE ON photo_variants
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION album_photo_content_changed();
CREATE TRIGGER photo_variants_deleted AFTER DELETE ON photo_variants
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION album_photo_content_changed();
