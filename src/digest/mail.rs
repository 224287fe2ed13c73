//! The digest as a mail: the same layout as the web page ([`super::view::View`]) in a table
//! with inline styles, as mail clients need, and a plain-text part with the same headings,
//! entries and links; a link to the web version, to the subscriber's preferences and to
//! unsubscribe.

use askama::Template;

use super::view::View;
use crate::i18n::Lang;

/// The largest mail we let a digest become.
pub const MAX_BYTES: usize = 100 * 1024;

#[derive(Template)]
#[template(path = "mail/digest.html")]
struct DigestHtml<'a> {
    lang: Lang,
    v: &'a View,
    web_label: String,
    footer: String,
    manage_url: &'a str,
    manage_label: String,
    unsubscribe_url: &'a str,
    unsubscribe_label: String,
}

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders the digest for one subscriber's links.
pub fn render(v: &View, lang: Lang, manage_url: &str, unsubscribe_url: &str) -> Rendered {
    let mut text = format!("{}\n{}\n\n", v.title, v.range);
    for p in &v.intro {
        text.push_str(p);
        text.push_str("\n\n");
    }
    for g in &v.groups {
        text.push_str(&format!("== {} ==\n\n", g.title));
        for e in &g.entries {
            text.push_str(&format!("* {}\n  {}\n  {}\n\n", e.title, e.summary, e.href));
        }
    }
    for p in &v.closing {
        text.push_str(p);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "{}: {}\n\n-- \n{}\n{}: {}\n{}: {}\n",
        lang.t("digest-mail-web"),
        v.web_url,
        lang.t("mail-footer"),
        lang.t("digest-mail-manage"),
        manage_url,
        lang.t("digest-unsubscribe"),
        unsubscribe_url
    ));
    let html = DigestHtml {
        lang,
        v,
        web_label: lang.t("digest-mail-web"),
        footer: lang.t("mail-footer"),
        manage_url,
        manage_label: lang.t("digest-mail-manage"),
        unsubscribe_url,
        unsubscribe_label: lang.t("digest-unsubscribe"),
    }
    .render()
    .unwrap_or_else(|_| text.clone());
    Rendered {
        subject: v.title.clone(),
        text,
        html,
    }
}

/// Whether a subscriber who chose `sectors` (comma-separated; empty for all) gets a digest
/// whose entries are in `digest_sectors`.
pub fn wants(sectors: &str, digest_sectors: &[String]) -> bool {
    sectors.is_empty()
        || sectors
            .split(',')
            .any(|s| digest_sectors.iter().any(|d| d == s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::view::{EntryView, GroupView};

    fn view(entries: usize) -> View {
        View {
            title: "Дайджест роботи громад, 8–14 лютого 2025".into(),
            range: "8–14 лютого 2025".into(),
            intro: vec!["Тиждень коротко <b>не HTML</b>.".into()],
            groups: (0..6)
                .map(|g| GroupView {
                    key: format!("g{g}"),
                    title: format!("Сфера {g}"),
                    entries: (0..entries / 6)
                        .map(|i| EntryView {
                            item_id: (g * 100 + i) as i64,
                            title: format!("Громада відкрила укриття №{i} у школі"),
                            summary: "Громада облаштувала укриття у школі й провела навчання для вчителів і батьків, щоб діти могли безпечно навчатися офлайн.".into(),
                            href: format!("https://hromada.example/uk/news/{}", g * 100 + i),
                            other_lang: None,
                        })
                        .collect(),
                })
                .collect(),
            closing: vec!["Підтримайте кампанію.".into()],
            web_url: "https://hromada.example/uk/digest/2025-02-14".into(),
        }
    }

    #[test]
    fn a_sixty_item_digest_fits_in_a_mail_with_both_parts() {
        let v = view(60);
        let m = render(
            &v,
            Lang::Uk,
            "https://h/uk/digest/subscription/s",
            "https://h/unsubscribe/s",
        );
        assert!(m.html.len() < MAX_BYTES, "{} bytes", m.html.len());
        assert!(
            m.text.contains("== Сфера 5 ==")
                && m.text.contains("https://hromada.example/uk/news/504")
        );
        assert!(m.html.contains("role=\"presentation\"") && m.html.contains("style=\""));
        assert!(
            m.html
                .contains("href=\"https://hromada.example/uk/digest/2025-02-14\"")
        );
        assert!(
            m.html.contains("&#60;b&#62;") || m.html.contains("&lt;b&gt;"),
            "escaped"
        );
        assert!(m.text.contains("https://h/unsubscribe/s"));
        assert_eq!(m.subject, v.title);
    }
}
