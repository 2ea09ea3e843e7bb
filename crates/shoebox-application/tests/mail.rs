//! Password recovery and the `mail.send` job, against mocks.

mod common;

use std::sync::{Arc, Mutex};

use chrono::TimeDelta;
use mockall::predicate::eq;
use shoebox_application::{
    jobs::{JobFailure, JobHandler},
    mail::{
        InstanceSettings, MailTemplates, PasswordRecoveryService, Postman, RecoveryStores,
        SendMailJob,
    },
};
use shoebox_domain::{
    EmailAddress,
    accounts::{NewPassword, PasswordHash, Role},
    auth::{SecretToken, ThrottleKey, ThrottleState, TokenHash},
    jobs::{ClaimedJob, Job, JobId, JobKind, JobState, LeaseToken, NewJob},
    mail::{MailId, OutgoingMail},
};
use shoebox_ports::{
    inbound::{PasswordRecovery, RequestResetError, ResetPasswordError},
    outbound::{
        MockClock, MockLoginThrottleRepository, MockMailOutbox, MockMailer, MockPasswordHasher,
        MockPasswordResetRepository, MockUserRepository, SendMailError,
    },
};

use common::{client, credentials, now, settings, user};

#[derive(Default)]
struct Mocks {
    users: MockUserRepository,
    resets: MockPasswordResetRepository,
    throttle: MockLoginThrottleRepository,
    hasher: MockPasswordHasher,
    outbox: MockMailOutbox,
}

fn clock() -> Arc<MockClock> {
    let mut clock = MockClock::new();
    clock.expect_now().return_const(now());
    Arc::new(clock)
}

fn service(mocks: Mocks) -> PasswordRecoveryService {
    let templates =
        MailTemplates::new(&InstanceSettings::default(), "https://photos.example.org").unwrap();
    let postman = Postman::new(Arc::new(mocks.outbox), Arc::new(templates), clock());
    PasswordRecoveryService::new(
        RecoveryStores {
            users: Arc::new(mocks.users),
            resets: Arc::new(mocks.resets),
            throttle: Arc::new(mocks.throttle),
            hasher: Arc::new(mocks.hasher),
            clock: clock(),
        },
        postman,
        &settings(),
    )
}

fn open_throttle(mocks: &mut Mocks) {
    mocks.throttle.expect_counters().returning(|_| Ok(vec![]));
    mocks
        .throttle
        .expect_record_failure()
        .withf(|keys, _, _| {
            keys == &vec![
                ThrottleKey::mail_address("ada@example.org"),
                ThrottleKey::mail_ip("192.0.2.7".parse().unwrap()),
            ]
        })
        .times(1)
        .returning(|_, _, _| Ok(()));
}

#[tokio::test]
async fn a_known_address_gets_a_link_whose_hash_alone_is_stored() {
    let mut mocks = Mocks::default();
    open_throttle(&mut mocks);
    let ada = user("ada@example.org", Role::Member);
    let ada_id = ada.id;
    mocks
        .users
        .expect_credentials_by_email()
        .returning(move |_| Ok(Some(credentials(ada.clone()))));
    let stored = Arc::new(Mutex::new(None::<TokenHash>));
    let stored_in = Arc::clone(&stored);
    mocks
        .resets
        .expect_insert()
        .withf(move |user_id, _, at, expires| {
            *user_id == ada_id && *at == now() && *expires == now() + TimeDelta::minutes(60)
        })
        .times(1)
        .returning(move |_, hash, _, _| {
            *stored_in.lock().unwrap() = Some(hash);
            Ok(())
        });
    let sent = Arc::new(Mutex::new(None::<(OutgoingMail, NewJob)>));
    let sent_in = Arc::clone(&sent);
    mocks
        .outbox
        .expect_enqueue()
        .times(1)
        .returning(move |id, mail, job, _| {
            assert_eq!(job.payload["mail_id"], id.as_uuid().to_string());
            *sent_in.lock().unwrap() = Some((mail, job));
            Ok(())
        });

    service(mocks)
        .request_reset("ada@example.org".into(), client())
        .await
        .unwrap();

    let (mail, job) = sent.lock().unwrap().take().unwrap();
    assert_eq!(mail.to.as_str(), "ada@example.org");
    let prefix = "https://photos.example.org/reset-password?token=";
    let start = mail.text.find(prefix).unwrap() + prefix.len();
    let token: String = mail.text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let token = SecretToken::parse(&token).unwrap();
    assert_eq!(stored.lock().unwrap().unwrap(), token.hash());
    assert!(!job.payload.to_string().contains(token.expose()));
    assert!(mail.html.contains(token.expose()));
}

#[tokio::test]
async fn an_unknown_address_is_counted_but_gets_no_mail() {
    let mut mocks = Mocks::default();
    open_throttle(&mut mocks);
    mocks
        .users
        .expect_credentials_by_email()
        .returning(|_| Ok(None));
    mocks.resets.expect_insert().never();
    mocks.outbox.expect_enqueue().never();
    service(mocks)
        .request_reset("ada@example.org".into(), client())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_disabled_member_gets_no_mail() {
    let mut mocks = Mocks::default();
    open_throttle(&mut mocks);
    let mut ada = user("ada@example.org", Role::Member);
    ada.disabled_at = Some(now());
    mocks
        .users
        .expect_credentials_by_email()
        .returning(move |_| Ok(Some(credentials(ada.clone()))));
    mocks.outbox.expect_enqueue().never();
    service(mocks)
        .request_reset("ada@example.org".into(), client())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_throttled_request_looks_nothing_up() {
    let mut mocks = Mocks::default();
    mocks.throttle.expect_counters().returning(|keys| {
        Ok(keys
            .into_iter()
            .map(|key| {
                (
                    key,
                    ThrottleState {
                        failures: 3,
                        window_started_at: now(),
                    },
                )
            })
            .collect())
    });
    mocks.throttle.expect_record_failure().never();
    mocks.users.expect_credentials_by_email().never();
    let error = service(mocks)
        .request_reset("ada@example.org".into(), client())
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        RequestResetError::Throttled {
            retry_after_seconds: 900
        }
    ));
}

