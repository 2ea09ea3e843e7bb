//! The triggers of migration `000004_album_revisions`: an album's revision
//! moves with every change its listings show, whoever makes it, and its photo
//! count and first photo follow its membership. Plain SQL, as any writer
//! (an older release, a restore, a hand-made fix) would change the tables.

use diesel::{PgConnection, QueryableByName, RunQueryDsl, sql_types::BigInt};
use shoebox_test_support::TestDatabase;

const USER: &str = "00000000-0000-7000-8000-000000000001";
const ALBUM: &str = "00000000-0000-7000-8000-0000000000a1";
const OTHER_ALBUM: &str = "00000000-0000-7000-8000-0000000000a2";

fn photo(n: u8) -> String {
    format!("00000000-0000-7000-8000-0000000001{n:02}")
}

fn run(connection: &mut PgConnection, sql: &str) {
    diesel::sql_query(sql)
        .execute(connection)
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Figures {
    #[diesel(sql_type = BigInt)]
    revision: i64,
    #[diesel(sql_type = BigInt)]
    photo_count: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    first_photo_id: Option<String>,
}

fn figures(connection: &mut PgConnection, album: &str) -> Figures {
    diesel::sql_query(format!(
        "SELECT revision, photo_count, first_photo_id::text FROM albums WHERE id = '{album}'"
    ))
    .get_result(connection)
    .unwrap()
}

/// Runs `sql` and returns how far the album's revision moved.
fn moves(connection: &mut PgConnection, album: &str, sql: &str) -> i64 {
    let before = figures(connection, album).revision;
    run(connection, sql);
    figures(connection, album).revision - before
}

fn setup() -> (TestDatabase, PgConnection) {
    let database = TestDatabase::migrated();
    let mut connection = database.connect();
    run(
        &mut connection,
        &format!(
            "INSERT INTO users (id, email, display_name, password_hash, role, created_at, updated_at) \
             VALUES ('{USER}', 'a@example.com', 'A', 'x', 'member', now(), now())"
        ),
    );
    for n in 1..=3 {
        run(
            &mut connection,
            &format!(
                "INSERT INTO photos (id, owner_id, format, size_bytes, sha256, width, height, \
                 sort_at, created_at, updated_at) VALUES ('{}', '{USER}', 'jpeg', 10, \
                 decode(repeat('{n:02}', 32), 'hex'), 4, 3, now(), now(), now())",
                photo(n)
            ),
        );
    }
    for album in [ALBUM, OTHER_ALBUM] {
        run(
            &mut connection,
            &format!(
                "INSERT INTO albums (id, owner_id, title, created_at, updated_at) \
                 VALUES ('{album}', '{USER}', 'Trip', now(), now())"
            ),
        );
    }
    (database, connection)
}

#[test]
fn membership_and_order_move_the_revision_and_keep_the_figures() {
    let (_database, mut c) = setup();
    let empty = figures(&mut c, ALBUM);
    assert_eq!((empty.photo_count, empty.first_photo_id), (0, None));

    let add = format!(
        "INSERT INTO album_photos (album_id, photo_id, position, added_at) VALUES \
         ('{ALBUM}', '{}', 1, now()), ('{ALBUM}', '{}', 2, now()), ('{ALBUM}', '{}', 3, now())",
        photo(1),
        photo(2),
        photo(3)
    );
    assert!(moves(&mut c, ALBUM, &add) >= 1);
    let full = figures(&mut c, ALBUM);
    assert_eq!(full.photo_count, 3);
    assert_eq!(full.first_photo_id, Some(photo(1)));

    let reorder = format!(
        "UPDATE album_photos SET position = 0 WHERE album_id = '{ALBUM}' AND photo_id = '{}'",
        photo(3)
    );
    assert!(moves(&mut c, ALBUM, &reorder) >= 1);
    assert_eq!(figures(&mut c, ALBUM).first_photo_id, Some(photo(3)));

    let remove = format!(
        "DELETE FROM album_photos WHERE album_id = '{ALBUM}' AND photo_id = '{}'",
        photo(3)
    );
    assert!(moves(&mut c, ALBUM, &remove) >= 1);
    let after = figures(&mut c, ALBUM);
    assert_eq!(
        (after.photo_count, after.first_photo_id),
        (2, Some(photo(1)))
    );

    // The other album saw none of it.
    assert_eq!(figures(&mut c, OTHER_ALBUM).revision, empty.revision);
}

#[test]
fn a_change_to_a_photo_or_its_variants_moves_every_album_holding_it() {
    let (_database, mut c) = setup();
    for album in [ALBUM, OTHER_ALBUM] {
        run(
            &mut c,
            &format!(
                "INSERT INTO album_photos (album_id, photo_id, position, added_at) \
                 VALUES ('{album}', '{}', 1, now())",
                photo(1)
            ),
        );
    }
    let caption = format!("UPDATE photos SET caption = 'Hi' WHERE id = '{}'", photo(1));
    let other_before = figures(&mut c, OTHER_ALBUM).revision;
    assert!(moves(&mut c, ALBUM, &caption) >= 1);
    assert!(figures(&mut c, OTHER_ALBUM).revision > other_before);

    let variant = format!(
        "INSERT INTO photo_variants (photo_id, kind, format, width, height, size_bytes, sha256) \
         VALUES ('{}', 'thumbnail', 'jpeg', 4, 3, 5, decode(repeat('aa', 32), 'hex'))",
        photo(1)
    );
    assert!(moves(&mut c, ALBUM, &variant) >= 1);
    let gone = format!("DELETE FROM photo_variants WHERE photo_id = '{}'", photo(1));
    assert!(moves(&mut c, ALBUM, &gone) >= 1);

    // A photo not in the album changes nothing of it.
    let elsewhere = format!("UPDATE photos SET caption = 'No' WHERE id = '{}'", photo(2));
    assert_eq!(moves(&mut c, ALBUM, &elsewhere), 0);

    // A deleted photo leaves its albums, which recount.
    let delete = format!("DELETE FROM photos WHERE id = '{}'", photo(1));
    assert!(moves(&mut c, ALBUM, &delete) >= 1);
    let after = figures(&mut c, ALBUM);
    assert_eq!((after.photo_count, after.first_photo_id), (0, None));
}

#[test]
fn any_update_of_the_album_row_is_a_new_revision() {
    let (_database, mut c) = setup();
    let rename = format!("UPDATE albums SET title = 'Other' WHERE id = '{ALBUM}'");
    assert_eq!(moves(&mut c, ALBUM, &rename), 1);
    let explicit = format!("UPDATE albums SET revision = revision + 1 WHERE id = '{ALBUM}'");
    assert_eq!(
        moves(&mut c, ALBUM, &explicit),
        1,
        "never twice for one update"
    );
}
