//! Outgoing mail. A message is written to the outbox table in the same transaction as the
//! event that causes it (`repo::enqueue`); the worker (`worker.rs`) delivers it over SMTP.
//! Every message has a plain-text part and an HTML part, in the recipient's language.

use askama::Template;

use crate::i18n::{Arg, Lang};

pub mod actions;
pub mod api;
pub mod pages;
pub mod repo;
pub mod routes;
pub mod worker;

crate::text_enum! {
    /// Where an outbox message is: queued → sending → sent, or → failed (queued again only by
    /// an admin).
    pub enum Status as "OutboxStatus" {
        Queued = "queued",
        Sending = "sending",
        Sent = "sent",
        Failed = "failed",
    }
}

/// A message ready for the outbox.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub lang: Lang,
    pub kind: &'static str,
    /// Placeholders in `text` and `html` and what the worker puts in their place at delivery:
    /// the links a letter asks its reader to follow. They are stored sealed (see
    /// [`repo::enqueue`]), so the outbox and its admin pages never show a live reset or
    /// invitation link.
    pub fills: Vec<(String, String)>,
}

impl Outgoing {
    /// The text part as the recipient reads it, links filled in.
    pub fn filled_text(&self) -> String {
        repo::apply_fills(&self.text, &self.fills)
    }

    /// The HTML part as the recipient reads it, links filled in.
    pub fn filled_html(&self) -> String {
        repo::apply_fills(&self.html, &self.fills)
    }
}

/// The start of a hidden link's placeholder; the rest is random, so no text of a message can
/// contain it by chance.
pub const HIDDEN_LINK: &str = "[[hidden-link:";

/// A new placeholder for a link that must not be stored in plain.
pub fn hidden_link_placeholder() -> String {
    format!("{HIDDEN_LINK}{}]]", crate::secrets::new_secret(""))
}

/// `text` for admins' eyes: hidden-link placeholders, and secrets written into messages before
/// links were hidden (runs of 32 or more base64url characters mixing upper and lower case, as
/// every secret hromada makes is), replaced by `shown`.
pub fn mask_for_admins(text: &str, shown: &str) -> String {
    mask_secret_runs(&mask_hidden_links(text, shown), shown)
}

fn mask_secret_runs(text: &str, shown: &str) -> String {
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let secret = run.len() >= 32
            && run.chars().any(|c| c.is_ascii_uppercase())
            && run.chars().any(|c| c.is_ascii_lowercase());
        out.push_str(if secret { shown } else { run.as_str() });
        run.clear();
    };
    for c in text.chars() {
        if is_b64(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// `text` with every hidden-link placeholder replaced by `shown`.
pub fn mask_hidden_links(text: &str, shown: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(HIDDEN_LINK) {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after.find("]]") {
            Some(end) => {
                out.push_str(shown);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
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
    // The link itself goes into the message only at delivery, in place of its placeholders:
    // one for the text part, one (already escaped) for the HTML part.
    let mut fills = Vec::new();
    let html_action = action.map(|(label, link)| {
        if link.is_empty() {
            return (label, String::new());
        }
        let (in_text, in_html) = (hidden_link_placeholder(), hidden_link_placeholder());
        text = text.replace(link, &in_text);
        fills.push((in_text, link.to_string()));
        fills.push((in_html.clone(), crate::web::page::escape(link)));
        (label, in_html)
    });
    let html = LetterHtml {
        lang,
        subject: &subject,
        greeting: &greeting,
        paragraphs,
        action: html_action.as_ref().map(|(l, h)| (*l, h.as_str())),
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
        fills,
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

/// The outbox's gauges for `/metrics`: messages waiting or being sent, and those that failed
/// for good. Empty (and logged) when the database cannot say.
pub async fn metrics(db: &crate::db::Db) -> String {
    match repo::backlog(db).await {
        Ok((waiting, failed)) => format!(
            "# HELP hromada_outbox_backlog Messages queued or being sent.\n\
             # TYPE hromada_outbox_backlog gauge\n\
             hromada_outbox_backlog {waiting}\n\
             # HELP hromada_outbox_failed Messages that failed for good.\n\
             # TYPE hromada_outbox_failed gauge\n\
             hromada_outbox_failed {failed}\n"
        ),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: outbox backlog unavailable");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_see_neither_placeholders_nor_old_secrets() {
        let placeholder = hidden_link_placeholder();
        let secret = crate::secrets::new_secret("inv.");
        let text = format!(
            "Follow {placeholder} or http://h/uk/password/reset?token={secret} — see \
             http://h/uk/news/2026-12-05-a-rather-long-news-slug-in-lowercase"
        );
        let shown = mask_for_admins(&text, "[hidden]");
        assert!(
            !shown.contains(&placeholder) && !shown.contains(&secret),
            "{shown}"
        );
        assert!(shown.contains("token=inv.[hidden]"), "{shown}");
        assert!(
            shown.contains("a-rather-long-news-slug-in-lowercase"),
            "{shown}"
        );
    }

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
        // The stored message holds the link only as a placeholder; the recipient's has it.
        assert!(!uk.text.contains("https://h.example/uk/x") && !uk.html.contains("h.example"));
        let (text, html) = (uk.filled_text(), uk.filled_html());
        assert!(text.contains("Олена") && text.contains("https://h.example/uk/x"));
        assert!(html.contains("lang=\"uk\"") && html.contains("href=\"https://h.example/uk/x\""));
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
                .filled_html()
                .contains("href=\"https://h.example/uk/login\"")
        );
        assert!(
            with_link
                .filled_text()
                .contains("Увійти:\nhttps://h.example/uk/login")
        );
    }
}
