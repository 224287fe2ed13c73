//! The Mayors' Club: a club of people, not communities. Any current or former head of a
//! Ukrainian city or hromada applies through the website; the application is acknowledged by
//! mail in the applicant's language and followed through a secret link.
//!
//! Rules here; SQL in `repo.rs`, pages in `pages.rs`, JSON in `api.rs`.

pub mod actions;
pub mod admission;
pub mod api;
pub mod mayor_page;
pub mod member_api;
pub mod member_pages;
pub mod membership;
pub mod pages;
pub mod person_api;
pub mod privacy;
pub mod repo;
pub mod review_pages;
pub mod routes;

use chrono::NaiveDate;

use crate::i18n::Lang;
use crate::registry::Level;
use crate::registry::snapshot::Snapshot;

crate::text_enum! {
    /// Where an application stands.
    pub enum Status as "ClubApplicationStatus" {
        Submitted = "submitted",
        /// The committee asked for more information.
        MoreInfo = "more_info",
        Accepted = "accepted",
        Declined = "declined",
        Withdrawn = "withdrawn",
    }
}

crate::text_enum! {
    /// A committee member's recommendation, and the chair's decision.
    pub enum Recommendation as "ClubRecommendation" {
        Accept = "accept",
        Decline = "decline",
        MoreInfo = "more_info",
    }
}

crate::text_enum! {
    /// One step of an application's history after it was sent.
    pub enum StepKind as "ClubStepKind" {
        /// The chair's decisions.
        Accept = "accept",
        Decline = "decline",
        MoreInfo = "more_info",
        /// The applicant's answer to the committee's questions.
        Answer = "answer",
    }
}

/// Whether an application is still open for reviews.
pub fn is_open(status: Status) -> bool {
    matches!(status, Status::Submitted | Status::MoreInfo)
}

/// An application as the form gives it, before checking.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub name: String,
    /// A codifier code, or the community's name.
    pub community: String,
    pub term_since: String,
    pub term_until: String,
    pub email: String,
    pub phone: String,
    pub motivation: String,
    pub lang: String,
    /// The applicant agrees to be listed on the public club page once accepted.
    pub listed: bool,
}

/// A checked application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub name: String,
    pub community_code: String,
    pub term_since: NaiveDate,
    pub term_until: Option<NaiveDate>,
    pub email: String,
    pub phone: String,
    pub motivation: String,
    pub lang: Lang,
    pub is_listing_agreed: bool,
}

/// The community the applicant named: a code, or a name that matches exactly one hromada or
/// city (otherwise the candidates, so the applicant can pick one by its code).
pub fn resolve_community(snap: &Snapshot, text: &str) -> Result<usize, Vec<usize>> {
    let text = text.trim();
    if let Some(i) = snap.find(text) {
        return match snap.node(i).level() {
            Level::Hromada => Ok(i),
            Level::Settlement | Level::Oblast
                if crate::members::can_be_member(snap.node(i).category) =>
            {
                Ok(i)
            }
            _ => Err(Vec::new()),
        };
    }
    if text.is_empty() {
        return Err(Vec::new());
    }
    let (hits, _) = snap.search(text, None, 50, 0);
    let candidates: Vec<usize> = hits
        .into_iter()
        .filter(|&i| crate::members::can_be_member(snap.node(i).category))
        .collect();
    let exact: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| {
            let n = snap.node(i);
            let wanted = text.to_lowercase();
            [
                n.name_uk.clone(),
                n.name_en.clone(),
                n.title(Lang::Uk),
                n.title(Lang::En),
            ]
            .iter()
            .any(|name| name.to_lowercase() == wanted)
        })
        .collect();
    match exact.as_slice() {
        [one] => Ok(*one),
        _ => Err(candidates.into_iter().take(10).collect()),
    }
}

/// Why a draft was refused: every problem as (field, UI string key), and the communities that
/// match an ambiguous name.
pub struct Refusal {
    pub errors: Vec<(String, String)>,
    pub candidates: Vec<usize>,
}

/// Checks a draft.
pub fn check(draft: &Draft, snap: &Snapshot, today: NaiveDate) -> Result<Application, Refusal> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut push = |field: &str, key: &str| errors.push((field.to_string(), key.to_string()));
    let name = draft.name.trim().to_string();
    if name.chars().count() < 3 || name.chars().count() > 200 {
        push("name", "club-error-name");
    }
    let mut candidates = Vec::new();
    let community = match resolve_community(snap, &draft.community) {
        Ok(i) => Some(snap.node(i).code.clone()),
        Err(list) => {
            push(
                "community",
                if list.is_empty() {
                    "club-error-community"
                } else {
                    "club-error-community-choose"
                },
            );
            candidates = list;
            None
        }
    };
    let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let since = date(&draft.term_since);
    if since.is_none_or(|d| d < crate::people::EARLIEST || d > today) {
        push("term_since", "posts-error-date");
    }
    let until = match draft.term_until.trim() {
        "" => None,
        s => {
            let d = date(s);
            if d.is_none_or(|d| d > today) {
                push("term_until", "posts-error-date");
            } else if let (Some(d), Some(since)) = (d, since)
                && d < since
            {
                push("term_until", "posts-error-ends-before");
            }
            d
        }
    };
    let email = crate::auth::parse_email(&draft.email);
    if email.is_err() {
        push("email", "email-invalid");
    }
    if draft.phone.trim().chars().count() > 50 {
        push("phone", "offices-error-long");
    }
    let motivation = draft.motivation.trim().to_string();
    if motivation.chars().count() < 20 || motivation.chars().count() > 5000 {
        push("motivation", "club-error-motivation");
    }
    let lang = Lang::parse(&draft.lang);
    if lang.is_none() {
        push("lang", "club-error-lang");
    }
    match (community, since, email, lang) {
        (Some(community_code), Some(term_since), Ok(email), Some(lang)) if errors.is_empty() => {
            Ok(Application {
                name,
                community_code,
                term_since,
                term_until: until,
                email,
                phone: draft.phone.trim().to_string(),
                motivation,
                lang,
                is_listing_agreed: draft.listed,
            })
        }
        _ => Err(Refusal { errors, candidates }),
    }
}
