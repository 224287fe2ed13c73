//! The weekly digest of the communities' work: for a date range (Saturday to Friday by
//! default) hromada proposes the entries from the news published in it, editors curate them,
//! and publishing gives a page per language and an archive. Rules here; SQL in `repo.rs`,
//! public pages in `pages.rs`, the editors' pages in `edit_pages.rs`, JSON in `api.rs`.
//!
//! The proposal rule: the top group holds the items editors picked for it; when none was
//! picked, the items that concern the most communities (then the most sectors, then the
//! newest), at most [`TOP_SIZE`] and at most a third of the week's items (at least one), so
//! a quiet week keeps its sectors. Every other item goes to the group of its first sector, in
//! the order admins give the sectors; within a group the newest come first.

pub mod actions;
pub mod api;
pub mod edit_api;
pub mod edit_pages;
pub mod mail;
pub mod pages;
pub mod pdf;
pub mod repo;
pub mod routes;
pub mod send;
pub mod send_pages;
pub mod subscribers;
pub mod subscription;
pub mod subscription_api;
pub mod view;

use chrono::{Datelike, Duration, NaiveDate};

use crate::i18n::Lang;

/// The key of the top group; the other groups are keyed by sector slug, and news keeps every
/// sector off this one.
pub const TOP: &str = crate::news::RESERVED_SECTOR;
/// Entries proposed for the top group when editors picked none.
pub const TOP_SIZE: usize = 3;
/// The longest range a digest may cover.
pub const MAX_DAYS: i64 = 62;

crate::text_enum! {
    /// Where a digest stands: editors curate a draft; publishing makes its pages public.
    pub enum State as "DigestState" {
        Draft = "draft",
        Published = "published",
    }
}

crate::text_enum! {
    /// Where a subscription stands.
    pub enum SubscriberStatus {
        /// Waiting for the owner of the address to confirm it.
        Pending = "pending",
        Confirmed = "confirmed",
        Unsubscribed = "unsubscribed",
    }
}

/// The Saturday-to-Friday week that contains `day`.
pub fn week_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let back = (day.weekday().num_days_from_monday() + 2) % 7; // days since Saturday
    let start = day - Duration::days(i64::from(back));
    (start, start + Duration::days(6))
}

/// Checks a range: ordered, not longer than [`MAX_DAYS`]. Errs with a UI string key.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), &'static str> {
    if from > to {
        return Err("digest-error-order");
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err("digest-error-long");
    }
    Ok(())
}

const MONTHS_UK: [&str; 12] = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The range as people write it: "8–14 лютого 2025", "29 March – 4 April 2025",
/// "28 December 2024 – 3 January 2025".
pub fn range_label(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    let month = |d: NaiveDate| match lang {
        Lang::Uk => MONTHS_UK[d.month0() as usize],
        Lang::En => MONTHS_EN[d.month0() as usize],
    };
    if from == to {
        format!("{} {} {}", to.day(), month(to), to.year())
    } else if from.year() != to.year() {
        format!(
            "{} {} {} – {} {} {}",
            from.day(),
            month(from),
            from.year(),
            to.day(),
            month(to),
            to.year()
        )
    } else if from.month() != to.month() {
        format!(
            "{} {} – {} {} {}",
            from.day(),
            month(from),
            to.day(),
            month(to),
            to.year()
        )
    } else {
        format!("{}–{} {} {}", from.day(), to.day(), month(to), to.year())
    }
}

/// The default title of a digest in `lang`.
pub fn default_title(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    let range = range_label(from, to, lang);
    lang.t_args(
        "digest-default-title",
        &[("date", crate::i18n::Arg::Str(&range))],
    )
}

/// An item published in the range, as the proposal sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    /// Its sectors' slugs, in the sectors' order.
    pub sectors: Vec<String>,
    pub units: usize,
    pub is_top_pick: bool,
    /// Newer items have larger values (publication time in seconds).
    pub published: i64,
}

