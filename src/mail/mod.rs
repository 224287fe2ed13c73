//! Outgoing mail. A message is written to the outbox table in the same transaction as the
//! event that causes it (`repo::enqueue`); the worker (`worker.rs`) delivers it over SMTP.
//! Every message has a plain-text part and an HTML part, in the recipient's language.

use askama::Template;

use crate::i18n::{Arg, Lang};

pub mod pages;
pub mod repo;
pub mod worker;

/// A message ready for the outbox.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub lang: Lang,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "mail/action.html")]
struct ActionMailHtml<'a> {
    lang: Lang,
    subject: &'a str,
    greeting: &'a str,
    body: &'a str,
    action_label: &'a str,
    link: &'a str,
    footer: &'a str,
}

/// A message that asks the recipient to follow one link (verify, reset, invitation).
pub fn action_mail(
    lang: Lang,
    to: &str,
    name: &str,
    kind: &'static str,
    link: &str,
    hours: i64,
) -> Outgoing {
    let subject = lang.t(&format!("mail-{kind}-subject"));
    let greeting = lang.t_args("mail-greeting", &[("name", Arg::Str(name))]);
    let body = lang.t_args(&format!("mail-{kind}-body"), &[("hours", Arg::Num(hours))]);
    let action_label = lang.t(&format!("mail-{kind}-action"));
    let footer = lang.t("mail-footer");
    let text = format!("{greeting}\n\n{body}\n\n{action_label}:\n{link}\n\n-- \n{footer}\n");
    let html = ActionMailHtml {
        lang,
        subject: &subject,
        greeting: &greeting,
        body: &body,
        action_label: &action_label,
        link,
        footer: &footer,
    }
    .render()
    .unwrap_or_else(|_| text.clone());
    Outgoing {
        to: to.to_string(),
        subject,
        text,
        html,
        lang,
        kind,
    }
}

/// The SMTP client the worker delivers with.
pub type Transport = lettre::AsyncSmtpTransport<lettre::Tokio1Executor>;

/// Checks an SMTP URL the way the worker will use it.
pub fn transport_from_url(url: &str) -> anyhow::Result<Transport> {
    let builder = Transport::from_url(url)
        .map_err(|e| anyhow::anyhow!("HROMADA_SMTP_URL is not a usable SMTP URL: {e}"))?;
    Ok(builder
        .timeout(Some(std::time::Duration::from_secs(20)))
        .build())
}

pub fn parse_mailbox(s: &str) -> Result<lettre::message::Mailbox, lettre::address::AddressError> {
    s.parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_mail_in_both_languages() {
        let uk = action_mail(
            Lang::Uk,
            "o@example.ua",
            "Олена",
            "reset",
            "https://h.example/uk/x",
            2,
        );
        assert!(uk.text.contains("Олена") && uk.text.contains("https://h.example/uk/x"));
        assert!(
            uk.html.contains("lang=\"uk\"") && uk.html.contains("href=\"https://h.example/uk/x\"")
        );
        let en = action_mail(
            Lang::En,
            "o@example.ua",
            "Olena",
            "reset",
            "https://h.example/en/x",
            2,
        );
        assert_ne!(uk.subject, en.subject);
        assert!(en.text.contains("2 hours"), "{}", en.text);
    }
}
