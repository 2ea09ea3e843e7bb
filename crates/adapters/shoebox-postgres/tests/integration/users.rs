//! `PostgresUserRepository`.

use chrono::TimeDelta;
use shoebox_domain::{
    accounts::{Bio, DisplayName, FullName, ProfileUpdate, Role, UserId},
    page::PageRequest,
};
use shoebox_ports::outbound::{InsertUserError, UserRepository};
use shoebox_test_support::fixtures::{self, FAKE_PASSWORD_HASH};

use crate::support::{Fixture, at, instant};

#[tokio::test]
async fn inserted_users_read_back_whole() {
    let fixture = Fixture::new();
    let new = fixtures::new_user("Ada@Example.org", instant());
    let user = fixture.users.insert(new.clone(), None).await.unwrap();
    assert_eq!(user.id, new.id);
    assert_eq!(user.email.as_str(), "ada@example.org");
    assert_eq!(user.display_name.as_str(), "ada");
    assert_eq!((user.full_name.clone(), user.bio.clone()), (None, None));
    assert_eq!(user.role, Role::Member);
    assert_eq!(user.disabled_at, None);
    assert_eq!((user.created_at, user.updated_at), (instant(), instant()));

    assert_eq!(
        fixture.users.find(new.id).await.unwrap(),
        Some(user.clone())
    );
    let by_email = fixture
        .users
        .credentials_by_email(&new.email)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_email.user, user);
    assert_eq!(by_email.password_hash.as_phc(), FAKE_PASSWORD_HASH);
    let by_id = fixture
        .users
        .credentials_by_id(new.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_id.user, user);

    assert_eq!(fixture.users.find(UserId::new()).await.unwrap(), None);
    assert!(
        fixture
            .users
            .credentials_by_id(UserId::new())
            .await
            .unwrap()
            .is_none()
    );
    let stranger = shoebox_domain::accounts::EmailAddress::parse("nobody@example.org").unwrap();
    assert!(
        fixture
            .users
            .credentials_by_email(&stranger)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_second_account_for_one_address_is_refused() {
    let fixture = Fixture::new();
    fixture.user("ada@example.org").await;
    let again = fixtures::new_user("ADA@example.org", at(10));
    let error = fixture.users.insert(again.clone(), None).await.unwrap_err();
    assert!(matches!(error, InsertUserError::EmailTaken), "{error:?}");
    assert_eq!(fixture.users.find(again.id).await.unwrap(), None);
}

#[tokio::test]
async fn a_row_that_no_longer_parses_is_an_error_not_a_panic() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    fixture.sql(&format!(
        "UPDATE users SET email = 'not an address' WHERE id = '{}'",
        user.id
    ));
    let error = fixture.users.find(user.id).await.unwrap_err();
    assert!(
        format!("{error:#}").contains(&format!("stored user {} has an invalid email", user.id)),
        "{error:#}"
    );
    assert!(fixture.users.list(PageRequest::default()).await.is_err());
}

#[tokio::test]
async fn profile_updates_change_only_what_they_name() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let full = ProfileUpdate {
        display_name: Some(DisplayName::parse("Ada L.").unwrap()),
        full_name: Some(FullName::parse("Ada Lovelace").unwrap()),
        bio: Some(Bio::parse("Analyst.\nPoet of science.").unwrap()),
    };
    let updated = fixture
        .users
        .update_profile(user.id, full, at(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.display_name.as_str(), "Ada L.");
    assert_eq!(updated.full_name.as_ref().unwrap().as_str(), "Ada Lovelace");
    assert_eq!(
        updated.bio.as_ref().unwrap().as_str(),
        "Analyst.\nPoet of science."
    );
    assert_eq!(updated.updated_at, at(60));
    assert_eq!(updated.created_at, instant());

    // Clearing one optional field leaves the other and the display name alone.
    let clear_full_name = ProfileUpdate {
        full_name: Some(None),
        ..ProfileUpdate::default()
    };
    let cleared = fixture
        .users
        .update_profile(user.id, clear_full_name, at(120))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cleared.full_name, None);
    assert_eq!(cleared.bio, updated.bio);
    assert_eq!(cleared.display_name, updated.display_name);
    assert_eq!(cleared.updated_at, at(120));
    assert_eq!(
        fixture.users.find(user.id).await.unwrap(),
        Some(cleared.clone())
    );

    let clear_bio = ProfileUpdate {
        bio: Some(None),
        ..ProfileUpdate::default()
    };
    let cleared = fixture
        .users
        .update_profile(user.id, clear_bio, at(180))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (cleared.full_name.clone(), cleared.bio.clone()),
        (None, None)
    );

    // An empty update changes nothing, not even the update time.
    let unchanged = fixture
        .users
        .update_profile(user.id, ProfileUpdate::default(), at(240))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged, cleared);

    let nobody = fixture
        .users
        .update_profile(
            UserId::new(),
            ProfileUpdate {
                bio: Some(None),
                ..Default::default()
            },
            at(1),
        )
        .await;
    assert_eq!(nobody.unwrap(), None);
}

