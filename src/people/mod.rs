//! People and their posts in communities over time: heads (mayors), starostas, secretaries of
//! councils, deputies and executive staff; from and to, and how a post ended. Rules only.

pub mod actions;
pub mod api;
pub mod edit_api;
pub mod mayor;
pub mod pages;
pub mod repo;
pub mod routes;

use chrono::NaiveDate;

/// A post in a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    /// The head of the hromada (міський, селищний, сільський голова): the mayor.
    Head,
    Starosta,
    /// Secretary of the council.
    Secretary,
    Deputy,
    /// Executive staff of the council.
    Executive,
}

impl PostKind {
    pub const ALL: [PostKind; 5] = [
        PostKind::Head,
        PostKind::Starosta,
        PostKind::Secretary,
        PostKind::Deputy,
        PostKind::Executive,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PostKind::Head => "head",
            PostKind::Starosta => "starosta",
            PostKind::Secretary => "secretary",
            PostKind::Deputy => "deputy",
            PostKind::Executive => "executive",
        }
    }

    pub fn parse(code: &str) -> Option<PostKind> {
        PostKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// How a post ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostEnd {
    TermEnded,
    Resigned,
    Dismissed,
    /// Abducted by the occupiers.
    Captured,
    Killed,
    Died,
}

impl PostEnd {
    pub const ALL: [PostEnd; 6] = [
        PostEnd::TermEnded,
        PostEnd::Resigned,
        PostEnd::Dismissed,
        PostEnd::Captured,
        PostEnd::Killed,
        PostEnd::Died,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PostEnd::TermEnded => "term_ended",
            PostEnd::Resigned => "resigned",
            PostEnd::Dismissed => "dismissed",
            PostEnd::Captured => "captured",
            PostEnd::Killed => "killed",
            PostEnd::Died => "died",
        }
    }

    pub fn parse(code: &str) -> Option<PostEnd> {
        PostEnd::ALL.into_iter().find(|e| e.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Post {
    pub id: i64,
    pub person_id: i64,
    pub unit_code: String,
    pub kind: String,
    pub since_on: NaiveDate,
    pub until_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
}

/// What is wrong with a post, each a message for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostProblem {
    /// A date in the future or before independence.
    DateOutOfRange,
    /// The post ends before it starts.
    EndsBeforeStart,
    /// A new head cannot start before the current head's post began.
    BeforeCurrentHead,
    /// The post has ended already.
    Ended,
    NotACommunity,
}

impl PostProblem {
    pub fn key(self) -> &'static str {
        match self {
            PostProblem::DateOutOfRange => "posts-error-date",
            PostProblem::EndsBeforeStart => "posts-error-ends-before",
            PostProblem::BeforeCurrentHead => "posts-error-before-head",
            PostProblem::Ended => "posts-error-ended",
            PostProblem::NotACommunity => "members-error-not-community",
        }
    }
}

/// Posts are recorded from Ukraine's independence on.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1991, 8, 24) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Checks a new post starting on `since` (and, when known, ending on `until`). A new head
/// takes over from the current one, whose post must have started before.
pub fn check_new_post(
    kind: PostKind,
    since: NaiveDate,
    until: Option<NaiveDate>,
    current_head: Option<&Post>,
    today: NaiveDate,
) -> Result<(), PostProblem> {
    if since < EARLIEST || since > today || until.is_some_and(|u| u > today) {
        return Err(PostProblem::DateOutOfRange);
    }
    if until.is_some_and(|u| u < since) {
        return Err(PostProblem::EndsBeforeStart);
    }
    if kind == PostKind::Head
        && until.is_none()
        && current_head.is_some_and(|h| h.since_on >= since)
    {
        return Err(PostProblem::BeforeCurrentHead);
    }
    Ok(())
}

/// Checks ending a post on `until`.
pub fn check_end(post: &Post, until: NaiveDate, today: NaiveDate) -> Result<(), PostProblem> {
    if post.until_on.is_some() {
        return Err(PostProblem::Ended);
    }
    if until > today {
        return Err(PostProblem::DateOutOfRange);
    }
    if until < post.since_on {
        return Err(PostProblem::EndsBeforeStart);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn head(since: &str) -> Post {
        Post {
            id: 1,
            person_id: 1,
            unit_code: "UA05020030000031457".into(),
            kind: "head".into(),
            since_on: day(since),
            until_on: None,
            end_reason: None,
        }
    }

    #[test]
    fn a_post_cannot_end_before_it_starts() {
        let today = day("2026-11-23");
        assert_eq!(
            check_new_post(
                PostKind::Secretary,
                day("2020-12-01"),
                Some(day("2020-11-30")),
                None,
                today
            ),
            Err(PostProblem::EndsBeforeStart)
        );
        assert_eq!(
            check_new_post(
                PostKind::Secretary,
                day("2020-12-01"),
                Some(day("2020-12-01")),
                None,
                today
            ),
            Ok(())
        );
        assert_eq!(
            check_new_post(PostKind::Deputy, day("2030-01-01"), None, None, today),
            Err(PostProblem::DateOutOfRange)
        );
        assert_eq!(
            check_end(&head("2020-11-20"), day("2020-11-19"), today),
            Err(PostProblem::EndsBeforeStart)
        );
        let mut ended = head("2015-11-01");
        ended.until_on = Some(day("2020-11-20"));
        assert_eq!(
            check_end(&ended, day("2021-01-01"), today),
            Err(PostProblem::Ended)
        );
    }

    #[test]
    fn a_new_head_takes_over_after_the_current_one_began() {
        let today = day("2026-11-23");
        let current = head("2020-11-20");
        assert_eq!(
            check_new_post(
                PostKind::Head,
                day("2024-03-01"),
                None,
                Some(&current),
                today
            ),
            Ok(())
        );
        assert_eq!(
            check_new_post(
                PostKind::Head,
                day("2020-11-20"),
                None,
                Some(&current),
                today
            ),
            Err(PostProblem::BeforeCurrentHead)
        );
        // A past head with known dates is history, not a takeover.
        assert_eq!(
            check_new_post(
                PostKind::Head,
                day("2010-11-01"),
                Some(day("2015-11-01")),
                Some(&current),
                today
            ),
            Ok(())
        );
    }
}
