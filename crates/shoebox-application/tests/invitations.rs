//! Invitations by mail, against mocks: who gets which message, what is
//! counted, and what a link reveals.

mod common;

use std::sync::{Arc, Mutex};

use chrono::TimeDelta;
use shoebox_application::{
    Auditor,
    mail::{InstanceSettings, InvitationService, MailTemplates, Postman},
};
use shoebox_domain::{
    EmailAddress,
    accounts::Role,
    audit::AuditAction,
    auth::{
        Invitation, InvitationId, NewInvitation, SecretToken, ThrottleKey, ThrottleState, TokenHash,
    },
    mail::OutgoingMail,
};
use shoebox_ports::{
    inbound::{Invitations, InviteError, PreviewInvitationError},
    outbound::{MockAuditRepository, MockClock, MockMailOutbox},
};

use common::{Mocks, client, credentials, now, session_actor, settings, user};

const WEEK: TimeDelta = TimeDelta::days(7);

struct Setup {
    mocks: Mocks,
    outbox: MockMailOutbox,
    audit: MockAuditRepository,
    sent: Arc<Mutex<Vec<OutgoingMail>>>,
}

impl Setup {
    fn new() -> Self {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let sent_in = Arc::clone(&sent);
        let mut outbox = MockMailOutbox::new();
        outbox.expect_enqueue().returning(move |_, mail, _, _| {
            sent_in.lock().unwrap().push(mail);
            Ok(())
        });
        Self {
            mocks: Mocks::default(),
            outbox,
            audit: MockAuditRepository::new(),
            sent,
        }
    }

    fn expect_audit(&mut self, action: AuditAction) {
        self.audit
            .expect_append()
            .withf(move |entry| entry.action == action)
            .times(1)
            .returning(|_| Ok(()));
    }

    /// The mail throttle lets the request through and counts it against
    /// `email` and the test client.
    fn open_mail_throttle(&mut self, email: &'static str) {
        self.mocks
            .throttle
            .expect_counters()
            .returning(|_| Ok(vec![]));
        self.mocks
            .throttle
            .expect_record_failure()
            .withf(move |keys, _, _| {
                keys == &vec![
                    ThrottleKey::mail_address(email),
                    ThrottleKey::mail_ip("192.0.2.7".parse().unwrap()),
                ]
            })
            .times(1)
            .returning(|_, _, _| Ok(()));
    }

    fn service(self) -> (InvitationService, Arc<Mutex<Vec<OutgoingMail>>>) {
        let mut clock = MockClock::new();
        clock.expect_now().return_const(now());
        let clock = Arc::new(clock);
        let templates = MailTemplates::new(
            &InstanceSettings {
                name: "Camera Club".into(),
            },
            "https://photos.example.org",
        )
        .unwrap();
        let postman = Postman::new(Arc::new(self.outbox), Arc::new(templates), clock.clone());
        let auditor = Auditor::new(Arc::new(self.audit), clock);
        let service =
            InvitationService::new(self.mocks.into_stores(), postman, &settings(), auditor);
        (service, self.sent)
    }
}

fn admin() -> shoebox_domain::auth::Actor {
    session_actor(user("grace@example.org", Role::Admin))
}

fn token_in(text: &str) -> SecretToken {
    let prefix = "https://photos.example.org/invitation?token=";
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no link in {text}"))
        + prefix.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    SecretToken::parse(&token).unwrap()
}

