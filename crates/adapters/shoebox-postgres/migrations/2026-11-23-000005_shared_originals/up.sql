-- What everyone but a photo's owner gets for its original: nothing until the
-- variant job has looked (`unchecked`), the original itself when it holds no
-- location (`same`), or a copy without it stored beside it (`scrubbed`, with
-- the copy's size and SHA-256). Rows written by an older release stay
-- `unchecked`, which withholds their originals from others, as that release did.

ALTER TABLE photos
    ADD COLUMN shared_original text NOT NULL DEFAULT 'unchecked',
    ADD COLUMN shared_original_size bigint,
    ADD COLUMN shared_original_sha256 bytea,
    ADD CONSTRAINT photos_shared_original_check
        CHECK (shared_original IN ('unchecked', 'same', 'scrubbed')),
    ADD CONSTRAINT photos_shared_original_copy_check
        CHECK ((shared_original = 'scrubbed')
               = (shared_original_size IS NOT NULL AND shared_original_sha256 IS NOT NULL)),
    ADD CONSTRAINT photos_shared_original_sha256_check
        CHECK (shared_original_sha256 IS NULL OR octet_length(shared_original_sha256) = 32);
