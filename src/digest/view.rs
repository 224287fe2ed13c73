//! A digest laid out for one language: the groups in order with their entries, the texts
//! around them and its web address. The public page, the mail, the PDF and the sending job
//! share it; it knows no HTTP handler, so the job that sends stands apart from the pages.

use super::{TOP, range_label, repo};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::page::paragraphs;

#[derive(Clone)]
pub struct EntryView {
    pub item_id: i64,
    pub title: String,
    pub summary: String,
    /// An absolute link to the item in the reader's language.
    pub href: String,
    /// Set when the item is shown in the other language: its code.
    pub other_lang: Option<&'static str>,
}

#[derive(Clone)]
pub struct GroupView {
    pub key: String,
    pub title: String,
    pub entries: Vec<EntryView>,
}

/// A digest laid out for one language.
#[derive(Clone)]
pub struct View {
    pub title: String,
    pub range: String,
    pub intro: Vec<String>,
    pub groups: Vec<GroupView>,
    pub closing: Vec<String>,
    /// The web version's absolute address.
    pub web_url: String,
}

impl View {
    /// The digest with only the entries `keep` accepts; groups left empty are dropped.
    pub fn only(&self, keep: impl Fn(i64) -> bool) -> View {
        let mut v = self.clone();
        for g in &mut v.groups {
            g.entries.retain(|e| keep(e.item_id));
        }
        v.groups.retain(|g| !g.entries.is_empty());
        v
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// Lays out a digest in `lang`: groups in order (top, then sectors in the admins' order), each
/// entry with its digest summary (else the item's), falling back to the other language where
/// the item lacks this one.
pub async fn view(state: &AppState, d: &repo::DigestRow, lang: Lang) -> AppResult<View> {
    let sectors = crate::news::repo::sectors(&state.db).await?;
    let entries = repo::entries(&state.db, d.id).await?;
    let mut order: Vec<String> = vec![TOP.to_string()];
    order.extend(sectors.iter().map(|s| s.slug.clone()));
    for e in &entries {
        if !order.contains(&e.group_key) {
            order.push(e.group_key.clone());
        }
    }
    let mut groups = Vec::new();
    for key in order {
        let mut list = Vec::new();
        for e in entries.iter().filter(|e| e.group_key == key) {
            let Some(item) = crate::news::repo::item(&state.db, e.item_id).await? else {
                continue;
            };
            let (title, summary, _, other) = crate::news::texts(&item, lang);
            let own_summary = match lang {
                Lang::Uk => &e.summary_uk,
                Lang::En => &e.summary_en,
            };
            list.push(EntryView {
                item_id: item.id,
                title: title.to_string(),
                summary: if own_summary.is_empty() {
                    summary.to_string()
                } else {
                    own_summary.clone()
                },
                href: state.link(&format!("/{}/news/{}", lang.code(), item.id)),
                other_lang: other.map(Lang::code),
            });
        }
        if list.is_empty() {
            continue;
        }
        let title = if key == TOP {
            lang.t("digest-group-top")
        } else {
            sectors
                .iter()
                .find(|s| s.slug == key)
                .map(|s| crate::news::sector_name(s, lang))
                .unwrap_or_else(|| key.clone())
        };
        groups.push(GroupView {
            key,
            title,
            entries: list,
        });
    }
    let (title, intro, closing) = match lang {
        Lang::Uk => (&d.title_uk, &d.intro_uk, &d.closing_uk),
        Lang::En => (&d.title_en, &d.intro_en, &d.closing_en),
    };
    Ok(View {
        title: title.clone(),
        range: range_label(d.starts_on, d.ends_on, lang),
        intro: paragraphs(intro),
        groups,
        closing: paragraphs(closing),
        web_url: state.link(&format!("/{}/digest/{}", lang.code(), d.ends_on)),
    })
}
