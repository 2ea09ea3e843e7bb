//! Proving an address by mail: verification after sign-up, and the change
//! of address, which takes effect only once the new address confirms it.
//! Links are single use, expire, and are stored only as their SHA-256; a
//! member has one live link at a time.

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use chrono::TimeDelta;
use shoebox_domain::{
    EmailAddress,
    accounts::{ChangeEmailError, ConfirmEmailError, PlainPassword, User},
    auth::{Actor, ClientInfo, SecretToken},
};
use shoebox_ports::{
    inbound::{EmailConfirmation, RequestResetError},
    outbound::{Clock, EmailConfirmationRepository},
};

use super::{MailRequestLimit, Message, Postman};
use crate::{AccountStores, AuthSettings};

/// Mails verification links; sign-up uses it too.
#[derive(Clone)]
pub struct EmailVerifier {
    confirmations: Arc<dyn EmailConfirmationRepository>,
    postman: Postman,
    clock: Arc<dyn Clock>,
    validity: TimeDelta,
}

impl fmt::Debug for EmailVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmailVerifier")
            .field("validity", &self.validity)
            .finish_non_exhaustive()
    }
}

impl EmailVerifier {
    pub fn new(
        confirmations: Arc<dyn EmailConfirmationRepository>,
        postman: Postman,
        clock: Arc<dyn Clock>,
        settings: &AuthSettings,
    ) -> Self {
        Self {
            confirmations,
            postman,
            clock,
            validity: settings.email_confirmation_validity(),
        }
    }

    /// Records a link for `email` (the member's own or a new one) and queues
    /// the message that carries it.
    async fn mail_link(
        &self,
        user: &User,
        email: EmailAddress,
        change: bool,
    ) -> anyhow::Result<()> {
        let now = self.clock.now();
        let secret = SecretToken::generate("");
        self.confirmations
            .insert(
                user.id,
                email.clone(),
                secret.hash(),
                now,
                now + self.validity,
            )
            .await?;
        let link = self
            .postman
            .link(&format!("/verify-email?token={}", secret.expose()));
        let (email_text, valid_hours) = (email.as_str().to_owned(), self.validity.num_hours());
        let message = if change {
            Message::ConfirmEmailChange {
                link,
                email: email_text,
                valid_hours,
            }
        } else {
            Message::VerifyEmail {
                link,
                email: email_text,
                valid_hours,
            }
        };
        self.postman.send(email, message).await?;
        tracing::info!(user_id = %user.id, change, "email confirmation link queued");
        Ok(())
    }

    /// Mails `user` a link that verifies their current address.
    pub async fn send_verification(&self, user: &User) -> anyhow::Result<()> {
        self.mail_link(user, user.email.clone(), false).await
    }
}

#[derive(Clone)]
pub struct EmailConfirmationService {
    stores: AccountStores,
    confirmations: Arc<dyn EmailConfirmationRepository>,
    verifier: EmailVerifier,
    postman: Postman,
    limit: MailRequestLimit,
}

impl fmt::Debug for EmailConfirmationService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmailConfirmationService")
            .field("verifier", &self.verifier)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl EmailConfirmationService {
    pub fn new(
        stores: AccountStores,
        confirmations: Arc<dyn EmailConfirmationRepository>,
        postman: Postman,
        settings: &AuthSettings,
    ) -> Self {
        let verifier = EmailVerifier::new(
            Arc::clone(&confirmations),
            postman.clone(),
            Arc::clone(&stores.clock),
            settings,
        );
        let limit = MailRequestLimit::new(
            Arc::clone(&stores.throttle),
            Arc::clone(&stores.clock),
            settings.mail_throttle_policy(),
        );
        Self {
            stores,
            confirmations,
            verifier,
            postman,
            limit,
        }
    }

    /// The verifier, for sign-up.
    pub fn verifier(&self) -> EmailVerifier {
        self.verifier.clone()
    }
}

#[async_trait]
impl EmailConfirmation for EmailConfirmationService {
    #[tracing::instrument(name = "use_case.request_verification", skip_all)]
    async fn request_verification(
        &self,
        email: String,
        client: ClientInfo,
    ) -> Result<(), RequestResetError> {
        self.limit.count(&email, &client).await?;
        let Ok(email) = EmailAddress::parse(&email) else {
            return Ok(());
        };
        let Some(credentials) = self.stores.users.credentials_by_email(&email).await? else {
            return Ok(());
        };
        let user = credentials.user;
        if user.is_disabled() || user.is_email_verified() {
            return Ok(());
        }
        self.verifier.send_verification(&user).await?;
        Ok(())
    }

    #[tracing::instrument(name = "use_case.change_email", skip_all)]
    async fn change_email(
        &self,
        actor: Actor,
        new_email: String,
        password: PlainPassword,
        client: ClientInfo,
    ) -> Result<(), ChangeEmailError> {
        let new_email = EmailAddress::parse(&new_email)?;
        if new_email == actor.user.email {
            return Err(ChangeEmailError::SameAddress);
        }
        self.limit
            .count(new_email.as_str(), &client)
            .await
            .map_err(|error| match error {
                RequestResetError::Throttled {
                    retry_after_seconds,
                } => ChangeEmailError::Throttled {
                    retry_after_seconds,
                },
                RequestResetError::Unexpected(error) => ChangeEmailError::Unexpected(error),
            })?;
        let credentials = self
            .stores
            .users
            .credentials_by_id(actor.user.id)
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!("authenticated user {} has no credentials", actor.user.id)
            })?;
        if !self
            .stores
            .hasher
            .verify(password, credentials.password_hash)
            .await?
        {
            return Err(ChangeEmailError::WrongCurrentPassword);
        }
        if self
            .stores
            .users
            .credentials_by_email(&new_email)
            .await?
            .is_some()
        {
            // Answer as if the link went out: the form must not tell a
            // member which addresses have accounts.
            tracing::info!(user_id = %actor.user.id, "change of address to a taken address; nothing sent");
            return Ok(());
        }
        self.verifier
            .mail_link(&actor.user, new_email, true)
            .await?;
        Ok(())
    }

    #[tracing::instrument(name = "use_case.confirm_email", skip_all)]
    async fn confirm_email(&self, token: SecretToken) -> Result<EmailAddress, ConfirmEmailError> {
        let now = self.stores.clock.now();
        let confirmed = self
            .confirmations
            .confirm(token.hash(), now)
            .await?
            .ok_or(ConfirmEmailError::TokenInvalid)?;
        if confirmed.changed_address() {
            self.postman
                .send(
                    confirmed.previous.clone(),
                    Message::EmailChanged {
                        new_email: confirmed.email.as_str().to_owned(),
                    },
                )
                .await?;
            tracing::info!(user_id = %confirmed.user_id, "email address changed");
        } else {
            tracing::info!(user_id = %confirmed.user_id, "email address verified");
        }
        Ok(confirmed.email)
    }
}
