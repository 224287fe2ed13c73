//! The time: one reading of the clock for everything a use case writes, and the day it is in
//! Kyiv. Ground floor: every feature asks the time, so it belongs to none of them.

use chrono::{DateTime, NaiveDate, Utc};

/// The current time, truncated to microseconds so that both databases store it exactly.
pub fn now() -> DateTime<Utc> {
    use chrono::DurationRound;
    let t = Utc::now();
    t.duration_trunc(chrono::Duration::microseconds(1))
        .unwrap_or(t)
}

/// Today's date in Kyiv: the association's day, whatever the server's time zone.
pub fn today() -> NaiveDate {
    now().with_timezone(&chrono_tz::Europe::Kyiv).date_naive()
}

/// Midnight in Kyiv at the start of `date`, in UTC.
pub fn kyiv_midnight(date: NaiveDate) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    chrono_tz::Europe::Kyiv
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}
