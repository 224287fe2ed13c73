//! News by sector: items in Ukrainian and English (either may be missing), tagged with sectors
//! and the registry's units, moving draft → in review → published → withdrawn. Bodies are
//! Markdown rendered once, at save time, to sanitized HTML. Rules here; SQL in `repo.rs`,
//! public pages in `pages.rs`, the editors' pages in `edit_pages.rs`, JSON in `api.rs`.

pub mod actions;
pub mod api;
pub mod covers;
pub mod edit_pages;
pub mod feeds;
pub mod pages;
pub mod repo;
pub mod routes;
pub mod search;
pub mod sector_api;
pub mod sector_pages;
pub mod sectors;

use crate::i18n::Lang;
use crate::registry::snapshot::Snapshot;

/// The short name no sector may take: the weekly digest, which stands on news, keys its top
/// group by it beside the groups keyed by sector slug.
pub const RESERVED_SECTOR: &str = "top";

crate::text_enum! {
    /// Where an item stands.
    pub enum State as "NewsState" {
        Draft = "draft",
        InReview = "in_review",
        Published = "published",
        Withdrawn = "withdrawn",
    }
}

crate::text_enum! {
    /// A move between states, as editors ask for it.
    pub enum Move as "NewsMove" {
        /// Send a draft to review.
        Submit = "submit",
        Publish = "publish",
        Withdraw = "withdraw",
        /// Back to draft, for more work (from review or withdrawn).
        Rework = "rework",
    }
}

impl Move {
    /// The state after the move, or `None` when the move does not apply to `from`.
    pub fn apply(self, from: State) -> Option<State> {
        match (self, from) {
            (Move::Submit, State::Draft) => Some(State::InReview),
            (Move::Publish, State::Draft | State::InReview) => Some(State::Published),
            (Move::Withdraw, State::Published) => Some(State::Withdrawn),
            (Move::Rework, State::InReview | State::Withdrawn) => Some(State::Draft),
            _ => None,
        }
    }

    /// The moves offered for an item in `state`.
    pub fn offered(state: State) -> Vec<Move> {
        Move::ALL
            .iter()
            .copied()
            .filter(|m| m.apply(state).is_some())
            .collect()
    }
}

/// The sectors seeded into an empty database: (slug, Ukrainian, English, is a campaign).
pub const SECTORS: [(&str, &str, &str, bool); 12] = [
    (
        "personnel",
        "Кадри та організація роботи",
        "Personnel and organisation of work",
        false,
    ),
    ("social", "Соціальний захист", "Social protection", false),
    ("education", "Освіта", "Education", false),
    ("health", "Охорона здоров’я", "Health care", false),
    (
        "admin-services",
        "Адміністративні послуги",
        "Administrative services",
        false,
    ),
    (
        "economy",
        "Сталий економічний розвиток",
        "Sustainable economic development",
        false,
    ),
    (
        "utilities",
        "Комунальне господарство",
        "Public utilities",
        false,
    ),
    ("land", "Земельні відносини", "Land", false),
    ("ecology", "Екологія", "Ecology", false),
    ("culture", "Культура", "Culture", false),
    (
        "international",
        "Асоціація та міжнародна спільнота",
        "The association and the international community",
        false,
    ),
    ("campaign", "Кампанія", "Campaign", true),
];

/// An item as the editor's form (or the API) gives it.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title_uk: String,
    pub title_en: String,
    pub summary_uk: String,
    pub summary_en: String,
    pub body_uk: String,
    pub body_en: String,
    pub source_url: String,
    /// Sector slugs.
    pub sectors: Vec<String>,
    /// Codifier codes, separated by spaces, commas or new lines.
    pub units: String,
    /// Editors pick the item for the top of the week's digest.
    pub top_pick: bool,
}

/// A checked item, with its bodies rendered and its units placed in their oblasts.
#[derive(Debug, Clone)]
pub struct Checked {
    pub title_uk: String,
    pub title_en: String,
    pub summary_uk: String,
    pub summary_en: String,
    pub body_uk: String,
    pub body_en: String,
    pub body_html_uk: String,
    pub body_html_en: String,
    pub source_url: String,
    pub sectors: Vec<String>,
    /// (unit code, its oblast's code)
    pub units: Vec<(String, String)>,
    pub top_pick: bool,
}

pub const MAX_TITLE: usize = 300;
pub const MAX_SUMMARY: usize = 1500;
pub const MAX_BODY: usize = 100_000;

