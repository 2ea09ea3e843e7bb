//! Sign-up, login, and credential resolution, with every outbound port mocked.

mod common;

use chrono::TimeDelta;
use common::*;
use mockall::predicate::*;
use shoebox_application::AuthenticationService;
use shoebox_domain::{
    accounts::{
        DisplayName, EmailAddress, LogIn, LogInError, NewPassword, PasswordHash, PlainPassword,
        Role, SignUp, SignUpError,
    },
    auth::{
        AuthenticationError, ClientInfo, Credential, NewInvitation, SecretToken, Session,
        SessionId, SignupMode, ThrottleKey, ThrottleState,
    },
};
use shoebox_ports::{
    inbound::{Authentication, SignedIn, SignedUp},
    outbound::{DeviceSighting, InsertUserError},
};

fn sign_up(invitation: Option<SecretToken>) -> SignUp {
    SignUp {
        email: EmailAddress::parse("new@example.org").unwrap(),
        display_name: DisplayName::parse("New").unwrap(),
        password: NewPassword::parse("velvet-otter-marches-north", &[]).unwrap(),
        invitation,
        client: client(),
        device: None,
    }
}

fn service(mocks: Mocks, signup: SignupMode) -> AuthenticationService {
    with_settings(
        mocks,
        shoebox_application::AuthSettings {
            signup,
            ..settings()
        },
    )
}

fn with_settings(
    mocks: Mocks,
    settings: shoebox_application::AuthSettings,
) -> AuthenticationService {
    let (stores, verifier, postman) = mocks.into_parts(&settings);
    AuthenticationService::new(stores, verifier, postman, &settings)
}

/// Sign-up of `new@example.org` goes through: the hash and the insert.
fn expect_insert(mocks: &mut Mocks) {
    mocks
        .hasher
        .expect_hash()
        .times(1)
        .returning(|_| Ok(PasswordHash::from_phc("$argon2id$new")));
    mocks
        .users
        .expect_insert()
        .times(1)
        .returning(|new_user, _| {
            let mut created = user(new_user.email.as_str(), new_user.role);
            created.id = new_user.id;
            created.email_verified_at = new_user.email_verified_at;
            Ok(created)
        });
}

/// A verification link for `new@example.org` is recorded and mailed there.
fn expect_verification_mail(mocks: &mut Mocks) {
    let address = EmailAddress::parse("new@example.org").unwrap();
    let recorded = address.clone();
    mocks
        .confirmations
        .expect_insert()
        .withf(move |_, email, _, now_, expires| {
            *email == recorded && *now_ == now() && *expires == now() + TimeDelta::hours(48)
        })
        .times(1)
        .returning(|_, _, _, _, _| Ok(()));
    mocks
        .outbox
        .expect_enqueue()
        .withf(move |_, mail, _, _| {
            mail.to == address
                && mail.subject.starts_with("Confirm your email address")
                && mail
                    .text
                    .contains("https://photos.example.org/verify-email?token=")
        })
        .times(1)
        .returning(|_, _, _, _| Ok(()));
}

fn signed_in(outcome: SignedUp) -> SignedIn {
    match outcome {
        SignedUp::SignedIn(signed_in) => signed_in,
        SignedUp::VerificationRequired(user) => panic!("{} was kept out", user.email),
    }
}

/// A session opens on a device the member used before (no notice).
fn expect_session_insert(mocks: &mut Mocks) {
    expect_device(mocks, true, true);
    expect_session(mocks);
}

fn expect_device(mocks: &mut Mocks, known: bool, others: bool) {
    mocks
        .devices
        .expect_remember()
        .times(1)
        .returning(move |_, _, _| Ok(DeviceSighting { known, others }));
}

fn expect_session(mocks: &mut Mocks) {
    mocks.sessions.expect_insert().times(1).returning(|new| {
        Ok(Session {
            id: new.id,
            user_id: new.user_id,
            csrf_token: new.csrf_token,
            client: new.client,
            created_at: new.created_at,
            last_seen_at: new.created_at,
            expires_at: new.expires_at,
        })
    });
}

