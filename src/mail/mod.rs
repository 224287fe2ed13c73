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

/// A message that asks the recipient to follow one link (verify, reset, invitation): the
/// strings `mail-{kind}-subject`, `-body` (with `$hours`) and `-action`.
pub fn action_mail(
    lang: Lang,
    to: &str,
    name: &str,
    kind: &'static str,
    link: &str,
    hours: i64,
) -> Outgoing {
    let body = lang.t_args(&format!("mail-{kind}-body"), &[("hours", Arg::Num(hours))]);
    let action_label = lang.t(&format!("mail-{kind}-action"));
    letter(lang, to, name, kind, &[body], Some((&action_label, link)))
}

#[derive(Template)]
#[template(path = "mail/letter.html")]
struct LetterHtml<'a> {
    lang: Lang,
    subject: &'a str,
    greeting: &'a str,
    paragraphs: &'a [String],
    action: Option<(&'a str, &'a str)>,
    footer: &'a str,
}

/// A letter of several paragraphs (a decision, a notice), with at most one link to follow.
/// The subject is the UI string `mail-{kind}-subject`.
pub fn letter(
    lang: Lang,
    to: &str,
    name: &str,
    kind: &'static str,
    paragraphs: &[String],
    action: Option<(&str, &str)>,
) -> Outgoing {
    let subject = lang.t(&format!("mail-{kind}-subject"));
    let greeting = lang.t_args("mail-greeting", &[("name", Arg::Str(name))]);
    let footer = lang.t("mail-footer");
    let mut text = format!("{greeting}\n\n");
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    if let Some((label, link)) = action {
        text.push_str(&format!("{label}:\n{link}\n\n"));
    }
    text.push_str(&format!("-- \n{footer}\n"));
    let html = LetterHtml {
        lang,
        subject: &subject,
        greeting: &greeting,
        paragraphs,
        action,
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

/// Checks an SMTP URL without connecting or starting a connection pool, so it works outside
/// the async runtime (settings are checked before it starts).
pub fn check_smtp_url(url: &str) -> anyhow::Result<()> {
    Transport::from_url(url)
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("HROMADA_SMTP_URL is not a usable SMTP URL: {e}"))
}

/// The transport the worker delivers with; call it inside the async runtime (its connection
/// pool needs one, even to be dropped).
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

    #[test]
    fn a_letter_keeps_its_paragraphs_and_escapes_them_in_html() {
        let paragraphs = vec!["First <b>line</b>.".to_string(), "Second.".to_string()];
        let m = letter(
            Lang::En,
            "o@example.ua",
            "Olena",
            "club-declined",
            &paragraphs,
            None,
        );
        assert!(
            m.text.contains("First <b>line</b>.\n\nSecond."),
            "{}",
            m.text
        );
        assert!(
            m.html.contains("First &#60;b&#62;line&#60;/b&#62;.")
                || m.html.contains("First &lt;b&gt;"),
            "{}",
            m.html
        );
        assert!(!m.html.contains("<a "));
        let with_link = letter(
            Lang::Uk,
            "o@example.ua",
            "Олена",
            "club-accepted",
            &paragraphs,
            Some(("Увійти", "https://h.example/uk/login")),
        );
        assert!(
            with_link
                .html
                .contains("href=\"https://h.example/uk/login\"")
        );
        assert!(
            with_link
                .text
                .contains("Увійти:\nhttps://h.example/uk/login")
        );
    }
}
