ALTER TABLE photos
    DROP COLUMN shared_original_sha256,
    DROP COLUMN shared_original_size,
    DROP COLUMN shared_original;