#[tokio::test]
async fn closed_mode_refuses_sign_up_without_touching_anything() {
    let result = service(Mocks::default(), SignupMode::Closed)
        .sign_up(sign_up(None))
        .await;
    assert!(matches!(result, Err(SignUpError::Closed)));
}

#[tokio::test]
async fn invite_mode_requires_an_invitation() {
    let result = service(Mocks::default(), SignupMode::Invite)
        .sign_up(sign_up(None))
        .await;
    assert!(matches!(result, Err(SignUpError::InvitationRequired)));
}

#[tokio::test]
async fn an_invitation_for_another_address_is_refused() {
    let mut mocks = Mocks::default();
    let admin = user("admin@example.org", Role::Admin);
    let other = EmailAddress::parse("other@example.org").unwrap();
    let new = NewInvitation::generate(
        Some(other),
        Role::Member,
        admin.id,
        now(),
        now() + TimeDelta::days(1),
    );
    let invitation = new.invitation.clone();
    mocks
        .invitations
        .expect_find_by_token()
        .with(eq(new.token_hash))
        .return_once(move |_| Ok(Some(invitation)));
    let result = service(mocks, SignupMode::Invite)
        .sign_up(sign_up(Some(new.secret)))
        .await;
    assert!(matches!(result, Err(SignUpError::InvitationInvalid)));
}

#[tokio::test]
async fn a_valid_invitation_gives_its_role_and_is_consumed_with_the_insert() {
    let mut mocks = Mocks::default();
    let admin = user("admin@example.org", Role::Admin);
    let new = NewInvitation::generate(
        None,
        Role::Admin,
        admin.id,
        now(),
        now() + TimeDelta::days(1),
    );
    let (invitation, hash) = (new.invitation.clone(), new.token_hash);
    mocks
        .invitations
        .expect_find_by_token()
        .return_once(move |_| Ok(Some(invitation)));
    mocks
        .hasher
        .expect_hash()
        .times(1)
        .returning(|_| Ok(PasswordHash::from_phc("$argon2id$new")));
    mocks
        .users
        .expect_insert()
        .withf(move |new_user, consumed| {
            new_user.role == Role::Admin
                && *consumed == Some(hash)
                && new_user.password_hash.as_phc() == "$argon2id$new"
        })
        .times(1)
        .returning(|new_user, _| {
            let mut created = user(new_user.email.as_str(), new_user.role);
            created.id = new_user.id;
            created.email_verified_at = new_user.email_verified_at;
            Ok(created)
        });
    expect_session_insert(&mut mocks);
    // An open link proves nothing about the address.
    expect_verification_mail(&mut mocks);
    let signed_in = signed_in(
        service(mocks, SignupMode::Invite)
            .sign_up(sign_up(Some(new.secret)))
            .await
            .unwrap(),
    );
    assert!(!signed_in.user.is_email_verified());
    assert_eq!(signed_in.user.role, Role::Admin);
    assert_eq!(signed_in.session.user_id, signed_in.user.id);
    assert_eq!(signed_in.session.expires_at, now() + TimeDelta::days(14));
    assert!(!signed_in.session.csrf_token.is_empty());
}

#[tokio::test]
async fn a_taken_email_is_reported_as_such() {
    let mut mocks = Mocks::default();
    mocks
        .hasher
        .expect_hash()
        .returning(|_| Ok(PasswordHash::from_phc("h")));
    mocks
        .users
        .expect_insert()
        .returning(|_, _| Err(InsertUserError::EmailTaken));
    let result = service(mocks, SignupMode::Open)
        .sign_up(sign_up(None))
        .await;
    assert!(matches!(result, Err(SignUpError::EmailTaken)));
}

