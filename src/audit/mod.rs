//! The audit log: who changed what, when. Rows are written in the same transaction as the
//! change (`work::record`) and never updated or deleted: there is no route or function for it.

use chrono::{DateTime, Utc};
use serde::Serialize;

pub mod api;
pub mod pages;
pub mod repo;
pub mod routes;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_token_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// JSON text: the fields that changed (secrets are never recorded).
    pub changes: String,
    pub ip: String,
}

/// A half-open UTC range `[from, to)`; either end may be open.
pub type DateRange = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Filters for browsing; every field optional.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    /// Substring of the actor's email.
    pub actor: Option<String>,
    /// Inclusive lower bound, `YYYY-MM-DD` (Kyiv time).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Inclusive upper bound, `YYYY-MM-DD` (Kyiv time).
    #[param(format = Date)]
    pub to: Option<String>,
}

impl AuditFilter {
    /// Empty strings (as an empty form field sends them) mean "no filter".
    pub fn normalised(self) -> AuditFilter {
        let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        AuditFilter {
            entity: clean(self.entity),
            entity_id: clean(self.entity_id),
            action: clean(self.action),
            actor: clean(self.actor).map(|s| s.to_lowercase()),
            from: clean(self.from),
            to: clean(self.to),
        }
    }

    /// The UTC range the date bounds describe, or the field whose date is malformed.
    pub fn range(&self) -> Result<DateRange, &'static str> {
        let day_start = |s: &str| -> Option<DateTime<Utc>> {
            let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
            let local = date
                .and_hms_opt(0, 0, 0)?
                .and_local_timezone(chrono_tz::Europe::Kyiv)
                .earliest()?;
            Some(local.with_timezone(&Utc))
        };
        let from = match &self.from {
            Some(s) => Some(day_start(s).ok_or("from")?),
            None => None,
        };
        let to = match &self.to {
            Some(s) => Some(day_start(s).ok_or("to")? + chrono::Duration::days(1)),
            None => None,
        };
        Ok((from, to))
    }
}
