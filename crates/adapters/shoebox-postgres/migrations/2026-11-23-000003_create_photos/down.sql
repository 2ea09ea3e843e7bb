DROP TABLE share_links;
DROP TABLE album_photos;
DROP TABLE albums;
DROP TABLE photo_variants;
DROP TABLE photos;