#[tokio::test]
async fn an_invitation_mailed_to_the_address_verifies_it_and_nothing_is_sent() {
    let mut mocks = Mocks::default();
    let admin = user("admin@example.org", Role::Admin);
    let new = NewInvitation::generate(
        Some(EmailAddress::parse("new@example.org").unwrap()),
        Role::Member,
        admin.id,
        now(),
        now() + TimeDelta::days(1),
    );
    let invitation = new.invitation.clone();
    mocks
        .invitations
        .expect_find_by_token()
        .return_once(move |_| Ok(Some(invitation)));
    expect_insert(&mut mocks);
    expect_session_insert(&mut mocks);
    // No expectations on the confirmations or the outbox: a call fails the test.
    let signed_in = signed_in(
        service(mocks, SignupMode::Invite)
            .sign_up(sign_up(Some(new.secret)))
            .await
            .unwrap(),
    );
    assert_eq!(signed_in.user.email_verified_at, Some(now()));
}

#[tokio::test]
async fn when_verification_is_required_sign_up_opens_no_session_and_mails_the_link() {
    let mut mocks = Mocks::default();
    expect_insert(&mut mocks);
    expect_verification_mail(&mut mocks);
    // No session expectation: opening one fails the test.
    let outcome = with_settings(
        mocks,
        shoebox_application::AuthSettings {
            signup: SignupMode::Open,
            require_email_verification: true,
            ..settings()
        },
    )
    .sign_up(sign_up(None))
    .await
    .unwrap();
    match outcome {
        SignedUp::VerificationRequired(user) => {
            assert_eq!(user.email.as_str(), "new@example.org");
            assert!(!user.is_email_verified());
        }
        SignedUp::SignedIn(_) => panic!("an unverified member got a session"),
    }
}

fn unverified_login(mocks: &mut Mocks, password_ok: bool) {
    mocks.throttle.expect_counters().returning(|_| Ok(vec![]));
    mocks.users.expect_credentials_by_email().returning(|_| {
        let mut member = user("ada@example.org", Role::Member);
        member.email_verified_at = None;
        Ok(Some(credentials(member)))
    });
    mocks
        .hasher
        .expect_verify()
        .returning(move |_, _| Ok(password_ok));
}

#[tokio::test]
async fn when_verification_is_required_an_unverified_member_is_told_only_after_a_right_password() {
    let required = || shoebox_application::AuthSettings {
        require_email_verification: true,
        ..settings()
    };
    let mut mocks = Mocks::default();
    unverified_login(&mut mocks, true);
    let result = with_settings(mocks, required())
        .log_in(log_in("ada@example.org", "right-password"))
        .await;
    assert!(
        matches!(result, Err(LogInError::EmailUnverified)),
        "{result:?}"
    );

    let mut mocks = Mocks::default();
    unverified_login(&mut mocks, false);
    mocks
        .throttle
        .expect_record_failure()
        .times(1)
        .returning(|_, _, _| Ok(()));
    let result = with_settings(mocks, required())
        .log_in(log_in("ada@example.org", "wrong-password"))
        .await;
    assert!(
        matches!(result, Err(LogInError::InvalidCredentials)),
        "{result:?}"
    );
}

#[tokio::test]
async fn unverified_members_sign_in_when_verification_is_not_required() {
    let mut mocks = Mocks::default();
    unverified_login(&mut mocks, true);
    mocks.throttle.expect_clear().returning(|_| Ok(()));
    expect_session_insert(&mut mocks);
    let signed_in = service(mocks, SignupMode::Open)
        .log_in(log_in("ada@example.org", "right-password"))
        .await
        .unwrap();
    assert!(!signed_in.user.is_email_verified());
}