#[tokio::test]
async fn a_new_address_is_mailed_the_link_whose_hash_is_stored() {
    let mut setup = Setup::new();
    setup.open_mail_throttle("new@example.org");
    setup.expect_audit(AuditAction::InvitationCreated);
    setup
        .mocks
        .users
        .expect_credentials_by_email()
        .returning(|_| Ok(None));
    let stored = Arc::new(Mutex::new(None::<TokenHash>));
    let stored_in = Arc::clone(&stored);
    setup
        .mocks
        .invitations
        .expect_insert()
        .withf(|new| {
            new.invitation.expires_at == now() + WEEK
                && new.invitation.role == Role::Admin
                && new.invitation.email.as_ref().map(EmailAddress::as_str)
                    == Some("new@example.org")
        })
        .times(1)
        .returning(move |new| {
            *stored_in.lock().unwrap() = Some(new.token_hash);
            Ok(())
        });
    let (service, sent) = setup.service();

    let created = service
        .invite(
            admin(),
            Some(EmailAddress::parse("new@example.org").unwrap()),
            Role::Admin,
            client(),
        )
        .await
        .unwrap();

    let sent = sent.lock().unwrap();
    assert_eq!(sent.len(), 1);
    let mail = &sent[0];
    assert_eq!(mail.to.as_str(), "new@example.org");
    // The inviter's display name (the fixture names everyone "Ada").
    assert_eq!(mail.subject, "Ada invited you to Camera Club");
    assert!(mail.text.contains("as an admin"), "{}", mail.text);
    let expiry = (now() + WEEK).format("%-d %B %Y, %H:%M UTC").to_string();
    assert!(mail.text.contains(&expiry), "{}", mail.text);
    let token = token_in(&mail.text);
    assert_eq!(token.hash(), created.token_hash);
    assert_eq!(stored.lock().unwrap().unwrap(), token.hash());
    assert!(mail.html.contains(token.expose()));
}

#[tokio::test]
async fn a_member_s_address_gets_the_same_answer_and_a_note_instead_of_a_link() {
    let mut setup = Setup::new();
    setup.open_mail_throttle("ada@example.org");
    setup.expect_audit(AuditAction::InvitationCreated);
    setup
        .mocks
        .users
        .expect_credentials_by_email()
        .returning(|_| Ok(Some(credentials(user("ada@example.org", Role::Member)))));
    setup
        .mocks
        .invitations
        .expect_insert()
        .times(1)
        .returning(|_| Ok(()));
    let (service, sent) = setup.service();

    let created = service
        .invite(
            admin(),
            Some(EmailAddress::parse("ada@example.org").unwrap()),
            Role::Member,
            client(),
        )
        .await
        .unwrap();
    assert_eq!(
        created.invitation.email.as_ref().map(EmailAddress::as_str),
        Some("ada@example.org")
    );

    let sent = sent.lock().unwrap();
    assert_eq!(sent.len(), 1);
    let mail = &sent[0];
    assert_eq!(mail.to.as_str(), "ada@example.org");
    assert_eq!(mail.subject, "You already have a Camera Club account");
    assert!(mail.text.contains("https://photos.example.org/sign-in"));
    assert!(
        mail.text
            .contains("https://photos.example.org/forgot-password")
    );
    assert!(!mail.text.contains("/invitation?token="));
    assert!(!mail.text.contains(created.secret.expose()));
}

#[tokio::test]
async fn over_the_limit_nothing_is_created_or_mailed() {
    let mut setup = Setup::new();
    setup.mocks.throttle.expect_counters().returning(|keys| {
        Ok(vec![(
            keys[0].clone(),
            ThrottleState {
                failures: 3,
                window_started_at: now() - TimeDelta::minutes(5),
            },
        )])
    });
    let (service, sent) = setup.service();
    let result = service
        .invite(
            admin(),
            Some(EmailAddress::parse("new@example.org").unwrap()),
            Role::Member,
            client(),
        )
        .await;
    assert!(
        matches!(result, Err(InviteError::Throttled { retry_after_seconds }) if retry_after_seconds == 600),
        "{result:?}"
    );
    assert!(sent.lock().unwrap().is_empty());
}

#[tokio::test]
async fn open_invitations_send_no_mail_and_members_may_not_invite() {
    let mut setup = Setup::new();
    setup.expect_audit(AuditAction::InvitationCreated);
    setup
        .mocks
        .invitations
        .expect_insert()
        .times(1)
        .returning(|_| Ok(()));
    let (service, sent) = setup.service();
    let created = service
        .invite(admin(), None, Role::Member, client())
        .await
        .unwrap();
    assert_eq!(created.invitation.email, None);
    assert!(sent.lock().unwrap().is_empty());

    let member = session_actor(user("bob@example.org", Role::Member));
    let refused = service
        .invite(member.clone(), None, Role::Member, client())
        .await;
    assert!(matches!(refused, Err(InviteError::Forbidden)));
    let refused = service.resend(member, InvitationId::new(), client()).await;
    assert!(matches!(refused, Err(InviteError::Forbidden)));
}

fn pending(email: Option<&str>) -> NewInvitation {
    NewInvitation::generate(
        email.map(|e| EmailAddress::parse(e).unwrap()),
        Role::Member,
        user("grace@example.org", Role::Admin).id,
        now() - TimeDelta::days(6),
        now() + TimeDelta::days(1),
    )
}

