//! `PostgresInvitationRepository`, and accepting invitations in
//! `PostgresUserRepository::insert`.

use shoebox_domain::{
    accounts::Role,
    auth::{InvitationId, SecretToken},
};
use shoebox_ports::outbound::{InsertUserError, InvitationRepository, UserRepository};
use shoebox_test_support::fixtures;

use crate::support::{Fixture, at};

const WEEK: i64 = 7 * 86_400;

#[tokio::test]
async fn an_invitation_is_found_by_its_token_whatever_its_state() {
    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    let new = fixture
        .invitation(Some("ada@example.org"), admin.id, at(0), at(WEEK))
        .await;
    let found = fixture
        .invitations
        .find_by_token(new.secret.hash())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, new.invitation);

    fixture
        .invitations
        .revoke(new.invitation.id, at(5))
        .await
        .unwrap();
    let revoked = fixture
        .invitations
        .find_by_token(new.token_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(revoked.revoked_at, Some(at(5)));
    assert!(
        fixture
            .invitations
            .find_by_token(SecretToken::generate("").hash())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn accepting_an_invitation_creates_the_account_and_uses_it_up() {
    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    let invitation = fixture
        .invitation(Some("ada@example.org"), admin.id, at(0), at(WEEK))
        .await;

    let mut ada = fixtures::new_user("ada@example.org", at(100));
    ada.role = Role::Admin;
    let user = fixture
        .users
        .insert(ada.clone(), Some(invitation.token_hash))
        .await
        .unwrap();
    // The role is the one the use case chose, not read from the invitation.
    assert_eq!(user.role, Role::Admin);
    let accepted = fixture
        .invitations
        .find_by_token(invitation.token_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(accepted.accepted_at, Some(at(100)));
    assert!(!accepted.is_usable(at(100)));
    assert_eq!(
        fixture.sql(&format!(
            "SELECT 1 FROM invitations WHERE accepted_by = '{}'",
            ada.id
        )),
        1
    );

    // The same invitation cannot be used twice, and the refused account is not created.
    let other = fixtures::new_user("other@example.org", at(200));
    let error = fixture
        .users
        .insert(other.clone(), Some(invitation.token_hash))
        .await
        .unwrap_err();
    assert!(
        matches!(error, InsertUserError::InvitationInvalid),
        "{error:?}"
    );
    assert_eq!(fixture.users.find(other.id).await.unwrap(), None);
}

#[tokio::test]
async fn an_open_invitation_admits_any_address() {
    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    let invitation = fixture.invitation(None, admin.id, at(0), at(WEEK)).await;
    let user = fixtures::new_user("anyone@example.org", at(10));
    assert!(
        fixture
            .users
            .insert(user, Some(invitation.token_hash))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn unusable_invitations_are_refused_and_nothing_is_created() {
    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    let expired = fixture.invitation(None, admin.id, at(0), at(100)).await;
    let revoked = fixture.invitation(None, admin.id, at(0), at(WEEK)).await;
    fixture
        .invitations
        .revoke(revoked.invitation.id, at(1))
        .await
        .unwrap();
    let for_someone_else = fixture
        .invitation(Some("bob@example.org"), admin.id, at(0), at(WEEK))
        .await;
    let unknown = SecretToken::generate("").hash();

    let cases = [
        ("expired", expired.token_hash),
        ("revoked", revoked.token_hash),
        ("for another address", for_someone_else.token_hash),
        ("unknown", unknown),
    ];
    for (what, token_hash) in cases {
        let ada = fixtures::new_user("ada@example.org", at(100));
        let error = fixture
            .users
            .insert(ada.clone(), Some(token_hash))
            .await
            .unwrap_err();
        assert!(
            matches!(error, InsertUserError::InvitationInvalid),
            "{what}: {error:?}"
        );
        assert_eq!(fixture.users.find(ada.id).await.unwrap(), None, "{what}");
    }
    // The invitation for Bob is still there for Bob.
    let bob = fixtures::new_user("bob@example.org", at(100));
    assert!(
        fixture
            .users
            .insert(bob, Some(for_someone_else.token_hash))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_taken_address_leaves_the_invitation_unused() {
    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    fixture.user("ada@example.org").await;
    let invitation = fixture.invitation(None, admin.id, at(0), at(WEEK)).await;
    let again = fixtures::new_user("ada@example.org", at(10));
    let error = fixture
        .users
        .insert(again, Some(invitation.token_hash))
        .await
        .unwrap_err();
    assert!(matches!(error, InsertUserError::EmailTaken), "{error:?}");
    let untouched = fixture
        .invitations
        .find_by_token(invitation.token_hash)
        .await
        .unwrap()
        .unwrap();
    assert!(untouched.is_usable(at(10)));
}

#[tokio::test]
async fn pending_invitations_are_listed_newest_first() {
    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    let older = fixture.invitation(None, admin.id, at(0), at(WEEK)).await;
    let newer = fixture
        .invitation(Some("bob@example.org"), admin.id, at(10), at(WEEK))
        .await;
    fixture.invitation(None, admin.id, at(20), at(50)).await;
    let revoked = fixture.invitation(None, admin.id, at(30), at(WEEK)).await;
    fixture
        .invitations
        .revoke(revoked.invitation.id, at(31))
        .await
        .unwrap();
    let accepted = fixture.invitation(None, admin.id, at(40), at(WEEK)).await;
    fixture
        .users
        .insert(
            fixtures::new_user("carol@example.org", at(41)),
            Some(accepted.token_hash),
        )
        .await
        .unwrap();

    let pending = fixture.invitations.list_pending(at(60)).await.unwrap();
    assert_eq!(pending, vec![newer.invitation, older.invitation]);
}

#[tokio::test]
async fn only_pending_invitations_can_be_revoked() {
    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    let pending = fixture.invitation(None, admin.id, at(0), at(WEEK)).await;
    let expired = fixture.invitation(None, admin.id, at(0), at(10)).await;
    let accepted = fixture.invitation(None, admin.id, at(0), at(WEEK)).await;
    fixture
        .users
        .insert(
            fixtures::new_user("ada@example.org", at(5)),
            Some(accepted.token_hash),
        )
        .await
        .unwrap();

    assert!(
        fixture
            .invitations
            .revoke(pending.invitation.id, at(20))
            .await
            .unwrap()
    );
    assert!(
        !fixture
            .invitations
            .revoke(pending.invitation.id, at(21))
            .await
            .unwrap()
    );
    assert!(
        !fixture
            .invitations
            .revoke(expired.invitation.id, at(20))
            .await
            .unwrap()
    );
    assert!(
        !fixture
            .invitations
            .revoke(accepted.invitation.id, at(20))
            .await
            .unwrap()
    );
    assert!(
        !fixture
            .invitations
            .revoke(InvitationId::new(), at(20))
            .await
            .unwrap()
    );
    let revoked = fixture
        .invitations
        .find_by_token(pending.token_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(revoked.revoked_at, Some(at(20)));
}

#[tokio::test]
async fn deleting_the_inviting_admin_keeps_the_invitation() {
    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    let invitation = fixture.invitation(None, admin.id, at(0), at(WEEK)).await;
    fixture.sql(&format!("DELETE FROM users WHERE id = '{}'", admin.id));
    let kept = fixture
        .invitations
        .find_by_token(invitation.token_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.created_by, None);
    assert!(kept.is_usable(at(1)));
}

#[tokio::test]
async fn reissuing_replaces_the_secret_of_pending_addressed_invitations_only() {
    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    let addressed = fixture
        .invitation(Some("ada@example.org"), admin.id, at(0), at(WEEK))
        .await;
    let open = fixture.invitation(None, admin.id, at(0), at(WEEK)).await;
    let revoked = fixture
        .invitation(Some("bob@example.org"), admin.id, at(0), at(WEEK))
        .await;
    fixture
        .invitations
        .revoke(revoked.invitation.id, at(1))
        .await
        .unwrap();

    let fresh = SecretToken::generate("");
    let reissued = fixture
        .invitations
        .reissue(addressed.invitation.id, fresh.hash(), at(2 * WEEK), at(10))
        .await
        .unwrap()
        .expect("a pending addressed invitation is reissued");
    assert_eq!(reissued.id, addressed.invitation.id);
    assert_eq!(reissued.expires_at, at(2 * WEEK));
    // The old link no longer matches; the new one does.
    assert!(
        fixture
            .invitations
            .find_by_token(addressed.token_hash)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        fixture
            .invitations
            .find_by_token(fresh.hash())
            .await
            .unwrap(),
        Some(reissued)
    );

    for (id, what) in [
        (open.invitation.id, "open"),
        (revoked.invitation.id, "revoked"),
        (InvitationId::new(), "unknown"),
    ] {
        let result = fixture
            .invitations
            .reissue(id, SecretToken::generate("").hash(), at(2 * WEEK), at(10))
            .await
            .unwrap();
        assert!(result.is_none(), "{what}");
    }
    // Expired ones cannot be brought back either.
    assert!(
        fixture
            .invitations
            .reissue(
                addressed.invitation.id,
                SecretToken::generate("").hash(),
                at(3 * WEEK),
                at(2 * WEEK + 1),
            )
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn recent_invitations_are_pending_ones_and_those_ended_since_the_cutoff() {
    let fixture = Fixture::new();
    let admin = fixture.user("admin@example.org").await;
    let pending = fixture.invitation(None, admin.id, at(0), at(WEEK)).await;
    let expired_late = fixture.invitation(None, admin.id, at(1), at(100)).await;
    let expired_early = fixture.invitation(None, admin.id, at(2), at(10)).await;
    let revoked_late = fixture.invitation(None, admin.id, at(3), at(WEEK)).await;
    let revoked_early = fixture.invitation(None, admin.id, at(4), at(WEEK)).await;
    fixture
        .invitations
        .revoke(revoked_late.invitation.id, at(60))
        .await
        .unwrap();
    fixture
        .invitations
        .revoke(revoked_early.invitation.id, at(20))
        .await
        .unwrap();

    let ids: Vec<InvitationId> = fixture
        .invitations
        .list_recent(at(200), at(50))
        .await
        .unwrap()
        .into_iter()
        .map(|invitation| invitation.id)
        .collect();
    assert_eq!(
        ids,
        vec![
            revoked_late.invitation.id,
            expired_late.invitation.id,
            pending.invitation.id,
        ]
    );
    // Expired at 10 and revoked at 20: ended before the cutoff.
    assert!(!ids.contains(&expired_early.invitation.id));
    assert!(!ids.contains(&revoked_early.invitation.id));
}