/// The proposed groups: (group key, item ids in order), the top group first, then sectors in
/// `sector_order`; empty groups are left out.
pub fn propose(candidates: &[Candidate], sector_order: &[String]) -> Vec<(String, Vec<i64>)> {
    let mut rest: Vec<&Candidate> = candidates.iter().collect();
    rest.sort_by(|a, b| b.published.cmp(&a.published).then(b.id.cmp(&a.id)));
    let picks: Vec<i64> = rest
        .iter()
        .filter(|c| c.is_top_pick)
        .map(|c| c.id)
        .collect();
    let top: Vec<i64> = if picks.is_empty() {
        let mut ranked = rest.clone();
        ranked.sort_by(|a, b| {
            b.units
                .cmp(&a.units)
                .then(b.sectors.len().cmp(&a.sectors.len()))
                .then(b.published.cmp(&a.published))
                .then(b.id.cmp(&a.id))
        });
        let size = TOP_SIZE.min((rest.len() / 3).max(1));
        ranked.iter().take(size).map(|c| c.id).collect()
    } else {
        picks
    };
    rest.retain(|c| !top.contains(&c.id));
    let mut groups = vec![(TOP.to_string(), top)];
    for sector in sector_order {
        let ids: Vec<i64> = rest
            .iter()
            .filter(|c| c.sectors.first() == Some(sector))
            .map(|c| c.id)
            .collect();
        if !ids.is_empty() {
            groups.push((sector.clone(), ids));
        }
    }
    groups.retain(|(_, ids)| !ids.is_empty());
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn weeks_run_from_saturday_to_friday() {
        // 14 February 2025 was a Friday.
        assert_eq!(week_of(d(2025, 2, 14)), (d(2025, 2, 8), d(2025, 2, 14)));
        assert_eq!(week_of(d(2025, 2, 8)), (d(2025, 2, 8), d(2025, 2, 14)));
        assert_eq!(week_of(d(2025, 2, 15)), (d(2025, 2, 15), d(2025, 2, 21)));
        assert_eq!(
            check_range(d(2025, 2, 14), d(2025, 2, 8)),
            Err("digest-error-order")
        );
        assert!(check_range(d(2025, 1, 1), d(2025, 12, 31)).is_err());
    }

    #[test]
    fn ranges_read_naturally() {
        assert_eq!(
            range_label(d(2025, 2, 8), d(2025, 2, 14), Lang::Uk),
            "8–14 лютого 2025"
        );
        assert_eq!(
            range_label(d(2025, 3, 29), d(2025, 4, 4), Lang::En),
            "29 March – 4 April 2025"
        );
        assert_eq!(
            range_label(d(2024, 12, 28), d(2025, 1, 3), Lang::Uk),
            "28 грудня 2024 – 3 січня 2025"
        );
    }

    fn c(id: i64, sectors: &[&str], units: usize, pick: bool, published: i64) -> Candidate {
        Candidate {
            id,
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
            units,
            is_top_pick: pick,
            published,
        }
    }

    #[test]
    fn the_proposal_follows_the_documented_rule() {
        let order: Vec<String> = ["social", "education", "culture"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let items = vec![
            c(1, &["education"], 0, false, 10),
            c(2, &["social", "education"], 5, false, 20),
            c(3, &["culture"], 1, false, 30),
            c(4, &["social"], 1, false, 40),
            c(5, &["education"], 0, false, 50),
        ];
        // No picks: the most communities, then sectors, then newest; a third of five is one.
        let groups = propose(&items, &order);
        assert_eq!(groups[0], (TOP.to_string(), vec![2]));
        assert_eq!(groups[1], ("social".to_string(), vec![4]));
        assert_eq!(groups[2], ("education".to_string(), vec![5, 1]));
        assert_eq!(groups[3], ("culture".to_string(), vec![3]));
        // Nine items: three on top, ranked by communities, then sectors, then the newest.
        let many: Vec<Candidate> = (1..=9)
            .map(|i| c(i, &["culture"], (i % 4) as usize, false, i * 10))
            .collect();
        assert_eq!(propose(&many, &order)[0], (TOP.to_string(), vec![7, 3, 6]));
        // Picks make the top group.
        let mut picked = items.clone();
        picked[0].is_top_pick = true;
        let groups = propose(&picked, &order);
        assert_eq!(groups[0], (TOP.to_string(), vec![1]));
        assert_eq!(groups[1], ("social".to_string(), vec![4, 2]));
        assert!(propose(&[], &order).is_empty());
    }
}
