//! `PostgresSessionRepository`.

use shoebox_domain::auth::{ClientInfo, SecretToken, SessionId};
use shoebox_ports::outbound::SessionRepository;
use shoebox_test_support::fixtures;

use crate::support::{Fixture, at};

#[tokio::test]
async fn a_session_is_found_by_its_token_with_its_user() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let (secret, new) = fixtures::new_session(user.id, at(0), at(3600));
    let inserted = fixture.sessions.insert(new.clone()).await.unwrap();
    assert_eq!(inserted.id, new.id);
    assert_eq!(inserted.user_id, user.id);
    assert_eq!(inserted.csrf_token, new.csrf_token);
    assert_eq!(inserted.client, new.client);
    assert!(inserted.client.ip.is_some() && inserted.client.user_agent.is_some());
    assert_eq!(
        (
            inserted.created_at,
            inserted.last_seen_at,
            inserted.expires_at
        ),
        (at(0), at(0), at(3600))
    );

    let (session, owner) = fixture
        .sessions
        .find_active(secret.hash(), at(10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session, inserted);
    assert_eq!(owner, user);

    let unknown = SecretToken::generate("");
    assert!(
        fixture
            .sessions
            .find_active(unknown.hash(), at(10))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn sessions_without_client_details_round_trip() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let (secret, mut new) = fixtures::new_session(user.id, at(0), at(3600));
    new.client = ClientInfo::default();
    fixture.sessions.insert(new).await.unwrap();
    let (session, _) = fixture
        .sessions
        .find_active(secret.hash(), at(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.client, ClientInfo::default());
}

#[tokio::test]
async fn expired_sessions_are_not_active() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let (secret, _) = fixture.session(user.id, at(0), at(3600)).await;
    assert!(
        fixture
            .sessions
            .find_active(secret.hash(), at(3599))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        fixture
            .sessions
            .find_active(secret.hash(), at(3600))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        fixture
            .sessions
            .find_active(secret.hash(), at(7200))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn sessions_of_disabled_users_are_not_active() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let (secret, _) = fixture.session(user.id, at(0), at(3600)).await;
    // Disabled behind the repository's back, so the session row survives and
    // only the join condition can keep it out.
    fixture.sql(&format!(
        "UPDATE users SET disabled_at = now() WHERE id = '{}'",
        user.id
    ));
    assert!(
        fixture
            .sessions
            .find_active(secret.hash(), at(10))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn touching_a_session_slides_its_expiry() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let (secret, new) = fixture.session(user.id, at(0), at(3600)).await;
    fixture
        .sessions
        .touch(new.id, at(3000), at(6600))
        .await
        .unwrap();
    let (session, _) = fixture
        .sessions
        .find_active(secret.hash(), at(5000))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (session.last_seen_at, session.expires_at),
        (at(3000), at(6600))
    );
    assert_eq!(session.created_at, at(0));
}

#[tokio::test]
async fn a_member_lists_their_unexpired_sessions_newest_first() {
    let fixture = Fixture::new();
    let ada = fixture.user("ada@example.org").await;
    let bob = fixture.user("bob@example.org").await;
    let (_, oldest) = fixture.session(ada.id, at(0), at(3600)).await;
    let (_, newest) = fixture.session(ada.id, at(20), at(3600)).await;
    let (_, middle) = fixture.session(ada.id, at(10), at(3600)).await;
    fixture.session(ada.id, at(5), at(100)).await;
    fixture.session(bob.id, at(30), at(3600)).await;

    let listed: Vec<SessionId> = fixture
        .sessions
        .list(ada.id, at(100))
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, vec![newest.id, middle.id, oldest.id]);
}

#[tokio::test]
async fn members_end_only_their_own_sessions() {
    let fixture = Fixture::new();
    let ada = fixture.user("ada@example.org").await;
    let bob = fixture.user("bob@example.org").await;
    let (secret, mine) = fixture.session(ada.id, at(0), at(3600)).await;
    let (bobs_secret, bobs) = fixture.session(bob.id, at(0), at(3600)).await;

    assert!(!fixture.sessions.delete(ada.id, bobs.id).await.unwrap());
    assert!(
        fixture
            .sessions
            .find_active(bobs_secret.hash(), at(1))
            .await
            .unwrap()
            .is_some()
    );

    assert!(fixture.sessions.delete(ada.id, mine.id).await.unwrap());
    assert!(
        fixture
            .sessions
            .find_active(secret.hash(), at(1))
            .await
            .unwrap()
            .is_none()
    );
    assert!(!fixture.sessions.delete(ada.id, mine.id).await.unwrap());
}

#[tokio::test]
async fn signing_out_everywhere_can_keep_the_current_session() {
    let fixture = Fixture::new();
    let ada = fixture.user("ada@example.org").await;
    let bob = fixture.user("bob@example.org").await;
    let (_, current) = fixture.session(ada.id, at(0), at(3600)).await;
    fixture.session(ada.id, at(1), at(3600)).await;
    fixture.session(ada.id, at(2), at(3600)).await;
    let (bobs_secret, _) = fixture.session(bob.id, at(0), at(3600)).await;

    assert_eq!(
        fixture
            .sessions
            .delete_all(ada.id, Some(current.id))
            .await
            .unwrap(),
        2
    );
    let listed: Vec<SessionId> = fixture
        .sessions
        .list(ada.id, at(3))
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, vec![current.id]);

    assert_eq!(fixture.sessions.delete_all(ada.id, None).await.unwrap(), 1);
    assert!(
        fixture
            .sessions
            .list(ada.id, at(3))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(fixture.sessions.delete_all(ada.id, None).await.unwrap(), 0);
    assert!(
        fixture
            .sessions
            .find_active(bobs_secret.hash(), at(3))
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_session_for_an_unknown_user_is_refused() {
    let fixture = Fixture::new();
    let (_, orphan) = fixtures::new_session(shoebox_domain::accounts::UserId::new(), at(0), at(60));
    assert!(fixture.sessions.insert(orphan).await.is_err());
}