#[tokio::test]
async fn resending_mails_a_fresh_link_and_extends_the_expiry() {
    let old = pending(Some("new@example.org"));
    let listed = old.invitation.clone();
    let mut setup = Setup::new();
    setup.open_mail_throttle("new@example.org");
    setup.expect_audit(AuditAction::InvitationResent);
    setup
        .mocks
        .users
        .expect_credentials_by_email()
        .returning(|_| Ok(None));
    setup
        .mocks
        .invitations
        .expect_list_pending()
        .returning(move |_| Ok(vec![listed.clone()]));
    let reissued = Invitation {
        expires_at: now() + WEEK,
        ..old.invitation.clone()
    };
    let id = old.invitation.id;
    let old_hash = old.token_hash;
    setup
        .mocks
        .invitations
        .expect_reissue()
        .withf(move |reissued_id, hash, expires, _| {
            *reissued_id == id && *hash != old_hash && *expires == now() + WEEK
        })
        .times(1)
        .returning(move |_, _, _, _| Ok(Some(reissued.clone())));
    let (service, sent) = setup.service();

    let resent = service.resend(admin(), id, client()).await.unwrap();
    assert_eq!(resent.invitation.expires_at, now() + WEEK);
    let sent = sent.lock().unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(token_in(&sent[0].text).hash(), resent.token_hash);
    assert_ne!(resent.token_hash, old.token_hash);
}

#[tokio::test]
async fn only_pending_addressed_invitations_are_resent() {
    let open = pending(None);
    let listed = open.invitation.clone();
    let mut setup = Setup::new();
    setup
        .mocks
        .invitations
        .expect_list_pending()
        .returning(move |_| Ok(vec![listed.clone()]));
    let (service, sent) = setup.service();
    for id in [open.invitation.id, InvitationId::new()] {
        let result = service.resend(admin(), id, client()).await;
        assert!(matches!(result, Err(InviteError::NotFound)), "{result:?}");
    }
    assert!(sent.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_usable_link_previews_its_invitation_and_others_all_look_alike() {
    let usable = pending(Some("new@example.org"));
    let mut revoked = pending(None);
    revoked.invitation.revoked_at = Some(now());
    let mut used = pending(None);
    used.invitation.accepted_at = Some(now());
    let mut expired = pending(None);
    expired.invitation.expires_at = now();
    let inviter = user("grace@example.org", Role::Admin);
    let mut found = usable.invitation.clone();
    found.created_by = Some(inviter.id);

    let mut setup = Setup::new();
    let known = [
        (usable.token_hash, found.clone()),
        (revoked.token_hash, revoked.invitation.clone()),
        (used.token_hash, used.invitation.clone()),
        (expired.token_hash, expired.invitation.clone()),
    ];
    setup
        .mocks
        .invitations
        .expect_find_by_token()
        .returning(move |hash| {
            Ok(known
                .iter()
                .find(|(known, _)| *known == hash)
                .map(|(_, invitation)| invitation.clone()))
        });
    setup
        .mocks
        .users
        .expect_find()
        .returning(move |_| Ok(Some(inviter.clone())));
    setup
        .mocks
        .throttle
        .expect_counters()
        .withf(|keys| keys == &vec![ThrottleKey::ip("192.0.2.7".parse().unwrap())])
        .returning(|_| Ok(vec![]));
    // Every failed lookup counts against the client; the good one does not.
    setup
        .mocks
        .throttle
        .expect_record_failure()
        .times(4)
        .returning(|_, _, _| Ok(()));
    let (service, _) = setup.service();

    let preview = service.preview(usable.secret, client()).await.unwrap();
    assert_eq!(
        preview.email.as_ref().map(EmailAddress::as_str),
        Some("new@example.org")
    );
    assert_eq!(preview.role, Role::Member);
    assert_eq!(preview.expires_at, usable.invitation.expires_at);
    assert_eq!(preview.invited_by.as_deref(), Some("Ada"));

    for secret in [
        revoked.secret,
        used.secret,
        expired.secret,
        SecretToken::generate(""),
    ] {
        let result = service.preview(secret, client()).await;
        assert!(
            matches!(result, Err(PreviewInvitationError::Invalid)),
            "{result:?}"
        );
    }
}
