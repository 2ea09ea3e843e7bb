//! Email verification and the change of address, against mocks.

mod common;

use std::sync::Arc;

use common::{Mocks, client, credentials, now, postman, session_actor, settings, user};
use shoebox_application::mail::EmailConfirmationService;
use shoebox_domain::{
    EmailAddress,
    accounts::{ChangeEmailError, ConfirmEmailError, ConfirmedEmail, PlainPassword, Role},
    auth::SecretToken,
};
use shoebox_ports::{
    inbound::EmailConfirmation,
    outbound::{MockEmailConfirmationRepository, MockMailOutbox},
};

struct Parts {
    mocks: Mocks,
    confirmations: MockEmailConfirmationRepository,
    outbox: MockMailOutbox,
}

impl Parts {
    fn new() -> Self {
        let mut mocks = Mocks::default();
        mocks.throttle.expect_counters().returning(|_| Ok(vec![]));
        mocks
            .throttle
            .expect_record_failure()
            .returning(|_, _, _| Ok(()));
        Self {
            mocks,
            confirmations: MockEmailConfirmationRepository::new(),
            outbox: MockMailOutbox::new(),
        }
    }

    fn service(self) -> EmailConfirmationService {
        EmailConfirmationService::new(
            self.mocks.into_stores(),
            Arc::new(self.confirmations),
            postman(self.outbox),
            &settings(),
        )
    }
}

fn ada_with_password(parts: &mut Parts, right: bool) {
    parts
        .mocks
        .users
        .expect_credentials_by_id()
        .returning(|_| Ok(Some(credentials(user("ada@example.org", Role::Member)))));
    parts
        .mocks
        .hasher
        .expect_verify()
        .returning(move |_, _| Ok(right));
}

async fn change(service: EmailConfirmationService, to: &str) -> Result<(), ChangeEmailError> {
    service
        .change_email(
            session_actor(user("ada@example.org", Role::Member)),
            to.into(),
            PlainPassword::new("pw"),
            client(),
        )
        .await
}

#[tokio::test]
async fn a_wrong_password_changes_nothing_and_sends_nothing() {
    let mut parts = Parts::new();
    ada_with_password(&mut parts, false);
    let result = change(parts.service(), "ada@new.example").await;
    assert!(
        matches!(result, Err(ChangeEmailError::WrongCurrentPassword)),
        "{result:?}"
    );
}

#[tokio::test]
async fn the_same_or_a_malformed_address_is_refused_before_anything_is_counted() {
    // No throttle expectations: counting would fail the test.
    let parts = Parts {
        mocks: Mocks::default(),
        confirmations: MockEmailConfirmationRepository::new(),
        outbox: MockMailOutbox::new(),
    };
    let service = parts.service();
    let same = change(service.clone(), "ADA@example.org").await;
    assert!(
        matches!(same, Err(ChangeEmailError::SameAddress)),
        "{same:?}"
    );
    let malformed = change(service, "not an address").await;
    assert!(
        matches!(malformed, Err(ChangeEmailError::InvalidEmail(_))),
        "{malformed:?}"
    );
}

#[tokio::test]
async fn a_taken_address_answers_alike_but_records_and_sends_nothing() {
    let mut parts = Parts::new();
    ada_with_password(&mut parts, true);
    parts
        .mocks
        .users
        .expect_credentials_by_email()
        .returning(|email| Ok(Some(credentials(user(email.as_str(), Role::Member)))));
    // No confirmation or outbox expectations.
    change(parts.service(), "bob@example.org").await.unwrap();
}

#[tokio::test]
async fn a_free_address_gets_a_link_and_the_account_keeps_its_address() {
    let mut parts = Parts::new();
    ada_with_password(&mut parts, true);
    parts
        .mocks
        .users
        .expect_credentials_by_email()
        .returning(|_| Ok(None));
    let new = EmailAddress::parse("ada@new.example").unwrap();
    let recorded = new.clone();
    parts
        .confirmations
        .expect_insert()
        .withf(move |_, email, _, at, expires| {
            *email == recorded && *at == now() && *expires == now() + chrono::TimeDelta::hours(48)
        })
        .times(1)
        .returning(|_, _, _, _, _| Ok(()));
    parts
        .outbox
        .expect_enqueue()
        .withf(move |_, mail, _, _| {
            mail.to == new
                && mail.subject.starts_with("Confirm your new email address")
                && mail
                    .text
                    .contains("https://photos.example.org/verify-email?token=")
        })
        .times(1)
        .returning(|_, _, _, _| Ok(()));
    change(parts.service(), "ada@new.example").await.unwrap();
}

#[tokio::test]
async fn a_confirmed_change_tells_the_old_address_and_a_verification_tells_no_one() {
    for (previous, expect_notice) in [("ada@example.org", true), ("ada@new.example", false)] {
        let mut parts = Parts::new();
        let confirmed = ConfirmedEmail {
            user_id: user("ada@example.org", Role::Member).id,
            previous: EmailAddress::parse(previous).unwrap(),
            email: EmailAddress::parse("ada@new.example").unwrap(),
        };
        parts
            .confirmations
            .expect_confirm()
            .return_once(move |_, _| Ok(Some(confirmed)));
        if expect_notice {
            parts
                .outbox
                .expect_enqueue()
                .withf(|_, mail, _, _| {
                    mail.to.as_str() == "ada@example.org"
                        && mail.subject.contains("email address was changed")
                        && mail.text.contains("ada@new.example")
                })
                .times(1)
                .returning(|_, _, _, _| Ok(()));
        }
        let email = parts
            .service()
            .confirm_email(SecretToken::generate(""))
            .await
            .unwrap();
        assert_eq!(email.as_str(), "ada@new.example");
    }
}

#[tokio::test]
async fn an_unknown_link_is_refused() {
    let mut parts = Parts::new();
    parts
        .confirmations
        .expect_confirm()
        .returning(|_, _| Ok(None));
    let result = parts
        .service()
        .confirm_email(SecretToken::generate(""))
        .await;
    assert!(
        matches!(result, Err(ConfirmEmailError::TokenInvalid)),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_verified_or_unknown_address_gets_no_new_link() {
    for known in [true, false] {
        let mut parts = Parts::new();
        parts
            .mocks
            .users
            .expect_credentials_by_email()
            .returning(move |email| {
                Ok(known.then(|| credentials(user(email.as_str(), Role::Member))))
            });
        // `user()` is verified: no confirmation or outbox expectations.
        parts
            .service()
            .request_verification("ada@example.org".into(), client())
            .await
            .unwrap();
    }
}