/// Checks a draft against the sectors that exist and the registry; every problem is reported
/// as (field, UI string key).
pub fn check(
    draft: &Draft,
    known_sectors: &[String],
    snap: &Snapshot,
) -> Result<Checked, Vec<(String, String)>> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut push = |f: &str, k: &str| errors.push((f.to_string(), k.to_string()));
    let t = |s: &str| s.trim().replace("\r\n", "\n");
    let (title_uk, title_en) = (t(&draft.title_uk), t(&draft.title_en));
    let (summary_uk, summary_en) = (t(&draft.summary_uk), t(&draft.summary_en));
    let (body_uk, body_en) = (t(&draft.body_uk), t(&draft.body_en));
    for (lang, title, summary, body) in [
        ("uk", &title_uk, &summary_uk, &body_uk),
        ("en", &title_en, &summary_en, &body_en),
    ] {
        if title.chars().count() > MAX_TITLE || title.contains('\n') {
            push(&format!("title_{lang}"), "news-error-title");
        }
        if summary.chars().count() > MAX_SUMMARY || summary.contains("\n\n") {
            push(&format!("summary_{lang}"), "news-error-summary");
        }
        if body.chars().count() > MAX_BODY {
            push(&format!("body_{lang}"), "news-error-body");
        }
        // A language is either absent or has at least its title and summary.
        let any = !title.is_empty() || !summary.is_empty() || !body.is_empty();
        if any && (title.is_empty() || summary.is_empty()) {
            push(&format!("title_{lang}"), "news-error-incomplete");
        }
    }
    if title_uk.is_empty() && title_en.is_empty() {
        push("title_uk", "news-error-no-language");
    }
    let source_url = draft.source_url.trim().to_string();
    if !source_url.is_empty()
        && (source_url.len() > 500
            || !url::Url::parse(&source_url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
    {
        push("source_url", "news-error-source");
    }
    let mut sectors: Vec<String> = Vec::new();
    let mut unknown_sector = false;
    for s in &draft.sectors {
        if !known_sectors.contains(s) {
            unknown_sector = true;
        } else if !sectors.contains(s) {
            sectors.push(s.clone());
        }
    }
    if unknown_sector {
        push("sectors", "news-error-sector");
    } else if sectors.is_empty() {
        push("sectors", "news-error-no-sector");
    }
    let mut units: Vec<(String, String)> = Vec::new();
    for code in draft
        .units
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|c| !c.is_empty())
    {
        match snap.find(code) {
            Some(i) => {
                let top = snap.ancestors(i).first().copied().unwrap_or(i);
                let unit = (snap.node(i).code.clone(), snap.node(top).code.clone());
                if !units.contains(&unit) {
                    units.push(unit);
                }
            }
            None => push("units", "news-error-unit"),
        }
    }
    if !errors.is_empty() {
        errors.dedup();
        return Err(errors);
    }
    Ok(Checked {
        body_html_uk: render_markdown(&body_uk),
        body_html_en: render_markdown(&body_en),
        title_uk,
        title_en,
        summary_uk,
        summary_en,
        body_uk,
        body_en,
        source_url,
        sectors,
        units,
        top_pick: draft.top_pick,
    })
}

/// Markdown to HTML that is safe to put in a page or a mail: ammonia removes scripts, styles,
/// event handlers and unsafe URLs; links open without giving the target a handle on us.
pub fn render_markdown(markdown: &str) -> String {
    if markdown.is_empty() {
        return String::new();
    }
    let parser = pulldown_cmark::Parser::new_ext(
        markdown,
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
    );
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&html)
        .to_string()
}

/// (title, summary, body HTML, the language they are in when it is not `lang`).
pub fn texts(item: &repo::ItemRow, lang: Lang) -> (&str, &str, &str, Option<Lang>) {
    let uk = (
        item.title_uk.as_str(),
        item.summary_uk.as_str(),
        item.body_html_uk.as_str(),
    );
    let en = (
        item.title_en.as_str(),
        item.summary_en.as_str(),
        item.body_html_en.as_str(),
    );
    let (own, other) = match lang {
        Lang::Uk => (uk, en),
        Lang::En => (en, uk),
    };
    if own.0.is_empty() {
        (other.0, other.1, other.2, Some(lang.other()))
    } else {
        (own.0, own.1, own.2, None)
    }
}

/// A sector's name in `lang`.
pub fn sector_name(s: &repo::SectorRow, lang: Lang) -> String {
    match lang {
        Lang::Uk => s.name_uk.clone(),
        Lang::En => s.name_en.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_follow_the_workflow() {
        assert_eq!(Move::Submit.apply(State::Draft), Some(State::InReview));
        assert_eq!(Move::Publish.apply(State::InReview), Some(State::Published));
        assert_eq!(Move::Publish.apply(State::Published), None);
        assert_eq!(Move::Withdraw.apply(State::Draft), None);
        assert_eq!(Move::Rework.apply(State::Withdrawn), Some(State::Draft));
        assert_eq!(
            Move::offered(State::Draft),
            vec![Move::Submit, Move::Publish]
        );
    }

    #[test]
    fn markdown_is_rendered_and_sanitized() {
        let html = render_markdown("**Громада** [сайт](https://example.ua)");
        assert!(html.contains("<strong>Громада</strong>"), "{html}");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
        for bad in [
            "<script>alert(1)</script>",
            "<style>body{display:none}</style>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"data:text/html,hi\">x</a>",
            "<p style=\"color:red\">x</p>",
            "<iframe src=\"https://evil.example\"></iframe>",
        ] {
            let html = render_markdown(bad);
            for marker in [
                "<script",
                "<style",
                "onerror",
                "javascript:",
                "data:",
                "style=",
                "<iframe",
            ] {
                assert!(!html.contains(marker), "{bad} → {html}");
            }
        }
    }
}
