//! `PostgresApiTokenRepository`.

use shoebox_domain::auth::{ApiTokenId, SecretToken};
use shoebox_ports::outbound::{ApiTokenRepository, UserRepository};

use crate::support::{Fixture, at};

#[tokio::test]
async fn a_token_is_found_by_its_secret_with_its_user() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let new = fixture
        .token(user.id, "backup script", at(0), Some(at(86_400)))
        .await;

    let (token, owner) = fixture
        .tokens
        .find_active(new.secret.hash(), at(10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token, new.token);
    assert_eq!(owner, user);
    assert!(
        fixture
            .tokens
            .find_active(SecretToken::generate("sbx_").hash(), at(10))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn expired_tokens_and_tokens_of_disabled_users_are_not_active() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let expiring = fixture
        .token(user.id, "expiring", at(0), Some(at(100)))
        .await;
    let forever = fixture.token(user.id, "forever", at(0), None).await;

    assert!(
        fixture
            .tokens
            .find_active(expiring.token_hash, at(99))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        fixture
            .tokens
            .find_active(expiring.token_hash, at(100))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        fixture
            .tokens
            .find_active(forever.token_hash, at(10_000_000))
            .await
            .unwrap()
            .is_some()
    );

    fixture.sql(&format!(
        "UPDATE users SET disabled_at = now() WHERE id = '{}'",
        user.id
    ));
    assert!(
        fixture
            .tokens
            .find_active(forever.token_hash, at(1))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn only_live_tokens_are_counted_and_listed_newest_first() {
    let fixture = Fixture::new();
    let ada = fixture.user("ada@example.org").await;
    let bob = fixture.user("bob@example.org").await;
    let first = fixture.token(ada.id, "first", at(0), None).await;
    let second = fixture
        .token(ada.id, "second", at(10), Some(at(1000)))
        .await;
    fixture.token(ada.id, "expired", at(20), Some(at(50))).await;
    fixture.token(bob.id, "bob's", at(30), None).await;

    assert_eq!(fixture.tokens.count(ada.id, at(60)).await.unwrap(), 2);
    let listed = fixture.tokens.list(ada.id, at(60)).await.unwrap();
    assert_eq!(listed, vec![second.token, first.token]);
    assert_eq!(fixture.tokens.count(ada.id, at(40)).await.unwrap(), 3);
}

#[tokio::test]
async fn use_of_a_token_is_recorded() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let new = fixture.token(user.id, "backup", at(0), None).await;
    assert_eq!(new.token.last_used_at, None);
    fixture
        .tokens
        .record_use(new.token.id, at(500))
        .await
        .unwrap();
    let (token, _) = fixture
        .tokens
        .find_active(new.token_hash, at(501))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token.last_used_at, Some(at(500)));
}

#[tokio::test]
async fn members_revoke_only_their_own_tokens() {
    let fixture = Fixture::new();
    let ada = fixture.user("ada@example.org").await;
    let bob = fixture.user("bob@example.org").await;
    let mine = fixture.token(ada.id, "mine", at(0), None).await;
    let bobs = fixture.token(bob.id, "bob's", at(0), None).await;

    assert!(!fixture.tokens.revoke(ada.id, bobs.token.id).await.unwrap());
    assert!(
        fixture
            .tokens
            .find_active(bobs.token_hash, at(1))
            .await
            .unwrap()
            .is_some()
    );
    assert!(fixture.tokens.revoke(ada.id, mine.token.id).await.unwrap());
    assert!(
        fixture
            .tokens
            .find_active(mine.token_hash, at(1))
            .await
            .unwrap()
            .is_none()
    );
    assert!(!fixture.tokens.revoke(ada.id, mine.token.id).await.unwrap());
    assert!(
        !fixture
            .tokens
            .revoke(ada.id, ApiTokenId::new())
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn tokens_go_with_their_user() {
    let fixture = Fixture::new();
    let user = fixture.user("ada@example.org").await;
    let token = fixture.token(user.id, "backup", at(0), None).await;
    fixture.sql(&format!("DELETE FROM users WHERE id = '{}'", user.id));
    assert!(
        fixture
            .tokens
            .find_active(token.token_hash, at(1))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(fixture.tokens.count(user.id, at(1)).await.unwrap(), 0);
    assert!(fixture.users.find(user.id).await.unwrap().is_none());
}