#[tokio::test]
async fn users_are_listed_in_creation_order_a_page_at_a_time() {
    let fixture = Fixture::new();
    let mut created = Vec::new();
    for index in 0..7 {
        let user = fixture.user(&format!("member{index}@example.org")).await;
        created.push(user.id);
    }
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut after = None;
    loop {
        let page = fixture
            .users
            .list(PageRequest::new(Some(3), after))
            .await
            .unwrap();
        sizes.push(page.items.len());
        seen.extend(page.items.iter().map(|user| user.id));
        match page.next_cursor {
            Some(cursor) => {
                assert_eq!(
                    Some(cursor),
                    page.items.last().map(|user| user.id.as_uuid())
                );
                after = Some(cursor);
            }
            None => break,
        }
    }
    assert_eq!(sizes, vec![3, 3, 1]);
    assert_eq!(seen, created);

    // An exact multiple of the page size ends without an empty extra page.
    let page = fixture
        .users
        .list(PageRequest::new(Some(7), None))
        .await
        .unwrap();
    assert_eq!((page.items.len(), page.next_cursor), (7, None));
}

#[tokio::test]
async fn roles_change_and_unknown_users_are_reported() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let admin = fixture
        .users
        .set_role(user.id, Role::Admin, at(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((admin.role, admin.updated_at), (Role::Admin, at(5)));
    assert_eq!(
        fixture.users.find(user.id).await.unwrap().unwrap().role,
        Role::Admin
    );
    assert_eq!(
        fixture
            .users
            .set_role(UserId::new(), Role::Admin, at(5))
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn timestamps_keep_microseconds() {
    let fixture = Fixture::new();
    let created_at = instant() + TimeDelta::microseconds(123_456);
    let user = fixture
        .insert(fixtures::new_user("ada@example.org", created_at))
        .await;
    assert_eq!(user.created_at, created_at);
}

#[tokio::test]
async fn erasing_a_member_leaves_nothing_that_names_them_and_nobody_else_loses_anything() {
    use shoebox_domain::auth::ThrottleKey;
    use shoebox_ports::outbound::{
        ApiTokenRepository, InvitationRepository, LoginThrottleRepository, SessionRepository,
    };

    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    let ada = fixture.user("Ada.Gone@example.org").await;
    let grace = fixture.user("grace@example.org").await;
    fixture.session(ada.id, at(0), at(86_400)).await;
    fixture.session(grace.id, at(0), at(86_400)).await;
    // An invitation sent to her address (and accepted, in effect), one to someone else.
    let to_ada = fixture
        .invitation(Some("ada.gone@example.org"), admin.id, at(0), at(86_400))
        .await;
    let to_other = fixture
        .invitation(Some("other@example.org"), admin.id, at(0), at(86_400))
        .await;
    let window = std::time::Duration::from_secs(900);
    fixture
        .throttle
        .record_failure(
            vec![
                ThrottleKey::account("ada.gone@example.org"),
                ThrottleKey::account("grace@example.org"),
            ],
            at(10),
            window,
        )
        .await
        .unwrap();

    assert!(fixture.users.erase(ada.id).await.unwrap());
    assert!(
        !fixture.users.erase(ada.id).await.unwrap(),
        "a second erasure finds nobody"
    );
    assert!(fixture.users.find(ada.id).await.unwrap().is_none());
    assert!(
        fixture
            .sessions
            .list(ada.id, at(1))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        fixture.sessions.list(grace.id, at(1)).await.unwrap().len(),
        1
    );
    assert!(fixture.tokens.list(ada.id, at(1)).await.unwrap().is_empty());
    let scrubbed = fixture
        .invitations
        .find_by_token(to_ada.secret.hash())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        scrubbed.email, None,
        "her address is gone from the invitation"
    );
    let kept = fixture
        .invitations
        .find_by_token(to_other.secret.hash())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.email.map(|email| email.as_str().to_owned()).as_deref(),
        Some("other@example.org")
    );
    let counters = fixture
        .throttle
        .counters(vec![
            ThrottleKey::account("ada.gone@example.org"),
            ThrottleKey::account("grace@example.org"),
        ])
        .await
        .unwrap();
    let scopes: Vec<String> = counters
        .iter()
        .map(|(key, _)| key.value().to_owned())
        .collect();
    assert_eq!(scopes, ["grace@example.org"]);
}