#[tokio::test]
async fn when_verification_is_required_an_unverified_members_session_no_longer_counts() {
    let mut mocks = Mocks::default();
    mocks.sessions.expect_find_active().returning(|_, _| {
        let mut member = user("ada@example.org", Role::Member);
        member.email_verified_at = None;
        let session = Session {
            id: SessionId::new(),
            user_id: member.id,
            csrf_token: "csrf".into(),
            client: client(),
            created_at: now(),
            last_seen_at: now(),
            expires_at: now() + TimeDelta::days(1),
        };
        Ok(Some((session, member)))
    });
    let result = with_settings(
        mocks,
        shoebox_application::AuthSettings {
            require_email_verification: true,
            ..settings()
        },
    )
    .authenticate_session(SecretToken::generate(""))
    .await;
    assert!(matches!(result, Err(AuthenticationError::Unauthenticated)));
}

fn log_in(email: &str, password: &str) -> LogIn {
    LogIn {
        email: email.into(),
        password: PlainPassword::new(password),
        client: client(),
        device: None,
    }
}

#[tokio::test]
async fn unknown_email_costs_a_hash_and_counts_a_failure() {
    let mut mocks = Mocks::default();
    mocks.throttle.expect_counters().returning(|_| Ok(vec![]));
    mocks
        .users
        .expect_credentials_by_email()
        .returning(|_| Ok(None));
    mocks
        .hasher
        .expect_hash()
        .times(1)
        .returning(|_| Ok(PasswordHash::from_phc("h")));
    mocks
        .throttle
        .expect_record_failure()
        .withf(|keys, _, _| {
            keys.contains(&ThrottleKey::account("ghost@example.org"))
                && keys.iter().any(|k| k.scope() == "ip")
        })
        .times(1)
        .returning(|_, _, _| Ok(()));
    let result = service(mocks, SignupMode::Open)
        .log_in(log_in("Ghost@example.org", "whatever-password"))
        .await;
    assert!(matches!(result, Err(LogInError::InvalidCredentials)));
}

#[tokio::test]
async fn a_malformed_email_fails_exactly_like_an_unknown_one() {
    let mut mocks = Mocks::default();
    mocks.throttle.expect_counters().returning(|_| Ok(vec![]));
    mocks
        .hasher
        .expect_hash()
        .times(1)
        .returning(|_| Ok(PasswordHash::from_phc("h")));
    mocks
        .throttle
        .expect_record_failure()
        .times(1)
        .returning(|_, _, _| Ok(()));
    let result = service(mocks, SignupMode::Open)
        .log_in(log_in("not an email", "whatever-password"))
        .await;
    assert!(matches!(result, Err(LogInError::InvalidCredentials)));
}

#[tokio::test]
async fn a_wrong_password_counts_a_failure() {
    let mut mocks = Mocks::default();
    let ada = user("ada@example.org", Role::Member);
    mocks.throttle.expect_counters().returning(|_| Ok(vec![]));
    mocks
        .users
        .expect_credentials_by_email()
        .return_once(move |_| Ok(Some(credentials(ada))));
    mocks
        .hasher
        .expect_verify()
        .times(1)
        .returning(|_, _| Ok(false));
    mocks
        .throttle
        .expect_record_failure()
        .times(1)
        .returning(|_, _, _| Ok(()));
    let result = service(mocks, SignupMode::Open)
        .log_in(log_in("ada@example.org", "wrong-password"))
        .await;
    assert!(matches!(result, Err(LogInError::InvalidCredentials)));
}

#[tokio::test]
async fn a_throttled_account_is_refused_before_any_password_check() {
    let mut mocks = Mocks::default();
    mocks.throttle.expect_counters().returning(|keys| {
        Ok(vec![(
            keys[0].clone(),
            ThrottleState {
                failures: 10,
                window_started_at: now() - TimeDelta::minutes(5),
            },
        )])
    });
    // No expectation on the hasher or the user repository: calling them fails the test.
    let result = service(mocks, SignupMode::Open)
        .log_in(log_in("ada@example.org", "right-password"))
        .await;
    assert!(matches!(
        result,
        Err(LogInError::Throttled {
            retry_after_seconds: 600
        })
    ));
}

