//! `shoebox users create-admin` and `shoebox seed`.

use std::io::BufRead;

use anyhow::Context;
use shoebox_domain::{
    accounts::{DisplayName, EmailAddress, Role},
    auth::SecretToken,
    privacy::DeletionOutcome,
};
use shoebox_ports::inbound::EnsureUser;

use super::require_current_schema;
use crate::{cli::say, settings::Settings, wiring::Application};

/// Demo members created by `shoebox seed`.
pub const DEMO_PASSWORD: &str = "shoebox-demo-password";
const DEMO_MEMBERS: [(&str, &str, Role); 3] = [
    ("admin@example.org", "Demo Admin", Role::Admin),
    ("ada@example.org", "Ada Lovelace", Role::Member),
    ("grace@example.org", "Grace Hopper", Role::Member),
];

pub async fn create_admin(
    settings: &Settings,
    email: &str,
    display_name: &str,
    password_stdin: bool,
) -> anyhow::Result<()> {
    let email = EmailAddress::parse(email).with_context(|| format!("--email {email:?}"))?;
    let display_name = DisplayName::parse(display_name).context("--display-name")?;
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("could not read the password from standard input")?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (SecretToken::generate("").expose().to_owned(), true)
    };
    require_current_schema(settings).await?;
    let application = Application::build(settings)?;
    let request = EnsureUser {
        email,
        display_name,
        password: password.clone(),
        role: Role::Admin,
        overwrite: true,
    };
    let (user, created) = application.provisioning.ensure_user(request).await?;
    let verb = if created {
        "created"
    } else {
        "updated (now admin, password replaced, sessions ended)"
    };
    say(format!("admin {} {verb}", user.email));
    if generated {
        say(format!("password (shown once): {password}"));
    }
    Ok(())
}

pub async fn delete_user(settings: &Settings, email: &str, now: bool) -> anyhow::Result<()> {
    let email = EmailAddress::parse(email).with_context(|| format!("email {email:?}"))?;
    require_current_schema(settings).await?;
    let application = Application::build(settings)?;
    match application.deletion.delete_by_email(&email, now).await? {
        DeletionOutcome::Scheduled { due_at } => say(format!(
            "{email}: sessions and tokens revoked; erased at {} unless cancelled (or run again with --now)",
            due_at.format("%Y-%m-%d %H:%M UTC")
        )),
        DeletionOutcome::Erased => say(format!(
            "{email}: erased, with every photo, album and file; the deletion ledger keeps them erased across restores"
        )),
    }
    Ok(())
}

pub async fn seed(settings: &Settings, force: bool) -> anyhow::Result<()> {
    if settings.http.is_tls() && !force {
        anyhow::bail!(
            "refusing to create demo accounts with a known password on {} (an https public URL); pass --force if you mean it",
            settings.http.public_url
        );
    }
    require_current_schema(settings).await?;
    let application = Application::build(settings)?;
    for (seed, (email, display_name, role)) in (1..).zip(DEMO_MEMBERS) {
        let request = EnsureUser {
            email: EmailAddress::parse(email)?,
            display_name: DisplayName::parse(display_name)?,
            password: DEMO_PASSWORD.to_owned(),
            role,
            overwrite: false,
        };
        let (user, created) = application.provisioning.ensure_user(request).await?;
        say(format!(
            "{} {} ({})",
            if created { "created" } else { "exists " },
            user.email,
            user.role
        ));
        let email = user.email.as_str().to_owned();
        let added = super::demo::give_library(&application, user, seed).await?;
        if added > 0 {
            say(format!(
                "added {added} demo photos and 2 albums for {email}"
            ));
        }
    }
    say(format!(
        "sign in at {} as admin@example.org (or ada@example.org) with password {DEMO_PASSWORD}",
        settings.http.public_url
    ));
    Ok(())
}
