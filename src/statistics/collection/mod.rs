//! Collecting statistics from communities: campaigns, what a community owes, the entry form,
//! review and completeness. The rules live here (no SQL and no HTTP): who a campaign asks,
//! what a community's report is in, and when a report counts as on time.
//!
//! A campaign asks one data set for one period from a fixed list of communities by a deadline.
//! A community's report moves open → submitted → approved, or → returned (a coordinator sent
//! some values back with a comment) → submitted again. Values carry the same states, so the
//! public, who see approved values only, never see a figure nobody checked.

use chrono::{DateTime, NaiveDate, Utc};

pub mod actions;
pub mod api;
pub mod campaigns;
pub mod pages;
pub mod reminders;
pub mod repo;
pub mod staff_api;
pub mod staff_pages;

/// Which communities a campaign asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every community that is a member when the campaign starts.
    Members,
    /// The members of one regional office (by its slug).
    Office(String),
    /// Communities named by their codifier codes, members or not.
    List(Vec<String>),
}

impl Scope {
    pub fn kind(&self) -> &'static str {
        match self {
            Scope::Members => "members",
            Scope::Office(_) => "office",
            Scope::List(_) => "list",
        }
    }
}

crate::text_enum! {
    /// Where one community's report is.
    pub enum ReportStatus {
        /// Nothing submitted yet (a draft may exist).
        Open = "open",
        Submitted = "submitted",
        /// Some values were sent back with a comment.
        Returned = "returned",
        Approved = "approved",
    }
}

impl ReportStatus {
    /// Whether the community still has to act.
    pub fn owes(self) -> bool {
        matches!(self, ReportStatus::Open | ReportStatus::Returned)
    }
}

/// The end of a deadline day in Kyiv: a report submitted before it is on time.
pub fn deadline_end(deadline: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let next = deadline.succ_opt().unwrap_or(deadline);
    chrono_tz::Europe::Kyiv
        .from_local_datetime(&next.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| next.and_time(chrono::NaiveTime::MIN).and_utc())
}

/// How a community stands against the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// First submitted by the end of the deadline day.
    OnTime,
    /// First submitted after it.
    Late,
    /// Never submitted.
    Missing,
}

impl Timeliness {
    pub fn of(first_submitted: Option<DateTime<Utc>>, deadline: NaiveDate) -> Timeliness {
        match first_submitted {
            None => Timeliness::Missing,
            Some(t) if t < deadline_end(deadline) => Timeliness::OnTime,
            Some(_) => Timeliness::Late,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Timeliness::OnTime => "on_time",
            Timeliness::Late => "late",
            Timeliness::Missing => "missing",
        }
    }
}

/// Counts of a group of communities (a campaign, an oblast, a regional office).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Completeness {
    pub asked: i64,
    /// Submitted at least once.
    pub reported: i64,
    pub on_time: i64,
    pub late: i64,
    pub missing: i64,
    pub approved: i64,
    /// Sent back and not yet submitted again.
    pub returned: i64,
}

impl Completeness {
    pub fn add(&mut self, status: ReportStatus, timeliness: Timeliness) {
        self.asked += 1;
        match timeliness {
            Timeliness::OnTime => self.on_time += 1,
            Timeliness::Late => self.late += 1,
            Timeliness::Missing => self.missing += 1,
        }
        if timeliness != Timeliness::Missing {
            self.reported += 1;
        }
        match status {
            ReportStatus::Approved => self.approved += 1,
            ReportStatus::Returned => self.returned += 1,
            ReportStatus::Open | ReportStatus::Submitted => {}
        }
    }

    /// The share reported, in whole percent.
    pub fn reported_pct(&self) -> i64 {
        if self.asked == 0 {
            0
        } else {
            self.reported * 100 / self.asked
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_ends_at_midnight_in_kyiv() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).expect("date");
        // Kyiv is UTC+3 in summer time: midnight of 1 April is 21:00 UTC on 31 March.
        assert_eq!(deadline_end(d).to_rfc3339(), "2026-03-31T21:00:00+00:00");
        let winter = NaiveDate::from_ymd_opt(2026, 1, 15).expect("date");
        assert_eq!(
            deadline_end(winter).to_rfc3339(),
            "2026-01-15T22:00:00+00:00"
        );
        let t = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("t")
                .with_timezone(&Utc)
        };
        assert_eq!(
            Timeliness::of(Some(t("2026-03-31T20:59:59Z")), d),
            Timeliness::OnTime
        );
        assert_eq!(
            Timeliness::of(Some(t("2026-03-31T21:00:00Z")), d),
            Timeliness::Late
        );
        assert_eq!(Timeliness::of(None, d), Timeliness::Missing);
    }

    #[test]
    fn completeness_counts_each_community_once() {
        let mut c = Completeness::default();
        c.add(ReportStatus::Approved, Timeliness::OnTime);
        c.add(ReportStatus::Returned, Timeliness::Late);
        c.add(ReportStatus::Open, Timeliness::Missing);
        c.add(ReportStatus::Submitted, Timeliness::OnTime);
        assert_eq!(
            c,
            Completeness {
                asked: 4,
                reported: 3,
                on_time: 2,
                late: 1,
                missing: 1,
                approved: 1,
                returned: 1
            }
        );
        assert_eq!(c.reported_pct(), 75);
        assert_eq!(Completeness::default().reported_pct(), 0);
        assert!(ReportStatus::Returned.owes() && !ReportStatus::Submitted.owes());
        assert_eq!(
            ReportStatus::parse("approved"),
            Some(ReportStatus::Approved)
        );
    }
}