#[tokio::test]
async fn a_disabled_account_is_told_so_only_with_the_right_password() {
    let mut mocks = Mocks::default();
    let mut ada = user("ada@example.org", Role::Member);
    ada.disabled_at = Some(now());
    mocks.throttle.expect_counters().returning(|_| Ok(vec![]));
    mocks
        .users
        .expect_credentials_by_email()
        .return_once(move |_| Ok(Some(credentials(ada))));
    mocks.hasher.expect_verify().returning(|_, _| Ok(true));
    let result = service(mocks, SignupMode::Open)
        .log_in(log_in("ada@example.org", "right-password"))
        .await;
    assert!(matches!(result, Err(LogInError::AccountDisabled)));
}

#[tokio::test]
async fn a_successful_login_clears_the_account_counter_and_opens_a_session() {
    let mut mocks = Mocks::default();
    let ada = user("ada@example.org", Role::Member);
    let ada_id = ada.id;
    mocks.throttle.expect_counters().returning(|_| Ok(vec![]));
    mocks
        .users
        .expect_credentials_by_email()
        .return_once(move |_| Ok(Some(credentials(ada))));
    mocks.hasher.expect_verify().returning(|_, _| Ok(true));
    mocks
        .throttle
        .expect_clear()
        .with(eq(ThrottleKey::account("ada@example.org")))
        .times(1)
        .returning(|_| Ok(()));
    expect_session_insert(&mut mocks);
    let signed_in = service(mocks, SignupMode::Open)
        .log_in(log_in("ada@example.org", "right-password"))
        .await
        .unwrap();
    assert_eq!(signed_in.user.id, ada_id);
    assert_eq!(signed_in.session.client, client());
}

/// A correct login by Ada from `device`, on which the device store says
/// `known` / `others`.
fn login_on_device(mocks: &mut Mocks, device: &SecretToken, known: bool, others: bool) {
    mocks.throttle.expect_counters().returning(|_| Ok(vec![]));
    mocks
        .users
        .expect_credentials_by_email()
        .returning(|_| Ok(Some(credentials(user("ada@example.org", Role::Member)))));
    mocks.hasher.expect_verify().returning(|_, _| Ok(true));
    mocks.throttle.expect_clear().returning(|_| Ok(()));
    let hash = device.hash();
    mocks
        .devices
        .expect_remember()
        .withf(move |_, seen, at| *seen == hash && *at == now())
        .times(1)
        .returning(move |_, _, _| Ok(DeviceSighting { known, others }));
    expect_session(mocks);
}

fn log_in_on(device: &SecretToken) -> LogIn {
    LogIn {
        device: Some(device.clone()),
        ..log_in("ada@example.org", "right-password")
    }
}

#[tokio::test]
async fn a_sign_in_from_a_new_device_is_mailed_to_the_member() {
    let device = SecretToken::generate("");
    let mut mocks = Mocks::default();
    login_on_device(&mut mocks, &device, false, true);
    mocks
        .outbox
        .expect_enqueue()
        .withf(|_, mail, _, _| {
            mail.to.as_str() == "ada@example.org"
                && mail.subject.starts_with("New sign-in to your")
                && mail.text.contains("test-agent")
                && mail.text.contains("192.0.2.7")
                && mail
                    .text
                    .contains("https://photos.example.org/forgot-password")
        })
        .times(1)
        .returning(|_, _, _, _| Ok(()));
    let signed_in = service(mocks, SignupMode::Open)
        .log_in(log_in_on(&device))
        .await
        .unwrap();
    assert_eq!(signed_in.device, device, "the browser keeps its id");
}

