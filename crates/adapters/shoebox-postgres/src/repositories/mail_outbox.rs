//! The mail outbox.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use shoebox_domain::{
    EmailAddress,
    jobs::NewJob,
    mail::{MailId, OutgoingMail},
};
use shoebox_ports::outbound::MailOutbox;

use super::insert_job;
use crate::{PostgresDatabase, schema::mail_outbox};

/// [`MailOutbox`] on `mail_outbox`, with its jobs in `jobs`.
#[derive(Debug, Clone)]
pub struct PostgresMailOutbox {
    database: PostgresDatabase,
}

impl PostgresMailOutbox {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[async_trait]
impl MailOutbox for PostgresMailOutbox {
    async fn enqueue(
        &self,
        id: MailId,
        mail: OutgoingMail,
        job: NewJob,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.database
            .run("queueing a message", move |connection| {
                connection.transaction(|connection| {
                    diesel::insert_into(mail_outbox::table)
                        .values((
                            mail_outbox::id.eq(id.as_uuid()),
                            mail_outbox::recipient.eq(mail.to.as_str()),
                            mail_outbox::subject.eq(&mail.subject),
                            mail_outbox::text_body.eq(&mail.text),
                            mail_outbox::html_body.eq(&mail.html),
                            mail_outbox::created_at.eq(now),
                        ))
                        .execute(connection)?;
                    insert_job(connection, &job)
                })
            })
            .await?;
        Ok(())
    }

    async fn pending(&self, id: MailId) -> anyhow::Result<Option<OutgoingMail>> {
        let row: Option<(String, String, String, String)> = self
            .database
            .run("reading a queued message", move |connection| {
                mail_outbox::table
                    .find(id.as_uuid())
                    .select((
                        mail_outbox::recipient,
                        mail_outbox::subject,
                        mail_outbox::text_body,
                        mail_outbox::html_body,
                    ))
                    .get_result(connection)
                    .optional()
            })
            .await?;
        row.map(|(recipient, subject, text, html)| {
            Ok(OutgoingMail {
                to: EmailAddress::parse(&recipient)
                    .map_err(|_| anyhow::anyhow!("queued message {id} has an invalid recipient"))?,
                subject,
                text,
                html,
            })
        })
        .transpose()
    }

    async fn remove(&self, id: MailId) -> anyhow::Result<()> {
        self.database
            .run("removing a sent message", move |connection| {
                diesel::delete(mail_outbox::table.find(id.as_uuid())).execute(connection)
            })
            .await?;
        Ok(())
    }
}
