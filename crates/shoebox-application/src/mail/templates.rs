//! The message templates, embedded at compile time: for each message a
//! subject, a plain-text and an HTML template, which extend a shared layout.

use minijinja::{Environment, Value, context};
use serde::{Deserialize, Serialize};

/// `[instance]`: how the instance names itself in messages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct InstanceSettings {
    /// The name in subjects and message bodies ("Reset your Shoebox password").
    pub name: String,
}

impl Default for InstanceSettings {
    fn default() -> Self {
        Self {
            name: "Shoebox".into(),
        }
    }
}

/// Each message's subject, text and HTML templates, plus the shared layouts:
/// (name, source), embedded at compile time.
macro_rules! templates {
    ($($message:literal),* $(,)?) => {
        &[
            ("layout.html", include_str!("../../templates/mail/layout.html")),
            ("layout.txt", include_str!("../../templates/mail/layout.txt")),
            $(
                (
                    concat!($message, ".subject.txt"),
                    include_str!(concat!("../../templates/mail/", $message, ".subject.txt")),
                ),
                (
                    concat!($message, ".txt"),
                    include_str!(concat!("../../templates/mail/", $message, ".txt")),
                ),
                (
                    concat!($message, ".html"),
                    include_str!(concat!("../../templates/mail/", $message, ".html")),
                ),
            )*
        ]
    };
}

/// Every template. A new message adds its name here and its three files
/// under `templates/mail/`.
const TEMPLATES: &[(&str, &str)] = templates![
    "password_reset",
    "password_changed",
    "verify_email",
    "email_change",
    "email_changed",
    "deletion_scheduled",
    "deletion_completed",
    "export_ready",
    "new_device",
    "invitation",
    "already_member",
];

/// A message's three parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The templates with the instance's name and public URL.
#[derive(Debug)]
pub struct MailTemplates {
    environment: Environment<'static>,
    instance_name: String,
    public_url: String,
}

impl MailTemplates {
    /// Errors: a template that does not parse (a test renders them all).
    pub fn new(instance: &InstanceSettings, public_url: &str) -> anyhow::Result<Self> {
        let mut environment = Environment::new();
        // `.html` templates escape what they insert; `.txt` ones do not.
        environment.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        environment.set_keep_trailing_newline(false);
        // A value a template names but the message does not give is an
        // error, not an empty string in someone's inbox.
        environment.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            environment
                .add_template(name, source)
                .map_err(|error| anyhow::anyhow!("mail template {name}: {error}"))?;
        }
        Ok(Self {
            environment,
            instance_name: instance.name.clone(),
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// `{public_url}{path}`: links in messages.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_url)
    }

    /// Renders message `name` with `values` (and the instance's name and URL).
    pub fn render(&self, name: &str, values: Value) -> anyhow::Result<RenderedMail> {
        let values = context! {
            instance_name => &self.instance_name,
            public_url => &self.public_url,
            ..values
        };
        let part = |suffix: &str| -> anyhow::Result<String> {
            let template_name = format!("{name}.{suffix}");
            self.environment
                .get_template(&template_name)
                .and_then(|template| template.render(&values))
                .map_err(|error| anyhow::anyhow!("mail template {template_name}: {error:#}"))
        };
        Ok(RenderedMail {
            // One line, whatever the template's layout.
            subject: part("subject.txt")?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            text: part("txt")?,
            html: part("html")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates() -> MailTemplates {
        MailTemplates::new(
            &InstanceSettings {
                name: "Camera <Club>".into(),
            },
            "https://photos.example.org/",
        )
        .unwrap()
    }

    #[test]
    fn every_message_renders_with_the_instance_and_its_link() {
        let templates = templates();
        let link = templates.link("/reset-password?token=abc&x=1");
        assert_eq!(
            link,
            "https://photos.example.org/reset-password?token=abc&x=1"
        );
        let messages: Vec<&str> = TEMPLATES
            .iter()
            .filter_map(|(name, _)| name.strip_suffix(".subject.txt"))
            .collect();
        assert!(messages.len() >= 11, "{messages:?}");
        for name in messages {
            let values = context! {
                link => &link,
                valid_minutes => 60,
                valid_hours => 48,
                email => "new@example.org",
                due_date => "1 January 2027",
                due_time => "12:00",
                by_admin => false,
                size => "1.2 MB",
                expires => "8 January 2027, 12:00",
                inviter => "Grace",
                role => "member",
                forgot_link => &link,
                when => "4 December 2026, 20:40",
                browser => "Firefox <script>",
                address => "192.0.2.7",
                settings_link => "https://photos.example.org/settings",
            };
            let mail = templates.render(name, values).unwrap();
            assert!(
                mail.subject.contains("Camera <Club>"),
                "{name}: {}",
                mail.subject
            );
            assert!(!mail.subject.contains('\n'));
            assert!(mail.text.contains("Camera <Club>"), "{name}");
            if name != "email_changed" && name != "deletion_completed" {
                assert!(mail.text.contains(&link), "{name}");
                assert!(mail.html.contains("token=abc&amp;x=1"), "{name}");
            }
            assert!(mail.text.contains("https://photos.example.org"), "{name}");
            // HTML escapes what it inserts.
            assert!(mail.html.contains("Camera &lt;Club&gt;"), "{name}");
            assert!(!mail.html.contains("<Club>"), "{name}");
        }
    }

    #[test]
    fn a_value_the_message_does_not_give_is_an_error() {
        let error = templates()
            .render("password_reset", context! { link => "https://x" })
            .unwrap_err();
        assert!(format!("{error:#}").contains("password_reset"), "{error:#}");
    }

    #[test]
    fn an_unknown_message_is_an_error() {
        assert!(templates().render("nope", context! {}).is_err());
    }
}