#[tokio::test]
async fn an_unusable_token_is_refused_and_nothing_is_mailed() {
    let mut mocks = Mocks::default();
    mocks
        .hasher
        .expect_hash()
        .returning(|_| Ok(PasswordHash::from_phc("$argon2id$new")));
    let token = SecretToken::generate("");
    mocks
        .resets
        .expect_reset_password()
        .with(eq(token.hash()), mockall::predicate::always(), eq(now()))
        .returning(|_, _, _| Ok(None));
    mocks.outbox.expect_enqueue().never();
    let error = service(mocks)
        .reset_password(
            token,
            NewPassword::parse("amber-heron-crosses-lake", &[]).unwrap(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, ResetPasswordError::TokenInvalid));
}

#[tokio::test]
async fn a_reset_tells_the_member() {
    let mut mocks = Mocks::default();
    mocks
        .hasher
        .expect_hash()
        .returning(|_| Ok(PasswordHash::from_phc("$argon2id$new")));
    mocks
        .resets
        .expect_reset_password()
        .returning(|_, _, _| Ok(Some(EmailAddress::parse("ada@example.org").unwrap())));
    mocks
        .outbox
        .expect_enqueue()
        .withf(|_, mail, _, _| {
            mail.subject == "Your Shoebox password was changed"
                && mail
                    .text
                    .contains("https://photos.example.org/forgot-password")
        })
        .times(1)
        .returning(|_, _, _, _| Ok(()));
    service(mocks)
        .reset_password(
            SecretToken::generate(""),
            NewPassword::parse("amber-heron-crosses-lake", &[]).unwrap(),
        )
        .await
        .unwrap();
}

fn send_job(id: MailId) -> ClaimedJob {
    ClaimedJob {
        job: Job {
            id: JobId::new(),
            kind: JobKind::parse("mail.send").unwrap(),
            payload: serde_json::json!({ "mail_id": id.as_uuid() }),
            state: JobState::Running,
            attempts: 1,
            max_attempts: 10,
            run_at: now(),
            dedup_key: None,
            last_error: None,
            created_at: now(),
            updated_at: now(),
            finished_at: None,
            locked_by: Some("w".into()),
            locked_until: Some(now() + TimeDelta::minutes(5)),
        },
        lease: LeaseToken::from_uuid(JobId::new().as_uuid()),
    }
}

fn queued_mail() -> OutgoingMail {
    OutgoingMail {
        to: EmailAddress::parse("ada@example.org").unwrap(),
        subject: "s".into(),
        text: "t".into(),
        html: "h".into(),
    }
}

/// Runs the job with the mailer answering `outcome`; returns the result
/// and whether the message was removed from the outbox.
async fn run_send(outcome: fn() -> Result<(), SendMailError>) -> (Result<(), JobFailure>, bool) {
    let id = MailId::new();
    let mut outbox = MockMailOutbox::new();
    outbox
        .expect_pending()
        .with(eq(id))
        .returning(|_| Ok(Some(queued_mail())));
    let removed = Arc::new(Mutex::new(false));
    let removed_in = Arc::clone(&removed);
    outbox.expect_remove().with(eq(id)).returning(move |_| {
        *removed_in.lock().unwrap() = true;
        Ok(())
    });
    let mut mailer = MockMailer::new();
    mailer.expect_send().times(1).returning(move |_| outcome());
    let job = SendMailJob::new(Arc::new(outbox), Arc::new(mailer));
    let result = job.handle(&send_job(id)).await;
    let removed = *removed.lock().unwrap();
    (result, removed)
}

#[tokio::test]
async fn the_send_job_forgets_delivered_mail() {
    let (result, removed) = run_send(|| Ok(())).await;
    assert!(result.is_ok());
    assert!(removed);
}

#[tokio::test]
async fn an_unreachable_server_is_retried_and_the_mail_kept() {
    let (result, removed) = run_send(|| {
        Err(SendMailError::Unavailable(anyhow::anyhow!(
            "connection refused"
        )))
    })
    .await;
    assert!(matches!(result, Err(JobFailure::Retry(_))));
    assert!(!removed);
}

#[tokio::test]
async fn a_refusal_is_permanent() {
    let (result, removed) =
        run_send(|| Err(SendMailError::Rejected("550 no such user".into()))).await;
    assert!(matches!(result, Err(JobFailure::Permanent(reason)) if reason.contains("550")));
    assert!(removed);
}

#[tokio::test]
async fn a_message_already_sent_is_done() {
    let mut outbox = MockMailOutbox::new();
    outbox.expect_pending().returning(|_| Ok(None));
    let mut mailer = MockMailer::new();
    mailer.expect_send().never();
    let job = SendMailJob::new(Arc::new(outbox), Arc::new(mailer));
    assert!(job.handle(&send_job(MailId::new())).await.is_ok());
}