#[tokio::test]
async fn known_devices_and_first_devices_are_not_announced() {
    let device = SecretToken::generate("");
    for (known, others) in [(true, true), (true, false), (false, false)] {
        // No outbox expectation: a message fails the test.
        let mut mocks = Mocks::default();
        login_on_device(&mut mocks, &device, known, others);
        service(mocks, SignupMode::Open)
            .log_in(log_in_on(&device))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn announcing_new_devices_can_be_turned_off() {
    let device = SecretToken::generate("");
    let mut mocks = Mocks::default();
    login_on_device(&mut mocks, &device, false, true);
    with_settings(
        mocks,
        shoebox_application::AuthSettings {
            notify_new_device: false,
            ..settings()
        },
    )
    .log_in(log_in_on(&device))
    .await
    .unwrap();
}

#[tokio::test]
async fn a_browser_without_a_device_id_gets_a_new_one() {
    let mut mocks = Mocks::default();
    mocks.throttle.expect_counters().returning(|_| Ok(vec![]));
    mocks
        .users
        .expect_credentials_by_email()
        .returning(|_| Ok(Some(credentials(user("ada@example.org", Role::Member)))));
    mocks.hasher.expect_verify().returning(|_, _| Ok(true));
    mocks.throttle.expect_clear().returning(|_| Ok(()));
    let remembered = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen = std::sync::Arc::clone(&remembered);
    mocks
        .devices
        .expect_remember()
        .times(1)
        .returning(move |_, hash, _| {
            *seen.lock().unwrap() = Some(hash);
            Ok(DeviceSighting {
                known: false,
                others: false,
            })
        });
    expect_session(&mut mocks);
    let signed_in = service(mocks, SignupMode::Open)
        .log_in(log_in("ada@example.org", "right-password"))
        .await
        .unwrap();
    assert_eq!(*remembered.lock().unwrap(), Some(signed_in.device.hash()));
}

fn stored_session(last_seen_minutes_ago: i64) -> Session {
    Session {
        id: SessionId::new(),
        user_id: user("ada@example.org", Role::Member).id,
        csrf_token: "csrf-value".into(),
        client: ClientInfo::default(),
        created_at: now() - TimeDelta::days(1),
        last_seen_at: now() - TimeDelta::minutes(last_seen_minutes_ago),
        expires_at: now() + TimeDelta::days(1),
    }
}

#[tokio::test]
async fn a_session_used_recently_is_not_rewritten() {
    let mut mocks = Mocks::default();
    let session = stored_session(0);
    let id = session.id;
    mocks
        .sessions
        .expect_find_active()
        .return_once(move |_, _| Ok(Some((session, user("ada@example.org", Role::Member)))));
    let actor = service(mocks, SignupMode::Open)
        .authenticate_session(SecretToken::generate(""))
        .await
        .unwrap();
    assert_eq!(
        actor.credential,
        Credential::Session {
            id,
            csrf_token: "csrf-value".into()
        }
    );
}

#[tokio::test]
async fn a_stale_session_slides_its_expiry() {
    let mut mocks = Mocks::default();
    let session = stored_session(10);
    let id = session.id;
    mocks
        .sessions
        .expect_find_active()
        .return_once(move |_, _| Ok(Some((session, user("ada@example.org", Role::Member)))));
    mocks
        .sessions
        .expect_touch()
        .with(eq(id), eq(now()), eq(now() + TimeDelta::days(14)))
        .times(1)
        .returning(|_, _, _| Ok(()));
    service(mocks, SignupMode::Open)
        .authenticate_session(SecretToken::generate(""))
        .await
        .unwrap();
}

#[tokio::test]
async fn unknown_sessions_and_tokens_are_unauthenticated() {
    let mut mocks = Mocks::default();
    mocks
        .sessions
        .expect_find_active()
        .returning(|_, _| Ok(None));
    mocks
        .api_tokens
        .expect_find_active()
        .returning(|_, _| Ok(None));
    let service = service(mocks, SignupMode::Open);
    let session = service
        .authenticate_session(SecretToken::generate(""))
        .await;
    assert!(matches!(session, Err(AuthenticationError::Unauthenticated)));
    let token = service
        .authenticate_api_token(SecretToken::generate("sbx_"))
        .await;
    assert!(matches!(token, Err(AuthenticationError::Unauthenticated)));
}
