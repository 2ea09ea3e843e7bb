//! `PostgresUserRepository`: the changes that must end a member's access
//! (a new password, a disabled account) in the same transaction.

use shoebox_domain::accounts::{PasswordHash, UserId};
use shoebox_ports::outbound::{ApiTokenRepository, SessionRepository, UserRepository};

use crate::support::{Fixture, at};

#[tokio::test]
async fn replacing_a_password_ends_other_sessions_and_every_token() {
    let fixture = Fixture::new();
    let ada = fixture.user("ada@example.org").await;
    let bob = fixture.user("bob@example.org").await;
    let (_, kept) = fixture.session(ada.id, at(0), at(3600)).await;
    let (ended_secret, _) = fixture.session(ada.id, at(1), at(3600)).await;
    fixture.session(ada.id, at(2), at(3600)).await;
    fixture.token(ada.id, "backup", at(0), None).await;
    let (bobs_secret, _) = fixture.session(bob.id, at(0), at(3600)).await;
    let bobs_token = fixture.token(bob.id, "sync", at(0), None).await;

    let new_hash = PasswordHash::from_phc("$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA");
    fixture
        .users
        .replace_password(ada.id, new_hash.clone(), Some(kept.id), at(10))
        .await
        .unwrap();

    let credentials = fixture
        .users
        .credentials_by_id(ada.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(credentials.password_hash, new_hash);
    assert_eq!(credentials.user.updated_at, at(10));
    let remaining: Vec<_> = fixture
        .sessions
        .list(ada.id, at(10))
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(remaining, vec![kept.id]);
    assert!(
        fixture
            .sessions
            .find_active(ended_secret.hash(), at(10))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(fixture.tokens.count(ada.id, at(10)).await.unwrap(), 0);

    // Another member is not touched.
    assert!(
        fixture
            .sessions
            .find_active(bobs_secret.hash(), at(10))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        fixture
            .tokens
            .find_active(bobs_token.token_hash, at(10))
            .await
            .unwrap()
            .is_some()
    );

    // Without a session to keep, every session ends.
    fixture
        .users
        .replace_password(ada.id, new_hash.clone(), None, at(20))
        .await
        .unwrap();
    assert!(
        fixture
            .sessions
            .list(ada.id, at(20))
            .await
            .unwrap()
            .is_empty()
    );

    assert!(
        fixture
            .users
            .replace_password(UserId::new(), new_hash, None, at(30))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn disabling_ends_sessions_and_tokens_and_enabling_restores_the_account() {
    let fixture = Fixture::new();
    let ada = fixture.user("ada@example.org").await;
    let bob = fixture.user("bob@example.org").await;
    let (secret, _) = fixture.session(ada.id, at(0), at(3600)).await;
    let token = fixture.token(ada.id, "backup", at(0), None).await;
    let (bobs_secret, _) = fixture.session(bob.id, at(0), at(3600)).await;

    let disabled = fixture
        .users
        .set_disabled(ada.id, Some(at(30)), at(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(disabled.disabled_at, Some(at(30)));
    assert!(disabled.is_disabled());
    assert!(
        fixture
            .sessions
            .list(ada.id, at(31))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        fixture
            .sessions
            .find_active(secret.hash(), at(31))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(fixture.tokens.count(ada.id, at(31)).await.unwrap(), 0);
    assert!(
        fixture
            .tokens
            .find_active(token.token_hash, at(31))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        fixture
            .sessions
            .find_active(bobs_secret.hash(), at(31))
            .await
            .unwrap()
            .is_some()
    );

    let enabled = fixture
        .users
        .set_disabled(ada.id, None, at(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((enabled.disabled_at, enabled.updated_at), (None, at(60)));
    // A fresh session works again.
    let (fresh, _) = fixture.session(ada.id, at(61), at(3600)).await;
    assert!(
        fixture
            .sessions
            .find_active(fresh.hash(), at(62))
            .await
            .unwrap()
            .is_some()
    );

    assert_eq!(
        fixture
            .users
            .set_disabled(UserId::new(), Some(at(1)), at(1))
            .await
            .unwrap(),
        None
    );
}
